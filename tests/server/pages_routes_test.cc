// The pages' routes, called through their router with no network: the
// OpenID Connect seam (a provider that vouches for a sign-in name starts a
// session as a password does; one it does not vouch for starts none), and
// the one-time code's single use.

#include <gtest/gtest.h>

#include "projections/directory/codes.h"
#include "server/pages/form.h"
#include "server/pages/pages.h"
#include "tests/testutil/test_util.h"

namespace evident::testing {
namespace {

namespace directory = projections::directory;
using server::http::Request;
using server::http::Response;

Request Get(const std::string& target, const std::string& cookie = "") {
  Request r;
  r.method = "GET";
  r.target = target;
  r.peer = "127.0.0.1";
  if (!cookie.empty()) r.headers["cookie"] = cookie;
  return r;
}

std::string HeaderOf(const Response& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "";
}

// The session cookie a reply sets, as the browser sends it back ("" if none).
std::string SessionCookie(const Response& r) {
  for (const auto& [n, v] : r.headers) {
    if (n == "Set-Cookie" && v.rfind("__Host-evident_session=", 0) == 0 && v.find("Max-Age=0") == std::string::npos) {
      return v.substr(0, v.find(';'));
    }
  }
  return "";
}

// A provider that vouches for whoever the callback's ?user= names, unless
// it is "mallory".
class FakeProvider : public server::pages::IdentityProvider {
 public:
  std::string Name() const override { return "Example Workspace"; }
  Response Begin(const Request&) override {
    Response r;
    r.status = 302;
    r.headers.push_back({"Location", "https://idp.example/authorize?state=s"});
    return r;
  }
  StatusOr<std::string> Complete(const Request& callback) override {
    auto form = server::pages::ParseForm(callback.Query());
    if (form["user"] == "mallory" || form["user"].empty()) {
      return Status::PermissionDenied("the ID token's signature does not verify");
    }
    return form["user"];
  }
};

class PagesRoutesTest : public LedgerFixture {
 protected:
  void SetUp() override {
    LedgerFixture::SetUp();
    people_ = Must(directory::Directory::Open(dir_.path() + "/directory", true));
    directory::Account a;
    a.login = "board.member";
    a.role = directory::Role::kBoard;
    a.code_hash = directory::CodeHash("ABCD-EFGH-JKMN-PQRS");
    a.code_expires_at = 4102444800;  // 2100
    ASSERT_OK(people_->PutAccount(a));
  }
  std::unique_ptr<server::http::Router> Routes(bool provider) {
    server::pages::PagesOptions options;
    if (provider) options.identity_provider = std::make_shared<FakeProvider>();
    pages_ = Must(server::pages::Pages::Create(ledger_.get(), people_.get(), options));
    return std::make_unique<server::http::Router>(pages_->Routes());
  }
  // Sets the account's password with its one-time code through /setup, as
  // a browser would (the form's token from its cookie).
  static Response Setup(server::http::Router& router, const std::string& login,
                        const std::string& code, const std::string& password) {
    const Response form = router.Route(Get("/setup"));
    const std::string set_cookie = HeaderOf(form, "Set-Cookie");
    const std::string token = set_cookie.substr(set_cookie.find('=') + 1,
                                                set_cookie.find(';') - set_cookie.find('=') - 1);
    Request post = Get("/setup", set_cookie.substr(0, set_cookie.find(';')));
    post.method = "POST";
    post.body = "form_token=" + token + "&login=" + login + "&code=" + code +
                "&password=" + password + "&password2=" + password;
    return router.Route(post);
  }
  std::unique_ptr<directory::Directory> people_;
  std::unique_ptr<server::pages::Pages> pages_;
};

TEST_F(PagesRoutesTest, AProviderThatVouchesForAnAccountStartsASession) {
  auto router = Routes(true);
  const Response form = router->Route(Get("/sign-in"));
  EXPECT_NE(form.body.find("Sign in with Example Workspace"), std::string::npos);
  EXPECT_EQ(router->Route(Get("/sign-in/external")).status, 302);
  const Response back = router->Route(Get("/sign-in/external/callback?user=board.member"));
  EXPECT_EQ(back.status, 303);
  const std::string cookie = SessionCookie(back);
  ASSERT_NE(cookie, "");
  EXPECT_EQ(router->Route(Get("/reports", cookie)).status, 200);
  EXPECT_EQ(router->Route(Get("/reports")).status, 303);  // without it: to the sign-in page
}

TEST_F(PagesRoutesTest, AProviderThatDoesNotVouchOrNoAccountStartsNoSession) {
  auto router = Routes(true);
  const Response refused = router->Route(Get("/sign-in/external/callback?user=mallory"));
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(SessionCookie(refused), "");
  const Response unknown = router->Route(Get("/sign-in/external/callback?user=nobody"));
  EXPECT_EQ(unknown.status, 403);
  EXPECT_EQ(SessionCookie(unknown), "");
}

TEST_F(PagesRoutesTest, WithoutAProviderThereIsNoOutsideSignIn) {
  auto router = Routes(false);
  EXPECT_EQ(router->Route(Get("/sign-in")).body.find("Sign in with"), std::string::npos);
  EXPECT_EQ(router->Route(Get("/sign-in/external/callback?user=board.member")).status, 404);
}

TEST_F(PagesRoutesTest, AOneTimeCodeWorksOnce) {
  auto router = Routes(false);
  auto setup = [&](const std::string& password) {
    return Setup(*router, "board.member", "abcd-efgh-jkmn-pqrs", password);  // lower case, as typed
  };
  EXPECT_EQ(setup("first+password+1").status, 303);  // lower case, as typed
  EXPECT_EQ(setup("second+password+2").status, 401);  // used: gone
  auto account = Must(people_->GetAccount("board.member"));
  EXPECT_TRUE(account->code_hash.empty());
  EXPECT_EQ(account->password_hash.rfind("$argon2id$", 0), 0u);
}

}  // namespace
}  // namespace evident::testing

