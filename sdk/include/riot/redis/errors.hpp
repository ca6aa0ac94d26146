#pragma once
// Typed errors of the Redis client. Every message starts with the endpoint it
// concerns ("target 127.0.0.1:6380: WRONGPASS invalid username-password pair")
// so a user knows at once which side failed.
//
// It is also the one place where riot decides what an error reply means for
// the work that got it (classify_error_reply): worth a retry, a failure of
// one key, or a refusal of the server that no retry can mend.

#include <stdexcept>
#include <string>
#include <string_view>

namespace riot::redis {

// Base of every error raised by the client.
class Error : public std::runtime_error {
 public:
  Error(std::string endpoint, const std::string& message)
      : std::runtime_error(endpoint.empty() ? message : endpoint + ": " + message),
        endpoint_(std::move(endpoint)) {}
  const std::string& endpoint() const noexcept { return endpoint_; }

 protected:
  // For a message that is a sentence about the endpoint ("target 10.0.0.7:6379
  // is a read-only replica ..."), not "ENDPOINT: message".
  struct Sentence {};
  Error(Sentence, std::string endpoint, const std::string& message)
      : std::runtime_error(message), endpoint_(std::move(endpoint)) {}

 private:
  std::string endpoint_;
};

// Connecting, reading or writing the socket failed; the connection is closed.
class IoError : public Error {
 public:
  using Error::Error;
};

// A connect or command deadline passed; the connection is closed.
class TimeoutError : public IoError {
 public:
  using IoError::IoError;
};

// TLS itself failed: the server's certificate could not be verified, the
// server refused the client certificate, or the TLS settings are unusable (a
// CA, certificate or key file that cannot be read). Retrying with the same
// settings fails the same way. A socket that breaks during the TLS handshake
// is a plain IoError; a handshake that does not finish in time a TimeoutError.
class TlsError : public IoError {
 public:
  using IoError::IoError;
};

// The server sent something the RESP parser rejects; the connection is closed.
class ProtocolError : public IoError {
 public:
  using IoError::IoError;
};

// The server answered a command of a pipeline with an error reply and closed
// the connection: it could not parse the request ("ERR Protocol error:
// invalid bulk length" for an argument longer than its proto-max-bulk-len).
// The commands before that one were applied, those after it were not read.
class RequestRejectedError : public IoError {
 public:
  RequestRejectedError(std::string endpoint, const std::string& message, std::string reply)
      : IoError(std::move(endpoint), message), reply_(std::move(reply)) {}
  // The server's error reply, e.g. "ERR Protocol error: invalid bulk length".
  const std::string& reply() const noexcept { return reply_; }

 private:
  std::string reply_;
};

// The server answered a command with an error reply (-ERR, -WRONGPASS, -OOM...).
// The connection stays usable.
class ReplyError : public Error {
 public:
  using Error::Error;
};

// What an error reply means for the work that got it.
enum class RefusalScope {
  transient,  // may pass when sent again later (OOM, LOADING, BUSY...): retry with backoff
  key,        // about one key or its value (BUSYKEY, WRONGTYPE, NOPERM on a key...): report the
              // key, go on with the others
  server,     // about the server or the user, the same for every key (READONLY, NOPERM on the
              // command, an unknown command...): no retry mends it, the run stops
};

// Where an error reply came from, as far as its meaning depends on it.
struct RefusalContext {
  // "source" or "target": named in the advice ("point TARGET at the master",
  // "--target-cluster").
  std::string_view side;
  bool cluster = false;  // the client routes by slot: MOVED and ASK are then transient
};

struct Refusal {
  RefusalScope scope = RefusalScope::key;
  // For a server refusal: what the server is or does, to follow its
  // description ("is a read-only replica (READONLY)"), and what to do about
  // it ("point TARGET at the master"). Empty otherwise.
  std::string meaning;
  std::string remedy;
};

// Classifies an error reply (its text, without the leading '-'). Replies not
// known to concern the server or to pass later are about the key.
Refusal classify_error_reply(std::string_view reply, const RefusalContext& context);

// Whether an error reply may pass if the command is sent again later: OOM
// (maxmemory reached with noeviction), LOADING (a restarted server loading
// its data), BUSY (a script running), TRYAGAIN, CLUSTERDOWN (a cluster
// electing a new master, or a slot nobody serves yet), NOREPLICAS and
// MASTERDOWN (a master short of replicas, a replica without its master), and
// MOVED or ASK that a cluster client's redirections did not settle (a
// resharding in full swing). The error code is the reply's first word, so
// BUSYKEY is not BUSY.
bool is_transient_error_reply(std::string_view error);
// Those error codes, for the help and schema texts that list them:
// "OOM, LOADING, BUSY, ... and MOVED or ASK that did not settle".
std::string transient_error_replies_text();
bool is_out_of_memory_reply(std::string_view error);

// The server refused an argument longer than its proto-max-bulk-len ("ERR
// Protocol error: invalid bulk length"), and closed the connection.
bool is_oversized_argument_reply(std::string_view error);

// An error reply no retry can mend, about the server rather than one key:
// "target 127.0.0.1:6380 is a read-only replica (READONLY): point TARGET at
// the master". Stops the run.
class ServerRefusalError : public ReplyError {
 public:
  ServerRefusalError(std::string endpoint, const Refusal& refusal)
      : ReplyError(Sentence{}, endpoint, endpoint + " " + refusal.meaning + ": " + refusal.remedy) {
  }
};

// A malformed URI; the message names the URI (with any password masked).
class UriError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

}  // namespace riot::redis
