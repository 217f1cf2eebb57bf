cs_add_test(agent_test SOURCES agent/agent_core_test.cpp agent/agent_test.cpp LIBS cs_agent)
