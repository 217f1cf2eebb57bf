// Tests for the XML-RPC codec: our own round trips, documents produced by
// Python's xmlrpc.client, responses checked by loading them in Python, and
// the refusals (malformed input, DOCTYPE, limits).
#include "sim/control/xmlrpc.h"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <limits>
#include <string>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cs {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// Runs python3 on `input` and returns its standard output (empty on failure).
std::string RunPython(const std::string& program, const std::string& input) {
  char path[] = "/tmp/xmlrpc_test_XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return "";
  close(fd);
  std::ofstream(path, std::ios::binary) << input;
  const std::string cmd = "python3 -c '" + program + "' < " + path;
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  std::remove(path);
  return out;
}

// Python loads an XML-RPC document and prints what it got as JSON: bytes as
// {"base64": ...} (our convention), faults as {"fault": [code, string]}.
constexpr const char* kPyLoads = R"PY(
import sys, json, base64, xmlrpc.client as x
def conv(o):
    if isinstance(o, bytes): return {"base64": base64.b64encode(o).decode()}
    if isinstance(o, dict): return {k: conv(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)): return [conv(v) for v in o]
    return o
try:
    params, method = x.loads(sys.stdin.buffer.read(), use_builtin_types=True)
    print(json.dumps({"method": method, "params": conv(params)}))
except x.Fault as f:
    print(json.dumps({"fault": [f.faultCode, f.faultString]}))
)PY";

json PythonLoads(const std::string& xml) {
  const std::string out = RunPython(kPyLoads, xml);
  return json::parse(out, nullptr, /*allow_exceptions=*/false);
}

// Python dumps the JSON in stdin as a call (allow_none) and prints the XML.
std::string PythonDumpsCall(const std::string& method, const json& params) {
  const std::string program =
      "import sys, json, xmlrpc.client as x\n"
      "p = json.load(sys.stdin)\n"
      "sys.stdout.write(x.dumps(tuple(p), methodname=\"" + method + "\", allow_none=True))\n";
  return RunPython(program, params.dump());
}

std::string Call(const std::string& params_xml) {
  return "<?xml version='1.0'?><methodCall><methodName>m</methodName><params>" + params_xml +
         "</params></methodCall>";
}

std::string OneValue(const std::string& value_xml) { return Call("<param><value>" + value_xml + "</value></param>"); }

json ParseOne(const std::string& value_xml) {
  Result<XmlRpcCall> r = ParseMethodCall(OneValue(value_xml));
  EXPECT_TRUE(r.ok()) << value_xml << ": " << r.status().ToString();
  if (!r.ok() || r->params.size() != 1) return json("<parse failed>");
  return r->params[0];
}

std::string ParseError(std::string_view xml, const XmlRpcLimits& limits = {}) {
  Result<XmlRpcCall> r = ParseMethodCall(xml, limits);
  if (r.ok()) return "<parsed OK>";
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  return r.status().message();
}

// --- Parsing each type ------------------------------------------------------

