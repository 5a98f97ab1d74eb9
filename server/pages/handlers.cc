// The frame of every page: sessions, the checks every request passes, the
// layout, and the replies.

#include "server/pages/handlers.h"

#include "server/pages/form.h"
#include "server/pages/words.h"

namespace evident::server::pages {

namespace {

using directory::Role;

// Headers on every reply: nothing from elsewhere runs or loads, the page is
// never framed by another site, never cached, and only ever read over HTTPS.
void Harden(Response* r, bool frameable_by_self = false) {
  r->headers.push_back(
      {"Content-Security-Policy",
       std::string("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                   "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; "
                   "frame-ancestors ") +
           (frameable_by_self ? "'self'" : "'none'")});
  r->headers.push_back({"X-Content-Type-Options", "nosniff"});
  // same-origin, not no-referrer: with no-referrer a browser sends "Origin:
  // null" on its own forms, and the form check below would refuse them.
  r->headers.push_back({"Referrer-Policy", "same-origin"});
  r->headers.push_back({"Strict-Transport-Security", "max-age=31536000"});
  r->headers.push_back({"Cache-Control", "no-store"});
}

struct NavItem {
  const char* href;
  const char* label;
  bool (*shown)(const Viewer&);
};

const NavItem kNav[] = {
    {"/me", "My record", [](const Viewer& v) { return !v.account.person.empty(); }},
    {"/worklist", "Worklist",
     [](const Viewer& v) { return v.Is(Role::kOffice) || v.Is(Role::kSiteLeader); }},
    {"/sites", "Sites",
     [](const Viewer& v) { return v.Is(Role::kOffice) || v.Is(Role::kSiteLeader); }},
    {"/people", "People",
     [](const Viewer& v) { return v.Is(Role::kOffice) || v.Is(Role::kSiteLeader); }},
    {"/reports", "Board reports", [](const Viewer&) { return true; }},
    {"/compliance", "Compliance",
     [](const Viewer& v) { return v.Is(Role::kOffice) || v.Is(Role::kAuditor); }},
};

}  // namespace

const char* RoleLabel(Role role) {
  switch (role) {
    case Role::kStaff: return "Staff member";
    case Role::kSiteLeader: return "Site leader";
    case Role::kOffice: return "Professional-learning office";
    case Role::kBoard: return "Board member";
    case Role::kAuditor: return "Auditor";
  }
  return "";
}


std::string RoleLabelOf(const std::string& role_name) {
  auto role = directory::ParseRole(role_name);
  return role ? RoleLabel(*role) : role_name;
}

Pages::Handlers::Handlers(Ledger* ledger, directory::Directory* people, PagesOptions options,
                          std::unique_ptr<EventJsonCodec> codec)
    : ledger_(ledger),
      people_(people),
      options_(std::move(options)),
      live_(ledger, options_.refresh),
      sessions_(options_.session_idle, options_.session_lifetime, 100000),
      login_backoff_(options_.free_failures, options_.longest_wait),
      address_backoff_(options_.free_failures_per_address, options_.longest_wait),
      codec_(std::move(codec)) {}

void Pages::Handlers::Log(const std::string& line) {
  if (options_.log) options_.log("pages: " + line);
}

std::optional<Viewer> Pages::Handlers::FindViewer(const Request& request) {
  const std::string token = CookieValue(request.Header("cookie"), kSessionCookie);
  std::optional<Session> session = sessions_.Find(token, Clock::now());
  if (!session) return std::nullopt;
  auto account = people_->GetAccount(session->login);
  if (!account.ok() || !account->has_value()) {
    sessions_.End(token);  // the account was removed or erased
    return std::nullopt;
  }
  Viewer viewer{std::move(**account), token, std::move(*session)};
  return viewer;
}

http::Handler Pages::Handlers::SignedIn(Signed fn) {
  return [this, fn = std::move(fn)](const Request& request) {
    std::optional<Viewer> viewer = FindViewer(request);
    if (request.method == "POST") {
      const Form form = ParseForm(request.body);
      if (!viewer) {
        return Error(403, "You are not signed in (or your session ended). Sign in and try again.",
                     nullptr);
      }
      const std::string origin = request.Header("origin");
      const std::string host = request.Header("host");
      if (!origin.empty() && origin != "https://" + host) {
        Log("refused a form from another origin (" + request.Path() + ")");
        return Error(403, "This form came from another site, so it was refused.", &*viewer);
      }
      auto csrf = form.find("csrf");
      if (csrf == form.end() || !SecretsEqual(csrf->second, viewer->session.csrf)) {
        Log(std::string("refused a form without its token (") + request.Path() + ")");
        return Error(403,
                     "This form was refused: it did not carry the token of your session. Reload "
                     "the page and send it again.",
                     &*viewer);
      }
      return fn(request, *viewer, form);
    }
    if (!viewer) return Redirect("/sign-in?next=" + PercentEncode(request.target));
    return fn(request, *viewer, Form());
  };
}

StatusOr<std::shared_ptr<const Snapshot>> Pages::Handlers::State() { return live_.Current(); }

std::map<std::string, directory::Person> Pages::Handlers::People() {
  std::map<std::string, directory::Person> out;
  auto people = people_->ListPeople();
  if (!people.ok()) return out;
  for (auto& p : people.value()) out.emplace(p.id, std::move(p));
  return out;
}

std::string Pages::Handlers::NameOf(const std::map<std::string, directory::Person>& people,
                                    const std::string& id) {
  auto it = people.find(id);
  return it == people.end() ? id : it->second.name;
}

std::string Pages::Handlers::NameOf(const std::string& id) {
  auto person = people_->GetPerson(id);
  return person.ok() && person->has_value() ? (*person)->name : id;
}

void Pages::Handlers::RecordView(const Viewer& viewer, const std::string& subject,
                                 const std::string& page, bool allowed) {
  if (!viewer.account.person.empty() && viewer.account.person == subject) return;
  directory::Access access;
  access.at = NowSeconds();
  // The viewer by person id where the account is a person's, so an erased
  // viewer's name is in no one's access log.
  access.viewer = viewer.account.person.empty() ? viewer.account.login : viewer.account.person;
  access.viewer_role = directory::RoleName(viewer.account.role);
  access.subject = subject;
  access.page = page;
  access.allowed = allowed;
  Status s = people_->RecordAccess(access);
  if (!s.ok()) Log("could not record a view of " + subject + "'s record: " + s.ToString());
}

bool Pages::Handlers::MaySeePerson(const Viewer& viewer, const std::string& person,
                                   const Snapshot& s) const {
  if (!viewer.account.person.empty() && viewer.account.person == person) return true;
  if (viewer.Is(Role::kOffice)) return true;
  if (viewer.Is(Role::kSiteLeader)) return MaySeeSite(viewer, s.SiteOf(person));
  return false;
}

bool Pages::Handlers::MaySeeSite(const Viewer& viewer, const std::string& site) const {
  if (viewer.Is(Role::kOffice)) return true;
  if (!viewer.Is(Role::kSiteLeader) || site.empty()) return false;
  for (const auto& s : viewer.account.sites) {
    if (s == site) return true;
  }
  return false;
}

Response Pages::Handlers::Page(int status, const std::string& name, const Json& context,
                               const std::string& title, const Viewer* viewer,
                               const Snapshot* snapshot) {
  Json layout;
  layout["title"] = title;
  if (viewer != nullptr) {
    Json who;
    who["name"] = viewer->account.person.empty() ? viewer->account.login
                                                 : NameOf(viewer->account.person);
    who["role"] = RoleLabel(viewer->account.role);
    who["csrf"] = viewer->session.csrf;
    layout["viewer"] = who;
    Json nav = Json::array();
    for (const NavItem& item : kNav) {
      if (item.shown(*viewer)) nav.push_back({{"href", item.href}, {"label", item.label}});
    }
    layout["nav"] = nav;
  }
  if (snapshot != nullptr) {
    layout["checkpoint"] = {{"origin", snapshot->origin},
                            {"size", std::to_string(snapshot->size)},
                            {"root", snapshot->root_hex},
                            {"as_of", snapshot->as_of}};
  }
  Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = RenderPage(name, context, layout);
  Harden(&r);
  return r;
}

Response Pages::Handlers::Error(int status, const std::string& message, const Viewer* viewer) {
  Json context = {{"status", std::to_string(status)},
                  {"reason", http::ReasonPhrase(status)},
                  {"message", message}};
  return Page(status, "error", context, http::ReasonPhrase(status), viewer, nullptr);
}

Response Pages::Handlers::Redirect(const std::string& to) {
  Response r;
  r.status = 303;
  r.headers.push_back({"Location", to});
  r.body = "See " + to + "\n";
  Harden(&r);
  return r;
}

}  // namespace evident::server::pages
