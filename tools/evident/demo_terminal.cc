#include "tools/evident/demo_terminal.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "ledger/coding.h"
#include "ledger/key_registry.h"

namespace evident::cli {
namespace {

using projections::report::Count;
using projections::report::Json;
using projections::report::Money;
using projections::report::Percent;

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string Fixed(double x, int places) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", places, x);
  return buf;
}

// This program as the reader would type it: relative to the working folder
// when it lies beneath it.
std::string ProgramPath() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "evident";
  const auto relative = std::filesystem::relative(self, std::filesystem::current_path(), ec);
  if (ec || relative.empty() || relative.string().rfind("..", 0) == 0) return "evident";
  return relative.string();
}

const Json* FindTable(const Json& summary, const std::string& id) {
  for (const Json& t : summary["tables"]) {
    if (t["id"] == id) return &t;
  }
  return nullptr;
}

// The programmes that clearly worked and clearly did not, among those of 20
// or more participants whose classroom practice was observed: the highest
// share with changed practice; and, of those where fewer than three in ten
// changed, the one with the most spending that reached no one who did (a
// count under 10 is suppressed in the report, and said so here).
std::vector<std::string> ProgrammeFindings(const Json& summary) {
  const Json* table = FindTable(summary, "programmes_all");
  if (table == nullptr) return {};
  const Json *best = nullptr, *worst = nullptr;
  auto share = [](const Json& r) {
    const double changed = r["changed"].is_number() ? r["changed"].get<double>() : 9.5;
    return changed / r["participants"].get<double>();
  };
  auto wasted = [](const Json& r) { return r["without_level4_cents"].get<int64_t>(); };
  for (const Json& r : (*table)["rows"]) {
    if (!r["participants"].is_number() || !r["implementation_rate"].is_number() ||
        r["participants"].get<int64_t>() < 20) {
      continue;
    }
    if (r["changed"].is_number() && (best == nullptr || share(r) > share(*best))) best = &r;
    if (share(r) < 0.3 && (worst == nullptr || wasted(r) > wasted(*worst))) worst = &r;
  }
  std::vector<std::string> out;
  auto of = [](const Json& r) {
    return (r["changed"].is_number() ? Count(r["changed"].get<int64_t>()) : "Fewer than 10") +
           " of its " + Count(r["participants"].get<int64_t>()) +
           " participants showed changed practice";
  };
  if (best != nullptr) {
    std::string line = "Worked: " + (*best)["programme"].get<std::string>() + ". " + of(*best);
    if ((*best)["cost_per_change_cents"].is_number()) {
      line += ", at " + Money((*best)["cost_per_change_cents"].get<int64_t>()) + " per change";
    }
    out.push_back(line + ".");
  }
  if (worst != nullptr) {
    out.push_back("Did not: " + (*worst)["programme"].get<std::string>() + ". " + of(*worst) +
                  "; " + Money(wasted(*worst)) + " of its " +
                  Money((*worst)["spend_cents"].get<int64_t>()) +
                  " went to participants with no evidence of change.");
  }
  return out;
}

// Wraps `text` at `width` columns, each line after the first indented.
std::string Wrap(const std::string& text, size_t width, const std::string& indent) {
  std::string out, line;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + "\n" + indent;
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    start = end + 1;
  }
  return out + line;
}

}  // namespace

std::string Pad(const std::string& text, size_t width) {
  return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

Terminal::Terminal(std::ostream& out, bool plain)
    : out_(out), redraw_(!plain && isatty(STDOUT_FILENO)), started_(Now()) {}

void Terminal::Title(const demo::DistrictOptions& options, const std::string& dir) {
  out_ << "Evident demo: a synthetic district of " << options.sites << " sites, seed "
       << options.seed << ", in " << dir << "\n"
       << "(no real district or person; docs/demo-data.md says what shapes it)\n";
}

void Terminal::Step(int number, const std::string& what) {
  out_ << "\n"
       << (redraw_ ? "\033[1m" : "") << "[" << number << "/9] " << what
       << (redraw_ ? "\033[0m" : "") << "  (" << Fixed(Now() - started_, 1) << " s)\n";
}

void Terminal::Detail(const std::string& line) {
  out_ << "      " << Wrap(line, 92, "      ") << "\n";
}

std::string Terminal::ProgressLine(uint64_t sent, uint64_t total, uint64_t followed) const {
  const size_t width = 30;
  const size_t filled = total == 0 ? width : size_t(width * std::min(sent, total) / total);
  return "[" + std::string(filled, '#') + std::string(width - filled, '.') + "] " + Count(sent) +
         " of " + Count(total) + " events stored; the follower has " + Count(followed);
}

void Terminal::Progress(uint64_t sent, uint64_t total, uint64_t followed) {
  if (redraw_) {
    out_ << "\r\033[K      " << ProgressLine(sent, total, followed) << std::flush;
    return;
  }
  const int fifths = total == 0 ? 5 : int(5 * sent / total);
  if (fifths > fifths_shown_ && fifths < 5) {
    fifths_shown_ = fifths;
    out_ << "      " << ProgressLine(sent, total, followed) << std::endl;
  }
}

void Terminal::ProgressDone(uint64_t sent, uint64_t total, uint64_t followed) {
  if (redraw_) out_ << "\r\033[K";
  out_ << "      " << ProgressLine(sent, total, followed) << "\n";
}

void Terminal::Streamed(const demo_stream::Result& r, uint64_t size, const std::string& root_hex) {
  const uint64_t sent = r.appended + r.duplicates;
  Detail(Count(sent) + " events in " + Fixed(r.seconds, 1) + " s (" +
         Count(uint64_t(r.seconds > 0 ? sent / r.seconds : 0)) +
         " events/s), each signed by its system, checked against its key's rights and stored "
         "durably before it was acknowledged: " +
         Count(r.appended) + " new, " + Count(r.duplicates) + " already in the ledger");
  if (!r.rotated_from.empty()) {
    Detail("pd-system's key was rotated at the start of fiscal 2025-26: key " +
           ShortKeyId(r.rotated_to) + " registered, then " + ShortKeyId(r.rotated_from) +
           " revoked once the new key had signed; both key events are in the log");
  }
  Detail("the follower received all " + Count(r.followed) +
         " entries, in order, and their Merkle root is the checkpoint's: tree size " + Count(size) +
         ", root " + root_hex);
}

Status Terminal::While(const std::string& doing, const std::function<Status()>& work) {
  Status status;
  std::atomic<bool> done{false};
  std::thread worker([&] {
    status = work();
    done = true;
  });
  const double start = Now();
  int said = 0;  // plain lines so far
  while (!done) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const double seconds = Now() - start;
    if (redraw_) {
      out_ << "\r\033[K      " << doing << "... " << Fixed(seconds, 0) << " s" << std::flush;
    } else if (seconds >= 10 * (said + 1)) {
      out_ << "      " << doing << "... " << Fixed(seconds, 0) << " s" << std::endl;
      ++said;
    }
  }
  worker.join();
  if (redraw_) out_ << "\r\033[K" << std::flush;
  return status;
}

