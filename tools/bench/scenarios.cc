#include "tools/bench/scenarios.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "ledger/coding.h"
#include "ledger/entry.h"
#include "ledger/ledger.h"
#include "ledger/parallel.h"
#include "ledger/storage.h"
#include "ledger/verify.h"
#include "server/client.h"
#include "server/server.h"
#include "server/tls.h"
#include "server/witness/local.h"
#include "server/witnessing.h"
#include "tools/bench/bench_data.h"
#include "tools/bench/postgres_peer.h"

namespace evident::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Runs fn(t) on `n` threads; the first error any of them returns.
template <typename Fn>
Status OnThreads(int n, const Fn& fn) {
  std::vector<Status> results(n);
  std::vector<std::thread> pool;
  for (int t = 0; t < n; ++t) pool.emplace_back([&, t] { results[t] = fn(t); });
  for (auto& t : pool) t.join();
  for (const Status& s : results) EVIDENT_RETURN_IF_ERROR(s);
  return Status::OK();
}

// A ledger served over loopback TLS in this process.
struct Served {
  std::unique_ptr<Ledger> ledger;
  server::TlsPair tls;
  std::unique_ptr<server::Server> server;

  server::ClientOptions Client() const {
    server::ClientOptions o;
    o.host = "localhost";
    o.port = server->port();
    o.trusted_cert_pem = tls.cert_pem;
    return o;
  }
};

StatusOr<std::unique_ptr<Served>> Serve(std::unique_ptr<Ledger> ledger) {
  auto served = std::make_unique<Served>();
  served->ledger = std::move(ledger);
  auto tls = server::MakeSelfSignedCertificate("localhost");
  if (!tls.ok()) return tls.status();
  served->tls = tls.value();
  server::ServerOptions options;
  options.cert_pem = served->tls.cert_pem;
  options.key_pem = served->tls.key_pem;
  options.log = [](const std::string&) {};
  auto started = server::Server::Start(served->ledger.get(), options);
  if (!started.ok()) return started.status();
  served->server = std::move(started.value());
  return served;
}

StatusOr<std::unique_ptr<Served>> ServeNewLedger(const ScenarioOptions& o,
                                                 std::optional<Keys>* keys) {
  auto loaded = LoadKeys(o.data_dir);
  if (!loaded.ok()) return loaded.status();
  keys->emplace(loaded.value());
  auto ledger = CreateLedger(o.ledger_dir, **keys);
  if (!ledger.ok()) return ledger.status();
  return Serve(std::move(ledger.value()));
}

using AppendFn = std::function<Status(const std::vector<SignedEvent>&)>;

AppendFn ThroughClient(server::Client* client) {
  return [client](const std::vector<SignedEvent>& events) {
    return client->Append(events).status();
  };
}

// Sends events from `reader` in requests of `per_request`, one request per
// `interval` from `start` until `until` (open loop), recording each
// request's latency from when it was due, so that a request sent late
// because the one before was slow counts its wait.
Status SendPaced(const AppendFn& append, EventReader* reader, size_t per_request,
                 Clock::time_point start, Clock::duration interval, Clock::time_point until,
                 std::atomic<uint64_t>* sent, std::vector<double>* latencies_ms) {
  std::vector<SignedEvent> events;
  for (uint64_t k = 0;; ++k) {
    const Clock::time_point due = start + k * interval;
    if (due >= until) return Status::OK();
    std::this_thread::sleep_until(due);
    if (!reader->Next(per_request, &events)) return Status::OK();
    EVIDENT_RETURN_IF_ERROR(append(events));
    *sent += events.size();
    if (latencies_ms != nullptr) {
      latencies_ms->push_back(std::chrono::duration<double, std::milli>(Clock::now() - due).count());
    }
  }
}

