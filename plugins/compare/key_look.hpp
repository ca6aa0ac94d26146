#pragma once
// What one look at a key found: its outcome and, for a difference, what the
// comparator reports (riot::KeyDifference without the views).

#include <cstdint>
#include <string>

#include "riot/host_context.hpp"

namespace riot::compare_plugin {

struct KeyLook {
  enum class Outcome : std::uint8_t {
    equal,
    differs,
    neither,  // neither side holds the key: no outcome to report
    pending,  // a big key whose last chunk has not come yet
    failed,   // reported through HostContext::report_failure
  };

  Outcome outcome = Outcome::equal;
  DifferenceClass difference = DifferenceClass::value;
  std::string detail;
  std::string source_type;  // "" when the source lacks the key
  std::string target_type;  // "" when the target lacks the key
  std::int64_t source_ttl_ms = -2;
  std::int64_t target_ttl_ms = -2;
  // A value difference judged by DUMP bytes alone: equal content may dump
  // differently, so only a comparison by type settles it.
  bool by_dump_bytes = false;

  bool differs() const noexcept { return outcome == Outcome::differs; }

  // The report of a difference, viewing this look's strings. `source_key`:
  // the key's name on the source when it differs from `key` (renamed).
  KeyDifference report(std::string_view key, bool changed_during_comparison,
                       std::string_view source_key = {}) const {
    return {key,         difference,    detail,        source_type,
            target_type, source_ttl_ms, target_ttl_ms, changed_during_comparison,
            source_key};
  }
};

}  // namespace riot::compare_plugin
