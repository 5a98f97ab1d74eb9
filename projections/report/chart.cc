#include "projections/report/chart.h"

#include <algorithm>
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

std::string ChartDescription(const Json& chart, const Json& table) {
  const std::string label_key = chart["label"];
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
