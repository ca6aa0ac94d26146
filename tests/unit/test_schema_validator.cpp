// validate_against_schema: every supported keyword, the exact messages and
// pointers, defaults filled in, and every error reported at once.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "riot/host/schema_validator.hpp"

namespace {

using nlohmann::json;
using riot::host::ValidationErrors;

struct Outcome {
  json instance;                    // after defaults were filled in
  std::vector<std::string> errors;  // "pointer: message"
};

Outcome validate(const json& schema, json instance, const std::string& pointer = "") {
  ValidationErrors errors;
  riot::host::validate_against_schema(schema, instance, pointer, errors);
  Outcome outcome{std::move(instance), {}};
  for (const auto& error : errors) outcome.errors.push_back(error.to_string());
  return outcome;
}

std::vector<std::string> errors_of(const json& schema, const json& instance) {
  return validate(schema, instance).errors;
}

using Errors = std::vector<std::string>;

TEST(SchemaValidator, ChecksEachType) {
  const std::vector<std::pair<std::string, json>> samples = {
      {"null", nullptr}, {"boolean", true}, {"integer", 7},        {"number", 2.5},
      {"string", "s"},   {"array", {1, 2}}, {"object", {{"a", 1}}}};
  for (const auto& [type, value] : samples) {
    EXPECT_EQ(errors_of({{"type", type}}, value), Errors{}) << type;
    const json other = type == "string" ? json(1) : json("text");
    const std::string other_type = type == "string" ? "integer" : "string";
    EXPECT_EQ(errors_of({{"type", type}}, other),
              Errors{"/: expected " + type + ", got " + other_type})
        << type;
  }
}

TEST(SchemaValidator, TreatsIntegersAsNumbersAndIntegralNumbersAsIntegers) {
  EXPECT_EQ(errors_of({{"type", "number"}}, 3), Errors{});
  EXPECT_EQ(errors_of({{"type", "integer"}}, 4.0), Errors{});
  EXPECT_EQ(errors_of({{"type", "integer"}}, 4.5), Errors{"/: expected integer, got number"});
  EXPECT_EQ(errors_of({{"type", "integer"}}, true), Errors{"/: expected integer, got boolean"});
}

// Components read integers into 64 bits: an integer written as a float is
// handed over as an integer, one beyond 64 bits is refused with its pointer.
TEST(SchemaValidator, HandsIntegralNumbersOverAsIntegersWithin64Bits) {
  const json schema = {{"type", "object"},
                       {"properties", {{"n", {{"type", "integer"}}}, {"x", {{"type", "number"}}}}}};
  const Outcome written_as_floats = validate(schema, json::parse(R"({"n": 1e3, "x": 2e0})"));
  EXPECT_EQ(written_as_floats.errors, Errors{});
  EXPECT_TRUE(written_as_floats.instance["n"].is_number_unsigned());
  EXPECT_EQ(written_as_floats.instance["n"].get<std::uint64_t>(), 1000u);
  EXPECT_TRUE(written_as_floats.instance["x"].is_number_float()) << "a number stays a number";
  const Outcome negative = validate(schema, json::parse(R"({"n": -2.0})"));
  EXPECT_TRUE(negative.instance["n"].is_number_integer());
  EXPECT_EQ(negative.instance["n"].get<std::int64_t>(), -2);

  const std::string range =
      "is out of range: an integer here lies between -9223372036854775808 "
      "and 18446744073709551615; got ";
  EXPECT_EQ(errors_of(schema, json::parse(R"({"n": 18446744073709551616})")),
            Errors{"/n: " + range + "1.8446744073709552e+19"});
  EXPECT_EQ(errors_of(schema, json::parse(R"({"n": -1e300})")), Errors{"/n: " + range + "-1e+300"});
  EXPECT_EQ(errors_of(schema, json::parse(R"({"n": 18446744073709551615})")), Errors{});
}

TEST(SchemaValidator, AcceptsAnyOfSeveralTypes) {
  const json schema = {{"type", {"integer", "string", "null"}}};
  EXPECT_EQ(errors_of(schema, 1), Errors{});
  EXPECT_EQ(errors_of(schema, "1"), Errors{});
  EXPECT_EQ(errors_of(schema, nullptr), Errors{});
  EXPECT_EQ(errors_of(schema, json::array()),
            Errors{"/: expected integer, string or null, got array"});
  EXPECT_EQ(errors_of({{"type", {"integer", "string"}}}, false),
            Errors{"/: expected integer or string, got boolean"});
}

TEST(SchemaValidator, StopsAtATypeMismatchInsteadOfRestatingIt) {
  EXPECT_EQ(errors_of({{"type", "string"}, {"enum", {"a", "b"}}, {"minLength", 3}}, 5),
            Errors{"/: expected string, got integer"});
}

TEST(SchemaValidator, ChecksEnumAndConst) {
  const json modes = {{"enum", {"fast", "safe", 3}}};
  EXPECT_EQ(errors_of(modes, "safe"), Errors{});
  EXPECT_EQ(errors_of(modes, 3), Errors{});
  EXPECT_EQ(errors_of(modes, "slow"), Errors{R"(/: must be one of "fast", "safe", 3; got "slow")"});
  EXPECT_EQ(errors_of({{"const", "v1"}}, "v1"), Errors{});
  EXPECT_EQ(errors_of({{"const", "v1"}}, "v2"), Errors{R"(/: must be "v1"; got "v2")"});
}

TEST(SchemaValidator, ChecksInclusiveBounds) {
  const json schema = {{"type", "integer"}, {"minimum", 1}, {"maximum", 256}};
  EXPECT_EQ(errors_of(schema, 1), Errors{});
  EXPECT_EQ(errors_of(schema, 256), Errors{});
  EXPECT_EQ(errors_of(schema, 0), Errors{"/: must be >= 1; got 0"});
  EXPECT_EQ(errors_of(schema, 257), Errors{"/: must be <= 256; got 257"});
}

TEST(SchemaValidator, ChecksExclusiveBounds) {
  const json schema = {{"exclusiveMinimum", 0}, {"exclusiveMaximum", 1}};
  EXPECT_EQ(errors_of(schema, 0.5), Errors{});
  EXPECT_EQ(errors_of(schema, 0), Errors{"/: must be > 0; got 0"});
  EXPECT_EQ(errors_of(schema, 1.0), Errors{"/: must be < 1; got 1.0"});
  // Bounds are for numbers only.
  EXPECT_EQ(errors_of(schema, "text"), Errors{});
}

TEST(SchemaValidator, CountsStringLengthInCharacters) {
  const json schema = {{"minLength", 2}, {"maxLength", 5}};
  EXPECT_EQ(errors_of(schema, "h\xc3\xa9llo"), Errors{});  // 5 characters, 6 bytes
  EXPECT_EQ(errors_of(schema, "a"), Errors{"/: must be at least 2 characters long; got 1"});
  EXPECT_EQ(errors_of(schema, "abcdef"), Errors{"/: must be at most 5 characters long; got 6"});
  EXPECT_EQ(errors_of({{"minLength", 1}}, ""),
            Errors{"/: must be at least 1 character long; got 0"});
}

TEST(SchemaValidator, MatchesPatternsAnywhereInTheString) {
  EXPECT_EQ(errors_of({{"pattern", "^rediss?://"}}, "rediss://host"), Errors{});
  EXPECT_EQ(errors_of({{"pattern", "[0-9]"}}, "abc1def"), Errors{});
  EXPECT_EQ(errors_of({{"pattern", "^rediss?://"}}, "http://host"),
            Errors{R"(/: does not match the pattern '^rediss?://'; got "http://host")"});
}

TEST(SchemaValidator, ReportsAnInvalidPatternInsteadOfAcceptingEverything) {
  EXPECT_EQ(errors_of({{"pattern", "(unclosed"}}, "x"),
            Errors{"/: cannot be checked: the component's schema has an invalid pattern "
                   "'(unclosed'"});
}

TEST(SchemaValidator, ChecksEveryItemOfAnArray) {
  const json schema = {{"items", {{"type", "string"}}}, {"minItems", 1}, {"maxItems", 3}};
  EXPECT_EQ(errors_of(schema, {"a", "b"}), Errors{});
  EXPECT_EQ(errors_of(schema, {"a", 2, "c", false}),
            (Errors{"/1: expected string, got integer", "/3: expected string, got boolean",
                    "/: must have at most 3 items; got 4"}));
  EXPECT_EQ(errors_of(schema, json::array()), Errors{"/: must have at least 1 item; got 0"});
}

TEST(SchemaValidator, ChecksTupleItemsByPosition) {
  const json schema = {{"items", {{{"type", "string"}}, {{"type", "integer"}}}}};
  EXPECT_EQ(errors_of(schema, {"host", 6379}), Errors{});
  EXPECT_EQ(errors_of(schema, {"host", "6379"}), Errors{"/1: expected integer, got string"});
}

const json kConnectionSchema = json::parse(R"({
  "type": "object",
  "additionalProperties": false,
  "required": ["uri"],
  "properties": {
    "uri": {"type": "string"},
    "user": {"type": "string"},
    "password": {"type": "string"},
    "client_name": {"type": "string", "default": "riot"},
    "command_timeout_ms": {"type": "integer", "minimum": 1, "default": 5000}
  }
})");

TEST(SchemaValidator, ListsTheAllowedKeysForAnUnknownKey) {
  const auto outcome = validate(kConnectionSchema, {{"uri", "redis://x"}, {"urii", "redis://y"}},
                                "/stages/sink/config");
  EXPECT_EQ(outcome.errors,
            Errors{"/stages/sink/config/urii: unknown key 'urii'; allowed keys: client_name, "
                   "command_timeout_ms, password, uri, user"});
}

TEST(SchemaValidator, SaysWhenNoKeysAreAllowedAtAll) {
  EXPECT_EQ(errors_of({{"type", "object"}, {"additionalProperties", false}}, {{"x", 1}}),
            Errors{"/x: unknown key 'x'; no keys are allowed here"});
}

TEST(SchemaValidator, ValidatesAdditionalPropertiesAgainstTheirSchema) {
  const json schema = {{"properties", {{"name", {{"type", "string"}}}}},
                       {"additionalProperties", {{"type", "integer"}}}};
  EXPECT_EQ(errors_of(schema, {{"name", "n"}, {"a", 1}, {"b", 2}}), Errors{});
  EXPECT_EQ(errors_of(schema, {{"name", "n"}, {"a", "1"}}),
            Errors{"/a: expected integer, got string"});
  // Without additionalProperties, anything else goes.
  EXPECT_EQ(errors_of({{"properties", json::object()}}, {{"a", 1}}), Errors{});
}

TEST(SchemaValidator, ReportsMissingRequiredKeysEvenWhenTheyHaveADefault) {
  const json schema = {{"required", {"uri", "mode"}},
                       {"properties", {{"mode", {{"default", "fast"}}}}}};
  EXPECT_EQ(errors_of(schema, json::object()),
            (Errors{"/: missing required key 'uri'", "/: missing required key 'mode'"}));
}

TEST(SchemaValidator, FillsInDefaultsOfAbsentPropertiesOnly) {
  const auto outcome = validate(kConnectionSchema, {{"uri", "redis://x"}, {"client_name", "me"}});
  EXPECT_EQ(outcome.errors, Errors{});
  EXPECT_EQ(outcome.instance,
            (json{{"uri", "redis://x"}, {"client_name", "me"}, {"command_timeout_ms", 5000}}));
}

TEST(SchemaValidator, FillsInNestedDefaultsInsideAFilledInDefault) {
  const json schema = json::parse(R"({
    "properties": {
      "tls": {
        "type": "object",
        "default": {},
        "properties": {
          "enabled": {"type": "boolean", "default": false},
          "verify": {"enum": ["full", "none"], "default": "full"}
        }
      }
    }
  })");
  EXPECT_EQ(validate(schema, json::object()).instance,
            json::parse(R"({"tls": {"enabled": false, "verify": "full"}})"));
  EXPECT_EQ(validate(schema, json::parse(R"({"tls": {"verify": "none"}})")).instance,
            json::parse(R"({"tls": {"enabled": false, "verify": "none"}})"));
}

TEST(SchemaValidator, ReportsEveryErrorAtOnceWithItsPointer) {
  const json schema = json::parse(R"({
    "type": "object",
    "additionalProperties": false,
    "required": ["uri"],
    "properties": {
      "uri": {"type": "string"},
      "timeout": {"type": "integer", "minimum": 1},
      "tls": {"type": "object", "properties": {"verify": {"enum": ["full", "none"]}}}
    }
  })");
  const auto outcome =
      validate(schema, json::parse(R"({"timeout": 0, "tls": {"verify": "some"}, "extra": true})"),
               "/stages/sink/config");
  EXPECT_EQ(outcome.errors,
            (Errors{"/stages/sink/config: missing required key 'uri'",
                    "/stages/sink/config/timeout: must be >= 1; got 0",
                    R"(/stages/sink/config/tls/verify: must be one of "full", "none"; got "some")",
                    "/stages/sink/config/extra: unknown key 'extra'; allowed keys: timeout, tls, "
                    "uri"}));
}

