cs_add_test(protocol_test SOURCES protocol/messages_test.cpp LIBS cs_protocol)
