#include "struct_reader.hpp"

#include <utility>

namespace riot::struct_plugin {

values::ValueReadOptions read_options_from_config(const nlohmann::json& config) {
  values::ValueReadOptions options;
  options.erase_missing = config.value("erase_missing", false);
  options.chunk_above_bytes = config.value("chunk_above_bytes", values::kDefaultChunkAboveBytes);
  options.memory_samples = config.value("memory_samples", values::kDefaultMemorySamples);
  options.chunk_bytes = config.value("chunk_bytes", values::kDefaultChunkBytes);
  if (const auto type = config.find("type"); type != config.end())
    options.only_type = type->get<std::string>();
  return options;
}

StructReader::StructReader(redis::ClientOptions client, values::ValueReadOptions options,
                           RetryOptions retry, HostContext& host)
    : client_(redis::Client::open(std::move(client))),
      pipeline_(retry, host),
      reader_(*client_, pipeline_, std::move(options), host) {}

void StructReader::read(KeyBatch& keys, RecordBatch& out, RecordBatchWriter& early) {
  reader_.read(keys, out, early);
}

}  // namespace riot::struct_plugin
