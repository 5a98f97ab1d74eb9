// Reading a mapping file: the grammar is in mapping.h and docs/import.md.

#include "tools/import/mapping.h"

#include <flatbuffers/idl.h>

#include <set>

namespace evident::import {
namespace {

using Json = nlohmann::json;

const std::set<std::string>& EnvelopeFields() {
  static const std::set<std::string> fields = {"occurred_at", "effective_date", "district_id",
                                               "source_system", "attachments"};
  return fields;
}

FieldKind KindOf(const flatbuffers::FieldDef& f) {
  const flatbuffers::Type& t = f.value.type;
  if (t.base_type == flatbuffers::BASE_TYPE_STRING) return FieldKind::kString;
  if (t.base_type == flatbuffers::BASE_TYPE_BOOL) return FieldKind::kBool;
  if (flatbuffers::IsInteger(t.base_type)) {
    return t.enum_def != nullptr ? FieldKind::kEnum : FieldKind::kInteger;
  }
  if (flatbuffers::IsFloat(t.base_type)) return FieldKind::kNumber;
  if (t.base_type == flatbuffers::BASE_TYPE_VECTOR) {
    if (t.element == flatbuffers::BASE_TYPE_STRING) return FieldKind::kStringList;
    if (t.element == flatbuffers::BASE_TYPE_UCHAR) return FieldKind::kString;  // hex
  }
  return FieldKind::kJson;
}

// "it declares a, b" or "it declares none", for an error naming a param.
std::string DeclaredParams(const std::map<std::string, std::string>& params) {
  std::string names;
  for (const auto& [name, value] : params) names += (names.empty() ? "" : ", ") + name;
  return names.empty() ? "it declares none" : "it declares " + names;
}

class MappingReader {
 public:
  MappingReader(const flatbuffers::Parser& schema, Mapping* out) : schema_(schema), out_(out) {}

  Status Read(const Json& root, const std::map<std::string, std::string>& params) {
    if (!root.is_object()) return Status::InvalidArgument("a mapping must be a JSON object");
    if (root.contains("target")) {
      return Error("target",
                   "a mapping with a \"target\" fills the directory of people: give "
                   "it to `evident people import`");
    }
    for (const auto& [key, value] : root.items()) {
      static const std::set<std::string> known = {"mapping", "description", "format",
                                                  "params",  "fields",      "events"};
      if (!known.count(key)) return Error(key, "unknown key");
    }
    if (!root.contains("mapping") || !root["mapping"].is_string()) {
      return Error("mapping", "must be a string naming the mapping");
    }
    out_->name = root["mapping"].get<std::string>();
    const std::string format = root.value("format", std::string("csv"));
    if (format == "csv") {
      out_->format = Mapping::Format::kCsv;
    } else if (format == "jsonl") {
      out_->format = Mapping::Format::kJsonLines;
    } else {
      return Error("format", "must be \"csv\" or \"jsonl\"");
    }
    if (root.contains("params")) {
      if (!root["params"].is_object()) return Error("params", "must be an object");
      for (const auto& [name, value] : root["params"].items()) {
        if (!value.is_string()) return Error("params." + name, "must be a string");
        out_->params[name] = value.get<std::string>();
      }
    }
    for (const auto& [name, value] : params) {
      if (!out_->params.count(name)) {
        return Status::InvalidArgument("--param " + name + ": the mapping has no such param (" +
                                       ParamNames() + ")");
      }
      out_->params[name] = value;
    }
    if (!root.contains("events") || !root["events"].is_array() || root["events"].empty()) {
      return Error("events", "must be a non-empty list of event rules");
    }
    const Json common = root.value("fields", Json::object());
    if (!common.is_object()) return Error("fields", "must be an object");
    std::set<std::string> names;
    for (size_t i = 0; i < root["events"].size(); ++i) {
      EventRule rule;
      EVIDENT_RETURN_IF_ERROR(ReadRule(root["events"][i], common, "events[" + std::to_string(i) + "]",
                                       &rule));
      if (!names.insert(rule.name).second) {
        return Error("events[" + std::to_string(i) + "].name",
                     "\"" + rule.name + "\" names two rules; give each its own name");
      }
      out_->events.push_back(std::move(rule));
    }
    return Status::OK();
  }

