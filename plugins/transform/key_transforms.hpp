#pragma once
// The two transforms of the plugin, over KeySelection and KeyRenaming. Both
// hold only immutable, compiled state: safe from every thread at once.

#include "key_renaming.hpp"
#include "key_selection.hpp"
#include "riot/key_transform.hpp"

namespace riot::transform_plugin {

// transform.key_filter: drops the keys the selection does not take.
class KeyFilterTransform final : public KeyTransform {
 public:
  explicit KeyFilterTransform(KeySelection selection) : selection_(std::move(selection)) {}

  bool map(std::string& key) const override { return selection_.selects(key); }
  KeyInverse unmap(std::string& key) const override {
    return selection_.selects(key) ? KeyInverse::mapped : KeyInverse::outside;
  }

 private:
  KeySelection selection_;
};

// transform.key_rename: names each key on the target.
class KeyRenameTransform final : public KeyTransform {
 public:
  explicit KeyRenameTransform(KeyRenaming renaming) : renaming_(std::move(renaming)) {}

  bool map(std::string& key) const override {
    renaming_.rename(key);
    return true;
  }
  bool renames() const override { return true; }
  bool invertible() const override { return renaming_.invertible(); }
  KeyInverse unmap(std::string& key) const override { return renaming_.unmap(key); }

 private:
  KeyRenaming renaming_;
};

}  // namespace riot::transform_plugin
