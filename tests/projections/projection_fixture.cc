#include "tests/projections/projection_fixture.h"

#include "projections/store.h"

namespace evident::testing {

std::string ProjectionTest::Add(const std::string& type, const std::string& subject,
                                const std::string& body, const std::string& day) {
  const std::string id = IdHex(next_id_++);
  const std::string json = "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type +
                           "\",\"occurred_at\":\"" + day + "T12:00:00Z\",\"effective_date\":\"" +
                           day + "\",\"district_id\":\"lea-1\",\"source_system\":\"test\"," +
                           "\"subject\":{" + subject + "},\"body\":{" + body + "}}";
  auto results = ledger_->Append({Sign(*admin_, json)});
  EXPECT_TRUE(results.ok()) << results.status().ToString() << "\n" << json;
  return id;
}

std::string ProjectionTest::Correct(const std::string& target, const std::string& type,
                                    const std::string& body, const std::string& subject) {
  std::string corrected = "\"amends_event_id\":\"" + target +
                          "\",\"reason_code\":\"keyed-wrong\",\"body_type\":\"" + type +
                          "\",\"body\":{" + body + "}";
  if (!subject.empty()) corrected += ",\"subject\":{" + subject + "}";
  return Add("RecordCorrected", "", corrected);
}

std::string ProjectionTest::Void(const std::string& target) {
  return Add("RecordVoided", "",
             "\"amends_event_id\":\"" + target + "\",\"reason_code\":\"entered-in-error\"");
}

void ProjectionTest::AddFourSites() {
  for (int i = 1; i <= 4; ++i) {
    Add("SiteRegistered", "\"site_id\":\"s-" + std::to_string(i) + "\"",
        "\"school_category\":\"Elementary\",\"students_in_poverty_share\":0." +
            std::to_string(2 * i) +
            ",\"english_learner_share\":0.1,\"foster_youth_share\":0.01,"
            "\"students_with_disabilities_share\":0.1",
        "2024-07-01");
  }
}

std::unique_ptr<projections::Projector> ProjectionTest::Fold() {
  source_ = std::make_unique<projections::LedgerSource>(ledger_.get());
  auto projector = std::make_unique<projections::Projector>(source_.get());
  Status s = projections::FoldLedger(ledger_.get(), 0, ledger_->size(), projector.get());
  EXPECT_TRUE(s.ok()) << s.ToString();
  return projector;
}

projections::Figures ProjectionTest::FiguresAsOf(const std::string& as_of) {
  auto projector = Fold();
  return projections::ComputeFigures(projector->state(), projections::DayOf(as_of));
}

const projections::PersonProgram& PairOf(const projections::Figures& f, const std::string& person,
                                         const std::string& program) {
  for (const auto& p : f.pairs) {
    if (p.person == person && p.program == program) return p;
  }
  ADD_FAILURE() << "no row for " << person << " in " << program;
  static const projections::PersonProgram kNone;
  return kNone;
}

}  // namespace evident::testing
