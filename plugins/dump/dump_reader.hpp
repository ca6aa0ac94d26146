#pragma once
// codec.dump: reads each key as its DUMP serialization plus its TTL, in one
// pipelined round trip per batch.

#include <cstdint>
#include <vector>

#include "riot/components.hpp"
#include "riot/host_context.hpp"
#include "riot/redis/command_buffer.hpp"
#include "riot/redis/connection.hpp"
#include "riot/redis/reply.hpp"

namespace riot::dump_plugin {

struct DumpOptions {
  bool read_type = false;  // also send TYPE for each key

  static DumpOptions from_config(const nlohmann::json& config);
};

class DumpReader final : public Reader {
 public:
  // Connects at once so that a wrong address or password fails before the
  // run starts.
  DumpReader(redis::ConnectionOptions connection, DumpOptions options, HostContext& host);

  // Moves each key that is still present out of `keys` into its record; on a
  // throw `keys` is left untouched.
  void read(KeyBatch& keys, RecordBatch& out) override;

 private:
  std::size_t commands_per_key() const { return options_.read_type ? 3 : 2; }
  void encode(const KeyBatch& keys);
  void check_replies(const KeyBatch& keys) const;

  redis::Connection connection_;
  DumpOptions options_;
  HostContext& host_;
  // Reused across batches: clear() keeps their capacity.
  redis::CommandBuffer commands_;
  std::vector<redis::Reply> replies_;
};

}  // namespace riot::dump_plugin
