#include "redis/socket_io.hpp"

#include <poll.h>

#include <cerrno>
#include <climits>
#include <cstring>

namespace riot::redis::detail {
namespace {

// Milliseconds until the deadline, rounded up so that poll never returns
// just before it; clamped to what poll accepts.
int poll_timeout_ms(Deadline deadline) {
  const auto now = Clock::now();
  if (deadline <= now) return 0;
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
  return left > INT_MAX ? INT_MAX : static_cast<int>(left);
}

// strerror_r comes in a GNU flavour (returns the text) and an XSI one
// (fills the buffer); these overloads accept either.
[[maybe_unused]] const char* strerror_result(const char* text, const char*) {
  return text;
}
[[maybe_unused]] const char* strerror_result(int, const char* buffer) {
  return buffer;
}

}  // namespace

int poll_until(int fd, short events, Deadline deadline) {
  for (;;) {
    pollfd entry{fd, events, 0};
    const int ready = ::poll(&entry, 1, poll_timeout_ms(deadline));
    if (ready > 0) return entry.revents;
    if (ready < 0 && errno != EINTR) return -1;
    if (ready == 0 && Clock::now() >= deadline) return 0;
  }
}

std::string errno_text(int error) {
  char buffer[256] = {};
  std::string text = strerror_result(::strerror_r(error, buffer, sizeof buffer), buffer);
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z')
    text[0] = static_cast<char>(text[0] - 'A' + 'a');
  return text;
}

}  // namespace riot::redis::detail
