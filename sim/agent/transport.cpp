#include "sim/agent/transport.h"

#include "net/https_client.h"

namespace cs::agent {

namespace {

class HttpsTransport final : public AgentTransport {
 public:
  HttpsTransport(std::unique_ptr<net::HttpsClient> reader, std::unique_ptr<net::HttpsClient> writer,
                 HttpsTransportOptions options)
      : reader_(std::move(reader)), writer_(std::move(writer)), options_(std::move(options)) {}

  void Get(const std::string& query, TransportCallback done) override {
    net::ClientRequest request;
    request.method = "GET";
    request.target = "message/?" + query;
    request.timeout = options_.get_timeout;
    reader_->Send(std::move(request), std::move(done));
  }

  void Post(std::string body, TransportCallback done) override {
    net::ClientRequest request;
    request.method = "POST";
    request.target = options_.post_target;
    request.headers.Set("Content-Type", "application/json");
    request.body = std::move(body);
    request.timeout = options_.post_timeout;
    writer_->Send(std::move(request), std::move(done));
  }

  void Close() override {
    reader_->Close();
    writer_->Close();
  }

 private:
  std::unique_ptr<net::HttpsClient> reader_;
  std::unique_ptr<net::HttpsClient> writer_;
  HttpsTransportOptions options_;
};

}  // namespace

Result<std::unique_ptr<AgentTransport>> MakeHttpsTransport(boost::asio::io_context& io,
                                                           const HttpsTransportOptions& options) {
  net::ClientOptions client_options;
  client_options.shared_tls_context = options.tls.context;
  client_options.identity = options.tls.identity;
  client_options.use_cookies = false;
  client_options.user_agent = "cluster-sim-agent";
  auto reader = net::HttpsClient::Create(io, options.agent_url, client_options);
  if (!reader.ok()) return reader.status();
  auto writer = net::HttpsClient::Create(io, options.agent_url, client_options);
  if (!writer.ok()) return writer.status();
  return std::unique_ptr<AgentTransport>(
      new HttpsTransport(std::move(*reader), std::move(*writer), options));
}

}  // namespace cs::agent
