#pragma once
// Reading a JSON document that a user wrote (a pipeline file, or standard
// input), with errors that say where: the file, and the line and column.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace riot::app {

// The path that means standard input.
inline constexpr std::string_view kStandardInputPath = "-";

// `origin` names the text in messages ("pipeline.json", "<stdin>"). Throws
// UsageError "ORIGIN: invalid JSON at line L, column C: REASON" for a syntax
// error or a number too large for any field (1e400). The messages never
// quote the text itself, which may hold a password.
nlohmann::json parse_json_document(const std::string& text, std::string_view origin);

// The whole content of the file at `path`, or of standard input.
// Throws UsageError naming the path when it is missing, a directory or
// unreadable.
std::string read_document_text(const std::string& path);

}  // namespace riot::app
