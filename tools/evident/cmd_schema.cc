// evident schema: the JSON form of every event type, read from the compiled-in
// schema. docs/events.md is this command's output (a test keeps them equal).

#include <flatbuffers/idl.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "ledger/event_json.h"
#include "tools/evident/command.h"

namespace evident::cli {
namespace {

constexpr char kName[] = "schema";
using flatbuffers::FieldDef;
using flatbuffers::StructDef;
using Json = nlohmann::ordered_json;

std::string Attr(const FieldDef& f, const char* name) {
  const auto* v = f.attributes.Lookup(name);
  return v == nullptr ? "" : v->constant;
}
bool Has(const FieldDef& f, const char* name) { return f.attributes.Lookup(name) != nullptr; }

std::string Doc(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : " ") + l.substr(l.find_first_not_of(' '));
  return out;
}

std::string ShortName(const std::string& qualified) {
  return qualified.substr(qualified.rfind('.') + 1);
}

// What a field holds, in the words of the JSON form.
std::string TypeText(const FieldDef& f) {
  const auto& t = f.value.type;
  if (Has(f, "hex")) {
    if (t.base_type == flatbuffers::BASE_TYPE_STRUCT) return "id: 32 hex digits or a UUID";
    std::string n = Attr(f, "length");
    return n.empty() ? "hex bytes" : "hex, " + n + " bytes";
  }
  if (Has(f, "date")) return "date YYYY-MM-DD";
  if (Has(f, "timestamp")) return "UTC time YYYY-MM-DDThh:mm:ssZ";
  if (t.enum_def != nullptr && t.base_type != flatbuffers::BASE_TYPE_UNION &&
      t.base_type != flatbuffers::BASE_TYPE_UTYPE) {
    std::string names;
    for (const auto* v : t.enum_def->Vals()) {
      if (v->name != "Unspecified") names += (names.empty() ? "" : " \\| ") + v->name;
    }
    return names;
  }
  switch (t.base_type) {
    case flatbuffers::BASE_TYPE_STRING:
      return "string";
    case flatbuffers::BASE_TYPE_BOOL:
      return "true \\| false";
    case flatbuffers::BASE_TYPE_FLOAT:
    case flatbuffers::BASE_TYPE_DOUBLE:
      return "number";
    case flatbuffers::BASE_TYPE_STRUCT:
      return "object: " + ShortName(t.struct_def->name);
    case flatbuffers::BASE_TYPE_UNION:
      return "object: the body named by `" + f.name + "_type`";
    case flatbuffers::BASE_TYPE_VECTOR:
      return t.element == flatbuffers::BASE_TYPE_STRING
                 ? "list of strings"
                 : "list of objects: " + ShortName(t.struct_def->name);
    default:
      return "whole number";
  }
}

void PrintTable(const StructDef& def, const std::string& heading,
                std::set<const StructDef*>* used) {
  std::cout << "### " << heading << "\n\n";
  if (!def.doc_comment.empty()) std::cout << Doc(def.doc_comment) << "\n\n";
  std::string subject =
      def.attributes.Lookup("subject") ? def.attributes.Lookup("subject")->constant : "";
  if (!subject.empty()) {
    std::string ids;
    for (size_t i = 0; i <= subject.size();) {
      size_t c = std::min(subject.find(',', i), subject.size());
      ids += (ids.empty() ? "" : ", ") + std::string("`subject.") + subject.substr(i, c - i) + "`";
      i = c + 1;
    }
    std::cout << "The envelope must name " << ids << ".\n\n";
  }
  std::cout << "| field | value | required | notes |\n|---|---|---|---|\n";
  for (const FieldDef* f : def.fields.vec) {
    if (f->deprecated || f->value.type.base_type == flatbuffers::BASE_TYPE_UTYPE) continue;
    bool required = f->IsRequired() || Has(*f, "required_scalar");
    std::string notes = Doc(f->doc_comment);
    if (std::string r = Attr(*f, "range"); !r.empty()) {
      notes += (notes.empty() ? "" : "; ") + std::string("from ") + r.substr(0, r.find("..")) +
               " to " + r.substr(r.find("..") + 2);
    }
    std::cout << "| `" << f->name << "` | " << TypeText(*f) << " | " << (required ? "yes" : "")
              << " | " << notes << " |\n";
    const auto& t = f->value.type;
    if (t.struct_def != nullptr && !t.struct_def->fixed) used->insert(t.struct_def);
  }
  std::cout << "\n";
}

// A value that passes every rule of the field, for the examples.
Json ExampleValue(const FieldDef& f, const flatbuffers::Parser& parser);

Json ExampleTable(const StructDef& def, const flatbuffers::Parser& parser) {
  Json j = Json::object();
  for (const FieldDef* f : def.fields.vec) {
    if (f->deprecated || f->value.type.base_type == flatbuffers::BASE_TYPE_UTYPE) continue;
    if (!(f->IsRequired() || Has(*f, "required_scalar"))) continue;
    if (f->value.type.base_type == flatbuffers::BASE_TYPE_UNION) {
      j[f->name + "_type"] = "AttendanceRecorded";
    }
    j[f->name] = ExampleValue(*f, parser);
  }
  return j;
}

Json ExampleValue(const FieldDef& f, const flatbuffers::Parser& parser) {
  const auto& t = f.value.type;
  if (Has(f, "hex")) {
    size_t n = t.base_type == flatbuffers::BASE_TYPE_STRUCT ? 16 : std::stoul(Attr(f, "length"));
    return std::string(2 * n - 1, '0') + "1";
  }
  if (Has(f, "date")) return "2025-01-15";
  if (Has(f, "timestamp")) return "2025-01-15T16:00:00Z";
  if (t.enum_def != nullptr && t.base_type != flatbuffers::BASE_TYPE_UNION) {
    return t.enum_def->Vals().size() > 1 ? t.enum_def->Vals()[1]->name
                                         : t.enum_def->Vals()[0]->name;
  }
  switch (t.base_type) {
    case flatbuffers::BASE_TYPE_STRING:
      return f.name == "event_type" ? "" : "x-1";
    case flatbuffers::BASE_TYPE_BOOL:
      return true;
    case flatbuffers::BASE_TYPE_STRUCT:
      return ExampleTable(*t.struct_def, parser);
    case flatbuffers::BASE_TYPE_UNION:
      return ExampleTable(*t.enum_def->Lookup("AttendanceRecorded")->union_type.struct_def, parser);
    case flatbuffers::BASE_TYPE_VECTOR: {
      if (t.element == flatbuffers::BASE_TYPE_STRING) return Json::array({"x-1"});
      return Json::array({ExampleTable(*t.struct_def, parser)});
    }
    default: {
      std::string r = Attr(f, "range");
      return r.empty() ? 1 : std::max<int64_t>(1, std::stoll(r.substr(0, r.find(".."))));
    }
  }
}

int PrintExamples(const EventJsonCodec& codec) {
  const auto& parser = codec.schema();
  const auto* body = parser.enums_.Lookup("evident.schema.Body");
  int index = 0;
  for (const std::string& type : codec.EventTypes()) {
    char id[33];
    std::snprintf(id, sizeof(id), "0123456789abcdef01234567%08x", ++index);
    const StructDef& def = *body->Lookup(type)->union_type.struct_def;
    Json subject = Json::object();
    if (const auto* s = def.attributes.Lookup("subject")) {
      for (size_t i = 0; i <= s->constant.size();) {
        size_t c = std::min(s->constant.find(',', i), s->constant.size());
        std::string id = s->constant.substr(i, c - i);
        i = c + 1;
        if (id == "fiscal_year" || id == "school_year")
          subject[id] = 2025;
        else
          subject[id] = id.substr(0, id.find('_')) + "-1";
      }
    }
    Json event = {{"event_id", id},
                  {"event_type", type},
                  {"occurred_at", "2025-01-15T16:00:00Z"},
                  {"district_id", "lea-0640001"},
                  {"source_system", "sis"}};
    if (!subject.empty()) event["subject"] = subject;
    event["body"] = ExampleTable(def, parser);
    std::cout << event.dump() << "\n";
  }
  return 0;
}

int RunSchema(const Flags& flags) {
  auto codec = EventJsonCodec::Create();
  if (!codec.ok()) return Fail(kName, codec.status());
  if (flags.Has("examples")) return PrintExamples(*codec.value());
  const auto& parser = codec.value()->schema();
  const auto* body = parser.enums_.Lookup("evident.schema.Body");
  std::vector<std::string> types = codec.value()->EventTypes();
  if (!flags.positional().empty()) {
    const std::string& want = flags.positional()[0];
    if (std::find(types.begin(), types.end(), want) == types.end()) {
      return Fail(kName, "unknown event type \"" + want + "\"");
    }
    types = {want};
  }
  std::set<const StructDef*> used;
  if (flags.positional().empty()) {
    std::cout << "## The envelope\n\n";
    PrintTable(*parser.root_struct_def_, "Event", &used);
    std::cout << "## Event types\n\n";
  }
  for (const std::string& type : types) {
    PrintTable(*body->Lookup(type)->union_type.struct_def, type, &used);
  }
  if (!used.empty()) std::cout << "## Objects inside events\n\n";
  for (const StructDef* def : parser.structs_.vec) {
    if (used.count(def)) PrintTable(*def, ShortName(def->name), &used);
  }
  return 0;
}

}  // namespace

const Command kSchemaCommand = {
    kName,
    "describe the JSON form of every event type",
    "usage: evident schema [TYPE] [--examples]\n\n"
    "Prints, as Markdown, the fields of the event envelope and of every event type\n"
    "(or of TYPE alone): the value each takes, whether it is required, and its rule.\n"
    "It is read from the schema compiled into this build, so it is always current;\n"
    "docs/events.md holds the same text.\n",
    {{{"examples", "", "instead, one minimal valid event of each type, as JSON Lines"}}},
    RunSchema};

}  // namespace evident::cli