// Runs the data set in o.slices consecutive slices: slice(limit) appends
// until `limit` events in all have been taken (UINT64_MAX for the last
// slice: the rest) and returns how many it appended. Each slice is timed on
// its own, and o.pause runs between two of them.
StatusOr<Result> RunSlices(const ScenarioOptions& o,
                           const std::function<StatusOr<uint64_t>(uint64_t limit)>& slice) {
  auto total = DataSetCount(o.data_dir);
  if (!total.ok()) return total.status();
  const int k = std::max(1, o.slices);
  Result r;
  for (int s = 0; s < k; ++s) {
    if (s > 0 && o.pause) o.pause();
    const uint64_t limit = s + 1 == k ? UINT64_MAX : total.value() * uint64_t(s + 1) / uint64_t(k);
    const auto start = Clock::now();
    auto appended = slice(limit);
    if (!appended.ok()) return appended.status();
    r.slices.push_back({appended.value(), Since(start)});
    r.events += r.slices.back().events;
    r.seconds += r.slices.back().seconds;
  }
  return r;
}

// One sender per `appenders[t]`, sending system t % kSystems's events in
// requests of `per_request`. When `interval` is positive, paced for
// o.seconds (open loop, each request's latency recorded) and started spread
// over one interval, not all at once; otherwise as fast as each goes, every
// sender taking its share of each slice.
StatusOr<Result> RunSenders(const ScenarioOptions& o, const std::vector<AppendFn>& appenders,
                            size_t per_request, Clock::duration interval) {
  const int n = int(appenders.size());
  std::vector<std::unique_ptr<EventReader>> readers;
  for (int t = 0; t < n; ++t) {
    auto r = EventReader::Open(EventsPath(o.data_dir, t % kSystems));
    if (!r.ok()) return r.status();
    readers.push_back(std::move(r.value()));
  }
  if (interval.count() == 0) {
    std::vector<uint64_t> sent_by(n, 0);
    return RunSlices(o, [&](uint64_t limit) -> StatusOr<uint64_t> {
      const uint64_t share = limit == UINT64_MAX ? UINT64_MAX : limit / uint64_t(n);
      std::atomic<uint64_t> sent{0};
      EVIDENT_RETURN_IF_ERROR(OnThreads(n, [&](int t) {
        std::vector<SignedEvent> events;
        while (sent_by[t] < share && readers[t]->Next(per_request, &events)) {
          EVIDENT_RETURN_IF_ERROR(appenders[t](events));
          sent_by[t] += events.size();
          sent += events.size();
        }
        return Status::OK();
      }));
      return sent.load();
    });
  }
  std::atomic<uint64_t> sent{0};
  std::vector<std::vector<double>> latencies(n);
  const auto start = Clock::now();
  const auto until = start + std::chrono::duration_cast<Clock::duration>(
                                 std::chrono::duration<double>(o.seconds));
  Status s = OnThreads(n, [&](int t) {
    return SendPaced(appenders[t], readers[t].get(), per_request, start + interval * t / n,
                     interval, until, &sent, &latencies[t]);
  });
  if (!s.ok()) return s;
  Result r;
  r.seconds = Since(start);
  r.events = sent;
  for (auto& l : latencies) r.latencies_ms.insert(r.latencies_ms.end(), l.begin(), l.end());
  return r;
}

// `threads` clients of a served new ledger, client t logged in as system
// t % kSystems.
StatusOr<Result> AppendOverServer(const ScenarioOptions& o, size_t per_request,
                                  Clock::duration interval) {
  std::optional<Keys> keys;
  auto served = ServeNewLedger(o, &keys);
  if (!served.ok()) return served.status();
  std::vector<std::unique_ptr<server::Client>> clients;
  std::vector<AppendFn> appenders;
  for (int t = 0; t < o.threads; ++t) {
    auto c = server::Client::Connect(served.value()->Client(), keys->systems[t % kSystems]);
    if (!c.ok()) return c.status();
    clients.push_back(std::move(c.value()));
    appenders.push_back(ThroughClient(clients.back().get()));
  }
  return RunSenders(o, appenders, per_request, interval);
}

// The whole data set, kBatch events at a time in turn from every system,
// through append(thread, batch) on `threads` threads, in o.slices; `batch`
// may be moved from.
StatusOr<Result> DrainDataSet(const ScenarioOptions& o,
                              const std::function<Status(int, std::vector<SignedEvent>*)>& append) {
  auto events = SharedEvents::Open(o.data_dir);
  if (!events.ok()) return events.status();
  return RunSlices(o, [&](uint64_t limit) -> StatusOr<uint64_t> {
    std::atomic<uint64_t> appended{0};
    EVIDENT_RETURN_IF_ERROR(OnThreads(o.threads, [&](int t) {
      std::vector<SignedEvent> batch;
      while (events.value()->Next(&batch, limit)) {
        const size_t n = batch.size();
        EVIDENT_RETURN_IF_ERROR(append(t, &batch));
        appended += n;
      }
      return Status::OK();
    }));
    return appended.load();
  });
}

