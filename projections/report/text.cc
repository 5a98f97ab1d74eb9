// The report's plain-text files: report.md, one CSV per table, summary.json.

#include <sstream>
#include <string_view>

#include "projections/report/chart.h"
#include "projections/report/render.h"
#include "projections/report/table.h"

namespace evident::projections::report {
namespace {

std::string MarkdownCell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

void MarkdownTable(const Json& t, std::ostringstream& out) {
  out << "**" << MarkdownCell(t["caption"]) << "**\n\n|";
  for (const Json& c : t["columns"]) out << " " << MarkdownCell(c["label"]) << " |";
  out << "\n|";
  for (const Json& c : t["columns"]) out << (c["kind"] == "text" ? " --- |" : " ---: |");
  out << "\n";
  auto row = [&](const Json& r, bool bold) {
    out << "|";
    for (const Json& c : t["columns"]) {
      std::string cell = MarkdownCell(CellForPeople(r, c));
      if (bold && !cell.empty()) cell = "**" + cell + "**";
      out << " " << cell << " |";
    }
    out << "\n";
  };
  for (const Json& r : t["rows"]) row(r, false);
  if (!t["total"].is_null()) row(t["total"], true);
  out << "\n";
  for (const Json& n : t["notes"]) out << "_" << MarkdownCell(n) << "_\n\n";
}

}  // namespace

std::string RenderMarkdown(const Json& s) {
  std::ostringstream out;
  out << "# " << s["report"].get<std::string>() << ", " << s["fiscal_year_label"].get<std::string>()
      << "\n\n"
      << s["district"].get<std::string>() << " · fiscal year "
      << s["fiscal_year_label"].get<std::string>() << " · figures as of "
      << LongDate(s["as_of_date"].get<std::string>()) << " · ledger tree size "
      << s["log"]["tree_size"].get<uint64_t>() << "\n\n";
  for (const Json& section : s["sections"]) {
    const std::string id = section["id"];
    out << "## " << section["title"].get<std::string>() << "\n\n";
    for (const Json& p : section["paragraphs"]) out << p.get<std::string>() << "\n\n";
    if (id == "summary") {
      out << "| Figure | Value |\n| --- | ---: |\n";
      for (const Json& h : s["headline"]) {
        out << "| " << MarkdownCell(h["label"]) << " | " << MarkdownCell(HeadlineForPeople(h))
            << " |\n";
      }
      out << "\n> " << s["privacy"]["statement"].get<std::string>() << "\n\n";
    }
    for (const Json& chart : section["charts"]) {
      if (const Json* t = FindTable(s, chart["table"])) {
        out << "_Chart: " << MarkdownCell(ChartDescription(chart, *t)) << "_\n\n";
      }
    }
    for (const Json& ref : section["tables"]) {
      if (const Json* t = FindTable(s, ref)) MarkdownTable(*t, out);
    }
    if (id == "verification") {
      const Json& log = s["log"];
      out << "- Log (origin): `" << log["origin"].get<std::string>() << "`\n"
          << "- Tree size: " << log["tree_size"].get<uint64_t>() << " entries\n"
          << "- Root hash: `" << log["root_hash"].get<std::string>() << "`\n"
          << "- Checkpoint signature "
          << (log["checkpoint_verified"].get<bool>() ? "verified" : "NOT verified")
          << " when the report was made\n\n```\n"
          << log["checkpoint"].get<std::string>() << "```\n\nTo check this report:\n\n```\n"
          << s["recompute"]["verify"].get<std::string>() << "\n```\n\nTo compute it again:\n\n```\n"
          << s["recompute"]["report"].get<std::string>() << "\n```\n";
    }
  }
  return out.str();
}

std::map<std::string, std::string> RenderCsvs(const Json& s) {
  std::map<std::string, std::string> files;
  for (const Json& t : s["tables"]) {
    std::ostringstream out;
    bool first = true;
    for (const Json& c : t["columns"]) {
      out << (first ? "" : ",") << CsvField(c["label"].get<std::string>());
      first = false;
    }
    out << "\r\n";
    auto row = [&](const Json& r) {
      bool first_cell = true;
      for (const Json& c : t["columns"]) {
        std::string cell = CellForSheet(r, c);
        // Words a spreadsheet would take for a formula (a programme's title
        // or a decision's rationale from a source system) are written as
        // text: a leading apostrophe, as spreadsheets themselves do.
        if (c["kind"] == "text" && !cell.empty() && std::string_view("=+-@\t\r").find(cell[0]) !=
                                                       std::string_view::npos) {
          cell = "'" + cell;
        }
        out << (first_cell ? "" : ",") << CsvField(cell);
        first_cell = false;
      }
      out << "\r\n";
    };
    for (const Json& r : t["rows"]) row(r);
    if (!t["total"].is_null()) row(t["total"]);
    files[t["id"].get<std::string>() + ".csv"] = out.str();
  }
  return files;
}

std::string SummaryText(const Json& summary) {
  // Strings from the log are UTF-8 when they came through JSON; a stray byte
  // from elsewhere is written as U+FFFD rather than fail the report.
  return summary.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

StatusOr<std::map<std::string, std::string>> RenderAll(const Json& summary) {
  std::map<std::string, std::string> files = RenderCsvs(summary);
  files["summary.json"] = SummaryText(summary);
  files["report.html"] = RenderHtml(summary);
  files["report.md"] = RenderMarkdown(summary);
  auto pdf = RenderPdf(summary);
  if (!pdf.ok()) return pdf.status();
  files["report.pdf"] = std::move(pdf.value());
  return files;
}

}  // namespace evident::projections::report
