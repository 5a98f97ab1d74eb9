#pragma once

#include <nlohmann/json.hpp>
#include <string>

// Pages are drawn from mustache templates (server/pages/templates/*.mustache,
// built into the binary) that escape every value for HTML by default; the
// one unescaped slot is the layout's {{{body}}}, which holds a template's
// own output. Static files (server/pages/static/) are built in the same way.
namespace evident::server::pages {

using Json = nlohmann::ordered_json;

// Template `name` (without ".mustache") rendered with `context`: objects,
// lists, strings, numbers (as decimal text), booleans; null reads as false.
// An unknown template or one that does not parse is a programming error:
// its text says so instead of a page.
std::string RenderTemplate(const std::string& name, const Json& context);

// Template `name` rendered inside the layout ("layout.mustache"), which
// takes `layout` for its own slots (title, navigation, the checkpoint).
std::string RenderPage(const std::string& name, const Json& context, Json layout);

// A static file's bytes and content type; false if there is none.
bool StaticFile(const std::string& name, std::string* bytes, std::string* content_type);

}  // namespace evident::server::pages