// The pace of each of `senders` senders of requests of o.request_events that
// together offer o.rate events/s.
StatusOr<Clock::duration> PacedInterval(const ScenarioOptions& o, int senders) {
  if (o.rate <= 0) return Status::InvalidArgument("a paced scenario needs --rate");
  return std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(double(o.request_events) * senders / o.rate));
}

}  // namespace

StatusOr<Result> AppendInProcess(const ScenarioOptions& o) {
  auto keys = LoadKeys(o.data_dir);
  if (!keys.ok()) return keys.status();
  auto ledger = CreateLedger(o.ledger_dir, keys.value());
  if (!ledger.ok()) return ledger.status();
  return DrainDataSet(o, [&](int, std::vector<SignedEvent>* batch) {
    return ledger.value()->Append(std::move(*batch)).status();
  });
}

StatusOr<Result> AppendOverTls(const ScenarioOptions& o) {
  return AppendOverServer(o, kBatch, Clock::duration::zero());
}

StatusOr<Result> AppendLatency(const ScenarioOptions& o) {
  auto interval = PacedInterval(o, o.threads);
  if (!interval.ok()) return interval.status();
  return AppendOverServer(o, o.request_events, interval.value());
}

// Paced appends in process, with `beside` (if given) started on the new
// ledger first and told of each append: what runs behind the appends.
struct Beside {
  std::function<Status(Ledger*)> start;
  std::function<void()> appended;
  std::function<void(Result*)> finish;  // the result, or nullptr when the run failed
};

StatusOr<Result> PacedInProcess(const ScenarioOptions& o, const Beside& beside) {
  auto interval = PacedInterval(o, o.threads);
  if (!interval.ok()) return interval.status();
  auto keys = LoadKeys(o.data_dir);
  if (!keys.ok()) return keys.status();
  auto ledger = CreateLedger(o.ledger_dir, keys.value());
  if (!ledger.ok()) return ledger.status();
  if (beside.start) EVIDENT_RETURN_IF_ERROR(beside.start(ledger.value().get()));
  const AppendFn append = [&](const std::vector<SignedEvent>& events) {
    Status s = ledger.value()->Append(events).status();
    if (beside.appended) beside.appended();
    return s;
  };
  auto r = RunSenders(o, std::vector<AppendFn>(o.threads, append), o.request_events,
                      interval.value());
  // Whatever became of the appends: what runs beside stops before the
  // ledger closes.
  if (beside.finish) beside.finish(r.ok() ? &r.value() : nullptr);
  return r;
}

StatusOr<Result> AppendLatencyInProcess(const ScenarioOptions& o) { return PacedInProcess(o, {}); }

StatusOr<Result> AppendLatencyCosigned(const ScenarioOptions& o) {
  std::unique_ptr<server::witness::LocalWitnesses> witnesses;
  std::unique_ptr<server::Witnessing> witnessing;
  Beside beside;
  beside.start = [&](Ledger* ledger) -> Status {
    auto verifier = ledger->CheckpointVerifier();
    if (!verifier.ok()) return verifier.status();
    auto started = server::witness::LocalWitnesses::Start(
        o.ledger_dir, {{"county", "county.example/witness"}, {"state", "state.example/witness"}},
        verifier.value());
    if (!started.ok()) return started.status();
    witnesses = std::move(started.value());
    server::WitnessingOptions options;
    options.witnesses = witnesses->Endpoints();
    auto running = server::Witnessing::Start(ledger, std::move(options),
                                             server::HttpsWitnessPoster());
    if (!running.ok()) return running.status();
    witnessing = std::move(running.value());
    return Status::OK();
  };
  beside.appended = [&] { witnessing->Notify(); };
  beside.finish = [&](Result* r) {
    if (r == nullptr) return witnessing.reset();
    const auto snapshot = witnessing->GetSnapshot();
    r->extra["cosigned_size"] = double(snapshot.trusted_size);
    r->extra["log_size"] = double(snapshot.log_checkpoint_size);
    double requests = 0, failures = 0;
    for (const auto& w : snapshot.witnesses) requests += w.requests, failures += w.failures;
    r->extra["witness_requests"] = requests;
    r->extra["witness_failures"] = failures;
    witnessing.reset();  // before the ledger it offers checkpoints of
  };
  return PacedInProcess(o, beside);
}

