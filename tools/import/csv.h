#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/status.h"

// A reader for CSV as RFC 4180 writes it, and as spreadsheets and exporting
// systems produce it: comma-separated fields, a field in double quotes may
// hold commas, line breaks and doubled quotes (""), records end in LF, CRLF
// or a lone CR (each counted as one line), and a UTF-8 byte-order mark
// before the header is skipped. The first record is the header. Pure: no I/O.
namespace evident::import {

struct CsvRecord {
  size_t line = 0;  // the 1-based line on which the record starts
  std::vector<std::string> fields;
};

struct CsvTable {
  std::vector<std::string> header;
  // Blank lines are skipped. A record may have more or fewer fields than the
  // header: that is the caller's error to report, row by row.
  std::vector<CsvRecord> records;
};

// Parses the whole of `text`. InvalidArgument, naming the line and column,
// for a quote left open at the end of the input, a character between a
// closing quote and the next separator, or a header that is empty or names
// a column twice.
StatusOr<CsvTable> ParseCsv(std::string_view text);

}  // namespace evident::import
