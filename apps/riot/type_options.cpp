#include "type_options.hpp"

#include <array>

#include "option_values.hpp"
#include "usage_error.hpp"

namespace riot::app {

namespace {

// A mebibyte count that still fits a byte count of the pipeline document.
constexpr std::int64_t kMaxMemLimitMb = std::int64_t{1} << 30;  // 1 PiB
constexpr std::int64_t kMaxMemSamples = 1000000;

constexpr std::array kChoices{Choice{"type", "dump", "dump"},
                              Choice{"type", "struct", "struct"},
                              Choice{"type", "ds", "struct"},
                              Choice{"merge-policy", "overwrite", "overwrite"},
                              Choice{"merge-policy", "merge", "merge"},
                              Choice{"stream-id", "propagate", "propagate"},
                              Choice{"stream-id", "drop", "drop"},
                              Choice{"mem-limit-policy", "skip", "skip"},
                              Choice{"mem-limit-policy", "struct", "struct"}};

// The options of one --type only: given with the other, they would
// silently do nothing.
constexpr std::array<const char*, 2> kStructOnlyOptions{"merge-policy", "stream-id"};
constexpr std::array<const char*, 2> kDumpOnlyOptions{"mem-limit-policy", "no-string-fast-path"};

void refuse_options_of_the_other_type(const po::variables_map& values, const TypeOptions& options) {
  const auto& foreign = options.is_struct() ? kDumpOnlyOptions : kStructOnlyOptions;
  const char* owner = options.is_struct() ? "dump" : "struct";
  for (const char* option : foreign)
    if (option_given(values, option))
      throw CommandLineError("--" + std::string(option) + " applies to --type " + owner +
                             " only, not to --type " + lowercase(values["type"].as<std::string>()));
}

// In dump mode the big-key options only tune --mem-limit: without it no key
// is sized, and they would silently do nothing.
void refuse_big_key_options_without_a_limit(const po::variables_map& values,
                                            const TypeOptions& options) {
  if (options.is_struct() || options.limits_memory()) return;
  for (const char* option : {"mem-limit-policy", "mem-samples"})
    if (option_given(values, option))
      throw CommandLineError("--" + std::string(option) +
                             " applies with --mem-limit only (a limit above 0): no key is sized "
                             "without it");
}

}  // namespace

TypeOptions read_type_options(const po::variables_map& values) {
  TypeOptions options;
  options.type = read_choice(values, "type", kChoices);
  options.merge_policy = read_choice(values, "merge-policy", kChoices);
  options.stream_ids = read_choice(values, "stream-id", kChoices);
  if (values.count("mem-limit"))
    options.mem_limit_mb = read_bounded(values, "mem-limit", 0, kMaxMemLimitMb);
  options.mem_samples = read_bounded(values, "mem-samples", 0, kMaxMemSamples);
  options.mem_limit_policy = read_choice(values, "mem-limit-policy", kChoices);
  options.string_fast_path = !values["no-string-fast-path"].as<bool>();
  refuse_options_of_the_other_type(values, options);
  refuse_big_key_options_without_a_limit(values, options);
  // Merge writes into the keys the target holds; --no-replace refuses them.
  if (options.merge_policy == "merge" && values["no-replace"].as<bool>())
    throw CommandLineError(
        "--no-replace contradicts --merge-policy merge: merge writes into the keys the target "
        "already holds, --no-replace refuses them");
  return options;
}

}  // namespace riot::app
