// report.pdf: the board packet, drawn with cairo from summary.json. US
// Letter, DejaVu fonts; the file's date is the report's as-of date, so the
// same summary on the same cairo and fonts gives the same bytes.

#include <cairo-pdf.h>
#include <cairo.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "projections/report/chart.h"
#include "projections/report/render.h"
#include "projections/report/table.h"

namespace evident::projections::report {
namespace {

constexpr double kPageW = 612, kPageH = 792, kMargin = 54, kBottom = kPageH - 60;
constexpr double kContentW = kPageW - 2 * kMargin;
constexpr char kSans[] = "DejaVu Sans", kMono[] = "DejaVu Sans Mono";
constexpr Color kBand{0xf2, 0xf5, 0xf8};

class CairoCanvas : public Canvas {
 public:
  explicit CairoCanvas(cairo_t* cr) : cr_(cr) {}
  void Rect(double x, double y, double w, double h, Color fill) override {
    SetColor(fill);
    cairo_rectangle(cr_, x, y, w, h);
    cairo_fill(cr_);
  }
  void Line(double x1, double y1, double x2, double y2, Color color, double width) override {
    SetColor(color);
    cairo_set_line_width(cr_, width);
    cairo_move_to(cr_, x1, y1);
    cairo_line_to(cr_, x2, y2);
    cairo_stroke(cr_);
  }
  void Text(double x, double y, const std::string& text, double size, Color color, Align align,
            bool bold) override {
    Font(kSans, size, bold);
    double w = TextWidth(text, size, bold);
    if (align == Align::kRight) x -= w;
    if (align == Align::kCenter) x -= w / 2;
    SetColor(color);
    cairo_move_to(cr_, x, y);
    cairo_show_text(cr_, text.c_str());
  }
  double TextWidth(const std::string& text, double size, bool bold) override {
    return Width(kSans, text, size, bold);
  }
  double Width(const char* face, const std::string& text, double size, bool bold) {
    Font(face, size, bold);
    cairo_text_extents_t e;
    cairo_text_extents(cr_, text.c_str(), &e);
    return e.x_advance;
  }
  void Mono(double x, double y, const std::string& text, double size, Color color) {
    Font(kMono, size, false);
    SetColor(color);
    cairo_move_to(cr_, x, y);
    cairo_show_text(cr_, text.c_str());
  }
  void Font(const char* face, double size, bool bold) {
    cairo_select_font_face(cr_, face, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr_, size);
  }
  void SetColor(Color c) { cairo_set_source_rgb(cr_, c.r / 255.0, c.g / 255.0, c.b / 255.0); }

