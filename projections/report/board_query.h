#pragma once

#include <string>
#include <vector>

#include "projections/views.h"

// The rows of a summary view as a board key receives them from the server's
// Query: the board report's privacy rule (table.h, kMinimumPeople), applied
// by the report's own TableBuilder to the view's rows, so that no answer
// gives a figure from which the values of 1 to 9 people can be worked out.
namespace evident::projections::report {

// `rows`, the whole of a view (accountability or equity) before any filter,
// with the rule applied:
//  - a row about 1 to 9 people (its "participants") keeps only the columns
//    that name it (row, fiscal_year, site, program, staff_group, attribute,
//    quartile, sites); every other value is null and listed under
//    "suppressed", as in the report's summary.json;
//  - rows that split a total the board also receives (a fiscal year's
//    site-programme rows and its district row; a fiscal year's quartiles of
//    one attribute) are one table: when exactly one of them is suppressed,
//    the next smallest is too, so it cannot be worked out by subtraction;
//  - inside a row, the people with demonstrated change, and what they cost,
//    are suppressed alone when 1 to 9, with the same complement;
//  - rows about no one (budget, unallocated costs) are passed as they are;
//    any other row that names no count of people (the comparison of
//    observations) is left out, as its size cannot be judged.
// The order of the rows that remain is kept.
std::vector<Json> ForBoard(std::vector<Json> rows);

}  // namespace evident::projections::report
