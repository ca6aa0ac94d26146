// The launcher's --rate, --rate-bytes, --report, --metrics-port and
// --metrics-address: each lands where it belongs (the rate limits in every
// pipeline's runtime settings, which validation accepts), and bad values are
// refused naming the option, before anything connects.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_options.hpp"
#include "help_text.hpp"
#include "pipeline_command.hpp"
#include "rate_options.hpp"
#include "replicate_document.hpp"
#include "replicate_options.hpp"
#include "replicate_syntax.hpp"
#include "run_outputs.hpp"
#include "usage_error.hpp"

namespace riot::app {
namespace {

using nlohmann::json;

ParsedCommand parse_replicate(std::vector<std::string> options) {
  options.insert(options.begin(), {"redis://source:6379", "redis://target:6379"});
  return parse_command(replicate_command_syntax(), options);
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const CommandLineError& error) {
    return error.what();
  }
  return "";
}

TEST(RateOptions, ReadKeyAndByteRatesWithTheirSuffixes) {
  EXPECT_EQ(parse_key_rate("rate", "2500"), 2500u);
  EXPECT_EQ(parse_key_rate("rate", "5k"), 5000u);
  EXPECT_EQ(parse_key_rate("rate", "2M"), 2000000u);
  EXPECT_EQ(parse_byte_rate("rate-bytes", "512"), 512u);
  EXPECT_EQ(parse_byte_rate("rate-bytes", "64K"), 65536u);
  EXPECT_EQ(parse_byte_rate("rate-bytes", "10M"), 10u * 1024 * 1024);
  EXPECT_EQ(parse_byte_rate("rate-bytes", "10MiB"), 10u * 1024 * 1024);
  EXPECT_EQ(parse_byte_rate("rate-bytes", "1gb"), 1024u * 1024 * 1024);
}

TEST(RateOptions, RefuseBadValuesNamingTheOption) {
  EXPECT_NE(error_of([] { parse_key_rate("rate", "fast"); }).find("--rate 'fast'"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_key_rate("rate", "-1"); }).find("--rate '-1'"), std::string::npos);
  EXPECT_NE(error_of([] { parse_byte_rate("rate-bytes", "10X"); }).find("unknown suffix"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_byte_rate("rate-bytes", "99999999G"); }).find("maximum"),
            std::string::npos);
}

TEST(RateOptions, GoIntoEveryPipelineOfTheDocument) {
  // A copy with its verification: two pipelines, both limited.
  const ParsedCommand parsed = parse_replicate({"--rate", "3k", "--rate-bytes", "1M"});
  const json document = replicate_pipeline_document(read_replicate_options(parsed.values));
  ASSERT_TRUE(document.contains("pipelines")) << document.dump(2);
  for (const json& pipeline : document["pipelines"]) {
    EXPECT_EQ(pipeline["runtime"]["rate_keys"], 3000) << pipeline.dump(2);
    EXPECT_EQ(pipeline["runtime"]["rate_bytes"], 1048576) << pipeline.dump(2);
  }
  // Without the options the document has no limit.
  const json unlimited =
      replicate_pipeline_document(read_replicate_options(parse_replicate({}).values));
  EXPECT_EQ(unlimited.dump().find("rate_"), std::string::npos);
}

TEST(ReportOptions, RefuseAReportThatCannotBeWrittenBeforeAnythingRuns) {
  const std::string error = error_of([] {
    read_run_output_options(parse_replicate({"--report", "/no/such/dir/report.json"}).values);
  });
  EXPECT_NE(error.find("--report '/no/such/dir/report.json'"), std::string::npos) << error;
  EXPECT_NE(error.find("does not exist"), std::string::npos) << error;
  const std::filesystem::path directory = std::filesystem::temp_directory_path();
  const std::string is_directory = error_of([&] {
    read_run_output_options(parse_replicate({"--report", directory.string()}).values);
  });
  EXPECT_NE(is_directory.find("it is a directory"), std::string::npos) << is_directory;
}

TEST(MetricsOptions, ReadThePortAndAddressAndRefuseBadOnes) {
  const RunOutputOptions none = read_run_output_options(parse_replicate({}).values);
  EXPECT_FALSE(none.metrics.port);
  EXPECT_FALSE(none.report.report_path);
  const RunOutputOptions given = read_run_output_options(
      parse_replicate({"--metrics-port", "0", "--metrics-address", "::1"}).values);
  EXPECT_EQ(given.metrics.port, 0);
  EXPECT_EQ(given.metrics.address, "::1");
  EXPECT_NE(error_of([] {
              read_run_output_options(parse_replicate({"--metrics-port", "70000"}).values);
            }).find("--metrics-port"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              read_run_output_options(parse_replicate({"--metrics-address", "0.0.0.0"}).values);
            }).find("needs --metrics-port"),
            std::string::npos);
  // riot run takes them too.
  const ParsedCommand run =
      parse_command(run_command_syntax(), {"pipeline.json", "--metrics-port", "9100"});
  EXPECT_EQ(read_run_output_options(run.values).metrics.port, 9100);
}

TEST(ReportOptions, HelpShowsEveryOptionWithItsDefault) {
  for (const CommandSyntax& syntax : {replicate_command_syntax(), run_command_syntax()}) {
    const std::string help = help_text(syntax);
    for (const char* expected :
         {"--report FILE", "(default: none)", "--metrics-port PORT", "(default: no endpoint)",
          "--metrics-address ADDR (=127.0.0.1)", "docs/report.md", "docs/metrics.md"}) {
      EXPECT_NE(help.find(expected), std::string::npos) << syntax.name << ": " << expected;
    }
  }
  const std::string replicate = help_text(replicate_command_syntax());
  for (const char* expected : {"--rate N", "--rate-bytes SIZE", "(default: no limit)"}) {
    EXPECT_NE(replicate.find(expected), std::string::npos) << expected;
  }
}

}  // namespace
}  // namespace riot::app