 private:
  Status ReadRule(const Json& in, const Json& common, const std::string& where, EventRule* rule) {
    if (!in.is_object()) return Error(where, "must be an object");
    for (const auto& [key, value] : in.items()) {
      static const std::set<std::string> known = {"event_type", "name", "key", "when", "fields"};
      if (!known.count(key)) return Error(where + "." + key, "unknown key");
    }
    if (!in.contains("event_type") || !in["event_type"].is_string()) {
      return Error(where + ".event_type", "must name an event type");
    }
    rule->event_type = in["event_type"].get<std::string>();
    const flatbuffers::StructDef* body = schema_.structs_.Lookup("evident.schema." + rule->event_type);
    const auto* body_enum = schema_.enums_.Lookup("evident.schema.Body");
    if (body == nullptr || body_enum->Lookup(rule->event_type) == nullptr) {
      return Error(where + ".event_type", "\"" + rule->event_type + "\" is not an event type");
    }
    if (rule->event_type == "RecordCorrected" || rule->event_type == "RecordVoided" ||
        rule->event_type == "KeyRegistered" || rule->event_type == "KeyRevoked") {
      return Error(where + ".event_type",
                   rule->event_type + " is not imported: corrections are derived from changed "
                                      "rows, and keys are registered with `evident keygen`");
    }
    rule->name = in.value("name", rule->event_type);
    if (!in.contains("key") || !in["key"].is_array() || in["key"].empty()) {
      return Error(where + ".key", "must list the columns of the record's natural key");
    }
    for (const Json& column : in["key"]) {
      if (!column.is_string() || column.get<std::string>().empty()) {
        return Error(where + ".key", "must list column names");
      }
      rule->key.push_back(column.get<std::string>());
    }
    if (in.contains("when")) EVIDENT_RETURN_IF_ERROR(ReadWhen(in["when"], where + ".when", rule));
    const Json own = in.value("fields", Json::object());
    if (!own.is_object()) return Error(where + ".fields", "must be an object");
    Json merged = common;
    for (const auto& [path, value] : own.items()) merged[path] = value;
    for (const auto& [path, value] : merged.items()) {
      FieldRule field;
      field.path = path;
      const std::string at = where + ".fields." + path;
      EVIDENT_RETURN_IF_ERROR(ResolvePath(path, *body, at, &field.kind));
      EVIDENT_RETURN_IF_ERROR(ReadValue(value, at, &field.value));
      rule->fields.push_back(std::move(field));
    }
    for (const char* needed : {"occurred_at", "district_id", "source_system"}) {
      if (!merged.contains(needed)) {
        return Error(where + ".fields",
                     std::string("must map \"") + needed +
                         "\" (from the record, so that importing it again builds the same event)");
      }
    }
    return Status::OK();
  }

  Status ReadWhen(const Json& in, const std::string& where, EventRule* rule) {
    if (!in.is_object() || !in.contains("column") || !in["column"].is_string()) {
      return Error(where, "must be {\"column\": NAME, \"in\" or \"not_in\": [VALUES]}");
    }
    rule->when_column = in["column"].get<std::string>();
    rule->when_negated = in.contains("not_in");
    const Json& values = rule->when_negated ? in["not_in"] : in.value("in", Json());
    if (!values.is_array()) return Error(where, "needs \"in\" or \"not_in\": a list of values");
    for (const Json& v : values) {
      if (!v.is_string()) return Error(where, "values must be strings");
      rule->when_values.push_back(v.get<std::string>());
    }
    return Status::OK();
  }

  Status ResolvePath(const std::string& path, const flatbuffers::StructDef& body,
                     const std::string& at, FieldKind* kind) {
    size_t dot = path.find('.');
    const std::string head = path.substr(0, dot);
    const std::string tail = dot == std::string::npos ? "" : path.substr(dot + 1);
    const flatbuffers::StructDef* table = nullptr;
    if (dot == std::string::npos) {
      if (!EnvelopeFields().count(path)) {
        return Error(at, "not a field an import may set (the envelope's are occurred_at, "
                         "effective_date, district_id, source_system, attachments; the rest go "
                         "under subject. and body.)");
      }
      table = schema_.root_struct_def_;
    } else if (head == "subject") {
      table = schema_.structs_.Lookup("evident.schema.Subject");
    } else if (head == "body") {
      table = &body;
    } else {
      return Error(at, "a path starts with subject. or body., or is an envelope field");
    }
    const std::string name = tail.empty() ? path : tail;
    const flatbuffers::FieldDef* f = table->fields.Lookup(name);
    if (f == nullptr || f->deprecated || name.find('.') != std::string::npos) {
      return Error(at, table->name + " has no field \"" + name + "\"");
    }
    *kind = KindOf(*f);
    return Status::OK();
  }

