// The lists: where each role starts, the people of a site, of a programme,
// the office's list of everyone, and the worklist of open obligations on
// both sides (filterable, and as CSV).

#include <algorithm>

#include "projections/report/format.h"
#include "server/pages/form.h"
#include "server/pages/handlers.h"
#include "server/pages/words.h"

namespace evident::server::pages {

namespace {

using directory::Role;
namespace report = projections::report;

// A field a spreadsheet will not run: text that starts like a formula gets
// a leading apostrophe (OWASP's CSV-injection advice). Names, titles and
// details come from other systems' exports.
std::string SheetSafe(const std::string& field) {
  if (!field.empty() && std::string("=+-@\t\r").find(field[0]) != std::string::npos) {
    return "'" + field;
  }
  return field;
}

struct PersonTotals {
  int64_t invested = 0, minutes = 0;
  int open = 0;
};

std::map<std::string, PersonTotals> Totals(const Snapshot& s) {
  std::map<std::string, PersonTotals> out;
  for (const auto& pp : s.figures.pairs) {
    out[pp.person].invested += pp.invested_cents;
    out[pp.person].minutes += pp.minutes;
  }
  for (const auto& o : s.figures.obligations) ++out[o.person].open;
  return out;
}

}  // namespace

Response Pages::Handlers::Home(const Viewer& viewer) {
  switch (viewer.account.role) {
    case Role::kStaff: return Redirect("/me");
    case Role::kSiteLeader:
      return Redirect(viewer.account.sites.empty() ? "/me"
                                                   : "/sites/" + PercentEncode(viewer.account.sites[0]));
    case Role::kOffice: return Redirect("/worklist");
    case Role::kBoard: return Redirect("/reports");
    case Role::kAuditor: return Redirect("/compliance");
  }
  return Redirect("/reports");
}

Response Pages::Handlers::PeopleList(const Request& request, const Viewer& viewer) {
  if (!viewer.Is(Role::kOffice) && !viewer.Is(Role::kSiteLeader)) {
    return Error(403, "Your role does not list people.", &viewer);
  }
  auto state = State();
  if (!state.ok()) return Error(503, state.status().message(), &viewer);
  const Snapshot& s = *state.value();
  const Form query = ParseForm(request.Query());
  std::string q = query.count("q") ? query.at("q") : "";
  std::string q_lower = q;
  for (char& ch : q_lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const auto names = People();
  const auto totals = Totals(s);
  Json rows = Json::array();
  for (const auto& [person, context] : s.figures.people) {
    if (!MaySeePerson(viewer, person, s)) continue;
    std::string name = NameOf(names, person);
    std::string haystack = name + " " + person;
    for (char& ch : haystack) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (!q_lower.empty() && haystack.find(q_lower) == std::string::npos) continue;
    auto t = totals.find(person);
    const PersonTotals none;
    const PersonTotals& pt = t == totals.end() ? none : t->second;
    auto entry = names.find(person);
    rows.push_back({{"href", "/people/" + PercentEncode(person)},
                    {"name", name},
                    {"id", person},
                    {"title", entry == names.end() ? "" : entry->second.title},
                    {"site", context.site},
                    {"site_href", "/sites/" + PercentEncode(context.site)},
                    {"hours", HoursText(pt.minutes)},
                    {"invested", report::Money(pt.invested)},
                    {"open", std::to_string(pt.open)}});
  }
  Json c = {{"q", q}, {"rows", rows}, {"count", std::to_string(rows.size())},
            {"none", rows.empty()}};
  return Page(200, "people", c, "People", &viewer, &s);
}

Response Pages::Handlers::Sites(const Viewer& viewer) {
  if (!viewer.Is(Role::kOffice) && !viewer.Is(Role::kSiteLeader)) {
    return Error(403, "Your role does not list sites.", &viewer);
  }
  auto state = State();
  if (!state.ok()) return Error(503, state.status().message(), &viewer);
  const Snapshot& s = *state.value();
  const auto totals = Totals(s);
  Json rows = Json::array();
  for (const auto& [site, people] : s.site_people) {
    if (!MaySeeSite(viewer, site)) continue;
    int64_t invested = 0, minutes = 0;
    int open = 0;
    for (const std::string& person : people) {
      auto t = totals.find(person);
      if (t == totals.end()) continue;
      invested += t->second.invested;
      minutes += t->second.minutes;
      open += t->second.open;
    }
    rows.push_back({{"href", "/sites/" + PercentEncode(site)},
                    {"site", site},
                    {"people", std::to_string(people.size())},
                    {"hours", HoursText(minutes)},
                    {"invested", report::Money(invested)},
                    {"open", std::to_string(open)}});
  }
  Json c = {{"rows", rows}, {"none", rows.empty()}};
  return Page(200, "sites", c, "Sites", &viewer, &s);
}

Response Pages::Handlers::Site(const Viewer& viewer, const std::string& site) {
  if (!MaySeeSite(viewer, site)) return Error(403, "You may not see this site's people.", &viewer);
  auto state = State();
  if (!state.ok()) return Error(503, state.status().message(), &viewer);
  const Snapshot& s = *state.value();
  auto at = s.site_people.find(site);
  if (at == s.site_people.end()) return Error(404, "The log has no one at site " + site + ".", &viewer);
  const auto names = People();
  const auto totals = Totals(s);
  Json rows = Json::array();
  int64_t invested = 0, minutes = 0;
  int open = 0;
  for (const std::string& person : at->second) {
    auto t = totals.find(person);
    const PersonTotals pt = t == totals.end() ? PersonTotals{} : t->second;
    invested += pt.invested;
    minutes += pt.minutes;
    open += pt.open;
    rows.push_back({{"href", "/people/" + PercentEncode(person)},
                    {"name", NameOf(names, person)},
                    {"id", person},
                    {"hours", HoursText(pt.minutes)},
                    {"invested", report::Money(pt.invested)},
                    {"open", std::to_string(pt.open)}});
  }
  Json c = {{"site", site},
            {"rows", rows},
            {"people", std::to_string(rows.size())},
            {"invested", report::Money(invested)},
            {"hours", HoursText(minutes)},
            {"open", std::to_string(open)},
            {"worklist_href", "/worklist?site=" + PercentEncode(site)}};
  return Page(200, "site", c, "Site " + site, &viewer, &s);
}

Response Pages::Handlers::Program(const Viewer& viewer, const std::string& program) {
  if (!viewer.Is(Role::kOffice) && !viewer.Is(Role::kSiteLeader)) {
    return Error(403, "Your role does not show programmes' participants.", &viewer);
  }
  auto state = State();
  if (!state.ok()) return Error(503, state.status().message(), &viewer);
  const Snapshot& s = *state.value();
  if (s.program_titles.count(program) == 0) {
    return Error(404, "The log defines no programme " + program + ".", &viewer);
  }
  const auto names = People();
  Json rows = Json::array();
  int64_t invested = 0, minutes = 0;
  for (const auto& pp : s.figures.pairs) {
    if (pp.program != program || !MaySeePerson(viewer, pp.person, s)) continue;
    invested += pp.invested_cents;
    minutes += pp.minutes;
    rows.push_back({{"href", "/people/" + PercentEncode(pp.person)},
                    {"name", NameOf(names, pp.person)},
                    {"id", pp.person},
                    {"site", s.SiteOf(pp.person)},
                    {"hours", HoursText(pp.minutes)},
                    {"standing", projections::rules::StandingName(pp.standing)},
                    {"level", pp.highest_level == 0 ? std::string("none")
                                                    : std::to_string(pp.highest_level)},
                    {"due", IsoDay(pp.due_day)}});
  }
  // What the office decided about the programme, each decision with its
  // entry, whose proof the page checks.
  Json decisions = Json::array();
  if (auto it = s.decisions.find(program); it != s.decisions.end()) {
    for (const projections::Decision& d : it->second) {
      decisions.push_back(
          {{"href", viewer.Is(Role::kOffice) ? "/entries/" + std::to_string(d.pos) : ""},
           {"year", report::FiscalYearLabel(d.fiscal_year)},
           {"decision", schema::EnumNameReviewDecision(
                            static_cast<schema::ReviewDecision>(d.decision))},
           {"decided", IsoDay(d.day)},
           {"rationale", d.rationale},
           {"based_on", "entries 0.." + std::to_string(d.report_size)}});
    }
  }
  Json c = {{"program", program},
            {"title", s.ProgramTitle(program)},
            {"decisions", decisions},
            {"has_decisions", !decisions.empty()},
            {"rows", rows},
            {"people", std::to_string(rows.size())},
            {"invested", report::Money(invested)},
            {"hours", HoursText(minutes)},
            {"limited", viewer.Is(Role::kSiteLeader)}};
  return Page(200, "program", c, s.ProgramTitle(program), &viewer, &s);
}

Response Pages::Handlers::Worklist(const Request& request, const Viewer& viewer, bool csv) {
  if (!viewer.Is(Role::kOffice) && !viewer.Is(Role::kSiteLeader)) {
    return Error(403, "Your role has no worklist.", &viewer);
  }
  auto state = State();
  if (!state.ok()) return Error(503, state.status().message(), &viewer);
  const Snapshot& s = *state.value();
  const Form query = ParseForm(request.Query());
  auto param = [&](const char* name) { return query.count(name) ? query.at(name) : std::string(); };
  const std::string side = param("side"), site = param("site"), program = param("program");
  const bool overdue_only = param("overdue") == "1";
  const auto names = People();
  std::vector<const projections::Obligation*> shown;
  for (const auto& o : s.figures.obligations) {
    if (!MaySeePerson(viewer, o.person, s)) continue;
    if (!side.empty() && o.side != side) continue;
    if (!site.empty() && s.SiteOf(o.person) != site) continue;
    if (!program.empty() && o.program != program) continue;
    if (overdue_only && !o.overdue) continue;
    shown.push_back(&o);
  }
  std::stable_sort(shown.begin(), shown.end(),
                   [](auto* a, auto* b) { return a->due_day < b->due_day; });
  if (csv) {
    std::string out = "side,person_id,name,site,program_id,program,kind,detail,since,due,overdue\n";
    for (const auto* o : shown) {
      for (const std::string& field :
           {o->side, o->person, NameOf(names, o->person), s.SiteOf(o->person), o->program,
            o->program.empty() ? std::string() : s.ProgramTitle(o->program), o->kind, o->detail,
            IsoDay(o->day), IsoDay(o->due_day), std::string(o->overdue ? "yes" : "no")}) {
        out += report::CsvField(SheetSafe(field));
        out += ',';
      }
      out.back() = '\n';
    }
    Response r;
    r.content_type = "text/csv; charset=utf-8";
    r.body = std::move(out);
    r.headers.push_back({"Content-Disposition", "attachment; filename=\"worklist-" +
                                                    std::to_string(s.size) + ".csv\""});
    r.headers.push_back({"Cache-Control", "no-store"});
    r.headers.push_back({"X-Content-Type-Options", "nosniff"});
    return r;
  }
  Json rows = Json::array();
  for (const auto* o : shown) {
    rows.push_back({{"side", o->side == "district" ? "District" : "Person"},
                    {"href", "/people/" + PercentEncode(o->person)},
                    {"name", NameOf(names, o->person)},
                    {"id", o->person},
                    {"site", s.SiteOf(o->person)},
                    {"program", o->program.empty() ? "" : s.ProgramTitle(o->program)},
                    {"kind", o->kind},
                    {"detail", o->detail},
                    {"since", IsoDay(o->day)},
                    {"due", IsoDay(o->due_day)},
                    {"overdue", o->overdue}});
  }
  Json sites = Json::array(), programs = Json::array();
  for (const auto& [id, people] : s.site_people) {
    if (MaySeeSite(viewer, id)) sites.push_back({{"id", id}, {"selected", id == site}});
  }
  for (const auto& [id, title] : s.program_titles) {
    programs.push_back({{"id", id}, {"title", title.empty() ? id : title}, {"selected", id == program}});
  }
  Json c = {{"rows", rows},
            {"count", std::to_string(rows.size())},
            {"none", rows.empty()},
            {"sites", sites},
            {"programs", programs},
            {"side_district", side == "district"},
            {"side_person", side == "person"},
            {"overdue", overdue_only},
            {"csv_href", "/worklist.csv" + (request.Query().empty() ? "" : "?" + request.Query())}};
  return Page(200, "worklist", c, "Worklist", &viewer, &s);
}

}  // namespace evident::server::pages
