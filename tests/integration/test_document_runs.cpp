// Documents run through `riot run` with the real plugins against real
// servers: a snapshot then a verification in one document, the diff report
// of a binary key, repair (with and without the extra keys) making the
// databases equal by the tests' own comparison, and the exit codes.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "snapshot_test_fixture.hpp"
#include "support/dataset.hpp"
#include "support/process.hpp"

namespace riot::test {
namespace {

using nlohmann::json;

class DocumentRunTest : public SnapshotTest {
 protected:
  // The comparison components come with plugins/compare; a tree without it
  // (a branch of the framework alone) cannot run these documents.
  void SetUp() override {
    const ProcessResult plugins = run_riot({"plugins"});
    if (plugins.out.find("comparator.redis") == std::string::npos ||
        plugins.out.find("codec.digest") == std::string::npos) {
      GTEST_SKIP() << "comparator.redis and codec.digest are not built";
    }
  }
  void TearDown() override { std::filesystem::remove(report_); }

  json copy_pipeline() const {
    return {{"name", "snapshot"},
            {"stages",
             {{"source", {{"component", "source.scan"}, {"config", {{"uri", source_->uri()}}}}},
              {"reader", {{"component", "codec.dump"}, {"config", {{"uri", source_->uri()}}}}},
              {"sink", {{"component", "sink.restore"}, {"config", {{"uri", target_->uri()}}}}}}}};
  }

  // Compares the target with the source, finds the extra keys; repairs
  // when asked.
  json verify_pipeline(bool repair = false, bool repair_extra = false) const {
    const json source_reader = {{"component", "codec.dump"},
                                {"config", {{"uri", source_->uri()}, {"erase_missing", true}}}};
    json stages = {
        {"source", {{"component", "source.scan"}, {"config", {{"uri", source_->uri()}}}}},
        {"reader", source_reader},
        {"comparator",
         {{"component", "comparator.redis"},
          {"config", {{"uri", target_->uri()}, {"source", {{"uri", source_->uri()}}}}}}},
        {"extras",
         {{"source", {{"component", "source.scan"}, {"config", {{"uri", target_->uri()}}}}},
          {"reader",
           {{"component", "codec.digest"},
            {"config", {{"uri", source_->uri()}, {"read", "presence"}}}}}}}};
    if (repair) {
      stages["repair"] = {
          {"reader", source_reader},
          {"sink", {{"component", "sink.restore"}, {"config", {{"uri", target_->uri()}}}}},
          {"extra", repair_extra}};
    }
    return {{"name", "verify"},
            {"stages", stages},
            {"comparison", {{"show_diffs", true}, {"diff_report", report_.string()}}}};
  }

  ProcessResult run_document(const json& document) {
    ProcessOptions options;
    options.stdin_data = document.dump();
    return run_riot({"--progress", "none", "run", "-"}, options);
  }

  static json document_of(std::vector<json> pipelines) {
    return {{"version", 1}, {"pipelines", std::move(pipelines)}};
  }

  std::vector<json> report_lines() const {
    std::vector<json> lines;
    std::ifstream in(report_);
    for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
    return lines;
  }

  // A target that differs from the source in every way a comparison tells.
  void make_differences() {
    redis::Connection source = source_->connect();
    redis::Connection target = target_->connect();
    source.command({"SET", "same", "1"});
    target.command({"SET", "same", "1"});
    source.command({"SET", "changed", "new"});
    target.command({"SET", "changed", "old"});
    source.command({"HSET", "typed", "f", "v"});
    target.command({"SET", "typed", "v"});
    source.command({"SET", binary_key_, "binary"});
    source.command({"SET", "ttl", "v", "EX", "1000"});
    target.command({"SET", "ttl", "v"});
    target.command({"SET", "extra", "x"});
  }

