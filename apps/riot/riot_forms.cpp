#include "riot_forms.hpp"

#include <algorithm>
#include <array>
#include <deque>
#include <optional>

#include "cli_options.hpp"
#include "option_values.hpp"
#include "read_from_option.hpp"
#include "replicate_syntax.hpp"
#include "riot_refusals.hpp"
#include "usage_error.hpp"

namespace riot::app {

namespace {

enum class Side { source, target };

std::string side_name(Side side) {
  return side == Side::source ? "source" : "target";
}

// What one of RIOT's connection options sets.
enum class Field {
  host,
  port,
  socket,
  uri,
  db,  // what SOURCE or TARGET is made of
  user,
  pass,
  client,
  cluster,
  tls,
  insecure,
  tls_verify,
  cacert,
  cert,
  key,
  key_pwd,
  timeout,
  pool,
  read_from
};

struct ConnectionOption {
  std::string_view name;  // without its dashes: "h", "hostname"
  Field field;
};

// RIOT 2's, RIOT 3's and RIOT-X's connection options (RIOT-X's with a
// --source- or --target- prefix, stripped before the look-up).
constexpr std::array kConnectionOptions{ConnectionOption{"h", Field::host},
                                        ConnectionOption{"hostname", Field::host},
                                        ConnectionOption{"host", Field::host},
                                        ConnectionOption{"p", Field::port},
                                        ConnectionOption{"port", Field::port},
                                        ConnectionOption{"s", Field::socket},
                                        ConnectionOption{"socket", Field::socket},
                                        ConnectionOption{"u", Field::uri},
                                        ConnectionOption{"uri", Field::uri},
                                        ConnectionOption{"r", Field::uri},
                                        ConnectionOption{"redis", Field::uri},
                                        ConnectionOption{"n", Field::db},
                                        ConnectionOption{"db", Field::db},
                                        ConnectionOption{"user", Field::user},
                                        ConnectionOption{"a", Field::pass},
                                        ConnectionOption{"pass", Field::pass},
                                        ConnectionOption{"client", Field::client},
                                        ConnectionOption{"c", Field::cluster},
                                        ConnectionOption{"cluster", Field::cluster},
                                        ConnectionOption{"tls", Field::tls},
                                        ConnectionOption{"insecure", Field::insecure},
                                        ConnectionOption{"tls-verify", Field::tls_verify},
                                        ConnectionOption{"cacert", Field::cacert},
                                        ConnectionOption{"cert", Field::cert},
                                        ConnectionOption{"key", Field::key},
                                        ConnectionOption{"key-pwd", Field::key_pwd},
                                        ConnectionOption{"key-password", Field::key_pwd},
                                        ConnectionOption{"key-pass", Field::key_pwd},
                                        ConnectionOption{"timeout", Field::timeout},
                                        ConnectionOption{"o", Field::timeout},
                                        ConnectionOption{"pool", Field::pool},
                                        ConnectionOption{"read-from", Field::read_from}};

bool is_switch(Field field) {
  return field == Field::cluster || field == Field::tls || field == Field::insecure;
}

const ConnectionOption* find_connection_option(std::string_view name) {
  for (const ConnectionOption& option : kConnectionOptions)
    if (option.name == name) return &option;
  return nullptr;
}

// riot's option a RIOT connection option maps to, for one side ("user" ->
// "--target-user"); empty for the fields that make the URI or need more.
std::string riot_side_option(Field field, Side side) {
  const std::string prefix = "--" + side_name(side) + "-";
  switch (field) {
    case Field::user:
      return prefix + "user";
    case Field::pass:
      return prefix + "pass";
    case Field::client:
      return prefix + "client-name";
    case Field::cluster:
      return prefix + "cluster";
    case Field::tls:
      return prefix + "tls";
    case Field::insecure:
      return prefix + "insecure";
    case Field::tls_verify:
      return prefix + "tls-verify";
    case Field::cacert:
      return prefix + "cacert";
    case Field::cert:
      return prefix + "cert";
    case Field::key:
      return prefix + "key";
    case Field::key_pwd:
      return prefix + "key-pwd";
    case Field::pool:
      return side == Side::source ? "--read-threads" : "--write-threads";
    default:
      return {};
  }
}

// One side's server as RIOT's options name it.
struct Endpoint {
  std::optional<std::string> host, port, socket, uri, db;
  bool given() const { return host || port || socket || uri || db; }
};

// An option word split into its name and a value written in the same word:
// "--port=6380", or a short option's "-p6380".
struct OptionWord {
  std::string display;  // as written, without the value: "--port", "-p"
  std::string name;     // without dashes: "port", "p"
  std::optional<std::string> value;
};

bool is_option(const std::string& word) {
  return word.size() > 1 && word[0] == '-';
}

OptionWord split_option(const std::string& word) {
  OptionWord option;
  if (word.rfind("--", 0) == 0) {
    const std::size_t equals = word.find('=');
    option.display = word.substr(0, equals);
    if (equals != std::string::npos) option.value = word.substr(equals + 1);
  } else {
    option.display = word.substr(0, 2);
    // "-p6380": only RIOT's short connection options that take a value.
    const ConnectionOption* connection = find_connection_option(word.substr(1, 1));
    if (word.size() > 2 && connection && !is_switch(connection->field))
      option.value = word.substr(2);
    else
      option.display = word;
  }
  option.name = option.display.substr(option.display.find_first_not_of('-'));
  return option;
}

// Whether `word` may be the host of `-h HOST`: not an option, not a URI.
bool can_be_host(const std::string& word) {
  return !word.empty() && word[0] != '-' && word.find("://") == std::string::npos &&
         word.find('/') == std::string::npos;
}

bool is_replication_command(const std::string& word) {
  return word == "replicate" || word == "compare" || word == "replicate-ds";
}

bool is_command_word(const std::string& word) {
  return is_replication_command(word) || word == "run" || word == "validate" || word == "plugins";
}

// riot's own options: the global ones and `riot replicate`'s.
class KnownOptions {
 public:
  KnownOptions() : syntax_(replicate_command_syntax()), global_(global_options_description()) {}

