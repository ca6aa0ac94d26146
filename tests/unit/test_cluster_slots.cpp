// Hash slots, slot sets and the topology read from CLUSTER SLOTS.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "riot/redis/client.hpp"
#include "riot/redis/cluster/slot.hpp"
#include "riot/redis/cluster/topology.hpp"
#include "riot/redis/errors.hpp"
#include "riot/redis/keyed_commands.hpp"

namespace riot::redis::cluster {
namespace {

TEST(KeySlot, MatchesTheSlotsRedisComputes) {
  // Values given by CLUSTER KEYSLOT on Redis 7.
  EXPECT_EQ(key_slot("foo"), 12182);
  EXPECT_EQ(key_slot("bar"), 5061);
  EXPECT_EQ(key_slot("123456789"), 12739) << "CRC16/XMODEM check value 0x31C3";
  EXPECT_EQ(key_slot(""), 0);
}

TEST(KeySlot, HashesOnlyTheFirstNonEmptyHashTag) {
  EXPECT_EQ(key_slot("{user1000}.following"), key_slot("user1000"));
  EXPECT_EQ(key_slot("{user1000}.followers"), key_slot("{user1000}.following"));
  EXPECT_EQ(key_slot("foo{bar}{zap}"), key_slot("bar"));
  EXPECT_EQ(key_slot("foo{{bar}}zap"), key_slot("{bar"));
  // An empty tag, or an unclosed one, means the whole key is hashed.
  EXPECT_EQ(key_slot("foo{}{bar}"), 8363);
  EXPECT_NE(key_slot("foo{}{bar}"), key_slot("bar"));
  EXPECT_NE(key_slot("foo{bar"), key_slot("bar"));
}

TEST(KeySlot, TakesBinaryKeys) {
  const std::string with_nul("a\0b", 3);
  EXPECT_NE(key_slot(with_nul), key_slot("a")) << "the NUL byte and what follows are hashed";
  EXPECT_LT(key_slot("\xff\r\n"), kSlotCount);
}

TEST(SlotSet, ParsesRangesAndSingleSlots) {
  const SlotSet set = SlotSet::parse("0:5460,10923-16383, 7000");
  EXPECT_EQ(set.count(), 5461u + 5461u + 1u);
  EXPECT_TRUE(set.contains(0));
  EXPECT_TRUE(set.contains(5460));
  EXPECT_FALSE(set.contains(5461));
  EXPECT_TRUE(set.contains(7000));
  EXPECT_TRUE(set.contains(16383));
  EXPECT_EQ(set.to_string(), "0:5460,7000,10923:16383");
  EXPECT_EQ(SlotSet::parse(set.to_string()), set) << "to_string reads back";
}

TEST(SlotSet, MergesOverlapsAndKnowsTheWhole) {
  EXPECT_TRUE(SlotSet::parse("0:9000,8000:16383").is_all());
  EXPECT_TRUE(SlotSet::all().is_all());
  EXPECT_TRUE(SlotSet().empty());
  EXPECT_EQ(SlotSet::parse("5:9,0:4").ranges(), (std::vector<SlotRange>{{0, 9}}));
  EXPECT_TRUE(SlotSet::parse("100:200").intersects({200, 300}));
  EXPECT_FALSE(SlotSet::parse("100:200").intersects({201, 300}));
  EXPECT_EQ((SlotSet::parse("0:100,300:400") & SlotSet::parse("50:350")).to_string(),
            "50:100,300:350");
}

TEST(SlotSet, RefusesMalformedRangesNamingThem) {
  const auto message_of = [](const char* text) {
    try {
      SlotSet::parse(text);
    } catch (const std::invalid_argument& error) {
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message_of("0:16384").find("16384"), std::string::npos) << message_of("0:16384");
  EXPECT_NE(message_of("0:16384").find("0 to 16383"), std::string::npos);
  EXPECT_NE(message_of("9:3").find("ends before it starts"), std::string::npos);
  EXPECT_NE(message_of("a:3").find("'a'"), std::string::npos);
  EXPECT_NE(message_of("1,,2").find("empty range"), std::string::npos);
  EXPECT_NE(message_of("").find("empty range"), std::string::npos);
  EXPECT_NE(message_of("-1:5").find("not a slot number"), std::string::npos);
}

// CLUSTER SLOTS entries: [first, last, [host, port, id], replicas...].
Reply integer(std::int64_t value) {
  Reply reply;
  reply.type = ReplyType::integer;
  reply.integer = value;
  return reply;
}
Reply node(const std::string& host, std::int64_t port) {
  Reply reply;
  reply.type = ReplyType::array;
  Reply name;
  name.type = ReplyType::string;
  name.str = host;
  reply.elements = {name, integer(port)};
  return reply;
}
Reply range(std::int64_t first, std::int64_t last, std::vector<Reply> nodes) {
  Reply reply;
  reply.type = ReplyType::array;
  reply.elements = {integer(first), integer(last)};
  for (Reply& n : nodes) reply.elements.push_back(std::move(n));
  return reply;
}
Reply array(std::vector<Reply> elements) {
  Reply reply;
  reply.type = ReplyType::array;
  reply.elements = std::move(elements);
  return reply;
}

TEST(Topology, GroupsTheRangesOfOneMasterIntoOneShard) {
  const Reply slots = array({range(0, 99, {node("10.0.0.1", 7000), node("10.0.0.4", 7003)}),
                             range(200, 16383, {node("10.0.0.2", 7001)}),
                             range(100, 199, {node("10.0.0.1", 7000), node("10.0.0.4", 7003)})});
  const Topology topology = Topology::from_cluster_slots(slots, "seed", "test");
  ASSERT_EQ(topology.shards().size(), 2u);
  const Shard& first = topology.shards()[0];
  EXPECT_EQ(first.master, (NodeAddress{"10.0.0.1", 7000}));
  ASSERT_EQ(first.replicas.size(), 1u);
  EXPECT_EQ(first.replicas[0].endpoint(), "10.0.0.4:7003");
  EXPECT_EQ(first.describe_slots(), "0-99,100-199") << "ranges sorted";
  EXPECT_EQ(topology.shard_of(150), 0u);
  EXPECT_EQ(topology.shard_of(16383), 1u);
  EXPECT_EQ(topology.unassigned_slots(), 0u);
}

TEST(Topology, KnowsUnassignedSlotsAndTheSeedHostForUnnamedNodes) {
  const Reply slots =
      array({range(0, 8191, {node("", 7000)}), range(8192, 9000, {node("?", 7001)})});
  const Topology topology = Topology::from_cluster_slots(slots, "seed.example", "test");
  EXPECT_EQ(topology.shards()[0].master.host, "seed.example");
  EXPECT_EQ(topology.shards()[1].master.host, "seed.example");
  EXPECT_FALSE(topology.shard_of(9001).has_value());
  EXPECT_EQ(topology.unassigned_slots(), 16384u - 9001u);
}

TEST(Topology, RefusesMalformedRepliesNamingTheEndpoint) {
  EXPECT_THROW(Topology::from_cluster_slots(integer(3), "h", "source 1.2.3.4:7000"), ProtocolError);
  EXPECT_THROW(Topology::from_cluster_slots(array({range(0, 16384, {node("h", 1)})}), "h", "e"),
               ProtocolError);
  EXPECT_THROW(Topology::from_cluster_slots(array({range(10, 5, {node("h", 1)})}), "h", "e"),
               ProtocolError);
  EXPECT_THROW(Topology::from_cluster_slots(array({range(0, 5, {node("h", 0)})}), "h", "e"),
               ProtocolError);
  try {
    Topology::from_cluster_slots(integer(3), "h", "source 1.2.3.4:7000");
  } catch (const ProtocolError& error) {
    EXPECT_NE(std::string(error.what()).find("source 1.2.3.4:7000"), std::string::npos);
  }
}

// Built member by member: GCC 12 at -O3 warns falsely about the strings of a
// nested aggregate initializer.
Shard shard_of(std::vector<std::string> replicas) {
  Shard shard;
  shard.master.host = "m";
  shard.master.port = 1;
  std::uint16_t port = 2;
  for (std::string& host : replicas) {
    NodeAddress replica;
    replica.host = std::move(host);
    replica.port = port++;
    shard.replicas.push_back(std::move(replica));
  }
  shard.slots.push_back({0, 16383});
  return shard;
}

TEST(ReadFrom, ChoosesTheNodeOfEachPolicy) {
  const Shard shard = shard_of({"r1", "r2"});
  EXPECT_EQ(choose_node(shard, ReadFrom::master, 5).host, "m");
  EXPECT_EQ(choose_node(shard, ReadFrom::replica, 0).host, "r1");
  EXPECT_EQ(choose_node(shard, ReadFrom::replica, 1).host, "r2") << "workers spread";
  EXPECT_EQ(choose_node(shard, ReadFrom::replica_preferred, 2).host, "r1");
  EXPECT_EQ(choose_node(shard, ReadFrom::any, 0).host, "m");
  EXPECT_EQ(choose_node(shard, ReadFrom::any, 2).host, "r2");

  const Shard lonely = shard_of({});
  EXPECT_EQ(choose_node(lonely, ReadFrom::replica_preferred, 0).host, "m");
  try {
    choose_node(lonely, ReadFrom::replica, 0);
    ADD_FAILURE() << "a shard without replica cannot serve read-from replica";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("m:1"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("replica-preferred"), std::string::npos);
  }
}

TEST(ReadFrom, ParsesTheNamesUsersWrite) {
  EXPECT_EQ(parse_read_from("replica-preferred"), ReadFrom::replica_preferred);
  EXPECT_EQ(parse_read_from("replica_preferred"), ReadFrom::replica_preferred);
  EXPECT_EQ(parse_read_from("any"), ReadFrom::any);
  EXPECT_FALSE(parse_read_from("slave").has_value());
  for (ReadFrom mode :
       {ReadFrom::master, ReadFrom::replica, ReadFrom::replica_preferred, ReadFrom::any})
    EXPECT_EQ(parse_read_from(to_string(mode)), mode);
}

TEST(ClientOptions, ReadsClusterAndReadFromNamingTheKeyAtFault) {
  const ClientOptions detect =
      ClientOptions::from_config({{"uri", "redis://127.0.0.1:7000"}}, "source");
  EXPECT_EQ(detect.cluster, ClusterMode::detect);
  EXPECT_EQ(detect.read_from, ReadFrom::master);
  const ClientOptions on = ClientOptions::from_config(
      {{"uri", "redis://h:1"}, {"cluster", true}, {"read_from", "replica"}}, "source");
  EXPECT_EQ(on.cluster, ClusterMode::cluster);
  EXPECT_EQ(on.read_from, ReadFrom::replica);
  EXPECT_EQ(ClientOptions::from_config({{"uri", "redis://h:1"}, {"cluster", false}}, "t").cluster,
            ClusterMode::standalone);
  try {
    ClientOptions::from_config({{"uri", "redis://h:1"}, {"read_from", "nearest"}}, "source");
    ADD_FAILURE() << "nearest accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("'read_from'"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("nearest"), std::string::npos) << error.what();
  }
  EXPECT_THROW(ClientOptions::from_config({{"uri", "redis://h:1"}, {"cluster", "yes"}}, "t"),
               std::invalid_argument);
}

TEST(KeyedCommands, RemembersEachCommandsSlotAndBytes) {
  KeyedCommands commands;
  commands.append("foo", {"GET", "foo"});
  commands.append("{foo}:2", {"SET", "{foo}:2", "v"});
  ASSERT_EQ(commands.size(), 2u);
  EXPECT_EQ(commands.slot(0), 12182);
  EXPECT_EQ(commands.slot(1), 12182);
  EXPECT_EQ(commands.encoded(0), "*2\r\n$3\r\nGET\r\n$3\r\nfoo\r\n");
  EXPECT_EQ(commands.encoded(1), "*3\r\n$3\r\nSET\r\n$7\r\n{foo}:2\r\n$1\r\nv\r\n");
  commands.clear();
  EXPECT_TRUE(commands.empty());
}

TEST(KeyedCommands, SkipsSlotsWhenNotTracking) {
  KeyedCommands commands;
  commands.track_slots(false);
  commands.append("foo", {"GET", "foo"});
  commands.append("bar", {"GET", "bar"});
  EXPECT_FALSE(commands.tracks_slots());
  EXPECT_EQ(commands.size(), 2u) << "counted by the commands, not the slots";
  EXPECT_EQ(commands.encoded(1), "*2\r\n$3\r\nGET\r\n$3\r\nbar\r\n");
}

}  // namespace
}  // namespace riot::redis::cluster
