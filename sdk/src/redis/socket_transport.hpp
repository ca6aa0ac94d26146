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

  // The most pieces one write_some sends (IOV_MAX is 1024); the caller
  // passes the rest again.
  static constexpr std::size_t kMaxPieces = 64;

  std::size_t write_some(std::span<const std::string_view> pieces) override;
  std::size_t read_some(std::span<char> buffer) override;
  bool wait(bool want_write, Deadline deadline) override;
  int socket() const noexcept override { return socket_.get(); }
  short poll_events(bool want_write) const noexcept override;

 private:
  UniqueFd socket_;
  std::string description_;
};

}  // namespace riot::redis::detail