  const po::option_description* find(const std::string& name) const {
    const std::string key = name.size() == 1 ? "-" + name : name;
    if (const auto* option = global_.find_nothrow(key, false)) return option;
    return syntax_.options.find_nothrow(key, false);
  }
  bool takes_value(const std::string& name) const {
    const po::option_description* option = find(name);
    return option && option->semantic()->max_tokens() > 0;
  }

 private:
  CommandSyntax syntax_;
  po::options_description global_;
};

class Translation {
 public:
  Translation(RiotFlavour flavour, const std::vector<std::string>& words)
      : flavour_(flavour), words_(words) {}

  std::vector<std::string> run() {
    const std::optional<std::size_t> command = find_command();
    if (!command || !is_replication_command(words_[*command])) return map_globals_only();
    const std::string& name = words_[*command];
    if (name == "compare") add("--mode", "compare");
    if (name == "replicate-ds") add("--type", "struct");
    // Before the command, RIOT's connection options are the source's; after
    // it the target's, unless --target-* options name the target.
    translate_range(0, *command, Side::source);
    translate_range(*command + 1, words_.size(),
                    names_target_by_prefix(*command + 1) ? Side::source : Side::target);
    finish_flags();
    std::vector<std::string> result{"replicate"};
    result.insert(result.end(), options_.begin(), options_.end());
    add_endpoints(result);
    return result;
  }

 private:
  // Where the command word is: the first word that is neither an option nor
  // an option's value.
  std::optional<std::size_t> find_command() const {
    for (std::size_t i = 0; i < words_.size(); ++i) {
      const std::string& word = words_[i];
      if (!is_option(word)) return i;
      if (word == "-h") {
        if (is_host_value(i)) ++i;
        continue;
      }
      const OptionWord option = split_option(word);
      if (option.value) continue;
      const ConnectionOption* connection = find_connection_option(option.name);
      if (connection && connection->field == Field::pass && !password_follows(i)) continue;
      if ((connection && !is_switch(connection->field)) || known_.takes_value(option.name)) ++i;
    }
    return std::nullopt;
  }

  // RIOT's -a takes its password from the next word, or prompts for it when
  // none follows (an option, or the command).
  bool password_follows(std::size_t a_index) const {
    return a_index + 1 < words_.size() && !is_option(words_[a_index + 1]) &&
           !is_command_word(words_[a_index + 1]);
  }

  // `-h WORD` names a host when WORD can be one and a command still follows
  // (before the command) or always (after it); otherwise -h asks for help.
  bool is_host_value(std::size_t h_index) const {
    if (h_index + 1 >= words_.size() || !can_be_host(words_[h_index + 1])) return false;
    const auto rest = words_.begin() + static_cast<std::ptrdiff_t>(h_index) + 2;
    const auto command_word =
        std::find_if(words_.begin(), words_.begin() + static_cast<std::ptrdiff_t>(h_index),
                     [](const std::string& word) { return is_command_word(word); });
    const bool after_command =
        command_word != words_.begin() + static_cast<std::ptrdiff_t>(h_index);
    return after_command || std::any_of(rest, words_.end(), is_command_word);
  }

