#pragma once
// codec.struct: reads each key as a structured value through the datatype of
// its type (values::ValueReader): two pipelined round trips per batch, and a
// big key in chunks handed over one at a time.

#include <memory>
#include <nlohmann/json.hpp>

#include "riot/components.hpp"
#include "riot/host_context.hpp"
#include "riot/redis/client.hpp"
#include "riot/retry.hpp"
#include "riot/retrying_pipeline.hpp"
#include "riot/values/value_reader.hpp"

namespace riot::struct_plugin {

// The configuration keys of codec.struct beyond connection and retry ones.
values::ValueReadOptions read_options_from_config(const nlohmann::json& config);

class StructReader final : public Reader {
 public:
  // Connects at once (to every node a cluster routes to) so that a wrong
  // address or password fails before the run starts.
  StructReader(redis::ClientOptions client, values::ValueReadOptions options, RetryOptions retry,
               HostContext& host);

  void read(KeyBatch& keys, RecordBatch& out, RecordBatchWriter& early) override;

  const redis::Client& client() const { return *client_; }

 private:
  std::unique_ptr<redis::Client> client_;
  RetryingPipeline pipeline_;
  values::ValueReader reader_;
};

}  // namespace riot::struct_plugin
