#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "ledger/event.h"
#include "ledger/event_json.h"
#include "ledger/keys.h"
#include "ledger/ledger.h"
#include "ledger/status.h"

#define ASSERT_OK(expr)                                                  \
  do {                                                                   \
    const ::evident::Status assert_ok_status_ = (expr);                  \
    ASSERT_TRUE(assert_ok_status_.ok()) << assert_ok_status_.ToString(); \
  } while (0)
#define EXPECT_OK(expr)                                                  \
  do {                                                                   \
    const ::evident::Status expect_ok_status_ = (expr);                  \
    EXPECT_TRUE(expect_ok_status_.ok()) << expect_ok_status_.ToString(); \
  } while (0)

namespace evident::testing {

// A fresh directory under the system temp dir, removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The value of a StatusOr, failing the test (by abort with the message) if
// there is none: for set-up steps that must work.
template <typename T>
T Must(StatusOr<T> s) {
  if (!s.ok()) {
    ADD_FAILURE() << s.status().ToString();
    std::abort();
  }
  return std::move(s.value());
}

// "{...}" for an event of `type` with the given subject and body JSON
// (each an object's inside, without braces), id `id_hex`.
std::string EventJson(const std::string& id_hex, const std::string& type,
                      const std::string& subject, const std::string& body);

// An AttendanceRecorded event: a typical integration event.
std::string AttendanceJson(const std::string& id_hex, const std::string& person, int minutes);

// The permission bits of `path` in octal, e.g. "0600" ("missing" if none).
std::string ModeOf(const std::string& path);

// A 32-hex-digit event id made from a small number, for readable tests.
std::string IdHex(uint64_t n);

// A ledger in a temp dir whose positions 0 and 1 register `admin_` and the
// ledger key that signs its checkpoints.
class LedgerFixture : public ::testing::Test {
 protected:
  static constexpr uint64_t kGenesisSize = 2;

  void SetUp() override;

  // JSON -> signed event. An Integration key's event written with
  // "source_system":"test" is signed with its principal there instead.
  SignedEvent Sign(const PrivateKey& key, const std::string& json);
  // Registers a new key with `role` (and allowed types), signed by the admin.
  PrivateKey RegisterKey(const std::string& principal, const std::string& role,
                         const std::string& allowed_json_array = "[]");
  // Revokes `key` from the next position on, signed by the admin.
  [[nodiscard]] Status RevokeKey(const PrivateKey& key, const std::string& reason_code);
  // Reopens the ledger from disk.
  void Reopen();

  TempDir dir_;
  std::unique_ptr<EventJsonCodec> codec_;
  std::optional<PrivateKey> admin_;
  std::optional<PrivateKey> ledger_key_;
  std::unique_ptr<Ledger> ledger_;
  uint64_t next_id_ = 1000;
};

}  // namespace evident::testing
