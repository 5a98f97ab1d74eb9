#include "tests/testutil/test_util.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "ledger/coding.h"

namespace evident::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "evident-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) std::abort();
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string EventJson(const std::string& id_hex, const std::string& type,
                      const std::string& subject, const std::string& body) {
  return "{\"event_id\":\"" + id_hex + "\",\"event_type\":\"" + type +
         "\",\"occurred_at\":\"2025-01-15T16:00:00Z\",\"district_id\":\"lea-1\","
         "\"source_system\":\"test\",\"subject\":{" +
         subject + "},\"body\":{" + body + "}}";
}

std::string AttendanceJson(const std::string& id_hex, const std::string& person, int minutes) {
  return EventJson(
      id_hex, "AttendanceRecorded",
      "\"person_id\":\"" + person + "\",\"program_id\":\"pd-1\",\"session_id\":\"pd-1-a\"",
      "\"attendance_date\":\"2025-01-15\",\"attendance_event_category\":\"InAttendance\","
      "\"credited_minutes\":" +
          std::to_string(minutes));
}

std::string ModeOf(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return "missing";
  char text[8];
  std::snprintf(text, sizeof text, "%04o", unsigned(st.st_mode & 07777));
  return text;
}

std::string IdHex(uint64_t n) {
  std::string bytes(8, '\0');
  bytes += EncodeKey64(n);
  return HexEncode(bytes);
}

void LedgerFixture::SetUp() {
  codec_ = Must(EventJsonCodec::Create());
  admin_ = Must(PrivateKey::Generate());
  ledger_key_ = Must(PrivateKey::Generate());
  ledger_ = Must(Ledger::Create(dir_.path(), "evident.example/test", *ledger_key_));
  auto registration = [&](uint64_t id, const char* principal, const char* role,
                          const PrivateKey& key) {
    return Sign(*admin_,
                EventJson(IdHex(id), "KeyRegistered", "",
                          std::string("\"principal_id\":\"") + principal + "\",\"role\":\"" + role +
                              "\",\"public_key\":\"" + HexEncode(key.public_key().raw()) + "\""));
  };
  auto results = ledger_->Append({registration(1, "admin", "Admin", *admin_),
                                  registration(2, "ledger", "Ledger", *ledger_key_)});
  ASSERT_OK(results.status());
  ASSERT_EQ(ledger_->size(), kGenesisSize);
}

SignedEvent LedgerFixture::Sign(const PrivateKey& key, const std::string& json) {
  // A system speaks only as itself (key rule 6): an event written with the
  // placeholder source "test" takes the signing integration's name.
  std::string text = json;
  const std::string placeholder = "\"source_system\":\"test\"";
  auto info = ledger_ ? ledger_->FindKey(key.public_key().key_id()) : std::nullopt;
  if (const size_t at = text.find(placeholder);
      info && info->role == schema::Role::Integration && at != std::string::npos) {
    text.replace(at, placeholder.size(), "\"source_system\":\"" + info->principal_id + "\"");
  }
  return SignEvent(key, Must(codec_->FromJson(text)));
}

PrivateKey LedgerFixture::RegisterKey(const std::string& principal, const std::string& role,
                                      const std::string& allowed_json_array) {
  PrivateKey key = Must(PrivateKey::Generate());
  std::string json = EventJson(IdHex(next_id_++), "KeyRegistered", "",
                               "\"principal_id\":\"" + principal + "\",\"role\":\"" + role +
                                   "\",\"public_key\":\"" + HexEncode(key.public_key().raw()) +
                                   "\",\"allowed_event_types\":" + allowed_json_array);
  auto results = ledger_->Append({Sign(*admin_, json)});
  EXPECT_TRUE(results.ok()) << results.status().ToString();
  return key;
}

Status LedgerFixture::RevokeKey(const PrivateKey& key, const std::string& reason_code) {
  std::string json = EventJson(IdHex(next_id_++), "KeyRevoked", "",
                               "\"key_id\":\"" + HexEncode(key.public_key().key_id()) +
                                   "\",\"reason_code\":\"" + reason_code + "\"");
  return ledger_->Append({Sign(*admin_, json)}).status();
}

void LedgerFixture::Reopen() {
  ledger_.reset();
  auto storage = Must(OpenRocksStorage(Ledger::DatabasePath(dir_.path()), OpenMode::kReadWrite));
  ledger_ = Must(Ledger::OpenStorage(std::move(storage), *ledger_key_));
}

}  // namespace evident::testing
