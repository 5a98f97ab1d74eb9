// JSON <-> Event FlatBuffer, driven by the compiled-in schema.
//
// FromJson: parse with nlohmann, check and rewrite every field against the
// schema (Normalize), then let flatbuffers' own parser build the buffer from
// the rewritten JSON. ToJson: flatbuffers' text generator, then the reverse
// rewrite (hex for bytes and ids, no body_type on the envelope).

#include "ledger/event_json.h"

#include <flatbuffers/idl.h>
#include <flatbuffers/reflection.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "ledger/coding.h"
#include "ledger/event.h"
#include "ledger/event_rules.h"
#include "schemas/schema_text.h"

namespace evident {
namespace {

using Json = nlohmann::ordered_json;
using flatbuffers::FieldDef;
using flatbuffers::StructDef;

bool HasAttr(const FieldDef& f, const char* name) { return f.attributes.Lookup(name) != nullptr; }

std::string AttrValue(const flatbuffers::SymbolTable<flatbuffers::Value>& attrs, const char* name) {
  const auto* v = attrs.Lookup(name);
  return v == nullptr ? std::string() : v->constant;
}

int ParseDigits(std::string_view s, size_t pos, size_t count) {
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

std::string Path(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : prefix + "." + name;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Checks and rewrites JSON for one table against its StructDef.
class Normalizer {
 public:
  Status Table(const Json& in, const StructDef& def, const std::string& path, Json* out);

 private:
  Status Field(const Json& in, const FieldDef& f, const std::string& path, const Json& parent,
               Json* out);
  Status Scalar(const Json& in, const FieldDef& f, const std::string& path, Json* out);
  Status Bytes(const Json& in, const FieldDef& f, const std::string& path, Json* out);
};

Status Normalizer::Table(const Json& in, const StructDef& def, const std::string& path, Json* out) {
  if (!in.is_object()) {
    return Status::InvalidArgument((path.empty() ? "the event" : "\"" + path + "\"") +
                                   " must be a JSON object");
  }
  *out = Json::object();
  // Union type fields first: flatbuffers wants a union's type before its value.
  for (const FieldDef* f : def.fields.vec) {
    if (f->value.type.base_type != flatbuffers::BASE_TYPE_UTYPE || !in.contains(f->name)) continue;
    const Json& type = in[f->name];
    if (!type.is_string() || f->value.type.enum_def->Lookup(type.get<std::string>()) == nullptr ||
        type.get<std::string>() == "NONE") {
      return Status::InvalidArgument("\"" + Path(path, f->name) + "\" must name an event type");
    }
    (*out)[f->name] = type;
  }
  for (const auto& [key, value] : in.items()) {
    const FieldDef* f = def.fields.Lookup(key);
    if (f == nullptr || f->deprecated) {
      return Status::InvalidArgument("unknown field \"" + Path(path, key) + "\"");
    }
  }
  // Fields are written in schema order, whatever order the input had, so the
  // same event always builds the same bytes (idempotent re-sends depend on it).
  for (const FieldDef* f : def.fields.vec) {
    if (f->deprecated || f->value.type.base_type == flatbuffers::BASE_TYPE_UTYPE) continue;
    auto it = in.find(f->name);
    if (it == in.end() || it->is_null()) {  // null is absent
      if (f->IsRequired() || HasAttr(*f, "required_scalar")) {
        return Status::InvalidArgument("missing field \"" + Path(path, f->name) + "\"");
      }
      continue;
    }
    EVIDENT_RETURN_IF_ERROR(Field(*it, *f, Path(path, f->name), in, &(*out)[f->name]));
  }
  return Status::OK();
}

Status Normalizer::Field(const Json& in, const FieldDef& f, const std::string& path,
                         const Json& parent, Json* out) {
  const flatbuffers::Type& type = f.value.type;
  auto want = [&](const char* what) {
    return Status::InvalidArgument("\"" + path + "\" must be " + what);
  };
  if (HasAttr(f, "hex")) return Bytes(in, f, path, out);
  switch (type.base_type) {
    case flatbuffers::BASE_TYPE_STRING: {
      if (!in.is_string()) return want("a string");
      const std::string s = in.get<std::string>();
      if (HasAttr(f, "date") && !IsValidDate(s)) return want("a date, YYYY-MM-DD");
      if (HasAttr(f, "timestamp") && !IsValidTimestamp(s)) {
        return want("a UTC time, YYYY-MM-DDThh:mm:ssZ");
      }
      if (f.IsRequired() && s.empty()) return want("a non-empty string");
      *out = in;
      return Status::OK();
    }
    case flatbuffers::BASE_TYPE_STRUCT:
      if (type.struct_def->fixed) return want("given in hex");  // only Id128, always hex
      return Table(in, *type.struct_def, path, out);
    case flatbuffers::BASE_TYPE_UNION: {
      const std::string type_field = f.name + flatbuffers::UnionTypeFieldSuffix();
      if (!parent.contains(type_field)) {
        return Status::InvalidArgument("\"" + path + "\" needs \"" + type_field +
                                       "\" beside it, naming its event type");
      }
      const auto* member = type.enum_def->Lookup(parent[type_field].get<std::string>());
      return Table(in, *member->union_type.struct_def, path, out);
    }
    case flatbuffers::BASE_TYPE_VECTOR: {
      if (!in.is_array()) return want("a JSON array");
      *out = Json::array();
      for (size_t i = 0; i < in.size(); ++i) {
        const std::string item = path + "[" + std::to_string(i) + "]";
        Json converted;
        if (type.element == flatbuffers::BASE_TYPE_STRING) {
          if (!in[i].is_string())
            return Status::InvalidArgument("\"" + item + "\" must be a string");
          converted = in[i];
        } else if (type.element == flatbuffers::BASE_TYPE_STRUCT && !type.struct_def->fixed) {
          EVIDENT_RETURN_IF_ERROR(Table(in[i], *type.struct_def, item, &converted));
        } else {
          return want("of a type this codec does not handle");  // not in the schema today
        }
        out->push_back(std::move(converted));
      }
      return Status::OK();
    }
    default:
      return Scalar(in, f, path, out);
  }
}

Status Normalizer::Scalar(const Json& in, const FieldDef& f, const std::string& path, Json* out) {
  const flatbuffers::Type& type = f.value.type;
  auto want = [&](const std::string& what) {
    return Status::InvalidArgument("\"" + path + "\" must be " + what);
  };
  if (flatbuffers::IsBool(type.base_type)) {
    if (!in.is_boolean()) return want("true or false");
    *out = in;
    return Status::OK();
  }
  if (type.enum_def != nullptr) {
    std::vector<std::string> names;
    for (const auto* v : type.enum_def->Vals()) {
      if (v->name != "Unspecified") names.push_back(v->name);
    }
    if (!in.is_string() ||
        std::find(names.begin(), names.end(), in.get<std::string>()) == names.end()) {
      return want("one of: " + JoinNames(names));
    }
    *out = in;
    return Status::OK();
  }
  double value = 0;
  if (flatbuffers::IsInteger(type.base_type)) {
    if (!in.is_number_integer()) return want("a whole number");
    if (flatbuffers::IsUnsigned(type.base_type) && in.is_number_integer() &&
        !in.is_number_unsigned() && in.get<int64_t>() < 0) {
      return want("zero or more");
    }
    value = in.is_number_unsigned() ? double(in.get<uint64_t>()) : double(in.get<int64_t>());
  } else {
    if (!in.is_number()) return want("a number");
    value = in.get<double>();
  }
  const std::string range = AttrValue(f.attributes, "range");
  if (!range.empty()) {
    size_t dots = range.find("..");
    double lo = std::stod(range.substr(0, dots));
    double hi = std::stod(range.substr(dots + 2));
    if (value < lo || value > hi)
      return want("between " + range.substr(0, dots) + " and " + range.substr(dots + 2));
  }
  *out = in;
  return Status::OK();
}

// What an id may be, for an `event_id` (or `amends_event_id`) that is not one.
Status NotAnId(const std::string& path, const Json& in) {
  std::string given = in.is_string() ? in.get<std::string>() : in.dump();
  if (given.size() > 40) given = given.substr(0, 40) + "...";
  return Status::InvalidArgument(
      "\"" + path + "\" must be an id of 16 bytes: 32 hex digits, or a UUID such as " +
      "6f1c1b2e-5a4d-4e8a-9c3b-2f0e1d7a9b10; got \"" + given +
      "\" (a source system's own key, such as an invoice number, is made into an id by " +
      "`evident import`: docs/import.md)");
}

Status Normalizer::Bytes(const Json& in, const FieldDef& f, const std::string& path, Json* out) {
  const bool is_id = f.value.type.base_type == flatbuffers::BASE_TYPE_STRUCT;
  if (!in.is_string()) {
    return is_id ? NotAnId(path, in)
                 : Status::InvalidArgument("\"" + path + "\" must be a hex string");
  }
  std::string text = in.get<std::string>();
  if (is_id && text.size() == 36 && text[8] == '-' && text[13] == '-' && text[18] == '-' &&
      text[23] == '-') {
    text.erase(std::remove(text.begin(), text.end(), '-'), text.end());  // UUID form
  }
  auto bytes = HexDecode(text);
  if (is_id && (!bytes.ok() || bytes->size() != kEventIdSize)) return NotAnId(path, in);
  if (!bytes.ok()) return bytes.status().WithContext("\"" + path + "\"");
  const std::string length = is_id ? "" : AttrValue(f.attributes, "length");
  const size_t want = length.empty() ? 0 : std::stoul(length);
  if (want != 0 && bytes->size() != want) {
    return Status::InvalidArgument("\"" + path + "\" must be " + std::to_string(want) + " bytes (" +
                                   std::to_string(2 * want) + " hex digits)");
  }
  Json array = Json::array();
  for (unsigned char c : *bytes) array.push_back(int(c));
  *out = is_id ? Json{{"bytes", std::move(array)}} : std::move(array);
  return Status::OK();
}

// The reverse of Normalizer for ToJson: byte arrays back to hex.
void Denormalize(Json* j, const StructDef& def) {
  for (auto it = j->begin(); it != j->end();) {  // absent optional scalars print as null
    it = it->is_null() ? j->erase(it) : std::next(it);
  }
  for (auto& [key, value] : j->items()) {
    const FieldDef* f = def.fields.Lookup(key);
    if (f == nullptr) continue;
    const flatbuffers::Type& type = f->value.type;
    if (HasAttr(*f, "hex")) {
      const Json& array = type.base_type == flatbuffers::BASE_TYPE_STRUCT ? value["bytes"] : value;
      std::string bytes;
      for (const auto& b : array) bytes.push_back(static_cast<char>(b.get<int>()));
      value = HexEncode(bytes);
    } else if (type.base_type == flatbuffers::BASE_TYPE_STRUCT) {
      Denormalize(&value, *type.struct_def);
    } else if (type.base_type == flatbuffers::BASE_TYPE_UNION) {
      const std::string type_field = f->name + flatbuffers::UnionTypeFieldSuffix();
      const auto* member = type.enum_def->Lookup((*j)[type_field].get<std::string>());
      if (member != nullptr && member->union_type.struct_def != nullptr) {
        Denormalize(&value, *member->union_type.struct_def);
      }
    } else if (type.base_type == flatbuffers::BASE_TYPE_VECTOR &&
               type.element == flatbuffers::BASE_TYPE_STRUCT) {
      for (auto& item : value) Denormalize(&item, *type.struct_def);
    }
  }
}

std::string CleanJsonError(const std::string& what) {
  // "[json.exception.parse_error.101] parse error at line 1, ..." -> "parse error at line 1, ..."
  size_t close = what.find("] ");
  return close == std::string::npos ? what : what.substr(close + 2);
}

}  // namespace

bool IsValidDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  int y = ParseDigits(s, 0, 4), m = ParseDigits(s, 5, 2), d = ParseDigits(s, 8, 2);
  if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

bool IsValidTimestamp(std::string_view s) {
  if (s.size() != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z') {
    return false;
  }
  int hh = ParseDigits(s, 11, 2), mm = ParseDigits(s, 14, 2), ss = ParseDigits(s, 17, 2);
  return IsValidDate(s.substr(0, 10)) && hh >= 0 && hh < 24 && mm >= 0 && mm < 60 && ss >= 0 &&
         ss < 60;
}

EventJsonCodec::EventJsonCodec() = default;
EventJsonCodec::~EventJsonCodec() = default;

StatusOr<std::unique_ptr<EventJsonCodec>> EventJsonCodec::Create() {
  std::unique_ptr<EventJsonCodec> codec(new EventJsonCodec());
  flatbuffers::IDLOptions opts;
  opts.strict_json = true;
  opts.output_default_scalars_in_json = true;
  // Text is rendered with \u escapes and read back by nlohmann, which writes
  // it out as UTF-8 again. FlatBuffers' "natural" UTF-8 output would copy
  // control characters such as U+0000 into the JSON unescaped, which no JSON
  // reader takes (the JSON event fuzzer found one).
  opts.natural_utf8 = false;
  codec->parser_ = std::make_unique<flatbuffers::Parser>(opts);
  if (!codec->parser_->Parse(schema::EventSchemaText())) {
    return Status::Corruption("the compiled-in event schema does not parse: " +
                              codec->parser_->error_);
  }
  codec->event_def_ = codec->parser_->root_struct_def_;
  return codec;
}

std::vector<std::string> EventJsonCodec::EventTypes() const {
  std::vector<std::string> names;
  const auto* body = parser_->enums_.Lookup("evident.schema.Body");
  for (const auto* v : body->Vals()) {
    if (v->name != "NONE") names.push_back(v->name);
  }
  return names;
}

StatusOr<std::string> EventJsonCodec::FromJson(std::string_view text) {
  Json in;
  try {
    in = Json::parse(text.begin(), text.end());
  } catch (const Json::exception& e) {
    return Status::InvalidArgument("malformed JSON: " + CleanJsonError(e.what()));
  }
  if (!in.is_object()) return Status::InvalidArgument("an event must be a JSON object");
  if (!in.contains("event_type") || !in["event_type"].is_string()) {
    return Status::InvalidArgument("missing field \"event_type\" (a string naming the event)");
  }
  const std::string type = in["event_type"].get<std::string>();
  std::vector<std::string> types = EventTypes();
  if (std::find(types.begin(), types.end(), type) == types.end()) {
    return Status::InvalidArgument("unknown event type \"" + type +
                                   "\"; known types: " + JoinNames(types));
  }
  if (in.contains("body_type")) {
    return Status::InvalidArgument(
        "unknown field \"body_type\" (the envelope's event_type names "
        "the body)");
  }
  in["body_type"] = type;

  Json out;
  Normalizer normalizer;
  EVIDENT_RETURN_IF_ERROR(normalizer.Table(in, *event_def_, "", &out));

  const std::string rewritten = out.dump();
  if (!parser_->ParseJson(rewritten.c_str())) {
    std::string error = parser_->error_;
    return Status::InvalidArgument("the event does not fit the schema: " + error);
  }
  const auto& builder = parser_->builder_;
  std::string bytes(reinterpret_cast<const char*>(builder.GetBufferPointer()), builder.GetSize());
  auto parsed = ParseEvent(bytes);
  if (!parsed.ok()) return parsed.status();
  // What JSON cannot say wrong by its shape (a subject without the ids its
  // body needs, and every rule the appender applies) is checked once, on the
  // bytes, by the same rules the appender applies to raw events.
  EVIDENT_RETURN_IF_ERROR(CheckEventRules(parsed.value()));
  return bytes;
}

StatusOr<std::string> EventJsonCodec::ToJson(std::string_view event_bytes) {
  std::string text;
  if (!flatbuffers::GenerateText(*parser_, event_bytes.data(), &text)) {
    return Status::InvalidArgument("cannot render the event as JSON");
  }
  Json j;
  try {
    j = Json::parse(text);
  } catch (const Json::exception& e) {
    return Status::Corruption("rendered event JSON does not parse: " + CleanJsonError(e.what()));
  }
  Denormalize(&j, *event_def_);
  j.erase("body_type");
  return j.dump();
}

}  // namespace evident
