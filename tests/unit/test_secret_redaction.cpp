// Secrets out of the run report: every form a password takes in a pipeline
// document (a configuration key, a URI's user info, a URI's query) is
// replaced, at any depth, and nothing else changes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "riot/host/secret_redaction.hpp"

namespace riot::host {
namespace {

using nlohmann::json;

TEST(SecretRedaction, NamesSecretKeysByTheirEnding) {
  for (const char* key : {"password", "key_password", "sentinel_password", "PASSWORD",
                          "source_pass", "passphrase", "client_secret", "token"}) {
    EXPECT_TRUE(is_secret_key(key)) << key;
  }
  for (const char* key : {"user", "uri", "passwords_file", "key_file", "cert", "db"}) {
    EXPECT_FALSE(is_secret_key(key)) << key;
  }
}

TEST(SecretRedaction, ReplacesThePasswordOfEveryUriForm) {
  EXPECT_EQ(redact_uris("redis://default:s3cret@host:6379/2"),
            "redis://default:<redacted>@host:6379/2");
  // A lone user info is the password (redis://PASSWORD@host).
  EXPECT_EQ(redact_uris("rediss://s3cret@host:6380"), "rediss://<redacted>@host:6380");
  // Percent-encoded and '@'-holding passwords: the user info ends at the last '@'.
  EXPECT_EQ(redact_uris("redis://u:p%40ss@w@host"), "redis://u:<redacted>@host");
  EXPECT_EQ(redact_uris("redis-sentinel://:pw@h1:26379,h2:26379/0?master=m&sentinel_password=x"),
            "redis-sentinel://:<redacted>@h1:26379,h2:26379/0?master=m&sentinel_password="
            "<redacted>");
  EXPECT_EQ(redact_uris("redis-socket:///tmp/r.sock?db=1&password=pw&user=u"),
            "redis-socket:///tmp/r.sock?db=1&password=<redacted>&user=u");
  EXPECT_EQ(redact_uris("redis://host:6379"), "redis://host:6379");
}

TEST(SecretRedaction, ReplacesUrisInsideFreeText) {
  EXPECT_EQ(redact_uris("cannot connect to redis://u:pw@10.0.0.1:6379 (refused); "
                        "then rediss://other:pw2@h"),
            "cannot connect to redis://u:<redacted>@10.0.0.1:6379 (refused); "
            "then rediss://other:<redacted>@h");
  EXPECT_EQ(redact_uris("no uri here: user:pw@host"), "no uri here: user:pw@host");
}

TEST(SecretRedaction, ReplacesEverySecretOfADocumentAndKeepsTheRest) {
  const json document = json::parse(R"({
    "pipelines": [{
      "stages": {
        "source": {"component": "source.scan",
                   "config": {"uri": "redis://u:uri-pw@src:6379", "password": "cfg-pw",
                              "tls": {"key_password": "key-pw", "key": "/k.pem"}}},
        "sink": {"component": "sink.restore",
                 "config": {"uri": "redis://dst", "sentinel_password": "sent-pw",
                            "password": {"$env": "RIOT_TARGET_PASS"}, "hosts": ["redis://:a-pw@h"]}}
      },
      "runtime": {"rate_keys": 10}
    }]
  })");
  const json redacted = redact_secrets(document);
  const std::string text = redacted.dump();
  for (const char* secret : {"uri-pw", "cfg-pw", "key-pw", "sent-pw", "a-pw"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in " << text;
  }
  const json& source = redacted["pipelines"][0]["stages"]["source"]["config"];
  EXPECT_EQ(source["uri"], "redis://u:<redacted>@src:6379");
  EXPECT_EQ(source["password"], "<redacted>");
  EXPECT_EQ(source["tls"]["key"], "/k.pem");
  const json& sink = redacted["pipelines"][0]["stages"]["sink"]["config"];
  // A reference to the environment holds no secret: kept, so the report says where it came from.
  EXPECT_EQ(sink["password"], json({{"$env", "RIOT_TARGET_PASS"}}));
  EXPECT_EQ(sink["hosts"][0], "redis://:<redacted>@h");
  EXPECT_EQ(redacted["pipelines"][0]["runtime"]["rate_keys"], 10);
  // Nothing but the secrets changed.
  EXPECT_EQ(redacted.flatten().size(), document.flatten().size());
}

}  // namespace
}  // namespace riot::host
