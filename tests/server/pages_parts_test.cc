// The pages' pure parts: form and cookie parsing, sessions, the back-off
// after failed sign-ins, and password hashing.

#include <gtest/gtest.h>

#include "ledger/coding.h"
#include "server/pages/form.h"
#include "server/pages/password.h"
#include "server/pages/sessions.h"
#include "server/pages/words.h"

namespace evident::testing {
namespace {

using namespace server::pages;
using std::chrono::seconds;

TEST(PagesFormTest, DecodesFormsAsBrowsersEncodeThem) {
  auto form = ParseForm("login=ada%40example.org&password=a+b%2Bc%26d&empty=&bare&login=second");
  EXPECT_EQ(form["login"], "ada@example.org");  // the first of two values
  EXPECT_EQ(form["password"], "a b+c&d");
  EXPECT_EQ(form["empty"], "");
  EXPECT_EQ(form.count("bare"), 1u);
  EXPECT_EQ(PercentDecode("100%"), "100%");  // a lone '%' stays as it is
  EXPECT_EQ(PercentDecode("%zz%4"), "%zz%4");
  EXPECT_EQ(PercentEncode("e-1 /x?&"), "e-1%20%2Fx%3F%26");
  // RFC 4231, test case 2.
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(PagesFormTest, FindsOneCookieAmongMany) {
  EXPECT_EQ(CookieValue("a=1; __Host-evident_session=tok; b=2", "__Host-evident_session"), "tok");
  EXPECT_EQ(CookieValue("x__Host-evident_session=no", "__Host-evident_session"), "");
  EXPECT_EQ(CookieValue("", "a"), "");
  EXPECT_TRUE(SecretsEqual("abc", "abc"));
  EXPECT_FALSE(SecretsEqual("abc", "abd"));
  EXPECT_FALSE(SecretsEqual("", ""));  // an empty token never matches
}

TEST(PagesSessionTest, ASessionEndsWhenIdleTooLongOrTooOld) {
  SessionTable table(seconds(60), seconds(600), 10);
  const Clock::time_point t0{};
  const std::string token = table.Start("ada", t0);
  ASSERT_TRUE(table.Find(token, t0 + seconds(59)).has_value());
  EXPECT_EQ(table.Find(token, t0 + seconds(59))->login, "ada");
  EXPECT_FALSE(table.Find(token, t0 + seconds(59 + 61)).has_value());  // idle
  const std::string old = table.Start("ada", t0);
  for (int s = 50; s < 600; s += 50) ASSERT_TRUE(table.Find(old, t0 + seconds(s)).has_value());
  EXPECT_FALSE(table.Find(old, t0 + seconds(601)).has_value());  // lifetime
  EXPECT_FALSE(table.Find("not-a-token", t0).has_value());
}

TEST(PagesSessionTest, EachSessionHasItsOwnTokensAndEndAllOfEndsThem) {
  SessionTable table(seconds(60), seconds(600), 10);
  const Clock::time_point t0{};
  const std::string a = table.Start("ada", t0), b = table.Start("ada", t0),
                    c = table.Start("bo", t0);
  EXPECT_NE(a, b);
  EXPECT_GE(a.size(), 43u);  // 256 bits
  EXPECT_NE(table.Find(a, t0)->csrf, table.Find(b, t0)->csrf);
  table.EndAllOf("ada");
  EXPECT_FALSE(table.Find(a, t0).has_value());
  EXPECT_FALSE(table.Find(b, t0).has_value());
  EXPECT_TRUE(table.Find(c, t0).has_value());
}

TEST(PagesSessionTest, TheOldestSessionMakesRoomAtTheLimit) {
  SessionTable table(seconds(60), seconds(600), 2);
  const Clock::time_point t0{};
  const std::string a = table.Start("a", t0);
  const std::string b = table.Start("b", t0 + seconds(1));
  const std::string c = table.Start("c", t0 + seconds(2));
  EXPECT_FALSE(table.Find(a, t0 + seconds(3)).has_value());
  EXPECT_TRUE(table.Find(b, t0 + seconds(3)).has_value());
  EXPECT_TRUE(table.Find(c, t0 + seconds(3)).has_value());
}

TEST(PagesBackOffTest, WaitsDoubleAfterTheFreeFailuresUpToTheLongest) {
  BackOff backoff(3, seconds(8));
  const Clock::time_point t0{};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(backoff.WaitSeconds("ada", t0), 0);
    backoff.Failed("ada", t0);
  }
  EXPECT_EQ(backoff.WaitSeconds("ada", t0), 0);  // three failures are free
  backoff.Failed("ada", t0);                     // the 4th: 1 s
  EXPECT_EQ(backoff.WaitSeconds("ada", t0), 1);
  backoff.Failed("ada", t0 + seconds(1));  // 2 s
  EXPECT_EQ(backoff.WaitSeconds("ada", t0 + seconds(1)), 2);
  backoff.Failed("ada", t0 + seconds(3));  // 4 s
  backoff.Failed("ada", t0 + seconds(7));  // 8 s
  backoff.Failed("ada", t0 + seconds(15));  // 16 s, held to 8
  EXPECT_EQ(backoff.WaitSeconds("ada", t0 + seconds(15)), 8);
  EXPECT_EQ(backoff.WaitSeconds("ada", t0 + seconds(23)), 0);
  EXPECT_EQ(backoff.WaitSeconds("bo", t0), 0);  // per key
  backoff.Succeeded("ada");
  backoff.Failed("ada", t0 + seconds(23));
  EXPECT_EQ(backoff.WaitSeconds("ada", t0 + seconds(23)), 0);  // counted afresh
}

TEST(PagesPasswordTest, Argon2idHashesVerifyOnlyTheirOwnPassword) {
  auto hash = HashPassword("correct horse battery staple");
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << hash.value();
  EXPECT_TRUE(PasswordMatches(hash.value(), "correct horse battery staple"));
  EXPECT_FALSE(PasswordMatches(hash.value(), "correct horse battery stapl"));
  EXPECT_FALSE(PasswordMatches("", "anything"));
  EXPECT_FALSE(PasswordMatches("$argon2id$garbage", "anything"));
  auto again = HashPassword("correct horse battery staple");
  ASSERT_TRUE(again.ok());
  EXPECT_NE(hash.value(), again.value());  // salted
}

TEST(PagesPasswordTest, NewPasswordsFollowTheRules) {
  EXPECT_FALSE(CheckNewPassword("short", "ada").ok());
  EXPECT_FALSE(CheckNewPassword("ada.lovelace@x", "ada.lovelace@x").ok());
  EXPECT_FALSE(CheckNewPassword(std::string(257, 'x'), "ada").ok());
  EXPECT_TRUE(CheckNewPassword("twelve chars", "ada").ok());
  // Sign-in names match in lower case without surrounding spaces: so does this rule.
  EXPECT_FALSE(CheckNewPassword(" ADA.Lovelace@X.example ", "ada.lovelace@x.example").ok());
}

TEST(PagesWordsTest, HoursAgainstTheDoseMarksOfTheMetrics) {
  // docs/metrics.md: under 14 hours, 14 to 49, 49 and over.
  EXPECT_EQ(DoseMark(14 * 60 - 1), "under 14 hours");
  EXPECT_EQ(DoseMark(14 * 60), "14 to 49 hours");
  EXPECT_EQ(DoseMark(49 * 60 - 1), "14 to 49 hours");
  EXPECT_EQ(DoseMark(49 * 60), "49 hours or more");
  EXPECT_EQ(HoursText(15253), "254.2");
  EXPECT_EQ(HoursText(0), "0.0");
  EXPECT_EQ(IsoDay(0), "1970-01-01");
  EXPECT_EQ(LongDay(20269), "June 30, 2025");
  EXPECT_EQ(WhenText(1796677200), "2026-12-07 21:00 UTC");
}

}  // namespace
}  // namespace evident::testing
