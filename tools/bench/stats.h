#pragma once

// Small figures and their printing, shared by the benchmarks' drivers.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace evident::bench {

// The value at quantile `q` (0..1) of `v`; 0 when `v` is empty.
inline double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(q * double(v.size())))];
}

// `v` printed with a printf `format` of one double.
inline std::string Fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), format, v);
  return buf;
}

// 1234567 -> "1,234,567".
inline std::string Count(double v) {
  std::string digits = std::to_string(uint64_t(v + 0.5)), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace evident::bench
