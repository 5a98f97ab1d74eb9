#pragma once

#include <map>
#include <string>

#include "ledger/status.h"
#include "projections/report/format.h"

// The files of a board report, each drawn from summary.json alone.
namespace evident::projections::report {

// report.html: one self-contained page (inline CSS and SVG; no script, no
// network), printable, with headings, captions and alt text.
std::string RenderHtml(const Json& summary);
// report.md.
std::string RenderMarkdown(const Json& summary);
// One CSV per table: "<table id>.csv" -> its text.
std::map<std::string, std::string> RenderCsvs(const Json& summary);
// report.pdf (US Letter), drawn with cairo.
StatusOr<std::string> RenderPdf(const Json& summary);
// The cairo version the PDF is drawn with, e.g. "1.16.0".
std::string PdfRendererVersion();

// summary.json as written: indented, keys in the summary's order, UTF-8.
std::string SummaryText(const Json& summary);

// Every file of the report, by name.
StatusOr<std::map<std::string, std::string>> RenderAll(const Json& summary);

}  // namespace evident::projections::report
