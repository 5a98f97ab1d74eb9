#include "tools/import/record_mapper.h"

#include <cmath>
#include <cstdlib>

#include "ledger/coding.h"
#include "tools/import/convert.h"
#include "tools/import/name_uuid.h"

namespace evident::import {
namespace {

using Json = nlohmann::json;

std::string Trim(const std::string& s) {
  size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  size_t end = s.find_last_not_of(" \t\r\n");
  return s.substr(begin, end - begin + 1);
}

// A record's value as text: strings as they are, other scalars as JSON.
std::string Text(const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

bool Empty(const Json& v) { return v.is_null() || (v.is_string() && v.get<std::string>().empty()); }

// The column `name` of a record: a key as named, or else a dotted path into
// nested JSON objects ("staffReference.staffUniqueId").
const Json* Lookup(const Json& fields, const std::string& name) {
  if (auto it = fields.find(name); it != fields.end()) return &*it;
  const Json* at = &fields;
  for (size_t start = 0; start <= name.size();) {
    size_t dot = std::min(name.find('.', start), name.size());
    if (!at->is_object()) return nullptr;
    auto it = at->find(name.substr(start, dot - start));
    if (it == at->end()) return nullptr;
    at = &*it;
    start = dot + 1;
  }
  return at;
}

}  // namespace

bool ExpandTemplate(const std::vector<TemplatePart>& parts,
                    const std::map<std::string, std::string>& params, const Json& fields, Json* out,
                    std::string* column, std::string* reason) {
  std::string text;
  for (const TemplatePart& part : parts) {
    if (part.kind == TemplatePart::Kind::kText) {
      text += part.text;
    } else if (part.kind == TemplatePart::Kind::kParam) {
      text += params.at(part.text);
    } else {
      if (column->empty()) *column = part.text;
      const Json* v = Lookup(fields, part.text);
      if (v == nullptr || Empty(*v) || (v->is_string() && Trim(v->get<std::string>()).empty())) {
        *column = part.text;
        *out = nullptr;  // a template over an empty column is absent, not half-filled
        return true;
      }
      if (parts.size() == 1) {
        *out = *v;  // "{Column}" alone keeps a JSON value's type
        return true;
      }
      if (v->is_object() || v->is_array()) {
        *column = part.text;
        *reason = "holds a list or object, which a template cannot put into text";
        return false;
      }
      text += Trim(Text(*v));
    }
  }
  *out = text;
  return true;
}

std::string IdName(const std::string& source_system, const std::string& rule,
                   const std::vector<std::string>& key_values) {
  std::string name = "evident-import/v1\x1f" + source_system + "\x1f" + rule;
  for (const std::string& v : key_values) name += "\x1f" + v;
  return name;
}

RecordMapper::RecordMapper(const Mapping& mapping, EventJsonCodec* codec,
                           std::vector<std::string> header)
    : mapping_(mapping), codec_(codec), header_(std::move(header)) {
  for (size_t i = 0; i < header_.size(); ++i) column_numbers_[header_[i]] = i + 1;
}

std::string RecordMapper::DescribeColumn(const std::string& name) const {
  if (name.empty()) return "";
  if (auto it = column_numbers_.find(name); it != column_numbers_.end()) {
    return "column " + std::to_string(it->second) + " (" + name + ")";
  }
  return "field \"" + name + "\"";
}

bool RecordMapper::Source(const ValueSpec& spec, const SourceRecord& record, Json* out,
                          std::string* column, std::string* reason) {
  switch (spec.source) {
    case ValueSpec::Source::kConst:
      *out = spec.constant;
      return true;
    case ValueSpec::Source::kColumn: {
      *column = spec.column;
      const Json* v = Lookup(record.fields, spec.column);
      *out = v == nullptr ? Json() : *v;
      return true;
    }
    case ValueSpec::Source::kTemplate:
      break;
  }
  return ExpandTemplate(spec.parts, mapping_.params, record.fields, out, column, reason);
}

bool RecordMapper::Evaluate(const FieldRule& field, const SourceRecord& record, Json* out,
                            std::string* column, std::string* reason) {
  const ValueSpec& spec = field.value;
  Json v;
  if (!Source(spec, record, &v, column, reason)) return false;
  if (v.is_string() && !IsValidUtf8(v.get<std::string>())) {
    *reason = "is not UTF-8 text (save the export as UTF-8)";
    return false;
  }
  if (v.is_string()) v = Trim(v.get<std::string>());
  if (spec.map) {
    const std::string key = v.is_null() ? "" : Text(v);
    if (auto it = spec.map->find(key); it != spec.map->end()) {
      v = it->second;
    } else if (spec.map_default) {
      v = *spec.map_default;
    } else if (!Empty(v)) {
      std::string known;
      for (const auto& [from, to] : *spec.map) known += (known.empty() ? "\"" : ", \"") + from + "\"";
      *reason = "\"" + key + "\" is none of the values the mapping knows: " + known;
      return false;
    }
  }
  if (Empty(v)) {
    *out = nullptr;
    return true;
  }
  std::string converted;
  if (spec.as == "date" && !ConvertDate(Text(v), spec.date_format, &converted, reason)) return false;
  if (spec.as == "instant" && !ConvertInstant(Text(v), spec.date_format, &converted, reason)) {
    return false;
  }
  if (spec.as == "date" || spec.as == "instant") v = converted;
  if (spec.as == "cents") {
    int64_t cents = 0;
    if (!ConvertCents(Text(v), &cents, reason)) return false;
    v = cents;
  }
  if (spec.scale) {
    Json number;
    if (!Coerce(FieldKind::kNumber, v, &number, reason)) return false;
    double scaled = number.get<double>() * *spec.scale;
    if (field.kind == FieldKind::kInteger) {
      v = static_cast<int64_t>(std::llround(scaled));
    } else {
      v = scaled;
    }
  }
  if (spec.split && v.is_string()) {
    Json list = Json::array();
    const std::string text = v.get<std::string>();
    for (size_t start = 0; start <= text.size();) {
      size_t end = std::min(text.find(*spec.split, start), text.size());
      std::string item = Trim(text.substr(start, end - start));
      if (!item.empty()) list.push_back(item);
      start = end + spec.split->size();
    }
    v = list;
  }
  return Coerce(field.kind, v, out, reason);
}

bool RecordMapper::MapOne(const EventRule& rule, size_t index, const SourceRecord& record,
                          MappedEvent* out, RowError* error) {
  error->line = record.line;
  Json event = Json::object();
  event["event_type"] = rule.event_type;
  std::map<std::string, std::string> column_of;  // event path -> the column it came from
  for (const FieldRule& field : rule.fields) {
    Json value;
    std::string column, reason;
    if (!Evaluate(field, record, &value, &column, &reason)) {
      error->column = DescribeColumn(column);
      error->reason = reason + (column.empty() ? " (" + field.path + ")" : "");
      return false;
    }
    if (!column.empty()) column_of[field.path] = column;
    if (value.is_null()) continue;
    size_t dot = field.path.find('.');
    if (dot == std::string::npos) {
      event[field.path] = value;
    } else {
      event[field.path.substr(0, dot)][field.path.substr(dot + 1)] = value;
    }
  }
  std::vector<std::string> key_values;
  for (const std::string& column : rule.key) {
    const Json* v = Lookup(record.fields, column);
    std::string text = v == nullptr ? "" : Trim(Text(*v));
    if (v == nullptr || v->is_null() || text.empty()) {
      error->column = DescribeColumn(column);
      error->reason = "empty, but it is part of the record's key";
      return false;
    }
    key_values.push_back(text);
  }
  const std::string source_system = event.value("source_system", std::string());
  out->rule = index;
  out->event_type = rule.event_type;
  out->event_id = NameUuid(ImportNamespace(), IdName(source_system, rule.name, key_values));
  event["event_id"] = FormatUuid(out->event_id);
  std::string text;
  try {
    text = event.dump();
  } catch (const Json::exception& e) {  // a value the checks above let through: never fatal
    error->reason = std::string("cannot be written as JSON: ") + e.what();
    return false;
  }
  auto bytes = codec_->FromJson(text);
  if (!bytes.ok()) {
    // The codec names the field at fault in quotes; say which column fed it.
    const std::string& message = bytes.status().message();
    size_t open = message.find('"'), close = message.find('"', open + 1);
    std::string path = close == std::string::npos ? "" : message.substr(open + 1, close - open - 1);
    for (auto it = column_of.begin(); it != column_of.end() && !path.empty(); ++it) {
      if (path == it->first || path.rfind(it->first + ".", 0) == 0) {
        error->column = DescribeColumn(it->second);
      }
    }
    if (error->column.empty() && message.find("must name \"subject.") != std::string::npos) {
      path = message.substr(message.find("subject."));
      path.pop_back();
      if (auto it = column_of.find(path); it != column_of.end()) {
        error->column = DescribeColumn(it->second);
      }
    }
    error->reason = message;
    return false;
  }
  out->bytes = std::move(bytes.value());
  return true;
}

bool RecordMapper::Map(const SourceRecord& record, std::vector<MappedEvent>* out,
                       RowError* error) {
  if (!record.fields.is_object()) {
    *error = {record.line, "", "the line is not a JSON object"};
    return false;
  }
  const size_t before = out->size();
  for (size_t i = 0; i < mapping_.events.size(); ++i) {
    const EventRule& rule = mapping_.events[i];
    if (!rule.when_column.empty()) {
      const Json* v = Lookup(record.fields, rule.when_column);
      std::string text = v == nullptr ? "" : Trim(Text(*v));
      bool listed = std::find(rule.when_values.begin(), rule.when_values.end(), text) !=
                    rule.when_values.end();
      if (listed == rule.when_negated) continue;
    }
    MappedEvent event;
    if (!MapOne(rule, i, record, &event, error)) {
      out->resize(before);
      return false;
    }
    out->push_back(std::move(event));
  }
  return true;
}

}  // namespace evident::import
