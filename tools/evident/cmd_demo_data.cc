// evident demo-data: the demo district's records as JSON Lines.

#include <iostream>

#include "ledger/file_util.h"
#include "tools/demo/district.h"
#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"

namespace evident::cli {
namespace {

constexpr char kName[] = "demo-data";

int RunDemoData(const Flags& flags) {
  auto out = flags.Require("out");
  if (!out.ok()) return Fail(kName, out.status());
  auto options = DistrictFlags(flags);
  if (!options.ok()) return Fail(kName, options.status());
  const demo::District district = demo::GenerateDistrict(options.value());
  if (Status s = WriteFile(out.value(), demo::JsonLines(district)); !s.ok()) {
    return Fail(kName, s);
  }
  const demo::DistrictFacts& f = district.facts;
  std::cout << "wrote " << out.value() << ": " << district.events.size() << " events, "
            << demo::DescribeFacts(f) << "\n";
  return 0;
}

}  // namespace

const Command kDemoDataCommand = {
    kName,
    "write the demo district's records (synthetic, deterministic) as JSON Lines",
    "usage: evident demo-data --out FILE [--seed S] [--sites N]\n\n"
    "Writes two fiscal years (July 2024 to June 2026) of a synthetic school\n"
    "district's professional learning to FILE, one event per line in the form\n"
    "`evident append` reads: sites and their need, staff and families, 100+\n"
    "programmes, budgets and costs by fund, attendance with no-shows, evidence at\n"
    "Guskey's five levels, goals and ratings, and a few corrections and voids.\n"
    "Each event's source_system names the district system that sends it. The\n"
    "same seed and size give the same file, byte for byte. docs/demo-data.md says\n"
    "which published figures shape it. It describes no real district or person.\n",
    {{{"out", "FILE", "where to write (replaced if it exists)"},
      {"seed", "S", "default 2026"},
      {"sites", "N",
       "the district's size in sites, 4 to 400 (default 40; staff, "
       "families and site-based programmes scale with it)"}}},
    RunDemoData};

}  // namespace evident::cli
