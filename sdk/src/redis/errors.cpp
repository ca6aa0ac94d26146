#include "riot/redis/errors.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace riot::redis {
namespace {

// Redis's error code: the reply's first word ("READONLY", "ERR").
std::string_view error_code(std::string_view error) {
  return error.substr(0, error.find(' '));
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// `text` in capitals (command names, "TARGET") or in lower case (ACL rules).
std::string with_case(std::string_view text, int (*convert)(int)) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [convert](unsigned char c) { return static_cast<char>(convert(c)); });
  return result;
}
std::string upper(std::string_view text) {
  return with_case(text, &::toupper);
}

// The first name quoted in `error` after `after`, in capitals: the command of
// "unknown command 'FOO', with args..." or "... to run the 'restore' command"
// (Redis quotes with ' since 6.2, with ` before).
std::string quoted_command(std::string_view error, std::string_view after) {
  const std::size_t at = error.find(after);
  if (at == std::string_view::npos) return {};
  const std::size_t open = error.find_first_of("'`", at + after.size());
  if (open == std::string_view::npos) return {};
  const std::size_t close = error.find(error[open], open + 1);
  if (close == std::string_view::npos) return {};
  return upper(error.substr(open + 1, close - open - 1));
}

Refusal server_refusal(std::string meaning, std::string remedy) {
  return Refusal{RefusalScope::server, std::move(meaning), std::move(remedy)};
}

// The server refuses a command to this user: Redis names the command ("... no
// permissions to run the 'restore' command"). Otherwise the refusal is about
// the keys the command touches ("... to access one of the keys used as
// arguments"): a key pattern of the user (~prefix:*) refuses some keys and
// accepts others, so that one is about the key.
Refusal permission_refusal(std::string_view reply, const std::string& side) {
  if (!contains(reply, "to run the ")) return Refusal{};
  const std::string command = quoted_command(reply, "to run the ");
  return server_refusal("refuses " + command + " to this user (" + std::string(reply) + ")",
                        "grant it (ACL SETUSER <user> +" + with_case(command, &::tolower) +
                            ") or connect to " + side + " as a user who may run it");
}

}  // namespace

Refusal classify_error_reply(std::string_view reply, const RefusalContext& context) {
  const std::string_view code = error_code(reply);
  // A redirection a cluster client could not settle is a resharding in full
  // swing; to a client of one server it says the server is a cluster node.
  const bool redirection = code == "MOVED" || code == "ASK";
  if (is_transient_error_reply(reply) && (context.cluster || !redirection))
    return Refusal{RefusalScope::transient, {}, {}};
  const std::string side = upper(context.side);
  // Redis adds the first arguments to an unknown command's error: the key
  // and payload bytes of one RESTORE say nothing about the server.
  const std::string quoted = "(" + std::string(reply.substr(0, reply.find(", with args"))) + ")";
  if (code == "READONLY")
    return server_refusal("is a read-only replica " + quoted, "point " + side + " at the master");
  if (redirection)
    return server_refusal(
        "is a node of a Redis Cluster, but riot took it for a single server " + quoted,
        "tell riot it is a cluster (--" + std::string(context.side) +
            "-cluster, or \"cluster\": true in a pipeline document)");
  if (code == "NOPERM") return permission_refusal(reply, side);
  if (code == "WRONGPASS")
    return server_refusal("refuses the user name or password " + quoted,
                          "check the credentials given for " + side);
  if (code == "NOAUTH")
    return server_refusal(
        "requires a password " + quoted,
        "give one for " + side + " (in its URI, or --" + std::string(context.side) + "-pass)");
  if (code == "MISCONF")
    return server_refusal("refuses writes because it cannot save to disk " + quoted,
                          "fix the disk or the save settings of " + side);
  if (code == "ERR") {
    if (contains(reply, "unknown command")) {
      const std::string command = quoted_command(reply, "unknown command");
      return server_refusal("does not know the command " + command + " " + quoted,
                            "it is renamed or disabled there (rename-command), or " + side +
                                " is not a Redis server: allow " + command + " on " + side);
    }
    if (contains(reply, "DUMP payload version or checksum are wrong"))
      return server_refusal(
          "cannot read the source's DUMP payloads " + quoted,
          "it runs an older Redis than the source (a payload carries the source's RDB "
          "version): use a target of the same Redis version as the source or newer");
    if (contains(reply, "syntax error") || contains(reply, "unknown subcommand") ||
        contains(reply, "wrong number of arguments"))
      return server_refusal(
          "does not accept the command as riot sends it " + quoted,
          "riot needs Redis 5.0 or newer, or a server compatible with it, as " + side);
  }
  return Refusal{};
}

namespace {

// Error replies worth sending again later: see is_transient_error_reply.
constexpr std::array<std::string_view, 7> kTransientErrorCodes{
    "OOM", "LOADING", "BUSY", "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS", "MASTERDOWN"};

}  // namespace

bool is_transient_error_reply(std::string_view error) {
  const std::string_view code = error_code(error);
  return code == "MOVED" || code == "ASK" ||
         std::find(kTransientErrorCodes.begin(), kTransientErrorCodes.end(), code) !=
             kTransientErrorCodes.end();
}

std::string transient_error_replies_text() {
  std::string text;
  for (const std::string_view code : kTransientErrorCodes) text.append(code).append(", ");
  return text + "and MOVED or ASK that a cluster's redirections did not settle";
}

bool is_out_of_memory_reply(std::string_view error) {
  return error_code(error) == "OOM";
}

bool is_oversized_argument_reply(std::string_view error) {
  return error.starts_with("ERR Protocol error: invalid bulk length");
}

}  // namespace riot::redis
