// Sentinel URIs and connection settings without a server: how
// redis-sentinel:// is read and printed, how the sentinel settings of a
// component's configuration and the launcher's --source-sentinel-* options
// reach ConnectionOptions, and which mistakes are refused naming the URI or
// the option (with no password shown).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli_options.hpp"
#include "replicate_document.hpp"
#include "replicate_options.hpp"
#include "replicate_syntax.hpp"
#include "riot/redis/connection_options.hpp"
#include "riot/redis/errors.hpp"
#include "riot/redis/uri.hpp"
#include "unit/replicate_command_line.hpp"
#include "usage_error.hpp"

namespace riot {
namespace {

using nlohmann::json;
using redis::ConnectionOptions;
using redis::HostPort;
using redis::Scheme;
using redis::Uri;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string parse_error(const std::string& text) {
  try {
    Uri::parse(text);
  } catch (const redis::UriError& error) {
    return error.what();
  }
  return "";
}

std::string config_error(const json& config) {
  try {
    ConnectionOptions::from_config(config, "source");
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

TEST(SentinelUri, ListsTheSentinelsWithTheirDefaultPort) {
  const Uri uri = Uri::parse("redis-sentinel://u:pw@s1:26380,s2,[::1]:5000/3?master=mymaster");
  EXPECT_TRUE(uri.is_sentinel());
  EXPECT_EQ(uri.scheme, Scheme::tcp);
  EXPECT_EQ(uri.sentinels, (std::vector<HostPort>{{"s1", 26380}, {"s2", 26379}, {"::1", 5000}}));
  EXPECT_EQ(uri.sentinel_master, "mymaster");
  EXPECT_EQ(uri.user, "u");
  EXPECT_EQ(uri.password, "pw");
  EXPECT_EQ(uri.db, 3);
  EXPECT_EQ(uri.endpoint(), "master mymaster via sentinels s1:26380,s2:26379,[::1]:5000");
}

TEST(SentinelUri, RedissSentinelMeansTls) {
  EXPECT_EQ(Uri::parse("rediss-sentinel://s1?master=m").scheme, Scheme::tls);
  EXPECT_EQ(Uri::parse("REDIS-SENTINEL://s1?master=m").scheme, Scheme::tcp);
}

TEST(SentinelUri, LettuceSpellingsOfTheMasterAreRead) {
  EXPECT_EQ(Uri::parse("redis-sentinel://s1#mymaster").sentinel_master, "mymaster");
  EXPECT_EQ(Uri::parse("redis-sentinel://s1/2#mymaster").db, 2);
  EXPECT_EQ(Uri::parse("redis-sentinel://s1?sentinelMasterId=m%20x").sentinel_master, "m x");
  EXPECT_EQ(Uri::parse("redis-sentinel://s1").sentinel_master, "");
}

TEST(SentinelUri, PrintsBackToItself) {
  const std::string text = "redis-sentinel://u:pw@s1:26380,s2:26379/3?master=my%20master";
  const Uri uri = Uri::parse(text);
  EXPECT_EQ(uri.to_string(true), text);
  EXPECT_EQ(uri.to_string(), "redis-sentinel://u:***@s1:26380,s2:26379/3?master=my%20master");
  const Uri back = Uri::parse(uri.to_string(true));
  EXPECT_EQ(back.sentinels, uri.sentinels);
  EXPECT_EQ(back.sentinel_master, uri.sentinel_master);
  EXPECT_EQ(Uri::parse("rediss-sentinel://s?master=m").to_string(),
            "rediss-sentinel://s:26379?master=m");
}

TEST(SentinelUri, MistakesNameTheUriWithoutThePassword) {
  EXPECT_EQ(parse_error("redis-sentinel://:secret@s1,?master=m"),
            "invalid URI 'redis-sentinel://:***@s1,?master=m': the host is empty");
  EXPECT_EQ(parse_error("redis-sentinel://:secret@s1:99999?master=m"),
            "invalid URI 'redis-sentinel://:***@s1:99999?master=m': port '99999' is not a number "
            "from 1 to 65535");
  EXPECT_TRUE(contains(parse_error("redis-sentinel://s1?mastr=m"),
                       "unknown query parameter 'mastr'; accepted: master (or sentinelMasterId)"));
  EXPECT_TRUE(contains(parse_error("redis-sentinel://s1?master=a#b"), "names two masters"));
  EXPECT_TRUE(contains(parse_error("redis-sentinel:s1"), "must be followed by '//'"));
  EXPECT_FALSE(contains(parse_error("redis-sentinel://:secret@s1?master=m&x=1"), "secret"));
}

TEST(SentinelConfig, KeysNextToTheUriReachTheOptions) {
  const ConnectionOptions options =
      ConnectionOptions::from_config(json{{"uri", "redis-sentinel://:datapw@s1:1,s2:2?master=m"},
                                          {"sentinel_user", "watcher"},
                                          {"sentinel_password", "sentinelpw"}},
                                     "source");
  EXPECT_EQ(options.uri.sentinel_master, "m");
  EXPECT_EQ(options.uri.password, "datapw");
  EXPECT_EQ(options.sentinel.user, "watcher");
  EXPECT_EQ(options.sentinel.password, "sentinelpw");
  EXPECT_EQ(options.describe(), "source master m via sentinels s1:1,s2:2");
}

TEST(SentinelConfig, SentinelMasterTurnsARedisUriIntoASentinelOne) {
  const ConnectionOptions options = ConnectionOptions::from_config(
      json{{"uri", "redis://s1:26379/4"}, {"sentinel_master", "m"}}, "target");
  EXPECT_TRUE(options.uri.is_sentinel());
  EXPECT_EQ(options.uri.sentinels, (std::vector<HostPort>{{"s1", 26379}}));
  EXPECT_EQ(options.uri.db, 4);
  // And it names the master of a sentinel URI, over its own.
  EXPECT_EQ(ConnectionOptions::from_config(
                json{{"uri", "redis-sentinel://s1?master=a"}, {"sentinel_master", "b"}}, "source")
                .uri.sentinel_master,
            "b");
}

TEST(SentinelConfig, MistakesNameTheSetting) {
  EXPECT_EQ(config_error(json{{"uri", "redis-sentinel://:pw@s1"}}),
            "source connection setting 'uri': 'redis-sentinel://:***@s1:26379' names no master: "
            "add ?master=NAME to the URI or set 'sentinel_master'");
  EXPECT_TRUE(contains(config_error(json{{"uri", "redis://h"}, {"sentinel_password", "x"}}),
                       "'sentinel_password': needs a redis-sentinel:// URI"));
  EXPECT_TRUE(
      contains(config_error(json{{"uri", "redis-socket:///tmp/r.sock"}, {"sentinel_master", "m"}}),
               "'sentinel_master': needs the sentinels' host:port"));
}

TEST(SentinelConfig, SchemaDescribesEveryKey) {
  const json properties = ConnectionOptions::connection_schema_properties();
  for (const char* key : {"sentinel_master", "sentinel_user", "sentinel_password"})
    EXPECT_TRUE(properties.contains(key)) << key;
  EXPECT_TRUE(contains(properties["uri"]["description"].get<std::string>(), "redis-sentinel://"));
}

// --- The launcher's options ------------------------------------------------

const std::string kSentinelSource = "redis-sentinel://:datapw@s1:26379,s2:26380?master=src";
const std::string kTarget = "redis://target.example:6379";

json document_for(std::vector<std::string> arguments) {
  arguments.push_back("--no-verify");
  return app::replicate_pipeline_document(app::replicate_options_for(arguments));
}

TEST(SentinelLauncherOptions, EachSideReachesItsOwnComponents) {
  const json document =
      document_for({kSentinelSource, "redis://t:26379", "--source-sentinel-user", "watcher",
                    "--source-sentinel-pass", "spw", "--target-sentinel-master", "dst"});
  for (const char* stage : {"source", "reader"}) {
    EXPECT_EQ(app::stage_config(document, stage)["uri"], kSentinelSource) << stage;
    EXPECT_EQ(app::stage_config(document, stage)["sentinel_user"], "watcher") << stage;
    EXPECT_EQ(app::stage_config(document, stage)["sentinel_password"], "spw") << stage;
    EXPECT_FALSE(app::stage_config(document, stage).contains("sentinel_master")) << stage;
  }
  EXPECT_EQ(app::stage_config(document, "sink")["sentinel_master"], "dst");
  EXPECT_FALSE(app::stage_config(document, "sink").contains("sentinel_password"));
}

TEST(SentinelLauncherOptions, ASentinelPasswordCountsAsAPasswordInTheDocument) {
  EXPECT_FALSE(app::replicate_options_for({kTarget, kTarget}).document_holds_passwords());
  EXPECT_TRUE(app::replicate_options_for(
                  {"redis-sentinel://s1?master=m", kTarget, "--source-sentinel-pass", "x"})
                  .document_holds_passwords());
}

TEST(SentinelLauncherOptions, MistakesNameTheOption) {
  EXPECT_EQ(app::replicate_error_for({"redis-sentinel://:pw@s1", kTarget}),
            "SOURCE 'redis-sentinel://:***@s1:26379' names no master: add ?master=NAME to it or "
            "give --source-sentinel-master");
  EXPECT_EQ(app::replicate_error_for({kTarget, kTarget, "--target-sentinel-pass", "x"}),
            "--target-sentinel-pass needs sentinels: a redis-sentinel:// TARGET URI or "
            "--target-sentinel-master");
  EXPECT_TRUE(contains(app::replicate_error_for({kTarget, kTarget, "--source-sentinel-master", ""}),
                       "invalid value '' for --source-sentinel-master"));
  EXPECT_TRUE(contains(app::replicate_error_for({"redis-socket:///tmp/r.sock", kTarget,
                                                 "--source-sentinel-master", "m"}),
                       "--source-sentinel-master needs the sentinels' host:port"));
}

TEST(SentinelLauncherOptions, EveryOptionShowsInTheHelp) {
  std::ostringstream help;
  app::print_command_help(app::replicate_command_syntax(), help);
  for (const char* side : {"source", "target"}) {
    const std::string prefix = std::string("--") + side + "-sentinel-";
    for (const std::string& expected :
         {prefix + "master NAME", prefix + "user USER", prefix + "pass PASSWORD"})
      EXPECT_TRUE(contains(help.str(), expected)) << expected;
  }
  EXPECT_TRUE(contains(help.str(), "redis-sentinel://"));
}

TEST(SentinelLauncherOptions, DocumentIsValidForTheBundledPlugins) {
  const json document =
      document_for({kSentinelSource, "redis-sentinel://t1,t2?master=dst", "--source-sentinel-pass",
                    "spw", "--target-sentinel-user", "u", "--read-from", "replica"});
  app::expect_valid_for_bundled_plugins(document);
}

}  // namespace
}  // namespace riot
