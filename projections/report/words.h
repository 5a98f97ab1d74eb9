#pragma once

#include <string>

#include "projections/report/format.h"

// The report's sentences: plain words around figures already in the
// summary (after suppression, so no sentence can give away a hidden count).
namespace evident::projections::report {

// "12 people" for row[key], or "Fewer than 10 people" where it is suppressed.
std::string People(const Json& row, const std::string& key, const char* one, const char* many);
// row[key] for people: "not published (fewer than 10 people)" where it is
// suppressed, "not available" for another null.
std::string Figure(const Json& row, const std::string& key, Kind kind);
// A value for people; "not available" for null.
std::string Figure(const Json& value, Kind kind);

std::string PrivacyStatement(int64_t rows_suppressed);
// The summary section's paragraphs, from summary["headline"] and ["tables"].
Json SummaryParagraphs(const Json& summary);

}  // namespace evident::projections::report
