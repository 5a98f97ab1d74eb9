// Signing in with a password, a first sign-in (or a reset) with a one-time
// code the office issued, and signing out.
//
// The two forms used before there is a session carry a token that must
// equal a cookie set with the form (a double-submit token), so another site
// cannot post them in a visitor's name. Failed attempts back off per
// sign-in name and per client address (sessions.h).

#include "ledger/coding.h"
#include "projections/directory/codes.h"
#include "server/pages/form.h"
#include "server/pages/handlers.h"
#include "server/pages/password.h"
#include "server/pages/words.h"

namespace evident::server::pages {

namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!s.empty() && s.back() == ' ') s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  return s;
}

// Only a path on this site: "/x", never "//host", "/\\host", a control
// character (browsers drop tabs and newlines from a URL, so "/\t/host" is
// "//host") or a backslash anywhere.
std::string SafeNext(const std::string& next) {
  if (next.empty() || next[0] != '/' || next.size() > 2048) return "/";
  if (next.size() > 1 && next[1] == '/') return "/";
  for (unsigned char c : next) {
    if (c < 0x20 || c == 0x7f || c == '\\') return "/";
  }
  return next;
}

std::string FormCookie(const std::string& token) {
  return std::string(kPreSessionCookie) + "=" + token + "; Path=/; Secure; HttpOnly; SameSite=Strict";
}

}  // namespace

std::string Pages::Handlers::NewFormToken() {
  const std::string nonce = RandomToken();
  return nonce + "." + HexEncode(HmacSha256(form_key_, nonce));
}

bool Pages::Handlers::FormTokenIsOurs(const std::string& token) const {
  const size_t dot = token.find('.');
  if (dot == std::string::npos) return false;
  return SecretsEqual(token.substr(dot + 1), HexEncode(HmacSha256(form_key_, token.substr(0, dot))));
}

Response Pages::Handlers::SignInForm(const Request& request, const std::string& message,
                                     int status) {
  const Form query = ParseForm(request.Query());
  const std::string token = NewFormToken();
  Json context = {{"form_token", token},
                  {"next", SafeNext(query.count("next") ? query.at("next") : "/")},
                  {"message", message}};
  if (options_.identity_provider) context["external"] = options_.identity_provider->Name();
  Response r = Page(status, "sign_in", context, "Sign in", nullptr, nullptr);
  r.headers.push_back({"Set-Cookie", FormCookie(token)});
  return r;
}

Response Pages::Handlers::SetupForm(const Request& request, const std::string& message,
                                    int status) {
  const std::string token = NewFormToken();
  (void)request;
  Json context = {{"form_token", token}, {"message", message}};
  Response r = Page(status, "setup", context, "Set your password", nullptr, nullptr);
  r.headers.push_back({"Set-Cookie", FormCookie(token)});
  return r;
}

Response Pages::Handlers::StartSession(const std::string& login, const std::string& to) {
  const std::string token = sessions_.Start(login, Clock::now());
  Response r = Redirect(to);
  r.headers.push_back({"Set-Cookie", std::string(kSessionCookie) + "=" + token +
                                         "; Path=/; Secure; HttpOnly; SameSite=Strict"});
  return r;
}

std::optional<Response> Pages::Handlers::Screen(const Request& request, const Form& form,
                                                const std::string& login, FormPage again) {
  auto token = form.find("form_token");
  const std::string origin = request.Header("origin");
  if (token == form.end() || !FormTokenIsOurs(token->second) ||
      !SecretsEqual(token->second, CookieValue(request.Header("cookie"), kPreSessionCookie)) ||
      (!origin.empty() && origin != "https://" + request.Header("host"))) {
    Log("refused a form without its token (" + request.Path() + ")");
    return Error(403,
                 "This form was refused: it did not carry its token. Open the page again and "
                 "send it from there.",
                 nullptr);
  }
  const auto now = Clock::now();
  const int64_t wait = std::max(login_backoff_.WaitSeconds(login, now),
                                address_backoff_.WaitSeconds(request.peer, now));
  if (wait == 0) return std::nullopt;
  Log("refused during a back-off (" + std::to_string(wait) + " s left) from " + request.peer);
  Response r = (this->*again)(
      request, "Too many failed attempts. Wait " + std::to_string(wait) + " seconds, then try again.",
      429);
  r.headers.push_back({"Retry-After", std::to_string(wait)});
  return r;
}

