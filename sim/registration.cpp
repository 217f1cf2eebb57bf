// Simulator::RegisterAll: registering servers with the manager, as the real
// agent's `chroma-agent register` does: make a key and a CSR with CN = fqdn,
// POST them to <url>agent/register/<secret>/ without a client certificate,
// install the certificate the manager returns, then start the agent (on new
// connections that carry the certificate).
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <deque>
#include <future>

#include "crypto/server_dir.h"
#include "metrics/failure_reason.h"
#include "net/https_client.h"
#include "net/io_pool.h"
#include "net/tls_context.h"
#include "sim/simulator.h"
#include "util/json_parse.h"

namespace cs {

namespace asio = boost::asio;

namespace {

constexpr const char* kAgentVersion = "4.0.0-cluster-sim";

Status ExplainRegistrationFailure(int status, const std::string& body) {
  if (status == 403) {
    return Status::FailedPrecondition("the manager refused the registration token (unknown, exhausted, expired or cancelled)");
  }
  if (status == 400 && body.find("FQDN in use") != std::string::npos) {
    return Status::AlreadyExists("the manager already has a host with this fqdn");
  }
  if (status == 400) {
    return Status::InvalidArgument("the manager rejected the registration (400" +
                                   (body.empty() ? std::string(")") : ": " + body.substr(0, 200) + ")"));
  }
  return Status::Unavailable("registration answered with status " + std::to_string(status));
}

}  // namespace

// The registration POST, request to response: 201 is its only success.
void Simulator::RecordRegistration(WallTime sent_at, const Result<net::Response>& response) {
  const auto took = std::chrono::duration_cast<std::chrono::microseconds>(clock_.Now() - sent_at).count();
  std::string failure;
  if (!response.ok()) {
    failure = metrics::TransportFailure(response.status());
  } else if (response->status != 201) {
    failure = metrics::HttpFailure(response->status);
  }
  metrics_->Record(metrics::RequestKind::kRegister, took > 0 ? static_cast<uint64_t>(took) : 0, failure,
                   response.ok() ? response->body.size() : 0);
}

// Three hops, so that no io thread waits on the disk: the key and CSR are
// made on the file pool, the POST runs on the io pool, and the certificates
// are installed (fsynced) on the file pool again before the registration is
// committed to the store. The store says `registered` only once the files
// the agent needs are durable, so a crash between the two leaves the server
// unregistered here (as a crash before the manager's answer would).
void Simulator::RegisterOne(const std::string& fqdn, const std::string& secret, Json* answer,
                            std::function<void(Status)> done) {
  std::string nodename;
  {
    std::lock_guard<std::mutex> lock(store_->mutex());
    const Server* s = store_->world().servers.Find(fqdn);
    if (!s) return done(Status::NotFound("no server " + fqdn));
    if (s->power_state != PowerState::kRunning) {
      return done(Status::FailedPrecondition(fqdn + " is " + PowerStateName(s->power_state) +
                                             ": none of its PSUs are powered?"));
    }
    nodename = s->nodename;
  }
  asio::post(file_pool_->context(), [this, fqdn, secret, nodename, answer, done = std::move(done)]() mutable {
    crypto::ServerCryptoDir dir(options_.config_dir, fqdn);
    auto key = dir.EnsureKey(options_.key_type);
    if (!key.ok()) return done(key.status());
    auto csr = dir.MakeCsr(*key);
    if (!csr.ok()) return done(csr.status());
    asio::post(pool_->context(), [this, fqdn, secret, nodename, csr = std::move(*csr), key = std::move(*key), answer,
                                  done = std::move(done)]() mutable {
      PostRegistration(fqdn, secret, nodename, csr, std::move(key), answer, std::move(done));
    });
  });
}

void Simulator::PostRegistration(const std::string& fqdn, const std::string& secret, const std::string& nodename,
                                 const std::string& csr, crypto::PrivateKey key, Json* answer,
                                 std::function<void(Status)> done, int attempt) {
  net::ClientOptions client_options;
  // The fleet's client context (verification only), not one per registration.
  auto context = ClientContextFor(options_.insecure ? std::string() : ca_pem_);
  if (!context.ok()) return done(context.status());
  client_options.shared_tls_context = std::move(*context);
  client_options.use_cookies = false;
  auto created = net::HttpsClient::Create(pool_->context(), agent_url_, client_options);
  if (!created.ok()) return done(created.status());
  std::shared_ptr<net::HttpsClient> client = std::move(*created);

  net::ClientRequest request;
  request.method = "POST";
  request.target = "register/" + secret + "/";
  request.headers.Set("Content-Type", "application/json");
  request.body = Json{{"address", nullptr},
                      {"fqdn", fqdn},
                      {"nodename", nodename},
                      {"capabilities", Json::array({"manage_targets"})},
                      {"version", kAgentVersion},
                      {"csr", csr}}
                     .dump();
  request.timeout = std::chrono::seconds(60);
  const WallTime sent_at = clock_.Now();
  client->Send(std::move(request), [this, fqdn, secret, nodename, csr, key = std::move(key), client, answer, done,
                                     sent_at, attempt](Result<net::Response> response) mutable {
    // Destroy the client off its own callback.
    asio::post(pool_->context(), [client] {});
    RecordRegistration(sent_at, response);
    if (!response.ok() && net::RequestNeverSent(response.status()) && attempt < kRegistrationAttempts) {
      // The manager never had it (no token credit spent): the same CSR again.
      options_.log->Warning(fqdn, "registration not sent (" + response.status().message() + "); trying again");
      auto timer = std::make_shared<asio::steady_timer>(pool_->context(), std::chrono::seconds(1 << (attempt - 1)));
      timer->async_wait([this, timer, fqdn, secret, nodename, csr, key = std::move(key), answer,
                         done = std::move(done), attempt](const boost::system::error_code&) mutable {
        PostRegistration(fqdn, secret, nodename, csr, std::move(key), answer, std::move(done), attempt + 1);
      });
      return;
    }
    if (!response.ok()) return done(response.status());
    if (response->status != 201) return done(ExplainRegistrationFailure(response->status, response->body));
    Json body = ParseUntrustedJsonOrDiscarded(response->body);
    if (!body.is_object() || !body.contains("certificate") || !body["certificate"].is_string()) {
      return done(Status::InvalidArgument("the manager's registration answer has no certificate"));
    }
    asio::post(file_pool_->context(), [this, fqdn, body = std::move(body), key = std::move(key), answer,
                                       done = std::move(done)]() mutable {
      InstallRegistration(fqdn, std::move(body), key, answer, std::move(done));
    });
  });
}

// On the file pool: the certificates made durable, then the registration
// committed (group commit: registrations that finish together share one
// fsync of the store). The agent's TLS is built here from the key and
// certificate in memory, as its files would give it (AgentTlsFor).
void Simulator::InstallRegistration(const std::string& fqdn, Json body, const crypto::PrivateKey& key, Json* answer,
                                    std::function<void(Status)> done) {
  crypto::ServerCryptoDir dir(options_.config_dir, fqdn);
  // The manager's CA: --ca when given, else the one the manager hands out,
  // which later connections are verified against.
  std::string ca_pem = ca_pem_;
  if (ca_pem_.empty() && body.value("authority", Json()).is_string()) ca_pem = body["authority"].get<std::string>();
  if (!ca_pem.empty()) {
    auto authority = AuthorityFrom(ca_pem);
    if (!authority.ok()) return done(authority.status().Context("installing authority certificate for " + fqdn));
    Status installed = dir.InstallAuthority(authority->first);
    if (!installed.ok()) return done(installed.Context("installing authority certificate for " + fqdn));
    if (ca_pem_.empty()) ca_pem = authority->second;  // the text of authority.crt, as AgentTlsFor reads it
  }
  // Last: its directory fsync also makes the key's and the authority's
  // renames durable (the same directory).
  auto cert = dir.InstallCertificate(body["certificate"].get<std::string>(), key);
  if (!cert.ok()) return done(cert.status());
  // No CA known here (and verification on): the agent's start finds it as
  // AgentTlsFor does.
  std::optional<agent::AgentTls> tls;
  if (options_.insecure || !ca_pem.empty()) {
    auto context = ClientContextFor(options_.insecure ? std::string() : ca_pem);
    auto identity = net::TlsIdentity::FromParsed(cert->get(), key.get());
    if (context.ok() && identity.ok()) tls = agent::AgentTls{std::move(*context), std::move(*identity)};
  }
  std::optional<int64_t> host_id;
  if (body.contains("host_id") && body["host_id"].is_number_integer()) host_id = body["host_id"].get<int64_t>();
  *answer = std::move(body);
  answer->erase("certificate");
  answer->erase("authority");
  store_->ApplyAsync(
      [&](World& w) {
        Server* s = w.servers.Mutable(fqdn);
        if (!s) return Status::NotFound("no server " + fqdn);
        s->registered = true;
        s->host_id = host_id;
        return Status::Ok();
      },
      [this, fqdn, done, tls = std::move(tls)](Status saved) {
        asio::post(pool_->context(), [this, fqdn, done, tls, saved] {
          if (saved.ok() && tls) KeepRegisteredTls(fqdn, *tls);
          done(saved);
        });
      });
}

std::vector<RegistrationResult> Simulator::RegisterAll(
    const std::string& server_secret, const std::string& worker_secret,
    const std::function<void(const RegistrationResult&, size_t done, size_t total)>& progress) {
  std::vector<std::pair<std::string, std::string>> work;  // fqdn, secret
  std::vector<std::string> already;
  {
    std::lock_guard<std::mutex> lock(store_->mutex());
    for (const auto& [fqdn, s] : store_->world().servers.all()) {
      if (s.registered) {
        already.push_back(fqdn);
      } else {
        work.emplace_back(fqdn, s.worker ? worker_secret : server_secret);
      }
    }
  }
  // Servers registered before just start, as the original's register did.
  for (const auto& fqdn : already) {
    if (AgentRunning(fqdn)) continue;
    Status s = StartAgent(fqdn);
    if (!s.ok()) options_.log->Warning(fqdn, "not started: " + s.message());
  }
  std::promise<std::vector<RegistrationResult>> finished;
  auto results = finished.get_future();
  RegisterEach(std::move(work), progress,
               [&finished](std::vector<RegistrationResult> r) { finished.set_value(std::move(r)); });
  return results.get();
}

void Simulator::RegisterServers(std::vector<std::string> fqdns, std::string secret,
                                std::function<void(std::vector<RegistrationResult>)> done) {
  std::vector<std::pair<std::string, std::string>> work;
  for (auto& fqdn : fqdns) work.emplace_back(std::move(fqdn), secret);
  RegisterEach(std::move(work), nullptr, std::move(done));
}

// Registers each (fqdn, secret), max_registrations_in_flight at a time, and
// starts each agent as soon as its certificate is installed. Asynchronous:
// `done` gets every outcome once the last is known.
void Simulator::RegisterEach(std::vector<std::pair<std::string, std::string>> work,
                             RegistrationProgress progress,
                             std::function<void(std::vector<RegistrationResult>)> done) {
  struct Batch {
    std::mutex mu;
    std::deque<std::pair<std::string, std::string>> queue;
    size_t in_flight = 0;
    size_t total = 0;
    std::vector<RegistrationResult> results;
    RegistrationProgress progress;
    std::function<void(std::vector<RegistrationResult>)> done;
    std::function<void()> launch_more;  // called with mu held
  };
  auto batch = std::make_shared<Batch>();
  batch->queue.assign(work.begin(), work.end());
  batch->total = work.size();
  batch->progress = std::move(progress);
  batch->done = std::move(done);
  if (work.empty()) {
    asio::post(pool_->context(), [batch] { batch->done({}); });
    return;
  }
  std::weak_ptr<Batch> weak = batch;
  batch->launch_more = [this, weak] {
    auto b = weak.lock();
    if (!b) return;
    while (b->in_flight < options_.max_registrations_in_flight && !b->queue.empty()) {
      auto [fqdn, secret] = b->queue.front();
      b->queue.pop_front();
      ++b->in_flight;
      asio::post(pool_->context(), [this, b, fqdn = fqdn, secret = secret] {
        auto answer = std::make_shared<Json>();
        RegisterOne(fqdn, secret, answer.get(), [this, b, fqdn, answer](Status status) {
          if (status.ok()) {
            options_.log->Info(fqdn, "registered");
            Status started = StartAgent(fqdn);
            if (!started.ok()) options_.log->Warning(fqdn, "agent not started: " + started.message());
          } else {
            options_.log->Error(fqdn, "registration failed: " + status.message());
          }
          std::unique_lock<std::mutex> lock(b->mu);
          b->results.push_back(RegistrationResult{fqdn, status, status.ok() ? *answer : Json()});
          --b->in_flight;
          if (b->progress) b->progress(b->results.back(), b->results.size(), b->total);
          if (b->results.size() == b->total) {
            auto results = std::move(b->results);
            auto finished = std::move(b->done);
            lock.unlock();
            finished(std::move(results));
            return;
          }
          b->launch_more();
        });
      });
    }
  };
  std::lock_guard<std::mutex> lock(batch->mu);
  batch->launch_more();
}

}  // namespace cs
