// TLS verification in both directions, client certificate replacement,
// and many clients with their own certificates on one shared context.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/asio/ssl/context.hpp>

#include "tests/net/test_util.h"

namespace cs::net::testing {
namespace {

// Answers "cn serial verified" for the presented client certificate, or
// 403 when one was presented but did not verify.
Handler WhoAmI() {
  return [](const Request& request, Respond respond) {
    const PeerCertificate& cert = request.peer_cert;
    if (!cert.presented) return respond(Response::Text(200, "anonymous"));
    if (!cert.verified) return respond(Response::Text(403, "unverified: " + cert.verify_error));
    respond(Response::Text(200, cert.subject_cn + " " + cert.serial_hex));
  };
}

ClientOptions WithClientCert(const std::string& cert, const std::string& key) {
  ClientOptions options = VerifyingClient();
  options.tls.client_cert_pem = cert;
  options.tls.client_key_pem = key;
  return options;
}

// Counts the sessions a plain OpenSSL client is handed (each TLS 1.3 ticket
// is one) over one handshake and one request.
int SessionsHandedToAClient(uint16_t port) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  static int handed = 0;
  handed = 0;
  SSL_CTX_sess_set_new_cb(ctx, [](SSL*, SSL_SESSION*) {
    ++handed;
    return 0;  // not kept
  });
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  timeval limit{30, 0};  // bounded: a stuck read fails the test instead of hanging it
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int result = -1;
  SSL* ssl = nullptr;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    const std::string request = "GET /whoami HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    char answer[4096];
    std::string got;
    if (SSL_connect(ssl) == 1 && SSL_write(ssl, request.data(), static_cast<int>(request.size())) > 0) {
      for (int n; (n = SSL_read(ssl, answer, sizeof answer)) > 0;) got.append(answer, static_cast<size_t>(n));
    }
    if (got.rfind("HTTP/1.1 200", 0) == 0) result = handed;
  }
  SSL_free(ssl);
  close(fd);
  SSL_CTX_free(ctx);
  return result;
}

// Agents keep their connections for hours and never resume a session, so
// the server hands out no TLS 1.3 tickets: each one cost the client a parsed
// copy of the session, the server's certificate included.
TEST_F(NetTest, TheServerHandsOutNoSessionTickets) {
  auto server = StartServer(TlsServer(true), WhoAmI());
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(SessionsHandedToAClient(server->port()), 0);
}

TEST_F(NetTest, HandlerSeesVerifiedClientCertificate) {
  auto server = StartServer(TlsServer(true), WhoAmI());
  ASSERT_NE(server, nullptr);
  auto client = MakeClient(BaseUrl(*server), WithClientCert(Certs().client_cert, Certs().client_key));
  ASSERT_NE(client, nullptr);
  auto response = SendAndWait(*client, Get("whoami"));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "agent-1 1234ABCD");
}

TEST_F(NetTest, ClientCertificateFromAnotherCaIsUnverified) {
  auto server = StartServer(TlsServer(true), WhoAmI());
  ASSERT_NE(server, nullptr);
  auto client = MakeClient(BaseUrl(*server),
                           WithClientCert(Certs().other_client_cert, Certs().other_client_key));
  ASSERT_NE(client, nullptr);
  auto response = SendAndWait(*client, Get("whoami"));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 403);
  EXPECT_NE(response->body.find("unverified: "), std::string::npos) << response->body;
}

TEST_F(NetTest, NoClientCertificateIsAnonymous) {
  auto server = StartServer(TlsServer(true), WhoAmI());
  ASSERT_NE(server, nullptr);
  auto client = MakeClient(BaseUrl(*server));
  auto response = SendAndWait(*client, Get("whoami"));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->body, "anonymous");
}