void Pages::Handlers::CountFailure(const std::string& login, const std::string& peer) {
  const auto now = Clock::now();
  login_backoff_.Failed(login, now);
  address_backoff_.Failed(peer, now);
}

Response Pages::Handlers::SignInPost(const Request& request) {
  const Form form = ParseForm(request.body);
  auto field = [&](const char* name) { return form.count(name) ? form.at(name) : std::string(); };
  const std::string login = Lower(field("login"));
  if (auto refused = Screen(request, form, login, &Handlers::SignInForm)) return *refused;
  auto account = people_->GetAccount(login);
  bool good = false;
  if (account.ok() && account->has_value() && !(*account)->password_hash.empty()) {
    good = PasswordMatches((*account)->password_hash, field("password"));
  } else {
    SpendPasswordTime(field("password"));
  }
  if (!good) {
    CountFailure(login, request.peer);
    Log("failed sign-in from " + request.peer);
    return SignInForm(request,
                      "That sign-in name and password do not match an account. (A first "
                      "sign-in uses the one-time code the office gave you.)",
                      401);
  }
  login_backoff_.Succeeded(login);
  Log("signed in: an account of role " + std::string(directory::RoleName((*account)->role)) +
      ((*account)->person.empty() ? "" : " (" + (*account)->person + ")"));
  return StartSession(login, SafeNext(field("next")));
}

Response Pages::Handlers::SetupPost(const Request& request) {
  const Form form = ParseForm(request.body);
  auto field = [&](const char* name) { return form.count(name) ? form.at(name) : std::string(); };
  const std::string login = Lower(field("login"));
  if (auto refused = Screen(request, form, login, &Handlers::SetupForm)) return *refused;
  // One code, one use: from reading the account to storing the password,
  // no other setup runs.
  std::lock_guard<std::mutex> one_at_a_time(setup_mu_);
  auto account = people_->GetAccount(login);
  const bool code_good = account.ok() && account->has_value() &&
                         !(*account)->code_hash.empty() &&
                         (*account)->code_expires_at > NowSeconds() &&
                         SecretsEqual(directory::CodeHash(field("code")), (*account)->code_hash);
  if (!code_good) {
    CountFailure(login, request.peer);
    Log("a one-time code did not match, from " + request.peer);
    return SetupForm(request,
                     "That sign-in name and one-time code do not match, or the code has expired "
                     "(codes last 72 hours). Ask the professional-learning office for a new one.",
                     401);
  }
  const std::string password = field("password");
  Status rule = CheckNewPassword(password, login);
  if (rule.ok() && password != field("password2")) {
    rule = Status::InvalidArgument("the two passwords differ");
  }
  if (!rule.ok()) return SetupForm(request, "Choose another password: " + rule.message() + ".", 400);
  auto hash = HashPassword(password);
  if (!hash.ok()) return Error(503, hash.status().message(), nullptr);
  directory::Account changed = **account;
  changed.password_hash = hash.value();
  changed.code_hash.clear();
  changed.code_expires_at = 0;
  Status stored = people_->PutAccount(changed);
  if (!stored.ok()) return Error(503, "Your password could not be saved: " + stored.message(), nullptr);
  login_backoff_.Succeeded(login);
  sessions_.EndAllOf(login);  // a reset ends every session the old password opened
  Log("a password was set with a one-time code for an account of role " +
      std::string(directory::RoleName(changed.role)));
  return StartSession(login, "/");
}

Response Pages::Handlers::ExternalCallback(const Request& request) {
  auto login = options_.identity_provider->Complete(request);
  if (!login.ok()) {
    Log("an outside sign-in was refused: " + login.status().message());
    return SignInForm(request, "That sign-in did not work: " + login.status().message(), 401);
  }
  auto account = people_->GetAccount(Lower(login.value()));
  if (!account.ok() || !account->has_value()) {
    return SignInForm(request, "There is no account for the identity you signed in with.", 403);
  }
  Log("signed in through " + options_.identity_provider->Name() + ": an account of role " +
      directory::RoleName((*account)->role));
  return StartSession((*account)->login, "/");
}

Response Pages::Handlers::SignOut(const Request&, const Viewer& viewer) {
  sessions_.End(viewer.token);
  Response r = Redirect("/sign-in");
  r.headers.push_back({"Set-Cookie", std::string(kSessionCookie) +
                                         "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0"});
  return r;
}

}  // namespace evident::server::pages
