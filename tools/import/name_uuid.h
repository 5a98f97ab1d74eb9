#pragma once

#include <string>
#include <string_view>

// Name-based UUIDs, version 5 (RFC 9562 §5.5): SHA-1 of a namespace UUID and
// a name, the first 16 bytes, with the version and variant bits set. The
// same namespace and name give the same UUID on any machine, with any tool.
namespace evident::import {

// `namespace_uuid` is 16 raw bytes; returns 16 raw bytes.
std::string NameUuid(std::string_view namespace_uuid, std::string_view name);

// 16 raw bytes -> "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", lowercase.
std::string FormatUuid(std::string_view bytes);

// The namespace of every id `evident import` derives:
// NameUuid(the RFC 9562 URL namespace 6ba7b811-9dad-11d1-80b4-00c04fd430c8,
// "https://evident.example/ns/import/v1"). docs/import.md gives the names.
const std::string& ImportNamespace();

}  // namespace evident::import
