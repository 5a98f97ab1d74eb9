#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

// Numbers and names as a board member reads them. The report's figures are
// stored exactly (cents, shares as fractions) in summary.json; these
// functions are the one place they are turned into words.
namespace evident::projections::report {

using Json = nlohmann::ordered_json;

// "$1,234,568": whole dollars, rounded half away from zero.
std::string Money(int64_t cents);
// "1,234".
std::string Count(int64_t n);
// "12.3%" for 0.1234.
std::string Percent(double share);
// "1,234.5".
std::string Hours(double hours);
// "June 30, 2025" for "2025-06-30"; the text unchanged if it is not a date.
std::string LongDate(std::string_view iso_date);
// "2024–25" for fiscal year 2025 (July 2024 to June 2025).
std::string FiscalYearLabel(int32_t fiscal_year);

// How a column's values are written (summary.json "kind"). A column of
// kind "by_row" takes each row's own "kind" (a table whose rows are
// different measures); "change" is a difference in the row's kind, written
// with its sign (a share's change in percentage points).
enum class Kind { kText, kCents, kShare, kCount, kHours, kByRow, kChange };
Kind KindOf(std::string_view name);
const char* KindName(Kind kind);

// What a suppressed figure shows, and a figure with no denominator.
inline constexpr char kSuppressedMark[] = "n<10";
inline constexpr char kNotApplicable[] = "n/a";

// A figure for people (HTML, Markdown, PDF). `suppressed` rows show
// kSuppressedMark in place of a null; other nulls show kNotApplicable.
std::string ForPeople(const Json& value, Kind kind, bool suppressed);
// A change of a figure of kind `kind`, with its sign: "+$1,234", "-12",
// "+2.5 points"; "0" for none.
std::string ChangeForPeople(const Json& value, Kind kind, bool suppressed);
// A figure for a spreadsheet (CSV): plain numbers, dollars with cents,
// percentages with one decimal, no thousands separators.
std::string ForSheet(const Json& value, Kind kind, bool suppressed);

// A field of a CSV line (RFC 4180): quoted, with quotes doubled, when it
// holds a comma, a quote or a line break.
std::string CsvField(std::string_view field);

// Board-facing names of the schema's enumerations (the schema's own names
// stay in the views and summary.json keys).
std::string FundingSourceLabel(std::string_view schema_name);
std::string CategoryLabel(std::string_view schema_name);
std::string GroupLabel(std::string_view schema_name);

}  // namespace evident::projections::report
