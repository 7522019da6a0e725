// Threads for the passes over a million customers whose rows are
// independent (classifying, finding transitions, making the agenda).
// Each part writes its own rows or its own output, joined in part order,
// so a result never depends on the number of threads or their timing.
//
// How many: CARTEIRA_NUM_THREADS when set (1 = everything on the calling
// thread), else the machine's cores, at most 8. A pass started inside
// another one runs on its caller's thread: no oversubscription when, say,
// the agenda classifies on one thread while it scans on another.
// Work is not split below `min_per_thread` items per thread: starting a
// thread costs ~20-50 us.
#ifndef CARTEIRA_SRC_CORE_PARALLEL_H_
#define CARTEIRA_SRC_CORE_PARALLEL_H_

#include <cstddef>
#include <exception>
#include <thread>
#include <utility>
#include <vector>

namespace carteira::internal {

// The threads a pass may use (>= 1), read once per process.
int MaxThreads();

// Tests: sets MaxThreads() while alive (not thread-safe against running
// passes: set it before the work starts).
class ScopedMaxThreadsForTesting {
 public:
  explicit ScopedMaxThreadsForTesting(int threads);
  ~ScopedMaxThreadsForTesting();
  ScopedMaxThreadsForTesting(const ScopedMaxThreadsForTesting&) = delete;
  ScopedMaxThreadsForTesting& operator=(const ScopedMaxThreadsForTesting&) = delete;

 private:
  int was_;
};

// True on a thread already running a part of a pass.
bool InParallelPass();

namespace parallel_detail {
// Marks the current thread as inside a pass for its lifetime.
class PassScope {
 public:
  PassScope();
  ~PassScope();
  PassScope(const PassScope&) = delete;
  PassScope& operator=(const PassScope&) = delete;

 private:
  bool was_;
};
}  // namespace parallel_detail

// How many parts ParallelRanges makes of n items.
inline size_t PartsFor(size_t n, size_t min_per_thread) {
  if (InParallelPass() || min_per_thread == 0) return 1;
  size_t parts = static_cast<size_t>(MaxThreads());
  while (parts > 1 && n / parts < min_per_thread) --parts;
  return parts;
}

// Calls fn(part, begin, end) for `parts` contiguous ranges of [0, n) (part
// 0 on the calling thread; a part whose thread cannot be started runs
// there too). An exception in any part is rethrown here once every part
// has finished (the first by part order).
template <typename Fn>
void ParallelRanges(size_t n, size_t parts, Fn&& fn) {
  if (parts <= 1) {
    fn(size_t{0}, size_t{0}, n);
    return;
  }
  std::vector<std::exception_ptr> errors(parts);
  auto run = [&](size_t part) {
    parallel_detail::PassScope scope;
    try {
      fn(part, n * part / parts, n * (part + 1) / parts);
    } catch (...) {
      errors[part] = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  std::vector<size_t> here;
  threads.reserve(parts - 1);  // reserved first: nothing below allocates
  here.reserve(parts);         // once a thread runs
  here.push_back(0);
  for (size_t part = 1; part < parts; ++part) {
    try {
      threads.emplace_back(run, part);
    } catch (...) {  // no thread to be had (system_error, bad_alloc): do it here
      here.push_back(part);
    }
  }
  for (size_t part : here) run(part);
  for (std::thread& t : threads) t.join();
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

// Runs `a` on another thread and `b` on this one (inside the pass: what b
// starts runs on this thread), and returns when both have. Both run here,
// a first, when a pass is already running or one thread is allowed.
template <typename A, typename B>
void RunBoth(A&& a, B&& b) {
  const size_t parts = InParallelPass() || MaxThreads() < 2 ? 1 : 2;
  ParallelRanges(2, parts, [&](size_t part, size_t begin, size_t end) {
    if (parts == 1) {
      a();
      b();
    } else if (part == 0) {
      b();
    } else {
      a();
    }
    (void)begin;
    (void)end;
  });
}

}  // namespace carteira::internal

#endif  // CARTEIRA_SRC_CORE_PARALLEL_H_
