// RIOT's command lines turned into riot's own (riot_forms.hpp): every form
// RIOT 2, RIOT 3 and RIOT-X documented, the shorthands, and the refusals.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "read_from_option.hpp"
#include "riot_forms.hpp"
#include "usage_error.hpp"

namespace riot::app {
namespace {

using Words = std::vector<std::string>;

Words riot(const Words& words) {
  return translate_riot_forms(RiotFlavour::riot, words);
}

// The message of the CommandLineError the words cause ("" if none).
std::string refusal(const Words& words, RiotFlavour flavour = RiotFlavour::riot) {
  try {
    translate_riot_forms(flavour, words);
  } catch (const CommandLineError& error) {
    return error.what();
  }
  return "";
}

TEST(RiotForms, RiotsOwnFormIsUnchanged) {
  const Words words{"-q",   "replicate",      "redis://a:1", "redis://b:2",   "--mode",
                    "live", "--read-threads", "8",           "--source-pass", "-x-"};
  EXPECT_EQ(riot(words), (Words{"replicate", "-q", "--mode", "live", "--read-threads", "8",
                                "--source-pass", "-x-", "redis://a:1", "redis://b:2"}));
  EXPECT_EQ(riot({"run", "pipeline.json"}), (Words{"run", "pipeline.json"}));
  EXPECT_EQ(riot({"--version"}), (Words{"--version"}));
}

TEST(RiotForms, Riot2And3HostAndPortOptionsNameBothSides) {
  // redis.io's RIOT page: `riot -h source -p 6379 replicate -h target -p 6380 --batch 10`.
  EXPECT_EQ(riot({"-h", "source", "-p", "6379", "replicate", "-h", "target", "-p", "6380",
                  "--batch", "10"}),
            (Words{"replicate", "--read-batch", "10", "--write-batch", "10", "redis://source:6379",
                   "redis://target:6380"}));
  EXPECT_EQ(riot({"-h", "src", "-p", "7000", "-a", "pw", "-n", "3", "-c", "--tls", "replicate",
                  "-h", "dst", "-a", "pw2", "-n", "5", "--user", "bob"}),
            (Words{"replicate", "--source-pass", "pw", "--source-cluster", "--source-tls",
                   "--target-pass", "pw2", "--target-user", "bob", "redis://src:7000/3",
                   "redis://dst:6379/5"}));
}

TEST(RiotForms, MissingHostOrPortTakeRiotsDefaults) {
  EXPECT_EQ(riot({"-p", "6380", "replicate", "-h", "dst"}),
            (Words{"replicate", "redis://127.0.0.1:6380", "redis://dst:6379"}));
  EXPECT_EQ(riot({"-h", "::1", "replicate", "-h", "dst"}),
            (Words{"replicate", "redis://[::1]:6379", "redis://dst:6379"}));
}

TEST(RiotForms, UriOptionsOnBothSides) {
  EXPECT_EQ(riot({"-u", "redis://src:1", "replicate", "-u", "redis://dst:2"}),
            (Words{"replicate", "redis://src:1", "redis://dst:2"}));
  // riot-redis -r URI replicate -r URI --live
  EXPECT_EQ(translate_riot_forms(RiotFlavour::riot_redis, {"-r", "redis://src:1", "replicate", "-r",
                                                           "redis://dst:2", "--live"}),
            (Words{"replicate", "--mode", "live", "redis://src:1", "redis://dst:2"}));
  EXPECT_EQ(riot({"--uri=redis://src:1", "replicate", "--uri", "dst:2"}),
            (Words{"replicate", "redis://src:1", "redis://dst:2"}));
}

TEST(RiotForms, Riot3TargetUriMakesThePlainOptionsTheSources) {
  EXPECT_EQ(riot({"replicate", "--uri", "redis://source", "--target-uri", "redis://target",
                  "--mode", "live"}),
            (Words{"replicate", "--mode", "live", "redis://source", "redis://target"}));
}

TEST(RiotForms, RiotXPrefixedHostAndPort) {
  EXPECT_EQ(riot({"replicate", "--source-host", "src", "--source-port", "6379", "--source-user",
                  "me", "--source-pass", "pw", "--target-uri", "rediss://dst:6380"}),
            (Words{"replicate", "--source-user", "me", "--source-pass", "pw", "redis://src:6379",
                   "rediss://dst:6380"}));
  EXPECT_EQ(riot({"replicate", "redis://src:6379", "--target-host", "dst", "--target-port", "6380",
                  "--target-tls", "--target-timeout", "10"}),
            (Words{"replicate", "--target-tls", "--timeout", "10", "redis://src:6379",
                   "redis://dst:6380"}));
}

TEST(RiotForms, HostAndPortWithoutASchemeAreUris) {
  EXPECT_EQ(riot({"replicate", "localhost:6379", "10.0.0.7:6380"}),
            (Words{"replicate", "redis://localhost:6379", "redis://10.0.0.7:6380"}));
  EXPECT_EQ(endpoint_uri("[::1]:6379"), "redis://[::1]:6379");
  EXPECT_EQ(endpoint_uri("rediss://h:1"), "rediss://h:1");
  EXPECT_EQ(endpoint_uri("redis-socket:///tmp/r.sock"), "redis-socket:///tmp/r.sock");
  EXPECT_EQ(endpoint_uri("h:port"), "h:port") << "not a port: left for the URI parser to name";
}

TEST(RiotForms, SocketsAndShortOptionsWithAttachedValues) {
  EXPECT_EQ(riot({"-s", "/tmp/a.sock", "-n", "2", "replicate", "-hdst", "-p6380"}),
            (Words{"replicate", "redis-socket:///tmp/a.sock?db=2", "redis://dst:6380"}));
}

TEST(RiotForms, DashHIsHelpWhereItCannotBeAHost) {
  EXPECT_EQ(riot({"-h"}), (Words{"-h"})) << "no command: riot's own -h, its help";
  EXPECT_EQ(riot({"replicate", "-h"}), (Words{"replicate", "--help"}));
  EXPECT_EQ(riot({"-h", "replicate"}), (Words{"replicate", "--help"}));
  EXPECT_EQ(riot({"replicate", "-h", "--mode", "live"}),
            (Words{"replicate", "--help", "--mode", "live"}));
  EXPECT_EQ(riot({"replicate", "-h", "redis://a", "redis://b"}),
            (Words{"replicate", "--help", "redis://a", "redis://b"}));
  EXPECT_EQ(riot({"--help", "-h", "h1", "replicate"}),
            (Words{"replicate", "--help", "redis://h1:6379"}));
}

TEST(RiotForms, ShorthandsStandForRiotsOptions) {
  EXPECT_EQ(riot({"replicate", "a:1", "b:2", "--threads", "3", "--read-threads", "5"}),
            (Words{"replicate", "--read-threads", "5", "--write-threads", "3", "redis://a:1",
                   "redis://b:2"}))
      << "the explicit option wins over the shorthand";
  EXPECT_EQ(riot({"replicate", "a:1", "b:2", "-V"}),
            (Words{"replicate", "--version", "redis://a:1", "redis://b:2"}));
  EXPECT_EQ(riot({"-V"}), (Words{"--version"}));
  EXPECT_EQ(
      riot({"replicate", "--struct", "--mode", "live", "a:1", "b:2"}),
      (Words{"replicate", "--mode", "live", "--type", "struct", "redis://a:1", "redis://b:2"}));
  // RIOT 3's --type is a switch; RIOT 2's takes a value.
  EXPECT_EQ(riot({"-h", "s", "replicate", "--type", "-h", "t"}),
            (Words{"replicate", "--type", "struct", "redis://s:6379", "redis://t:6379"}));
  EXPECT_EQ(riot({"-h", "s", "replicate", "--type", "ds", "-h", "t"}),
            (Words{"replicate", "--type", "ds", "redis://s:6379", "redis://t:6379"}));
  EXPECT_EQ(
      riot({"replicate", "a:1", "b:2", "--compare", "none", "--key-slot", "0:100"}),
      (Words{"replicate", "--no-verify", "--key-slots", "0:100", "redis://a:1", "redis://b:2"}));
  EXPECT_EQ(riot({"compare", "a:1", "b:2", "--quick"}),
            (Words{"replicate", "--mode", "compare", "--compare", "quick", "redis://a:1",
                   "redis://b:2"}));
  EXPECT_EQ(riot({"-h", "s", "replicate-ds", "-h", "t", "--live"}),
            (Words{"replicate", "--type", "struct", "--mode", "live", "redis://s:6379",
                   "redis://t:6379"}));
}

TEST(RiotForms, RiotTwosTtlToleranceIsInSeconds) {
  EXPECT_EQ(translate_riot_forms(RiotFlavour::riot_redis,
                                 {"replicate", "a:1", "b:2", "--ttl-tolerance", "2"}),
            (Words{"replicate", "--ttl-tolerance", "2000", "redis://a:1", "redis://b:2"}));
  EXPECT_EQ(riot({"replicate", "a:1", "b:2", "--ttl-tolerance", "2"}),
            (Words{"replicate", "--ttl-tolerance", "2", "redis://a:1", "redis://b:2"}));
}

TEST(RiotForms, TimeoutsOfBothSidesAreOne) {
  EXPECT_EQ(riot({"-h", "s", "--timeout", "5", "replicate", "-h", "t", "--timeout", "5"}),
            (Words{"replicate", "--timeout", "5", "redis://s:6379", "redis://t:6379"}));
  EXPECT_NE(refusal({"-h", "s", "--timeout", "5", "replicate", "-h", "t", "--timeout", "9"})
                .find("one command timeout"),
            std::string::npos);
}

TEST(RiotForms, ReadFromOfEitherSide) {
  EXPECT_EQ(riot({"--read-from", "REPLICA", "-h", "s", "replicate", "-h", "t"}),
            (Words{"replicate", "--read-from", "REPLICA", "redis://s:6379", "redis://t:6379"}));
  EXPECT_EQ(riot({"replicate", "a:1", "b:2", "--source-read-from", "any", "--target-read-from",
                  "UPSTREAM"}),
            (Words{"replicate", "--read-from", "any", "redis://a:1", "redis://b:2"}));
  EXPECT_NE(refusal({"replicate", "a:1", "b:2", "--target-read-from", "replica"})
                .find("--target-read-from replica: riot reads the target from its masters"),
            std::string::npos);
}

TEST(RiotForms, RefusalsSayTheRiotWay) {
  struct Case {
    Words words;
    const char* expected;
  };
  for (const Case& c : std::vector<Case>{
           {{"replicate", "a:1", "b:2", "--multi-exec"}, "--multi-exec (RIOT) has no riot"},
           {{"replicate", "a:1", "b:2", "--sleep", "5"}, "--rate N"},
           {{"--stacktrace", "replicate", "a:1", "b:2"}, "-d logs at debug level"},
           {{"-h", "s", "-a", "replicate", "-h", "t"}, "riot never prompts"},
           {{"-u", "redis://s", "-n", "3", "replicate", "t:1"}, "redis://host:port/3"},
           {{"-u", "redis://s", "-h", "x", "replicate", "t:1"}, "either a URI or -h/-p"},
           {{"-p", "63x", "replicate", "t:1"}, "invalid value '63x' for -p/--port"},
           {{"replicate", "--live", "--mode", "scan", "a:1", "b:2"},
            "--live contradicts --mode scan"},
           {{"replicate", "-h", "t"}, "missing SOURCE"},
           {{"replicate", "a:1", "b:2", "--ks", "f"}, "PEM files"},
       }) {
    const std::string message = refusal(c.words);
    EXPECT_NE(message.find(c.expected), std::string::npos) << c.expected << ": " << message;
  }
}

TEST(ReadFromOption, RiotsAndLettucesNamesMapWhereRiotHasTheMeaning) {
  for (const auto& [given, canonical] :
       std::vector<std::pair<std::string, std::string>>{{"MASTER", "master"},
                                                        {"upstream", "master"},
                                                        {"replica", "replica"},
                                                        {"SLAVE", "replica"},
                                                        {"ANY_REPLICA", "replica"},
                                                        {"any-replica", "replica"},
                                                        {"REPLICA_PREFERRED", "replica-preferred"},
                                                        {"slave_preferred", "replica-preferred"},
                                                        {"Any", "any"}})
    EXPECT_EQ(read_from_option(given), canonical) << given;
  for (const auto& [given, advice] : std::vector<std::pair<std::string, std::string>>{
           {"MASTER_PREFERRED", "use master"},
           {"upstream_preferred", "use master"},
           {"LOWEST_LATENCY", "does not measure the latency"},
           {"nearest", "use any"},
           {"primary", "expected master, replica, replica-preferred or any"}}) {
    try {
      read_from_option(given);
      ADD_FAILURE() << given << " was accepted";
    } catch (const CommandLineError& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find(given), std::string::npos) << message;
      EXPECT_NE(message.find(advice), std::string::npos) << message;
    }
  }
}

TEST(RiotForms, ProgramNamesSelectTheFlavour) {
  EXPECT_EQ(flavour_of_program("/usr/bin/riot-redis"), RiotFlavour::riot_redis);
  EXPECT_EQ(flavour_of_program("riotx"), RiotFlavour::riotx);
  EXPECT_EQ(flavour_of_program("build/bin/riot"), RiotFlavour::riot);
}

}  // namespace
}  // namespace riot::app
