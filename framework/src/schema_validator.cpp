// A JSON Schema (draft 7 subset) validator that reports every error, not just
// the first, and fills in defaults as it goes.

#include "riot/host/schema_validator.hpp"

#include <cstdint>
#include <limits>
#include <regex>
#include <string_view>

#include "schema_json_pointer.hpp"
#include "schema_types.hpp"

namespace riot::host {

namespace {

using nlohmann::json;

// Length as JSON Schema counts it: in characters (code points), not bytes.
std::size_t character_count(const std::string& text) {
  std::size_t count = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::string plural(std::size_t count, std::string_view word) {
  return std::to_string(count) + " " + std::string(word) + (count == 1 ? "" : "s");
}

class SchemaWalker {
 public:
  explicit SchemaWalker(ValidationErrors& errors) : errors_(errors) {}

  void validate(const json& schema, json& instance, const std::string& pointer) {
    if (schema.is_boolean()) {
      if (!schema.get<bool>()) report(pointer, "no value is allowed here");
      return;
    }
    if (!schema.is_object()) return;  // the registry refuses such schemas
    // After a type mismatch every other keyword would only restate it.
    if (!check_type(schema, instance, pointer)) return;
    if (!make_integer(schema, instance, pointer)) return;
    check_enum_and_const(schema, instance, pointer);
    if (instance.is_number()) check_number(schema, instance, pointer);
    if (instance.is_string()) check_string(schema, instance, pointer);
    if (instance.is_array()) check_array(schema, instance, pointer);
    if (instance.is_object()) check_object(schema, instance, pointer);
    check_alternatives(schema, instance, pointer);
  }

 private:
  void report(const std::string& pointer, std::string message) {
    errors_.push_back({pointer, std::move(message)});
  }

  bool check_type(const json& schema, const json& instance, const std::string& pointer) {
    const auto type = schema.find("type");
    if (type == schema.end()) return true;
    std::vector<std::string> allowed;
    if (type->is_string()) {
      allowed.push_back(type->get<std::string>());
    } else if (type->is_array()) {
      for (const json& entry : *type) {
        if (entry.is_string()) allowed.push_back(entry.get<std::string>());
      }
    }
    for (const std::string& name : allowed) {
      if (has_schema_type(instance, name)) return true;
    }
    if (allowed.empty()) return true;
    report(pointer, "expected " + join_alternatives(allowed) + ", got " +
                        std::string(schema_type_name(instance)));
    return false;
  }

  // JSON numbers have no size, but components read integers into 64 bits:
  // an integer written as 1e3 becomes 1000, so that components read it as
  // they read 1000, and one beyond 64 bits (1e30) is refused here rather than
  // wrapping around, or throwing, in the component.
  bool make_integer(const json& schema, json& instance, const std::string& pointer) {
    const auto type = schema.find("type");
    if (type == schema.end() || *type != "integer" || !instance.is_number_float()) return true;
    const double number = instance.get<double>();
    constexpr double kBelowMinimum = -9223372036854775808.0;  // -2^63: the least int64
    constexpr double kAboveMaximum = 18446744073709551616.0;  // 2^64: one past the top of uint64
    if (number < kBelowMinimum || number >= kAboveMaximum) {
      report(pointer, "is out of range: an integer here lies between " +
                          std::to_string(std::numeric_limits<std::int64_t>::min()) + " and " +
                          std::to_string(std::numeric_limits<std::uint64_t>::max()) + "; got " +
                          value_text(instance));
      return false;
    }
    if (number < 0) {
      instance = static_cast<std::int64_t>(number);
    } else {
      instance = static_cast<std::uint64_t>(number);
    }
    return true;
  }

  void check_enum_and_const(const json& schema, const json& instance, const std::string& pointer) {
    if (const auto values = schema.find("enum"); values != schema.end() && values->is_array()) {
      bool listed = false;
      std::vector<std::string> texts;
      for (const json& value : *values) {
        listed = listed || value == instance;
        texts.push_back(value_text(value));
      }
      if (!listed) {
        report(pointer, "must be one of " + join_list(texts) + "; got " + value_text(instance));
      }
    }
    if (const auto value = schema.find("const"); value != schema.end() && *value != instance) {
      report(pointer, "must be " + value_text(*value) + "; got " + value_text(instance));
    }
  }

  void check_number(const json& schema, const json& instance, const std::string& pointer) {
    const double number = instance.get<double>();
    const auto bound = [&](const char* keyword, auto violates, const char* relation) {
      const auto limit = schema.find(keyword);
      if (limit == schema.end() || !limit->is_number()) return;
      if (violates(number, limit->get<double>())) {
        report(pointer, std::string("must be ") + relation + " " + value_text(*limit) + "; got " +
                            value_text(instance));
      }
    };
    bound(
        "minimum", [](double n, double limit) { return n < limit; }, ">=");
    bound(
        "maximum", [](double n, double limit) { return n > limit; }, "<=");
    bound(
        "exclusiveMinimum", [](double n, double limit) { return n <= limit; }, ">");
    bound(
        "exclusiveMaximum", [](double n, double limit) { return n >= limit; }, "<");
  }

  void check_string(const json& schema, const json& instance, const std::string& pointer) {
    const std::string& text = instance.get_ref<const std::string&>();
    const std::size_t length = character_count(text);
    if (const auto min = schema.find("minLength"); min != schema.end() && min->is_number()) {
      if (length < min->get<double>()) {
        report(pointer, "must be at least " + plural(min->get<std::size_t>(), "character") +
                            " long; got " + std::to_string(length));
      }
    }
    if (const auto max = schema.find("maxLength"); max != schema.end() && max->is_number()) {
      if (length > max->get<double>()) {
        report(pointer, "must be at most " + plural(max->get<std::size_t>(), "character") +
                            " long; got " + std::to_string(length));
      }
    }
    if (const auto pattern = schema.find("pattern");
        pattern != schema.end() && pattern->is_string()) {
      check_pattern(pattern->get<std::string>(), text, pointer);
    }
  }

  void check_pattern(const std::string& pattern, const std::string& text,
                     const std::string& pointer) {
    try {
      // JSON Schema patterns are ECMA-262 and unanchored: a match anywhere.
      if (!std::regex_search(text, std::regex(pattern, std::regex::ECMAScript))) {
        report(pointer, "does not match the pattern '" + pattern + "'; got " + value_text(text));
      }
    } catch (const std::regex_error&) {
      // A bug in the component's schema; say so rather than let any value pass.
      report(pointer,
             "cannot be checked: the component's schema has an invalid pattern '" + pattern + "'");
    }
  }

  void check_array(const json& schema, json& instance, const std::string& pointer) {
    if (const auto items = schema.find("items"); items != schema.end()) {
      if (items->is_array()) {  // tuple form: one schema per position
        for (std::size_t i = 0; i < items->size() && i < instance.size(); ++i) {
          validate((*items)[i], instance[i], child_pointer(pointer, i));
        }
      } else {
        for (std::size_t i = 0; i < instance.size(); ++i) {
          validate(*items, instance[i], child_pointer(pointer, i));
        }
      }
    }
    if (const auto min = schema.find("minItems"); min != schema.end() && min->is_number()) {
      if (instance.size() < min->get<double>()) {
        report(pointer, "must have at least " + plural(min->get<std::size_t>(), "item") + "; got " +
                            std::to_string(instance.size()));
      }
    }
    if (const auto max = schema.find("maxItems"); max != schema.end() && max->is_number()) {
      if (instance.size() > max->get<double>()) {
        report(pointer, "must have at most " + plural(max->get<std::size_t>(), "item") + "; got " +
                            std::to_string(instance.size()));
      }
    }
  }

  void check_object(const json& schema, json& instance, const std::string& pointer) {
    // `required` asks what the user wrote, so it is checked before defaults
    // are filled in.
    if (const auto required = schema.find("required");
        required != schema.end() && required->is_array()) {
      for (const json& name : *required) {
        if (name.is_string() && !instance.contains(name.get<std::string>())) {
          report(pointer, "missing required key '" + name.get<std::string>() + "'");
        }
      }
    }
    const json* properties = nullptr;
    if (const auto found = schema.find("properties"); found != schema.end() && found->is_object()) {
      properties = &*found;
      for (const auto& [name, property_schema] : found->items()) {
        if (!instance.contains(name)) {
          if (!property_schema.is_object() || !property_schema.contains("default")) continue;
          instance[name] = property_schema["default"];
        }
        // A filled-in default is walked too, so that its own nested defaults
        // are filled in as well.
        validate(property_schema, instance[name], child_pointer(pointer, name));
      }
    }
    check_additional_properties(schema, properties, instance, pointer);
  }

  void check_additional_properties(const json& schema, const json* properties, json& instance,
                                   const std::string& pointer) {
    const auto additional = schema.find("additionalProperties");
    if (additional == schema.end() || (additional->is_boolean() && additional->get<bool>())) return;
    for (auto& [name, value] : instance.items()) {
      if (properties != nullptr && properties->contains(name)) continue;
      if (additional->is_boolean()) {
        report(child_pointer(pointer, name), unknown_key_message(name, properties));
      } else {
        validate(*additional, value, child_pointer(pointer, name));
      }
    }
  }

  static std::string unknown_key_message(const std::string& name, const json* properties) {
    if (properties == nullptr || properties->empty()) {
      return "unknown key '" + name + "'; no keys are allowed here";
    }
    std::vector<std::string> allowed;
    for (const auto& entry : properties->items()) allowed.push_back(entry.key());
    return "unknown key '" + name + "'; allowed keys: " + join_list(allowed);
  }

  // oneOf and anyOf. Each alternative is tried on a copy, so that only the one
  // that matches fills in its defaults.
  void check_alternatives(const json& schema, json& instance, const std::string& pointer) {
    for (const char* keyword : {"anyOf", "oneOf"}) {
      const auto alternatives = schema.find(keyword);
      if (alternatives == schema.end() || !alternatives->is_array()) continue;
      const bool exactly_one = std::string_view(keyword) == "oneOf";

      std::vector<std::size_t> matching;
      std::vector<std::string> failures;
      json accepted;
      for (std::size_t i = 0; i < alternatives->size(); ++i) {
        json attempt = instance;
        ValidationErrors attempt_errors;
        SchemaWalker(attempt_errors).validate((*alternatives)[i], attempt, pointer);
        if (attempt_errors.empty()) {
          if (matching.empty()) accepted = std::move(attempt);
          matching.push_back(i + 1);
        } else {
          failures.push_back(failure_summary(i + 1, attempt_errors, pointer));
        }
      }
      if (matching.empty()) {
        report(pointer,
               "matches none of the allowed alternatives (" + join_semicolons(failures) + ")");
      } else if (exactly_one && matching.size() > 1) {
        std::vector<std::string> numbers;
        for (const std::size_t number : matching) numbers.push_back("#" + std::to_string(number));
        report(pointer,
               "matches alternatives " + join_list(numbers) + " but must match exactly one");
      } else {
        instance = std::move(accepted);
      }
    }
  }

  // "#2: /tls: expected object, got string (and 1 more)": the first reason an
  // alternative failed, located relative to the value being checked.
  static std::string failure_summary(std::size_t number, const ValidationErrors& errors,
                                     const std::string& pointer) {
    const ValidationError& first = errors.front();
    std::string summary = "#" + std::to_string(number) + ": ";
    if (first.pointer.size() > pointer.size())
      summary += first.pointer.substr(pointer.size()) + ": ";
    summary += first.message;
    if (errors.size() > 1) summary += " (and " + std::to_string(errors.size() - 1) + " more)";
    return summary;
  }

  static std::string join_semicolons(const std::vector<std::string>& parts) {
    std::string text;
    for (const std::string& part : parts) text += (text.empty() ? "" : "; ") + part;
    return text;
  }

  ValidationErrors& errors_;
};

}  // namespace

void validate_against_schema(const json& schema, json& instance, const std::string& pointer,
                             ValidationErrors& errors) {
  SchemaWalker(errors).validate(schema, instance, pointer);
}

}  // namespace riot::host
