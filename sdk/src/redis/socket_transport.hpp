#pragma once
// A Transport over a connected, non-blocking stream socket (TCP or Unix).

#include <string>

#include "redis/transport.hpp"
#include "redis/unique_fd.hpp"

namespace riot::redis::detail {

class SocketTransport final : public Transport {
 public:
  // `description` names the endpoint in error messages.
  SocketTransport(UniqueFd socket, std::string description);

  std::size_t write_some(std::string_view bytes) override;
  std::size_t read_some(std::span<char> buffer) override;
  bool wait(bool want_write, Deadline deadline) override;

 private:
  UniqueFd socket_;
  std::string description_;
};

}  // namespace riot::redis::detail
