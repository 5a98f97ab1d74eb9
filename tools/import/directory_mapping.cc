#include "tools/import/directory_mapping.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "ledger/coding.h"
#include "tools/import/record_mapper.h"

namespace evident::import {
namespace {

using Json = nlohmann::json;

Status Error(const std::string& where, const std::string& what) {
  return Status::InvalidArgument("mapping \"" + where + "\": " + what);
}

// The text a template gives for `record`, or an error for `file`.
bool Expand(const DirectoryMapping& mapping, const std::vector<TemplatePart>& parts,
            const SourceRecord& record, std::string* out, RowError* error) {
  Json value;
  std::string column, reason;
  if (!ExpandTemplate(parts, mapping.params, record.fields, &value, &column, &reason)) {
    *error = {record.line, "field \"" + column + "\"", reason};
    return false;
  }
  out->clear();
  if (value.is_null()) return true;
  *out = value.is_string() ? value.get<std::string>() : value.dump();
  if (!IsValidUtf8(*out)) {
    *error = {record.line, "field \"" + column + "\"",
              "is not UTF-8 text (save the export as UTF-8)"};
    return false;
  }
  return true;
}

bool MapRecord(const DirectoryMapping& mapping, const SourceRecord& record, PersonRecord* out,
               RowError* error) {
  if (!record.fields.is_object()) {
    *error = {record.line, "", "the line is not a JSON object"};
    return false;
  }
  out->line = record.line;
  if (!Expand(mapping, mapping.person_id, record, &out->id, error) ||
      !Expand(mapping, mapping.person_name, record, &out->name, error) ||
      !Expand(mapping, mapping.email, record, &out->email, error) ||
      !Expand(mapping, mapping.title, record, &out->title, error)) {
    return false;
  }
  if (out->id.empty()) {
    *error = {record.line, "", "no person id (the mapping's \"person_id\" gives an empty value)"};
    return false;
  }
  if (out->name.empty()) {
    *error = {record.line, "",
              "no name for " + out->id + " (the mapping's \"name\" gives an empty value)"};
    return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> DirectoryMapping::Columns() const {
  std::set<std::string> columns;
  for (const auto* parts : {&person_id, &person_name, &email, &title}) {
    for (const TemplatePart& p : *parts) {
      if (p.kind == TemplatePart::Kind::kColumn) columns.insert(p.text);
    }
  }
  return {columns.begin(), columns.end()};
}

StatusOr<DirectoryMapping> ParseDirectoryMapping(std::string_view text) {
  Json root = Json::parse(text.begin(), text.end(), nullptr, false);
  if (root.is_discarded()) return Status::InvalidArgument("the mapping is not valid JSON");
  if (!root.is_object()) return Status::InvalidArgument("a mapping must be a JSON object");
  for (const auto& [key, value] : root.items()) {
    static const std::set<std::string> known = {"mapping", "description", "format",
                                                "params",  "target",      "directory"};
    if (!known.count(key)) return Error(key, "unknown key");
  }
  if (root.value("target", std::string()) != "directory" || !root.contains("directory")) {
    return Status::InvalidArgument(
        "this is not a directory mapping (it needs \"target\": \"directory\" and a \"directory\" "
        "object); event mappings go to `evident import`");
  }
  DirectoryMapping m;
  if (!root.contains("mapping") || !root["mapping"].is_string()) {
    return Error("mapping", "must be a string naming the mapping");
  }
  m.name = root["mapping"].get<std::string>();
  const std::string format = root.value("format", std::string("csv"));
  if (format != "csv" && format != "jsonl") return Error("format", "must be \"csv\" or \"jsonl\"");
  m.format = format == "csv" ? Mapping::Format::kCsv : Mapping::Format::kJsonLines;
  if (root.contains("params")) {
    if (!root["params"].is_object()) return Error("params", "must be an object");
    for (const auto& [name, value] : root["params"].items()) {
      if (!value.is_string()) return Error("params." + name, "must be a string");
      m.params[name] = value.get<std::string>();
    }
  }
  const Json& fields = root["directory"];
  if (!fields.is_object()) return Error("directory", "must be an object");
  const std::vector<std::pair<std::string, std::vector<TemplatePart>*>> targets = {
      {"person_id", &m.person_id},
      {"name", &m.person_name},
      {"email", &m.email},
      {"title", &m.title}};
  for (const auto& item : fields.items()) {
    const std::string& key = item.key();
    const Json& value = item.value();
    auto it =
        std::find_if(targets.begin(), targets.end(), [&](const auto& t) { return t.first == key; });
    if (it == targets.end()) {
      return Error("directory." + key, "unknown field (person_id, name, email, title)");
    }
    if (!value.is_string()) return Error("directory." + key, "must be a template string");
    Status s = ParseTemplate(value.get<std::string>(), m.params, it->second);
    if (!s.ok()) return Error("directory." + key, s.message());
  }
  if (m.person_id.empty()) return Error("directory.person_id", "is required");
  if (m.person_name.empty()) return Error("directory.name", "is required");
  return m;
}

MappedPeople MapPeople(const DirectoryMapping& mapping, const std::vector<SourceFile>& files) {
  MappedPeople out;
  std::unordered_map<std::string, size_t> first;  // id -> index into out.people
  for (const SourceFile& file : files) {
    std::vector<std::string> header;
    std::vector<SourceRecord> records;
    std::vector<FileError> errors;
    Status s = ReadSourceRecords(mapping.format, mapping.name, mapping.Columns(), file, &header,
                                 &records, &errors);
    if (!s.ok()) errors.push_back({file.name, {0, "", s.message()}});
    out.records += records.size();
    for (const SourceRecord& record : records) {
      PersonRecord person;
      RowError error;
      if (!MapRecord(mapping, record, &person, &error)) {
        errors.push_back({file.name, error});
        continue;
      }
      person.file = file.name;
      auto [it, fresh] = first.try_emplace(person.id, out.people.size());
      if (fresh) {
        out.people.push_back(std::move(person));
        continue;
      }
      const PersonRecord& earlier = out.people[it->second];
      if (earlier.name != person.name || earlier.email != person.email ||
          earlier.title != person.title) {
        errors.push_back({file.name,
                          {record.line, "",
                           "names person " + person.id + " as " + earlier.file + ":" +
                               std::to_string(earlier.line) + " does, with other values"}});
      }
    }
    std::stable_sort(errors.begin(), errors.end(), [](const FileError& a, const FileError& b) {
      return a.error.line < b.error.line;
    });
    out.errors.insert(out.errors.end(), errors.begin(), errors.end());
  }
  return out;
}

}  // namespace evident::import
