// The documents: the board reports as published (each at its checkpoint),
// the compliance view, and single entries with the proof the page checks in
// the browser (static/check.js).

#include <algorithm>
#include <cctype>
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

// "2025-26" for the label "2025–26": letters, digits and '-' only, for a
// file name; the folder's name when the label has none of them.
std::string DownloadName(const std::string& label, const std::string& folder) {
  std::string out;
  for (unsigned char c : label) {
    if (std::isalnum(c)) {
      out += static_cast<char>(c);
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? folder : out;
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
                         "attachment; filename=\"board-report-" + DownloadName(info->label, name) +
                             ".pdf\""});
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
  // One table per kind of row, every kind always (an empty one says so),
  // its columns the rows' own fields; positions link to their entries.
  static const std::vector<std::pair<std::string, std::string>> kKinds = {
      {"time_and_effort_gap", "Federal salary without a timely time-and-effort certification"},
      {"cost_without_invoice_or_po", "Costs without an invoice or purchase order"},
      {"federal_funds_on_required_program", "Federal funds on required programmes"},
      {"amendment", "Corrections and voids"},
      {"events_left_out", "Events left out of the figures"},
      {"log", "The checkpoint and its verification"}};
  std::map<std::string, std::vector<const Json*>> kinds;
  for (const auto& row : s.compliance) kinds[row.row.value("row", "other")].push_back(&row.row);
  Json sections = Json::array();
  for (const auto& [kind, title] : kKinds) {
    const std::vector<const Json*>& rows = kinds[kind];
    Json columns = Json::array(), lines = Json::array();
    std::vector<std::string> names;
    if (!rows.empty()) {
      for (const auto& [key, value] : rows[0]->items()) {
        if (key == "row") continue;
        names.push_back(key);
        std::string heading = key;
        std::replace(heading.begin(), heading.end(), '_', ' ');
        heading[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(heading[0])));
        columns.push_back(heading);
      }
    }
    for (const Json* row : rows) {
      Json cells = Json::array();
      for (const auto& key : names) {
        const Json& v = row->contains(key) ? (*row)[key] : Json();
        const std::string text = v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump();
        const bool position = key == "position" || key.ends_with("_position");
        cells.push_back({{"text", text},
                         {"href", position && v.is_number_unsigned() ? "/entries/" + text : ""}});
      }
      lines.push_back({{"cells", cells}});
    }
    sections.push_back({{"title", title},
                        {"id", "kind-" + kind},
                        {"count", std::to_string(rows.size())},
                        {"empty", rows.empty()},
                        {"columns", columns},
                        {"rows", lines}});
  }
  Json c = {{"sections", sections}};
  return Page(200, "compliance", c, "Compliance", &viewer, &s);
}

bool Pages::Handlers::MaySeeEntry(const Viewer& viewer, uint64_t position, const Snapshot& s) {
  if (viewer.Is(Role::kAuditor) || viewer.Is(Role::kOffice)) return true;
  // An entry about no one (a cost, a budget, a site, a key) is the
  // district's: the office's and the auditors'.
  const std::string person = s.PersonOf(position);
  return !person.empty() && MaySeePerson(viewer, person, s);
}

Response Pages::Handlers::Entry(const Viewer& viewer, uint64_t position) {
  auto state = State();
  if (!state.ok()) return Error(503, state.status().message(), &viewer);
  const Snapshot& s = *state.value();
  if (position >= s.size) return Error(404, "The log has no entry " + std::to_string(position) + " yet.", &viewer);
  const std::string person = s.PersonOf(position);
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
  const Json event = Json::parse(json, nullptr, false);
  const std::string type = event.is_object() ? event.value("event_type", "") : "";
  const std::string key_id(AsView(entry.value()->signer_key_id()));
  const auto key = ledger_->FindKey(key_id);
  std::string signer = key ? key->principal_id + "'s key" : "a key the log does not know";
  if (key && key->revoked_at) {
    signer += " (revoked from entry " + std::to_string(*key->revoked_at) + " on)";
  }
  Json c = {{"position", std::to_string(position)},
            {"label", EventLabel(type)},
            {"type", type},
            {"date", event.is_object() ? event.value("occurred_at", "").substr(0, 10) : ""},
            {"source", event.is_object() ? event.value("source_system", "") : ""},
            {"person", person},
            {"person_name", person.empty() ? "" : NameOf(person)},
            {"person_href", person.empty() ? "" : "/people/" + PercentEncode(person)},
            {"event", json},
            {"signer", signer},
            {"signer_key", HexEncode(key_id)},
            {"proof_url", "/proof/" + std::to_string(position)},
            {"leaf_hash", HexEncode(merkle::LeafHash(bytes.value()))}};
  // What amended it, and what it amends.
  Json amendments = Json::array();
  if (auto it = s.amended_by.find(position); it != s.amended_by.end()) {
    for (const AmendmentRef& a : it->second) {
      amendments.push_back({{"href", "/entries/" + std::to_string(a.position)},
                            {"position", std::to_string(a.position)},
                            {"what", a.voided ? "Voided" : "Corrected"},
                            {"reason", a.reason},
                            {"outcome", a.outcome}});
    }
  }
  c["amendments"] = amendments;
  if (auto it = s.amends.find(position); it != s.amends.end()) {
    c["amends"] = {{"href", "/entries/" + std::to_string(it->second)},
                   {"position", std::to_string(it->second)}};
  }
  Response r = Page(200, "entry", c, "Entry " + std::to_string(position), &viewer, &s);
  return r;
}

Response Pages::Handlers::Proof(const Viewer& viewer, uint64_t position) {
  auto state = State();
  if (!state.ok()) return Error(503, state.status().message(), &viewer);
  const Snapshot& s = *state.value();
  if (position >= s.size) return http::TextResponse(404, "the log has no such entry yet");
  // A proof carries the entry's bytes: a view of the person's record.
  const std::string person = s.PersonOf(position);
  const bool allowed = MaySeeEntry(viewer, position, s);
  if (!person.empty()) RecordView(viewer, person, "/proof/" + std::to_string(position), allowed);
  if (!allowed) return http::TextResponse(403, "you may not see this entry's proof");
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
