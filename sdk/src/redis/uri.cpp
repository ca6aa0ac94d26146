// Parsing and printing of Redis URIs. The grammar follows redis-cli and
// Lettuce (which RIOT used): redis://[[user]:password@]host[:port][/db], where
// a user-info without ':' is a password, as both of them read it.
#include "riot/redis/uri.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <optional>

#include "redis/percent_encoding.hpp"
#include "redis/uri_secrets.hpp"
#include "riot/record.hpp"
#include "riot/redis/errors.hpp"

namespace riot::redis {
namespace {

using detail::percent_decode;
using detail::percent_encode;

constexpr auto npos = std::string_view::npos;
constexpr std::string_view kSchemeSeparator = "://";
constexpr std::string_view kAcceptedSchemes =
    "redis://, rediss://, redis-socket://, unix://, redis-sentinel:// or rediss-sentinel://";
constexpr std::string_view kMask = "***";

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool is_socket_scheme(std::string_view scheme) {
  return scheme == "redis-socket" || scheme == "unix";
}

bool is_sentinel_scheme(std::string_view scheme) {
  return scheme == "redis-sentinel" || scheme == "rediss-sentinel";
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Parses a whole string of decimal digits (no sign, no spaces) into T.
template <typename T>
std::optional<T> parse_decimal(std::string_view text) {
  if (text.empty()) return std::nullopt;
  for (const char c : text)
    if (!is_digit(c)) return std::nullopt;
  T value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Built by appending: GCC 12 at -O3 warns falsely (-Wrestrict) about
// "'" + std::string.
std::string quoted_char(char c) {
  std::string text = "'";
  text += printable_key(std::string_view(&c, 1));
  text += '\'';
  return text;
}

// Every part of the text that a message quotes goes through shown(), which
// masks whatever may be a password in it: messages quote what the user wrote,
// malformed or not.
class UriParser {
 public:
  explicit UriParser(std::string_view text) : text_(text), secrets_(text) {}

  Uri parse() {
    const auto separator = text_.find(kSchemeSeparator);
    if (separator == npos) fail_without_separator();
    const std::string_view scheme_text = text_.substr(0, separator);
    const std::string scheme = lowercase(scheme_text);
    const std::string_view rest = text_.substr(separator + kSchemeSeparator.size());
    Uri uri;
    if (scheme == "redis" || scheme == "rediss") {
      uri.scheme = scheme == "redis" ? Scheme::tcp : Scheme::tls;
      parse_network(rest, uri);
    } else if (is_socket_scheme(scheme)) {
      uri.scheme = Scheme::unix_socket;
      parse_socket(rest, uri);
    } else if (is_sentinel_scheme(scheme)) {
      uri.scheme = scheme == "redis-sentinel" ? Scheme::tcp : Scheme::tls;
      parse_sentinel(rest, uri);
    } else {
      fail("unknown scheme '" + shown(scheme_text) + "'; expected " +
           std::string(kAcceptedSchemes));
    }
    return uri;
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw UriError("invalid URI '" + shown(text_) + "': " + problem);
  }

  std::string shown(std::string_view part) const { return secrets_.shown(part); }

  // "redis:/h" or "redis:h" name a scheme but lack its "//"; anything else
  // lacks the scheme itself.
  [[noreturn]] void fail_without_separator() const {
    const auto colon = text_.find(':');
    if (colon != npos) {
      const std::string scheme = lowercase(text_.substr(0, colon));
      if (scheme == "redis" || scheme == "rediss" || is_socket_scheme(scheme) ||
          is_sentinel_scheme(scheme))
        fail("the scheme '" + scheme + ":' must be followed by '//', as in " + scheme +
             (is_socket_scheme(scheme) ? ":///var/run/redis.sock" : "://host:6379"));
    }
    fail("the scheme is missing: expected a URI starting with " + std::string(kAcceptedSchemes));
  }

  // redis://[[user]:password@]host[:port][/db]
  void parse_network(std::string_view rest, Uri& uri) const {
    if (const auto at = rest.rfind('@'); at != npos) {
      parse_user_info(rest.substr(0, at), uri);
      rest.remove_prefix(at + 1);
    }
    const auto path_start = rest.find_first_of("/?#");
    parse_host_and_port(rest.substr(0, path_start), uri);
    if (path_start != npos) parse_database_path(rest.substr(path_start), uri);
  }

  void parse_user_info(std::string_view user_info, Uri& uri) const {
    const auto colon = user_info.find(':');
    if (colon == npos) {
      uri.password = decode(user_info, "password", true);
      return;
    }
    uri.user = decode(user_info.substr(0, colon), "user", false);
    uri.password = decode(user_info.substr(colon + 1), "password", true);
  }

  void parse_host_and_port(std::string_view host_and_port, Uri& uri) const {
    if (host_and_port.find(',') != npos)
      fail("'" + shown(host_and_port) +
           "' is a list of servers, but a URI names one server: for a Redis Cluster, one node "
           "is enough (riot finds the others); for Redis Sentinel write "
           "redis-sentinel://host:port,host:port/db?master=NAME");
    HostPort address = parse_address(host_and_port, uri.port);
    uri.host = std::move(address.host);
    uri.port = address.port;
  }

  // host[:port] or [IPv6][:port]; `default_port` when the port is left out.
  HostPort parse_address(std::string_view host_and_port, std::uint16_t default_port) const {
    std::string_view host = host_and_port;
    std::optional<std::string_view> port;
    if (!host_and_port.empty() && host_and_port.front() == '[') {
      const auto close = host_and_port.find(']');
      if (close == npos) fail("the IPv6 address '" + shown(host_and_port) + "' has no closing ']'");
      host = host_and_port.substr(1, close - 1);
      const std::string_view after = host_and_port.substr(close + 1);
      if (!after.empty() && after.front() != ':')
        fail("unexpected '" + shown(after) + "' after the IPv6 address '[" + shown(host) + "]'");
      if (!after.empty()) port = after.substr(1);
      check_host(host, ":.%-_");
    } else {
      const auto colon = host_and_port.find(':');
      if (colon != npos && host_and_port.find(':', colon + 1) != npos)
        fail_many_colons(host_and_port);
      if (colon != npos) {
        host = host_and_port.substr(0, colon);
        port = host_and_port.substr(colon + 1);
      }
      check_host(host, ".-_");
    }
    return {std::string(host), port ? parse_port(*port) : default_port};
  }

  // redis-sentinel://[[user]:password@]host[:port][,host[:port]...][/db][?master=NAME][#NAME]
  void parse_sentinel(std::string_view rest, Uri& uri) const {
    if (const auto at = rest.rfind('@'); at != npos) {
      parse_user_info(rest.substr(0, at), uri);
      rest.remove_prefix(at + 1);
    }
    const auto path_start = rest.find_first_of("/?#");
    std::string_view hosts = rest.substr(0, path_start);
    for (;;) {
      const auto comma = hosts.find(',');
      uri.sentinels.push_back(parse_address(hosts.substr(0, comma), kDefaultSentinelPort));
      if (comma == npos) break;
      hosts.remove_prefix(comma + 1);
    }
    uri.host = uri.sentinels.front().host;
    uri.port = uri.sentinels.front().port;
    std::string_view tail = path_start == npos ? std::string_view{} : rest.substr(path_start);
    if (tail.starts_with('/')) {
      const auto end = tail.find_first_of("?#");
      const std::string_view db_text = tail.substr(1, end == npos ? npos : end - 1);
      if (!db_text.empty()) uri.db = parse_db(db_text);
      tail = end == npos ? std::string_view{} : tail.substr(end);
    }
    if (tail.starts_with('?')) {
      const auto end = tail.find('#');
      parse_sentinel_query(tail.substr(1, end == npos ? npos : end - 1), uri);
      tail = end == npos ? std::string_view{} : tail.substr(end);
    }
    if (tail.starts_with('#')) {
      std::string master = decode(tail.substr(1), "master name", false);
      if (!uri.sentinel_master.empty() && master != uri.sentinel_master)
        fail("names two masters: '" + uri.sentinel_master + "' in its query and '" + master +
             "' after '#'");
      uri.sentinel_master = std::move(master);
    }
  }

  // Calls on_parameter(name, value) for each name=value of a query.
  template <typename OnParameter>
  void for_each_query_parameter(std::string_view query, OnParameter on_parameter) const {
    while (!query.empty()) {
      const auto ampersand = query.find('&');
      const std::string_view parameter = query.substr(0, ampersand);
      query = ampersand == npos ? std::string_view{} : query.substr(ampersand + 1);
      if (parameter.empty()) continue;
      const auto equals = parameter.find('=');
      if (equals == npos)
        fail("the query parameter '" + shown(parameter) + "' has no value (name=value)");
      on_parameter(parameter.substr(0, equals), parameter.substr(equals + 1));
    }
  }

  void parse_sentinel_query(std::string_view query, Uri& uri) const {
    for_each_query_parameter(query, [&](std::string_view name, std::string_view value) {
      if (name == "master" || name == "sentinelMasterId") {
        uri.sentinel_master = decode(value, "master name", false);
        if (uri.sentinel_master.empty()) fail("the master name is empty");
      } else if (name == "db" || name == "database") {
        uri.db = parse_db(value);
      } else {
        fail("unknown query parameter '" + shown(name) +
             "'; accepted: master (or sentinelMasterId), db");
      }
    });
  }

  // "::1:6379" is an IPv6 address without its brackets; "h:6379:6380" is
  // not, and hearing about IPv6 would only confuse.
  [[noreturn]] void fail_many_colons(std::string_view host_and_port) const {
    const bool ipv6_like = std::all_of(host_and_port.begin(), host_and_port.end(), [](char c) {
      return is_digit(c) || c == ':' || c == '.' || (c >= 'a' && c <= 'f') ||
             (c >= 'A' && c <= 'F');
    });
    if (ipv6_like)
      fail("the host '" + shown(host_and_port) +
           "' looks like an IPv6 address: write it in brackets, e.g. redis://[::1]:6379");
    fail("'" + shown(host_and_port) +
         "' has more than one ':': write host:port with one port (an IPv6 address goes in "
         "brackets, e.g. redis://[::1]:6379)");
  }

  void check_host(std::string_view host, std::string_view allowed_punctuation) const {
    if (host.empty()) fail("the host is empty");
    for (const char c : host)
      if (!is_alnum(c) && allowed_punctuation.find(c) == npos)
        fail("the host '" + shown(host) + "' contains the invalid character " + quoted_char(c));
  }

  std::uint16_t parse_port(std::string_view text) const {
    const auto port = parse_decimal<unsigned>(text);
    if (!port || *port < 1 || *port > 65535)
      fail("port '" + shown(text) + "' is not a number from 1 to 65535");
    return static_cast<std::uint16_t>(*port);
  }

  // "/", "/db" or something that does not belong there.
  void parse_database_path(std::string_view path, Uri& uri) const {
    if (path.front() == '?')
      fail("a redis:// URI takes no query parameters ('" + shown(path) +
           "'): write redis://[[user]:password@]host[:port][/db]");
    if (path.front() != '/')
      fail("unexpected '" + shown(path) + "' after '" + uri.endpoint() +
           "' (a redis:// URI ends with an optional /db)");
    const std::string_view after_slash = path.substr(1);
    const auto end = after_slash.find_first_of("/?#");
    const std::string_view db_text = after_slash.substr(0, end);
    if (!db_text.empty()) uri.db = parse_db(db_text);
    if (end != npos && after_slash[end] == '?')
      fail("a redis:// URI takes no query parameters ('" + shown(after_slash.substr(end)) +
           "'): write redis://[[user]:password@]host[:port][/db]");
    if (end != npos)
      fail("unexpected '" + shown(after_slash.substr(end)) + "' after " +
           (db_text.empty() ? std::string("'/'") : "the database number"));
  }

  int parse_db(std::string_view text) const {
    const std::string range = "a database index runs from 0 to " +
                              std::to_string(std::numeric_limits<int>::max()) +
                              " (a server has 16 databases, 0 to 15, unless configured otherwise)";
    const std::string_view digits = text.starts_with('-') ? text.substr(1) : text;
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), is_digit))
      fail("database '" + shown(text) + "' is not a number: " + range);
    const auto db = parse_decimal<int>(text);
    if (!db) fail("database '" + shown(text) + "' is out of range: " + range);
    return *db;
  }

