#pragma once

// The attacks of issue 23, one function each, written from docs/protocol.md
// as a hostile client would write them. Each runs until its context's
// deadline at most (bounded in count as well), cleans up what it opened,
// and says what the server did. The numbers are the items.

#include "tools/bench/attack_kit.h"

namespace evident::bench {

// Connections (attacks_connections.cc).
// 1: auditors subscribe from 0 with a large credit and a 4 KiB receive
//    buffer, then reset; held when the server is still alive.
Outcome ResettingSubscribers(AttackContext& c);
// 7: silent connections from 127.0.0.2 while clients from 127.0.0.3 take
//    0.2 s to answer their challenge; held when every slow login succeeds.
Outcome SilentFloodBesideSlowLogins(AttackContext& c);
// 8: one key opens idle subscriptions until refused; held when it is
//    refused and the admin then logs in.
Outcome OneKeysIdleSubscriptions(AttackContext& c);
// 9: connections of three keys announce 20 MiB frames and stop; held when
//    another key's large append is answered.
Outcome StalledLargeFrames(AttackContext& c);
// Logins with bad signatures, of a known and an unknown key; held when all
// get the one same answer and the log's refusal lines are rate-limited.
Outcome BadSignatureLogins(AttackContext& c);

// Requests (attacks_requests.cc).
// 2: events with a NaN score, INT64_MAX cents, enum value 99 and no
//    subject, built with the object API and signed by the integration;
//    held when every one is refused (and their valid originals accepted).
Outcome MalformedEvents(AttackContext& c);
// 3: the spare integration appends an id the integration used, and claims
//    an id before the integration appends it; held when the integration's
//    own append goes through.
Outcome IdSquatting(AttackContext& c);
// 4: board connections loop as_of queries; held when every query is
//    answered or refused as busy.
Outcome BoardQueryLoop(AttackContext& c);
// 5: a key subscribes and the admin revokes it; held when its
//    subscription ends, saying so.
Outcome RevokedSubscription(AttackContext& c);
// 6: the integration appends an event naming the spare's source_system;
//    held when it is refused.
Outcome ForeignSourceSystem(AttackContext& c);
// 10: board queries whose filters are 23 MiB of '['; held when each is
//     refused InvalidArgument.
Outcome NestedBrackets(AttackContext& c);
// 11: the spare integration appends a valid event under an id the
//     integration used and under an unused one; held when it cannot tell
//     them apart and no answer names the integration's position.
Outcome ProbeIdsThroughErrors(AttackContext& c);
// A view name and a principal id holding a newline, a carriage return and
// an escape sequence; held when no line of the server's log starts with
// the forged text and no control character reaches it.
Outcome ForgedLogLines(AttackContext& c);

}  // namespace evident::bench