 private:
  cairo_t* cr_;
};

// Splits `text` into lines no wider than `width`, at spaces (a word wider
// than the line is cut by characters).
std::vector<std::string> Wrap(CairoCanvas& c, const char* face, const std::string& text,
                              double size, bool bold, double width) {
  std::vector<std::string> lines;
  std::string line;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find_first_of(" \n", start);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(start, end - start);
    std::string candidate = line.empty() ? word : line + " " + word;
    if (!line.empty() && c.Width(face, candidate, size, bold) > width) {
      lines.push_back(line);
      candidate = word;
    }
    while (c.Width(face, candidate, size, bold) > width && candidate.size() > 1) {
      // Cut between characters only: a part of a UTF-8 character is not text
      // cairo will measure or draw.
      auto inside = [&](size_t i) { return (candidate[i] & 0xc0) == 0x80; };
      size_t cut = candidate.size() - 1;
      while (cut > 1 && inside(cut)) --cut;
      while (cut > 1 && c.Width(face, candidate.substr(0, cut), size, bold) > width) {
        --cut;
        while (cut > 1 && inside(cut)) --cut;
      }
      lines.push_back(candidate.substr(0, cut));
      candidate = candidate.substr(cut);
    }
    line = candidate;
    if (end < text.size() && text[end] == '\n') {
      lines.push_back(line);
      line.clear();
    }
    start = end + 1;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

class Document {
 public:
  Document(cairo_t* cr, const Json& summary) : cr_(cr), c_(cr), s_(summary) {
    footer_ = s_["report"].get<std::string>() + ", " + s_["fiscal_year_label"].get<std::string>() +
              " \u00b7 ledger tree size " + std::to_string(s_["log"]["tree_size"].get<uint64_t>());
  }

  void Draw() {
    StartPage();
    for (const std::string& l :
         Wrap(c_, kSans,
              s_["report"].get<std::string>() + ", " + s_["fiscal_year_label"].get<std::string>(),
              19, true, kContentW)) {
      y_ += 22;
      c_.Text(kMargin, y_, l, 19, kInk, Align::kLeft, true);
    }
    Para(s_["district"].get<std::string>() + " \u00b7 figures as of " +
             LongDate(s_["as_of_date"].get<std::string>()),
         9.5, kMuted);
    c_.Line(kMargin, y_ + 2, kMargin + kContentW, y_ + 2, kBlue, 2.5);
    y_ += 8;
    for (const Json& section : s_["sections"]) Section(section);
    cairo_show_page(cr_);
  }

 private:
  void StartPage() {
    ++page_;
    y_ = kMargin;
    c_.Text(kMargin, kPageH - 32, footer_, 7.5, kMuted, Align::kLeft, false);
    c_.Text(kMargin + kContentW, kPageH - 32, "page " + std::to_string(page_), 7.5, kMuted,
            Align::kRight, false);
  }
  void Ensure(double height) {
    if (y_ + height <= kBottom) return;
    cairo_show_page(cr_);
    StartPage();
  }
  void Para(const std::string& text, double size = 10, Color color = kInk, bool bold = false,
            const char* face = kSans) {
    const double lh = size * 1.38;
    for (const std::string& l : Wrap(c_, face, text, size, bold, kContentW)) {
      Ensure(lh);
      y_ += lh;
      if (face == kMono) {
        c_.Mono(kMargin, y_, l, size, color);
      } else {
        c_.Text(kMargin, y_, l, size, color, Align::kLeft, bold);
      }
    }
    y_ += size * 0.5;
  }

  void Section(const Json& section) {
    const std::string id = section["id"];
    if (id == "programmes" || id == "verification") {
      cairo_show_page(cr_);
      StartPage();
    }
    Ensure(60);
    y_ += 22;
    c_.Text(kMargin, y_, section["title"], 13.5, kInk, Align::kLeft, true);
    c_.Line(kMargin, y_ + 4, kMargin + kContentW, y_ + 4, kRule, 0.7);
    y_ += 8;
    for (const Json& p : section["paragraphs"]) Para(p);
    if (id == "summary") Tiles();
    for (const Json& chart : section["charts"]) {
      if (const Json* t = FindTable(s_, chart["table"])) Chart(chart, *t);
    }
    for (const Json& ref : section["tables"]) {
      if (const Json* t = FindTable(s_, ref)) Table(*t);
    }
    if (id == "verification") Verification();
  }

  void Tiles() {
    constexpr double kGapX = 8, kH = 44;
    const double w = (kContentW - 2 * kGapX) / 3;
    const Json& items = s_["headline"];
    y_ += 4;
    for (size_t i = 0; i < items.size(); ++i) {
      if (i % 3 == 0) {
        Ensure(kH + 6);
        if (i > 0) y_ += kH + 6;
      }
      const double x = kMargin + double(i % 3) * (w + kGapX);
      c_.Rect(x, y_, w, kH, kBand);
      c_.Rect(x, y_, 3, kH, kBlue);
      c_.Text(x + 9, y_ + 18, HeadlineForPeople(items[i]), 13, kInk, Align::kLeft, true);
      double ly = y_ + 29;
      for (const std::string& l : Wrap(c_, kSans, items[i]["label"], 7.5, false, w - 14)) {
        c_.Text(x + 9, ly, l, 7.5, kMuted, Align::kLeft, false);
        ly += 9;
      }
    }
    y_ += kH + 12;
    Para(s_["privacy"]["statement"], 8.5, kMuted);
  }

  void Chart(const Json& chart, const Json& table) {
    Ensure(ChartHeight(chart, table, kContentW) + 24);
    y_ += 16;
    c_.Text(kMargin, y_, chart["title"], 10, kInk, Align::kLeft, true);
    y_ += 4;
    y_ += DrawChart(chart, table, &c_, kMargin, y_, kContentW) + 8;
  }

  void Table(const Json& t) {
    constexpr double kSize = 7.5, kLine = 9.5, kPadX = 4;
    const Json& columns = t["columns"];
    const size_t n = columns.size();
    std::vector<const Json*> rows;
    for (const Json& r : t["rows"]) rows.push_back(&r);
    if (!t["total"].is_null()) rows.push_back(&t["total"]);
    // Numbers keep their width; text columns share what is left.
    // A text column is at least as wide as its longest word, when the
    // page has room for that, so words are broken only when it has not.
    std::vector<double> natural(n, 0), width(n, 0), least(n, 0);
    double fixed = 0, flexible = 0, flexible_least = 0;
    auto widest_word = [&](const std::string& text) {
      double widest = 0;
      for (size_t start = 0; start < text.size();) {
        const size_t end = std::min(text.find(' ', start), text.size());
        widest = std::max(widest, c_.Width(kSans, text.substr(start, end - start), kSize, true));
        start = end + 1;
      }
      return widest;
    };
    for (size_t i = 0; i < n; ++i) {
      const bool text = columns[i]["kind"] == "text";
      // A header may take two lines, but no word of it is broken.
      const std::string label = columns[i]["label"];
      natural[i] = std::max(c_.Width(kSans, label, kSize, true) / 2, widest_word(label));
      least[i] = widest_word(label);
      for (const Json* r : rows) {
        const std::string cell = CellForPeople(*r, columns[i]);
        natural[i] = std::max(natural[i], c_.Width(kSans, cell, kSize, true));
        least[i] = std::max(least[i], text ? widest_word(cell) : c_.Width(kSans, cell, kSize, true));
      }
      natural[i] += 2 * kPadX;
      least[i] = std::min(least[i] + 2 * kPadX, natural[i]);
      (text ? flexible : fixed) += natural[i];
      if (text) flexible_least += least[i];
    }
    // Short of room, numbers' headings take more lines (a word each).
    if (fixed + flexible_least > kContentW) {
      fixed = 0;
      for (size_t i = 0; i < n; ++i) {
        if (columns[i]["kind"] != "text") fixed += (natural[i] = least[i]);
      }
    }
    const double room = std::max(kContentW - fixed, 40.0);
    for (size_t i = 0; i < n; ++i) {
      const bool text = columns[i]["kind"] == "text";
      if (!text || flexible <= room) {
        width[i] = natural[i];
      } else if (flexible_least < room) {
        width[i] = least[i] + (natural[i] - least[i]) * (room - flexible_least) /
                                  (flexible - flexible_least);
      } else {
        width[i] = natural[i] * room / flexible;
      }
    }
    // Room left over widens the text columns (or, with none, the first).
    double total_w = 0, text_w = 0;
    for (size_t i = 0; i < n; ++i) {
      total_w += width[i];
      if (columns[i]["kind"] == "text") text_w += width[i];
    }
    for (size_t i = 0; i < n && total_w < kContentW; ++i) {
      if (text_w > 0 && columns[i]["kind"] == "text") {
        width[i] += (kContentW - total_w) * width[i] / text_w;
      } else if (text_w == 0 && i == 0) {
        width[i] += kContentW - total_w;
      }
    }

    auto draw_row = [&](const Json* r, bool header, bool bold) {
      std::vector<std::vector<std::string>> cells(n);
      size_t lines = 1;
      for (size_t i = 0; i < n; ++i) {
        const std::string text =
            header ? columns[i]["label"].get<std::string>() : CellForPeople(*r, columns[i]);
        cells[i] = Wrap(c_, kSans, text, kSize, header || bold, width[i] - 2 * kPadX);
        lines = std::max(lines, cells[i].size());
      }
      const double h = double(lines) * kLine + 4;
      double x = kMargin;
      for (size_t i = 0; i < n; ++i) {
        const bool right = columns[i]["kind"] != "text";
        double ly = y_ + kLine;
        for (const std::string& l : cells[i]) {
          c_.Text(right ? x + width[i] - kPadX : x + kPadX, ly, l, kSize, kInk,
                  right ? Align::kRight : Align::kLeft, header || bold);
          ly += kLine;
        }
        x += width[i];
      }
      y_ += h;
      c_.Line(kMargin, y_, kMargin + kContentW, y_, header ? kInk : kRule, header ? 1 : 0.4);
    };
    auto header = [&] {
      y_ += 2;
      draw_row(nullptr, true, false);
    };
    Ensure(90);
    for (const std::string& l : Wrap(c_, kSans, t["caption"], 9, true, kContentW)) {
      y_ += 13;
      c_.Text(kMargin, y_, l, 9, kInk, Align::kLeft, true);
    }
    header();
    for (size_t k = 0; k < rows.size(); ++k) {
      if (y_ + 2 * kLine + 4 > kBottom) {
        cairo_show_page(cr_);
        StartPage();
        header();
      }
      draw_row(rows[k], false, !t["total"].is_null() && k + 1 == rows.size());
    }
    y_ += 4;
    for (const Json& note : t["notes"]) Para(note, 7.5, kMuted);
    y_ += 6;
  }

  void Verification() {
    const Json& log = s_["log"];
    Para("Log (origin): " + log["origin"].get<std::string>(), 9.5, kInk, true);
    Para("Tree size: " + std::to_string(log["tree_size"].get<uint64_t>()) + " entries", 9.5, kInk,
         true);
    Para("Root hash (SHA-256):", 9.5, kInk, true);
    Para(log["root_hash"], 8.5, kInk, false, kMono);
    Para(std::string("Signature ") +
             (log["checkpoint_verified"].get<bool>() ? "verified" : "NOT verified") +
             " when the report was made. The signed checkpoint:",
         9.5, kInk, true);
    Para(log["checkpoint"], 8, kInk, false, kMono);
    Para("To check this report:", 9.5, kInk, true);
    Para(s_["recompute"]["verify"], 8, kInk, false, kMono);
    Para("To compute it again:", 9.5, kInk, true);
    Para(s_["recompute"]["report"], 8, kInk, false, kMono);
  }

  cairo_t* cr_;
  CairoCanvas c_;
  const Json& s_;
  std::string footer_;
  double y_ = 0;
  int page_ = 0;
};

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

std::string PdfRendererVersion() { return cairo_version_string(); }

StatusOr<std::string> RenderPdf(const Json& summary) {
  std::string bytes;
  std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
      cairo_pdf_surface_create_for_stream(Append, &bytes, kPageW, kPageH), cairo_surface_destroy);
  const std::string title =
      summary["report"].get<std::string>() + ", " + summary["fiscal_year_label"].get<std::string>();
  const std::string date = summary["as_of_date"].get<std::string>() + "T00:00:00Z";
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, date.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Evident");
  {
    std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr(cairo_create(surface.get()),
                                                          cairo_destroy);
    Document(cr.get(), summary).Draw();
    if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
      return Status::IOError(std::string("drawing the PDF: ") +
                             cairo_status_to_string(cairo_status(cr.get())));
    }
  }
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Status::IOError(std::string("writing the PDF: ") +
                           cairo_status_to_string(cairo_surface_status(surface.get())));
  }
  return bytes;
}

}  // namespace evident::projections::report
