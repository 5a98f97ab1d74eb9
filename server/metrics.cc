#include "server/metrics.h"

#include <cstdio>

namespace evident::server {
namespace {

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

void Head(std::string* out, const char* name, const char* type, const char* help) {
  *out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void Sample(std::string* out, const std::string& name, double v) {
  *out += name + " " + Number(v) + "\n";
}

}  // namespace

std::string Label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

template <size_t N>
void Metrics::Histogram<N>::Observe(double v) {
  for (size_t i = 0; i < N; ++i) counts[i] += v <= bounds[i];
  ++count;
  sum += v;
}

template <size_t N>
void Metrics::Histogram<N>::Render(std::string* out, const char* name, const char* help) const {
  Head(out, name, "histogram", help);
  for (size_t i = 0; i < N; ++i) {
    Sample(out, std::string(name) + "_bucket{le=\"" + Number(bounds[i]) + "\"}", counts[i]);
  }
  Sample(out, std::string(name) + "_bucket{le=\"+Inf\"}", count);
  Sample(out, std::string(name) + "_sum", sum);
  Sample(out, std::string(name) + "_count", count);
}

void Metrics::AppendCommitted(size_t events, size_t fresh, double seconds) {
  ++append_requests_;
  appended_ += fresh;
  duplicates_ += events - fresh;
  std::lock_guard<std::mutex> lock(mu_);
  batch_events_.Observe(double(events));
  append_seconds_.Observe(seconds);
}

void Metrics::Refused(std::string_view reason) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = refused_.find(reason);
  if (it == refused_.end()) it = refused_.emplace(std::string(reason), 0).first;
  ++it->second;
}

void Metrics::SubscriberAt(uint64_t connection, const std::string& principal, uint64_t next) {
  std::lock_guard<std::mutex> lock(mu_);
  subscribers_[connection] = {principal, next};
}

void Metrics::SubscriberGone(uint64_t connection) {
  std::lock_guard<std::mutex> lock(mu_);
  subscribers_.erase(connection);
}

std::string Metrics::Render(uint64_t tree_size) const {
  std::string out;
  Head(&out, "evident_tree_size", "gauge", "Entries in the log (its Merkle tree's size).");
  Sample(&out, "evident_tree_size", double(tree_size));
  Head(&out, "evident_append_requests_total", "counter", "Append requests committed durably.");
  Sample(&out, "evident_append_requests_total", double(append_requests_.load()));
  Head(&out, "evident_appended_events_total", "counter",
       "Events appended: each signature verified, each event synced to disk.");
  Sample(&out, "evident_appended_events_total", double(appended_.load()));
  Head(&out, "evident_signatures_verified_total", "counter",
       "Event signatures verified in committed appends (new and duplicate events alike); its "
       "rate is the server's verify throughput.");
  Sample(&out, "evident_signatures_verified_total", double(appended_.load() + duplicates_.load()));
  Head(&out, "evident_duplicate_events_total", "counter",
       "Events sent again that the log held already (answered with their first position).");
  Sample(&out, "evident_duplicate_events_total", double(duplicates_.load()));
  Head(&out, "evident_connections_total", "counter", "Connections accepted.");
  Sample(&out, "evident_connections_total", double(connections_total_.load()));
  Head(&out, "evident_connections", "gauge", "Connections open now.");
  Sample(&out, "evident_connections", double(connections_open_.load()));
  std::lock_guard<std::mutex> lock(mu_);
  batch_events_.Render(&out, "evident_append_batch_events", "Events per append request.");
  append_seconds_.Render(&out, "evident_append_seconds",
                         "From an append request's arrival to its synced commit (signature "
                         "checks, the group commit, the fsync).");
  Head(&out, "evident_refused_requests_total", "counter", "Requests refused, by reason.");
  for (const auto& [reason, n] : refused_) {
    Sample(&out, "evident_refused_requests_total{reason=\"" + Label(reason) + "\"}", double(n));
  }
  Head(&out, "evident_subscribers", "gauge", "Subscriptions streaming now.");
  Sample(&out, "evident_subscribers", double(subscribers_.size()));
  Head(&out, "evident_subscriber_lag_entries", "gauge",
       "Entries in the log that a subscriber has not been sent yet.");
  for (const auto& [connection, s] : subscribers_) {
    const uint64_t lag = tree_size > s.next ? tree_size - s.next : 0;
    Sample(&out,
           "evident_subscriber_lag_entries{connection=\"c" + std::to_string(connection) +
               "\",principal=\"" + Label(s.principal) + "\"}",
           double(lag));
  }
  return out;
}

}  // namespace evident::server
