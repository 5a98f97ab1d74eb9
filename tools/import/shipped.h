#pragma once

#include <map>
#include <string>

// The mappings shipped in tools/import/mappings/, built into the binary so
// that the demo can import with them wherever it runs: file name -> text.
namespace evident::import {
const std::map<std::string, std::string>& ShippedMappings();
}
