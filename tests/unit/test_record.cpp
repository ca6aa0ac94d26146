#include <gtest/gtest.h>

#include "riot/record.hpp"
#include "riot/write_tally.hpp"

namespace riot {
namespace {

TEST(PrintableKey, KeepsPrintableAsciiAsIs) {
  EXPECT_EQ(printable_key("user:42"), "user:42");
}

TEST(PrintableKey, EscapesControlAndHighBytes) {
  EXPECT_EQ(printable_key(std::string("a\0b\r\n\xff", 6)), "a\\x00b\\r\\n\\xff");
  EXPECT_EQ(printable_key("quote\"back\\slash"), "quote\\\"back\\\\slash");
}

TEST(PrintableKey, TruncatesLongKeys) {
  const std::string shown = printable_key(std::string(1000, 'k'), 16);
  EXPECT_LE(shown.size(), 19u);
  EXPECT_EQ(shown.substr(shown.size() - 3), "...");
}

TEST(RecordNames, NameEveryEnumerator) {
  EXPECT_EQ(to_string(KeyOrigin::scan), "scan");
  EXPECT_EQ(to_string(KeyOrigin::notification), "notification");
  EXPECT_EQ(to_string(KeyEventType::expired), "expired");
  EXPECT_EQ(to_string(RecordKind::dump), "dump");
  EXPECT_EQ(to_string(RecordKind::erase), "erase");
}

}  // namespace
}  // namespace riot

namespace riot {
namespace {

TEST(WriteTally, CountsWrittenDeletedAndBytesIntoTheMetrics) {
  WriteTally tally;
  tally.applied(Record{.key = "a", .kind = RecordKind::dump, .payload = "12345"});
  tally.applied(Record{.key = "b", .kind = RecordKind::dump, .payload = "12"});
  tally.applied(Record{.key = "c", .kind = RecordKind::erase});
  Metrics metrics;
  metrics.keys_written = 10;
  tally.add_to(metrics);
  EXPECT_EQ(metrics.keys_written.load(), 12u);
  EXPECT_EQ(metrics.keys_deleted.load(), 1u);
  EXPECT_EQ(metrics.bytes_written.load(), 7u);
}

}  // namespace
}  // namespace riot
