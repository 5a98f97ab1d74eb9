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

// The key must be allowed to sign every event before any is appended.
Status CheckSignerForAll(Ledger* ledger, const std::vector<SignedEvent>& events,
                         const std::vector<Line>& lines, const std::string& source) {
  std::map<std::string, Status> by_type;
  for (size_t i = 0; i < events.size(); ++i) {
    const schema::Event* event = ParseEvent(events[i].event).value();
    auto [it, fresh] = by_type.try_emplace(event->event_type()->str());
    if (fresh) it->second = ledger->CheckSigner(events[i].signer_key_id, *event);
    if (!it->second.ok()) {
      return it->second.WithContext(source + ":" + std::to_string(lines[i].number));
    }
  }
  return Status::OK();
}

int RunAppend(const Flags& flags) {
  auto key_path = flags.Require("key");
  if (!key_path.ok()) return Fail(kName, key_path.status());
  if (flags.positional().size() > 1) return Fail(kName, "give at most one input file");
  const std::string source = flags.positional().empty() ? "-" : flags.positional()[0];
  auto batch = flags.GetUint("batch", flags.Has("server") ? server::kMaxBatchEvents : 1000);
  if (!batch.ok()) return Fail(kName, batch.status());
  if (batch.value() < 1 || batch.value() > Appender::kMaxEventsPerCall) {
    return Fail(kName,
                "--batch must be between 1 and " + std::to_string(Appender::kMaxEventsPerCall));
  }
  auto key = PrivateKey::LoadFile(key_path.value());
  if (!key.ok()) return Fail(kName, key.status());
  const bool remote = flags.Has("server");
  if (remote && batch.value() > server::kMaxBatchEvents) {
    return Fail(kName, "--batch must be at most " + std::to_string(server::kMaxBatchEvents) +
                           " with --server");
  }
  // Where the events go: the ledger itself, or a server.
  std::unique_ptr<Ledger> ledger;
  std::unique_ptr<server::Client> client;
  if (remote) {
    auto connected = ConnectServerFlag(flags, &key.value());
    if (!connected.ok()) return Fail(kName, connected.status());
    client = std::move(connected.value());
  } else {
    auto opened = OpenLedgerFlag(flags, OpenMode::kReadWrite);
    if (!opened.ok()) return Fail(kName, opened.status());
    ledger = std::move(opened.value());
  }
  auto text = ReadAll(source);
  if (!text.ok()) return Fail(kName, text.status());

  const auto start = std::chrono::steady_clock::now();
  std::vector<Line> lines = SplitLines(text.value());
  std::vector<SignedEvent> events;
  const std::string where = source == "-" ? "stdin" : source;
  if (Status s = ParseAndSign(lines, key.value(), where, &events); !s.ok()) return Fail(kName, s);
  if (ledger) {
    if (Status s = CheckSignerForAll(ledger.get(), events, lines, where); !s.ok()) {
      return Fail(kName, s.message() + " (nothing was appended)");
    }
  }
  auto append = [&](std::vector<SignedEvent> chunk,
                    size_t* failed) -> StatusOr<std::vector<AppendResult>> {
    if (ledger) return ledger->Append(std::move(chunk), failed);
    auto reply = client->Append(chunk, failed);
    if (!reply.ok()) return reply.status();
    return std::move(reply.value().results);
  };

  uint64_t added = 0, duplicates = 0, first = 0, last = 0;
  for (size_t offset = 0; offset < events.size(); offset += batch.value()) {
    size_t end = std::min<size_t>(events.size(), offset + batch.value());
    std::vector<SignedEvent> chunk(std::make_move_iterator(events.begin() + offset),
                                   std::make_move_iterator(events.begin() + end));
    size_t failed = chunk.size();
    auto results = append(std::move(chunk), &failed);
    if (!results.ok()) {
      std::string at = offset + failed < lines.size()
                           ? where + ":" + std::to_string(lines[offset + failed].number) + ": "
                           : "";
      return Fail(kName, at + results.status().ToString() +
                             (added + duplicates == 0
                                  ? " (nothing was appended)"
                                  : " (the " + std::to_string(added + duplicates) +
                                        " events before this batch are stored; running the "
                                        "same input again is safe: they come back as duplicates)"));
    }
    for (const AppendResult& r : results.value()) {
      if (r.duplicate) {
        ++duplicates;
        continue;
      }
      if (added++ == 0) first = r.sequence;
      last = r.sequence;
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "appended " << added << " events";
  if (added > 0) std::cout << " at positions " << first << ".." << last;
  std::cout << "; " << duplicates << " were already in the ledger\n"
            << std::fixed << std::setprecision(2) << seconds << " s, " << std::setprecision(0)
            << (seconds > 0 ? double(events.size()) / seconds : 0)
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
    "again (re-running a file is safe); the same id with other bytes is refused.\n\n"
    "  --ledger DIR   the ledger\n"
    "  --key FILE     the signer's Ed25519 private key (PEM), registered in the ledger\n"
    "  --batch N      events per durable commit (default 1000, at most 10000; with\n"
    "                 --server default and most 256)\n"
    "  --server HOST:PORT  append through `evident serve` instead of opening the\n"
    "                 ledger; the server checks the key's rights (--trust CERT: the\n"
    "                 server's TLS certificate; --plaintext for a loopback server)\n",
    {"ledger", "key", "batch", "server", "trust"},
    {"plaintext"},
    RunAppend};

}  // namespace evident::cli
