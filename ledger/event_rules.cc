// Walks a new event's FlatBuffer with the compiled-in schema (flatbuffers'
// Parser keeps every field's attributes) and checks each field against the
// rules the header lists.

#include "ledger/event_rules.h"

#include <flatbuffers/idl.h>

#include <cmath>
#include <cstdlib>
#include <memory>

#include "ledger/coding.h"
#include "ledger/event_json.h"
#include "schemas/schema_text.h"

namespace evident {
namespace {

using flatbuffers::BaseType;
using flatbuffers::FieldDef;
using flatbuffers::StructDef;
using flatbuffers::Table;

const flatbuffers::Parser& Schema() {
  static const flatbuffers::Parser* parser = [] {
    auto* p = new flatbuffers::Parser();
    // The schema is compiled in and parsed by the codec's tests; a failure
    // here is a broken build, not bad input.
    if (!p->Parse(schema::EventSchemaText())) std::abort();
    return p;
  }();
  return *parser;
}

std::string Attr(const flatbuffers::SymbolTable<flatbuffers::Value>& attrs, const char* name) {
  const auto* v = attrs.Lookup(name);
  return v == nullptr ? std::string() : v->constant;
}

bool HasAttr(const FieldDef& f, const char* name) { return f.attributes.Lookup(name) != nullptr; }

std::string Path(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : prefix + "." + name;
}

Status Bad(const std::string& path, const std::string& what) {
  return Status::InvalidArgument("\"" + path + "\" must be " + what);
}

// A scalar field's value as stored, or its default when absent.
struct ScalarValue {
  bool present = false;
  long double value = 0;
};

template <typename T>
ScalarValue ReadAs(const Table* t, const FieldDef& f) {
  ScalarValue v;
  v.present = t->GetOptionalFieldOffset(f.value.offset) != 0;
  const long double fallback = std::strtold(f.value.constant.c_str(), nullptr);
  v.value = v.present ? static_cast<long double>(t->GetField<T>(f.value.offset, T())) : fallback;
  return v;
}

ScalarValue ReadScalar(const Table* t, const FieldDef& f) {
  switch (f.value.type.base_type) {
    case flatbuffers::BASE_TYPE_BOOL:
    case flatbuffers::BASE_TYPE_UCHAR:
    case flatbuffers::BASE_TYPE_UTYPE:
      return ReadAs<uint8_t>(t, f);
    case flatbuffers::BASE_TYPE_CHAR:
      return ReadAs<int8_t>(t, f);
    case flatbuffers::BASE_TYPE_SHORT:
      return ReadAs<int16_t>(t, f);
    case flatbuffers::BASE_TYPE_USHORT:
      return ReadAs<uint16_t>(t, f);
    case flatbuffers::BASE_TYPE_INT:
      return ReadAs<int32_t>(t, f);
    case flatbuffers::BASE_TYPE_UINT:
      return ReadAs<uint32_t>(t, f);
    case flatbuffers::BASE_TYPE_LONG:
      return ReadAs<int64_t>(t, f);
    case flatbuffers::BASE_TYPE_ULONG:
      return ReadAs<uint64_t>(t, f);
    case flatbuffers::BASE_TYPE_FLOAT:
      return ReadAs<float>(t, f);
    case flatbuffers::BASE_TYPE_DOUBLE:
      return ReadAs<double>(t, f);
    default:
      return {};
  }
}

class RuleChecker {
 public:
  Status Table(const flatbuffers::Table* t, const StructDef& def, const std::string& path);
  Status Subject(const flatbuffers::Table* subject, const StructDef& body_def,
                 const std::string& event_type, const std::string& path);

