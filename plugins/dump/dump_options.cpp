#include "dump_options.hpp"

#include "riot/values/value_reader.hpp"

namespace riot::dump_plugin {

DumpOptions DumpOptions::from_config(const nlohmann::json& config) {
  DumpOptions options;
  options.read_type = config.value("read_type", false);
  options.erase_missing = config.value("erase_missing", false);
  if (const auto type = config.find("type"); type != config.end()) {
    options.only_type = type->get<std::string>();
    options.read_type = true;  // the filter needs each key's type
  }
  options.mem_limit_bytes = config.value("mem_limit_bytes", std::uint64_t{0});
  options.memory_samples = config.value("memory_samples", values::kDefaultMemorySamples);
  options.over_limit = config.value("over_limit", std::string("skip")) == "struct"
                           ? OverLimit::by_type
                           : OverLimit::skip;
  options.chunk_bytes = config.value("chunk_bytes", values::kDefaultChunkBytes);
  options.string_fast_path = config.value("string_fast_path", true);
  return options;
}

nlohmann::json DumpOptions::schema_properties() {
  nlohmann::json properties;
  properties["read_type"] = {{"type", "boolean"},
                             {"default", false},
                             {"description", "Also read each key's type (TYPE) into its record."}};
  properties["erase_missing"] = {
      {"type", "boolean"},
      {"default", false},
      {"description",
       "A key the source no longer holds becomes a delete on the target (live replication: "
       "deletes, expiries, evictions, renames), rather than a skipped key."}};
  properties["type"] = {
      {"type", "string"},
      {"minLength", 1},
      {"description",
       "Only keys of this type (read with TYPE): others are skipped, or erased with "
       "erase_missing. For notifications, which do not tell a key's type."}};
  properties["mem_limit_bytes"] = {
      {"type", "integer"},
      {"minimum", 0},
      {"default", 0},
      {"description",
       "Keys whose MEMORY USAGE exceeds this many bytes are big: skipped or read in chunks "
       "(over_limit). 0: no limit, and no key is sized."}};
  properties["memory_samples"] = {
      {"type", "integer"},
      {"minimum", 0},
      {"maximum", 1000000},
      {"default", values::kDefaultMemorySamples},
      {"description",
       "MEMORY USAGE ... SAMPLES: nested values sampled per key (0: all, a walk of the key)."}};
  properties["over_limit"] = {
      {"type", "string"},
      {"enum", {"skip", "struct"}},
      {"default", "skip"},
      {"description",
       "What becomes of a key over mem_limit_bytes. skip: not read, named with its size in the "
       "log (warning) and the summary, counted as skipped. struct: read in chunks of about "
       "chunk_bytes through its type's datatype (sink.restore writes them), so that riot never "
       "holds it whole."}};
  properties["chunk_bytes"] = {
      {"type", "integer"},
      {"minimum", 1024},
      {"maximum", std::size_t{1} << 30},
      {"default", values::kDefaultChunkBytes},
      {"description", "About how many bytes each chunk of a big key holds (over_limit struct)."}};
  properties["string_fast_path"] = {
      {"type", "boolean"},
      {"default", true},
      {"description",
       "Read strings with GET (and sink.restore writes them with SET), which costs both servers "
       "less than DUMP and RESTORE; other keys answer WRONGTYPE and are DUMPed in a second round "
       "of the same batch. false: DUMP every key."}};
  return properties;
}

}  // namespace riot::dump_plugin
