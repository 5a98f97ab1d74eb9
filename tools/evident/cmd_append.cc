// evident append: JSON Lines events, signed with one key, appended in order.
//
// Every line is parsed, checked and signed before anything is appended, and
// the key's right to sign each event type is checked too, so bad input of
// any kind leaves the ledger unchanged.

#include <chrono>
#include <iomanip>
#include <iostream>
#include <map>
#include <thread>

#include "ledger/event_json.h"
#include "ledger/parallel.h"
#include "server/frame.h"
#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"

namespace evident::cli {
namespace {

constexpr char kName[] = "append";

struct Line {
  size_t number;  // 1-based line number in the input
  std::string_view text;
};

std::vector<Line> SplitLines(std::string_view text) {
  std::vector<Line> lines;
  size_t number = 0;
  while (!text.empty()) {
    ++number;
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) lines.push_back({number, line});
  }
  return lines;
}

// Parses and signs every line over all cores, one codec per thread. On
// failure returns the error of the earliest bad line.
Status ParseAndSign(const std::vector<Line>& lines, const PrivateKey& key,
                    const std::string& source, std::vector<SignedEvent>* events) {
  events->assign(lines.size(), {});
  std::vector<Status> errors(lines.size());
  const size_t threads = std::min<size_t>(DefaultThreads(), std::max<size_t>(1, lines.size() / 64));
  auto work = [&](size_t t) {
    auto codec = EventJsonCodec::Create();
    for (size_t i = lines.size() * t / threads; i < lines.size() * (t + 1) / threads; ++i) {
      if (!codec.ok()) {
        errors[i] = codec.status();
        continue;
      }
      auto bytes = codec.value()->FromJson(lines[i].text);
      if (!bytes.ok()) {
        errors[i] = bytes.status();
        continue;
      }
      (*events)[i] = SignEvent(key, std::move(bytes.value()));
    }
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& t : pool) t.join();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!errors[i].ok()) {
      return Status::InvalidArgument(source + ":" + std::to_string(lines[i].number) + ": " +
                                     errors[i].message());
    }
  }
  return Status::OK();
}

int RunAppend(const Flags& flags) {
  auto key_path = flags.Require("key");
  if (!key_path.ok()) return Fail(kName, key_path.status());
  if (flags.positional().size() > 1) return Fail(kName, "give at most one input file");
  const std::string source = flags.positional().empty() ? "-" : flags.positional()[0];
  auto batch = BatchFlag(flags);
  if (!batch.ok()) return Fail(kName, batch.status());
  auto key = PrivateKey::LoadFile(key_path.value());
  if (!key.ok()) return Fail(kName, key.status());
  auto destination = OpenDestination(flags, key.value());
  if (!destination.ok()) return Fail(kName, destination.status());
  Ledger* ledger = destination->ledger.get();
  auto text = ReadAll(source);
  if (!text.ok()) return Fail(kName, text.status());

  const auto start = std::chrono::steady_clock::now();
  std::vector<Line> lines = SplitLines(text.value());
  std::vector<SignedEvent> events;
  const std::string where = source == "-" ? "stdin" : source;
  if (Status s = ParseAndSign(lines, key.value(), where, &events); !s.ok()) return Fail(kName, s);
  if (Status s = CheckSignersForAll(ledger, events,
                                    [&](size_t i) {
                                      return where + ":" + std::to_string(lines[i].number);
                                    });
      !s.ok()) {
    return Fail(kName, s.message() + " (nothing was appended)");
  }
  AppendTotals totals;
  size_t failed = events.size();
  if (Status s = AppendInBatches(ledger, destination->client.get(), std::move(events), batch.value(),
                                 &totals, &failed);
      !s.ok()) {
    if (failed >= lines.size()) return Fail(kName, s.ToString() + StoredSoFar(totals));
    return Fail(kName, where + ":" + std::to_string(lines[failed].number) + ": " +
                           WithoutBatchIndex(s, failed % batch.value()) + StoredSoFar(totals));
  }
  const uint64_t added = totals.added, duplicates = totals.duplicates;
  const uint64_t first = totals.first, last = totals.last;
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "appended " << added << " events";
  if (added > 0) std::cout << " at positions " << first << ".." << last;
  std::cout << "; " << duplicates << " were already in the ledger\n"
            << std::fixed << std::setprecision(2) << seconds << " s, " << std::setprecision(0)
            << (seconds > 0 ? double(lines.size()) / seconds : 0)
            << " events/s (parse, sign, verify, durable append)";
  if (ledger) std::cout << "; ledger size " << ledger->size();
  std::cout << "\n";
  return 0;
}

}  // namespace

const Command kAppendCommand = {
    kName,
    "sign and append events given as JSON Lines",
    "usage: evident append --ledger DIR --key KEY.pem [--batch N] [FILE]\n"
    "       evident append --server HOST:PORT --trust CERT --key KEY.pem [--batch N] [FILE]\n\n"
    "Reads events, one JSON object per line (docs/events.md), from FILE or standard\n"
    "input, signs each with KEY.pem and appends them in order. Every line is\n"
    "checked, and the key's right to sign it, before anything is appended: a bad\n"
    "line is reported as FILE:LINE with the reason, and the ledger is left unchanged.\n"
    "Events whose id is in the ledger already with the same bytes are not appended\n"
    "again (re-running a file is safe); the same id with other bytes is refused.\n",
    {{{"ledger", "DIR", "the ledger"},
      {"key", "FILE", "the signer's Ed25519 private key (PEM), registered in the ledger"},
      {"batch", "N",
       "events per durable commit (default 1000, at most 10000; with --server "
       "default and most 256)"},
      {"server", "HOST:PORT",
       "append through `evident serve` instead of opening the ledger; the "
       "server checks the key's rights"},
      {"trust", "CERT", "with --server: the server's TLS certificate"},
      {"plaintext", "", "with --server: no TLS, for a server on loopback started so"}}},
    RunAppend};

}  // namespace evident::cli
