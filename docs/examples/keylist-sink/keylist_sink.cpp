// sink.keylist: writes one line per record to a file: the key (escaped), its
// kind and its expiry. A small but complete example of a third-party sink.
#include <fstream>
#include <mutex>
#include <riot/plugin.hpp>
#include <stdexcept>
#include <string>

namespace {

class KeyListSink final : public riot::Sink {
 public:
  KeyListSink(const nlohmann::json& config, riot::HostContext& host)
      : host_(host), out_(config.at("path").get<std::string>(), std::ios::app) {
    if (!out_) throw std::runtime_error("sink.keylist: cannot open " + config.at("path").dump());
  }

  void write(riot::RecordBatch& records) override {
    // Several sink instances (one per writer thread) append to the same file.
    static std::mutex file_lock;
    std::lock_guard lock(file_lock);
    for (const auto& record : records)
      out_ << riot::printable_key(record.key) << '\t' << riot::to_string(record.kind) << '\t'
           << (record.expiry.is_persistent()
                   ? std::string("persistent")
                   : std::to_string(record.expiry.remaining_ms(riot::Expiry::Clock::now())) + " ms")
           << '\n';
    riot::Metrics::add(host_.metrics().keys_written, records.size());
  }

  void flush() override { out_.flush(); }

 private:
  riot::HostContext& host_;
  std::ofstream out_;
};

const riot::PluginDescriptor* describe() {
  static const riot::PluginDescriptor descriptor{
      "keylist",
      "1.0.0",
      {riot::accepting(
          riot::ComponentInfo{
              "sink.keylist",
              "writes the key, kind and expiry of each record to a text file",
              {{"type", "object"},
               {"additionalProperties", false},
               {"required", {"path"}},
               {"properties",
                {{"path", {{"type", "string"}, {"description", "file to append the lines to"}}}}}},
              riot::SinkFactory([](const nlohmann::json& config, riot::HostContext& host) {
                return std::make_unique<KeyListSink>(config, host);
              })},
          riot::RecordForms::all())}};
  return &descriptor;
}

}  // namespace

RIOT_PLUGIN(describe)
