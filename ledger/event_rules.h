#pragma once

#include "ledger/status.h"
#include "schemas/event_generated.h"

// The one rule for what the log stores: every field of a new event against
// what schemas/event.fbs says of it, however the event arrived (JSON through
// the codec, or a raw FlatBuffer over the wire). The rules are read from the
// compiled-in schema's attributes (see the top of schemas/event.fbs), so the
// JSON codec, the appender and docs/events.md cannot disagree:
//
//   * every string is UTF-8; a `date` is YYYY-MM-DD and a `timestamp`
//     YYYY-MM-DDThh:mm:ssZ, each a real calendar day; a required string is
//     not empty;
//   * every floating-point number is finite;
//   * a number with `range: "lo..hi"` lies in [lo, hi] (an absent scalar
//     counts as its default, an absent `= null` scalar as absent);
//   * an enum holds one of its declared values, and never `Unspecified`
//     (absent counts as the default, so a `required_scalar` enum whose
//     default is Unspecified must be given);
//   * a bool is stored as 0 or 1;
//   * a union names a known member (never NONE);
//   * a byte vector with `length: "N"` is N bytes;
//   * the envelope's subject names every id its body's `subject` attribute
//     lists (a RecordCorrected that carries a subject: its body's ids).
//
// Entries already in a log are read as they are: these rules decide what is
// appended, not what is readable.
namespace evident {

// OK, or InvalidArgument naming the first field (as a JSON path, e.g.
// "body.amount_cents") that breaks a rule and how. `event` must have passed
// ParseEvent. Thread-safe.
Status CheckEventRules(const schema::Event* event);

}  // namespace evident
