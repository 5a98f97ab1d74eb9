#include "server/pages/render.h"

#include <kainjow/mustache.hpp>

#include <map>

#include "server/pages/assets.h"

namespace evident::server::pages {

namespace mustache = kainjow::mustache;

namespace {

mustache::data ToData(const Json& value) {
  switch (value.type()) {
    case Json::value_t::object: {
      mustache::data out(mustache::data::type::object);
      for (const auto& [key, item] : value.items()) out.set(key, ToData(item));
      return out;
    }
    case Json::value_t::array: {
      mustache::data out(mustache::data::type::list);
      for (const auto& item : value) out.push_back(ToData(item));
      return out;
    }
    case Json::value_t::string:
      // An empty string reads as false, so that {{#field}}...{{/field}}
      // leaves out what has no value (mustache would render it).
      if (value.get_ref<const std::string&>().empty()) return mustache::data(false);
      return mustache::data(value.get<std::string>());
    case Json::value_t::boolean:
      return mustache::data(value.get<bool>());
    case Json::value_t::null:
    case Json::value_t::discarded:
      return mustache::data(false);
    default:
      return mustache::data(value.dump());
  }
}

// Templates parse once, on first use.
const mustache::mustache* Template(const std::string& name) {
  static const auto* parsed = [] {
    auto* map = new std::map<std::string, mustache::mustache>();
    for (const auto& [file, text] : EmbeddedAssets()) {
      const std::string suffix = ".mustache";
      if (file.size() > suffix.size() && file.ends_with(suffix)) {
        map->emplace(file.substr(0, file.size() - suffix.size()), mustache::mustache(text));
      }
    }
    return map;
  }();
  auto it = parsed->find(name);
  return it == parsed->end() ? nullptr : &it->second;
}

}  // namespace

std::string RenderTemplate(const std::string& name, const Json& context) {
  const mustache::mustache* t = Template(name);
  if (t == nullptr) return "no template " + name;
  if (!t->is_valid()) return "template " + name + ": " + t->error_message();
  // render() is not const; each call renders on a copy.
  mustache::mustache copy = *t;
  return copy.render(ToData(context));
}

std::string RenderPage(const std::string& name, const Json& context, Json layout) {
  layout["body"] = RenderTemplate(name, context);
  return RenderTemplate("layout", layout);
}

bool StaticFile(const std::string& name, std::string* bytes, std::string* content_type) {
  if (name.ends_with(".mustache")) return false;
  const auto& assets = EmbeddedAssets();
  auto it = assets.find(name);
  if (it == assets.end()) return false;
  *bytes = it->second;
  if (name.ends_with(".js")) {
    *content_type = "text/javascript; charset=utf-8";
  } else if (name.ends_with(".css")) {
    *content_type = "text/css; charset=utf-8";
  } else if (name.ends_with(".svg")) {
    *content_type = "image/svg+xml";
  } else {
    *content_type = "application/octet-stream";
  }
  return true;
}

}  // namespace evident::server::pages
