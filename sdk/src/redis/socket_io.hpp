#pragma once
// Small POSIX helpers shared by the socket code: poll with a deadline, and
// errno rendered for messages.

#include <string>

#include "redis/deadline.hpp"

namespace riot::redis::detail {

// Waits until `fd` reports one of `events` (or an error/hang-up) and returns
// the events seen; 0 when the deadline passed first; -1 with errno set when
// poll itself failed. Restarts after EINTR with the time that is left.
int poll_until(int fd, short events, Deadline deadline);

// strerror text starting in lower case, to read well after "endpoint: "
// ("connection refused").
std::string errno_text(int error);

}  // namespace riot::redis::detail
