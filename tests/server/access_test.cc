// Who may ask what of the server: every role against every request, as the
// "who" column of docs/protocol.md's request table gives it.

#include "server/access.h"

#include <gtest/gtest.h>

#include <map>

#include "ledger/entry.h"
#include "tests/testutil/test_util.h"

namespace evident::server {
namespace {

using schema::Role;
using wire::Message;

TEST(AccessTest, EachRoleMayMakeTheRequestsTheProtocolGivesIt) {
  // true: the request goes on (to the ledger's own rules); false: refused.
  const std::map<Message, std::map<Role, bool>> allowed = {
      {Message::AppendRequest,
       {{Role::Admin, true}, {Role::Integration, true}, {Role::Auditor, true}, {Role::Board, false}}},
      {Message::ReadRequest,
       {{Role::Admin, true}, {Role::Integration, true}, {Role::Auditor, true}, {Role::Board, false}}},
      {Message::SubscribeRequest,
       {{Role::Admin, true}, {Role::Integration, true}, {Role::Auditor, true}, {Role::Board, false}}},
      {Message::CheckpointRequest,
       {{Role::Admin, true}, {Role::Integration, true}, {Role::Auditor, true}, {Role::Board, true}}},
      {Message::InclusionProofRequest,
       {{Role::Admin, true}, {Role::Integration, true}, {Role::Auditor, true}, {Role::Board, false}}},
      {Message::ConsistencyProofRequest,
       {{Role::Admin, true}, {Role::Integration, true}, {Role::Auditor, true}, {Role::Board, false}}},
      {Message::QueryRequest,
       {{Role::Admin, true}, {Role::Integration, false}, {Role::Auditor, true}, {Role::Board, true}}},
      {Message::BackupRequest,
       {{Role::Admin, true}, {Role::Integration, false}, {Role::Auditor, false}, {Role::Board, false}}},
  };
  for (const auto& [request, roles] : allowed) {
    for (const auto& [role, may] : roles) {
      const std::string refusal = RequestRefusal(role, request);
      EXPECT_EQ(refusal.empty(), may) << schema::EnumNameRole(role) << " "
                                      << wire::EnumNameMessage(request) << ": " << refusal;
    }
  }
}

// A role this build does not know (a registration with role 99, say) may
// not log in, and if it ever reached a request it would be refused
// everything: the rules deny by default.
TEST(AccessTest, AnUnknownRoleMayDoNothing) {
  const Role unknown = static_cast<Role>(99);
  for (Role role : {unknown, Role::Ledger, Role::Unspecified}) {
    EXPECT_FALSE(MayLogIn(role)) << int(role);
    for (Message request :
         {Message::AppendRequest, Message::ReadRequest, Message::SubscribeRequest,
          Message::CheckpointRequest, Message::InclusionProofRequest,
          Message::ConsistencyProofRequest, Message::QueryRequest, Message::BackupRequest}) {
      EXPECT_NE(RequestRefusal(role, request), "") << int(role) << " "
                                                   << wire::EnumNameMessage(request);
    }
    EXPECT_NE(ViewRefusal(role, "accountability"), "") << int(role);
  }
  for (Role role : {Role::Admin, Role::Integration, Role::Auditor, Role::Board}) {
    EXPECT_TRUE(MayLogIn(role)) << schema::EnumNameRole(role);
  }
  PrivateKey key = testing::Must(PrivateKey::Generate());
  const std::string entry = BuildEntry(7, 0, SignEvent(key, "event bytes"));
  EXPECT_FALSE(SeesEntry(unknown, key.public_key().key_id(), entry));
}

TEST(AccessTest, TheBoardSeesTheSummaryViewsOnly) {
  for (const char* view : {"accountability", "equity"}) {
    EXPECT_EQ(ViewRefusal(Role::Board, view), "") << view;
  }
  for (const char* view : {"reciprocity", "compliance", "no-such-view"}) {
    EXPECT_NE(ViewRefusal(Role::Board, view).find("per-person rows"), std::string::npos) << view;
    EXPECT_EQ(ViewRefusal(Role::Admin, view), "") << view;
    EXPECT_EQ(ViewRefusal(Role::Auditor, view), "") << view;
  }
}

TEST(AccessTest, OnlyAnAdminRelaysWhatOtherKeysSignedAndAnIntegrationSeesItsOwn) {
  PrivateKey mine = testing::Must(PrivateKey::Generate());
  PrivateKey theirs = testing::Must(PrivateKey::Generate());
  const std::string me = mine.public_key().key_id(), them = theirs.public_key().key_id();
  EXPECT_EQ(RelayRefusal(Role::Integration, me, me, 0), "");
  EXPECT_EQ(RelayRefusal(Role::Admin, me, them, 0), "");
  const std::string relay = RelayRefusal(Role::Integration, me, them, 3);
  EXPECT_NE(relay.find("event 3"), std::string::npos) << relay;
  EXPECT_NE(relay.find("only an admin"), std::string::npos) << relay;
  EXPECT_NE(RelayRefusal(Role::Auditor, me, them, 0), "");

  const std::string theirs_entry = BuildEntry(7, 0, SignEvent(theirs, "event bytes"));
  const std::string mine_entry = BuildEntry(8, 0, SignEvent(mine, "event bytes"));
  EXPECT_TRUE(SeesEntry(Role::Integration, me, mine_entry));
  EXPECT_FALSE(SeesEntry(Role::Integration, me, theirs_entry));
  EXPECT_FALSE(SeesEntry(Role::Integration, me, "not an entry"));
  EXPECT_TRUE(SeesEntry(Role::Admin, me, theirs_entry));
  EXPECT_TRUE(SeesEntry(Role::Auditor, me, theirs_entry));
}

}  // namespace
}  // namespace evident::server
