#include "support/test_files.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <system_error>

namespace riot::test {

std::filesystem::path make_temp_directory(const std::string& prefix) {
#ifdef RIOT_TEST_TMPDIR
  const std::filesystem::path root = RIOT_TEST_TMPDIR;
#else
  const std::filesystem::path root = "/tmp";
#endif
  std::filesystem::create_directories(root);
  std::string pattern = (root / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr)
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
  return pattern;
}

int listen_on_loopback(std::uint16_t& port, const std::string& what) {
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0) throw std::system_error(errno, std::generic_category(), what + ": socket");
  const int reuse = 1;
  ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof reuse);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // port 0: the kernel picks a free one
  socklen_t length = sizeof address;
  if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener, SOMAXCONN) != 0 ||
      ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const int error = errno;
    ::close(listener);
    throw std::system_error(error, std::generic_category(), what + " listening on 127.0.0.1");
  }
  port = ntohs(address.sin_port);
  return listener;
}

}  // namespace riot::test
