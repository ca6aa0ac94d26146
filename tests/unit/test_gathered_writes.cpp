// The socket transport's gathered write (sendmsg over several pieces) on a
// real socket pair with a small send buffer: every write is partial, often
// inside a piece, and resuming from the position reached sends the stream
// exactly, large referenced arguments included.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "redis/socket_transport.hpp"
#include "redis/unique_fd.hpp"
#include "riot/redis/command_buffer.hpp"
#include "riot/redis/errors.hpp"

namespace riot::redis {
namespace {

std::string random_bytes(std::mt19937& random, std::size_t size) {
  std::string bytes(size, '\0');
  for (auto& byte : bytes) byte = static_cast<char>(random() & 0xff);
  return bytes;
}

// Reads what the peer can take without blocking.
void drain(int fd, std::string& received) {
  char buffer[4096];
  for (;;) {
    const ssize_t count = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (count <= 0) return;
    received.append(buffer, static_cast<std::size_t>(count));
  }
}

TEST(GatheredWrites, PartialWritesResumeExactlyAcrossPieces) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0);
  detail::UniqueFd reader_end(fds[1]);
  const int send_buffer = 4096;  // the kernel rounds it up a little
  ASSERT_EQ(::setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &send_buffer, sizeof send_buffer), 0);
  detail::SocketTransport transport{detail::UniqueFd(fds[0]), "test socket"};

  std::mt19937 random(11);
  std::vector<std::string> payloads;
  for (const std::size_t size : {300000u, 16384u, 70000u, 5u, 1000000u})
    payloads.push_back(random_bytes(random, size));
  CommandBuffer commands;
  for (const std::string& payload : payloads) {
    commands.append_referencing({"RESTORE", "key", "0", payload, "REPLACE"});
    commands.append({"PTTL", "key"});
  }
  ASSERT_TRUE(commands.has_references());

  std::string received;
  std::size_t position = 0;
  std::size_t partial_writes = 0;
  std::vector<std::string_view> pieces(detail::SocketTransport::kMaxPieces);
  while (position < commands.byte_size()) {
    const std::size_t count = commands.gather(position, commands.byte_size(), pieces);
    std::size_t offered = 0;
    for (std::size_t i = 0; i < count; ++i) offered += pieces[i].size();
    const std::size_t sent = transport.write_some(std::span(pieces.data(), count));
    ASSERT_LE(sent, offered);
    if (sent < offered) ++partial_writes;
    position += sent;
    drain(reader_end.get(), received);
  }
  drain(reader_end.get(), received);

  EXPECT_GT(partial_writes, 10u) << "the small send buffer made writes partial";
  EXPECT_EQ(received.size(), commands.byte_size());
  EXPECT_TRUE(received == commands.flatten()) << "the bytes arrived in order, none twice";
}

TEST(GatheredWrites, AClosedPeerIsAnErrorNotASignal) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0);
  detail::SocketTransport transport{detail::UniqueFd(fds[0]), "test socket"};
  ::close(fds[1]);
  const std::string payload(100000, 'x');
  CommandBuffer commands;
  commands.append_referencing({"SET", "k", payload});
  std::vector<std::string_view> pieces(4);
  const std::size_t count = commands.gather(0, commands.byte_size(), pieces);
  EXPECT_THROW(transport.write_some(std::span(pieces.data(), count)), IoError);
}

}  // namespace
}  // namespace riot::redis
