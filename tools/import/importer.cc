#include "tools/import/importer.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <unordered_map>

#include "ledger/coding.h"
#include "ledger/entry.h"
#include "ledger/event.h"
#include "ledger/event_json.h"
#include "ledger/parallel.h"
#include "ledger/sha256.h"
#include "schemas/event_generated.h"
#include "tools/import/csv.h"
#include "tools/import/name_uuid.h"

namespace evident::import {
namespace {

using Json = nlohmann::json;

struct FileRecords {
  std::vector<std::string> header;
  std::vector<SourceRecord> records;
};

}  // namespace

Status ReadSourceRecords(Mapping::Format format, const std::string& mapping_name,
                         const std::vector<std::string>& columns, const SourceFile& file,
                         std::vector<std::string>* header, std::vector<SourceRecord>* records,
                         std::vector<FileError>* errors) {
  if (format == Mapping::Format::kJsonLines) {
    size_t line = 0;
    for (size_t start = 0; start < file.text.size();) {
      ++line;
      size_t end = std::min(file.text.find('\n', start), file.text.size());
      std::string_view text(file.text.data() + start, end - start);
      start = end + 1;
      if (text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      SourceRecord record{line, Json()};
      try {
        record.fields = Json::parse(text.begin(), text.end());
      } catch (const Json::exception& e) {
        errors->push_back({file.name, {line, "", std::string("malformed JSON: ") + e.what()}});
        continue;
      }
      records->push_back(std::move(record));
    }
    return Status::OK();
  }
  auto table = ParseCsv(file.text);
  if (!table.ok()) return table.status();
  std::vector<std::string> missing;
  for (const std::string& column : columns) {
    if (std::find(table->header.begin(), table->header.end(), column) == table->header.end()) {
      missing.push_back(column);
    }
  }
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    return Status::InvalidArgument("the header lacks column(s) the mapping \"" + mapping_name +
                                   "\" reads: " + list);
  }
  *header = table->header;
  for (CsvRecord& row : table->records) {
    SourceRecord record{row.line, Json::object()};
    if (row.fields.size() != table->header.size()) {
      errors->push_back({file.name,
                         {row.line, "",
                          std::to_string(row.fields.size()) + " fields, but the header has " +
                              std::to_string(table->header.size())}});
      continue;
    }
    for (size_t i = 0; i < row.fields.size(); ++i) {
      record.fields[table->header[i]] = std::move(row.fields[i]);
    }
    records->push_back(std::move(record));
  }
  return Status::OK();
}

namespace {

// One file's records, or the error that keeps any of them from being read.
Status ReadRecords(const Mapping& mapping, const SourceFile& file, FileRecords* out,
                   std::vector<FileError>* errors) {
  return ReadSourceRecords(mapping.format, mapping.name, mapping.Columns(), file, &out->header,
                           &out->records, errors);
}

struct RecordResult {
  std::vector<MappedEvent> events;
  bool ok = true;
  RowError error;
};

// This thread's codec (the schema is parsed once per thread, not per file).
EventJsonCodec* ThreadCodec() {
  thread_local std::unique_ptr<EventJsonCodec> codec = [] {
    auto created = EventJsonCodec::Create();
    if (!created.ok()) std::abort();  // the compiled-in schema always parses
    return std::move(created.value());
  }();
  return codec.get();
}

// Maps every record, over all cores when there are many, one mapper per
// thread.
void MapRecords(const Mapping& mapping, const FileRecords& file, std::vector<RecordResult>* out,
                std::atomic<size_t>* done) {
  const size_t n = file.records.size();
  out->resize(n);
  auto slice = [&](size_t begin, size_t end) {
    RecordMapper mapper(mapping, ThreadCodec(), file.header);
    for (size_t i = begin; i < end; ++i) {
      RecordResult& r = (*out)[i];
      r.ok = mapper.Map(file.records[i], &r.events, &r.error);
      done->fetch_add(1, std::memory_order_relaxed);
    }
  };
  constexpr size_t kPerThread = 1024;  // below this, starting threads costs more than it saves
  const size_t threads = std::clamp<size_t>(n / kPerThread, 1, DefaultThreads());
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(slice, n * t / threads, n * (t + 1) / threads);
  slice(0, n / threads);
  for (auto& t : pool) t.join();
}

}  // namespace

std::string FileError::ToString() const {
  std::string at = file;
  if (error.line > 0) at += ":" + std::to_string(error.line);
  return at + ": " + (error.column.empty() ? "" : error.column + ": ") + error.reason;
}

MappedFiles MapFiles(const Mapping& mapping, const std::vector<SourceFile>& files,
                     const Progress& progress) {
  MappedFiles out;
  std::vector<FileRecords> parsed(files.size());
  std::vector<std::vector<FileError>> errors(files.size());  // each file's, sorted by line below
  for (size_t f = 0; f < files.size(); ++f) {
    Status s = ReadRecords(mapping, files[f], &parsed[f], &errors[f]);
    if (!s.ok()) errors[f].push_back({files[f].name, {0, "", s.message()}});
    out.records += parsed[f].records.size();
  }
  std::atomic<size_t> done{0};
  std::atomic<bool> finished{false};
  bool reported = false;  // a short run reports nothing
  std::thread reporter;
  if (progress) {
    reporter = std::thread([&] {
      while (!finished.load()) {
        for (int i = 0; i < 20 && !finished.load(); ++i) {
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        if (!finished.load()) progress(done.load(), out.records), reported = true;
      }
    });
  }
  // The first event with each id, by its index in out.events; a later record
  // that yields the same id must yield the same bytes.
  std::unordered_map<std::string, size_t> first;
  for (size_t f = 0; f < files.size(); ++f) {
    std::vector<RecordResult> results;
    MapRecords(mapping, parsed[f], &results, &done);
    for (size_t i = 0; i < results.size(); ++i) {
      RecordResult& r = results[i];
      const size_t line = parsed[f].records[i].line;
      if (!r.ok) {
        errors[f].push_back({files[f].name, r.error});
        continue;
      }
      if (!r.events.empty()) ++out.records_matched;
      for (MappedEvent& e : r.events) {
        auto [it, fresh] = first.try_emplace(e.event_id, out.events.size());
        if (fresh) {
          out.events.push_back({files[f].name, line, std::move(e.event_id), std::move(e.bytes),
                                std::move(e.event_type), false});
          continue;
        }
        const ImportEvent& earlier = out.events[it->second];
        if (earlier.bytes == e.bytes) {
          ++out.repeated;
          continue;
        }
        errors[f].push_back({files[f].name,
                             {line, "",
                              "has the same key as " + earlier.file + ":" +
                                  std::to_string(earlier.line) + " (rule \"" +
                                  mapping.events[e.rule].name + "\") but different values"}});
      }
    }
  }
  finished = true;
  if (reporter.joinable()) reporter.join();
  if (reported) progress(out.records, out.records);
  for (auto& file_errors : errors) {
    std::stable_sort(file_errors.begin(), file_errors.end(),
                     [](const FileError& a, const FileError& b) { return a.error.line < b.error.line; });
    out.errors.insert(out.errors.end(), file_errors.begin(), file_errors.end());
  }
  return out;
}

namespace {

// What the log holds for one imported id.
struct LogState {
  std::string original;   // the event bytes first appended under the id
  std::string amendment;  // the newest RecordCorrected or RecordVoided naming it
  std::string amendment_bytes;
  bool voided = false;
};

// The content a correction compares: the subject, the body's type and body.
Json Content(const Json& event) {
  return Json{{"subject", event.value("subject", Json::object())},
              {"type", event.at("event_type")},
              {"body", event.at("body")}};
}

Json CorrectedContent(const Json& correction) {
  const Json& body = correction.at("body");
  return Json{{"subject", body.value("subject", Json::object())},
              {"type", body.at("body_type")},
              {"body", body.at("body")}};
}

StatusOr<Json> AsJson(EventJsonCodec* codec, std::string_view bytes) {
  auto text = codec->ToJson(bytes);
  if (!text.ok()) return text.status();
  return Json::parse(text.value());
}

// A RecordCorrected that gives `event` as the new content of its id. Its own
// id is derived from the id, the amendment it follows and the new bytes, so
// the same change imported again is the same event.
StatusOr<ImportEvent> Correction(EventJsonCodec* codec, const ImportEvent& event,
                                 const Json& json, const LogState& state) {
  const std::string previous = state.amendment.empty() ? event.event_id : state.amendment;
  const std::string id = NameUuid(
      ImportNamespace(), "evident-import/v1\x1f" "correction\x1f" + HexEncode(event.event_id) +
                             "\x1f" + HexEncode(previous) + "\x1f" + HexEncode(Sha256(event.bytes)));
  Json body = {{"amends_event_id", FormatUuid(event.event_id)},
               {"reason_code", "source-record-changed"},
               {"body_type", json.at("event_type")},
               {"body", json.at("body")}};
  if (json.contains("subject")) body["subject"] = json["subject"];
  Json correction = {{"event_id", FormatUuid(id)},
                     {"event_type", "RecordCorrected"},
                     {"occurred_at", json.at("occurred_at")},
                     {"district_id", json.at("district_id")},
                     {"source_system", json.at("source_system")},
                     {"body", body}};
  auto bytes = codec->FromJson(correction.dump());
  if (!bytes.ok()) return bytes.status().WithContext("building the correction");
  return ImportEvent{event.file, event.line, id, std::move(bytes.value()), "RecordCorrected", true};
}

}  // namespace

StatusOr<Plan> Reconcile(const std::vector<ImportEvent>& events, const LogScan& scan,
                         std::string_view principal) {
  std::unordered_map<std::string, LogState> states;
  for (const ImportEvent& e : events) states.try_emplace(e.event_id);
  std::unordered_map<std::string, std::string> principal_of;  // key id -> principal, so far
  std::unordered_map<std::string, std::vector<IdHolder>> holders;  // of the ids mapped, so far
  Status parse_error;
  uint64_t bad = 0;
  Status s = scan([&](uint64_t sequence, std::string_view entry_bytes) {
    auto entry = ParseEntry(entry_bytes);
    auto event = entry.ok() ? ParseEvent(AsView(entry.value()->event()))
                            : StatusOr<const schema::Event*>(entry.status());
    if (!event.ok()) {
      if (parse_error.ok()) parse_error = event.status(), bad = sequence;
      return;
    }
    const schema::Event* e = event.value();
    if (const auto* reg = e->body_as_KeyRegistered()) {
      if (auto key = PublicKey::FromRaw(AsView(reg->public_key())); key.ok()) {
        principal_of[key->key_id()] = reg->principal_id()->str();
      }
    }
    // An event id names one event of one principal: only the signer's own
    // events are its events, and an amendment (its own, or an admin's) counts
    // when it names one of them. (A key the scan never saw registered was sent
    // by a server that sends an integration only its own entries.)
    auto signer = principal_of.find(std::string(AsView(entry.value()->signer_key_id())));
    const std::string whose = signer != principal_of.end() ? signer->second : std::string(principal);
    const std::string id(EventIdOf(e));
    if (auto it = states.find(id); it != states.end()) {
      holders[id].push_back({whose, sequence});
      if (whose == principal && it->second.original.empty()) {
        it->second.original = AsView(entry.value()->event());
      }
    }
    const std::string_view amends = AmendedEventIdOf(e);
    if (amends.empty()) return;
    auto it = states.find(std::string(amends));
    if (it == states.end()) return;
    auto named = ResolveAmendedEvent(e, whose, holders[std::string(amends)]);
    if (!named.ok() || !named.value() || named.value()->principal_id != principal) return;
    it->second.amendment = id;
    it->second.voided = e->body_type() == schema::Body::RecordVoided;
    it->second.amendment_bytes = AsView(entry.value()->event());
  });
  EVIDENT_RETURN_IF_ERROR(s);
  if (!parse_error.ok()) {
    return Status::Corruption("entry " + std::to_string(bad) +
                              " of the log does not parse: " + parse_error.message());
  }
  auto codec = EventJsonCodec::Create();
  if (!codec.ok()) return codec.status();
  Plan plan;
  for (const ImportEvent& e : events) {
    const LogState& state = states.at(e.event_id);
    if (state.original.empty()) {
      plan.append.push_back(e);
      ++plan.fresh;
      continue;
    }
    if (state.voided) {
      ++plan.voided;
      continue;
    }
    if (state.amendment.empty() && state.original == e.bytes) {
      ++plan.unchanged;
      continue;
    }
    auto json = AsJson(codec.value().get(), e.bytes);
    auto now = AsJson(codec.value().get(),
                      state.amendment.empty() ? state.original : state.amendment_bytes);
    if (!json.ok()) return json.status();
    if (!now.ok()) return now.status();
    const Json current =
        state.amendment.empty() ? Content(now.value()) : CorrectedContent(now.value());
    if (Content(json.value()) == current) {
      ++plan.unchanged;  // the same content; only the envelope differs, which no correction carries
      continue;
    }
    auto correction = Correction(codec.value().get(), e, json.value(), state);
    if (!correction.ok()) return correction.status();
    plan.append.push_back(std::move(correction.value()));
    ++plan.corrections;
  }
  return plan;
}

}  // namespace evident::import