TEST(XmlRpcParse, Scalars) {
  EXPECT_EQ(ParseOne("<int>42</int>"), json(42));
  EXPECT_EQ(ParseOne("<i4>-7</i4>"), json(-7));
  EXPECT_EQ(ParseOne("<int> +5 </int>"), json(5));  // Python's int() accepts this
  EXPECT_EQ(ParseOne("<int>2147483647</int>"), json(2147483647));
  EXPECT_EQ(ParseOne("<i8>-9223372036854775808</i8>"), json(std::numeric_limits<std::int64_t>::min()));
  EXPECT_EQ(ParseOne("<boolean>1</boolean>"), json(true));
  EXPECT_EQ(ParseOne("<boolean>0</boolean>"), json(false));
  EXPECT_EQ(ParseOne("<string>a b</string>"), json("a b"));
  EXPECT_EQ(ParseOne("<string>  </string>"), json("  "));
  EXPECT_EQ(ParseOne("<string></string>"), json(""));
  EXPECT_EQ(ParseOne("bare text"), json("bare text"));
  EXPECT_EQ(ParseOne(""), json(""));
  EXPECT_EQ(ParseOne(" "), json(" "));
  EXPECT_EQ(ParseOne("<string>&lt;&amp;&gt;&quot;&apos;&#65;&#x42;&#233;&#13;</string>"), json("<&>\"'AB\xC3\xA9\r"));
  EXPECT_EQ(ParseOne("<string><![CDATA[<not & markup>]]></string>"), json("<not & markup>"));
  EXPECT_EQ(ParseOne("<string>\xE2\x82\xAC \xF0\x9F\x98\x80</string>"), json("\xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_EQ(ParseOne("<dateTime.iso8601>20240102T03:04:05</dateTime.iso8601>"), json("20240102T03:04:05"));
  EXPECT_EQ(ParseOne("<base64>\nAP8=\n</base64>"), (json{{"base64", "AP8="}}));
  EXPECT_EQ(ParseOne("<base64></base64>"), (json{{"base64", ""}}));
  EXPECT_EQ(ParseOne("<nil/>"), json(nullptr));

  json d = ParseOne("<double>1.5</double>");
  EXPECT_TRUE(d.is_number_float());
  EXPECT_EQ(d.get<double>(), 1.5);
  EXPECT_EQ(ParseOne("<double>-1e+300</double>").get<double>(), -1e300);
  EXPECT_EQ(ParseOne("<double>.5</double>").get<double>(), 0.5);
  EXPECT_TRUE(ParseOne("<double>3</double>").is_number_float());
  EXPECT_TRUE(ParseOne("<int>3</int>").is_number_integer());
}

TEST(XmlRpcParse, Containers) {
  EXPECT_EQ(ParseOne("<array><data></data></array>"), json::array());
  EXPECT_EQ(ParseOne("<array><data>\n <value><int>1</int></value>\n <value>x</value></data></array>"),
            (json{1, "x"}));
  EXPECT_EQ(ParseOne("<struct></struct>"), json::object());
  EXPECT_EQ(ParseOne("<struct><member><name>a&amp;b</name><value><array><data><value><nil/></value>"
                     "</data></array></value></member><member><name></name><value>v</value></member></struct>"),
            (json{{"a&b", json::array({nullptr})}, {"", "v"}}));
}

TEST(XmlRpcParse, MethodCallShape) {
  Result<XmlRpcCall> r = ParseMethodCall("<methodCall><methodName>system.listMethods</methodName></methodCall>");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->method, "system.listMethods");
  EXPECT_EQ(r->params, json::array());

  r = ParseMethodCall("<methodCall><methodName>add_su</methodName><params></params></methodCall>");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->method, "add_su");
  EXPECT_EQ(r->params, json::array());

  r = ParseMethodCall(Call("<param><value><int>1</int></value></param><param><value>two</value></param>"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->params, (json{1, "two"}));
}

TEST(XmlRpcParse, Encodings) {
  const std::string body = "<methodCall><methodName>m</methodName><params><param><value>caf\xE9</value>"
                           "</param></params></methodCall>";
  Result<XmlRpcCall> r = ParseMethodCall("<?xml version='1.0' encoding='ISO-8859-1'?>" + body);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->params[0], json("caf\xC3\xA9"));
  // Undeclared, the same byte is not UTF-8.
  EXPECT_THAT(ParseError(body), HasSubstr("invalid UTF-8"));
  r = ParseMethodCall("\xEF\xBB\xBF" + OneValue("x"));  // UTF-8 byte order mark
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->params[0], json("x"));
}

