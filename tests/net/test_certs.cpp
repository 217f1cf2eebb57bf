#include <sys/resource.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "net/tls_context.h"
#include "tests/net/test_util.h"

namespace cs::net::testing {
namespace {

// Makes the certificates with the openssl command line; EC keys keep it fast.
constexpr const char* kScript = R"(set -e
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }
ca() {  # name cn
  key "$1"
  openssl req -x509 -new -key "$1.key" -out "$1.pem" -days 2 -subj "/CN=$2"
}
leaf() {  # name ca cn serial extensions
  key "$1"
  openssl req -new -key "$1.key" -out "$1.csr" -subj "/CN=$3"
  printf '%b' "$5" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -set_serial "$4" -days 2 \
    -extfile "$1.ext" -out "$1.pem" 2>/dev/null
}
server_ext='subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'
client_ext='extendedKeyUsage=clientAuth\n'
ca ca "Test CA"
ca other_ca "Other CA"
leaf server ca localhost 0x01 "$server_ext"
leaf wrong_name ca elsewhere 0x02 'subjectAltName=DNS:elsewhere.example\n'
leaf client ca agent-1 0x1234ABCD "$client_ext"
leaf client2 ca agent-2 0x0BEEF0 "$client_ext"
leaf other_server other_ca localhost 0x03 "$server_ext"
leaf other_client other_ca intruder 0x04 "$client_ext"
)";

std::string Read(const std::filesystem::path& path) {
  auto text = ReadPemFile(path.string());
  if (!text.ok()) {
    ADD_FAILURE() << text.status().ToString();
    return "";
  }
  return text.value();
}

TestCerts Generate() {
  std::string pattern = (std::filesystem::temp_directory_path() / "net_test_XXXXXX").string();
  const char* made = mkdtemp(pattern.data());
  if (made == nullptr) {
    ADD_FAILURE() << "mkdtemp failed";
    return {};
  }
  std::filesystem::path dir = made;
  std::ofstream(dir / "make.sh") << kScript;
  std::string command = "cd '" + dir.string() + "' && sh make.sh > make.log 2>&1";
  if (std::system(command.c_str()) != 0) {
    ADD_FAILURE() << "certificate generation failed, see " << (dir / "make.log");
    return {};
  }
  TestCerts c;
  c.ca_pem = Read(dir / "ca.pem");
  c.server_cert = Read(dir / "server.pem");
  c.server_key = Read(dir / "server.key");
  c.wrong_name_cert = Read(dir / "wrong_name.pem");
  c.wrong_name_key = Read(dir / "wrong_name.key");
  c.client_cert = Read(dir / "client.pem");
  c.client_key = Read(dir / "client.key");
  c.client2_cert = Read(dir / "client2.pem");
  c.client2_key = Read(dir / "client2.key");
  c.other_ca_pem = Read(dir / "other_ca.pem");
  c.other_server_cert = Read(dir / "other_server.pem");
  c.other_server_key = Read(dir / "other_server.key");
  c.other_client_cert = Read(dir / "other_client.pem");
  c.other_client_key = Read(dir / "other_client.key");
  std::filesystem::remove_all(dir);
  return c;
}

}  // namespace

const TestCerts& Certs() {
  static const TestCerts certs = Generate();
  return certs;
}

ServerOptions TlsServer(bool request_client_cert) {
  ServerOptions options;
  options.tls = TlsServerConfig{Certs().server_cert, Certs().server_key,
                                request_client_cert ? Certs().ca_pem : ""};
  options.handshake_timeout = Patience();
  options.write_timeout = Patience();
  options.body_timeout = std::max(options.body_timeout, Patience());
  return options;
}

ClientOptions VerifyingClient() {
  ClientOptions options;
  options.tls.ca_pem = Certs().ca_pem;
  options.default_timeout = Patience();
  return options;
}

std::string BaseUrl(const HttpsServer& server, const std::string& scheme,
                    const std::string& host) {
  return scheme + "://" + host + ":" + std::to_string(server.port()) + "/";
}

ClientRequest Get(std::string target) {
  ClientRequest request;
  request.target = std::move(target);
  return request;
}

ClientRequest Post(std::string target, std::string body) {
  ClientRequest request;
  request.method = "POST";
  request.target = std::move(target);
  request.body = std::move(body);
  request.headers.Set("Content-Type", "application/json");
  return request;
}

Result<Response> SendAndWait(HttpsClient& client, ClientRequest request,
                             std::chrono::milliseconds limit) {
  auto promise = std::make_shared<std::promise<Result<Response>>>();
  auto future = promise->get_future();
  client.Send(std::move(request),
              [promise](Result<Response> result) { promise->set_value(std::move(result)); });
  if (future.wait_for(limit) != std::future_status::ready) {
    return Status::Internal("test: no callback within " + std::to_string(limit.count()) + " ms");
  }
  return future.get();
}

void RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

std::unique_ptr<HttpsServer> NetTest::StartServer(ServerOptions options, Handler handler) {
  auto server = HttpsServer::Start(pool_.context(), std::move(options), std::move(handler));
  if (!server.ok()) {
    ADD_FAILURE() << server.status().ToString();
    return nullptr;
  }
  return std::move(server).value();
}

std::unique_ptr<HttpsClient> NetTest::MakeClient(const std::string& url, ClientOptions options) {
  auto client = HttpsClient::Create(pool_.context(), url, std::move(options));
  if (!client.ok()) {
    ADD_FAILURE() << client.status().ToString();
    return nullptr;
  }
  return std::move(client).value();
}

}  // namespace cs::net::testing