  // redis-socket:///path[?db=N&user=U&password=P]
  void parse_socket(std::string_view rest, Uri& uri) const {
    const auto query_start = rest.find('?');
    const std::string_view path = rest.substr(0, query_start);
    if (path.empty() || path.front() != '/') {
      if (path.find('@') != npos)
        fail(
            "a socket URI takes its user and password as query parameters, as in "
            "redis-socket:///var/run/redis.sock?user=U&password=P");
      fail("the socket path must be absolute, as in redis-socket:///var/run/redis.sock");
    }
    uri.socket_path = decode(path, "socket path", false);
    if (query_start != npos) parse_socket_query(rest.substr(query_start + 1), uri);
  }

  void parse_socket_query(std::string_view query, Uri& uri) const {
    for_each_query_parameter(query, [&](std::string_view name, std::string_view value) {
      if (name == "db") {
        uri.db = parse_db(value);
      } else if (name == "user") {
        uri.user = decode(value, "user", false);
      } else if (name == "password") {
        uri.password = decode(value, "password", true);
      } else {
        fail("unknown query parameter '" + shown(name) + "'; accepted: db, user, password");
      }
    });
  }

  std::string decode(std::string_view text, std::string_view what, bool secret) const {
    auto decoded = percent_decode(text);
    if (!decoded) {
      const std::string quoted = secret ? std::string() : " '" + shown(text) + "'";
      fail("the " + std::string(what) + quoted +
           " has a malformed percent-escape (a literal % is written %25)");
    }
    return std::move(*decoded);
  }

