# The simulated APC PDU: console logic (fakes/power) and the telnet server
# (sim/pdu_server), the latter also driven by the real fence_apc agent.
cs_add_test(power_test
  SOURCES power/telnet_test.cpp power/apc_console_test.cpp power/timed_outlet_bank_test.cpp
          power/pdu_server_test.cpp
  LIBS cs_sim_pdu cs_fakes_power cs_util)
