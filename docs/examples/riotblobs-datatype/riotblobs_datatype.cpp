// datatype.riotblobs: teaches riot the "riotblobs" type of a Redis module (an
// ordered list of binary blobs; the module is tests/support/modules/), so that
// codec.struct reads its keys, sink.struct writes them (overwrite or merge)
// and comparisons compare them. A small but complete third-party datatype.
//
// The module's commands:
//   RIOTBLOBS.GET key                -> the blobs in order, nil for no key
//   RIOTBLOBS.APPEND key [blob ...]  -> adds blobs at the end, creating the key
//
// Record::parts layout (this datatype's own): one part per blob, in order.
// A key may hold zero blobs: parts is then empty, and the key still exists.
#include <memory>
#include <riot/plugin.hpp>
#include <riot/redis/errors.hpp>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using riot::redis::KeyedCommands;
using riot::redis::Reply;

constexpr std::string_view kTypeName = "riotblobs";  // as TYPE answers it

// Error replies and replies of the wrong shape end the read of the batch:
// the reader reports them (naming the key and the server) as it does for
// the core types.
[[noreturn]] void throw_unexpected(const riot::Record& record, const std::string& what) {
  throw riot::redis::ReplyError(
      "", "RIOTBLOBS.GET " + riot::printable_key(record.key) + " answered " + what);
}

class RiotBlobsDatatype final : public riot::Datatype {
 public:
  std::string_view type_name() const override { return kTypeName; }

  // One command per key; the caller pipelines the commands of many keys and
  // hands back their replies in order: never a round trip per key.
  std::size_t append_read(std::string_view key, KeyedCommands& commands) const override {
    commands.append(key, {"RIOTBLOBS.GET", key});
    return 1;
  }

  riot::ReadStatus decode_read(std::span<Reply> replies, riot::Record& record) const override {
    Reply& reply = replies.front();
    if (reply.is_nil()) return riot::ReadStatus::gone;  // deleted or expired since TYPE
    if (reply.is_error()) {
      if (reply.str.starts_with("WRONGTYPE")) return riot::ReadStatus::wrong_type;
      throw_unexpected(record, "an error: " + reply.str);
    }
    if (!reply.is_array())
      throw_unexpected(record, std::string(riot::redis::to_string(reply.type)));
    record.parts.clear();
    record.parts.reserve(reply.elements.size());
    for (Reply& blob : reply.elements) {
      if (!blob.is_string())
        throw_unexpected(record,
                         "an array holding a " + std::string(riot::redis::to_string(blob.type)));
      record.parts.push_back(std::move(blob.str));  // moved: a blob is held once
    }
    return riot::ReadStatus::value;
  }

  // APPEND only adds, as the contract asks: for an overwrite the caller
  // deletes the key first in the same MULTI/EXEC (and applies the TTL after),
  // so the key becomes exactly the source's blobs; for a merge the source's
  // blobs follow those the target holds, as RPUSH does for a list. An empty
  // value still creates the key.
  std::size_t append_write(const riot::Record& record, std::string_view key,
                           const riot::WriteOptions& /*options: same for both policies*/,
                           KeyedCommands& commands) const override {
    // The instance is shared by every worker thread: per-thread scratch space,
    // reused so that writing a key allocates nothing once warm.
    thread_local std::vector<std::string_view> arguments;
    arguments.assign({"RIOTBLOBS.APPEND", key});
    arguments.insert(arguments.end(), record.parts.begin(), record.parts.end());
    commands.append(key, arguments);
    return 1;
  }

  // The order of the blobs matters.
  riot::ValueComparison compare(const riot::Record& source,
                                const riot::Record& target) const override {
    const std::vector<std::string>& left = source.parts;
    const std::vector<std::string>& right = target.parts;
    if (left.size() != right.size())
      return riot::ValueComparison::differs("length " + std::to_string(left.size()) + " vs " +
                                            std::to_string(right.size()));
    for (std::size_t i = 0; i < left.size(); ++i) {
      if (left[i] == right[i]) continue;
      return riot::ValueComparison::differs(
          "blob " + std::to_string(i) +
          (left[i].size() == right[i].size() ? std::string(" differs")
                                             : ": " + std::to_string(left[i].size()) +
                                                   " bytes vs " + std::to_string(right[i].size())));
    }
    return riot::ValueComparison::same();
  }
};

riot::ComponentInfo riotblobs_component() {
  riot::ComponentInfo component;
  // "datatype.riotblobs": the name under which readers and sinks find it
  // (HostContext::datatype("riotblobs")).
  component.name = riot::datatype_component_name(kTypeName);
  component.description =
      "reads, writes and compares keys of the riotblobs module type (RIOTBLOBS.GET/APPEND)";
  // No settings: the host creates it with {}.
  component.schema = {{"type", "object"},
                      {"additionalProperties", false},
                      {"properties", nlohmann::json::object()}};
  component.factory = riot::DatatypeFactory([](const nlohmann::json&, riot::HostContext&) {
    return std::make_unique<RiotBlobsDatatype>();
  });
  return component;
}

const riot::PluginDescriptor* describe() {
  static const riot::PluginDescriptor descriptor{"riotblobs", "1.0.0", {riotblobs_component()}};
  return &descriptor;
}

}  // namespace

RIOT_PLUGIN(describe)
