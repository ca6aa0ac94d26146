#pragma once
// The queue between two pipeline stages. It holds at most `capacity` items
// (batches) and, when a byte limit is set, items weighing at most that many
// bytes together (an item heavier than the limit still gets in alone, so a
// huge batch is slowed, never stuck). A producer that finds it full waits,
// which is how a slow stage slows the one in front of it and keeps memory
// bounded whatever the dataset's size and its values' sizes.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace riot::host {

template <typename T>
class BoundedQueue {
 public:
  // `byte_limit` 0: items are only counted.
  explicit BoundedQueue(std::size_t capacity, std::size_t byte_limit = 0)
      : capacity_(capacity > 0 ? capacity : 1), byte_limit_(byte_limit) {}
  BoundedQueue(const BoundedQueue&) = delete;
  BoundedQueue& operator=(const BoundedQueue&) = delete;

  // Waits while the queue is full. Returns false, leaving `item` untouched,
  // once the queue is closed or aborted. `bytes` is the item's weight.
  bool push(T&& item, std::size_t bytes = 0) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [this] { return has_room() || closed_; });
    if (closed_) return false;
    items_.push_back({std::move(item), bytes});
    bytes_ += bytes;
    lock.unlock();
    not_empty_.notify_one();
    return true;
  }

  // Waits while the queue is empty and open. Returns nothing once the queue is
  // closed and drained, or aborted.
  std::optional<T> pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [this] { return !items_.empty() || closed_; });
    if (items_.empty()) return std::nullopt;
    std::optional<T> item(std::move(items_.front().item));
    bytes_ -= items_.front().bytes;
    items_.pop_front();
    lock.unlock();
    not_full_.notify_one();
    return item;
  }

  // The producers are done: further pushes fail, pops drain what is left.
  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    not_full_.notify_all();
    not_empty_.notify_all();
  }

  // The run stops: what is queued is dropped, pushes and pops fail at once.
  void abort() {
    std::deque<Entry> dropped;  // destroyed outside the lock
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
      dropped.swap(items_);
      bytes_ = 0;
    }
    not_full_.notify_all();
    not_empty_.notify_all();
  }

  std::size_t capacity() const noexcept { return capacity_; }

  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return items_.size();
  }

  // The weight of what the queue holds now.
  std::size_t bytes() const {
    std::lock_guard lock(mutex_);
    return bytes_;
  }

 private:
  struct Entry {
    T item;
    std::size_t bytes;
  };

  bool has_room() const {
    if (items_.size() >= capacity_) return false;
    return byte_limit_ == 0 || bytes_ < byte_limit_ || items_.empty();
  }

  const std::size_t capacity_;
  const std::size_t byte_limit_;
  std::size_t bytes_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<Entry> items_;
  bool closed_ = false;
};

}  // namespace riot::host
