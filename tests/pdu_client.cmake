# The PDU console client (pdu_client/) against the simulated console
# (fakes/power) in memory, in both dialects.
cs_add_test(pdu_client_test
  SOURCES pdu_client/apc_dialogue_test.cpp pdu_client/telnet_client_codec_test.cpp
  LIBS cs_pdu_client cs_fakes_power cs_util)
