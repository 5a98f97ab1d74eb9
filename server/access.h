#pragma once

#include <string>
#include <string_view>

#include "ledger/status.h"
#include "schemas/event_generated.h"
#include "schemas/wire_generated.h"

// What each role may ask of the server, beyond the key rules the ledger
// itself keeps (docs/protocol.md, the "who" of each request), and the code
// each refusal travels with. The refusals say why a request is refused, or
// are empty when it may go on.
namespace evident::server {

// The Error code a ledger Status is sent with.
wire::ErrorCode CodeOf(const Status& s);

// Whether a key of this role may log in: Admin, Integration, Auditor and
// Board keys only (never the ledger's checkpoint key, nor a role this
// build does not know).
bool MayLogIn(schema::Role role);

// Board keys read summaries and checkpoints only; only admins back up;
// integrations may not query the views. Any other role may ask nothing.
std::string RequestRefusal(schema::Role role, wire::Message request);

// Board keys see the summary views only, which have no per-person rows;
// admins and auditors see every view; any other role sees none.
std::string ViewRefusal(schema::Role role, const std::string& view);

// Event `index` of an append, signed by `signer_key_id`, sent by a session
// logged in as `session_key_id`: only an admin relays events others signed.
std::string RelayRefusal(schema::Role role, std::string_view session_key_id,
                         std::string_view signer_key_id, size_t index);

// Whether a session of this role and key sees a stored entry: everything
// for admins and auditors, for an integration only the entries its own key
// signed, for any other role nothing.
bool SeesEntry(schema::Role role, std::string_view session_key_id, std::string_view entry_bytes);

}  // namespace evident::server
