#pragma once
// Typed errors of the Redis client. Every message starts with the endpoint it
// concerns ("target 127.0.0.1:6380: WRONGPASS invalid username-password pair")
// so a user knows at once which side failed.

#include <stdexcept>
#include <string>

namespace riot::redis {

// Base of every error raised by the client.
class Error : public std::runtime_error {
 public:
  Error(std::string endpoint, const std::string& message)
      : std::runtime_error(endpoint.empty() ? message : endpoint + ": " + message),
        endpoint_(std::move(endpoint)) {}
  const std::string& endpoint() const noexcept { return endpoint_; }

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

// The server answered a command with an error reply (-ERR, -WRONGPASS, -OOM...).
// The connection stays usable.
class ReplyError : public Error {
 public:
  using Error::Error;
};

// A malformed URI; the message names the URI (with any password masked).
class UriError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

}  // namespace riot::redis
