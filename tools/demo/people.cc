#include "tools/demo/people.h"

#include <map>
#include <nlohmann/json.hpp>

namespace evident::demo {

namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kFirst[] = {
    "Avery",  "Jordan", "Riley",   "Morgan", "Casey",  "Taylor", "Jamie",   "Quinn",  "Rowan",
    "Elena",  "Marcus", "Priya",   "Mateo",  "Aisha",  "Daniel", "Sofia",   "Hiroshi", "Grace",
    "Omar",   "Lucia",  "Noah",    "Amara",  "Samuel", "Mei",    "Gabriel", "Fatima", "Isaac",
    "Nadia",  "Tomas",  "Leah",    "Kwame",  "Hannah", "Diego",  "Yara",    "Ethan",  "Ines",
    "Malik",  "Clara",  "Arjun",   "Zoe",    "Felix",  "Rosa",   "Tariq",   "Maya",   "Oliver",
    "Keiko",  "Andre",  "Beatriz", "Jonah",  "Leila"};
constexpr const char* kLast[] = {
    "Moreno",  "Okafor",  "Chen",     "Patel",   "Nguyen",   "Garcia",  "Johnson", "Kim",
    "Rossi",   "Haddad",  "Novak",    "Silva",   "Mensah",   "Larsen",  "Tanaka",  "Walker",
    "Ibrahim", "Kowalski", "Reyes",   "Osei",    "Lindqvist", "Murphy", "Alvarez", "Sato",
    "Brennan", "Dubois",  "Adeyemi",  "Castillo", "Fischer", "Hughes",  "Ortiz",   "Park",
    "Quigley", "Ramos",   "Schmidt",  "Torres",  "Vargas",   "Whitaker", "Yilmaz", "Zhou",
    "Abbott",  "Bianchi", "Delgado",  "Eriksen", "Farouk",   "Gallo",   "Hale",    "Iwu",
    "Jensen",  "Kaur"};

uint64_t Mix(uint64_t x) {  // SplitMix64's finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t HashOf(const std::string& s) {  // FNV-1a
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string TitleOf(const std::string& group, const std::string& position) {
  if (position == "ADM") return "Assistant principal";
  if (position == "CLS") return "Instructional assistant";
  if (group == "NewEmployeeOnboarding") return "Teacher (first year)";
  return "Teacher";
}

}  // namespace

std::vector<DemoPerson> StaffOf(const District& district, uint64_t seed) {
  std::map<std::string, DemoPerson> people;
  std::map<std::string, int> events;
  for (const DemoEvent& e : district.events) {
    const Json event = Json::parse(e.json, nullptr, false);
    if (event.is_discarded() || !event.contains("subject")) continue;
    const Json& subject = event["subject"];
    const std::string id = subject.value("person_id", "");
    if (id.empty()) continue;
    ++events[id];
    if (e.type == "PersonRegistered" && id.rfind("e-", 0) == 0 && !people.count(id)) {
      const Json& body = event["body"];
      DemoPerson p;
      p.id = id;
      p.group = body.value("participant_group", "");
      p.title = TitleOf(p.group, body.value("position_title", ""));
      const uint64_t h = Mix(seed ^ HashOf(id));
      p.first = kFirst[h % std::size(kFirst)];
      p.last = kLast[(h >> 20) % std::size(kLast)];
      p.email = Lower(p.first) + "." + Lower(p.last) + "." + id.substr(2) + "@riverbend.example";
      people.emplace(id, std::move(p));
    } else if (e.type == "AssignmentChanged" && people.count(id) && people[id].site.empty()) {
      people[id].site = subject.value("site_id", "");
    }
  }
  std::vector<DemoPerson> out;
  std::map<std::string, bool> has_principal;  // by site: its first administrator leads it
  for (auto& [id, p] : people) {
    p.events = events[id];
    if (p.group == "Administrator" && !has_principal[p.site]) {
      has_principal[p.site] = true;
      p.title = "Principal";
    }
    out.push_back(std::move(p));
  }
  return out;
}

std::string HrExport(const std::vector<DemoPerson>& staff) {
  std::string out;
  for (const DemoPerson& p : staff) {
    Json line = {{"staffUniqueId", "S-" + p.id.substr(2)},
                 {"firstName", p.first},
                 {"lastSurname", p.last},
                 {"electronicMailAddress", p.email},
                 {"personReference",
                  {{"personId", p.id},
                   {"sourceSystemDescriptor", "uri://ed-fi.org/SourceSystemDescriptor#District"}}},
                 {"educationOrganizationReference", {{"educationOrganizationId", p.site}}},
                 {"positionTitle", p.title}};
    out += line.dump() + "\n";
  }
  return out;
}

std::vector<DemoAccount> DemoAccounts(const std::vector<DemoPerson>& staff) {
  std::vector<DemoAccount> out;
  const DemoPerson* teacher = nullptr;
  for (const DemoPerson& p : staff) {
    if (p.group == "Certificated" && (teacher == nullptr || p.events > teacher->events)) {
      teacher = &p;
    }
  }
  if (teacher == nullptr) return out;
  const DemoPerson* leader = nullptr;
  const DemoPerson* office = nullptr;
  for (const DemoPerson& p : staff) {
    if (p.group != "Administrator") continue;
    if (leader == nullptr && p.site == teacher->site) leader = &p;
    if (office == nullptr && p.site != teacher->site) office = &p;
  }
  out.push_back({teacher->email, "staff", teacher->id, ""});
  if (leader != nullptr) out.push_back({leader->email, "site-leader", leader->id, leader->site});
  if (office != nullptr) out.push_back({office->email, "office", office->id, ""});
  out.push_back({"board.member", "board", "", ""});
  out.push_back({"county.auditor", "auditor", "", ""});
  return out;
}

}  // namespace evident::demo
