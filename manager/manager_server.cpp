#include "manager/manager_server.h"

#include <unistd.h>

#include <iostream>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "crypto/authority.h"
#include "crypto/files.h"
#include "manager/agent_endpoints.h"
#include "manager/agent_sessions.h"
#include "manager/host_queues.h"
#include "manager/host_reports.h"
#include "manager/job_runner.h"
#include "manager/copytool_store.h"
#include "manager/log_store.h"
#include "manager/rx_queues.h"
#include "manager/system_status.h"
#include "manager/volumes.h"
#include "manager/lustre_jobs.h"
#include "manager/manager_store.h"
#include "manager/rest_api.h"
#include "manager/users.h"
#include "net/https_server.h"
#include "net/tls_context.h"
#include "util/log_escape.h"

namespace cs::manager {

namespace {

// Loads <dir>/server.key + server.crt, or makes them with the CA.
Result<net::TlsServerConfig> ServerTls(const std::string& dir, const crypto::CertificateAuthority& ca) {
  const std::string key_path = dir + "/server.key";
  const std::string cert_path = dir + "/server.crt";
  if (!crypto::FileExists(key_path) || !crypto::FileExists(cert_path)) {
    Result<crypto::PrivateKey> key = crypto::PrivateKey::Generate();
    if (!key.ok()) return key.status();
    // localhost and 127.0.0.1 always; the machine's name too, for a
    // manager listening beyond loopback.
    crypto::ServerCertOptions names;
    char hostname[256] = {};
    if (gethostname(hostname, sizeof hostname - 1) == 0 && hostname[0] != '\0' &&
        std::string(hostname) != "localhost") {
      names.dns_names.push_back(hostname);
    }
    Result<crypto::IssuedCertificate> cert = ca.IssueServerCertificate(*key, names);
    if (!cert.ok()) return cert.status();
    CS_RETURN_IF_ERROR(key->Save(key_path));
    CS_RETURN_IF_ERROR(crypto::WriteFileAtomic(cert_path, cert->pem, 0644));
  }
  Result<std::string> key = crypto::ReadSmallFile(key_path);
  if (!key.ok()) return key.status();
  Result<std::string> cert = crypto::ReadSmallFile(cert_path);
  if (!cert.ok()) return cert.status();
  return net::TlsServerConfig{*cert, *key, ca.certificate().ToPem()};
}

// Times as microseconds since the epoch: the benchmarks subtract them.
Json MicrosOrNull(const std::optional<WallTime>& t) {
  return t ? Json(t->time_since_epoch().count()) : Json();
}

Json SessionStatsJson(const HostSessionStats& s) {
  Json sessions = Json::object();
  for (const HostSessionStats::Plugin& p : s.sessions) {
    sessions[p.plugin] = {{"data_messages", p.data_messages}, {"last_data_us", MicrosOrNull(p.last_data)}};
  }
  return Json{{"fqdn", s.fqdn},
              {"reachable", s.reachable},
              {"times_unreachable", s.times_unreachable},
              {"sessions", std::move(sessions)}};
}

}  // namespace

struct ManagerServer::Impl {
  Impl(boost::asio::io_context& io_context, ManagerOptions opts,
       crypto::CertificateAuthority authority, Users u, std::unique_ptr<ManagerStore> s)
      : io(io_context),
        options(std::move(opts)),
        ca(std::move(authority)),
        users(std::move(u)),
        store(std::move(s)),
        queues(io, options.long_poll,
               [this](const std::string& fqdn, const protocol::Message& m) {
                 return sessions.IsCurrent(fqdn, m.plugin, m.session_id);
               }),
        reports(*store),
        volumes(*store, reports),
        jobs(io, *store,
             [this](const std::string& fqdn, const Json& body) {
               std::optional<std::string> session = sessions.Get(fqdn, "action_runner");
               if (!session) return false;
               queues.Send(fqdn, protocol::Message::Data("action_runner", *session, std::nullopt, body, fqdn));
               return true;
             },
             [this](const std::string& fqdn, const std::string& action_id) {
               return queues.Withdraw(fqdn, [&](const protocol::Message& m) {
                 return m.type == protocol::MessageType::kData && m.plugin == "action_runner" &&
                        m.body.is_object() && m.body.value("id", "") == action_id;
               });
             },
             options.step_timeout, options.session_wait),
        lustre(*store, reports, jobs),
        agent(*store, sessions, queues, ca, clock, AgentHooks()),
        api(*store, users, clock, ApiHooks()),
        rx(options.rx_throttle_per_second),
        sweep(io),
        contact_flush(io) {}

