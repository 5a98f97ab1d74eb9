#include "projections/report/table.h"

#include <functional>

namespace evident::projections::report {

TableBuilder::TableBuilder(std::string id, std::string caption)
    : id_(std::move(id)), caption_(std::move(caption)) {}

TableBuilder& TableBuilder::Column(std::string key, std::string label, Kind kind, bool is_private) {
  columns_.push_back(Json{{"key", std::move(key)},
                          {"label", std::move(label)},
                          {"kind", KindName(kind)},
                          {"private", is_private}});
  return *this;
}

void TableBuilder::Row(Json values, int64_t people, std::vector<Inner> inner) {
  rows_.push_back({std::move(values), people, std::move(inner)});
}

void TableBuilder::Total(Json values, int64_t people, std::vector<Inner> inner) {
  has_total_ = true;
  total_ = {std::move(values), people, std::move(inner)};
}

void TableBuilder::HideInLastRow(const std::string& key) { SuppressKey(&rows_.back(), key); }

void TableBuilder::Note(std::string text) { notes_.push_back(std::move(text)); }

void TableBuilder::SuppressKey(Row_* row, const std::string& key) {
  row->values[key] = nullptr;
  for (const Json& k : row->suppressed) {
    if (k == key) return;
  }
  row->suppressed.push_back(key);
}

void TableBuilder::Suppress(Row_* row) {
  for (const Json& c : columns_) {
    if (c["private"].get<bool>()) SuppressKey(row, c["key"].get<std::string>());
  }
}

// Hides the groups `size(row)` says are too few; then, where a total would
// give one hidden group away by subtraction, the next smallest group too.
void TableBuilder::SuppressSmall(const std::function<int64_t(const Row_&)>& size,
                                 const std::function<void(Row_*)>& hide) {
  int64_t hidden = 0;
  Row_* smallest = nullptr;
  for (Row_& r : rows_) {
    const int64_t n = size(r);
    if (TooFew(n)) {
      hide(&r);
      ++hidden;
    } else if (n > 0 && (smallest == nullptr || n < size(*smallest))) {
      smallest = &r;
    }
  }
  if ((has_total_ || sums_to_published_total_) && hidden == 1 && smallest != nullptr) {
    hide(smallest);
  }
}

Json TableBuilder::Finish(int64_t* suppressed) {
  SuppressSmall([](const Row_& r) { return r.people; }, [this](Row_* r) { Suppress(r); });
  const size_t inner_groups = rows_.empty() ? 0 : rows_.front().inner.size();
  for (size_t g = 0; g < inner_groups; ++g) {
    // The rest of the row (participants without changed practice, say) is a
    // group too: 1 to 9 of them would be told apart by subtraction.
    for (Row_& r : rows_) {
      if (g < r.inner.size() && r.people > 0 && TooFew(r.people - r.inner[g].people)) {
        for (const std::string& key : r.inner[g].keys) SuppressKey(&r, key);
      }
    }
    SuppressSmall(
        [g](const Row_& r) { return g < r.inner.size() ? r.inner[g].people : int64_t{-1}; },
        [g](Row_* r) {
          for (const std::string& key : r->inner[g].keys) SuppressKey(r, key);
        });
    if (has_total_ && g < total_.inner.size()) {
      const Inner& in = total_.inner[g];
      if (TooFew(in.people) || (total_.people > 0 && TooFew(total_.people - in.people))) {
        for (const std::string& key : in.keys) SuppressKey(&total_, key);
      }
    }
  }
  if (has_total_ && TooFew(total_.people)) Suppress(&total_);
  for (const Row_& r : rows_) *suppressed += !r.suppressed.empty();
  if (has_total_) *suppressed += !total_.suppressed.empty();
  auto render = [](Row_& r) {
    r.values["suppressed"] = std::move(r.suppressed);
    return std::move(r.values);
  };
  Json rows = Json::array();
  for (Row_& r : rows_) rows.push_back(render(r));
  if (rows.empty()) notes_.insert(notes_.begin(), "None recorded.");
  return Json{{"id", id_},
              {"caption", caption_},
              {"columns", columns_},
              {"rows", std::move(rows)},
              {"total", has_total_ ? render(total_) : Json()},
              {"notes", notes_}};
}

bool IsSuppressed(const Json& row, const std::string& key) {
  auto list = row.find("suppressed");
  if (list == row.end() || !list->is_array()) return false;
  for (const Json& k : *list) {
    if (k == key) return true;
  }
  return false;
}

namespace {
const Json& ValueIn(const Json& row, const std::string& key) {
  static const Json kNull;
  auto it = row.find(key);
  return it == row.end() ? kNull : *it;
}
}  // namespace

namespace {
// The kind a cell is written in: the column's, or the row's own for columns
// of kind "by_row" and "change".
Kind CellKind(const Json& row, const Json& column) {
  const Kind kind = KindOf(column.value("kind", ""));
  if (kind != Kind::kByRow && kind != Kind::kChange) return kind;
  auto it = row.find("kind");
  return it != row.end() && it->is_string() ? KindOf(it->get<std::string>()) : Kind::kText;
}
}  // namespace

std::string CellForPeople(const Json& row, const Json& column) {
  const std::string key = column.value("key", "");
  const bool suppressed = IsSuppressed(row, key);
  if (KindOf(column.value("kind", "")) == Kind::kChange) {
    return ChangeForPeople(ValueIn(row, key), CellKind(row, column), suppressed);
  }
  return ForPeople(ValueIn(row, key), CellKind(row, column), suppressed);
}

std::string CellForSheet(const Json& row, const Json& column) {
  const std::string key = column.value("key", "");
  return ForSheet(ValueIn(row, key), CellKind(row, column), IsSuppressed(row, key));
}

std::string HeadlineForPeople(const Json& item) {
  return ForPeople(item.value("value", Json()), KindOf(item.value("kind", "")),
                   item.value("suppressed", false));
}

const Json* FindTable(const Json& summary, const std::string& id) {
  auto tables = summary.find("tables");
  if (tables == summary.end()) return nullptr;
  for (const Json& t : *tables) {
    if (t.value("id", "") == id) return &t;
  }
  return nullptr;
}

}  // namespace evident::projections::report
