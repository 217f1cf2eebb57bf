#include "manager/agent_endpoints.h"

#include <exception>

#include "crypto/csr.h"
#include "util/json_parse.h"

namespace cs::manager {

using protocol::MessageType;

net::Response JsonError(int status, const std::string& text) {
  return net::Response::Json(status, Json{{"error", text}}.dump());
}

namespace {
net::Response Empty(int status) { return net::Response{status, {}, ""}; }

bool IsText(const Json& j, const char* key) { return j.contains(key) && j[key].is_string(); }
}  // namespace

AgentEndpoints::AgentEndpoints(ManagerStore& store, AgentSessions& sessions, HostQueues& queues,
                               const crypto::CertificateAuthority& ca, const Clock& clock,
                               Hooks hooks)
    : store_(store), sessions_(sessions), queues_(queues), ca_(ca), clock_(clock),
      hooks_(std::move(hooks)) {}

void AgentEndpoints::Register(const net::Request& request, const std::string& secret,
                              net::Respond respond) {
  if (request.method != "POST") return respond(JsonError(405, "registration is a POST"));
  // The credit is spent before anything else is looked at, as the original
  // did: a malformed request still costs its token a credit.
  TokenProblem problem;
  Result<TokenRecord> token = store_.SpendToken(secret, clock_.Now(), &problem);
  if (!token.ok() || problem != TokenProblem::kNone) return respond(Empty(403));

  const Json body = ParseUntrustedJsonOrDiscarded(request.body);
  if (body.is_discarded() || !body.is_object()) {
    return respond(JsonError(400, "the registration body must be a JSON object"));
  }
  for (const char* key : {"fqdn", "nodename", "csr"}) {
    if (!IsText(body, key)) return respond(JsonError(400, std::string("missing text '") + key + "'"));
  }
  const std::string fqdn = body["fqdn"].get<std::string>();
  Result<crypto::Csr> csr = crypto::ParseAndVerifyCsr(body["csr"].get<std::string>());
  if (!csr.ok()) return respond(JsonError(400, "bad csr: " + csr.status().message()));
  // Terse, as the original: no hint for someone asking for another's name.
  if (csr->common_name() != fqdn) return respond(Empty(400));
  if (store_.HostByFqdn(fqdn)) {
    return respond(net::Response::Json(400, Json{{"fqdn", {"FQDN in use"}}}.dump()));
  }
  // The CSR parsed and verified above, not decoded again.
  Result<crypto::IssuedCertificate> cert = ca_.IssueClientCertificate(*csr);
  if (!cert.ok()) return respond(JsonError(400, "cannot sign the csr: " + cert.status().message()));

  HostRecord host;
  host.fqdn = fqdn;
  host.nodename = body["nodename"].get<std::string>();
  host.address = IsText(body, "address") ? body["address"].get<std::string>() : fqdn;
  host.cert_serial = cert->serial_hex;
  host.profile = token->profile;
  host.state = "registered";
  Result<HostRecord> added = store_.AddHost(host);
  if (!added.ok()) {
    if (added.status().code() == Status::Code::kAlreadyExists) {
      return respond(net::Response::Json(400, Json{{"fqdn", {"FQDN in use"}}}.dump()));
    }
    return respond(JsonError(500, added.status().message()));
  }
  sessions_.KnowHost(fqdn, "");
  const int64_t command_id = hooks_.on_registered ? hooks_.on_registered(*added) : 0;
  // "authority" is ours (the real manager did not send it): the CA that
  // signs the manager's certificate, for agents that registered without
  // --ca to verify the manager from then on.
  respond(net::Response::Json(201, Json{{"certificate", cert->pem},
                                        {"host_id", added->id},
                                        {"command_id", command_id},
                                        {"authority", ca_.certificate_pem()}}
                                       .dump()));
}

std::optional<HostRecord> AgentEndpoints::Authenticate(const net::Request& request) {
  const net::PeerCertificate& cert = request.peer_cert;
  if (!cert.presented || !cert.verified) return std::nullopt;
  return store_.HostBySerial(cert.serial_hex);
}

void AgentEndpoints::Message(const net::Request& request, net::Respond respond) {
  std::optional<HostRecord> host = Authenticate(request);
  if (!host) return respond(Empty(403));
  if (request.method == "POST") return Post(*host, request, std::move(respond));
  if (request.method == "GET") return Get(*host, request, std::move(respond));
  respond(JsonError(405, "agent/message/ takes GET and POST"));
}

void AgentEndpoints::CopytoolEvent(const net::Request& request, net::Respond respond) {
  std::optional<HostRecord> host = Authenticate(request);
  if (!host) return respond(Empty(403));
  if (request.method != "POST") return respond(JsonError(405, "agent/copytool_event/ takes POST"));
  if (!hooks_.on_copytool_events) return respond(JsonError(404, "this manager takes no copytool events"));
  Result<Json> parsed = ParseUntrustedJson(request.body);
  if (!parsed.ok()) return respond(JsonError(400, parsed.status().message()));
  if (parsed->is_object() && parsed->contains("fqdn") && (*parsed)["fqdn"] != host->fqdn) {
    return respond(net::Response::Text(400, "Incorrect client name"));
  }
  Result<Json> answer = hooks_.on_copytool_events(host->fqdn, *parsed);
  if (!answer.ok()) {
    const int status = answer.status().code() == Status::Code::kInvalidArgument ? 400 : 500;
    return respond(net::Response::Text(status, answer.status().message()));
  }
  respond(net::Response::Json(200, answer->dump()));
}

void AgentEndpoints::Post(const HostRecord& host, const net::Request& request,
                          net::Respond respond) {
  if (hooks_.accepting && !hooks_.accepting()) return respond(JsonError(503, "the manager is backed up; send again later"));
  JsonLimits limits;
  limits.refuse_duplicate_keys = false;  // bulk reports: see JsonLimits
  Result<Json> parsed = ParseUntrustedJson(request.body, limits);
  if (!parsed.ok()) return respond(JsonError(400, parsed.status().message()));
  const Json& body = *parsed;
  Result<protocol::Envelope> envelope = protocol::Envelope::FromJson(body);
  if (!envelope.ok()) return respond(JsonError(400, envelope.status().message()));
  for (const protocol::Message& m : envelope->messages) {
    if (m.fqdn != host.fqdn) return respond(net::Response::Text(400, "Incorrect client name"));
  }
  const WallTime now = clock_.Now();
  const ContactResult contact = sessions_.Contact(host.fqdn, std::nullopt, std::nullopt, now);
  if (contact.became_reachable) (void)store_.SetHostReachable(host.fqdn, true);

  for (protocol::Message& m : envelope->messages) {
    if (m.type == MessageType::kData) {
      if (sessions_.IsCurrent(host.fqdn, m.plugin, m.session_id)) {
        sessions_.CountData(host.fqdn, m.plugin, now);
        DeliverData(host.fqdn, std::move(m));
      } else {
        queues_.Send(host.fqdn, protocol::Message::SessionTerminate(m.plugin, host.fqdn));
      }
    } else if (m.type == MessageType::kSessionCreateRequest) {
      std::optional<std::string> replaced;
      const std::string id = sessions_.Create(host.fqdn, m.plugin, &replaced, envelope->client_start_time);
      if (replaced && hooks_.on_session_gone) hooks_.on_session_gone(host.fqdn, m.plugin, SessionEnd::kReplaced);
      queues_.Barrier(host.fqdn, envelope->client_start_time);
      queues_.Send(host.fqdn, protocol::Message::SessionCreateResponse(m.plugin, id, host.fqdn));
      if (hooks_.on_session_created) hooks_.on_session_created(host.fqdn, m.plugin);
    }
    // Other types from an agent mean nothing to the manager (as before).
  }
  respond(Empty(200));
}

// A report the manager cannot make sense of (a record of a shape it does
// not expect) is that one message's problem: it is logged and dropped, and
// the rest of the envelope, the agent and every other host go on. Answering
// 500 would only make the agent send it again, forever.
void AgentEndpoints::DeliverData(const std::string& fqdn, protocol::Message&& m) {
  if (!hooks_.on_data) return;
  const std::string plugin = m.plugin;  // m is the hook's from here
  try {
    hooks_.on_data(fqdn, std::move(m));
  } catch (const std::exception& e) {
    if (hooks_.on_bad_message) hooks_.on_bad_message(fqdn, plugin, e.what());
  }
}

void AgentEndpoints::Get(const HostRecord& host, const net::Request& request,
                         net::Respond respond) {
  const std::optional<std::string> boot = request.QueryValue("server_boot_time");
  const std::optional<std::string> start = request.QueryValue("client_start_time");
  if (!boot || !start) {
    return respond(JsonError(400, "the query needs server_boot_time and client_start_time"));
  }
  const WallTime now = clock_.Now();
  const ContactResult contact = sessions_.Contact(host.fqdn, boot, start, now);
  (void)store_.SetLastContact(host.fqdn, FormatAgentTime(now));
  if (contact.became_reachable) (void)store_.SetHostReachable(host.fqdn, true);
  if (contact.boot_time_changed) {
    (void)store_.SetBootTime(host.fqdn, *boot, contact.rebooted, FormatAgentTime(now));
  }
  std::vector<protocol::Message> first;
  if (contact.terminate_all) {
    // Sessions of an earlier agent instance are over; those this instance
    // opened before its first GET arrived stay (the real manager never
    // dropped its side here either).
    for (const std::string& plugin : sessions_.DropAllBut(host.fqdn, *start)) {
      if (hooks_.on_session_gone) hooks_.on_session_gone(host.fqdn, plugin, SessionEnd::kAgentRestarted);
    }
    first.push_back(protocol::Message::SessionTerminateAll(host.fqdn));
  }
  queues_.Wait(host.fqdn, *start, std::move(first), std::move(respond));
}

void AgentEndpoints::EndSessions(const std::string& fqdn, bool tell_agent) {
  for (const std::string& plugin : sessions_.DropAll(fqdn)) {
    if (hooks_.on_session_gone) hooks_.on_session_gone(fqdn, plugin, SessionEnd::kEnded);
    if (tell_agent) queues_.Send(fqdn, protocol::Message::SessionTerminate(plugin, fqdn));
  }
}

void AgentEndpoints::ExpireSilent(std::chrono::microseconds timeout) {
  for (const std::string& fqdn : sessions_.ExpireSilent(clock_.Now(), timeout)) {
    (void)store_.SetHostReachable(fqdn, false);
    EndSessions(fqdn, true);
  }
}

}  // namespace cs::manager
