#pragma once
// Validation of component configurations against their JSON Schema.
//
// Supports the subset of JSON Schema (draft 7) that component schemas use:
// type (string or array of strings), properties, required,
// additionalProperties (false, or a schema), enum, const, minimum, maximum,
// exclusiveMinimum, exclusiveMaximum, minLength, maxLength, pattern, items,
// minItems, maxItems, oneOf, anyOf, default, description. Unknown keywords are
// ignored. An unknown property under additionalProperties:false is reported
// with the list of allowed property names.

#include <nlohmann/json.hpp>
#include <string>

#include "riot/host/validation_error.hpp"

namespace riot::host {

// Validates `instance` against `schema`, appending every error found (not
// just the first) to `errors`, each pointer prefixed with `pointer`. Fills in
// the `default` of absent properties (recursively) so that components see a
// complete configuration.
void validate_against_schema(const nlohmann::json& schema, nlohmann::json& instance,
                             const std::string& pointer, ValidationErrors& errors);

}  // namespace riot::host
