// Redis URIs as users write them, and the connection settings built from a
// component's configuration.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "riot/redis/connection_options.hpp"
#include "riot/redis/errors.hpp"
#include "riot/redis/uri.hpp"

namespace riot::redis {
namespace {

// The message of the UriError that parsing `text` throws.
std::string parse_error(const std::string& text) {
  try {
    Uri::parse(text);
  } catch (const UriError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no UriError for " << text;
  return {};
}

TEST(UriParse, HostOnlyTakesDefaults) {
  const Uri uri = Uri::parse("redis://localhost");
  EXPECT_EQ(uri.scheme, Scheme::tcp);
  EXPECT_EQ(uri.host, "localhost");
  EXPECT_EQ(uri.port, 6379);
  EXPECT_EQ(uri.db, 0);
  EXPECT_EQ(uri.user, "");
  EXPECT_EQ(uri.password, "");
}

TEST(UriParse, EveryPart) {
  const Uri uri = Uri::parse("redis://alice:s3cret@cache-1.example.com:6380/2");
  EXPECT_EQ(uri.scheme, Scheme::tcp);
  EXPECT_EQ(uri.user, "alice");
  EXPECT_EQ(uri.password, "s3cret");
  EXPECT_EQ(uri.host, "cache-1.example.com");
  EXPECT_EQ(uri.port, 6380);
  EXPECT_EQ(uri.db, 2);
}

TEST(UriParse, TlsSchemeHasTheSameSyntax) {
  const Uri uri = Uri::parse("rediss://default:pw@target:12000/1");
  EXPECT_EQ(uri.scheme, Scheme::tls);
  EXPECT_EQ(uri.user, "default");
  EXPECT_EQ(uri.password, "pw");
  EXPECT_EQ(uri.host, "target");
  EXPECT_EQ(uri.port, 12000);
  EXPECT_EQ(uri.db, 1);
}

TEST(UriParse, SchemeIsCaseInsensitive) {
  EXPECT_EQ(Uri::parse("REDIS://h").scheme, Scheme::tcp);
  EXPECT_EQ(Uri::parse("Rediss://h").scheme, Scheme::tls);
}

TEST(UriParse, PasswordWithoutUser) {
  const Uri uri = Uri::parse("redis://:pw@h:1");
  EXPECT_EQ(uri.user, "");
  EXPECT_EQ(uri.password, "pw");
}

// As redis-cli and Lettuce read it.
TEST(UriParse, UserInfoWithoutColonIsAPassword) {
  const Uri uri = Uri::parse("redis://secret@h");
  EXPECT_EQ(uri.user, "");
  EXPECT_EQ(uri.password, "secret");
}

TEST(UriParse, UserWithEmptyPassword) {
  const Uri uri = Uri::parse("redis://alice:@h");
  EXPECT_EQ(uri.user, "alice");
  EXPECT_EQ(uri.password, "");
}

TEST(UriParse, UserAndPasswordArePercentDecoded) {
  const Uri uri = Uri::parse("redis://al%40ice:p%3Aw%2Fd%25%20x@h");
  EXPECT_EQ(uri.user, "al@ice");
  EXPECT_EQ(uri.password, "p:w/d% x");
}

TEST(UriParse, UnescapedAtSignInPasswordEndsAtTheLastOne) {
  const Uri uri = Uri::parse("redis://:p@ss@h:7");
  EXPECT_EQ(uri.password, "p@ss");
  EXPECT_EQ(uri.host, "h");
  EXPECT_EQ(uri.port, 7);
}

TEST(UriParse, TrailingSlashMeansDatabaseZero) {
  const Uri uri = Uri::parse("redis://h:1/");
  EXPECT_EQ(uri.db, 0);
  EXPECT_EQ(uri.port, 1);
}

TEST(UriParse, IPv6InBrackets) {
  const Uri uri = Uri::parse("redis://[::1]:6380/3");
  EXPECT_EQ(uri.host, "::1");
  EXPECT_EQ(uri.port, 6380);
  EXPECT_EQ(uri.db, 3);
  EXPECT_EQ(uri.endpoint(), "[::1]:6380");
  const Uri no_port = Uri::parse("redis://[2001:db8::7]");
  EXPECT_EQ(no_port.host, "2001:db8::7");
  EXPECT_EQ(no_port.port, 6379);
}

TEST(UriParse, RedisSocket) {
  const Uri uri = Uri::parse("redis-socket:///var/run/redis.sock?db=2");
  EXPECT_EQ(uri.scheme, Scheme::unix_socket);
  EXPECT_EQ(uri.socket_path, "/var/run/redis.sock");
  EXPECT_EQ(uri.db, 2);
  EXPECT_EQ(uri.endpoint(), "/var/run/redis.sock");
}

TEST(UriParse, UnixSchemeAndSocketCredentials) {
  const Uri uri = Uri::parse("unix:///tmp/my%20redis.sock?user=bob&password=p%26w&db=0");
  EXPECT_EQ(uri.scheme, Scheme::unix_socket);
  EXPECT_EQ(uri.socket_path, "/tmp/my redis.sock");
  EXPECT_EQ(uri.user, "bob");
  EXPECT_EQ(uri.password, "p&w");
  EXPECT_EQ(uri.db, 0);
}

TEST(UriToString, MasksThePassword) {
  const Uri uri = Uri::parse("redis://alice:s3cret@h:6380/2");
  EXPECT_EQ(uri.to_string(), "redis://alice:***@h:6380/2");
  EXPECT_EQ(uri.to_string(true), "redis://alice:s3cret@h:6380/2");
  EXPECT_EQ(Uri::parse("rediss://:pw@h").to_string(), "rediss://:***@h:6379");
}

TEST(UriToString, CanonicalForm) {
  EXPECT_EQ(Uri::parse("redis://h").to_string(), "redis://h:6379");
  EXPECT_EQ(Uri::parse("redis://alice:@h/0").to_string(), "redis://alice:@h:6379");
  EXPECT_EQ(Uri::parse("redis://[::1]:7/1").to_string(), "redis://[::1]:7/1");
  EXPECT_EQ(Uri::parse("unix:///tmp/r.sock?password=x&db=3").to_string(),
            "redis-socket:///tmp/r.sock?db=3&password=***");
}

TEST(UriToString, RevealedFormParsesBackToTheSameUri) {
  Uri uri;
  uri.host = "10.0.0.7";
  uri.port = 16379;
  uri.user = "user name";
  uri.password = "p@ss:w/rd%?#";
  uri.db = 9;
  const std::string text = uri.to_string(true);
  EXPECT_EQ(text, "redis://user%20name:p%40ss%3Aw%2Frd%25%3F%23@10.0.0.7:16379/9");
  const Uri back = Uri::parse(text);
  EXPECT_EQ(back.user, uri.user);
  EXPECT_EQ(back.password, uri.password);
  EXPECT_EQ(back.host, uri.host);
  EXPECT_EQ(back.port, uri.port);
  EXPECT_EQ(back.db, uri.db);

  Uri socket;
  socket.scheme = Scheme::unix_socket;
  socket.socket_path = "/tmp/a b.sock";
  socket.password = "x&y";
  const Uri socket_back = Uri::parse(socket.to_string(true));
  EXPECT_EQ(socket_back.socket_path, socket.socket_path);
  EXPECT_EQ(socket_back.password, socket.password);
}

TEST(UriErrors, PortOutOfRange) {
  EXPECT_EQ(parse_error("redis://h:99999"),
            "invalid URI 'redis://h:99999': port '99999' is not a number from 1 to 65535");
  EXPECT_EQ(parse_error("redis://h:0"),
            "invalid URI 'redis://h:0': port '0' is not a number from 1 to 65535");
  EXPECT_EQ(parse_error("redis://h:"),
            "invalid URI 'redis://h:': port '' is not a number from 1 to 65535");
  EXPECT_EQ(parse_error("redis://h:-1"),
            "invalid URI 'redis://h:-1': port '-1' is not a number from 1 to 65535");
  EXPECT_EQ(parse_error("redis://h:63x9"),
            "invalid URI 'redis://h:63x9': port '63x9' is not a number from 1 to 65535");
  EXPECT_EQ(parse_error("redis://[::1]:70000"),
            "invalid URI 'redis://[::1]:70000': port '70000' is not a number from 1 to 65535");
}

TEST(UriErrors, UnknownSchemeListsTheAcceptedOnes) {
  EXPECT_EQ(parse_error("http://h:6379"),
            "invalid URI 'http://h:6379': unknown scheme 'http'; expected redis://, rediss://, "
            "redis-socket://, unix://, redis-sentinel:// or rediss-sentinel://");
}

TEST(UriErrors, MissingScheme) {
  EXPECT_EQ(parse_error("localhost:6379"),
            "invalid URI 'localhost:6379': the scheme is missing: expected a URI starting with "
            "redis://, rediss://, redis-socket://, unix://, redis-sentinel:// or "
            "rediss-sentinel://");
  EXPECT_NE(parse_error("").find("the scheme is missing"), std::string::npos);
}

TEST(UriErrors, DatabaseThatIsNotANumber) {
  const std::string range =
      "a database index runs from 0 to 2147483647 (a server has 16 databases, 0 to 15, unless "
      "configured otherwise)";
  EXPECT_EQ(parse_error("redis://h/abc"),
            "invalid URI 'redis://h/abc': database 'abc' is not a number: " + range);
  EXPECT_EQ(parse_error("redis-socket:///s?db=x"),
            "invalid URI 'redis-socket:///s?db=x': database 'x' is not a number: " + range);
  EXPECT_EQ(parse_error("redis-socket:///s?db="),
            "invalid URI 'redis-socket:///s?db=': database '' is not a number: " + range);
}

TEST(UriErrors, DatabaseOutOfRangeSaysTheRange) {
  const std::string range =
      "a database index runs from 0 to 2147483647 (a server has 16 databases, 0 to 15, unless "
      "configured otherwise)";
  EXPECT_EQ(parse_error("redis://h/2147483648"),
            "invalid URI 'redis://h/2147483648': database '2147483648' is out of range: " + range);
  EXPECT_EQ(
      parse_error("redis://h/99999999999"),
      "invalid URI 'redis://h/99999999999': database '99999999999' is out of range: " + range);
  EXPECT_EQ(parse_error("redis://h/-1"),
            "invalid URI 'redis://h/-1': database '-1' is out of range: " + range);
  EXPECT_EQ(
      parse_error("unix:///s?db=4294967296"),
      "invalid URI 'unix:///s?db=4294967296': database '4294967296' is out of range: " + range);
  EXPECT_EQ(Uri::parse("redis://h/2147483647").db, 2147483647);
}

TEST(UriErrors, EmptyHost) {
  EXPECT_EQ(parse_error("redis://"), "invalid URI 'redis://': the host is empty");
  EXPECT_EQ(parse_error("redis://:6379"), "invalid URI 'redis://:6379': the host is empty");
  EXPECT_EQ(parse_error("redis://:pw@/1"), "invalid URI 'redis://:***@/1': the host is empty");
  EXPECT_EQ(parse_error("redis://[]:1"), "invalid URI 'redis://[]:1': the host is empty");
}

TEST(UriErrors, TrailingGarbage) {
  EXPECT_EQ(parse_error("redis://h:6379/0/extra"),
            "invalid URI 'redis://h:6379/0/extra': unexpected '/extra' after the database number");
  EXPECT_EQ(parse_error("redis://h//"), "invalid URI 'redis://h//': unexpected '/' after '/'");
  EXPECT_EQ(parse_error("redis://h/1#x"),
            "invalid URI 'redis://h/1#x': unexpected '#x' after the database number");
}

TEST(UriErrors, BadHosts) {
  EXPECT_EQ(parse_error("redis://::1:6379"),
            "invalid URI 'redis://::1:6379': the host '::1:6379' looks like an IPv6 address: "
            "write it in brackets, e.g. redis://[::1]:6379");
  EXPECT_EQ(parse_error("redis://[::1:6379"),
            "invalid URI 'redis://[::1:6379': the IPv6 address '[::1:6379' has no closing ']'");
  EXPECT_EQ(parse_error("redis://[::1]6379"),
            "invalid URI 'redis://[::1]6379': unexpected '6379' after the IPv6 address '[::1]'");
  EXPECT_EQ(parse_error("redis://my host:1"),
            "invalid URI 'redis://my host:1': the host 'my host' contains the invalid character "
            "' '");
}

// A host list is how Sentinel and some cluster clients are configured; what
// is wrong is the list (in a redis:// URI), not an IPv6 address.
TEST(UriErrors, AListOfHostsSaysThatOneServerIsExpected) {
  const std::string expected =
      "is a list of servers, but a URI names one server: for a Redis Cluster, one node is enough "
      "(riot finds the others); for Redis Sentinel write "
      "redis-sentinel://host:port,host:port/db?master=NAME";
  EXPECT_EQ(parse_error("redis://h1:1,h2:2"),
            "invalid URI 'redis://h1:1,h2:2': 'h1:1,h2:2' " + expected);
  EXPECT_EQ(parse_error("redis://h1,h2"), "invalid URI 'redis://h1,h2': 'h1,h2' " + expected);
  EXPECT_EQ(parse_error("rediss://:pw@[::1]:1,[::2]:2/0"),
            "invalid URI 'rediss://:***@[::1]:1,[::2]:2/0': '[::1]:1,[::2]:2' " + expected);
}

TEST(UriErrors, TwoPortsAreNotAnIPv6Address) {
  EXPECT_EQ(parse_error("redis://cache:6379:6380"),
            "invalid URI 'redis://cache:6379:6380': 'cache:6379:6380' has more than one ':': "
            "write host:port with one port (an IPv6 address goes in brackets, e.g. "
            "redis://[::1]:6379)");
}

TEST(UriErrors, SchemeWithoutItsSlashes) {
  EXPECT_EQ(parse_error("redis:/h:6379"),
            "invalid URI 'redis:/h:6379': the scheme 'redis:' must be followed by '//', as in "
            "redis://host:6379");
  EXPECT_EQ(parse_error("unix:/tmp/r.sock"),
            "invalid URI 'unix:/tmp/r.sock': the scheme 'unix:' must be followed by '//', as in "
            "unix:///var/run/redis.sock");
}

TEST(UriErrors, QueryParametersOfANetworkUriAreNamedAsSuch) {
  EXPECT_EQ(parse_error("redis://h:1?timeout=5"),
            "invalid URI 'redis://h:1?timeout=5': a redis:// URI takes no query parameters "
            "('?timeout=5'): write redis://[[user]:password@]host[:port][/db]");
  EXPECT_EQ(parse_error("redis://h/2?db=3"),
            "invalid URI 'redis://h/2?db=3': a redis:// URI takes no query parameters ('?db=3'): "
            "write redis://[[user]:password@]host[:port][/db]");
}

TEST(UriErrors, SocketForms) {
  EXPECT_EQ(parse_error("redis-socket://relative.sock"),
            "invalid URI 'redis-socket://relative.sock': the socket path must be absolute, as in "
            "redis-socket:///var/run/redis.sock");
  EXPECT_EQ(parse_error("unix:///s?timeout=1"),
            "invalid URI 'unix:///s?timeout=1': unknown query parameter 'timeout'; accepted: db, "
            "user, password");
  EXPECT_EQ(parse_error("unix:///s?db"),
            "invalid URI 'unix:///s?db': the query parameter 'db' has no value (name=value)");
  EXPECT_EQ(parse_error("redis-socket://u:pw@/tmp/r.sock"),
            "invalid URI 'redis-socket://u:***@/tmp/r.sock': a socket URI takes its user and "
            "password as query parameters, as in "
            "redis-socket:///var/run/redis.sock?user=U&password=P");
}

TEST(UriErrors, MalformedPercentEscapes) {
  EXPECT_EQ(parse_error("redis://bad%zzuser:pw@h"),
            "invalid URI 'redis://bad%zzuser:***@h': the user 'bad%zzuser' has a malformed "
            "percent-escape (a literal % is written %25)");
  const std::string message = parse_error("redis://u:50%off@h");
  EXPECT_EQ(message,
            "invalid URI 'redis://u:***@h': the password has a malformed percent-escape (a "
            "literal % is written %25)");
  EXPECT_EQ(parse_error("redis://u:abc%4@h").find("abc"), std::string::npos);
}

// Whatever is wrong, an error message never shows a password, yet still
// quotes the URI and says what is wrong: every form of URI, every error path.
TEST(UriErrors, NeverShowThePasswordButStillNameTheProblem) {
  constexpr std::string_view kSecret = "Zq7pSECRETx";
  struct Case {
    std::string uri;  // "PW" stands for the password
    std::string problem;
  };
  const Case cases[] = {
      // redis:// and rediss://, user and password, or a password alone
      {"redis://alice:PW@h:99999", "port '99999' is not a number from 1 to 65535"},
      {"redis://PW@h:0", "port '0' is not a number"},
      {"rediss://:PW@h/x", "database 'x' is not a number"},
      {"rediss://:PW@h/2147483648", "database '2147483648' is out of range"},
      {"redis://:PW@/1", "the host is empty"},
      {"redis://u:PW@h1:1,h2:2", "is a list of servers"},
      {"redis://u:PW@::1:6379", "looks like an IPv6 address"},
      {"redis://u:PW@h:1:2", "has more than one ':'"},
      {"redis://u:PW@[::1", "has no closing ']'"},
      {"redis://u:PW@[::1]x", "after the IPv6 address"},
      {"redis://u:PW@my host", "contains the invalid character"},
      {"redis://u:PW@h/0/extra", "unexpected '/extra' after the database number"},
      {"redis://u:PW@h/1#x", "unexpected '#x'"},
      {"redis://bad%zz:PW@h", "the user 'bad%zz' has a malformed percent-escape"},
      {"redis://u:PW%4@h", "the password has a malformed percent-escape"},
      {"redis://:PW@PW@h:x", "port 'x' is not a number"},
      {"redis://u:PW/more@h:70000", "port '70000'"},
      // a password in the query of a network URI, with or without user-info
      {"redis://h:1?password=PW", "takes no query parameters"},
      {"redis://:other@h:1?password=PW", "takes no query parameters"},
      {"redis://u:PW@h/0?password=PW", "takes no query parameters"},
      {"rediss://h?db=1&pass=PW", "takes no query parameters"},
      // socket URIs: the query form, and user-info where it does not belong
      {"redis-socket:///s?password=PW&db=x", "database 'x' is not a number"},
      {"unix:///s?db=1&password=PW&x=1", "unknown query parameter 'x'"},
      {"unix:///s?password=PW&user", "the query parameter 'user' has no value"},
      {"unix:///s?password=PW%zz", "the password has a malformed percent-escape"},
      {"redis-socket://u:PW@relative.sock", "takes its user and password as query parameters"},
      {"unix://:PW@/tmp/r.sock", "takes its user and password as query parameters"},
      {"redis-socket://PW@r.sock", "takes its user and password as query parameters"},
      // no scheme, a broken one, an unknown one
      {"u:PW@h:6379", "the scheme is missing"},
      {"redis:/u:PW@h", "must be followed by '//'"},
      {"http://u:PW@h", "unknown scheme 'http'"},
  };
  for (const Case& c : cases) {
    std::string uri = c.uri;
    for (auto at = uri.find("PW"); at != std::string::npos; at = uri.find("PW", at))
      uri.replace(at, 2, kSecret);
    const std::string message = parse_error(uri);
    EXPECT_EQ(message.find(kSecret), std::string::npos) << message;
    EXPECT_EQ(message.find("SECRET"), std::string::npos) << message;
    EXPECT_EQ(message.rfind("invalid URI '", 0), 0u) << message;
    EXPECT_NE(message.find("***"), std::string::npos) << message;
    EXPECT_NE(message.find(c.problem), std::string::npos) << c.uri << " -> " << message;
  }
  EXPECT_EQ(parse_error("redis://alice:topsecret@h:99999"),
            "invalid URI 'redis://alice:***@h:99999': port '99999' is not a number from 1 to "
            "65535");
}

// A socket path may contain an '@': it is not a password, and stays shown.
TEST(UriErrors, AnAtSignInASocketPathIsNotMasked) {
  EXPECT_EQ(parse_error("unix:///tmp/a@b.sock?db=x")
                .rfind("invalid URI 'unix:///tmp/a@b.sock?db=x': database 'x' is not a number", 0),
            0u);
}

TEST(UriErrors, AreInvalidArguments) {
  EXPECT_THROW(Uri::parse("redis://h:0"), std::invalid_argument);
}

TEST(ConnectionOptions, DescribeNamesRoleAndEndpoint) {
  ConnectionOptions options;
  options.uri = Uri::parse("redis://127.0.0.1:6380");
  EXPECT_EQ(options.describe(), "127.0.0.1:6380");
  options.role = "target";
  EXPECT_EQ(options.describe(), "target 127.0.0.1:6380");
  options.uri = Uri::parse("redis-socket:///tmp/r.sock");
  EXPECT_EQ(options.describe(), "target /tmp/r.sock");
}

TEST(ConnectionOptions, FromConfigWithDefaults) {
  const auto options =
      ConnectionOptions::from_config(nlohmann::json{{"uri", "redis://u:p@h:7/3"}}, "source");
  EXPECT_EQ(options.role, "source");
  EXPECT_EQ(options.uri.host, "h");
  EXPECT_EQ(options.uri.user, "u");
  EXPECT_EQ(options.uri.password, "p");
  EXPECT_EQ(options.uri.db, 3);
  EXPECT_EQ(options.client_name, "riot");
  EXPECT_EQ(options.connect_timeout, std::chrono::milliseconds(5000));
  EXPECT_EQ(options.command_timeout, std::chrono::milliseconds(30000));
  EXPECT_EQ(options.pipeline_window, 1000u);
}

TEST(ConnectionOptions, FromConfigOverridesTheUri) {
  const auto config = nlohmann::json::parse(R"({
    "uri": "redis://u:p@h:7", "user": "admin", "password": "s3cret", "client_name": "",
    "connect_timeout_ms": 250, "command_timeout_ms": 1500, "pipeline_window": 64})");
  const auto options = ConnectionOptions::from_config(config, "target");
  EXPECT_EQ(options.uri.user, "admin");
  EXPECT_EQ(options.uri.password, "s3cret");
  EXPECT_EQ(options.client_name, "");
  EXPECT_EQ(options.connect_timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(options.command_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(options.pipeline_window, 64u);

  // Empty strings do not erase what the URI holds.
  const auto kept = ConnectionOptions::from_config(
      nlohmann::json{{"uri", "redis://u:p@h"}, {"user", ""}, {"password", ""}}, "target");
  EXPECT_EQ(kept.uri.user, "u");
  EXPECT_EQ(kept.uri.password, "p");
}

TEST(ConnectionOptions, FromConfigRejectsBadValues) {
  EXPECT_THROW(ConnectionOptions::from_config(nlohmann::json{{"uri", "redis://h:0"}}, "source"),
               UriError);
  try {
    ConnectionOptions::from_config(nlohmann::json::object(), "source");
    ADD_FAILURE() << "no error for a missing uri";
  } catch (const std::invalid_argument& error) {
    EXPECT_EQ(std::string(error.what()),
              "source connection setting 'uri': is required: a string such as "
              "redis://127.0.0.1:6379");
  }
  try {
    ConnectionOptions::from_config(nlohmann::json{{"uri", "redis://h"}, {"pipeline_window", 0}},
                                   "target");
    ADD_FAILURE() << "no error for pipeline_window 0";
  } catch (const std::invalid_argument& error) {
    EXPECT_EQ(std::string(error.what()),
              "target connection setting 'pipeline_window': must be an integer of at least 1, "
              "not 0");
  }
  EXPECT_THROW(ConnectionOptions::from_config(
                   nlohmann::json{{"uri", "redis://h"}, {"command_timeout_ms", "5"}}, "target"),
               std::invalid_argument);
  EXPECT_THROW(ConnectionOptions::from_config(
                   nlohmann::json{{"uri", "redis://h"}, {"password", 42}}, "target"),
               std::invalid_argument);
}

TEST(ConnectionOptions, SchemaPropertiesDescribeEveryKey) {
  const nlohmann::json properties = ConnectionOptions::connection_schema_properties();
  for (const char* key : {"uri", "user", "password", "client_name", "connect_timeout_ms",
                          "command_timeout_ms", "pipeline_window", "cluster"}) {
    ASSERT_TRUE(properties.contains(key)) << key;
    EXPECT_TRUE(properties[key].contains("type")) << key;
    EXPECT_FALSE(properties[key].value("description", "").empty()) << key;
  }
  for (const char* key : {"sentinel_master", "sentinel_user", "sentinel_password"})
    EXPECT_TRUE(properties.contains(key)) << key;
  EXPECT_EQ(properties.size(), 19u)
      << "8 above, 8 TLS keys (test_tls_options.cpp) and 3 sentinel keys";
  EXPECT_EQ(properties["cluster"]["type"], "boolean");
  EXPECT_FALSE(properties["cluster"].contains("default")) << "absent means: ask the server";
  EXPECT_EQ(properties["client_name"]["default"], "riot");
  EXPECT_EQ(properties["connect_timeout_ms"]["default"], 5000);
  EXPECT_EQ(properties["command_timeout_ms"]["default"], 30000);
  EXPECT_EQ(properties["pipeline_window"]["default"], 1000);
  EXPECT_EQ(properties["pipeline_window"]["minimum"], 1);
  EXPECT_EQ(properties["connect_timeout_ms"]["type"], "integer");
  EXPECT_EQ(properties["uri"]["type"], "string");
}

TEST(ConnectionOptions, ComponentSchemaAddsOwnPropertiesAndRequiresTheUri) {
  const nlohmann::json schema =
      ConnectionOptions::component_schema({{"count", {{"type", "integer"}, {"default", 10}}}});
  EXPECT_EQ(schema["type"], "object");
  EXPECT_EQ(schema["additionalProperties"], false);
  EXPECT_EQ(schema["required"], nlohmann::json::array({"uri"}));
  EXPECT_EQ(schema["properties"]["count"]["default"], 10);
  EXPECT_TRUE(schema["properties"].contains("password"));
  EXPECT_EQ(schema["properties"].size(), 20u);
}

}  // namespace
}  // namespace riot::redis
