// store_crash_child: grows a ledger and brings its projection store up to
// date, round after round, until it is killed (store_crash_test.cc).
//
// Each round appends the next CHUNK events of EVENTS.jsonl that the log does
// not hold yet (the ledger held BASE entries before the first), then opens
// the store as `evident project` does (ProjectionStore::PathFor the ledger),
// runs MODE on it -- `update` (ProjectionStore::Update, an incremental apply)
// or `rebuild` (ProjectionStore::Rebuild, a new generation swapped in by its
// commit) -- and closes it. It prints, one write(2) a line:
//   APPENDED <log size>
//   OPENED                  the store is open; MODE starts
//   COMMITTED <position> <generation>
// COMMITTED means Update or Rebuild returned OK: its synced write is done.
//
// KILL_AT makes the first round kill its own process with SIGKILL:
//   before-commit  just before MODE runs. Update and Rebuild only read until
//                  their one write, so the store is left as by a kill after
//                  the fold and before the write (a rebuild's swap).
//   after-commit   just after MODE returned, with the store not yet closed.
//
// usage: store_crash_child LEDGER_DIR KEY.pem EVENTS.jsonl BASE CHUNK update|rebuild [KILL_AT]

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "ledger/event_json.h"
#include "ledger/ledger.h"
#include "projections/store.h"

namespace evident {
namespace {

void Say(const std::string& line) {
  const std::string text = line + "\n";
  if (::write(STDOUT_FILENO, text.data(), text.size()) != ssize_t(text.size())) std::exit(1);
}

int Fail(const std::string& what, const Status& s) {
  std::fprintf(stderr, "store_crash_child: %s: %s\n", what.c_str(), s.ToString().c_str());
  return 1;
}

// Appends events [from, to) of `lines`, signed by `key`.
Status AppendLines(Ledger* ledger, const PrivateKey& key, EventJsonCodec* codec,
                   const std::vector<std::string>& lines, size_t from, size_t to) {
  std::vector<SignedEvent> events;
  for (size_t i = from; i < to; ++i) {
    auto bytes = codec->FromJson(lines[i]);
    if (!bytes.ok()) return bytes.status();
    events.push_back(SignEvent(key, std::move(bytes.value())));
  }
  if (events.empty()) return Status::OK();
  return ledger->Append(std::move(events)).status();
}

// Opens the store beside `ledger_dir`, runs `mode`, and says so; kills the
// process where `kill_at` says.
Status ApplyOnce(const std::string& ledger_dir, Ledger* ledger, bool rebuild,
                 const std::string& kill_at) {
  auto store =
      projections::ProjectionStore::Open(projections::ProjectionStore::PathFor(ledger_dir));
  if (!store.ok()) return store.status();
  Say("OPENED");
  if (kill_at == "before-commit") raise(SIGKILL);
  projections::UpdateReport report;
  EVIDENT_RETURN_IF_ERROR(rebuild ? store.value()->Rebuild(ledger, &report)
                                  : store.value()->Update(ledger, &report));
  if (kill_at == "after-commit") raise(SIGKILL);
  auto status = store.value()->GetStatus();
  if (!status.ok()) return status.status();
  Say("COMMITTED " + std::to_string(status.value().position) + " " +
      std::to_string(status.value().generation));
  return Status::OK();
}

int Run(int argc, char** argv) {
  if (argc != 7 && argc != 8) {
    std::fprintf(stderr,
                 "usage: store_crash_child LEDGER_DIR KEY.pem EVENTS.jsonl BASE CHUNK "
                 "update|rebuild [before-commit|after-commit]\n");
    return 2;
  }
  const std::string ledger_dir = argv[1], mode = argv[6];
  const uint64_t base = std::strtoull(argv[4], nullptr, 10);
  const size_t chunk = std::strtoull(argv[5], nullptr, 10);
  std::string kill_at = argc == 8 ? argv[7] : "";
  std::vector<std::string> lines;
  std::ifstream in(argv[3]);
  for (std::string line; std::getline(in, line);) lines.push_back(line);

  auto ledger = Ledger::Open(ledger_dir);
  if (!ledger.ok()) return Fail("opening the ledger", ledger.status());
  auto key = PrivateKey::LoadFile(argv[2]);
  if (!key.ok()) return Fail("loading the key", key.status());
  auto codec = EventJsonCodec::Create();
  if (!codec.ok()) return Fail("making the codec", codec.status());
  for (;;) {
    const size_t next = std::min<size_t>(ledger.value()->size() - base, lines.size());
    Status s = AppendLines(ledger.value().get(), key.value(), codec.value().get(), lines, next,
                           std::min(lines.size(), next + chunk));
    if (!s.ok()) return Fail("appending", s);
    Say("APPENDED " + std::to_string(ledger.value()->size()));
    s = ApplyOnce(ledger_dir, ledger.value().get(), mode == "rebuild", kill_at);
    if (!s.ok()) return Fail(mode, s);
    kill_at.clear();
  }
}

}  // namespace
}  // namespace evident

int main(int argc, char** argv) { return evident::Run(argc, argv); }
