#include "projections/fact.h"

#include <cstdio>

#include "projections/codec.h"

namespace evident::projections {
namespace {

// Days from civil date (H. Hinnant's algorithm, proleptic Gregorian).
int32_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

void CivilFromDays(int32_t z, int* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int>(yoe) + era * 400 + (*m <= 2);
}

int Digits(std::string_view s) {
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

int32_t DayOf(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return kNoDay;
  int y = Digits(text.substr(0, 4)), m = Digits(text.substr(5, 2)), d = Digits(text.substr(8, 2));
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31) return kNoDay;
  return DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

int32_t DayOf(const flatbuffers::String* text) {
  return text == nullptr ? kNoDay : DayOf(std::string_view(text->data(), text->size()));
}

std::string DateOf(int32_t day) {
  int y;
  unsigned m, d;
  CivilFromDays(day, &y, &m, &d);
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d-%02u-%02u", y, m, d);
  return buf;
}

int32_t DayOfMicros(int64_t micros) {
  constexpr int64_t kMicrosPerDay = 86400LL * 1000000;
  int64_t day = micros / kMicrosPerDay;
  if (micros < 0 && micros % kMicrosPerDay != 0) --day;
  return static_cast<int32_t>(day);
}

int32_t FiscalYearOf(int32_t day) {
  int y;
  unsigned m, d;
  CivilFromDays(day, &y, &m, &d);
  return m >= 7 ? y + 1 : y;
}

StatusOr<Fact> UpcastFact(const schema::Event* event, uint64_t position) {
  const uint16_t version = event->schema_version();
  if (version == 0 || version > kCurrentSchemaVersion) {
    return Status::InvalidArgument(
        "schema_version " + std::to_string(version) + " of " + event->event_type()->str() +
        " is not one this build understands (current: " + std::to_string(kCurrentSchemaVersion) +
        ")");
  }
  Fact fact;
  fact.event_id =
      std::string_view(reinterpret_cast<const char*>(event->event_id()->bytes()->data()),
                       event->event_id()->bytes()->size());
  fact.position = position;
  fact.type = event->body_type();
  fact.body = event->body();
  fact.subject = event->subject();
  fact.day = DayOf(event->effective_date());
  fact.day_is_effective_date = fact.day != kNoDay;
  if (fact.day == kNoDay) fact.day = DayOf(event->occurred_at());
  return fact;
}

std::string JoinKey(std::string_view a, std::string_view b) {
  std::string key;
  RowWriter writer(&key);
  writer(std::string(a));
  key.append(b);
  return key;
}

std::string JoinKey(std::string_view a, std::string_view b, std::string_view c) {
  return JoinKey(a, JoinKey(b, c));
}

std::pair<std::string_view, std::string_view> SplitKey(std::string_view key) {
  uint64_t length = 0;
  size_t i = 0;
  for (int shift = 0; i < key.size() && shift < 64; shift += 7) {
    uint8_t byte = static_cast<uint8_t>(key[i++]);
    length |= uint64_t(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) break;
  }
  if (length > key.size() - i) return {std::string_view(), key};
  return {key.substr(i, length), key.substr(i + length)};
}

}  // namespace evident::projections