// Exactly what Python 3.11 prints for
//   xmlrpc.client.dumps(([1, 'a<&>', None, {'k': True}, 1.5, b'\x00\xff',
//                         xmlrpc.client.DateTime('20240102T03:04:05')],),
//                       methodname='register_many', allow_none=True)
constexpr const char* kPythonRegisterMany = R"XML(<?xml version='1.0'?>
<methodCall>
<methodName>register_many</methodName>
<params>
<param>
<value><array><data>
<value><int>1</int></value>
<value><string>a&lt;&amp;&gt;</string></value>
<value><nil/></value><value><struct>
<member>
<name>k</name>
<value><boolean>1</boolean></value>
</member>
</struct></value>
<value><double>1.5</double></value>
<value><base64>
AP8=
</base64></value>
<value><dateTime.iso8601>20240102T03:04:05</dateTime.iso8601></value>
</data></array></value>
</param>
</params>
</methodCall>
)XML";

TEST(XmlRpcParse, PythonGolden) {
  Result<XmlRpcCall> r = ParseMethodCall(kPythonRegisterMany);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->method, "register_many");
  const json want = json::array(
      {json::array({1, "a<&>", nullptr, {{"k", true}}, 1.5, {{"base64", "AP8="}}, "20240102T03:04:05"})});
  EXPECT_EQ(r->params, want);
}

TEST(XmlRpcParse, PythonLiveDumps) {
  // Python chooses the formatting; we must read back what it was given.
  const json params = json::array(
      {json::array({{{"fqdn", "oss1.<lab>&co"}, {"nids", {"10.0.0.1@tcp"}}, {"size", 2147483647}},
                    {{"fqdn", "caf\xC3\xA9 \xF0\x9F\x98\x80"}, {"ok", false}, {"none", nullptr}}}),
       -3, 0.1, "", " leading and trailing ", json::object(), json::array()});
  const std::string xml = PythonDumpsCall("register_many", params);
  ASSERT_FALSE(xml.empty()) << "python3 did not run";
  Result<XmlRpcCall> r = ParseMethodCall(xml);
  ASSERT_TRUE(r.ok()) << r.status().ToString() << "\n" << xml;
  EXPECT_EQ(r->method, "register_many");
  EXPECT_EQ(r->params, params);
}

TEST(XmlRpcParse, PythonResponses) {
  Result<XmlRpcResponse> r = ParseMethodResponse(
      "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><int>1</int></value>\n"
      "</param>\n</params>\n</methodResponse>\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->is_fault);
  EXPECT_EQ(r->value, json(1));

  r = ParseMethodResponse(
      "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n"
      "<value><int>3</int></value>\n</member>\n<member>\n<name>faultString</name>\n"
      "<value><string>bad &lt;x&gt;</string></value>\n</member>\n</struct></value>\n</fault>\n"
      "</methodResponse>\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->is_fault);
  EXPECT_EQ(r->fault_code, 3);
  EXPECT_EQ(r->fault_string, "bad <x>");

  r = ParseMethodResponse("<methodResponse><fault><value><struct></struct></value></fault></methodResponse>");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("faultCode"));
}

// --- Formatting and round trips -------------------------------------------

json EveryType() {
  return json{{"int", 7},
              {"neg", -2147483648},
              {"big", 9000000000LL},
              {"bool", true},
              {"str", "<&> \"quotes\" 'apos' caf\xC3\xA9 \xF0\x9F\x98\x80 cr\r\nlf\ttab"},
              {"empty", ""},
              {"double", 0.1},
              {"tiny", 5e-324},
              {"huge", -1.7976931348623157e308},
              {"nil", nullptr},
              {"array", json::array({1, json::array({json::object()}), "x"})},
              {"nested", {{"a", {{"b", {{"c", json::array()}}}}}}}};
}

TEST(XmlRpcFormat, RoundTripEveryType) {
  json params = json::array({EveryType(), 1, "two", nullptr, json::binary({0x00, 0xFF, 0x10, 0x20})});
  const std::string xml = FormatMethodCall("set_log_rate", params);
  Result<XmlRpcCall> r = ParseMethodCall(xml);
  ASSERT_TRUE(r.ok()) << r.status().ToString() << "\n" << xml;
  EXPECT_EQ(r->method, "set_log_rate");
  params[4] = {{"base64", "AP8QIA=="}};  // binary comes back in our base64 form
  EXPECT_EQ(r->params, params);
  EXPECT_TRUE(r->params[0]["double"].is_number_float());
  EXPECT_TRUE(r->params[0]["big"].is_number_integer());

  Result<XmlRpcResponse> resp = ParseMethodResponse(FormatMethodResponse(EveryType()));
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->value, EveryType());
}

