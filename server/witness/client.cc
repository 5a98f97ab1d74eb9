#include "server/witness/client.h"

namespace evident::server::witness {
namespace {

StatusOr<WitnessReply> ToWitnessReply(StatusOr<http::ClientReply> reply) {
  if (!reply.ok()) return reply.status();
  return WitnessReply{reply->status, std::move(reply->content_type), std::move(reply->body)};
}

}  // namespace

StatusOr<std::unique_ptr<WitnessClient>> WitnessClient::Create(WitnessClientOptions options) {
  auto url = http::ParseUrl(options.url);
  if (!url.ok()) return url.status().WithContext("witness URL");
  auto client = http::Client::Create({options.ca_file, options.timeout});
  if (!client.ok()) return client.status();
  return std::unique_ptr<WitnessClient>(
      new WitnessClient(std::move(url.value()), std::move(client.value())));
}

void WitnessClient::Submit(boost::asio::io_context& io, std::string body, Callback done) {
  client_->Fetch(io, url_, "POST", "/add-checkpoint", std::move(body), "text/plain",
                 [done = std::move(done)](StatusOr<http::ClientReply> reply) {
                   done(ToWitnessReply(std::move(reply)));
                 });
}

StatusOr<WitnessReply> WitnessClient::SubmitBlocking(std::string body) {
  return ToWitnessReply(
      client_->FetchBlocking(url_, "POST", "/add-checkpoint", std::move(body), "text/plain"));
}

}  // namespace evident::server::witness
