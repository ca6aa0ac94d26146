#pragma once
// codec.digest: describes keys of the source rather than copying them, for a
// comparison. "digest" reads each key's type and TTL, then its size by its
// datatype's cheap measure (STRLEN, HLEN, ...): digest records for a quick
// comparison, an erase record for a key the source does not hold. "presence"
// reads EXISTS only and makes an erase record for each key the source does
// not hold, nothing for the others: the pass over the target's keys that
// finds the extra ones.

#include <memory>
#include <optional>
#include <string>

#include "riot/components.hpp"
#include "riot/host_context.hpp"
#include "riot/redis/client.hpp"
#include "riot/retry.hpp"
#include "riot/retrying_pipeline.hpp"
#include "source_facts.hpp"

namespace riot::compare_plugin {

enum class DigestRead : std::uint8_t { digest, presence };

struct DigestOptions {
  DigestRead read = DigestRead::digest;
  std::optional<std::string> only_type;  // keys of other types count as absent

  static DigestOptions from_config(const nlohmann::json& config);
  static nlohmann::json schema_properties();
};

class DigestReader final : public Reader {
 public:
  // Connects at once (to every node a cluster routes to).
  DigestReader(redis::ClientOptions client, DigestOptions options, RetryOptions retry,
               HostContext& host);

  void read(KeyBatch& keys, RecordBatch& out, RecordBatchWriter& early) override;

  const redis::Client& client() const { return *client_; }

 private:
  std::unique_ptr<redis::Client> client_;
  DigestOptions options_;
  RetryingPipeline pipeline_;
  HostContext& host_;
  SourceFacts facts_;
};

}  // namespace riot::compare_plugin
