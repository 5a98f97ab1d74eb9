#pragma once

#include <map>
#include <string>

// The pages' templates and static files, built into the binary from
// server/pages/templates/ and server/pages/static/ (embed_assets.cmake):
// file name -> bytes.
namespace evident::server::pages {
const std::map<std::string, std::string>& EmbeddedAssets();
}
