#include "src/core/parallel.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <string_view>

#include "absl/strings/numbers.h"

namespace carteira::internal {
namespace {

constexpr int kMostThreads = 8;
thread_local bool in_pass = false;

int ReadMaxThreads() {
  if (const char* env = std::getenv("CARTEIRA_NUM_THREADS"); env != nullptr && *env != '\0') {
    int n = 0;
    // A value that is not a positive number is ignored (the default holds).
    if (absl::SimpleAtoi(absl::string_view(env), &n) && n >= 1) return std::min(n, kMostThreads);
  }
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : std::min(static_cast<int>(cores), kMostThreads);
}

std::atomic<int>& Threads() {
  static std::atomic<int> threads{ReadMaxThreads()};
  return threads;
}

}  // namespace

int MaxThreads() { return Threads().load(std::memory_order_relaxed); }

ScopedMaxThreadsForTesting::ScopedMaxThreadsForTesting(int threads) : was_(MaxThreads()) {
  Threads().store(std::max(threads, 1), std::memory_order_relaxed);
}
ScopedMaxThreadsForTesting::~ScopedMaxThreadsForTesting() { Threads().store(was_, std::memory_order_relaxed); }

bool InParallelPass() { return in_pass; }

namespace parallel_detail {
PassScope::PassScope() : was_(in_pass) { in_pass = true; }
PassScope::~PassScope() { in_pass = was_; }
}  // namespace parallel_detail

}  // namespace carteira::internal