 private:
  Status Field(const flatbuffers::Table* t, const StructDef& def, const FieldDef& f,
               const std::string& path);
  Status Scalar(const flatbuffers::Table* t, const FieldDef& f, const std::string& path);
  Status String(const flatbuffers::String* s, const FieldDef& f, const std::string& path);
  Status Vector(const flatbuffers::Table* t, const FieldDef& f, const std::string& path);
  Status Union(const flatbuffers::Table* t, const StructDef& def, const FieldDef& f,
               const std::string& path);
};

Status RuleChecker::Table(const flatbuffers::Table* t, const StructDef& def,
                          const std::string& path) {
  for (const FieldDef* f : def.fields.vec) {
    if (f->deprecated) continue;
    EVIDENT_RETURN_IF_ERROR(Field(t, def, *f, Path(path, f->name)));
  }
  return Status::OK();
}

Status RuleChecker::Field(const flatbuffers::Table* t, const StructDef& def, const FieldDef& f,
                          const std::string& path) {
  const flatbuffers::Type& type = f.value.type;
  switch (type.base_type) {
    case flatbuffers::BASE_TYPE_UTYPE:
      return Status::OK();  // checked with its union
    case flatbuffers::BASE_TYPE_UNION:
      return Union(t, def, f, path);
    case flatbuffers::BASE_TYPE_STRING: {
      const auto* s = t->GetPointer<const flatbuffers::String*>(f.value.offset);
      if (s == nullptr) return Status::OK();  // the verifier has checked `required`
      return String(s, f, path);
    }
    case flatbuffers::BASE_TYPE_STRUCT: {
      if (type.struct_def->fixed) return Status::OK();  // Id128: any 16 bytes
      const auto* sub = t->GetPointer<const flatbuffers::Table*>(f.value.offset);
      return sub == nullptr ? Status::OK() : Table(sub, *type.struct_def, path);
    }
    case flatbuffers::BASE_TYPE_VECTOR:
      return Vector(t, f, path);
    default:
      return Scalar(t, f, path);
  }
}

Status RuleChecker::Scalar(const flatbuffers::Table* t, const FieldDef& f,
                           const std::string& path) {
  const flatbuffers::Type& type = f.value.type;
  const ScalarValue v = ReadScalar(t, f);
  if (!v.present && f.IsOptional()) return Status::OK();  // `= null`: absent is absent
  if (type.base_type == flatbuffers::BASE_TYPE_BOOL) {
    return v.value == 0 || v.value == 1 ? Status::OK() : Bad(path, "true or false (0 or 1)");
  }
  if (!std::isfinite(v.value)) return Bad(path, "a finite number");
  if (type.enum_def != nullptr) {
    const auto* val = type.enum_def->ReverseLookup(static_cast<int64_t>(v.value), false);
    if (val == nullptr || val->name == "Unspecified") {
      std::string names;
      for (const auto* e : type.enum_def->Vals()) {
        if (e->name != "Unspecified") names += (names.empty() ? "" : ", ") + e->name;
      }
      return Bad(path, "one of: " + names + " (got " +
                           std::to_string(static_cast<int64_t>(v.value)) + ")");
    }
    return Status::OK();
  }
  const std::string range = Attr(f.attributes, "range");
  if (!range.empty()) {
    const size_t dots = range.find("..");
    const long double lo = std::strtold(range.substr(0, dots).c_str(), nullptr);
    const long double hi = std::strtold(range.substr(dots + 2).c_str(), nullptr);
    if (v.value < lo || v.value > hi) {
      return Bad(path, "between " + range.substr(0, dots) + " and " + range.substr(dots + 2));
    }
  }
  return Status::OK();
}

Status RuleChecker::String(const flatbuffers::String* s, const FieldDef& f,
                           const std::string& path) {
  const std::string_view text = s->string_view();
  if (!IsValidUtf8(text)) return Bad(path, "UTF-8 text; FlatBuffers strings must be UTF-8");
  if (HasAttr(f, "date") && !IsValidDate(text)) return Bad(path, "a date, YYYY-MM-DD");
  if (HasAttr(f, "timestamp") && !IsValidTimestamp(text)) {
    return Bad(path, "a UTC time, YYYY-MM-DDThh:mm:ssZ");
  }
  if (f.IsRequired() && text.empty()) return Bad(path, "a non-empty string");
  return Status::OK();
}

Status RuleChecker::Vector(const flatbuffers::Table* t, const FieldDef& f,
                           const std::string& path) {
  const flatbuffers::Type& type = f.value.type;
  switch (type.element) {
    case flatbuffers::BASE_TYPE_STRING: {
      const auto* v =
          t->GetPointer<const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>*>(
              f.value.offset);
      for (flatbuffers::uoffset_t i = 0; v != nullptr && i < v->size(); ++i) {
        EVIDENT_RETURN_IF_ERROR(String(v->Get(i), f, path + "[" + std::to_string(i) + "]"));
      }
      return Status::OK();
    }
    case flatbuffers::BASE_TYPE_STRUCT: {
      const auto* v =
          t->GetPointer<const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::Table>>*>(
              f.value.offset);
      for (flatbuffers::uoffset_t i = 0; v != nullptr && i < v->size(); ++i) {
        EVIDENT_RETURN_IF_ERROR(
            Table(v->Get(i), *type.struct_def, path + "[" + std::to_string(i) + "]"));
      }
      return Status::OK();
    }
    case flatbuffers::BASE_TYPE_UCHAR: {
      const auto* v = t->GetPointer<const flatbuffers::Vector<uint8_t>*>(f.value.offset);
      const std::string length = Attr(f.attributes, "length");
      if (v != nullptr && !length.empty() && v->size() != std::stoul(length)) {
        return Bad(path, length + " bytes (" + std::to_string(2 * std::stoul(length)) +
                             " hex digits), not " + std::to_string(v->size()));
      }
      return Status::OK();
    }
    default:  // the schema has no other vectors; a new kind must be given rules here
      return Status::InvalidArgument("\"" + path + "\" is a vector the event rules do not know");
  }
}

Status RuleChecker::Union(const flatbuffers::Table* t, const StructDef& def, const FieldDef& f,
                          const std::string& path) {
  const FieldDef* type_field = def.fields.Lookup(f.name + flatbuffers::UnionTypeFieldSuffix());
  const uint8_t member_type = t->GetField<uint8_t>(type_field->value.offset, 0);
  const auto* member = f.value.type.enum_def->ReverseLookup(member_type, false);
  const auto* value = t->GetPointer<const flatbuffers::Table*>(f.value.offset);
  const std::string prefix = path.substr(0, path.size() - f.name.size());  // "" or "body."
  if (member == nullptr || member_type == 0 || member->union_type.struct_def == nullptr ||
      value == nullptr) {
    return Bad(prefix + type_field->name,
               "a known event type (got " + std::to_string(member_type) + ")");
  }
  const StructDef& member_def = *member->union_type.struct_def;
  EVIDENT_RETURN_IF_ERROR(Table(value, member_def, path));
  // A correction that gives a subject gives the whole of it: it must name
  // what its replacement body needs.
  if (def.name == "RecordCorrected") {
    const FieldDef* subject = def.fields.Lookup("subject");
    const auto* s = t->GetPointer<const flatbuffers::Table*>(subject->value.offset);
    if (s != nullptr) {
      EVIDENT_RETURN_IF_ERROR(Subject(s, member_def, member->name, prefix + "subject"));
    }
  }
  return Status::OK();
}

// Whether the subject names `id`: a non-empty string, or a non-zero year.
bool Names(const flatbuffers::Table* subject, const StructDef& subject_def, const std::string& id) {
  const FieldDef* f = subject_def.fields.Lookup(id);
  if (f == nullptr || subject == nullptr) return false;
  if (f->value.type.base_type == flatbuffers::BASE_TYPE_STRING) {
    const auto* s = subject->GetPointer<const flatbuffers::String*>(f->value.offset);
    return s != nullptr && s->size() > 0;
  }
  const ScalarValue v = ReadScalar(subject, *f);
  return v.present && v.value != 0;
}

Status RuleChecker::Subject(const flatbuffers::Table* subject, const StructDef& body_def,
                            const std::string& event_type, const std::string& path) {
  const StructDef* subject_def = Schema().structs_.Lookup("evident.schema.Subject");
  const std::string needed = Attr(body_def.attributes, "subject");
  for (size_t start = 0; !needed.empty() && start <= needed.size();) {
    const size_t comma = std::min(needed.find(',', start), needed.size());
    const std::string id = needed.substr(start, comma - start);
    start = comma + 1;
    if (!Names(subject, *subject_def, id)) {
      return Status::InvalidArgument(event_type + " events must name \"" + Path(path, id) + "\"");
    }
  }
  return Status::OK();
}

}  // namespace

Status CheckEventRules(const schema::Event* event) {
  const flatbuffers::Parser& schema = Schema();
  const auto* table = reinterpret_cast<const Table*>(event);
  RuleChecker checker;
  EVIDENT_RETURN_IF_ERROR(checker.Table(table, *schema.root_struct_def_, ""));
  const auto* body_enum = schema.enums_.Lookup("evident.schema.Body");
  const auto* member = body_enum->ReverseLookup(static_cast<int64_t>(event->body_type()), false);
  return checker.Subject(reinterpret_cast<const Table*>(event->subject()),
                         *member->union_type.struct_def, member->name, "subject");
}

}  // namespace evident
