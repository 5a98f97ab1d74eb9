#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

#include "projections/report/format.h"
#include "projections/store.h"
#include "tools/demo/district.h"
#include "tools/evident/demo_stream.h"

// What `evident demo` prints: its steps, a progress line while streaming
// (redrawn in place on a terminal, a line per fifth when not), and the
// closing summary in plain words. Single-threaded: only the demo's main
// thread prints.
namespace evident::cli {

std::string Pad(const std::string& text, size_t width);

class Terminal {
 public:
  // `plain`: never redraw in place, even on a terminal.
  Terminal(std::ostream& out, bool plain);

  void Title(const demo::DistrictOptions& options, const std::string& dir);
  void Step(int number, const std::string& what);
  void Detail(const std::string& line);
  void Progress(uint64_t sent, uint64_t total, uint64_t followed);
  void ProgressDone(uint64_t sent, uint64_t total, uint64_t followed);
  void Streamed(const demo_stream::Result& r, uint64_t size, const std::string& root_hex);
  void Rebuilt(const projections::UpdateReport& r);
  // Runs `work` on another thread and returns what it returns; meanwhile a
  // line counting the seconds on a terminal, or a plain line every ten
  // seconds when not. `work` must not print.
  Status While(const std::string& doing, const std::function<Status()>& work);
  // The run in three lines, the headline findings of the report's summary,
  // where its files are, and the commands to try next.
  void Summary(const projections::report::Json& summary, const std::string& dir,
               const demo_stream::Result& streamed);

 private:
  std::string ProgressLine(uint64_t sent, uint64_t total, uint64_t followed) const;

  std::ostream& out_;
  bool redraw_;
  int fifths_shown_ = 0;
  double started_ = 0;  // seconds, steady clock
};

}  // namespace evident::cli
