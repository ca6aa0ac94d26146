#pragma once
// When a sink that lost its connection in the middle of a batch may reconnect
// and send the batch again. Kept apart from the sink so that a fuller policy
// (configurable attempts, backoff between them) replaces it without touching
// the sending code.

namespace riot::restore_plugin {

struct RetryPolicy {
  // Sends of one batch in all: the first, plus one re-send after reconnecting.
  int max_attempts = 2;

  bool allows_another_attempt(int attempts_made) const { return attempts_made < max_attempts; }
};

}  // namespace riot::restore_plugin
