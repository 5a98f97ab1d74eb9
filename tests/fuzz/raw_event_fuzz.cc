// Fuzzes the appender's gate with raw events, as a client with a valid key
// can send them over the wire: a valid event of one type (the event_json
// seeds), with spans of its bytes overwritten by values a hostile writer
// would choose. Whatever Appender::CheckNewEvent accepts must be readable by
// everything that reads the log: it prints as JSON (`evident log`, `tail`,
// a bundle's readable copy), that JSON reads back as an event the same rules
// accept, and the projector applies it and computes figures over it.
//
// Input: byte 0 picks the seed; then 4-byte steps (offset high, offset low,
// kind, value), each overwriting the seed's bytes at that offset.

#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "ledger/appender.h"
#include "ledger/entry.h"
#include "ledger/event_json.h"
#include "projections/figures.h"
#include "projections/projector.h"
#include "tests/fuzz/fuzz_util.h"

using namespace evident;

namespace {

EventJsonCodec& Codec() {
  static EventJsonCodec* codec = EventJsonCodec::Create().value().release();
  return *codec;
}

// The bytes of every seed event, in file-name order.
const std::vector<std::string>& Seeds() {
  static const std::vector<std::string>* seeds = [] {
    std::vector<std::filesystem::path> files;
    const std::filesystem::path dir =
        std::filesystem::path(EVIDENT_SOURCE_DIR) / "tests/fuzz/corpus/event_json";
    for (const auto& f : std::filesystem::directory_iterator(dir)) {
      if (f.path().extension() == ".json") files.push_back(f.path());
    }
    std::sort(files.begin(), files.end());
    auto* out = new std::vector<std::string>();
    for (const auto& file : files) {
      std::ifstream in(file);
      std::stringstream text;
      text << in.rdbuf();
      auto bytes = Codec().FromJson(text.str());
      if (!bytes.ok()) __builtin_trap();  // a seed the codec refuses is a broken seed
      out->push_back(std::move(bytes.value()));
    }
    if (out->empty()) __builtin_trap();
    return out;
  }();
  return *seeds;
}

void Overwrite(std::string* bytes, size_t at, uint8_t kind, uint8_t value) {
  auto put = [&](const void* v, size_t n) {
    if (at + n <= bytes->size()) std::memcpy(bytes->data() + at, v, n);
  };
  switch (kind % 6) {
    case 0: {
      const float v[] = {
          std::numeric_limits<float>::quiet_NaN(),  std::numeric_limits<float>::infinity(),
          -std::numeric_limits<float>::infinity(),  3.4e38f,
          std::numeric_limits<float>::denorm_min(), -1.0f};
      put(&v[value % 6], sizeof(float));
      break;
    }
    case 1: {
      const int64_t v[] = {INT64_MAX, INT64_MIN, -1, 1000000000001, 0};
      put(&v[value % 5], sizeof(int64_t));
      break;
    }
    case 2: {
      const int32_t v[] = {0, -1, INT32_MAX, 1441, 100001};
      put(&v[value % 5], sizeof(int32_t));
      break;
    }
    case 3: {
      const int16_t v[] = {0, -1, 1899, 10000, INT16_MAX};
      put(&v[value % 5], sizeof(int16_t));
      break;
    }
    default:
      put(&value, 1);
  }
}

// The earlier entries a projector may ask for: none.
class NoEntries : public projections::EntrySource {
 public:
  StatusOr<std::string> ReadEntry(uint64_t) override { return Status::NotFound("none"); }
  StatusOr<std::vector<IdHolder>> FindHolders(std::string_view, uint64_t) override {
    return std::vector<IdHolder>();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string bytes = Seeds()[data[0] % Seeds().size()];
  for (size_t i = 1; i + 4 <= size; i += 4) {
    Overwrite(&bytes, ((size_t(data[i]) << 8) | data[i + 1]) % bytes.size(), data[i + 2],
              data[i + 3]);
  }
  auto event = Appender::CheckNewEvent(bytes);
  if (!event.ok()) return 0;

  auto json = Codec().ToJson(bytes);
  if (!json.ok()) __builtin_trap();  // accepted, but `evident log` could not print it
  if (!Codec().FromJson(json.value()).ok()) __builtin_trap();  // printed, but not readable

  const std::string entry = BuildEntry(
      0, 1760457600000000, SignedEvent{bytes, std::string(32, '\0'), std::string(64, '\0')});
  NoEntries source;
  projections::Projector projector(&source);
  if (!projector.Apply(0, entry).ok()) __builtin_trap();  // accepted, but not projectable
  (void)projections::ComputeFigures(projector.state(), projections::DayOf("2025-06-30"));
  return 0;
}