  // Any other command: only the spellings every RIOT shared.
  std::vector<std::string> map_globals_only() const {
    std::vector<std::string> result;
    for (const std::string& word : words_) {
      if (word == "-V")
        result.emplace_back("--version");
      else if (word == "-H")
        result.emplace_back("--help");
      else
        result.push_back(word);
    }
    return result;
  }

  // Whether the words after the command name the target with RIOT-X's
  // --target-host/--target-port/--target-uri/...: RIOT 3's
  // `riot replicate --uri SRC --target-uri DST` form.
  bool names_target_by_prefix(std::size_t from) const {
    for (std::size_t i = from; i < words_.size(); ++i) {
      if (words_[i].rfind("--target-", 0) != 0) continue;
      const OptionWord option = split_option(words_[i]);
      if (known_.find(option.name)) continue;
      const ConnectionOption* connection = find_connection_option(option.name.substr(7));
      if (connection && connection->field <= Field::db) return true;
    }
    return false;
  }

  void translate_range(std::size_t begin, std::size_t end, Side plain_side) {
    for (std::size_t i = begin; i < end; ++i) {
      const std::string& word = words_[i];
      if (!is_option(word)) {
        positionals_.push_back(word);
        continue;
      }
      if (word == "-h") {
        if (is_host_value(i))
          endpoint(plain_side).host = words_[++i];
        else
          options_.emplace_back("--help");
        continue;
      }
      translate_option(i, plain_side);
    }
  }

  // The value of the option at `index`: in its word, or the next one.
  std::string take_value(const OptionWord& option, std::size_t& index) {
    if (option.value) return *option.value;
    if (index + 1 >= words_.size()) throw CommandLineError("missing value for " + option.display);
    return words_[++index];
  }

  void translate_option(std::size_t& index, Side plain_side) {
    const OptionWord option = split_option(words_[index]);
    if (option.name == "h" && option.value) {  // "-hHOST": riot's -h takes no value
      endpoint(plain_side).host = *option.value;
      return;
    }
    if (translate_riot_spelling(option, index)) return;
    const ConnectionOption* connection = find_connection_option(option.name);
    if (connection && (!known_.find(option.name) || connection->field == Field::timeout)) {
      set_connection(*connection, option, index, plain_side);
      return;
    }
    for (const Side side : {Side::source, Side::target}) {
      const std::string prefix = side_name(side) + "-";
      if (option.name.rfind(prefix, 0) != 0 || known_.find(option.name)) continue;
      if (const ConnectionOption* prefixed =
              find_connection_option(option.name.substr(prefix.size()))) {
        set_connection(*prefixed, option, index, side);
        return;
      }
    }
    if (known_.find(option.name)) {
      pass_through(option, index);
      return;
    }
    if (const std::optional<std::string> refusal = riot_refusal(option.name))
      throw CommandLineError(option.display + " (RIOT) " + *refusal);
    options_.push_back(words_[index]);  // unknown: riot's parser names it
  }

  void pass_through(const OptionWord& option, std::size_t& index) {
    options_.push_back(words_[index]);
    if (!option.value && known_.takes_value(option.name) && index + 1 < words_.size())
      options_.push_back(words_[++index]);
  }

