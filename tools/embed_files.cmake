# Writes OUTPUT, a C++ file defining NAMESPACE::FUNCTION() as the bytes of
# every file in FILES (a ,-separated list), by file name: the map HEADER
# declares. Run with cmake -P.
string(REPLACE "," ";" files "${FILES}")
set(body "")
foreach(path ${files})
  get_filename_component(name ${path} NAME)
  file(READ ${path} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${hex}")
  string(APPEND body "      {\"${name}\", std::string(\"${escaped}\", sizeof(\"${escaped}\") - 1)},\n")
endforeach()
file(WRITE ${OUTPUT}
  "// Generated at build time. Do not edit.\n"
  "#include \"${HEADER}\"\n"
  "namespace ${NAMESPACE} {\n"
  "const std::map<std::string, std::string>& ${FUNCTION}() {\n"
  "  static const auto* files = new std::map<std::string, std::string>{\n"
  "${body}"
  "  };\n"
  "  return *files;\n"
  "}\n"
  "}  // namespace ${NAMESPACE}\n")
