// Writes the frame fuzzer's seeds (tests/fuzz/corpus/frame): one file per
// request a client sends, each as it goes on the wire, and one file with a
// login followed by several requests.
//
// usage: frame_seeds DIR

#include <fstream>
#include <iostream>

#include "ledger/event.h"
#include "ledger/event_json.h"
#include "ledger/keys.h"
#include "server/frame.h"

using namespace evident;

namespace {

flatbuffers::Offset<flatbuffers::Vector<uint8_t>> Vec(flatbuffers::FlatBufferBuilder& fbb,
                                                      std::string_view s) {
  return fbb.CreateVector(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: frame_seeds DIR\n";
    return 2;
  }
  const std::string dir = argv[1];
  auto key = PrivateKey::Generate().value();
  auto codec = EventJsonCodec::Create().value();
  const std::string json =
      "{\"event_id\":\"0123456789abcdef0123456700000009\",\"event_type\":\"AttendanceRecorded\","
      "\"occurred_at\":\"2025-01-15T16:00:00Z\",\"district_id\":\"d\",\"source_system\":\"pd\","
      "\"subject\":{\"person_id\":\"p-1\",\"program_id\":\"pd-1\",\"session_id\":\"s-1\"},"
      "\"body\":{\"attendance_date\":\"2025-01-15\",\"attendance_event_category\":"
      "\"InAttendance\",\"credited_minutes\":90}}";
  const SignedEvent event = SignEvent(key, codec->FromJson(json).value());

  std::vector<std::pair<std::string, std::string>> seeds;
  auto add = [&](const std::string& name, auto build) {
    flatbuffers::FlatBufferBuilder fbb;
    auto [type, offset] = build(fbb);
    seeds.emplace_back(name, server::FrameOf(fbb, 7, type, offset));
  };
  using M = wire::Message;
  add("authenticate", [&](auto& fbb) {
    auto m = wire::CreateAuthenticate(fbb, Vec(fbb, key.public_key().key_id()), Vec(fbb, std::string(64, 's')));
    return std::pair{M::Authenticate, m.Union()};
  });
  add("read", [&](auto& fbb) {
    return std::pair{M::ReadRequest, wire::CreateReadRequest(fbb, 2, 40).Union()};
  });
  add("subscribe", [&](auto& fbb) {
    return std::pair{M::SubscribeRequest, wire::CreateSubscribeRequest(fbb, 0, 64).Union()};
  });
  add("credit", [&](auto& fbb) {
    return std::pair{M::Credit, wire::CreateCredit(fbb, 64).Union()};
  });
  add("checkpoint", [&](auto& fbb) {
    return std::pair{M::CheckpointRequest, wire::CreateCheckpointRequest(fbb, 42).Union()};
  });
  add("inclusion", [&](auto& fbb) {
    return std::pair{M::InclusionProofRequest,
                     wire::CreateInclusionProofRequest(fbb, 17, 42).Union()};
  });
  add("consistency", [&](auto& fbb) {
    return std::pair{M::ConsistencyProofRequest,
                     wire::CreateConsistencyProofRequest(fbb, 42, 62).Union()};
  });
  add("query", [&](auto& fbb) {
    auto m = wire::CreateQueryRequestDirect(fbb, "accountability", "{\"fy\":\"2025\"}",
                                            "2025-06-30");
    return std::pair{M::QueryRequest, m.Union()};
  });
  seeds.emplace_back("append", server::AppendRequestFrame(7, {event}));
  std::string session;
  for (const auto& [name, bytes] : seeds) {
    std::ofstream(dir + "/" + name, std::ios::binary) << bytes;
    session += bytes;
  }
  std::ofstream(dir + "/session", std::ios::binary) << session;
  return 0;
}