void Terminal::Rebuilt(const projections::UpdateReport& r) {
  Detail("reciprocity, accountability, equity and compliance views over entries 0.." + Count(r.to) +
         " in " + Fixed(r.fold_seconds + r.commit_seconds, 1) + " s");
}

void Terminal::Summary(const Json& summary, const std::string& dir,
                       const demo_stream::Result& streamed) {
  const Json& log = summary["log"];
  const uint64_t sent = streamed.appended + streamed.duplicates;
  out_ << "\n"
       << (redraw_ ? "\033[1m" : "") << "In short" << (redraw_ ? "\033[0m" : "") << "\n"
       << "  events      " << Count(sent) << " from five systems over TLS in "
       << Fixed(streamed.seconds, 1) << " s ("
       << Count(uint64_t(streamed.seconds > 0 ? sent / streamed.seconds : 0)) << " events/s);\n"
       << "              the follower read all " << Count(streamed.followed) << " entries\n"
       << "  checkpoint  " << log["origin"].get<std::string>() << ", tree size "
       << Count(log["tree_size"].get<uint64_t>()) << ",\n"
       << "              root " << log["root_hash"].get<std::string>() << "\n"
       << "  witnesses   cosigned by the county office's and the state agency's witnesses\n"
       << "  audit       the bundle verified offline; the report recomputed from it matches\n";
  out_ << "\n"
       << (redraw_ ? "\033[1m" : "") << "What the report says about "
       << summary["fiscal_year_label"].get<std::string>() << (redraw_ ? "\033[0m" : "") << "\n";
  for (const Json& section : summary["sections"]) {
    if (section["id"] != "summary") continue;
    for (const Json& p : section["paragraphs"]) {
      out_ << "  - " << Wrap(p.get<std::string>(), 90, "    ") << "\n";
    }
  }
  for (const std::string& line : ProgrammeFindings(summary)) {
    out_ << "  - " << Wrap(line, 90, "    ") << "\n";
  }
  const std::string e = ProgramPath();
  out_ << "\nWhere to look (done in " << Fixed(Now() - started_, 0) << " s)\n"
       << "  " << Pad(dir + "/report/report.html", 34) << "the board report; open it in a browser\n"
       << "  " << Pad(dir + "/report/", 34)
       << "report.pdf, report.md, summary.json and one CSV per table\n"
       << "  " << Pad(dir + "/bundle/", 34)
       << "the auditor's bundle (README.txt says how to check it)\n"
       << "  " << Pad(dir + "/ledger/", 34) << "the ledger; keys of every system in " << dir
       << "/keys/\n"
       << "  " << Pad(dir + "/hr-staff.jsonl", 34)
       << "HR's export: the names the directory was filled from\n"
       << "  " << Pad(dir + "/witnesses/", 34)
       << "the two witnesses; county.vkey and state.vkey are their keys\n"
       << "\nTry next\n"
       << "  " << e << " report verify " << dir << "/report --bundle " << dir << "/bundle \\\n"
       << "      --witness \"$(cat " << dir << "/witnesses/county.vkey)\" --witness \"$(cat " << dir
       << "/witnesses/state.vkey)\"\n"
       << "  " << e << " checkpoint --ledger " << dir << "/ledger\n"
       << "  " << e << " verify --ledger " << dir << "/ledger\n"
       << "  " << e << " prove --ledger " << dir << "/ledger --index 1234 --tlog-proof\n"
       << "  " << e << " query reciprocity --ledger " << dir << "/ledger --person e-10017\n"
       << "  " << e << " serve --ledger " << dir << "/ledger\n"
       << "\nThe pages for people\n"
       << "  " << e << " serve --ledger " << dir << "/ledger --pages 127.0.0.1:8443 --reports " << dir
       << "\n"
       << "  then open https://127.0.0.1:8443/setup (the certificate is the demo's own, "
       << dir << "/ledger/keys/tls-cert.pem)\n"
       << "  and set a password with a sign-in name and one-time code from step 9\n";
}

}  // namespace evident::cli
