#pragma once

// What the event generators share: a seeded random source, event ids that
// depend only on (seed, index), and the JSON Lines envelope.

#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>

namespace evident::gen {

struct Rng {  // splitmix64
  uint64_t state;
  uint64_t Next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) { return Next() % n; }
  // True with probability p.
  bool Chance(double p) { return double(Next() >> 11) * 0x1.0p-53 < p; }
};

inline std::string EventId(uint64_t seed, uint64_t index) {
  Rng rng{seed * 0x100000001b3ULL + index};
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%016llx%016llx", (unsigned long long)rng.Next(),
                (unsigned long long)rng.Next());
  return buf;
}

// One event as a line of JSON; `subject` and `body` are the inside of their
// objects.
inline void Emit(uint64_t seed, uint64_t index, const char* type, const std::string& date,
                 const std::string& subject, const std::string& body, const char* district,
                 const char* source) {
  std::cout << "{\"event_id\":\"" << EventId(seed, index) << "\",\"event_type\":\"" << type
            << "\",\"occurred_at\":\"" << date << "T16:00:00Z\",\"effective_date\":\"" << date
            << "\",\"district_id\":\"" << district << "\",\"source_system\":\"" << source
            << "\",\"subject\":{" << subject << "},\"body\":{" << body << "}}\n";
}

}  // namespace evident::gen