StatusOr<Result> SyncedWriteFloor(const ScenarioOptions& o) {
  // One writer takes the requests of every sender.
  auto interval = PacedInterval(o, 1);
  if (!interval.ok()) return interval.status();
  auto reader = EventReader::Open(EventsPath(o.data_dir, 0));
  if (!reader.ok()) return reader.status();
  std::vector<SignedEvent> sample;
  if (!reader.value()->Next(1, &sample)) return Status::NotFound("the data set is empty");
  auto storage = OpenRocksStorage(o.ledger_dir, OpenMode::kCreate);
  if (!storage.ok()) return storage.status();

  // What a group commit writes besides its entries: about two Merkle nodes
  // an entry (2n - popcount(n) in all) and one checkpoint note.
  const std::string entry = BuildEntry(0, 0, sample[0]);
  const std::string node_hash(32, 'h'), checkpoint_note(230, 'c');
  const auto start = Clock::now();
  const auto until = start + std::chrono::duration_cast<Clock::duration>(
                                 std::chrono::duration<double>(o.seconds));
  auto due = [&](uint64_t k) { return start + interval.value() * k; };
  Result r;
  uint64_t next_request = 0, sequence = 0;
  while (due(next_request) < until) {
    std::this_thread::sleep_until(due(next_request));
    // Every request due by now goes in this one batch.
    const auto now = Clock::now();
    uint64_t end = next_request + 1;
    while (due(end) <= now && due(end) < until) ++end;
    WriteBatch batch;
    for (uint64_t k = next_request; k < end; ++k) {
      for (size_t i = 0; i < o.request_events; ++i, ++sequence) {
        batch.Put(Column::kEntries, EncodeKey64(sequence), entry);
        batch.Put(Column::kEventIds,
                  EventIndexKey(EncodeKey64(~sequence) + EncodeKey64(sequence), "system-1"),
                  EncodeKey64(sequence));
        for (char level : {0, 1}) {
          batch.Put(Column::kMerkle, std::string(1, level) + EncodeKey64(sequence), node_hash);
        }
      }
    }
    batch.Put(Column::kCheckpoints, EncodeKey64(sequence), checkpoint_note);
    EVIDENT_RETURN_IF_ERROR(storage.value()->Write(batch));
    const auto written = Clock::now();
    for (uint64_t k = next_request; k < end; ++k) {
      r.latencies_ms.push_back(std::chrono::duration<double, std::milli>(written - due(k)).count());
    }
    next_request = end;
  }
  r.seconds = Since(start);
  r.events = sequence;
  return r;
}

StatusOr<Result> AppendPostgres(const ScenarioOptions& o) {
  auto keys = LoadKeys(o.data_dir);
  if (!keys.ok()) return keys.status();
  std::vector<PublicKey> public_keys;
  for (const PrivateKey& k : keys.value().systems) public_keys.push_back(k.public_key());
  auto pg = PostgresServer::Start(o.ledger_dir);
  if (!pg.ok()) return pg.status();
  std::vector<std::unique_ptr<PeerConnection>> connections;
  for (int t = 0; t < o.threads; ++t) {
    auto c = PeerConnection::Connect(pg.value()->conninfo());
    if (!c.ok()) return c.status();
    connections.push_back(std::move(c.value()));
  }
  EVIDENT_RETURN_IF_ERROR(connections[0]->CreateTable());
  WorkPool pool(DefaultThreads());
  return DrainDataSet(o, [&](int t, std::vector<SignedEvent>* batch) {
    return connections[t]->Append(*batch, public_keys, &pool);
  });
}

StatusOr<Result> VerifyInProcess(const ScenarioOptions& o) {
  Result r;
  for (int run = 0; run < std::max(1, o.slices); ++run) {
    if (run > 0 && o.pause) o.pause();
    auto storage = OpenRocksStorage(Ledger::DatabasePath(o.ledger_dir), OpenMode::kReadOnly);
    if (!storage.ok()) return storage.status();
    const auto start = Clock::now();
    auto report = VerifyLog(storage.value().get());
    if (!report.ok()) return report.status();
    if (!report.value().ok()) return Status::Corruption("verify: " + report.value().problem);
    r.slices.push_back({report.value().signatures, Since(start)});
    r.events += r.slices.back().events;
    r.seconds += r.slices.back().seconds;
  }
  return r;
}

