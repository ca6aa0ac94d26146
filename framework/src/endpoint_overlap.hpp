#pragma once
// Whether a run would write into a database it reads: the endpoints its
// components reported (HostContext::report_endpoint), compared by the
// servers' own ids, or by resolved address where a server refused to tell.

#include <optional>
#include <string>
#include <vector>

#include "riot/endpoint_identity.hpp"

namespace riot::host {

struct EndpointOverlap {
  // Set when an endpoint written to is one read from: the refusal's message.
  std::optional<std::string> conflict;
  // Pairs compared by address only ("target 127.0.0.1:6380 (its id could not be
  // read)"): what the log should say was not checked.
  std::vector<std::string> unverified;
};

EndpointOverlap find_endpoint_overlap(const std::vector<EndpointIdentity>& reads,
                                      const std::vector<EndpointIdentity>& writes);

}  // namespace riot::host
