#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

// The server's counters, rendered in the Prometheus text exposition format
// (version 0.0.4) by the metrics endpoint. docs/operations.md lists every
// metric and what to alert on.
//
// Thread-safe: counters are atomics; the histograms and the subscriber
// table take a mutex each, held for a few instructions.
namespace evident::server {

// A label value, escaped as the exposition format wants (backslash, double
// quote and newline).
std::string Label(std::string_view v);

class Metrics {
 public:
  // A durable append of `events` (`fresh` of them new, the rest duplicates)
  // that took `seconds` from the request's arrival to its commit.
  void AppendCommitted(size_t events, size_t fresh, double seconds);
  // A request refused; `reason` is the wire ErrorCode's name.
  void Refused(std::string_view reason);
  void ConnectionOpened() { ++connections_total_, ++connections_open_; }
  void ConnectionClosed() { --connections_open_; }
  // A subscriber on connection `connection` has been sent every entry
  // before `next`; SubscriberGone when its subscription ends.
  void SubscriberAt(uint64_t connection, const std::string& principal, uint64_t next);
  void SubscriberGone(uint64_t connection);

  // The exposition text, with the log's size now.
  std::string Render(uint64_t tree_size) const;

 private:
  // Cumulative buckets, as Prometheus histograms are.
  template <size_t N>
  struct Histogram {
    std::array<double, N> bounds;
    std::array<uint64_t, N> counts{};
    uint64_t count = 0;
    double sum = 0;
    void Observe(double v);
    void Render(std::string* out, const char* name, const char* help) const;
  };

  std::atomic<uint64_t> append_requests_{0}, appended_{0}, duplicates_{0};
  std::atomic<uint64_t> connections_total_{0};
  std::atomic<int64_t> connections_open_{0};
  mutable std::mutex mu_;
  Histogram<9> batch_events_{{1, 2, 4, 8, 16, 32, 64, 128, 256}};
  Histogram<10> append_seconds_{{0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 2}};
  std::map<std::string, uint64_t, std::less<>> refused_;  // guarded by mu_
  struct Subscriber {
    std::string principal;
    uint64_t next = 0;
  };
  std::map<uint64_t, Subscriber> subscribers_;  // guarded by mu_
};

}  // namespace evident::server