TEST(SchemaValidator, EscapesTildeAndSlashInPointers) {
  const json schema = {{"additionalProperties", {{"type", "integer"}}}};
  EXPECT_EQ(errors_of(schema, {{"a/b~c", "x"}}), Errors{"/a~1b~0c: expected integer, got string"});
}

TEST(SchemaValidator, AppendsToExistingErrors) {
  ValidationErrors errors{{"/earlier", "already there"}};
  json instance = "x";
  riot::host::validate_against_schema({{"type", "integer"}}, instance, "/p", errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].to_string(), "/earlier: already there");
  EXPECT_EQ(errors[1].to_string(), "/p: expected integer, got string");
}

TEST(SchemaValidator, AcceptsOneOfWhenExactlyOneAlternativeMatches) {
  const json schema = {{"oneOf", {{{"type", "string"}}, {{"type", "integer"}, {"minimum", 0}}}}};
  EXPECT_EQ(errors_of(schema, "x"), Errors{});
  EXPECT_EQ(errors_of(schema, 3), Errors{});
  EXPECT_EQ(errors_of(schema, -1),
            Errors{"/: matches none of the allowed alternatives (#1: expected string, got "
                   "integer; #2: must be >= 0; got -1)"});
}

TEST(SchemaValidator, RefusesOneOfWhenSeveralAlternativesMatch) {
  const json schema = {{"oneOf", {{{"type", "number"}}, {{"type", "integer"}}, {{"const", "x"}}}}};
  EXPECT_EQ(errors_of(schema, 2.5), Errors{});
  EXPECT_EQ(errors_of(schema, 2),
            Errors{"/: matches alternatives #1, #2 but must match exactly one"});
}