  // RIOT's spellings of riot's options; true when `option` was one.
  bool translate_riot_spelling(const OptionWord& option, std::size_t& index) {
    const std::string& name = option.name;
    if (name == "V") return add("--version"), true;
    if (name == "H") return add("--help"), true;
    if (name == "w" || name == "warn" || name == "verify") return true;  // riot's defaults
    if (name == "live") return live_ = true, true;
    if (name == "struct") return struct_ = true, true;
    if (name == "type" && !option.value) {
      // RIOT 3's --type is a switch (type-based replication); RIOT 2's and
      // riot's take dump, struct or ds.
      const bool has_type_value =
          index + 1 < words_.size() && is_type_value(lowercase(words_[index + 1]));
      if (!has_type_value) return struct_ = true, true;
      return false;
    }
    if (name == "batch" || name == "b") return batch_ = take_value(option, index), true;
    if (name == "threads") return threads_ = take_value(option, index), true;
    if (name == "compare") {
      const std::string value = take_value(option, index);
      if (lowercase(value) == "none")
        add("--no-verify");
      else
        add("--compare", value);
      return true;
    }
    if (name == "quick") return add("--compare", "quick"), true;
    if (name == "strategy") {
      const std::string value = lowercase(take_value(option, index));
      return add("--type", value == "value" ? "struct" : value), true;
    }
    if (name == "no-stream-id" || name == "no-stream-ids") return add("--stream-id", "drop"), true;
    if (name == "ttl-tolerance" && flavour_ == RiotFlavour::riot_redis) {
      // RIOT 2's tolerance is in seconds.
      const std::int64_t milliseconds =
          parse_duration_ms(take_value(option, index), option.display, DurationUnit::seconds);
      return add("--ttl-tolerance", std::to_string(milliseconds)), true;
    }
    constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kRenamed{
        {{"key-slot", "--key-slots"},
         {"reader-threads", "--read-threads"},
         {"reader-batch", "--read-batch"},
         {"reader-queue", "--read-queue"},
         {"reader-pool", "--read-threads"},
         {"retry-limit", "--retry"}}};
    for (const auto& [riot_name, renamed] : kRenamed)
      if (name == riot_name && !known_.find(name))
        return add(std::string(renamed), take_value(option, index)), true;
    return false;
  }

  static bool is_type_value(const std::string& word) {
    return word == "dump" || word == "struct" || word == "ds";
  }

  void set_connection(const ConnectionOption& connection, const OptionWord& option,
                      std::size_t& index, Side side) {
    const Field field = connection.field;
    if (is_switch(field)) {
      add(riot_side_option(field, side));
      return;
    }
    if (field == Field::pass && !option.value && !password_follows(index))
      throw CommandLineError(
          option.display + " without a password: riot never prompts for one; give it as " +
          option.display + " PASSWORD, --" + side_name(side) + "-pass PASSWORD or in the URI");
    const std::string value = take_value(option, index);
    Endpoint& server = endpoint(side);
    switch (field) {
      case Field::host:
        server.host = value;
        return;
      case Field::port:
        server.port = value;
        return;
      case Field::socket:
        server.socket = value;
        return;
      case Field::uri:
        server.uri = value;
        return;
      case Field::db:
        server.db = value;
        return;
      case Field::timeout:
        return add_timeout(option, value);
      case Field::read_from:
        return add_read_from(value, side);
      default:
        add(riot_side_option(field, side), value);
    }
  }

  // riot has one command timeout for both sides.
  void add_timeout(const OptionWord& option, const std::string& value) {
    if (timeout_ && *timeout_ != value)
      throw CommandLineError(option.display + " " + value + " differs from --timeout " + *timeout_ +
                             ": riot has one command timeout for both sides; give one --timeout");
    timeout_ = value;
  }

  void add_read_from(const std::string& value, Side side) {
    if (side == Side::source) return add("--read-from", value);
    // The target is read (verification, reconciliation) from its masters.
    if (read_from_option(value) != "master")
      throw CommandLineError("--target-read-from " + value +
                             ": riot reads the target from its masters only (what it writes is "
                             "there first); leave the option out");
  }

  // The switches and shorthands that stand for several of riot's options,
  // once every word is read: the options the user gave explicitly win.
  void finish_flags() {
    if (live_) add_unless_given("--mode", "live", {"live"});
    if (struct_) add_unless_given("--type", "struct", {"struct", "ds"});
    if (timeout_) add("--timeout", *timeout_);
    for (const auto& [shorthand, value, targets] :
         {std::tuple{"--batch", batch_, std::array{"--read-batch", "--write-batch"}},
          std::tuple{"--threads", threads_, std::array{"--read-threads", "--write-threads"}}}) {
      if (!value) continue;
      (void)shorthand;
      for (const char* target : targets)
        if (!given(target)) add(target, *value);
    }
  }

  // --live or --struct, and the option it stands for: the same value is
  // fine, another is a contradiction.
  void add_unless_given(const std::string& option, const std::string& value,
                        std::initializer_list<std::string_view> agreeing) {
    const std::optional<std::string> other = given_value(option);
    if (!other) return add(option, value);
    if (std::find(agreeing.begin(), agreeing.end(), lowercase(*other)) == agreeing.end())
      throw CommandLineError("--" + std::string(value == "live" ? "live" : "struct") +
                             " contradicts " + option + " " + *other);
  }

  bool given(const std::string& option) const { return given_value(option).has_value(); }

