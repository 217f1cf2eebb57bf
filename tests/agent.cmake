cs_add_test(agent_test SOURCES agent/agent_core_test.cpp agent/agent_test.cpp LIBS cs_agent)

# The fleet's shared TLS client context and per-agent identities against the
# built-in manager, both in this process on 127.0.0.1.
cs_add_test(fleet_tls_test SOURCES agent/fleet_tls_test.cpp manager/manager_test_util.cpp LIBS cs_sim cs_manager)
