#pragma once

#include <memory>
#include <string>

#include "projections/figures.h"
#include "projections/projector.h"
#include "tests/testutil/test_util.h"

namespace evident::testing {

// A ledger to which tests append hand-built events, and the fold of it.
class ProjectionTest : public LedgerFixture {
 protected:
  // Appends one event signed by the admin, on date `day` (YYYY-MM-DD, its
  // occurred_at and effective date). Returns its id in hex.
  std::string Add(const std::string& type, const std::string& subject, const std::string& body,
                  const std::string& day = "2025-01-15");
  // A RecordCorrected of `target` carrying `body` of `type` (and `subject`
  // when not empty), or a RecordVoided.
  std::string Correct(const std::string& target, const std::string& type, const std::string& body,
                      const std::string& subject = "");
  std::string Void(const std::string& target);
  // Sites s-1 to s-4 with 20%, 40%, 60% and 80% of students in poverty (so
  // need quartiles 1 to 4), registered on 2024-07-01.
  void AddFourSites();

  // Folds the whole ledger into a fresh projector.
  std::unique_ptr<projections::Projector> Fold();
  // The figures of the whole ledger, judged on `as_of` (YYYY-MM-DD).
  projections::Figures FiguresAsOf(const std::string& as_of);

  std::unique_ptr<projections::LedgerSource> source_;
};

// The row for (person, program); fails the test if there is none.
const projections::PersonProgram& PairOf(const projections::Figures& f, const std::string& person,
                                         const std::string& program);

}  // namespace evident::testing