  std::optional<std::string> given_value(const std::string& option) const {
    for (std::size_t i = 0; i < options_.size(); ++i) {
      if (options_[i] == option && i + 1 < options_.size()) return options_[i + 1];
      if (options_[i].rfind(option + "=", 0) == 0) return options_[i].substr(option.size() + 1);
    }
    return std::nullopt;
  }

  // SOURCE and TARGET: the RIOT options' servers, else the arguments in order.
  void add_endpoints(std::vector<std::string>& result) {
    std::deque<std::string> arguments(positionals_.begin(), positionals_.end());
    std::optional<std::string> source = uri_of(source_, Side::source);
    std::optional<std::string> target = uri_of(target_, Side::target);
    if (!source && !arguments.empty()) source = take_front(arguments);
    if (!target && !arguments.empty()) target = take_front(arguments);
    if (target && !source)
      throw CommandLineError(
          "missing SOURCE: give it before the command (-h HOST -p PORT, or -u URI), with "
          "--source-host/--source-port, or as the first argument");
    if (source) result.push_back(*source);
    if (target) result.push_back(*target);
    result.insert(result.end(), arguments.begin(), arguments.end());  // too many: riot says so
  }

  static std::string take_front(std::deque<std::string>& arguments) {
    std::string front = endpoint_uri(arguments.front());
    arguments.pop_front();
    return front;
  }

  std::optional<std::string> uri_of(const Endpoint& server, Side side) const {
    if (!server.given()) return std::nullopt;
    const std::string who = "the " + side_name(side) + "'s";
    if (server.uri) {
      if (server.host || server.port || server.socket)
        throw CommandLineError("-u/--uri names " + who +
                               " server already: give either a URI or -h/-p (or -s), not both");
      if (server.db)
        throw CommandLineError("-n " + *server.db + " with -u/--uri: give " + who +
                               " database in the URI (redis://host:port/" + *server.db + ")");
      return endpoint_uri(*server.uri);
    }
    const auto check_number = [&](const std::optional<std::string>& value, const char* option) {
      if (value && (value->empty() || value->find_first_not_of("0123456789") != std::string::npos))
        throw CommandLineError("invalid value '" + *value + "' for " + option + " (" + who +
                               "): expected a number");
    };
    check_number(server.port, "-p/--port");
    check_number(server.db, "-n/--db");
    if (server.socket) {
      if (server.host || server.port)
        throw CommandLineError("-s/--socket names " + who +
                               " server already: give either a socket or -h/-p, not both");
      return "redis-socket://" + *server.socket + (server.db ? "?db=" + *server.db : "");
    }
    // RIOT's defaults: 127.0.0.1 and 6379.
    std::string host = server.host.value_or("127.0.0.1");
    if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";
    return "redis://" + host + ":" + server.port.value_or("6379") +
           (server.db ? "/" + *server.db : "");
  }

  Endpoint& endpoint(Side side) { return side == Side::source ? source_ : target_; }

  void add(const std::string& option) { options_.push_back(option); }
  void add(const std::string& option, const std::string& value) {
    options_.push_back(option);
    options_.push_back(value);
  }

  RiotFlavour flavour_;
  const std::vector<std::string>& words_;
  KnownOptions known_;
  std::vector<std::string> options_;
  std::vector<std::string> positionals_;
  Endpoint source_;
  Endpoint target_;
  std::optional<std::string> timeout_;
  std::optional<std::string> batch_;
  std::optional<std::string> threads_;
  bool live_ = false;
  bool struct_ = false;
};

}  // namespace

RiotFlavour flavour_of_program(std::string_view argv0) {
  const std::size_t slash = argv0.find_last_of('/');
  const std::string_view name = slash == std::string_view::npos ? argv0 : argv0.substr(slash + 1);
  if (name == "riot-redis") return RiotFlavour::riot_redis;
  if (name == "riotx") return RiotFlavour::riotx;
  return RiotFlavour::riot;
}

std::vector<std::string> translate_riot_forms(RiotFlavour flavour,
                                              const std::vector<std::string>& words) {
  return Translation(flavour, words).run();
}

std::string endpoint_uri(const std::string& text) {
  if (text.find("://") != std::string::npos) return text;
  // host:port, [v6]:port: a port after the last colon, and a host before it.
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return text;
  const std::string port = text.substr(colon + 1);
  if (port.find_first_not_of("0123456789") != std::string::npos) return text;
  const std::string host = text.substr(0, colon);
  const bool bare_v6 = host.find(':') != std::string::npos && host.front() != '[';
  return "redis://" + (bare_v6 ? "[" + host + "]" : host) + ":" + port;
}

}  // namespace riot::app
