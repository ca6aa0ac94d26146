// What riot makes of a server's error reply: retry it, fail the one key, or
// stop the run with a message naming the side, the cause and the remedy. The
// replies are the texts of Redis 7.0 and 7.2 (the integration tests get them
// from real servers: test_target_refusals.cpp).
#include <gtest/gtest.h>

#include <string>

#include "riot/redis/errors.hpp"

namespace riot::redis {
namespace {

const RefusalContext kTarget{"target", false};
const RefusalContext kTargetCluster{"target", true};
const RefusalContext kSource{"source", false};

RefusalScope scope_of(const std::string& reply, const RefusalContext& context = kTarget) {
  return classify_error_reply(reply, context).scope;
}

TEST(RefusalClassification, TransientRefusalsMayPassLater) {
  for (const char* reply :
       {"OOM command not allowed when used memory > 'maxmemory'.",
        "LOADING Redis is loading the dataset in memory", "BUSY Redis is busy running a script.",
        "TRYAGAIN Multiple keys request during rehashing of slot",
        "CLUSTERDOWN The cluster is down", "NOREPLICAS Not enough good replicas to write.",
        "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."})
    EXPECT_EQ(scope_of(reply), RefusalScope::transient) << reply;
  EXPECT_EQ(scope_of("MOVED 3999 127.0.0.1:6381", kTargetCluster), RefusalScope::transient);
  EXPECT_EQ(scope_of("ASK 3999 127.0.0.1:6381", kTargetCluster), RefusalScope::transient);
}

TEST(RefusalClassification, KeySpecificRefusalsConcernOneKey) {
  for (const char* reply :
       {"BUSYKEY Target key name already exists.",
        "WRONGTYPE Operation against a key holding the wrong kind of value", "ERR Bad data format",
        "ERR Invalid TTL value, must be >= 0",
        "NOPERM this user has no permissions to access one of the keys used as arguments",
        "NOPERM No permissions to access a key", "ERR something riot has never heard of", ""})
    EXPECT_EQ(scope_of(reply), RefusalScope::key) << reply;
}

TEST(RefusalClassification, ServerRefusalsNameTheCauseAndTheRemedy) {
  const Refusal read_only =
      classify_error_reply("READONLY You can't write against a read only replica.", kTarget);
  EXPECT_EQ(read_only.scope, RefusalScope::server);
  EXPECT_EQ(read_only.meaning,
            "is a read-only replica (READONLY You can't write against a read only replica.)");
  EXPECT_EQ(read_only.remedy, "point TARGET at the master");

  const Refusal no_restore = classify_error_reply(
      "NOPERM this user has no permissions to run the 'restore' command", kTarget);
  EXPECT_EQ(no_restore.scope, RefusalScope::server);
  EXPECT_NE(no_restore.meaning.find("refuses RESTORE to this user"), std::string::npos);
  EXPECT_NE(no_restore.remedy.find("+restore"), std::string::npos) << no_restore.remedy;
  // Redis 7.2 names the user.
  EXPECT_EQ(scope_of("NOPERM User riot has no permissions to run the 'dump' command", kSource),
            RefusalScope::server);

  const Refusal unknown = classify_error_reply(
      "ERR unknown command 'RESTORE', with args beginning with: 'k' ", kTarget);
  EXPECT_EQ(unknown.scope, RefusalScope::server);
  EXPECT_NE(unknown.meaning.find("does not know the command RESTORE"), std::string::npos);
  EXPECT_NE(unknown.remedy.find("allow RESTORE on TARGET"), std::string::npos) << unknown.remedy;
  EXPECT_EQ(unknown.meaning.find("with args"), std::string::npos)
      << "not the key and payload of one command: " << unknown.meaning;
  // Before Redis 6.2 the name was quoted with backquotes.
  EXPECT_NE(classify_error_reply("ERR unknown command `DUMP`, with args beginning with: ", kSource)
                .meaning.find("the command DUMP"),
            std::string::npos);

  const Refusal moved = classify_error_reply("MOVED 3999 127.0.0.1:6381", kTarget);
  EXPECT_EQ(moved.scope, RefusalScope::server) << "a cluster taken for a single server";
  EXPECT_NE(moved.remedy.find("--target-cluster"), std::string::npos) << moved.remedy;

  for (const char* reply : {"ERR DUMP payload version or checksum are wrong",
                            "WRONGPASS invalid username-password pair or user is disabled.",
                            "NOAUTH Authentication required.",
                            "MISCONF Redis is configured to save RDB snapshots, but it's "
                            "currently unable to persist to disk.",
                            "ERR syntax error"})
    EXPECT_EQ(scope_of(reply), RefusalScope::server) << reply;
}

TEST(RefusalClassification, TheMessageIsOneSentenceAboutTheEndpoint) {
  const ServerRefusalError error(
      "target 127.0.0.1:6380",
      classify_error_reply("READONLY You can't write against a read only replica.", kTarget));
  EXPECT_STREQ(error.what(),
               "target 127.0.0.1:6380 is a read-only replica (READONLY You can't write against a "
               "read only replica.): point TARGET at the master");
  EXPECT_EQ(error.endpoint(), "target 127.0.0.1:6380");
}

TEST(RefusalClassification, AnOversizedArgumentIsRecognised) {
  EXPECT_TRUE(is_oversized_argument_reply("ERR Protocol error: invalid bulk length"));
  EXPECT_FALSE(is_oversized_argument_reply("ERR Protocol error: invalid multibulk length"));
}

}  // namespace
}  // namespace riot::redis