TEST(XmlRpcFormat, Base64Lengths) {
  for (std::size_t n = 0; n < 7; ++n) {
    std::vector<std::uint8_t> bytes;
    for (std::size_t i = 0; i < n; ++i) bytes.push_back(static_cast<std::uint8_t>(250 + i));
    const std::string xml = FormatMethodResponse(json::binary(bytes));
    const json py = PythonLoads(xml);
    ASSERT_TRUE(py.is_object()) << xml;
    Result<XmlRpcResponse> ours = ParseMethodResponse(xml);
    ASSERT_TRUE(ours.ok()) << ours.status().ToString();
    EXPECT_EQ(py["params"][0], ours->value) << "length " << n;
  }
}

TEST(XmlRpcFormat, PythonLoadsOurResponse) {
  const std::string xml = FormatMethodResponse(EveryType());
  const json py = PythonLoads(xml);
  ASSERT_TRUE(py.is_object()) << "python could not load:\n" << xml;
  EXPECT_EQ(py["params"], json::array({EveryType()}));
  EXPECT_TRUE(py["params"][0]["big"].is_number_integer());  // <i8> read as int
  EXPECT_TRUE(py["params"][0]["double"].is_number_float());
}

TEST(XmlRpcFormat, PythonLoadsOurCall) {
  const json params = json::array({json::array({"oss1", "oss2"}), 3, nullptr});
  const json py = PythonLoads(FormatMethodCall("remove_server", params));
  EXPECT_EQ(py, (json{{"method", "remove_server"}, {"params", params}}));
}

TEST(XmlRpcFormat, EdgeValuesForPython) {
  const std::string invalid_utf8 = "a\xFF" "b\xC3";
  const json value = {std::numeric_limits<std::uint64_t>::max(),
                      std::numeric_limits<std::int64_t>::max(),
                      2147483648LL,
                      -2147483649LL,
                      std::numeric_limits<double>::quiet_NaN(),
                      std::numeric_limits<double>::infinity(),
                      invalid_utf8,
                      std::string("nul\0bell\x07", 9)};
  const std::string xml = FormatMethodResponse(value);
  EXPECT_THAT(xml, HasSubstr("<i8>9223372036854775807</i8>"));
  EXPECT_THAT(xml, HasSubstr("<i8>2147483648</i8>"));
  EXPECT_THAT(xml, HasSubstr("<i8>-2147483649</i8>"));
  const json py = PythonLoads(xml);
  ASSERT_TRUE(py.is_object()) << "python could not load:\n" << xml;
  const json& got = py["params"][0];
  EXPECT_TRUE(got[0].is_number_float());
  EXPECT_EQ(got[0].get<double>(), 18446744073709551615.0);
  EXPECT_EQ(got[1], json(std::numeric_limits<std::int64_t>::max()));
  EXPECT_EQ(got[2], json(2147483648LL));
  EXPECT_EQ(got[3], json(-2147483649LL));
  EXPECT_EQ(got[4], json(nullptr));
  EXPECT_EQ(got[5], json(nullptr));
  EXPECT_EQ(got[6], json("a\xEF\xBF\xBD" "b\xEF\xBF\xBD"));
  EXPECT_EQ(got[7], json("nul\xEF\xBF\xBD" "bell\xEF\xBF\xBD"));
}

