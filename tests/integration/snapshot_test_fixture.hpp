#pragma once
// Two fresh servers per test and a helper to run `riot replicate` between them.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "support/dataset.hpp"
#include "support/process.hpp"
#include "support/redis_server.hpp"

namespace riot::test {

class SnapshotTest : public ::testing::Test {
 protected:
  std::unique_ptr<RedisServer> source_ = std::make_unique<RedisServer>();
  std::unique_ptr<RedisServer> target_ = std::make_unique<RedisServer>();

  // riot replicate SOURCE TARGET <extra...>, without a progress display.
  ProcessResult replicate(const std::string& source_uri, const std::string& target_uri,
                          std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"replicate", source_uri, target_uri, "--progress", "none"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_riot(args);
  }

  ProcessResult replicate(std::vector<std::string> extra = {}) {
    return replicate(source_->uri(), target_->uri(), std::move(extra));
  }
};

}  // namespace riot::test
