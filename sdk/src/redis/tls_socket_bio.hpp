#pragma once
// The OpenSSL BIO under a TLS connection: the non-blocking TCP socket, read
// with recv and written with send(MSG_NOSIGNAL).
//
// OpenSSL's own socket BIO writes with write(2), which raises SIGPIPE when the
// server has closed the connection, and SIGPIPE kills the process unless the
// program ignores it. This BIO makes the TLS transport safe on its own,
// whatever the embedding program does with SIGPIPE: neither the launcher nor
// any other host of the SDK has to ignore it.

#include <openssl/bio.h>

namespace riot::redis::detail {

// A new BIO over `socket`, which it does not own (closing the socket is the
// caller's business, after the BIO is freed). Returns nullptr when OpenSSL is
// out of memory.
BIO* new_socket_bio(int socket);

}  // namespace riot::redis::detail
