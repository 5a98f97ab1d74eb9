#include "tools/bench/bench_data.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "ledger/coding.h"
#include "ledger/event_json.h"
#include "tools/bench/gen_util.h"

namespace evident::bench {
namespace {

constexpr size_t kHeaderBytes = 4 + kKeyIdSize + kEd25519SignatureSize;

std::string KeyPath(const std::string& dir, const std::string& name) {
  return dir + "/keys/" + name + ".pem";
}

// `source` is the signer's principal: an integration speaks only as itself.
std::string EnvelopeJson(const std::string& id_hex, const char* type, const std::string& source,
                         const std::string& subject, const std::string& body) {
  return "{\"event_id\":\"" + id_hex + "\",\"event_type\":\"" + type +
         "\",\"occurred_at\":\"2025-10-14T16:00:00Z\",\"effective_date\":\"2025-10-14\","
         "\"district_id\":\"bench-usd\",\"source_system\":\"" + source + "\",\"subject\":{" +
         subject + "},\"body\":{" + body + "}}";
}

std::string RegistrationJson(uint64_t n, const std::string& principal, const char* role,
                             const PrivateKey& key, const char* allowed) {
  return EnvelopeJson(gen::EventId(0xbe7c4, n), "KeyRegistered", "admin", "",
                      "\"principal_id\":\"" + principal + "\",\"role\":\"" + role +
                          "\",\"public_key\":\"" + HexEncode(key.public_key().raw()) +
                          "\",\"allowed_event_types\":" + allowed);
}

// Event `i` of system `system`: an attendance record of one of 20,000 staff
// at one of 400 sessions.
std::string AttendanceJson(int system, uint64_t i) {
  gen::Rng rng{uint64_t(system) << 40 | i};
  const uint64_t person = rng.Below(20000), session = rng.Below(400);
  return EnvelopeJson(
      gen::EventId(0xbe7c5 + system, i), "AttendanceRecorded", "system-" + std::to_string(system),
      "\"person_id\":\"staff-" + std::to_string(person) + "\",\"program_id\":\"pd-" +
          std::to_string(session / 10) + "\",\"session_id\":\"pd-" + std::to_string(session) + "\"",
      "\"attendance_date\":\"2025-10-14\",\"attendance_event_category\":\"InAttendance\","
      "\"credited_minutes\":" +
          std::to_string(30 + rng.Below(16) * 15));
}

void WriteRecord(std::ofstream& out, const SignedEvent& e) {
  std::string header;
  PutFixed32BE(&header, uint32_t(e.event.size()));
  out << header << e.signer_key_id << e.signature << e.event;
}

Status WriteEvents(const std::string& path, int system, uint64_t count, const PrivateKey& key) {
  auto codec = EventJsonCodec::Create();
  if (!codec.ok()) return codec.status();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  for (uint64_t i = 0; i < count && out; ++i) {
    auto bytes = codec.value()->FromJson(AttendanceJson(system, i));
    if (!bytes.ok()) return bytes.status();
    WriteRecord(out, SignEvent(key, std::move(bytes.value())));
  }
  out.flush();
  if (!out) return Status::IOError("cannot write " + path);
  return Status::OK();
}

}  // namespace

std::string EventsPath(const std::string& dir, int system) {
  return dir + "/events-" + std::to_string(system) + ".bin";
}

StatusOr<Keys> LoadKeys(const std::string& dir) {
  auto admin = PrivateKey::LoadFile(KeyPath(dir, "admin"));
  if (!admin.ok()) return admin.status();
  auto ledger = PrivateKey::LoadFile(KeyPath(dir, "ledger"));
  if (!ledger.ok()) return ledger.status();
  Keys keys{admin.value(), ledger.value(), {}};
  for (int k = 0; k < kSystems; ++k) {
    auto key = PrivateKey::LoadFile(KeyPath(dir, "system-" + std::to_string(k)));
    if (!key.ok()) return key.status();
    keys.systems.push_back(key.value());
  }
  return keys;
}

StatusOr<uint64_t> DataSetCount(const std::string& dir) {
  std::ifstream in(dir + "/count-v2");
  uint64_t count = 0;
  if (!(in >> count)) {
    return Status::NotFound("no data set in " + dir + " (no readable count file); make one with "
                            "'evident-load prepare --data " + dir + "'");
  }
  return count;
}

Status PrepareDataSet(const std::string& dir, uint64_t count) {
  if (auto have = DataSetCount(dir); have.ok() && have.value() == count) return Status::OK();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  std::filesystem::create_directories(dir + "/keys", ec);
  if (ec) return Status::IOError("cannot create " + dir + ": " + ec.message());
  std::vector<std::string> names = {"admin", "ledger"};
  for (int k = 0; k < kSystems; ++k) names.push_back("system-" + std::to_string(k));
  for (const std::string& name : names) {
    auto key = PrivateKey::Generate();
    if (!key.ok()) return key.status();
    EVIDENT_RETURN_IF_ERROR(key.value().SaveFile(KeyPath(dir, name)));
  }
  auto keys = LoadKeys(dir);
  if (!keys.ok()) return keys.status();
  std::vector<Status> results(kSystems);
  std::vector<std::thread> threads;
  for (int k = 0; k < kSystems; ++k) {
    const uint64_t share = count / kSystems + (uint64_t(k) < count % kSystems ? 1 : 0);
    threads.emplace_back([&, k, share] {
      results[k] = WriteEvents(EventsPath(dir, k), k, share, keys.value().systems[k]);
    });
  }
  for (auto& t : threads) t.join();
  for (const Status& s : results) EVIDENT_RETURN_IF_ERROR(s);
  std::ofstream(dir + "/count-v2") << count << "\n";
  return Status::OK();
}

StatusOr<std::unique_ptr<Ledger>> CreateLedger(const std::string& ledger_dir, const Keys& keys) {
  auto ledger = Ledger::Create(ledger_dir, "evident.example/bench", keys.ledger);
  if (!ledger.ok()) return ledger.status();
  auto codec = EventJsonCodec::Create();
  if (!codec.ok()) return codec.status();
  std::vector<std::string> json = {
      RegistrationJson(0, "admin", "Admin", keys.admin, "[]"),
      RegistrationJson(1, "ledger", "Ledger", keys.ledger, "[]")};
  for (int k = 0; k < kSystems; ++k) {
    json.push_back(RegistrationJson(2 + k, "system-" + std::to_string(k), "Integration",
                                    keys.systems[k], "[\"AttendanceRecorded\"]"));
  }
  std::vector<SignedEvent> genesis;
  for (const std::string& j : json) {
    auto bytes = codec.value()->FromJson(j);
    if (!bytes.ok()) return bytes.status();
    genesis.push_back(SignEvent(keys.admin, std::move(bytes.value())));
  }
  auto appended = ledger.value()->Append(std::move(genesis));
  if (!appended.ok()) return appended.status();
  return std::move(ledger.value());
}

StatusOr<std::unique_ptr<EventReader>> EventReader::Open(const std::string& path) {
  std::unique_ptr<EventReader> reader(new EventReader);
  reader->path_ = path;
  reader->file_ = std::fopen(path.c_str(), "rb");
  if (reader->file_ == nullptr) return Status::NotFound("cannot open " + path);
  return reader;
}

EventReader::~EventReader() {
  if (file_ != nullptr) std::fclose(file_);
}

bool EventReader::Next(size_t n, std::vector<SignedEvent>* out) {
  out->resize(n);
  size_t got = 0;
  char header[kHeaderBytes];
  while (got < n && std::fread(header, 1, kHeaderBytes, file_) == kHeaderBytes) {
    SignedEvent& e = (*out)[got];
    const uint32_t size = DecodeFixed32BE(header);
    e.signer_key_id.assign(header + 4, kKeyIdSize);
    e.signature.assign(header + 4 + kKeyIdSize, kEd25519SignatureSize);
    e.event.resize(size);
    if (size > kMaxEventBytes || std::fread(e.event.data(), 1, size, file_) != size) {
      std::fprintf(stderr, "bench: %s: a truncated record; delete the data set to remake it\n",
                   path_.c_str());
      std::exit(1);
    }
    ++got;
  }
  out->resize(got);
  return got > 0;
}

StatusOr<std::unique_ptr<SharedEvents>> SharedEvents::Open(const std::string& dir) {
  auto shared = std::make_unique<SharedEvents>();
  for (int k = 0; k < kSystems; ++k) {
    auto reader = EventReader::Open(EventsPath(dir, k));
    if (!reader.ok()) return reader.status();
    shared->readers_.push_back(std::move(reader.value()));
  }
  return shared;
}

bool SharedEvents::Next(std::vector<SignedEvent>* out, uint64_t limit) {
  std::lock_guard<std::mutex> lock(mu_);
  if (handed_out_ >= limit) return false;
  for (size_t tries = 0; tries < readers_.size(); ++tries) {
    EventReader* reader = readers_[turn_++ % readers_.size()].get();
    if (reader->Next(kBatch, out)) {
      handed_out_ += out->size();
      return true;
    }
  }
  return false;
}

}  // namespace evident::bench