  std::string_view text_;
  detail::UriSecrets secrets_;
};

}  // namespace

namespace {

std::string joined_endpoints(const std::vector<HostPort>& addresses) {
  std::string out;
  for (const HostPort& address : addresses) {
    if (!out.empty()) out += ',';
    out += address.endpoint();
  }
  return out;
}

}  // namespace

Uri Uri::parse(std::string_view text) {
  return UriParser(text).parse();
}

std::string Uri::to_string(bool reveal_password) const {
  const std::string shown_password =
      reveal_password ? percent_encode(password) : std::string(kMask);
  std::string out;
  if (scheme == Scheme::unix_socket) {
    out = "redis-socket://" + percent_encode(socket_path, "/");
    char separator = '?';
    const auto add = [&](std::string_view name, const std::string& value) {
      out += separator;
      out += name;
      out += '=';
      out += value;
      separator = '&';
    };
    if (db != 0) add("db", std::to_string(db));
    if (!user.empty()) add("user", percent_encode(user));
    if (!password.empty()) add("password", shown_password);
    return out;
  }
  if (is_sentinel())
    out = scheme == Scheme::tls ? "rediss-sentinel://" : "redis-sentinel://";
  else
    out = scheme == Scheme::tls ? "rediss://" : "redis://";
  // "user:@" rather than "user@": a lone user-info would read back as a password.
  if (!user.empty() || !password.empty()) {
    out += percent_encode(user);
    out += ':';
    if (!password.empty()) out += shown_password;
    out += '@';
  }
  out += is_sentinel() ? joined_endpoints(sentinels) : endpoint();
  if (db != 0) {
    out += '/';
    out += std::to_string(db);
  }
  if (is_sentinel() && !sentinel_master.empty()) {
    out += "?master=";
    out += percent_encode(sentinel_master);
  }
  return out;
}

std::string HostPort::endpoint() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string Uri::endpoint() const {
  if (scheme == Scheme::unix_socket) return socket_path;
  if (is_sentinel()) {
    const std::string sentinels_text = "sentinels " + joined_endpoints(sentinels);
    if (sentinel_master.empty()) return sentinels_text;
    return "master " + sentinel_master + " via " + sentinels_text;
  }
  return HostPort{host, port}.endpoint();
}

}  // namespace riot::redis
