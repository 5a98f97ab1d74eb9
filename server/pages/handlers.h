#pragma once

// Internal to the pages: the handlers behind Pages (pages.h), split by
// concern over handlers.cc (sessions, checks, replies), sign_in.cc,
// record.cc (a person's record), lists.cc (sites, programmes, the
// worklist, people) and documents.cc (reports, compliance, entries, proofs).

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "server/pages/pages.h"
#include "server/pages/render.h"

namespace evident::server::pages {

using http::Request;
using http::Response;
using Form = std::map<std::string, std::string>;

// Who is asking: a signed-in account and its session.
struct Viewer {
  directory::Account account;
  std::string token;  // the session's cookie value
  Session session;
  bool Is(directory::Role role) const { return account.role == role; }
};

class Pages::Handlers {
 public:
  Handlers(Ledger* ledger, directory::Directory* people, PagesOptions options,
           std::unique_ptr<EventJsonCodec> codec);
  void AddRoutes(http::Router* router);

 private:
  using Signed = std::function<Response(const Request&, const Viewer&, const Form&)>;

  // handlers.cc: the frame every page is served in.
  // A handler for signed-in viewers: GETs without a session go to the
  // sign-in page; POSTs must carry the session's CSRF token and come from
  // this origin, else 403.
  http::Handler SignedIn(Signed fn);
  std::optional<Viewer> FindViewer(const Request& request);
  Response Page(int status, const std::string& name, const Json& context, const std::string& title,
                const Viewer* viewer, const Snapshot* snapshot);
  Response Error(int status, const std::string& message, const Viewer* viewer);
  static Response Redirect(const std::string& to);
  StatusOr<std::shared_ptr<const Snapshot>> State();
  // Names for display: the directory's, or the id itself for a person the
  // directory does not hold (never imported, or erased).
  std::map<std::string, directory::Person> People();
  // One person's name, read alone (for a page naming one or two people).
  std::string NameOf(const std::string& id);
  static std::string NameOf(const std::map<std::string, directory::Person>& people,
                            const std::string& id);
  void Log(const std::string& line);
  // Records a view of `subject`'s record by `viewer` unless it is their own.
  void RecordView(const Viewer& viewer, const std::string& subject, const std::string& page,
                  bool allowed);
  // True when `viewer` may see `person`'s record (see pages.h).
  bool MaySeePerson(const Viewer& viewer, const std::string& person, const Snapshot& s) const;
  bool MaySeeSite(const Viewer& viewer, const std::string& site) const;

  // sign_in.cc
  Response SignInForm(const Request& request, const std::string& message, int status);
  // The checks both forms sent before a session pass: their token must be
  // this server's and equal their cookie, and their Origin, when sent, this
  // site (else 403), and neither the sign-in name nor the
  // client's address may be in a back-off (else `again` with 429 and
  // Retry-After). Nothing when both hold.
  using FormPage = Response (Handlers::*)(const Request&, const std::string&, int);
  std::optional<Response> Screen(const Request& request, const Form& form,
                                 const std::string& login, FormPage again);
  // The token of a form sent before there is a session: a random nonce and
  // its HMAC under form_key_, so only this server's tokens pass.
  std::string NewFormToken();
  bool FormTokenIsOurs(const std::string& token) const;
  // A failed attempt, for the back-off of both the name and the address.
  void CountFailure(const std::string& login, const std::string& peer);
  Response SignInPost(const Request& request);
  Response SetupForm(const Request& request, const std::string& message, int status);
  Response SetupPost(const Request& request);
  Response SignOut(const Request& request, const Viewer& viewer);
  // The OpenID Connect seam (pages.h): the provider's answer, once it
  // vouched for a sign-in name, starts a session as a password does.
  Response ExternalCallback(const Request& request);
  Response StartSession(const std::string& login, const std::string& to);

  // record.cc
  Response Record(const Request& request, const Viewer& viewer, const std::string& person);
  Response CorrectPerson(const Viewer& viewer, const std::string& person, const Form& form);
  Response ErasePerson(const Viewer& viewer, const std::string& person, const Form& form);

  // lists.cc
  Response Home(const Viewer& viewer);
  Response PeopleList(const Request& request, const Viewer& viewer);
  Response Sites(const Viewer& viewer);
  Response Site(const Viewer& viewer, const std::string& site);
  Response Program(const Viewer& viewer, const std::string& program);
  Response Worklist(const Request& request, const Viewer& viewer, bool csv);

  // documents.cc
  Response Reports(const Viewer& viewer);
  Response Report(const Request& request, const Viewer& viewer);
  Response Compliance(const Viewer& viewer);
  Response Entry(const Viewer& viewer, uint64_t position);
  Response Proof(const Viewer& viewer, uint64_t position);
  bool MaySeeEntry(const Viewer& viewer, uint64_t position, const Snapshot& s);

  Ledger* ledger_;
  directory::Directory* people_;
  PagesOptions options_;
  LiveState live_;
  SessionTable sessions_;
  BackOff login_backoff_, address_backoff_;
  const std::string form_key_ = RandomToken();  // for the HMAC of form tokens
  std::mutex setup_mu_;
  std::mutex codec_mu_;
  std::unique_ptr<EventJsonCodec> codec_;
};

// "Staff member", "Site leader", "Professional-learning office", "Board
// member", "Auditor"; RoleLabelOf takes a RoleName ("site-leader").
const char* RoleLabel(directory::Role role);
std::string RoleLabelOf(const std::string& role_name);

// Cookie names. The __Host- prefix makes the browser refuse them unless
// Secure, for this host only, and on path "/".
inline constexpr char kSessionCookie[] = "__Host-evident_session";
inline constexpr char kPreSessionCookie[] = "__Host-evident_form";

}  // namespace evident::server::pages