  AgentEndpoints::Hooks AgentHooks() {
    AgentEndpoints::Hooks h;
    h.on_registered = [this](const HostRecord& host) -> int64_t {
      if (!options.set_up_hosts) return 0;
      Result<int64_t> id = lustre.SetUpHost(host);
      return id.ok() ? *id : 0;
    };
    // Each DATA message goes through its plugin's receive queue.
    h.on_data = [this](const std::string& fqdn, protocol::Message&& m) {
      rx.Publish(RxQueues::QueueName(m.plugin), [this, fqdn, plugin = m.plugin, body = std::move(m.body)] {
        try {
          Consume(fqdn, plugin, body);
        } catch (const std::exception& e) {
          std::cerr << EscapeForLog("manager: dropped a " + plugin + " message from " + fqdn +
                                        " it cannot use: " + e.what(), kMaxLogText)
                    << std::endl;
        }
      });
    };
    h.accepting = [this] { return !rx.Full(); };
    h.on_bad_message = [](const std::string& fqdn, const std::string& plugin, const std::string& why) {
      std::cerr << EscapeForLog("manager: dropped a " + plugin + " message from " + fqdn + " it cannot use: " + why,
                                kMaxLogText)
                << std::endl;
    };
    h.on_session_created = [this](const std::string& fqdn, const std::string& plugin) {
      jobs.OnSessionCreated(fqdn, plugin);
    };
    h.on_session_gone = [this](const std::string& fqdn, const std::string& plugin, SessionEnd why) {
      jobs.OnSessionGone(fqdn, plugin, why);
    };
    h.on_copytool_events = [this](const std::string& fqdn, const Json& body) { return copytools->Accept(fqdn, body); };
    return h;
  }

  void Consume(const std::string& fqdn, const std::string& plugin, const Json& body) {
    if (plugin == "action_runner") {
      jobs.OnActionRunnerData(fqdn, body);
    } else if (plugin == "systemd_journal") {
      if (logs) {
        Status s = logs->Stage(fqdn, body);  // written by the queue's flush (Start)
        if (!s.ok()) throw std::runtime_error(s.message());
      }
    } else {
      reports.OnData(fqdn, plugin, body);
    }
  }

  RestApi::Hooks ApiHooks() {
    RestApi::Hooks h;
    h.create_filesystem = [this](const Json& request) -> Result<Json> {
      Result<Json> resolved = volumes.ResolveVolumeIds(request);
      if (!resolved.ok()) return resolved.status();
      return lustre.CreateFilesystem(*resolved);
    };
    h.system_status = [this] {
      std::vector<QueueFigures> figures = rx.Figures();
      figures.push_back(jobs.QueueFiguresNow());
      return SystemStatusJson(figures);
    };
    h.list_volumes = [this] { return volumes.List(); };
    h.remove_host = [this](int64_t id) -> Status {
      std::optional<HostRecord> host = store->HostById(id);
      if (!host) return Status::NotFound("no host " + std::to_string(id));
      jobs.OnHostRemoved(host->fqdn);  // before Forget, so a running action's cancel still goes out
      agent.Forget(host->fqdn);
      return store->RemoveHost(id);
    };
    h.target_action = [this](int64_t id, const std::string& verb) { return lustre.TargetAction(id, verb); };
    h.host_action = [this](int64_t id, const std::string& action, const Json& args) {
      return lustre.HostAction(id, action, args);
    };
    h.set_conf_param = [this](int64_t id, const std::string& key, const Json& value) {
      return lustre.SetConfParam(id, key, value);
    };
    h.cancel_command = [this](int64_t id) { return jobs.Cancel(id); };
    h.outlets_changed = [this](const std::set<int64_t>& host_ids) { lustre.OutletsChanged(host_ids); };
    h.session_stats = [this] {
      std::vector<Json> out;
      for (const HostSessionStats& s : sessions.Stats()) out.push_back(SessionStatsJson(s));
      return out;
    };
    h.list_copytools = [this] { return copytools->List(); };
    h.list_logs = [this](const net::QueryParams& query) -> Result<Json> {
      Result<LogQuery> q = ParseLogQuery(query);
      if (!q.ok()) return q.status();
      return logs->List(*q);
    };
    return h;
  }

  void Handle(const net::Request& request, net::Respond respond) {
    const std::string path = CollapseSlashes(request.path);
    static const std::string kRegister = "/agent/register/";
    if (path.rfind(kRegister, 0) == 0) {
      std::string secret = path.substr(kRegister.size());
      if (!secret.empty() && secret.back() == '/') secret.pop_back();
      bool word = !secret.empty() && secret.size() <= 128;
      for (char c : secret) word = word && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
      if (!word) return respond(JsonError(404, "the registration URL is agent/register/<secret>/"));
      return agent.Register(request, secret, std::move(respond));
    }
    if (path == "/agent/message/") return agent.Message(request, std::move(respond));
    if (path == "/agent/copytool_event/") return agent.CopytoolEvent(request, std::move(respond));
    if (path.rfind("/api/", 0) == 0) return api.Handle(request, path.substr(5), std::move(respond));
    respond(JsonError(404, "no such path: " + path));
  }

  void ArmSweep() {
    sweep.expires_after(options.sweep_interval);
    sweep.async_wait([this](const boost::system::error_code& ec) {
      if (ec || stopped) return;
      agent.ExpireSilent(std::chrono::duration_cast<std::chrono::microseconds>(options.contact_timeout));
      ArmSweep();
    });
  }