TEST(XmlRpcFormat, Fault) {
  const std::string xml = FormatFault(-32601, "method \"x\" <not> supported & 'so' on");
  EXPECT_EQ(PythonLoads(xml), (json{{"fault", {-32601, "method \"x\" <not> supported & 'so' on"}}}));
  Result<XmlRpcResponse> r = ParseMethodResponse(xml);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->is_fault);
  EXPECT_EQ(r->fault_code, -32601);
  EXPECT_EQ(r->fault_string, "method \"x\" <not> supported & 'so' on");
}

TEST(XmlRpcFormat, PythonStyleLayout) {
  EXPECT_EQ(FormatMethodResponse(1),
            "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><int>1</int></value>\n"
            "</param>\n</params>\n</methodResponse>\n");
}

// --- Refusals ----------------------------------------------------------------

TEST(XmlRpcReject, Malformed) {
  struct Case {
    std::string xml;
    std::string error;
  };
  const Case cases[] = {
      {"", "no root element"},
      {"<?xml version='1.0'?>", "no root element"},
      {"junk<methodCall><methodName>m</methodName></methodCall>", "outside the root"},
      {"<methodCall><methodName>m</methodName>", "malformed XML"},
      {"<methodCall><methodName>m</methodName></methodcall>", "malformed XML"},
      {"<methodCall><methodName>m</methodName></methodCall><x/>", "more than one root"},
      {"<methodCall><methodName>m</methodName></methodCall>junk", "outside the root"},
      {"<methodResponse/>", "root element is <methodResponse>, expected <methodCall>"},
      {"<methodCall><params/></methodCall>", "must start with <methodName>"},
      {"<methodCall><methodName></methodName></methodCall>", "empty method name"},
      {"<methodCall><methodName>a b</methodName></methodCall>", "character XML-RPC does not allow"},
      {"<methodCall><methodName>m</methodName><params/><x/></methodCall>", "unexpected <x>"},
      {Call("<value>1</value>"), "expected <param>"},
      {Call("<param></param>"), "<param> must hold exactly one <value>"},
      {Call("<param><value>1</value><value>2</value></param>"), "exactly one <value>"},
      {OneValue("<int>abc</int>"), "<int>: 'abc' is not an integer"},
      {OneValue("<int></int>"), "is not an integer"},
      {OneValue("<int>1.5</int>"), "is not an integer"},
      {OneValue("<int>-</int>"), "is not an integer"},
      {OneValue("<i4>0x10</i4>"), "is not an integer"},
      {OneValue("<int>2147483648</int>"), "out of range"},
      {OneValue("<i8>9223372036854775808</i8>"), "out of range"},
      {OneValue("<boolean>true</boolean>"), "is not 0 or 1"},
      {OneValue("<boolean> 1</boolean>"), "is not 0 or 1"},
      {OneValue("<double>nan</double>"), "is not a number"},
      {OneValue("<double>inf</double>"), "is not a number"},
      {OneValue("<double>1e</double>"), "is not a number"},
      {OneValue("<double>.</double>"), "is not a number"},
      {OneValue("<double>1e999</double>"), "out of range"},
      {OneValue("<base64>AP8</base64>"), "multiple of 4"},
      {OneValue("<base64>A*8=</base64>"), "invalid base64"},
      {OneValue("<float>1</float>"), "unknown XML-RPC type <float>"},
      {OneValue("<int>1</int><int>2</int>"), "more than one element"},
      {OneValue("x<int>1</int>"), "unexpected text in <value>"},
      {OneValue("<string><b>x</b></string>"), "<string> may not contain <b>"},
      {OneValue("<nil>x</nil>"), "unexpected text in <nil>"},
      {OneValue("<array><value>1</value></array>"), "exactly one <data>"},
      {OneValue("<array><data><int>1</int></data></array>"), "expected <value>, found <int>"},
      {OneValue("<struct><value>1</value></struct>"), "expected <member>"},
      {OneValue("<struct><member><value>1</value></member></struct>"), "<name> then <value>"},
      {OneValue("<struct><member><name>a</name><value>1</value></member>"
                "<member><name>a</name><value>2</value></member></struct>"),
       "duplicate struct member 'a'"},
      {OneValue("<string>a & b</string>"), "'&' does not start"},
      {OneValue("<string>&nbsp;</string>"), "undefined entity &nbsp;"},
      {OneValue("<string>&#0;</string>"), "bad character reference"},
      {OneValue("<string>&#xD800;</string>"), "bad character reference"},
      {OneValue("<string>a\xFFz</string>"), "invalid UTF-8"},
      {OneValue("<string>\xED\xA0\x80</string>"), "invalid UTF-8"},  // a surrogate
      {OneValue("<string>\xC0\xAF</string>"), "invalid UTF-8"},      // overlong '/'
      {OneValue("<string>\x01</string>"), "not allowed in XML"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(ParseError(c.xml), HasSubstr(c.error)) << "input: " << c.xml;
  }
}

TEST(XmlRpcReject, ErrorsSayWhere) {
  const std::string xml = "<methodCall>\n<methodName>m</methodName>\n<params>\n<param>\n"
                          "  <value><int>12x</int></value>\n</param>\n</params>\n</methodCall>\n";
  EXPECT_THAT(ParseError(xml), HasSubstr("<int>: '12x' is not an integer (line 5, column 10)"));
  EXPECT_THAT(ParseError("<methodCall>\n<methodName>m</methodName>\n</oops>"), HasSubstr("line 3"));
}

TEST(XmlRpcReject, Doctype) {
  EXPECT_THAT(ParseError("<!DOCTYPE methodCall><methodCall><methodName>m</methodName></methodCall>"),
              HasSubstr("DOCTYPE is not allowed"));
  const std::string laughs =
      "<?xml version='1.0'?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
      " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
      " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n]>\n" +
      OneValue("<string>&lol3;</string>").substr(std::string("<?xml version='1.0'?>").size());
  EXPECT_THAT(ParseError(laughs), HasSubstr("DOCTYPE is not allowed"));
  const std::string xxe = "<!DOCTYPE m [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" +
                          OneValue("<string>&x;</string>").substr(std::string("<?xml version='1.0'?>").size());
  EXPECT_THAT(ParseError(xxe), HasSubstr("DOCTYPE is not allowed"));
  // Without the DOCTYPE the entity is simply undefined.
  EXPECT_THAT(ParseError(OneValue("<string>&x;</string>")), HasSubstr("undefined entity &x;"));
}

std::string NestedArrays(int depth) {
  std::string open, close;
  for (int i = 1; i < depth; ++i) {
    open += "<array><data><value>";
    close += "</value></data></array>";
  }
  return OneValue(open + "<int>1</int>" + close);
}

TEST(XmlRpcReject, DepthLimit) {
  Result<XmlRpcCall> ok = ParseMethodCall(NestedArrays(64));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_THAT(ParseError(NestedArrays(65)), HasSubstr("nest deeper than the limit of 64"));
  EXPECT_THAT(ParseError(NestedArrays(100000)), HasSubstr("nest deeper"));  // no stack overflow
  XmlRpcLimits tight;
  tight.max_depth = 2;
  EXPECT_TRUE(ParseMethodCall(NestedArrays(2), tight).ok());
  EXPECT_THAT(ParseError(NestedArrays(3), tight), HasSubstr("limit of 2"));
  // Structs count too.
  EXPECT_THAT(ParseError(OneValue("<struct><member><name>a</name><value><struct><member><name>b</name>"
                                  "<value>1</value></member></struct></value></member></struct>"),
                         tight),
              HasSubstr("limit of 2"));
}

TEST(XmlRpcReject, SizeLimit) {
  XmlRpcLimits small;
  small.max_bytes = 100;
  const std::string xml = OneValue("<string>" + std::string(200, 'x') + "</string>");
  EXPECT_THAT(ParseError(xml, small), HasSubstr("exceeds the limit of 100"));
  EXPECT_TRUE(ParseMethodCall(xml).ok());
}

}  // namespace
}  // namespace cs
