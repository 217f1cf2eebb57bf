cs_add_test(xmlrpc_test SOURCES control/xmlrpc_test.cpp LIBS cs_xmlrpc)
