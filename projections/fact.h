#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/event.h"
#include "ledger/status.h"
#include "schemas/event_generated.h"

// A Fact is one event as the projections see it: the body in force (an
// original, or the correction that replaced it), under the identity and log
// position of the original. Facts point into entry bytes owned by the caller
// and live only while those bytes do.
namespace evident::projections {

struct Fact {
  std::string_view event_id;  // 16 bytes: the original event's id
  uint64_t position = 0;      // the original event's log position
  schema::Body type = schema::Body::NONE;
  const void* body = nullptr;
  const schema::Subject* subject = nullptr;  // may be null
  int32_t day = 0;  // envelope effective_date, else the date of occurred_at (days since 1970)
  bool day_is_effective_date = false;  // which of the two `day` is

  template <typename T>
  const T* As() const {
    return static_cast<const T*>(body);
  }
  std::string_view person() const { return Id(subject ? subject->person_id() : nullptr); }
  std::string_view program() const { return Id(subject ? subject->program_id() : nullptr); }
  std::string_view session() const { return Id(subject ? subject->session_id() : nullptr); }
  std::string_view site() const { return Id(subject ? subject->site_id() : nullptr); }

  flatbuffers::Optional<int16_t> fiscal_year() const {
    return subject ? subject->fiscal_year() : flatbuffers::nullopt;
  }
  flatbuffers::Optional<int16_t> school_year() const {
    return subject ? subject->school_year() : flatbuffers::nullopt;
  }

  static std::string_view Id(const flatbuffers::String* s) {
    return s == nullptr ? std::string_view() : std::string_view(s->data(), s->size());
  }
};

// Reads an event of any supported schema version as a current-version Fact.
// This is the one place where older meanings are upcast: version 1 is the
// current one and needs nothing; a later revision of a body adds its case
// here (never in the views). InvalidArgument for a version newer than this
// code knows: the projector counts such events and leaves them out rather
// than guess their meaning.
StatusOr<Fact> UpcastFact(const schema::Event* event, uint64_t position);

// Calendar days since 1970-01-01 for "YYYY-MM-DD" (or the date part of a
// timestamp). kNoDay if `text` is null or not a date.
constexpr int32_t kNoDay = INT32_MIN;
int32_t DayOf(const flatbuffers::String* text);
int32_t DayOf(std::string_view text);
std::string DateOf(int32_t day);  // "YYYY-MM-DD"
int32_t DayOfMicros(int64_t micros_since_epoch);

// The fiscal year (and school year) a day falls in: 1 July to 30 June, named
// by the year it ends in (Ed-Fi FiscalYear/SchoolYear).
int32_t FiscalYearOf(int32_t day);

}  // namespace evident::projections
