#pragma once

#include <cstdint>
#include <string>

#include "projections/report/format.h"

// Bar charts drawn once for every output: the chart code draws on a Canvas,
// which the HTML report implements as SVG and the PDF report with cairo.
// Colours are from the Okabe-Ito palette, which readers with any common form
// of colour blindness can tell apart; every bar is also labelled with its
// value, so no reading depends on colour.
namespace evident::projections::report {

struct Color {
  uint8_t r, g, b;
  std::string Hex() const;
};

inline constexpr Color kInk{0x1a, 0x1a, 0x1a};
inline constexpr Color kMuted{0x55, 0x55, 0x55};
inline constexpr Color kRule{0xb0, 0xb0, 0xb0};
inline constexpr Color kBlue{0x00, 0x72, 0xb2};

enum class Align { kLeft, kCenter, kRight };

class Canvas {
 public:
  virtual ~Canvas() = default;
  virtual void Rect(double x, double y, double w, double h, Color fill) = 0;
  virtual void Line(double x1, double y1, double x2, double y2, Color color, double width) = 0;
  // Text with its baseline at y, anchored at x by `align`.
  virtual void Text(double x, double y, const std::string& text, double size, Color color,
                    Align align, bool bold) = 0;
  virtual double TextWidth(const std::string& text, double size, bool bold) = 0;
};

// Any chart of the report, `width` wide with its top left at (x, y):
// small multiples when chart["type"] is "multiples", else a bar chart.
// Returns the height drawn.
double DrawChart(const Json& chart, const Json& table, Canvas* canvas, double x, double y,
                 double width);
// The height DrawChart will take.
double ChartHeight(const Json& chart, const Json& table, double width);

// Small multiples ({"table", "label", "columns", "column_labels", "kind"}):
// one small panel per row of `table`, titled by its `label` column, with one
// vertical bar per column, each panel on its own scale. A kind of "by_row"
// takes each row's own "kind". A hidden value shows "n<10" and no bar.
double DrawSmallMultiples(const Json& chart, const Json& table, Canvas* canvas, double x, double y,
                          double width);

// A horizontal bar chart of `chart` ({"table", "label", "value", "kind",
// "palette"}) from the rows of `table`, `width` wide with its top left at
// (x, y). Returns the height drawn.
double DrawBarChart(const Json& chart, const Json& table, Canvas* canvas, double x, double y,
                    double width);
// The height DrawBarChart will take for `table`.
double BarChartHeight(const Json& table);
// The chart in words, for alt text: "Label: value; ..." (for small
// multiples, "Label: year value, year value; ...").
std::string ChartDescription(const Json& chart, const Json& table);

}  // namespace evident::projections::report
