// evident-micro-bench: Google Benchmark micro-benchmarks of the pieces an
// append and a verify are made of, each per event, so that their cost can be
// read beside the signature check that bounds them (docs/performance.md).
//
// usage: evident-micro-bench [Google Benchmark flags]

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "ledger/entry.h"
#include "ledger/event.h"
#include "ledger/event_json.h"
#include "ledger/event_rules.h"
#include "ledger/keys.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/hash.h"
#include "ledger/work_pool.h"
#include "server/frame.h"

namespace {

using evident::SignedEvent;

// An attendance event as the load benchmark sends it, signed.
struct Sample {
  evident::PrivateKey key;
  SignedEvent event;
};

const Sample& TheSample() {
  static const Sample* sample = [] {
    auto key = evident::PrivateKey::Generate();
    auto codec = evident::EventJsonCodec::Create();
    if (!key.ok() || !codec.ok()) std::abort();
    auto bytes = codec.value()->FromJson(
        "{\"event_id\":\"000102030405060708090a0b0c0d0e0f\",\"event_type\":\"AttendanceRecorded\","
        "\"occurred_at\":\"2025-10-14T16:00:00Z\",\"effective_date\":\"2025-10-14\","
        "\"district_id\":\"bench-usd\",\"source_system\":\"bench\",\"subject\":{\"person_id\":"
        "\"staff-1234\",\"program_id\":\"pd-12\",\"session_id\":\"pd-123\"},\"body\":{"
        "\"attendance_date\":\"2025-10-14\",\"attendance_event_category\":\"InAttendance\","
        "\"credited_minutes\":90}}");
    if (!bytes.ok()) std::abort();
    return new Sample{key.value(), evident::SignEvent(key.value(), std::move(bytes.value()))};
  }();
  return *sample;
}

void BM_Ed25519Sign(benchmark::State& state) {
  const Sample& s = TheSample();
  const std::string message = evident::EventSigningMessage(s.event.event);
  for (auto _ : state) benchmark::DoNotOptimize(s.key.Sign(message));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Ed25519Sign)->UseRealTime()->ThreadRange(1, 2);

void BM_Ed25519VerifyEvent(benchmark::State& state) {
  const Sample& s = TheSample();
  for (auto _ : state) {
    if (!evident::VerifyEventSignature(s.key.public_key(), s.event)) state.SkipWithError("bad");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Ed25519VerifyEvent)->UseRealTime()->ThreadRange(1, 2);

void BM_ParseEvent(benchmark::State& state) {
  const Sample& s = TheSample();
  for (auto _ : state) benchmark::DoNotOptimize(evident::ParseEvent(s.event.event));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseEvent);

void BM_CheckEventRules(benchmark::State& state) {
  const evident::schema::Event* event = evident::ParseEvent(TheSample().event.event).value();
  for (auto _ : state) benchmark::DoNotOptimize(evident::CheckEventRules(event));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CheckEventRules);

void BM_BuildAndParseEntry(benchmark::State& state) {
  const Sample& s = TheSample();
  for (auto _ : state) {
    const std::string entry = evident::BuildEntry(12345, 1760457600000000, s.event);
    benchmark::DoNotOptimize(evident::ParseEntry(entry));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BuildAndParseEntry);

void BM_LeafHashAndTreeAppend(benchmark::State& state) {
  const std::string entry = evident::BuildEntry(12345, 1760457600000000, TheSample().event);
  evident::merkle::CompactRange range;
  uint64_t nodes = 0;
  for (auto _ : state) {
    range.Append(evident::merkle::LeafHash(entry),
                 [&](evident::merkle::NodeId, const std::string&) { ++nodes; });
  }
  benchmark::DoNotOptimize(nodes);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LeafHashAndTreeAppend);

void BM_AppendRequestFrame256(benchmark::State& state) {
  const std::vector<SignedEvent> events(256, TheSample().event);
  for (auto _ : state) {
    const std::string frame = evident::server::AppendRequestFrame(7, events);
    benchmark::DoNotOptimize(evident::server::ParseFrame(std::string_view(frame).substr(4)));
  }
  state.SetItemsProcessed(state.iterations() * 256);
}
BENCHMARK(BM_AppendRequestFrame256);

// What handing a job of 256 trivial items to the verify pool costs.
void BM_WorkPoolHandOff256(benchmark::State& state) {
  evident::WorkPool pool(2);
  std::vector<char> touched(256);
  for (auto _ : state) pool.ParallelFor(256, [&](size_t i) { touched[i] = 1; });
  state.SetItemsProcessed(state.iterations() * 256);
}
BENCHMARK(BM_WorkPoolHandOff256)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
