#include "projections/views.h"

#include <algorithm>
#include <cmath>

#include "ledger/parallel.h"
#include "ledger/sha256.h"

namespace evident::projections {

const std::vector<std::string>& ViewNames() {
  static const std::vector<std::string> kNames = {"reciprocity", "accountability", "equity",
                                                  "compliance"};
  return kNames;
}

bool IsViewName(std::string_view name) {
  const auto& names = ViewNames();
  return std::find(names.begin(), names.end(), name) != names.end();
}

StatusOr<std::vector<ViewRow>> RenderView(std::string_view name, const FactState& state,
                                          const Figures& f, const LogContext& log) {
  if (name == "reciprocity") return ReciprocityView(f);
  if (name == "accountability") return AccountabilityView(state, f);
  if (name == "equity") return EquityView(state, f);
  if (name == "compliance") return ComplianceView(state, f, log);
  return Status::InvalidArgument("no view named \"" + std::string(name) +
                                 "\"; the views are reciprocity, accountability, equity and "
                                 "compliance");
}

ViewText ToText(const std::vector<ViewRow>& rows) {
  ViewText text(rows.size());
  ParallelFor(rows.size(), DefaultThreads(), [&](size_t i) {
    text[i] = {rows[i].key, rows[i].row.dump()};
  });
  return text;
}

std::string ViewDigest(const ViewText& rows) {
  std::string hashes;
  hashes.reserve(rows.size() * kSha256Size);
  for (const auto& [key, text] : rows) hashes += Sha256({key, std::string_view("\0", 1), text});
  return Sha256(hashes);
}

Json Ratio(double numerator, double denominator, int digits) {
  if (denominator == 0) return Json();
  if (digits == 0) return Json(static_cast<int64_t>(std::llround(numerator / denominator)));
  const double scale = std::pow(10.0, digits);
  return std::round(numerator / denominator * scale) / scale;
}

std::string FundingSourceName(int32_t source) {
  return schema::EnumNameFundingSource(static_cast<schema::FundingSource>(source));
}

std::string CategoryName(int32_t category) {
  return schema::EnumNameCostCategory(static_cast<schema::CostCategory>(category));
}

std::string GroupName(int32_t group) {
  return schema::EnumNameParticipantGroup(static_cast<schema::ParticipantGroup>(group));
}

}  // namespace evident::projections