  Status ReadValue(const Json& in, const std::string& at, ValueSpec* spec) {
    if (in.is_string()) return ReadTemplate(in.get<std::string>(), at, spec);
    if (!in.is_object()) {
      spec->source = ValueSpec::Source::kConst;
      spec->constant = in;
      return Status::OK();
    }
    for (const auto& [key, value] : in.items()) {
      static const std::set<std::string> known = {"column", "template", "const", "map", "default",
                                                  "as",     "date_format", "scale", "split"};
      if (!known.count(key)) return Error(at + "." + key, "unknown key");
    }
    const int sources = in.contains("column") + in.contains("template") + in.contains("const");
    if (sources != 1) return Error(at, "needs exactly one of \"column\", \"template\", \"const\"");
    if (in.contains("column")) {
      if (!in["column"].is_string()) return Error(at + ".column", "must be a column name");
      spec->source = ValueSpec::Source::kColumn;
      spec->column = in["column"].get<std::string>();
    } else if (in.contains("template")) {
      if (!in["template"].is_string()) return Error(at + ".template", "must be a string");
      EVIDENT_RETURN_IF_ERROR(ReadTemplate(in["template"].get<std::string>(), at, spec));
    } else {
      spec->source = ValueSpec::Source::kConst;
      spec->constant = in["const"];
    }
    if (in.contains("map")) {
      if (!in["map"].is_object()) return Error(at + ".map", "must be an object");
      spec->map.emplace();
      for (const auto& [from, to] : in["map"].items()) (*spec->map)[from] = to;
    }
    if (in.contains("default")) spec->map_default = in["default"];
    spec->as = in.value("as", std::string());
    if (!spec->as.empty() && spec->as != "date" && spec->as != "instant" && spec->as != "cents") {
      return Error(at + ".as", "must be \"date\", \"instant\" or \"cents\"");
    }
    spec->date_format = in.value("date_format", std::string());
    if (!spec->date_format.empty() && spec->as != "date" && spec->as != "instant") {
      return Error(at + ".date_format", "goes with \"as\": \"date\" or \"instant\"");
    }
    if (in.contains("scale")) {
      if (!in["scale"].is_number()) return Error(at + ".scale", "must be a number");
      spec->scale = in["scale"].get<double>();
    }
    if (in.contains("split")) {
      if (!in["split"].is_string() || in["split"].get<std::string>().empty()) {
        return Error(at + ".split", "must be the separator, e.g. \";\"");
      }
      spec->split = in["split"].get<std::string>();
    }
    return Status::OK();
  }

  Status ReadTemplate(const std::string& text, const std::string& at, ValueSpec* spec) {
    spec->source = ValueSpec::Source::kTemplate;
    Status s = ParseTemplate(text, out_->params, &spec->parts);
    return s.ok() ? s : Error(at, s.message());
  }

  std::string ParamNames() const { return DeclaredParams(out_->params); }

  Status Error(const std::string& where, const std::string& what) const {
    return Status::InvalidArgument("mapping \"" + where + "\": " + what);
  }

  const flatbuffers::Parser& schema_;
  Mapping* out_;
};

}  // namespace

Status ParseTemplate(const std::string& text, const std::map<std::string, std::string>& params,
                     std::vector<TemplatePart>* parts) {
  std::string literal;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      literal.push_back(c);
      ++i;
      continue;
    }
    if (c == '}') {
      return Status::InvalidArgument("a \"}\" without its \"{\" (write \"}}\" for a brace)");
    }
    if (c != '{') {
      literal.push_back(c);
      continue;
    }
    size_t close = text.find('}', i);
    if (close == std::string::npos) return Status::InvalidArgument("a \"{\" is never closed");
    std::string name = text.substr(i + 1, close - i - 1);
    if (name.empty() || name == "$") return Status::InvalidArgument("\"{}\" names nothing");
    if (!literal.empty()) parts->push_back({TemplatePart::Kind::kText, literal});
    literal.clear();
    if (name[0] == '$') {
      name.erase(0, 1);
      if (!params.count(name)) {
        return Status::InvalidArgument("\"{$" + name + "}\" names no param (" +
                                       DeclaredParams(params) + ")");
      }
      parts->push_back({TemplatePart::Kind::kParam, name});
    } else {
      parts->push_back({TemplatePart::Kind::kColumn, name});
    }
    i = close;
  }
  if (!literal.empty()) parts->push_back({TemplatePart::Kind::kText, literal});
  return Status::OK();
}

std::vector<std::string> Mapping::Columns() const {
  std::set<std::string> columns;
  for (const EventRule& rule : events) {
    columns.insert(rule.key.begin(), rule.key.end());
    if (!rule.when_column.empty()) columns.insert(rule.when_column);
    for (const FieldRule& f : rule.fields) {
      if (f.value.source == ValueSpec::Source::kColumn) columns.insert(f.value.column);
      for (const TemplatePart& p : f.value.parts) {
        if (p.kind == TemplatePart::Kind::kColumn) columns.insert(p.text);
      }
    }
  }
  return {columns.begin(), columns.end()};
}

StatusOr<Mapping> ParseMapping(std::string_view text, const flatbuffers::Parser& schema,
                               const std::map<std::string, std::string>& params) {
  Json root;
  try {
    root = Json::parse(text.begin(), text.end());
  } catch (const Json::exception& e) {
    return Status::InvalidArgument(std::string("the mapping is not valid JSON: ") + e.what());
  }
  Mapping mapping;
  MappingReader reader(schema, &mapping);
  EVIDENT_RETURN_IF_ERROR(reader.Read(root, params));
  return mapping;
}

}  // namespace evident::import