namespace evident::testing {
namespace {

// The office sees, on a programme's page, what was decided about it: each
// decision with its year, rationale (escaped) and the entry that records it.
TEST_F(PagesRoutesTest, AProgrammesPageShowsTheDecisionsOnTheRecord) {
  auto append = [&](const std::string& id, const std::string& type, const std::string& subject,
                    const std::string& body) {
    ASSERT_OK(ledger_
                  ->Append({Sign(*admin_, "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type +
                                              "\",\"occurred_at\":\"2025-08-20T12:00:00Z\","
                                              "\"district_id\":\"lea-1\",\"source_system\":"
                                              "\"office\",\"subject\":{" +
                                              subject + "},\"body\":{" + body + "}}")})
                  .status());
  };
  append(IdHex(10), "ProgramDefined", "\"program_id\":\"pd-1\"",
         "\"professional_development_title\":\"Coaching\",\"offered_by\":\"District\","
         "\"delivery_method\":\"Onsite\",\"total_hours\":2,\"activity_type\":\"Workshop\"");
  append(IdHex(11), "ProgramReviewed", "\"program_id\":\"pd-1\",\"fiscal_year\":2025",
         "\"decision\":\"Stop\",\"decided_date\":\"2025-08-20\",\"rationale\":\"Costly <b>and</b> "
         "slow.\",\"report_origin\":\"o\",\"report_tree_size\":3,\"report_root_hash\":\"" +
             std::string(64, 'a') + "\"");
  const uint64_t decision_at = ledger_->size() - 1;
  directory::Account office;
  office.login = "office.one";
  office.role = directory::Role::kOffice;
  office.code_hash = directory::CodeHash("ABCD-EFGH-JKMN-PQRT");
  office.code_expires_at = 4102444800;
  ASSERT_OK(people_->PutAccount(office));
  auto router = Routes(false);
  const Response done = Setup(*router, "office.one", "ABCD-EFGH-JKMN-PQRT", "office+password+11");
  ASSERT_EQ(done.status, 303) << done.body;
  const std::string cookie = SessionCookie(done);
  ASSERT_NE(cookie, "");
  const Response page = router->Route(Get("/programs/pd-1", cookie));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("Decisions on the record"), std::string::npos);
  EXPECT_NE(page.body.find("2024\u201325"), std::string::npos);
  EXPECT_NE(page.body.find("Costly &lt;b&gt;and&lt;/b&gt; slow."), std::string::npos);
  EXPECT_EQ(page.body.find("<b>and</b>"), std::string::npos);
  EXPECT_NE(page.body.find("href=\"/entries/" + std::to_string(decision_at) + "\">Stop</a>"),
            std::string::npos);
}

}  // namespace
}  // namespace evident::testing
