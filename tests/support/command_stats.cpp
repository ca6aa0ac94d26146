#include "support/command_stats.hpp"

#include <string>

namespace riot::test {

std::int64_t command_calls(redis::Connection& connection, std::string_view command) {
  const std::string stats = connection.checked({"INFO", "commandstats"}).str;
  const std::string field = "cmdstat_" + std::string(command) + ":calls=";
  const std::size_t at = stats.find(field);
  if (at == std::string::npos) return 0;
  return std::stoll(stats.substr(at + field.size()));
}

}  // namespace riot::test
