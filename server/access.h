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

// Board keys read summaries and checkpoints only; only admins back up;
// integrations may not query the views.
std::string RequestRefusal(schema::Role role, wire::Message request);

// Board keys see the summary views only, which have no per-person rows.
std::string ViewRefusal(schema::Role role, const std::string& view);

// Event `index` of an append, signed by `signer_key_id`, sent by a session
// logged in as `session_key_id`: only an admin relays events others signed.
std::string RelayRefusal(schema::Role role, std::string_view session_key_id,
                         std::string_view signer_key_id, size_t index);

// Whether a session of this role and key sees a stored entry: everything,
// or for an integration only the entries its own key signed.
bool SeesEntry(schema::Role role, std::string_view session_key_id, std::string_view entry_bytes);

}  // namespace evident::server
