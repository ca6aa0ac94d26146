#include "digest_reader.hpp"

#include <spdlog/spdlog.h>

#include <utility>

namespace riot::compare_plugin {

DigestOptions DigestOptions::from_config(const nlohmann::json& config) {
  DigestOptions options;
  options.read = config.value("read", std::string("digest")) == "presence" ? DigestRead::presence
                                                                           : DigestRead::digest;
  if (const auto type = config.find("type"); type != config.end())
    options.only_type = type->get<std::string>();
  return options;
}

nlohmann::json DigestOptions::schema_properties() {
  nlohmann::json properties;
  properties["read"] = {
      {"type", "string"},
      {"enum", {"digest", "presence"}},
      {"default", "digest"},
      {"description",
       "digest: TYPE and PTTL, then the size by the type's datatype (STRLEN, HLEN, LLEN, SCARD, "
       "ZCARD, XLEN): digest records, an erase record for a key gone. presence: EXISTS only, an "
       "erase record for each key the source does not hold and nothing for the others (the "
       "pass that finds the target's extra keys)."}};
  properties["type"] = {{"type", "string"},
                        {"minLength", 1},
                        {"description",
                         "Only keys of this type (read with TYPE): a key of another type counts "
                         "as one the source does not hold."}};
  return properties;
}

DigestReader::DigestReader(redis::ClientOptions client, DigestOptions options, RetryOptions retry,
                           HostContext& host)
    : client_(redis::Client::open(std::move(client))),
      options_(std::move(options)),
      pipeline_(retry, host),
      host_(host),
      facts_({*client_, pipeline_, host, "not read"}, options_.only_type) {}

void DigestReader::read(KeyBatch& keys, RecordBatch& out, RecordBatchWriter& early) {
  (void)early;  // a digest is small: nothing is handed over before the end
  if (keys.empty()) return;
  FactsTally tally;
  const bool read = options_.read == DigestRead::digest ? facts_.read_digests(keys, out, tally)
                                                        : facts_.read_presence(keys, out, tally);
  if (!read) return;
  // As codec.dump counts: what it read, not the keys found absent (erase
  // records), which are settled by the comparator.
  Metrics::add(host_.metrics().keys_read, tally.described + tally.present);
  host_.logger().debug("batch of {} keys: {} described, {} present, {} absent", keys.size(),
                       tally.described, tally.present, tally.erased);
}

}  // namespace riot::compare_plugin
