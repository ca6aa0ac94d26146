// ValueWriter's command groups and how it judges their replies, without a
// server: which transaction each kind of record becomes (whole, chunked into
// a staging key, merged, replace=false), and which error a refused
// transaction reports.
#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <string>
#include <vector>

#include "riot/values/value_writer.hpp"
#include "struct/hash_datatype.hpp"
#include "struct/string_datatype.hpp"

namespace riot::values {
namespace {

class DatatypeHost final : public HostContext {
 public:
  spdlog::logger& logger() override { return logger_; }
  Metrics& metrics() override { return metrics_; }
  const CancellationToken& cancellation() const override { return cancellation_; }
  void report_failure(std::string_view key, std::string_view error) override {
    failures.emplace_back(std::string(key) + ": " + std::string(error));
  }
  const Datatype* datatype(std::string_view type) override {
    if (type == "hash") return &hash_;
    if (type == "string") return &string_;
    return nullptr;
  }

  std::vector<std::string> failures;

 private:
  spdlog::logger logger_{"test", std::make_shared<spdlog::sinks::null_sink_mt>()};
  Metrics metrics_;
  CancellationToken cancellation_;
  struct_plugin::HashDatatype hash_;
  struct_plugin::StringDatatype string_;
};

Record hash_record(ValueChunk chunk, std::vector<std::string> parts = {"f", "v"}) {
  Record record;
  record.key = "h";
  record.kind = RecordKind::value;
  record.type = "hash";
  record.parts = std::move(parts);
  record.chunk = chunk;
  return record;
}

// The commands' names and first arguments, "MULTI|DEL h|HSET h|EXEC".
std::string outline(const redis::KeyedCommands& commands) {
  std::string text;
  for (std::size_t i = 0; i < commands.size(); ++i) {
    const std::string encoded = commands.encoded(i);
    // *N\r\n$len\r\nNAME\r\n$len\r\nARG\r\n
    std::vector<std::string> args;
    std::size_t at = encoded.find("\r\n") + 2;
    while (at < encoded.size() && args.size() < 2) {
      const std::size_t end = encoded.find("\r\n", at);
      const std::size_t length = std::stoul(encoded.substr(at + 1, end - at - 1));
      args.push_back(encoded.substr(end + 2, length));
      at = end + 2 + length + 2;
    }
    if (!text.empty()) text += '|';
    text += args[0];
    if (args.size() > 1) text += ' ' + args[1];
  }
  return text;
}

redis::Reply status(std::string text) {
  redis::Reply reply;
  reply.type = redis::ReplyType::status;
  reply.str = std::move(text);
  return reply;
}

redis::Reply error(std::string text) {
  redis::Reply reply;
  reply.type = redis::ReplyType::error;
  reply.str = std::move(text);
  return reply;
}

TEST(ValueWriter, OverwriteOfAWholeValueIsOneTransaction) {
  DatatypeHost host;
  ValueWriter writer({}, true, host);
  redis::KeyedCommands commands;
  const Record record = hash_record({0, true});
  ASSERT_EQ(writer.append(record, commands), 4u);
  EXPECT_EQ(outline(commands), "MULTI|DEL h|HSET h|EXEC");
}

TEST(ValueWriter, ChunksAreStagedInTheKeySlotAndRenamedByTheLast) {
  DatatypeHost host;
  ValueWriter writer({}, true, host);
  const std::string staging = writer.staging_key("h", 7);
  redis::KeyedCommands commands;
  ASSERT_EQ(writer.append(hash_record({0, false, 7}), commands), 4u);
  EXPECT_EQ(outline(commands), "MULTI|DEL " + staging + "|HSET " + staging + "|EXEC");
  commands.clear();
  ASSERT_EQ(writer.append(hash_record({1, true, 7}), commands), 4u);
  EXPECT_EQ(outline(commands), "MULTI|HSET " + staging + "|RENAME " + staging + "|EXEC");
}

TEST(ValueWriter, RefusedTransactionReportsTheQueuedError) {
  DatatypeHost host;
  ValueWriter writer({}, true, host);
  redis::KeyedCommands commands;
  const Record record = hash_record({0, true});
  ASSERT_EQ(writer.append(record, commands), 4u);
  const std::vector<redis::Reply> replies{
      status("OK"), status("QUEUED"),
      error("OOM command not allowed when used memory > 'maxmemory'."),
      error("EXECABORT Transaction discarded because of previous errors.")};
  const WriteJudgement judgement = writer.judge(record, replies);
  EXPECT_EQ(judgement.verdict, WriteJudgement::Verdict::failed);
  EXPECT_EQ(judgement.error_reply, "OOM command not allowed when used memory > 'maxmemory'.");
  EXPECT_EQ(judgement.error, "hash write refused: " + judgement.error_reply);
}

TEST(ValueWriter, ReplaceFalseLeavesAnExistingKeyAlone) {
  DatatypeHost host;
  ValueWriter writer({}, false, host);
  redis::KeyedCommands commands;
  const Record record = hash_record({0, true});
  ASSERT_EQ(writer.append(record, commands), 6u);
  const std::string staging = writer.staging_key("h", 0);
  EXPECT_EQ(outline(commands), "MULTI|DEL " + staging + "|HSET " + staging + "|RENAMENX " +
                                   staging + "|DEL " + staging + "|EXEC");
  redis::Reply exec;
  exec.type = redis::ReplyType::array;
  exec.elements.resize(4);
  for (redis::Reply& reply : exec.elements) reply.type = redis::ReplyType::integer;
  exec.elements[2].integer = 0;  // RENAMENX: the key exists
  std::vector<redis::Reply> replies(5, status("QUEUED"));
  replies.front() = status("OK");
  replies.push_back(exec);
  const WriteJudgement judgement = writer.judge(record, replies);
  EXPECT_EQ(judgement.verdict, WriteJudgement::Verdict::left_alone);
  EXPECT_TRUE(judgement.error.empty());
}

TEST(ValueWriter, AChunkFailedForGoodSkipsTheRestAndDiscardsItsStagingKey) {
  DatatypeHost host;
  ValueWriter writer({}, true, host);
  redis::KeyedCommands commands;
  ASSERT_GT(writer.append(hash_record({0, false, 9}), commands), 0u);
  writer.abandon(hash_record({1, false, 9}));
  EXPECT_EQ(writer.append(hash_record({2, false, 9}), commands), 0u);
  EXPECT_EQ(writer.append(hash_record({3, true, 9}), commands), 0u);
  EXPECT_EQ(writer.take_discards(), std::vector<std::string>{writer.staging_key("h", 9)});
  EXPECT_TRUE(host.failures.empty());  // the caller reported the failure
}

TEST(ValueWriter, MergeAddsInPlaceAndAppliesTheSourceTtl) {
  DatatypeHost host;
  ValueWriter writer({MergePolicy::merge, StreamIdPolicy::propagate}, true, host);
  redis::KeyedCommands commands;
  Record record = hash_record({0, true});
  record.expiry = Expiry::after(60000, Expiry::Clock::now());
  ASSERT_EQ(writer.append(record, commands), 4u);
  EXPECT_EQ(outline(commands), "MULTI|HSET h|PEXPIRE h|EXEC");
}

TEST(ValueWriter, ATypeNoDatatypeServesIsReported) {
  DatatypeHost host;
  ValueWriter writer({}, true, host);
  redis::KeyedCommands commands;
  Record record = hash_record({0, true});
  record.type = "ReJSON-RL";
  EXPECT_EQ(writer.append(record, commands), 0u);
  ASSERT_EQ(host.failures.size(), 1u);
  EXPECT_NE(host.failures[0].find("datatype.ReJSON-RL"), std::string::npos);
}

}  // namespace
}  // namespace riot::values