TEST_F(NetTest, ClientRefusesServerFromAnotherCaUnlessInsecure) {
  ServerOptions options;
  options.tls = TlsServerConfig{Certs().other_server_cert, Certs().other_server_key, ""};
  auto server = StartServer(options, WhoAmI());
  ASSERT_NE(server, nullptr);

  auto verifying = MakeClient(BaseUrl(*server));
  auto refused = SendAndWait(*verifying, Get("x"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Status::Code::kUnavailable);
  EXPECT_NE(refused.status().message().find("certificate verify failed"), std::string::npos)
      << refused.status().message();
  EXPECT_NE(refused.status().message().find("local issuer"), std::string::npos)
      << refused.status().message();
  EXPECT_FALSE(RequestNeverSent(refused.status())) << "sending again cannot mend a certificate";

  ClientOptions insecure;
  insecure.tls.insecure = true;
  auto trusting = MakeClient(BaseUrl(*server), insecure);
  auto accepted = SendAndWait(*trusting, Get("x"));
  ASSERT_TRUE(accepted.ok()) << accepted.status().ToString();
  EXPECT_EQ(accepted->body, "anonymous");
}

TEST_F(NetTest, ClientChecksTheServerName) {
  ServerOptions options;
  options.tls = TlsServerConfig{Certs().wrong_name_cert, Certs().wrong_name_key, ""};
  auto server = StartServer(options, WhoAmI());
  ASSERT_NE(server, nullptr);
  for (const char* host : {"localhost", "127.0.0.1"}) {
    auto client = MakeClient(BaseUrl(*server, "https", host));
    auto response = SendAndWait(*client, Get("x"));
    ASSERT_FALSE(response.ok()) << host;
    EXPECT_NE(response.status().message().find("mismatch"), std::string::npos)
        << response.status().message();
  }
}

TEST_F(NetTest, ReplacingTheClientCertificateForcesANewConnection) {
  auto server = StartServer(TlsServer(true), WhoAmI());
  ASSERT_NE(server, nullptr);
  auto client = MakeClient(BaseUrl(*server));
  ASSERT_NE(client, nullptr);

  auto before = SendAndWait(*client, Get("whoami"));
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_EQ(before->body, "anonymous");

  ASSERT_TRUE(client->SetClientCertificate(Certs().client_cert, Certs().client_key).ok());
  auto first = SendAndWait(*client, Get("whoami"));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->body, "agent-1 1234ABCD");
  EXPECT_EQ(client->connections_opened(), 2u);

  ASSERT_TRUE(client->SetClientCertificate(Certs().client2_cert, Certs().client2_key).ok());
  auto second = SendAndWait(*client, Get("whoami"));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->body, "agent-2 0BEEF0");
  auto again = SendAndWait(*client, Get("whoami"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(client->connections_opened(), 3u);
  EXPECT_EQ(server->accepted_connections(), 3u);
}

// The simulator's fleet: one client context (verification only), each
// agent's certificate set on its own connections.
TEST_F(NetTest, ClientsSharingOneContextEachPresentTheirOwnCertificate) {
  auto server = StartServer(TlsServer(true), WhoAmI());
  ASSERT_NE(server, nullptr);
  auto context = MakeClientTlsContext(VerifyingClient().tls);
  ASSERT_TRUE(context.ok()) << context.status().ToString();
  auto agent1 = TlsIdentity::FromPem(Certs().client_cert, Certs().client_key);
  auto agent2 = TlsIdentity::FromPem(Certs().client2_cert, Certs().client2_key);
  ASSERT_TRUE(agent1.ok() && agent2.ok());

  std::vector<std::unique_ptr<HttpsClient>> clients;
  for (int i = 0; i < 6; ++i) {
    ClientOptions options;
    options.shared_tls_context = *context;
    if (i % 3 == 1) options.identity = *agent1;
    if (i % 3 == 2) options.identity = *agent2;
    clients.push_back(MakeClient(BaseUrl(*server), options));
    ASSERT_NE(clients.back(), nullptr);
  }
  const char* expected[] = {"anonymous", "agent-1 1234ABCD", "agent-2 0BEEF0"};
  for (int round = 0; round < 2; ++round) {  // the second on kept-alive connections
    for (size_t i = 0; i < clients.size(); ++i) {
      auto response = SendAndWait(*clients[i], Get("whoami"));
      ASSERT_TRUE(response.ok()) << response.status().ToString();
      EXPECT_EQ(response->body, expected[i % 3]) << "client " << i;
    }
  }
  EXPECT_EQ(server->accepted_connections(), clients.size());
  // The identities went on the connections, never into the shared context.
  EXPECT_EQ(SSL_CTX_get0_certificate((*context)->native_handle()), nullptr);

  // A context that does not trust the server fails every client built on it.
  ClientOptions untrusting;
  untrusting.tls.ca_pem = Certs().other_ca_pem;
  auto other = MakeClientTlsContext(untrusting.tls);
  ASSERT_TRUE(other.ok());
  ClientOptions refused;
  refused.shared_tls_context = *other;
  refused.identity = *agent1;
  auto client = MakeClient(BaseUrl(*server), refused);
  auto response = SendAndWait(*client, Get("whoami"));
  ASSERT_FALSE(response.ok());
  EXPECT_NE(response.status().message().find("certificate verify failed"), std::string::npos)
      << response.status().message();
}

TEST_F(NetTest, AnIdentityWhoseKeyIsNotItsCertificatesIsRefused) {
  EXPECT_EQ(TlsIdentity::FromPem(Certs().client_cert, Certs().client2_key).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(TlsIdentity::FromPem("junk", Certs().client_key).status().code(), Status::Code::kInvalidArgument);
  auto no_key = TlsIdentity::FromPem(Certs().client_cert, "junk");
  EXPECT_EQ(no_key.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(no_key.status().message().find("junk"), std::string::npos);  // no key text in messages
}

TEST_F(NetTest, BadPemIsRejectedUpFront) {
  auto server = StartServer(TlsServer(true), WhoAmI());
  ASSERT_NE(server, nullptr);
  auto client = MakeClient(BaseUrl(*server));
  Status swap = client->SetClientCertificate("not a pem", Certs().client_key);
  EXPECT_EQ(swap.code(), Status::Code::kInvalidArgument);
  Status mismatch = client->SetClientCertificate(Certs().client_cert, Certs().client2_key);
  EXPECT_EQ(mismatch.code(), Status::Code::kInvalidArgument) << mismatch.ToString();

  ServerOptions bad;
  bad.tls = TlsServerConfig{"junk", "junk", ""};
  auto failed = HttpsServer::Start(pool_.context(), bad, WhoAmI());
  EXPECT_EQ(failed.status().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace cs::net::testing
