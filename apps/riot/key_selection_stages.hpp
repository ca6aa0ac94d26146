#pragma once
// Key selection and renaming in the pipeline document: the "transforms"
// stages (transform.key_filter, transform.key_rename) of every pipeline a
// replicate run makes, and the walks of the target adapted to a renaming.

#include <nlohmann/json.hpp>

#include "replicate_options.hpp"

namespace riot::app {

// The "transforms" stage list; empty when keys are neither filtered nor
// renamed.
nlohmann::json key_transform_stages(const ReplicateOptions& options);

// `stages` with the transforms added, when there are any.
nlohmann::json with_key_transforms(nlohmann::json stages, const ReplicateOptions& options);

// A scan of the target (the extras pass, a reconciliation walk): SCAN MATCH
// and --key-slots name source keys, which a renamed target key no longer
// matches, so with a renaming the scan takes every key and the transforms
// map each back and select it (--key-pattern becomes a key filter).
void adapt_target_walk(nlohmann::json& scan_config, const ReplicateOptions& options);

// A Redis glob pattern (SCAN MATCH: *, ?, [abc], [^a-z], \x) as an RE2
// regex over the whole key.
std::string glob_to_regex(std::string_view glob);

}  // namespace riot::app
