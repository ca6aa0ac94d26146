#include "riot/redis/cluster/membership.hpp"

#include <array>
#include <string_view>

#include "riot/redis/cluster/slot.hpp"

namespace riot::redis::cluster {
namespace {

constexpr std::string_view kDisabled = "cluster support disabled";

std::string_view error_code(std::string_view error) {
  return error.substr(0, error.find(' '));
}

// One key name per slot, found once: "riot:cluster-probe:{N}" for the first
// N whose hash tag falls in each slot.
const std::array<std::string, kSlotCount>& probe_keys() {
  static const std::array<std::string, kSlotCount> keys = [] {
    std::array<std::string, kSlotCount> found;
    std::size_t missing = kSlotCount;
    for (std::size_t n = 0; missing > 0; ++n) {
      const std::string tag = std::to_string(n);
      std::string& key = found[key_slot(tag)];
      if (!key.empty()) continue;
      key = "riot:cluster-probe:{" + tag + "}";
      --missing;
    }
    return found;
  }();
  return keys;
}

// The answer of the server to a key of every slot: a node of a cluster
// serving some slots redirects the others, a single server runs them all.
Membership probe_slots(Connection& connection, const KeyProbe& probe,
                       const std::string& refused_before) {
  CommandBuffer commands;
  std::vector<std::string_view> args;
  for (const std::string& key : probe_keys()) {
    args.assign({probe.command, key});
    args.insert(args.end(), probe.arguments.begin(), probe.arguments.end());
    commands.append(args);
  }
  std::vector<Reply> replies;
  connection.pipeline(commands, replies);
  std::size_t redirected = 0;
  std::size_t refused = 0;
  std::string refusal;
  for (const Reply& reply : replies) {
    if (!reply.is_error()) continue;
    if (is_cluster_reply(reply.str)) {
      ++redirected;
    } else if (error_code(reply.str) == "NOPERM" || reply.str.starts_with("ERR unknown command")) {
      if (refused++ == 0) refusal = reply.str;
    }
    // Any other error (RESTORE's "payload version or checksum are wrong",
    // BUSYKEY) means that this server ran the command.
  }
  const std::string probed = "probed with " + probe.command + " on " + std::to_string(kSlotCount) +
                             " slots (" + refused_before + " refused): ";
  if (redirected > 0)
    return {true, probed + "MOVED for " + std::to_string(redirected) + " of them"};
  if (refused == 0) return {false, probed + "no MOVED"};
  return {std::nullopt, refused_before + " and " + probe.command + " refused (" + refusal + ")"};
}

}  // namespace

KeyProbe KeyProbe::restore() {
  // Too short to be a DUMP payload: the server rejects it before looking at
  // the key (BUSYKEY when the key exists: without REPLACE, nothing is
  // overwritten either way).
  return {"RESTORE", {"0", "riot-probe"}};
}

bool is_cluster_reply(std::string_view error) {
  const std::string_view code = error_code(error);
  return code == "MOVED" || code == "ASK" || code == "CLUSTERDOWN" || code == "TRYAGAIN";
}

Membership find_membership(Connection& connection, const KeyProbe* probe) {
  std::string refused;  // "INFO, CLUSTER INFO": what was asked in vain so far
  const auto detected_from = [&](std::string_view command) {
    std::string how = "detected from " + std::string(command);
    if (!refused.empty()) how += " (" + refused + " refused)";
    return how;
  };
  const auto note_refused = [&](std::string_view command) {
    if (!refused.empty()) refused += ", ";
    refused += command;
  };

  const Reply info = connection.command({"INFO", "cluster"});
  if (info.is_string()) {
    constexpr std::string_view kField = "cluster_enabled:";
    if (const std::size_t at = info.str.find(kField); at != std::string::npos)
      return {info.str.compare(at + kField.size(), 1, "1") == 0, detected_from("INFO cluster")};
  }
  note_refused("INFO");

  for (const std::string_view subcommand : {"INFO", "SLOTS", "MYID"}) {
    const Reply reply = connection.command({"CLUSTER", subcommand});
    const std::string command = "CLUSTER " + std::string(subcommand);
    if (!reply.is_error()) return {true, detected_from(command)};
    if (reply.str.find(kDisabled) != std::string::npos) return {false, detected_from(command)};
    note_refused(command);
  }
  if (probe == nullptr) return {std::nullopt, refused + " refused"};
  return probe_slots(connection, *probe, refused);
}

}  // namespace riot::redis::cluster
