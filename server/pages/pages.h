#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "ledger/event_json.h"
#include "ledger/ledger.h"
#include "projections/directory/directory.h"
#include "server/http/router.h"
#include "server/pages/live_state.h"
#include "server/pages/sessions.h"

// The pages for people (docs/pages.md): server-rendered HTML over HTTPS only,
// for the district's staff, site leaders, professional-learning office,
// board members and auditors, each signed in with an account of the
// directory (projections/directory/directory.h) and shown what the role
// allows:
//
//   staff        their own record                        /me
//   site leader  their record, and the people, programmes /sites/S, /people/ID
//                and obligations of their sites
//   office       everyone: records, sites, programmes,     /worklist, /people
//                the worklist and its CSV; corrects and
//                erases directory entries
//   board        the board reports                         /reports
//   auditor      the compliance view, any entry and its    /compliance,
//                proof; changes nothing                    /entries/N
//
// Every page names the checkpoint it was computed from. Every view of one
// person's record by someone else, allowed or refused, is written to the
// directory's access log, which that person reads on their own page.
//
// Pages read the log and the directory; the only things they change are
// sessions, passwords (by a one-time code) and, for the office, directory
// entries. Thread-safe: handlers run on the HTTP server's handler pool.
namespace evident::server::pages {

namespace directory = projections::directory;

// An outside identity provider, as an OpenID Connect client would be: it
// sends the browser to the provider, and on the way back checks the answer
// (state, nonce, the ID token's signature, issuer and audience) and maps its
// verified email to an account's sign-in name. Thread-safe.
class IdentityProvider {
 public:
  virtual ~IdentityProvider() = default;
  // "Google Workspace", as the sign-in page names it.
  virtual std::string Name() const = 0;
  // The reply that starts a sign-in: a redirect to the provider.
  virtual http::Response Begin(const http::Request& request) = 0;
  // The sign-in name the provider vouched for on its way back, or
  // PermissionDenied saying why not.
  virtual StatusOr<std::string> Complete(const http::Request& callback) = 0;
};

struct PagesOptions {
  // Board reports: each subfolder holding report.html, report.pdf and
  // summary.json (as `evident report` writes them) is listed; may be empty.
  std::string reports_dir;
  // How long a page may show an older checkpoint than the newest.
  std::chrono::milliseconds refresh{5000};
  std::chrono::seconds session_idle{30 * 60};
  std::chrono::seconds session_lifetime{12 * 60 * 60};
  // Failed sign-ins before the back-off starts, per sign-in name and per
  // client address, and its longest wait.
  int free_failures = 3;
  int free_failures_per_address = 20;
  std::chrono::seconds longest_wait{15 * 60};
  // One line per sign-in, sign-out, refusal and directory change; people
  // are named by id, never by name. May be empty.
  std::function<void(const std::string&)> log;
  // The seam for OpenID Connect (Google Workspace, Microsoft Entra): when
  // set, the sign-in page offers "Sign in with <name>", and the pages route
  //   GET /sign-in/external           -> provider->Begin (a redirect to it)
  //   GET /sign-in/external/callback  -> provider->Complete, whose sign-in
  //                                      name starts a session as a
  //                                      password would
  // Null: sign-in is by password alone (no provider is built yet).
  std::shared_ptr<IdentityProvider> identity_provider;
};

class Pages {
 public:
  // `ledger` and `people` must outlive the Pages.
  static StatusOr<std::unique_ptr<Pages>> Create(Ledger* ledger, directory::Directory* people,
                                                 PagesOptions options);
  ~Pages();

  // Every route of the pages, for an http::Server.
  http::Router Routes();

  class Handlers;

 private:
  explicit Pages(std::unique_ptr<Handlers> handlers);
  std::unique_ptr<Handlers> handlers_;
};

}  // namespace evident::server::pages
