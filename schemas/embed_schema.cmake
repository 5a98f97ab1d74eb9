# Writes OUTPUT, a C++ file defining evident::schema::EventSchemaText() as the
# text of INPUT. Run with cmake -P.
file(READ ${INPUT} text)
file(WRITE ${OUTPUT}
  "// Generated from event.fbs at build time. Do not edit.\n"
  "#include \"schemas/schema_text.h\"\n"
  "namespace evident::schema {\n"
  "const char* EventSchemaText() {\n"
  "  return R\"evident_fbs(${text})evident_fbs\";\n"
  "}\n"
  "}  // namespace evident::schema\n")
