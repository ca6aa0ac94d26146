#include "compare_options.hpp"

namespace riot::compare_plugin {

CompareOptions CompareOptions::from_config(const nlohmann::json& config) {
  CompareOptions options;
  options.mode = config.value("compare", std::string("full")) == "quick" ? CompareMode::quick
                                                                         : CompareMode::full;
  options.ttl_tolerance_ms = config.value("ttl_tolerance_ms", options.ttl_tolerance_ms);
  options.chunk_above_bytes = config.value("chunk_above_bytes", options.chunk_above_bytes);
  options.chunk_bytes = config.value("chunk_bytes", options.chunk_bytes);
  options.memory_samples = config.value("memory_samples", options.memory_samples);
  return options;
}

nlohmann::json CompareOptions::schema_properties() {
  nlohmann::json properties;
  properties["compare"] = {
      {"type", "string"},
      {"enum", {"full", "quick"}},
      {"default", "full"},
      {"description",
       "full: values compared by type (equal DUMP bytes settle a key at once). quick: "
       "existence, type, TTL and size (STRLEN, HLEN, LLEN, SCARD, ZCARD, XLEN) only."}};
  properties["ttl_tolerance_ms"] = {
      {"type", "integer"},
      {"minimum", 0},
      {"default", 100},
      {"description",
       "Expiries further apart than this many milliseconds are a ttl difference; a persistent "
       "key and a volatile one always are."}};
  properties["chunk_above_bytes"] = {
      {"type", "integer"},
      {"minimum", 0},
      {"default", values::kDefaultChunkAboveBytes},
      {"description",
       "A key found different is read again from the source; one whose MEMORY USAGE exceeds "
       "this many bytes is read (and compared) in chunks. 0: always whole."}};
  properties["chunk_bytes"] = {
      {"type", "integer"},
      {"minimum", 1024},
      {"maximum", std::size_t{1} << 30},
      {"default", values::kDefaultChunkBytes},
      {"description", "About how many bytes each chunk of a key read again holds."}};
  properties["memory_samples"] = {
      {"type", "integer"},
      {"minimum", 0},
      {"maximum", 1000000},
      {"default", values::kDefaultMemorySamples},
      {"description", "MEMORY USAGE ... SAMPLES when a key is read again (0: all)."}};
  return properties;
}

}  // namespace riot::compare_plugin
