// The documents: the board reports as published (each at its checkpoint),
// the compliance view, and single entries with the proof the page checks in
// the browser (static/check.js).

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ledger/coding.h"
#include "ledger/entry.h"
#include "ledger/merkle/hash.h"
#include "ledger/proof_files.h"
#include "projections/report/format.h"
#include "server/pages/form.h"
#include "server/pages/handlers.h"

namespace evident::server::pages {

namespace {

using directory::Role;
namespace fs = std::filesystem;

bool ReadWhole(const fs::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = s.str();
  return static_cast<bool>(in) || in.eof();
}

// A report's folder name: letters, digits, '.', '_', '-', not all dots.
bool IsReportName(const std::string& name) {
  if (name.empty() || name.size() > 100 || name.find_first_not_of('.') == std::string::npos) {
    return false;
  }
  for (unsigned char c : name) {
    if (!std::isalnum(c) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

struct ReportInfo {
  std::string name, label, as_of, origin, size, root;
};

std::optional<ReportInfo> ReadReport(const fs::path& dir) {
  std::string text;
  if (!ReadWhole(dir / "summary.json", &text)) return std::nullopt;
  const Json summary = Json::parse(text, nullptr, false);
  if (summary.is_discarded() || !summary.is_object() || !summary.contains("log")) return std::nullopt;
  const Json& log = summary["log"];
  ReportInfo r;
  r.name = dir.filename().string();
  r.label = summary.value("fiscal_year_label", "");
  r.as_of = summary.value("as_of_date", "");
  r.origin = log.value("origin", "");
  r.size = log.contains("tree_size") ? log["tree_size"].dump() : "";
  r.root = log.value("root_hash", "");
  return r;
}

}  // namespace

Response Pages::Handlers::Reports(const Viewer& viewer) {
  Json rows = Json::array();
  std::error_code ec;
  if (!options_.reports_dir.empty()) {
    std::vector<ReportInfo> found;
    for (const auto& item : fs::directory_iterator(options_.reports_dir, ec)) {
      if (!item.is_directory() || !IsReportName(item.path().filename().string())) continue;
      if (auto info = ReadReport(item.path())) found.push_back(*info);
    }
    std::sort(found.begin(), found.end(),
              [](const ReportInfo& a, const ReportInfo& b) { return a.name > b.name; });
    for (const auto& r : found) {
      rows.push_back({{"href", "/reports/" + r.name + "/"},
                      {"label", r.label},
                      {"as_of", r.as_of},
                      {"origin", r.origin},
                      {"size", r.size},
                      {"root", r.root}});
    }
  }
  auto state = State();
  Json c = {{"rows", rows}, {"none", rows.empty()}};
  return Page(200, "reports", c, "Board reports", &viewer,
              state.ok() ? state.value().get() : nullptr);
}

Response Pages::Handlers::Report(const Request& request, const Viewer& viewer) {
  // /reports/NAME/ (the page), /reports/NAME/report.html (framed in it),
  // /reports/NAME/report.pdf (a download).
  std::string rest = request.Path().substr(std::string("/reports/").size());
  const size_t slash = rest.find('/');
  if (slash == std::string::npos) return Redirect("/reports/" + rest + "/");
  const std::string name = rest.substr(0, slash), file = rest.substr(slash + 1);
  if (options_.reports_dir.empty() || !IsReportName(name)) {
    return Error(404, "There is no such report.", &viewer);
  }
  const fs::path dir = fs::path(options_.reports_dir) / name;
  auto info = ReadReport(dir);
  if (!info) return Error(404, "There is no such report.", &viewer);
  if (file.empty()) {
    Json c = {{"name", name}, {"label", info->label}, {"as_of", info->as_of},
              {"origin", info->origin}, {"size", info->size}, {"root", info->root},
              {"html_href", "/reports/" + name + "/report.html"},
              {"pdf_href", "/reports/" + name + "/report.pdf"}};
    Snapshot shown;  // the page states the report's own checkpoint
    shown.origin = info->origin;
    shown.size = std::strtoull(info->size.c_str(), nullptr, 10);
    shown.root_hex = info->root;
    shown.as_of = info->as_of;
    return Page(200, "report", c, "Board report " + info->label, &viewer, &shown);
  }
  std::string bytes;
  if ((file != "report.html" && file != "report.pdf") || !ReadWhole(dir / file, &bytes)) {
    return Error(404, "This report has no " + file + ".", &viewer);
  }
  Response r;
  r.body = std::move(bytes);
  r.headers.push_back({"X-Content-Type-Options", "nosniff"});
  r.headers.push_back({"Strict-Transport-Security", "max-age=31536000"});
  if (file == "report.pdf") {
    r.content_type = "application/pdf";
    r.headers.push_back({"Content-Disposition",
                         "attachment; filename=\"board-report-" + name + ".pdf\""});
  } else {
    // The report is one self-contained page: its own inline styles and
    // images, no script; shown in a frame of the report page.
    r.content_type = "text/html; charset=utf-8";
    r.headers.push_back({"Content-Security-Policy",
                         "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                         "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"});
  }
  return r;
}

Response Pages::Handlers::Compliance(const Viewer& viewer) {
  if (!viewer.Is(Role::kAuditor) && !viewer.Is(Role::kOffice)) {
    return Error(403, "The compliance view is for auditors and the office.", &viewer);
  }
  auto state = State();
  if (!state.ok()) return Error(503, state.status().message(), &viewer);
  const Snapshot& s = *state.value();
  // One table per kind of row, its columns the rows' own fields.
  std::map<std::string, Json> kinds;
  for (const auto& row : s.compliance) {
    kinds[row.row.value("row", "other")].push_back(row.row);
  }
  Json sections = Json::array();
  for (const auto& [kind, rows] : kinds) {
    Json columns = Json::array(), lines = Json::array();
    std::vector<std::string> names;
    for (const auto& [key, value] : rows[0].items()) {
      if (key == "row") continue;
      names.push_back(key);
      columns.push_back(key);
    }
    for (const auto& row : rows) {
      Json cells = Json::array();
      for (const auto& key : names) {
        const Json& v = row.contains(key) ? row[key] : Json();
        cells.push_back(v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump());
      }
      lines.push_back({{"cells", cells}});
    }
    sections.push_back({{"kind", kind},
                        {"id", "kind-" + kind},
                        {"count", std::to_string(rows.size())},
                        {"columns", columns},
                        {"rows", lines}});
  }
  Json c = {{"sections", sections}, {"none", sections.empty()}};
  return Page(200, "compliance", c, "Compliance", &viewer, &s);
}

std::string Pages::Handlers::EntryPerson(uint64_t position) {
  auto bytes = ledger_->ReadEntry(position);
  if (!bytes.ok()) return "";
  auto entry = ParseEntry(bytes.value());
  if (!entry.ok()) return "";
  auto event = ParseEvent(AsView(entry.value()->event()));
  if (!event.ok()) return "";
  const schema::Subject* subject = event.value()->subject();
  return subject && subject->person_id() ? subject->person_id()->str() : "";
}

bool Pages::Handlers::MaySeeEntry(const Viewer& viewer, uint64_t position, const Snapshot& s) {
  if (viewer.Is(Role::kAuditor) || viewer.Is(Role::kOffice)) return true;
  const std::string person = EntryPerson(position);
  if (person.empty()) return viewer.Is(Role::kSiteLeader);
  return MaySeePerson(viewer, person, s);
}

Response Pages::Handlers::Entry(const Viewer& viewer, uint64_t position) {
  auto state = State();
  if (!state.ok()) return Error(503, state.status().message(), &viewer);
  const Snapshot& s = *state.value();
  if (position >= s.size) return Error(404, "The log has no entry " + std::to_string(position) + " yet.", &viewer);
  const std::string person = EntryPerson(position);
  const bool allowed = MaySeeEntry(viewer, position, s);
  if (!person.empty()) RecordView(viewer, person, "/entries/" + std::to_string(position), allowed);
  if (!allowed) return Error(403, "You may not see this entry.", &viewer);
  auto bytes = ledger_->ReadEntry(position);
  if (!bytes.ok()) return Error(503, bytes.status().message(), &viewer);
  auto entry = ParseEntry(bytes.value());
  if (!entry.ok()) return Error(503, entry.status().message(), &viewer);
  std::string json;
  {
    std::lock_guard<std::mutex> lock(codec_mu_);
    auto text = codec_->ToJson(AsView(entry.value()->event()));
    json = text.ok() ? Json::parse(text.value()).dump(2) : text.status().message();
  }
  Json c = {{"position", std::to_string(position)},
            {"size", std::to_string(s.size)},
            {"person", person},
            {"person_href", person.empty() ? "" : "/people/" + PercentEncode(person)},
            {"event", json},
            {"signer", HexEncode(AsView(entry.value()->signer_key_id()))},
            {"proof_url", "/proof/" + std::to_string(position)},
            {"leaf_hash", HexEncode(merkle::LeafHash(bytes.value()))}};
  Response r = Page(200, "entry", c, "Entry " + std::to_string(position), &viewer, &s);
  return r;
}

Response Pages::Handlers::Proof(const Viewer& viewer, uint64_t position) {
  auto state = State();
  if (!state.ok()) return Error(503, state.status().message(), &viewer);
  const Snapshot& s = *state.value();
  if (position >= s.size || !MaySeeEntry(viewer, position, s)) {
    return http::TextResponse(position >= s.size ? 404 : 403, "no proof for you here");
  }
  auto bytes = ledger_->ReadEntry(position);
  auto proof = ledger_->InclusionProof(position, s.size);
  auto verifier = ledger_->CheckpointVerifier();
  if (!bytes.ok() || !proof.ok() || !verifier.ok()) {
    return http::TextResponse(503, "the proof could not be read");
  }
  InclusionFile f;
  f.index = position;
  f.size = s.size;
  f.entry = bytes.value();
  f.leaf_hash = merkle::LeafHash(bytes.value());
  f.proof = std::move(proof.value());
  f.checkpoint_note = s.checkpoint;
  Json out = Json::parse(InclusionJson(f));
  out["log_key"] = verifier->Vkey();
  Response r;
  r.content_type = "application/json";
  r.body = out.dump(2) + "\n";
  r.headers.push_back({"Cache-Control", "no-store"});
  r.headers.push_back({"X-Content-Type-Options", "nosniff"});
  return r;
}

}  // namespace evident::server::pages
