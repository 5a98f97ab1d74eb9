#include "tools/evident/table_output.h"

#include <map>
#include <string>

#include "projections/report/format.h"

namespace evident::cli {
namespace {

using Json = nlohmann::ordered_json;

void Flatten(const Json& value, const std::string& prefix,
             std::vector<std::pair<std::string, std::string>>* out) {
  if (value.is_object()) {
    for (const auto& [key, v] : value.items()) {
      Flatten(v, prefix.empty() ? key : prefix + "." + key, out);
    }
    return;
  }
  if (value.is_string()) {
    out->emplace_back(prefix, value.get<std::string>());
  } else if (value.is_null()) {
    out->emplace_back(prefix, "");
  } else {
    out->emplace_back(prefix, value.dump());
  }
}

}  // namespace

void PrintCsv(const std::vector<Json>& rows, std::ostream& out) {
  std::vector<std::string> columns;
  std::map<std::string, size_t> index;
  std::vector<std::vector<std::pair<std::string, std::string>>> flat(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    Flatten(rows[i], "", &flat[i]);
    for (const auto& [name, value] : flat[i]) {
      if (index.emplace(name, columns.size()).second) columns.push_back(name);
    }
  }
  for (size_t c = 0; c < columns.size(); ++c)
    out << (c ? "," : "") << projections::report::CsvField(columns[c]);
  out << "\r\n";
  for (const auto& fields : flat) {
    std::vector<std::string> line(columns.size());
    for (const auto& [name, value] : fields) line[index[name]] = value;
    for (size_t c = 0; c < line.size(); ++c)
      out << (c ? "," : "") << projections::report::CsvField(line[c]);
    out << "\r\n";
  }
}

}  // namespace evident::cli
