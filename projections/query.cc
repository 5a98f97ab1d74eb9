#include "projections/query.h"

namespace evident::projections {

const std::vector<std::string>& QueryFilterNames() {
  static const std::vector<std::string> kNames = {"person", "site", "programme", "fy", "row"};
  return kNames;
}

bool RowMatches(const Json& row, const std::map<std::string, std::string>& filters) {
  auto field_is = [&](const char* field, const std::string& want) {
    auto it = row.find(field);
    if (it == row.end()) return false;
    return it->is_string() ? it->get<std::string>() == want : it->dump() == want;
  };
  for (const auto& [name, want] : filters) {
    if (name == "programme") {
      if (!field_is("program", want)) return false;
    } else if (name == "fy") {
      if (!field_is("fiscal_year", want) && !field_is("school_year", want)) return false;
    } else if (!field_is(name.c_str(), want)) {
      return false;
    }
  }
  return true;
}

StatusOr<QueryAnswer> QueryStore(ProjectionStore* store, Ledger* ledger, const QuerySpec& spec) {
  if (!IsViewName(spec.view)) {
    return Status::InvalidArgument("no view \"" + spec.view +
                                   "\": reciprocity, accountability, equity or compliance");
  }
  for (const auto& [name, value] : spec.filters) {
    const auto& names = QueryFilterNames();
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      return Status::InvalidArgument("no filter \"" + name +
                                     "\": person, site, programme, fy or row");
    }
  }
  UpdateReport report;
  EVIDENT_RETURN_IF_ERROR(store->Update(ledger, &report));
  auto status = store->GetStatus();
  if (!status.ok()) return status.status();
  QueryAnswer answer;
  answer.as_of_given = spec.as_of_day != kNoDay;
  answer.log = LogContextAt(ledger, status.value().position);
  answer.log.full_verification = spec.verification;
  std::vector<ViewRow> rows;
  if (spec.as_of_day == kNoDay && spec.verification.empty()) {
    auto stored = store->ReadView(spec.view);
    if (!stored.ok()) return stored.status();
    rows = std::move(stored.value());
    answer.as_of = status.value().as_of;
  } else {
    LedgerSource source(ledger);
    auto projector = store->LoadProjector(&source);
    if (!projector.ok()) return projector.status();
    for (auto& [name, view_rows] : RenderAll(*projector.value(), answer.log, spec.as_of_day)) {
      if (name == spec.view) rows = std::move(view_rows);
    }
    const int32_t day = spec.as_of_day == kNoDay ? projector.value()->last_day() : spec.as_of_day;
    answer.as_of = day == kNoDay ? "" : DateOf(day);
  }
  std::vector<Json> view;
  view.reserve(rows.size());
  for (ViewRow& r : rows) view.push_back(std::move(r.row));
  if (spec.redact) view = spec.redact(std::move(view));
  for (Json& row : view) {
    if (RowMatches(row, spec.filters)) answer.rows.push_back(std::move(row));
  }
  return answer;
}

std::string QueryText(const std::string& view, const QueryAnswer& answer) {
  Json head{{"view", view},
            {"tree_size", answer.log.tree_size},
            {"root_hash", answer.log.root_hash_hex},
            {"checkpoint_verified", answer.log.checkpoint_verified},
            {"as_of", answer.as_of},
            {"as_of_from", answer.as_of_given ? "given" : "last entry"}};
  std::string text = head.dump();
  text.pop_back();  // the closing brace: the rows follow, one per line
  text += ",\"rows\":[";
  for (size_t i = 0; i < answer.rows.size(); ++i) {
    text += (i ? ",\n" : "\n") + answer.rows[i].dump();
  }
  return text + "\n]}\n";
}

}  // namespace evident::projections