  const std::string binary_key_ = std::string("bin\xff\0\r\nkey", 10);
  const std::filesystem::path report_ =
      std::filesystem::temp_directory_path() /
      ("riot-document-runs-" + std::to_string(::getpid()) + ".jsonl");
};

TEST_F(DocumentRunTest, ASnapshotThenItsVerificationInOneDocument) {
  redis::Connection source = source_->connect();
  redis::Connection target = target_->connect();
  const std::size_t keys = write_every_type_dataset(source, DatasetOptions{false, 200, 7});
  const ProcessResult result = run_document(document_of({copy_pipeline(), verify_pipeline()}));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("Pipeline snapshot:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("Pipeline verify:"), std::string::npos) << result.err;
  const std::string counts = std::to_string(keys);
  EXPECT_NE(result.err.find("verify: " + counts + " keys: " + counts +
                            " ok, 0 missing, 0 type, 0 value, 0 ttl, 0 extra\n"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(result.out, "") << "no difference shown";
  const std::vector<std::string> differences = compare_databases(source, target);
  EXPECT_TRUE(differences.empty()) << summarize(differences);
}

TEST_F(DocumentRunTest, FindsEveryClassWritesTheReportAndExitsWithFour) {
  make_differences();
  const ProcessResult result = run_document(document_of({verify_pipeline()}));
  EXPECT_EQ(result.exit_code, 4) << result.err;
  EXPECT_NE(result.err.find("verify: 6 keys: 1 ok, 1 missing, 1 type, 1 value, 1 ttl, 1 extra"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.out.find("missing \"bin\\xff\\x00\\r\\nkey\""), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("extra \"extra\""), std::string::npos) << result.out;

  const std::vector<json> lines = report_lines();
  ASSERT_EQ(lines.size(), 5u) << result.err;
  bool binary_found = false;
  for (const json& line : lines) {
    EXPECT_EQ(line["pipeline"], "verify");
    EXPECT_EQ(line["pass"], "compare");
    if (line.contains("key_base64")) {
      binary_found = true;
      EXPECT_EQ(line["key_base64"], "Ymlu/wANCmtleQ==");
      EXPECT_EQ(line["class"], "missing");
    }
  }
  EXPECT_TRUE(binary_found);
  redis::Connection target = target_->connect();
  EXPECT_EQ(target.command({"GET", "changed"}).str, "old") << "a comparison changes nothing";
}

TEST_F(DocumentRunTest, RepairMakesTheDatabasesEqual) {
  make_differences();
  const ProcessResult result = run_document(document_of({verify_pipeline(true, true)}));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("repair: 4 keys copied again, 1 deleted; compared again: 4 ok, 0 "
                            "still differ"),
            std::string::npos)
      << result.err;
  redis::Connection source = source_->connect();
  redis::Connection target = target_->connect();
  const std::vector<std::string> differences = compare_databases(source, target);
  EXPECT_TRUE(differences.empty()) << summarize(differences);
}

TEST_F(DocumentRunTest, RepairLeavesTheExtraKeysUnlessAskedAndExitsWithFour) {
  make_differences();
  const ProcessResult result = run_document(document_of({verify_pipeline(true, false)}));
  EXPECT_EQ(result.exit_code, 4) << result.err;
  EXPECT_NE(result.err.find("0 ttl, 1 extra"), std::string::npos) << result.err;
  redis::Connection source = source_->connect();
  redis::Connection target = target_->connect();
  const std::vector<std::string> differences = compare_databases(source, target);
  ASSERT_EQ(differences.size(), 1u) << summarize(differences);
  EXPECT_NE(differences.front().find("extra"), std::string::npos) << differences.front();
}

TEST_F(DocumentRunTest, AFatalErrorStopsTheDocumentAndAnUnwritableReportIsAUsageError) {
  json copy = copy_pipeline();
  copy["stages"]["sink"]["config"]["uri"] = "redis://127.0.0.1:1";  // nothing listens
  ProcessResult result = run_document(document_of({copy, verify_pipeline()}));
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_EQ(result.err.find("Pipeline verify:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("Not run: pipelines after 'snapshot'"), std::string::npos);

  json verify = verify_pipeline();
  verify["comparison"]["diff_report"] = "/nonexistent-riot-dir/diffs.jsonl";
  result = run_document(document_of({copy_pipeline(), verify}));
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("/pipelines/1/comparison/diff_report: cannot create the diff report "
                            "'/nonexistent-riot-dir/diffs.jsonl'"),
            std::string::npos)
      << result.err;
  redis::Connection target = target_->connect();
  EXPECT_EQ(target.command({"DBSIZE"}).integer, 0) << "nothing ran";
}

}  // namespace
}  // namespace riot::test
