#include "other_databases.hpp"

#include <spdlog/spdlog.h>

#include <charconv>
#include <map>
#include <string>
#include <string_view>

namespace riot::scan_plugin {
namespace {

// "db3:keys=12,expires=0,avg_ttl=0" lines of INFO keyspace: keys per db.
std::map<int, std::uint64_t> keys_per_database(std::string_view info) {
  std::map<int, std::uint64_t> databases;
  while (!info.empty()) {
    const std::size_t end = info.find('\n');
    std::string_view line = info.substr(0, end);
    info.remove_prefix(end == std::string_view::npos ? info.size() : end + 1);
    if (!line.starts_with("db")) continue;
    int db = 0;
    const auto [after_db, db_error] =
        std::from_chars(line.data() + 2, line.data() + line.size(), db);
    const std::size_t keys_at = line.find("keys=");
    std::uint64_t keys = 0;
    if (db_error != std::errc() || *after_db != ':' || keys_at == std::string_view::npos) continue;
    std::from_chars(line.data() + keys_at + 5, line.data() + line.size(), keys);
    if (keys > 0) databases[db] = keys;
  }
  return databases;
}

}  // namespace

void report_other_databases(redis::Connection& seed, HostContext& host) {
  const redis::Uri& uri = seed.options().uri;
  const redis::Reply info = seed.command({"INFO", "keyspace"});
  if (!info.is_string()) {
    host.logger().info(
        "{}: INFO keyspace refused ({}): cannot tell whether databases other than {} "
        "hold keys",
        seed.describe(), info.str, uri.db);
    return;
  }
  const std::map<int, std::uint64_t> databases = keys_per_database(info.str);
  std::string others;
  std::string listed;
  int first_other = -1;
  std::size_t count = 0;
  for (const auto& [db, keys] : databases) {
    if (db == uri.db) continue;
    if (first_other < 0) first_other = db;
    ++count;
    others += (others.empty() ? "" : ", ") + std::to_string(db);
    listed += (listed.empty() ? "" : ", ") + std::to_string(db) + " (" + std::to_string(keys) +
              (keys == 1 ? " key)" : " keys)");
  }
  if (first_other < 0) return;
  redis::Uri example = uri;
  example.db = first_other;
  const char* noun = count == 1 ? "database" : "databases";
  const char* verb = count == 1 ? "holds" : "hold";
  host.logger().warn(
      "{} holds keys in {} {} too: only database {} is copied. Copy each "
      "other database with a run of its own, naming it at the end of both URIs, e.g. riot "
      "replicate {} TARGET/{}",
      seed.describe(), noun, listed, uri.db, example.to_string(), first_other);
  host.add_summary_note(std::string(noun) + " " + others + " of " + seed.describe() + " " + verb +
                        " keys too and " + (count == 1 ? "was" : "were") +
                        " not copied (only database " + std::to_string(uri.db) +
                        "): one riot run per database, with /N in the URIs");
}

}  // namespace riot::scan_plugin
