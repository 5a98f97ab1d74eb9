#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "projections/report/format.h"

// A table of the board report, with the privacy rule applied as it is
// built. In summary.json a table is
//
//   {"id", "caption", "columns": [{"key", "label", "kind", "private"}],
//    "rows": [{key: value, ..., "suppressed": [key]}], "total": row or null,
//    "notes": [text]}
//
// A row that describes 1 to 9 people is suppressed: its private columns
// (figures about those people) are written as null and listed under
// "suppressed". A count inside a row can be suppressed alone the same way,
// when it or the rest of the row (the row's people less the count) is 1 to 9.
// When a table has a total (shown, or published elsewhere in the report) and
// exactly one group was suppressed, the next smallest is suppressed too, so
// the hidden one cannot be worked out by subtraction. How many people a row
// describes is never written.
namespace evident::projections::report {

inline constexpr int64_t kMinimumPeople = 10;

// True when a count of people is too small to publish (1 to 9).
inline bool TooFew(int64_t people) { return people > 0 && people < kMinimumPeople; }

class TableBuilder {
 public:
  TableBuilder(std::string id, std::string caption);

  // A column; `is_private` columns are suppressed in small rows.
  TableBuilder& Column(std::string key, std::string label, Kind kind, bool is_private = false);
  // Columns of a row that describe a smaller group than the row does (the
  // people with demonstrated change among the participants, say).
  struct Inner {
    std::vector<std::string> keys;
    int64_t people;
  };
  // A row describing `people` people (-1: not about people).
  void Row(Json values, int64_t people, std::vector<Inner> inner = {});
  void Total(Json values, int64_t people, std::vector<Inner> inner = {});
  // The rows split a total published elsewhere in the report (the district's
  // participants, say): small groups get the same complement as with a total.
  void SumsToAPublishedTotal() { sums_to_published_total_ = true; }
  // Hides `key` in the row added last: a figure its source already hides
  // (an earlier year's report, say), whatever the row's own size.
  void HideInLastRow(const std::string& key);
  void Note(std::string text);
  bool empty() const { return rows_.empty(); }

  // The table, suppression applied. Adds the number of rows with anything
  // suppressed to `*suppressed`.
  Json Finish(int64_t* suppressed);

 private:
  struct Row_ {
    Json values;
    int64_t people;
    std::vector<Inner> inner;
    Json suppressed = Json::array();
  };
  void SuppressSmall(const std::function<int64_t(const Row_&)>& size,
                     const std::function<void(Row_*)>& hide);
  void Suppress(Row_* row);
  static void SuppressKey(Row_* row, const std::string& key);

  std::string id_, caption_;
  Json columns_ = Json::array();
  Json notes_ = Json::array();
  std::vector<Row_> rows_;
  bool has_total_ = false, sums_to_published_total_ = false;
  Row_ total_;
};

// Whether `row` lists `key` as suppressed.
bool IsSuppressed(const Json& row, const std::string& key);
// A row's value in `column` ({"key", "kind", ...}), for people or for a
// spreadsheet (projections/report/format.h).
std::string CellForPeople(const Json& row, const Json& column);
std::string CellForSheet(const Json& row, const Json& column);

// A headline item's value ({"value", "kind", "suppressed"}) for people.
std::string HeadlineForPeople(const Json& item);

// The table with id `id` in summary["tables"], or nullptr.
const Json* FindTable(const Json& summary, const std::string& id);

}  // namespace evident::projections::report