StatusOr<Result> CatchUp(const ScenarioOptions& o) {
  auto keys = LoadKeys(o.data_dir);
  if (!keys.ok()) return keys.status();
  auto ledger = Ledger::Open(o.ledger_dir);
  if (!ledger.ok()) return ledger.status();
  auto served = Serve(std::move(ledger.value()));
  if (!served.ok()) return served.status();
  const uint64_t size = served.value()->ledger->size();
  auto client = server::Client::Connect(served.value()->Client(), keys.value().admin);
  if (!client.ok()) return client.status();
  uint64_t received = 0;
  const auto start = Clock::now();
  Status s = client.value()->Subscribe(0, 8192, [&](uint64_t position, std::string_view) {
    ++received;
    return position + 1 < size;
  });
  if (!s.ok()) return s;
  Result r;
  r.seconds = Since(start);
  r.events = received;
  return r;
}

StatusOr<Result> FanOut(const ScenarioOptions& o) {
  if (o.rate <= 0) return Status::InvalidArgument("the fan-out scenario needs --rate");
  std::optional<Keys> keys;
  auto served = ServeNewLedger(o, &keys);
  if (!served.ok()) return served.status();
  const uint64_t from = served.value()->ledger->size();
  std::vector<std::unique_ptr<server::Client>> subscribers;
  for (int s = 0; s < o.subscribers; ++s) {
    auto c = server::Client::Connect(served.value()->Client(), keys->admin);
    if (!c.ok()) return c.status();
    subscribers.push_back(std::move(c.value()));
  }
  auto appender = server::Client::Connect(served.value()->Client(), keys->systems[0]);
  if (!appender.ok()) return appender.status();
  auto reader = EventReader::Open(EventsPath(o.data_dir, 0));
  if (!reader.ok()) return reader.status();

  std::atomic<uint64_t> last{UINT64_MAX};  // the last position to expect, once known
  std::atomic<uint64_t> delivered{0};
  std::vector<std::vector<double>> lags(o.subscribers);
  std::vector<std::thread> threads;
  std::vector<Status> results(o.subscribers);
  for (int s = 0; s < o.subscribers; ++s) {
    threads.emplace_back([&, s] {
      results[s] = subscribers[s]->Subscribe(from, 4096, [&, s](uint64_t position,
                                                                 std::string_view bytes) {
        const auto now = std::chrono::system_clock::now().time_since_epoch();
        auto entry = ParseEntry(std::string(bytes));
        if (entry.ok()) {
          const double now_us = std::chrono::duration<double, std::micro>(now).count();
          lags[s].push_back((now_us - double(entry.value()->recorded_at_micros())) / 1000.0);
        }
        ++delivered;
        return position < last.load();
      });
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // every subscription is open
  // Held back for the end: one more request ends every subscription (a
  // subscriber that saw the last entry before `last` was set stops at it).
  std::vector<SignedEvent> tail;
  if (!reader.value()->Next(1, &tail)) return Status::NotFound("the data set is empty");
  std::atomic<uint64_t> sent{0};
  const auto interval = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(double(o.request_events) / o.rate));
  const auto start = Clock::now();
  const auto until = start + std::chrono::duration_cast<Clock::duration>(
                                 std::chrono::duration<double>(o.seconds));
  Status sending = SendPaced(ThroughClient(appender.value().get()), reader.value().get(),
                             o.request_events, start, interval, until, &sent, nullptr);
  last = from + sent - 1;
  if (sending.ok()) sending = appender.value()->Append(tail).status();
  for (auto& t : threads) t.join();
  if (!sending.ok()) return sending;
  for (const Status& s : results) EVIDENT_RETURN_IF_ERROR(s);
  Result r;
  r.seconds = Since(start);
  r.events = delivered;
  for (auto& l : lags) r.latencies_ms.insert(r.latencies_ms.end(), l.begin(), l.end());
  return r;
}

}  // namespace evident::bench
