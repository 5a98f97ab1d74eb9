#include "projections/report/chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "projections/report/table.h"

namespace evident::projections::report {
namespace {

constexpr double kBar = 16, kGap = 8, kFont = 10, kValueRoom = 78, kPad = 4;

// Okabe-Ito, in the order of the reciprocity statuses: reciprocated (green),
// pending (sky blue), too little evidence (orange), owed by staff
// (vermillion), owed by the district (reddish purple).
constexpr Color kStatus[] = {{0x00, 0x9e, 0x73},
                             {0x56, 0xb4, 0xe9},
                             {0xe6, 0x9f, 0x00},
                             {0xd5, 0x5e, 0x00},
                             {0xcc, 0x79, 0xa7}};

double Value(const Json& v) { return v.is_number() ? v.get<double>() : 0.0; }

}  // namespace

std::string Color::Hex() const {
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", r, g, b);
  return buf;
}

double BarChartHeight(const Json& table) {
  const size_t n = table["rows"].size();
  return kPad + double(n) * (kBar + kGap) + kPad;
}

double DrawBarChart(const Json& chart, const Json& table, Canvas* canvas, double x, double y,
                    double width) {
  const std::string label_key = chart["label"], value_key = chart["value"];
  const Json value_column{{"key", value_key}, {"kind", chart["kind"]}};
  const Json& rows = table["rows"];
  double label_width = 0, max_value = 0;
  for (const Json& r : rows) {
    label_width = std::max(label_width, canvas->TextWidth(r.value(label_key, ""), kFont, false));
    max_value = std::max(max_value, Value(r[value_key]));
  }
  label_width = std::min(label_width + 10, width * 0.45);
  const double axis = x + label_width;
  const double room = std::max(10.0, width - label_width - kValueRoom);
  const bool status = chart.value("palette", "") == "status";
  double top = y + kPad;
  for (size_t i = 0; i < rows.size(); ++i) {
    const Json& r = rows[i];
    const double baseline = top + kBar / 2 + kFont * 0.35;
    canvas->Text(axis - 6, baseline, r.value(label_key, ""), kFont, kInk, Align::kRight, false);
    const double length = max_value > 0 ? room * Value(r[value_key]) / max_value : 0;
    if (length > 0) {
      canvas->Rect(axis, top, length, kBar, status ? kStatus[i % 5] : kBlue);
    }
    canvas->Text(axis + length + 4, baseline, CellForPeople(r, value_column), kFont, kInk,
                 Align::kLeft, true);
    top += kBar + kGap;
  }
  const double height = BarChartHeight(table);
  canvas->Line(axis, y, axis, y + height - kPad, kRule, 1);
  return height;
}

namespace {

constexpr double kPanelGap = 16, kPanelTitle = 26, kPanelBars = 64, kPanelFoot = 14,
                 kPanelHeight = kPanelTitle + 12 + kPanelBars + kPanelFoot;
constexpr double kPanelMinWidth = 190;

bool IsMultiples(const Json& chart) { return chart.value("type", "") == "multiples"; }

int PanelsAcross(double width) {
  return std::max(1, int((width + kPanelGap) / (kPanelMinWidth + kPanelGap)));
}

// The column of a panel's value: its key, and the kind it is written in.
Json PanelColumn(const Json& chart, const Json& row, const Json& key) {
  std::string kind = chart.value("kind", "text");
  if (kind == "by_row") kind = row.value("kind", "text");
  return Json{{"key", key}, {"kind", kind}};
}

// The label text of a panel, cut to fit its width.
std::string Fitted(Canvas* canvas, const std::string& text, double size, double room) {
  if (canvas->TextWidth(text, size, true) <= room) return text;
  std::string cut = text;
  while (!cut.empty() && canvas->TextWidth(cut + "\u2026", size, true) > room) {
    // Drop one whole UTF-8 character: its continuation bytes, then its lead.
    unsigned char dropped;
    do {
      dropped = static_cast<unsigned char>(cut.back());
      cut.pop_back();
    } while (!cut.empty() && (dropped & 0xc0) == 0x80);
  }
  return cut + "\u2026";
}

}  // namespace

double ChartHeight(const Json& chart, const Json& table, double width) {
  if (!IsMultiples(chart)) return BarChartHeight(table);
  const size_t panels = table["rows"].size();
  const size_t across = size_t(PanelsAcross(width));
  const size_t down = (panels + across - 1) / across;
  return double(down) * (kPanelHeight + kPanelGap);
}

double DrawChart(const Json& chart, const Json& table, Canvas* canvas, double x, double y,
                 double width) {
  if (IsMultiples(chart)) return DrawSmallMultiples(chart, table, canvas, x, y, width);
  return DrawBarChart(chart, table, canvas, x, y, width);
}

double DrawSmallMultiples(const Json& chart, const Json& table, Canvas* canvas, double x, double y,
                          double width) {
  const int across = PanelsAcross(width);
  const double panel_w = (width - kPanelGap * (across - 1)) / across;
  const Json& columns = chart["columns"];
  const Json& labels = chart["column_labels"];
  const size_t n = columns.size();
  const std::string label_key = chart["label"];
  int i = 0;
  for (const Json& row : table["rows"]) {
    const double px = x + (i % across) * (panel_w + kPanelGap);
    const double py = y + (i / across) * (kPanelHeight + kPanelGap);
    ++i;
    // The panel's title on up to two lines, the second cut to fit.
    const std::string title = row.value(label_key, "");
    std::string first, rest;
    for (size_t start = 0; start < title.size();) {
      const size_t end = std::min(title.find(' ', start), title.size());
      const std::string word = title.substr(start, end - start);
      const std::string longer = first.empty() ? word : first + " " + word;
      if (rest.empty() && canvas->TextWidth(longer, 9, true) <= panel_w) {
        first = longer;
      } else {
        rest += (rest.empty() ? "" : " ") + word;
      }
      start = end + 1;
    }
    canvas->Text(px, py + 10, Fitted(canvas, first, 9, panel_w), 9, kInk, Align::kLeft, true);
    if (!rest.empty()) {
      canvas->Text(px, py + 22, Fitted(canvas, rest, 9, panel_w), 9, kInk, Align::kLeft, true);
    }
    double max_value = 0;
    for (const Json& c : columns) max_value = std::max(max_value, std::abs(Value(row.value(c.get<std::string>(), Json()))));
    const double slot = panel_w / double(std::max<size_t>(n, 1));
    const double bar_w = std::min(40.0, slot * 0.6);
    const double base = py + kPanelTitle + 12 + kPanelBars;
    for (size_t k = 0; k < n; ++k) {
      const std::string key = columns[k];
      const double cx = px + slot * (double(k) + 0.5);
      const double v = std::abs(Value(row.value(key, Json())));
      const double h = max_value > 0 ? kPanelBars * v / max_value : 0;
      if (h > 0) canvas->Rect(cx - bar_w / 2, base - h, bar_w, h, k + 1 == n ? kBlue : kMuted);
      canvas->Text(cx, base - h - 3, CellForPeople(row, PanelColumn(chart, row, key)), 7.5, kInk,
                   Align::kCenter, k + 1 == n);
      canvas->Text(cx, base + 10, labels[k].get<std::string>(), 7.5, kMuted, Align::kCenter,
                   false);
    }
    canvas->Line(px, base, px + panel_w, base, kRule, 1);
  }
  return ChartHeight(chart, table, width);
}

std::string ChartDescription(const Json& chart, const Json& table) {
  const std::string label_key = chart["label"];
  if (IsMultiples(chart)) {
    std::string out = chart.value("title", "") + ". ";
    bool first = true;
    for (const Json& r : table["rows"]) {
      out += (first ? "" : "; ") + r.value(label_key, "") + ":";
      for (size_t k = 0; k < chart["columns"].size(); ++k) {
        out += (k == 0 ? " " : ", ") + chart["column_labels"][k].get<std::string>() + " " +
               CellForPeople(r, PanelColumn(chart, r, chart["columns"][k]));
      }
      first = false;
    }
    return out + ".";
  }
  const Json value_column{{"key", chart["value"]}, {"kind", chart["kind"]}};
  std::string out = chart.value("title", "") + ". ";
  bool first = true;
  for (const Json& r : table["rows"]) {
    out += (first ? "" : "; ") + r.value(label_key, "") + ": " + CellForPeople(r, value_column);
    first = false;
  }
  return out + ".";
}

}  // namespace evident::projections::report
