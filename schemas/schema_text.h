#pragma once

namespace evident::schema {

// The text of schemas/event.fbs, compiled in so the JSON codec can read
// field names and attributes without looking for files at run time.
const char* EventSchemaText();

}  // namespace evident::schema