TEST(SchemaValidator, AcceptsAnyOfWhenAtLeastOneAlternativeMatches) {
  const json schema = {{"anyOf", {{{"type", "number"}}, {{"type", "integer"}}}}};
  EXPECT_EQ(errors_of(schema, 2), Errors{});
  EXPECT_EQ(errors_of(schema, "2"),
            Errors{"/: matches none of the allowed alternatives (#1: expected number, got "
                   "string; #2: expected integer, got string)"});
}

TEST(SchemaValidator, LocatesAndCountsTheReasonsAnAlternativeFailed) {
  const json schema = json::parse(R"({"oneOf": [
    {"properties": {"tls": {"type": "object"}, "port": {"type": "integer"}}},
    {"type": "string"}
  ]})");
  EXPECT_EQ(errors_of(schema, json::parse(R"({"tls": 1, "port": "x"})")),
            Errors{"/: matches none of the allowed alternatives (#1: /port: expected integer, "
                   "got string (and 1 more); #2: expected string, got object)"});
}

TEST(SchemaValidator, FillsInDefaultsOnlyFromTheAlternativeThatMatched) {
  const json schema = json::parse(R"({"oneOf": [
    {"required": ["socket"], "properties": {"socket": {"type": "string"},
                                            "mode": {"default": "unix"}}},
    {"required": ["host"], "properties": {"host": {"type": "string"},
                                          "port": {"default": 6379}}}
  ]})");
  EXPECT_EQ(validate(schema, {{"host", "h"}}).instance, (json{{"host", "h"}, {"port", 6379}}));
  EXPECT_EQ(validate(schema, {{"socket", "/s"}}).instance,
            (json{{"socket", "/s"}, {"mode", "unix"}}));
}

TEST(SchemaValidator, HonoursBooleanSchemas) {
  EXPECT_EQ(errors_of(true, {{"anything", 1}}), Errors{});
  EXPECT_EQ(errors_of(false, 1), Errors{"/: no value is allowed here"});
  const json schema = {{"properties", {{"legacy", false}}}};
  EXPECT_EQ(errors_of(schema, {{"legacy", 1}}), Errors{"/legacy: no value is allowed here"});
  EXPECT_EQ(errors_of(schema, json::object()), Errors{});
}

TEST(SchemaValidator, IgnoresAnnotationsAndUnknownKeywords) {
  const json schema = {{"description", "a port"}, {"title", "Port"},  {"$comment", "anything"},
                       {"format", "hostname"},    {"x-riot-hint", 1}, {"type", "integer"}};
  EXPECT_EQ(errors_of(schema, 6379), Errors{});
}

}  // namespace
