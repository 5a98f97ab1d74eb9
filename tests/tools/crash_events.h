#pragma once

// The events the crash tests append: event n has a fixed id (eight zero
// bytes, then n as u64be) and fixed content, so a writer that starts again
// below the last acknowledged number re-sends exactly the events that were
// in flight when its predecessor was killed.

#include <cstdint>
#include <string>

#include "ledger/coding.h"

namespace evident::crash {

inline std::string EventIdHex(uint64_t n) {
  std::string id(8, '\0');
  id += EncodeKey64(n);
  return HexEncode(id);
}

// The number an event id of EventIdHex's form carries.
inline uint64_t NumberOf(const std::string& id_bytes) {
  return DecodeFixed64BE(id_bytes.data() + 8);
}

inline std::string EventJson(uint64_t n) {
  return "{\"event_id\":\"" + EventIdHex(n) +
         "\",\"event_type\":\"AttendanceRecorded\",\"occurred_at\":\"2025-01-15T16:00:00Z\","
         "\"district_id\":\"d\",\"source_system\":\"crash\",\"subject\":{\"person_id\":\"p-" +
         std::to_string(n % 97) +
         "\",\"program_id\":\"pd\",\"session_id\":\"s\"},\"body\":{\"attendance_date\":"
         "\"2025-01-15\",\"attendance_event_category\":\"InAttendance\",\"credited_minutes\":" +
         std::to_string(n % 600) + "}}";
}

}  // namespace evident::crash
