#include "endpoint_overlap.hpp"

#include <algorithm>

namespace riot::host {
namespace {

// The first value both lists hold; empty when none.
std::string first_shared(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (const std::string& value : a)
    if (std::find(b.begin(), b.end(), value) != b.end()) return value;
  return {};
}

std::string with_db(const EndpointIdentity& endpoint) {
  return endpoint.description + " db " + std::to_string(endpoint.db);
}

}  // namespace

EndpointOverlap find_endpoint_overlap(const std::vector<EndpointIdentity>& reads,
                                      const std::vector<EndpointIdentity>& writes) {
  EndpointOverlap overlap;
  for (const EndpointIdentity& written : writes) {
    for (const EndpointIdentity& read : reads) {
      if (written.db != read.db) continue;  // db 0 into db 1 of one server is a copy
      const bool identified = !written.server_ids.empty() && !read.server_ids.empty();
      std::string shared;
      if (identified) {
        shared = first_shared(written.server_ids, read.server_ids);
      } else {
        const std::string note = "whether " + written.description + " is " + read.description +
                                 " was checked by address only: the servers' ids (INFO server "
                                 "run_id, CLUSTER MYID) could not be read";
        if (std::find(overlap.unverified.begin(), overlap.unverified.end(), note) ==
            overlap.unverified.end())
          overlap.unverified.push_back(note);
        shared = first_shared(written.addresses, read.addresses);
      }
      if (shared.empty()) continue;
      overlap.conflict = with_db(written) + " is the database read from (" + with_db(read) +
                         ": the same " + (identified ? "server, " : "address, ") + shared +
                         "): riot would write over the keys it reads; choose another target "
                         "database or server";
      return overlap;
    }
  }
  return overlap;
}

}  // namespace riot::host