  void ArmContactFlush() {
    contact_flush.expires_after(options.contact_flush_interval);
    contact_flush.async_wait([this](const boost::system::error_code& ec) {
      if (ec || stopped) return;
      (void)store->FlushContacts();  // a failure keeps them for the next try
      ArmContactFlush();
    });
  }

  boost::asio::io_context& io;
  ManagerOptions options;
  SystemClock clock;
  crypto::CertificateAuthority ca;
  Users users;
  std::unique_ptr<ManagerStore> store;
  AgentSessions sessions;
  HostQueues queues;
  HostReports reports;
  Volumes volumes;
  JobRunner jobs;
  LustreJobs lustre;
  AgentEndpoints agent;
  RestApi api;
  std::unique_ptr<LogStore> logs;  // set by Start before serving
  std::unique_ptr<CopytoolStore> copytools;  // set by Start before serving
  // After everything its consumer calls, so that it ends first.
  RxQueues rx;
  boost::asio::steady_timer sweep;
  boost::asio::steady_timer contact_flush;
  std::unique_ptr<net::HttpsServer> server;
  std::atomic<bool> stopped{false};
};

Result<std::unique_ptr<ManagerServer>> ManagerServer::Start(boost::asio::io_context& io,
                                                            ManagerOptions options) {
  CS_RETURN_IF_ERROR(crypto::EnsureDirectory(options.dir, 0700));
  Result<crypto::CertificateAuthority> ca = crypto::CertificateAuthority::LoadOrCreate(options.dir);
  if (!ca.ok()) return ca.status().Context("manager CA in " + options.dir);
  Result<net::TlsServerConfig> tls = ServerTls(options.dir, *ca);
  if (!tls.ok()) return tls.status().Context("manager server certificate");
  Result<Users> users = Users::LoadOrCreate(options.dir + "/users.json");
  if (!users.ok()) return users.status();
  Result<std::unique_ptr<ManagerStore>> store = ManagerStore::Open(options.dir + "/manager.db");
  if (!store.ok()) return store.status();

  Result<std::unique_ptr<LogStore>> logs = LogStore::Open(options.dir + "/log.db");
  if (!logs.ok()) return logs.status();

  Result<std::unique_ptr<CopytoolStore>> copytools = CopytoolStore::Open(options.dir + "/copytools.db");
  if (!copytools.ok()) return copytools.status();

  auto impl = std::make_unique<Impl>(io, options, std::move(*ca), std::move(*users), std::move(*store));
  impl->logs = std::move(*logs);
  // The journal's messages stage their lines; each run the queue consumes
  // is written in one transaction (log_store.h).
  impl->rx.SetFlush(RxQueues::QueueName("systemd_journal"), [logs = impl->logs.get()] {
    Status s = logs->Flush();
    if (!s.ok()) std::cerr << EscapeForLog("manager: journal lines lost: " + s.message(), kMaxLogText) << std::endl;
  });
  impl->copytools = std::move(*copytools);
  for (const HostRecord& h : impl->store->Hosts()) impl->sessions.KnowHost(h.fqdn, h.boot_time);
  impl->jobs.FailInterrupted();

  net::ServerOptions server_options;
  server_options.address = options.address;
  server_options.port = options.port;
  server_options.tls = *tls;
  server_options.max_body_bytes = options.max_body_bytes;
  // A long poll must not be cut by the idle timer of the connection.
  server_options.write_timeout = std::chrono::milliseconds(30000);
  Impl* raw = impl.get();
  Result<std::unique_ptr<net::HttpsServer>> server = net::HttpsServer::Start(
      io, server_options,
      [raw](const net::Request& request, net::Respond respond) { raw->Handle(request, std::move(respond)); });
  if (!server.ok()) return server.status().Context("listening on " + options.address + ":" + std::to_string(options.port));
  impl->server = std::move(*server);
  impl->ArmSweep();
  impl->ArmContactFlush();
  return std::unique_ptr<ManagerServer>(new ManagerServer(std::move(impl)));
}

ManagerServer::ManagerServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ManagerServer::~ManagerServer() {
  Stop();
  (void)impl_->store->FlushContacts();  // contacts of requests that ended after Stop()
}

void ManagerServer::Stop() {
  if (impl_->stopped.exchange(true)) return;
  impl_->server->Stop();
  impl_->rx.Stop();
  impl_->queues.Stop();
  impl_->jobs.Stop();
  impl_->sweep.cancel();
  impl_->contact_flush.cancel();
  (void)impl_->store->FlushContacts();
}

uint16_t ManagerServer::port() const { return impl_->server->port(); }
std::string ManagerServer::url() const {
  return "https://localhost:" + std::to_string(port()) + "/";
}
std::string ManagerServer::ca_path() const { return impl_->options.dir + "/ca.crt"; }
ManagerStore& ManagerServer::store() { return *impl_->store; }
JobRunner& ManagerServer::jobs() { return impl_->jobs; }

}  // namespace cs::manager
