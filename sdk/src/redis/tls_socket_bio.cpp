#include "redis/tls_socket_bio.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <cstdint>

namespace riot::redis::detail {
namespace {

int socket_of(BIO* bio) {
  return static_cast<int>(reinterpret_cast<std::intptr_t>(BIO_get_data(bio)));
}

bool would_block(int error) {
  return error == EAGAIN || error == EWOULDBLOCK;
}

// A failed call leaves errno set: OpenSSL reports SSL_ERROR_SYSCALL and the
// transport reads errno to say what broke.
int socket_write(BIO* bio, const char* data, int size) {
  BIO_clear_retry_flags(bio);
  for (;;) {
    const ssize_t sent = ::send(socket_of(bio), data, static_cast<std::size_t>(size), MSG_NOSIGNAL);
    if (sent >= 0) return static_cast<int>(sent);
    if (errno == EINTR) continue;
    if (would_block(errno)) BIO_set_retry_write(bio);
    return -1;
  }
}

// 0 is the end of the stream, as for recv.
int socket_read(BIO* bio, char* data, int size) {
  BIO_clear_retry_flags(bio);
  for (;;) {
    const ssize_t received = ::recv(socket_of(bio), data, static_cast<std::size_t>(size), 0);
    if (received >= 0) return static_cast<int>(received);
    if (errno == EINTR) continue;
    if (would_block(errno)) BIO_set_retry_read(bio);
    return -1;
  }
}

long socket_control(BIO*, int command, long, void*) {
  // Writes go straight to the socket: there is nothing to flush. Every other
  // request (kernel TLS, buffering, ...) is declined, which OpenSSL treats as
  // "not supported".
  return command == BIO_CTRL_FLUSH ? 1 : 0;
}

int socket_create(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

int socket_destroy(BIO*) {
  return 1;
}

// Built once, used by every connection, kept until the process ends.
BIO_METHOD* socket_method() {
  static BIO_METHOD* const method = [] {
    BIO_METHOD* created = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "riot socket");
    if (created == nullptr) return created;
    BIO_meth_set_write(created, socket_write);
    BIO_meth_set_read(created, socket_read);
    BIO_meth_set_ctrl(created, socket_control);
    BIO_meth_set_create(created, socket_create);
    BIO_meth_set_destroy(created, socket_destroy);
    return created;
  }();
  return method;
}

}  // namespace

BIO* new_socket_bio(int socket) {
  BIO_METHOD* method = socket_method();
  if (method == nullptr) return nullptr;
  BIO* bio = BIO_new(method);
  if (bio != nullptr)
    BIO_set_data(bio, reinterpret_cast<void*>(static_cast<std::intptr_t>(socket)));
  return bio;
}

}  // namespace riot::redis::detail
