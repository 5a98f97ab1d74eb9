// report.html: the board's copy, self-contained and printable.

#include <cstdio>
#include <sstream>

#include "projections/report/chart.h"
#include "projections/report/render.h"
#include "projections/report/table.h"

namespace evident::projections::report {
namespace {

std::string Escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// Draws into SVG elements. Widths are estimated from the character count
// (the browser lays out the text; labels are anchored, so a rough width
// only sizes the label column).
class SvgCanvas : public Canvas {
 public:
  void Rect(double x, double y, double w, double h, Color fill) override {
    out_ << "<rect x=\"" << Num(x) << "\" y=\"" << Num(y) << "\" width=\"" << Num(w)
         << "\" height=\"" << Num(h) << "\" fill=\"" << fill.Hex() << "\"/>";
  }
  void Line(double x1, double y1, double x2, double y2, Color color, double width) override {
    out_ << "<line x1=\"" << Num(x1) << "\" y1=\"" << Num(y1) << "\" x2=\"" << Num(x2) << "\" y2=\""
         << Num(y2) << "\" stroke=\"" << color.Hex() << "\" stroke-width=\"" << Num(width)
         << "\"/>";
  }
  void Text(double x, double y, const std::string& text, double size, Color color, Align align,
            bool bold) override {
    const char* anchor = align == Align::kRight    ? "end"
                         : align == Align::kCenter ? "middle"
                                                   : "start";
    out_ << "<text x=\"" << Num(x) << "\" y=\"" << Num(y) << "\" font-size=\"" << Num(size)
         << "\" fill=\"" << color.Hex() << "\" text-anchor=\"" << anchor << "\""
         << (bold ? " font-weight=\"bold\"" : "") << ">" << Escape(text) << "</text>";
  }
  double TextWidth(const std::string& text, double size, bool bold) override {
    size_t chars = 0;
    for (unsigned char c : text) chars += (c & 0xc0) != 0x80;  // UTF-8 code points
    return double(chars) * size * (bold ? 0.6 : 0.55);
  }
  std::string str() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

constexpr char kStyle[] = R"(
:root { --ink: #1a1a1a; --muted: #555; --rule: #b0b0b0; --band: #f2f5f8; --accent: #0072b2; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink);
       max-width: 56rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.45; font-size: 15px; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; border-bottom: 1px solid var(--rule); padding-bottom: .2rem; }
.meta { color: var(--muted); margin: 0 0 .8rem; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: .6rem; margin: 1rem 0; }
.tile { background: var(--band); border-left: 4px solid var(--accent); padding: .5rem .8rem; }
.tile .value { font-size: 1.45rem; font-weight: bold; display: block; }
.tile .label { color: var(--muted); font-size: .85rem; }
figure { margin: 1rem 0; break-inside: avoid; }
figcaption { font-weight: bold; margin-bottom: .3rem; }
svg { width: 100%; height: auto; font-family: inherit; }
.table-scroll { overflow-x: auto; margin: .8rem 0 .3rem; }
.table-scroll:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; }
caption { text-align: left; font-weight: bold; padding-bottom: .3rem; }
/* On a narrow screen the table scrolls in its region; its title stays in view. */
caption span { display: inline-block; position: sticky; left: 0; max-width: calc(100vw - 2rem); }
th, td { padding: .3rem .35rem; border-bottom: 1px solid #ddd; vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); text-align: left; vertical-align: bottom; }
tbody th, tfoot th { text-align: left; font-weight: normal; }
tfoot th { font-weight: bold; border-top: 2px solid var(--ink); }
/* Figures stay on one line; column headings wrap, or a wide table overflows its column. */
th.num, td.num { text-align: right; }
td.num, tbody th.num, tfoot th.num { white-space: nowrap; }
tfoot td { border-top: 2px solid var(--ink); font-weight: bold; }
tbody tr:nth-child(even) { background: #fafafa; }
.note { color: var(--muted); font-size: .82rem; margin: .2rem 0 1rem; }
.privacy { border: 1px solid var(--rule); padding: .6rem .8rem; font-size: .88rem; }
.verify { border: 2px solid var(--ink); padding: .8rem 1rem; margin-top: 1rem; }
.verify dt { font-weight: bold; }
.verify dd { margin: 0 0 .5rem; font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: .8rem;
             overflow-wrap: anywhere; }
pre { background: var(--band); padding: .6rem; font-size: .78rem; white-space: pre-wrap;
      overflow-wrap: anywhere; }
@media print {
  @page { size: letter; margin: 16mm 14mm; }
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  h2 { break-after: avoid; }
  tr, .tile, .verify { break-inside: avoid; }
  #programmes, #verification { break-before: page; }
  tbody tr:nth-child(even) { background: none; }
  .table-scroll { overflow: visible; }
  table { font-size: 8.5pt; }
  th, td { padding: .2rem .3rem; }
}
@media (max-width: 30rem) {
  body { margin: 1rem auto; padding: 0 1rem; }
}
)";

void Table(const Json& t, std::ostringstream& out) {
  auto is_num = [](const Json& c) { return c["kind"] != "text"; };
  // A wide table scrolls sideways in its own region on a narrow screen, not the page; the
  // region is labelled by the caption and focusable, so a keyboard scrolls it too.
  const std::string id = "t-" + Escape(t["id"]);
  out << "<div class=\"table-scroll\" role=\"region\" aria-labelledby=\"" << id
      << "-caption\" tabindex=\"0\">\n<table id=\"" << id << "\">\n<caption><span id=\"" << id
      << "-caption\">" << Escape(t["caption"]) << "</span></caption>\n<thead><tr>";
  for (const Json& c : t["columns"]) {
    out << "<th scope=\"col\"" << (is_num(c) ? " class=\"num\"" : "") << ">" << Escape(c["label"])
        << "</th>";
  }
  out << "</tr></thead>\n";
  auto row = [&](const Json& r) {
    out << "<tr>";
    bool first = true;
    for (const Json& c : t["columns"]) {
      const char* cell = first ? "th scope=\"row\"" : "td";
      out << "<" << cell << (is_num(c) ? " class=\"num\"" : "") << ">"
          << Escape(CellForPeople(r, c)) << "</" << (first ? "th" : "td") << ">";
      first = false;
    }
    out << "</tr>\n";
  };
  out << "<tbody>\n";
  for (const Json& r : t["rows"]) row(r);
  out << "</tbody>\n";
  if (!t["total"].is_null()) {
    out << "<tfoot>";
    row(t["total"]);
    out << "</tfoot>\n";
  }
  out << "</table>\n</div>\n";
  for (const Json& n : t["notes"]) out << "<p class=\"note\">" << Escape(n) << "</p>\n";
}

void Chart(const Json& chart, const Json& table, std::ostringstream& out) {
  constexpr double kWidth = 640;
  SvgCanvas canvas;
  const double height = DrawChart(chart, table, &canvas, 0, 0, kWidth);
  const std::string id = Escape(chart["id"]);
  out << "<figure>\n<figcaption id=\"" << id << "-title\">" << Escape(chart["title"])
      << "</figcaption>\n<svg role=\"img\" aria-labelledby=\"" << id << "-title " << id
      << "-desc\" viewBox=\"0 0 " << Num(kWidth) << " " << Num(height)
      << "\" xmlns=\"http://www.w3.org/2000/svg\"><desc id=\"" << id << "-desc\">"
      << Escape(ChartDescription(chart, table)) << "</desc>" << canvas.str()
      << "</svg>\n</figure>\n";
}

void Verification(const Json& summary, std::ostringstream& out) {
  const Json& log = summary["log"];
  const std::string note = log["checkpoint"];
  const size_t sig = note.rfind("\u2014 ");
  out << "<div class=\"verify\">\n<dl>\n<dt>Log (origin)</dt><dd>" << Escape(log["origin"])
      << "</dd>\n<dt>Tree size</dt><dd>" << log["tree_size"].get<uint64_t>()
      << " entries</dd>\n<dt>Root hash (SHA-256, hex)</dt><dd>" << Escape(log["root_hash"])
      << "</dd>\n<dt>Signature</dt><dd>"
      << Escape(sig == std::string::npos ? "none" : note.substr(sig))
      << (log["checkpoint_verified"].get<bool>() ? " (verified)" : " (NOT verified)")
      << "</dd>\n</dl>\n<p><strong>The signed checkpoint</strong></p>\n<pre>" << Escape(note)
      << "</pre>\n<p><strong>To check this report</strong></p>\n<pre><code>"
      << Escape(summary["recompute"]["verify"]) << "</code></pre>\n"
      << "<p><strong>To compute it again</strong></p>\n<pre><code>"
      << Escape(summary["recompute"]["report"]) << "</code></pre>\n</div>\n";
}

}  // namespace

std::string RenderHtml(const Json& s) {
  std::ostringstream out;
  const std::string title =
      s["report"].get<std::string>() + ", " + s["fiscal_year_label"].get<std::string>();
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>" << Escape(title) << "</title>\n<style>" << kStyle
      << "</style>\n</head>\n<body>\n"
      << "<header>\n<h1>" << Escape(title) << "</h1>\n<p class=\"meta\">" << Escape(s["district"])
      << " &middot; fiscal year " << Escape(s["fiscal_year_label"]) << " &middot; figures as of "
      << Escape(LongDate(s["as_of_date"].get<std::string>())) << " &middot; ledger tree size "
      << s["log"]["tree_size"].get<uint64_t>() << "</p>\n</header>\n<main>\n";
  for (const Json& section : s["sections"]) {
    const std::string id = section["id"];
    out << "<section id=\"" << Escape(id) << "\">\n<h2>" << Escape(section["title"]) << "</h2>\n";
    for (const Json& p : section["paragraphs"]) out << "<p>" << Escape(p) << "</p>\n";
    if (id == "summary") {
      out << "<div class=\"tiles\">\n";
      for (const Json& h : s["headline"]) {
        out << "<div class=\"tile\"><span class=\"value\">" << Escape(HeadlineForPeople(h))
            << "</span><span class=\"label\">" << Escape(h["label"]) << "</span></div>\n";
      }
      out << "</div>\n<p class=\"privacy\">" << Escape(s["privacy"]["statement"]) << "</p>\n";
    }
    for (const Json& chart : section["charts"]) {
      if (const Json* t = FindTable(s, chart["table"])) Chart(chart, *t, out);
    }
    for (const Json& id_ref : section["tables"]) {
      if (const Json* t = FindTable(s, id_ref)) Table(*t, out);
    }
    if (id == "verification") Verification(s, out);
    out << "</section>\n";
  }
  out << "</main>\n</body>\n</html>\n";
  return out.str();
}

}  // namespace evident::projections::report
