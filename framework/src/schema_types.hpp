#pragma once
// JSON Schema's view of JSON types, and how values and lists are spelt in
// validation messages.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace riot::host {

// The JSON Schema type of a value as shown in messages: "null", "boolean",
// "integer" (an integral number), "number", "string", "array" or "object".
std::string_view schema_type_name(const nlohmann::json& value);

// Whether `value` is of the JSON Schema type `type`. As in JSON Schema, an
// integer is also a number, and a number with no fractional part (4.0) is an
// integer.
bool has_schema_type(const nlohmann::json& value, std::string_view type);

// A value for a message: compact JSON, cut short when long.
std::string value_text(const nlohmann::json& value);

// "a", "a or b", "a, b or c".
std::string join_alternatives(const std::vector<std::string>& words);

// "a, b, c".
std::string join_list(const std::vector<std::string>& words);

}  // namespace riot::host
