#include "compare_test_support.hpp"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <regex>
#include <stdexcept>
#include <string_view>

namespace riot::test {

namespace {

// RFC 4648 base64, as the diff report writes a key that is not UTF-8.
std::string decode_base64(std::string_view text) {
  static const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (const char c : text) {
    if (c == '=') break;
    const auto at = alphabet.find(c);
    if (at == std::string::npos) throw std::invalid_argument("not base64: " + std::string(text));
    bits = (bits << 6) | static_cast<unsigned>(at);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xff));
    }
  }
  return out;
}

}  // namespace

std::ostream& operator<<(std::ostream& out, const ComparisonCounts& counts) {
  return out << counts.keys << " keys: " << counts.ok << " ok, " << counts.missing << " missing, "
             << counts.type << " type, " << counts.value << " value, " << counts.ttl << " ttl, "
             << counts.extra << " extra";
}

std::optional<ComparisonCounts> comparison_counts(const ProcessResult& result,
                                                  const std::string& pipeline) {
  const std::regex line(pipeline +
                        R"(: (\d+) keys: (\d+) ok, (\d+) missing, (\d+) type, (\d+) value, )"
                        R"((\d+) ttl, (\d+) extra)");
  std::smatch match;
  // The summary is on stderr; the last such line is the final one.
  std::optional<ComparisonCounts> counts;
  const std::string& text = result.err;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), line); it != std::sregex_iterator();
       ++it) {
    const auto number = [&](int i) { return std::stoll((*it)[i].str()); };
    counts = ComparisonCounts{number(1), number(2), number(3), number(4),
                              number(5), number(6), number(7)};
  }
  return counts;
}

std::vector<ReportedDifference> read_diff_report(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("no diff report at " + path);
  std::vector<ReportedDifference> report;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto object = nlohmann::json::parse(line);
    ReportedDifference difference;
    difference.pipeline = object.at("pipeline");
    difference.pass = object.at("pass");
    difference.difference = object.at("class");
    difference.key = object.contains("key")
                         ? object.at("key").get<std::string>()
                         : decode_base64(object.at("key_base64").get<std::string>());
    difference.detail = object.at("detail");
    difference.in_flight = object.at("in_flight");
    report.push_back(std::move(difference));
  }
  return report;
}

std::map<std::string, std::vector<std::string>> keys_by_class(
    const std::vector<ReportedDifference>& report) {
  std::map<std::string, std::vector<std::string>> keys;
  for (const auto& difference : report) keys[difference.difference].push_back(difference.key);
  for (auto& [name, list] : keys) std::sort(list.begin(), list.end());
  return keys;
}

void write_command(redis::Connection& connection, const std::vector<std::string>& args) {
  const std::vector<std::string_view> views(args.begin(), args.end());
  const redis::Reply reply = connection.command(views);
  ASSERT_FALSE(reply.is_error()) << args.front() << " " << args.at(1) << ": " << reply.str;
}

}  // namespace riot::test
