// A source.scan copies one database. When others hold keys too, riot says so
// at the start and in the summary, with the way to copy them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/dataset.hpp"
#include "support/process.hpp"
#include "support/redis_server.hpp"

namespace riot::test {
namespace {

TEST(OtherDatabases, AreNamedAtTheStartAndInTheSummary) {
  RedisServer source_server;
  RedisServer target_server;
  for (const int db : {0, 1, 2, 5, 15}) {
    redis::Connection connection = source_server.connect(db);
    write_strings(connection, 10 + db, 8);
  }
  const ProcessResult result =
      run_riot({"replicate", source_server.uri(), target_server.uri(), "--progress", "none"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.summary_count("keys written"), 10);
  const std::string source = "source 127.0.0.1:" + std::to_string(source_server.port());
  EXPECT_TRUE(result.mentions(source +
                              " holds keys in databases 1 (11 keys), 2 (12 keys), 5 (15 keys), 15 "
                              "(25 keys) too: only database 0 is copied"))
      << result.describe();
  EXPECT_TRUE(result.mentions("e.g. riot replicate redis://127.0.0.1:" +
                              std::to_string(source_server.port()) + "/1 TARGET/1"))
      << result.describe();
  EXPECT_TRUE(result.mentions("Note: databases 1, 2, 5, 15 of " + source +
                              " hold keys too and were not copied (only database 0)"))
      << result.describe();
}

TEST(OtherDatabases, CopyingANonZeroDatabaseNamesDatabaseZero) {
  RedisServer source_server;
  RedisServer target_server;
  redis::Connection db0 = source_server.connect(0);
  redis::Connection db3 = source_server.connect(3);
  write_strings(db0, 7, 8);
  write_strings(db3, 4, 8);
  const ProcessResult result =
      run_riot({"replicate", source_server.uri(3), target_server.uri(3), "--progress", "none"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.summary_count("keys written"), 4);
  EXPECT_TRUE(result.mentions("holds keys in database 0 (7 keys) too: only database 3 is copied"))
      << result.describe();
  EXPECT_TRUE(result.mentions("Note: database 0 of ")) << result.describe();
  EXPECT_TRUE(result.mentions(" holds keys too and was not copied (only database 3)"))
      << result.describe();
}

TEST(OtherDatabases, NothingIsSaidWhenOnlyTheCopiedDatabaseHoldsKeys) {
  RedisServer source_server;
  RedisServer target_server;
  redis::Connection db0 = source_server.connect(0);
  write_strings(db0, 5, 8);
  const ProcessResult result =
      run_riot({"replicate", source_server.uri(), target_server.uri(), "--progress", "none"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_FALSE(result.mentions("keys too")) << result.describe();
  EXPECT_FALSE(result.mentions("holds keys in")) << result.describe();
}

}  // namespace
}  // namespace riot::test
