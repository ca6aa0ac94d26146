// The host's comparison of the endpoints components read from and write to
// (integration tests run it against real servers; these pin its rules).
#include <gtest/gtest.h>

#include "endpoint_overlap.hpp"

namespace riot::host {
namespace {

EndpointIdentity endpoint(std::string description, std::vector<std::string> ids,
                          std::vector<std::string> addresses, int db = 0) {
  return {std::move(description), std::move(ids), std::move(addresses), db};
}

TEST(EndpointOverlap, SharedServerIdAndDatabaseIsAConflict) {
  const auto overlap = find_endpoint_overlap(
      {endpoint("source 127.0.0.1:6379", {"run_id:a"}, {"127.0.0.1:6379"})},
      {endpoint("target localhost:6379", {"run_id:a"}, {"127.0.0.1:6379", "[::1]:6379"})});
  ASSERT_TRUE(overlap.conflict);
  EXPECT_EQ(*overlap.conflict,
            "target localhost:6379 db 0 is the database read from (source 127.0.0.1:6379 db 0: "
            "the same server, run_id:a): riot would write over the keys it reads; choose another "
            "target database or server");
  EXPECT_TRUE(overlap.unverified.empty());
}

TEST(EndpointOverlap, AnotherDatabaseOfTheSameServerIsNot) {
  const auto overlap =
      find_endpoint_overlap({endpoint("source a", {"run_id:a"}, {"127.0.0.1:6379"}, 0)},
                            {endpoint("target a", {"run_id:a"}, {"127.0.0.1:6379"}, 1)});
  EXPECT_FALSE(overlap.conflict);
}

TEST(EndpointOverlap, IdsDecideOverAddresses) {
  // One address, two servers in turn (a port reused, a proxy): ids differ.
  const auto overlap =
      find_endpoint_overlap({endpoint("source a", {"run_id:a"}, {"10.0.0.1:6379"})},
                            {endpoint("target b", {"run_id:b"}, {"10.0.0.1:6379"})});
  EXPECT_FALSE(overlap.conflict);
}

TEST(EndpointOverlap, AnyNodeSharedBetweenTwoClustersIsTheSameCluster) {
  const auto overlap = find_endpoint_overlap(
      {endpoint("source cluster a:7000", {"node:1", "node:2", "node:3"}, {"10.0.0.1:7000"})},
      {endpoint("target cluster b:7003", {"node:9", "node:3"}, {"10.0.0.2:7003"})});
  ASSERT_TRUE(overlap.conflict);
  EXPECT_NE(overlap.conflict->find("the same server, node:3"), std::string::npos);
}

TEST(EndpointOverlap, WithoutIdsAddressesAreComparedAndThatIsSaid) {
  const auto same = find_endpoint_overlap({endpoint("source a", {}, {"127.0.0.1:6379"})},
                                          {endpoint("target b", {"run_id:b"}, {"127.0.0.1:6379"})});
  ASSERT_TRUE(same.conflict);
  EXPECT_NE(same.conflict->find("the same address, 127.0.0.1:6379"), std::string::npos);
  ASSERT_EQ(same.unverified.size(), 1u);
  EXPECT_EQ(same.unverified.front(),
            "whether target b is source a was checked by address only: the servers' ids (INFO "
            "server run_id, CLUSTER MYID) could not be read");

  const auto different = find_endpoint_overlap({endpoint("source a", {}, {"127.0.0.1:6379"})},
                                               {endpoint("target b", {}, {"127.0.0.1:6380"})});
  EXPECT_FALSE(different.conflict);
  EXPECT_EQ(different.unverified.size(), 1u);
}

}  // namespace
}  // namespace riot::host
