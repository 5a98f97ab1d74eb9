// The routes of the pages, each to its handler (handlers.h).

#include "server/pages/pages.h"

#include "server/pages/form.h"
#include "server/pages/handlers.h"

namespace evident::server::pages {

namespace {

// The id after `prefix` in a path, decoded; "" if empty or holding a '/'.
std::string Tail(const Request& request, const std::string& prefix) {
  const std::string path = request.Path();
  std::string tail = PercentDecode(path.substr(prefix.size()));
  return tail.find('/') == std::string::npos ? tail : std::string();
}

std::optional<uint64_t> Position(const std::string& text) {
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoull(text);
}

}  // namespace

StatusOr<std::unique_ptr<Pages>> Pages::Create(Ledger* ledger, directory::Directory* people,
                                               PagesOptions options) {
  auto codec = EventJsonCodec::Create();
  if (!codec.ok()) return codec.status();
  auto handlers = std::make_unique<Handlers>(ledger, people, std::move(options),
                                             std::move(codec.value()));
  return std::unique_ptr<Pages>(new Pages(std::move(handlers)));
}

Pages::Pages(std::unique_ptr<Handlers> handlers) : handlers_(std::move(handlers)) {}
Pages::~Pages() = default;

http::Router Pages::Routes() {
  http::Router router;
  handlers_->AddRoutes(&router);
  return router;
}

void Pages::Handlers::AddRoutes(http::Router* router) {
  using http::Request;
  router->Exact("GET", "/", SignedIn([this](const Request&, const Viewer& v, const Form&) {
                  return Home(v);
                }));
  router->Exact("GET", "/sign-in", [this](const Request& r) { return SignInForm(r, "", 200); });
  router->Exact("POST", "/sign-in", [this](const Request& r) { return SignInPost(r); });
  if (options_.identity_provider) {
    router->Exact("GET", "/sign-in/external",
                  [this](const Request& r) { return options_.identity_provider->Begin(r); });
    router->Exact("GET", "/sign-in/external/callback",
                  [this](const Request& r) { return ExternalCallback(r); });
  }
  router->Exact("GET", "/setup", [this](const Request& r) { return SetupForm(r, "", 200); });
  router->Exact("POST", "/setup", [this](const Request& r) { return SetupPost(r); });
  router->Exact("POST", "/sign-out",
                SignedIn([this](const Request& r, const Viewer& v, const Form&) {
                  return SignOut(r, v);
                }));
  router->Exact("GET", "/me", SignedIn([this](const Request& r, const Viewer& v, const Form&) {
                  if (v.account.person.empty()) {
                    return Error(404, "This account is not a person's, so it has no record.", &v);
                  }
                  return Record(r, v, v.account.person);
                }));
  router->Exact("GET", "/people", SignedIn([this](const Request& r, const Viewer& v, const Form&) {
                  return PeopleList(r, v);
                }));
  router->Prefix("GET", "/people/",
                 SignedIn([this](const Request& r, const Viewer& v, const Form&) {
                   const std::string person = Tail(r, "/people/");
                   if (person.empty()) return Error(404, "No such page.", &v);
                   return Record(r, v, person);
                 }));
  router->Prefix("POST", "/people/",
                 SignedIn([this](const Request& r, const Viewer& v, const Form& form) {
                   std::string rest = PercentDecode(r.Path().substr(8));
                   const std::string erase_suffix = "/erase";
                   if (rest.ends_with(erase_suffix)) {
                     return ErasePerson(v, rest.substr(0, rest.size() - erase_suffix.size()), form);
                   }
                   if (rest.empty() || rest.find('/') != std::string::npos) {
                     return Error(404, "No such form.", &v);
                   }
                   return CorrectPerson(v, rest, form);
                 }));
  router->Exact("GET", "/sites", SignedIn([this](const Request&, const Viewer& v, const Form&) {
                  return Sites(v);
                }));
  router->Prefix("GET", "/sites/", SignedIn([this](const Request& r, const Viewer& v, const Form&) {
                   return Site(v, Tail(r, "/sites/"));
                 }));
  router->Prefix("GET", "/programs/",
                 SignedIn([this](const Request& r, const Viewer& v, const Form&) {
                   return Program(v, Tail(r, "/programs/"));
                 }));
  router->Exact("GET", "/worklist", SignedIn([this](const Request& r, const Viewer& v, const Form&) {
                  return Worklist(r, v, false);
                }));
  router->Exact("GET", "/worklist.csv",
                SignedIn([this](const Request& r, const Viewer& v, const Form&) {
                  return Worklist(r, v, true);
                }));
  router->Exact("GET", "/reports", SignedIn([this](const Request&, const Viewer& v, const Form&) {
                  return Reports(v);
                }));
  router->Prefix("GET", "/reports/",
                 SignedIn([this](const Request& r, const Viewer& v, const Form&) {
                   return Report(r, v);
                 }));
  router->Exact("GET", "/compliance",
                SignedIn([this](const Request&, const Viewer& v, const Form&) {
                  return Compliance(v);
                }));
  router->Prefix("GET", "/entries/",
                 SignedIn([this](const Request& r, const Viewer& v, const Form&) {
                   auto position = Position(Tail(r, "/entries/"));
                   if (!position) return Error(404, "No such entry.", &v);
                   return Entry(v, *position);
                 }));
  router->Prefix("GET", "/proof/", SignedIn([this](const Request& r, const Viewer& v, const Form&) {
                   auto position = Position(Tail(r, "/proof/"));
                   if (!position) return http::TextResponse(404, "no such entry");
                   return Proof(v, *position);
                 }));
  // Any other path: the pages' own 404, for a person who typed or followed
  // a wrong address.
  router->Prefix("GET", "/", [this](const Request& r) {
    const std::optional<Viewer> viewer = FindViewer(r);
    return Error(404, "There is no page at " + r.Path() + ".", viewer ? &*viewer : nullptr);
  });
  router->Prefix("GET", "/static/", [](const Request& r) {
    Response response;
    if (!StaticFile(Tail(r, "/static/"), &response.body, &response.content_type)) {
      return http::TextResponse(404, "no such file");
    }
    response.headers.push_back({"Cache-Control", "no-cache"});
    response.headers.push_back({"X-Content-Type-Options", "nosniff"});
    return response;
  });
}

}  // namespace evident::server::pages
