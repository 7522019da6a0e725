// The threads of the per-customer passes (src/core/parallel.h): every item
// once, parts in order, nested passes on their caller, errors rethrown.
#include "src/core/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace carteira::internal {
namespace {

TEST(ParallelRangesTest, EveryItemOnceInContiguousPartsInOrder) {
  for (size_t parts : {1u, 2u, 3u, 7u}) {
    const size_t n = 1000;
    std::vector<int> seen(n, 0);
    std::vector<std::pair<size_t, size_t>> ranges(parts);
    ParallelRanges(n, parts, [&](size_t part, size_t begin, size_t end) {
      ranges[part] = {begin, end};
      for (size_t i = begin; i < end; ++i) ++seen[i];
    });
    for (size_t i = 0; i < n; ++i) EXPECT_EQ(seen[i], 1) << "item " << i << ", " << parts << " parts";
    EXPECT_EQ(ranges.front().first, 0u);
    EXPECT_EQ(ranges.back().second, n);
    for (size_t p = 1; p < parts; ++p) EXPECT_EQ(ranges[p].first, ranges[p - 1].second);
  }
}

TEST(ParallelRangesTest, APassInsideAPassRunsOnItsCaller) {
  EXPECT_FALSE(InParallelPass());
  ScopedMaxThreadsForTesting threads(4);
  EXPECT_EQ(PartsFor(1'000'000, 1000), 4u);
  EXPECT_EQ(PartsFor(2'500, 1000), 2u);  // not below 1000 items a thread
  std::atomic<size_t> nested_parts{0};
  std::atomic<int> inside{0};
  ParallelRanges(4, 4, [&](size_t, size_t, size_t) {
    if (InParallelPass()) ++inside;
    nested_parts += PartsFor(1'000'000, 1000);
  });
  EXPECT_EQ(inside.load(), 4);
  EXPECT_EQ(nested_parts.load(), 4u);  // one part each
  EXPECT_FALSE(InParallelPass());
}

TEST(ParallelRangesTest, AnErrorInAPartIsRethrownOnceAllHaveFinished) {
  std::atomic<int> finished{0};
  EXPECT_THROW(ParallelRanges(3, 3,
                              [&](size_t part, size_t, size_t) {
                                if (part == 1) throw std::runtime_error("part 1");
                                ++finished;
                              }),
               std::runtime_error);
  EXPECT_EQ(finished.load(), 2);
}

TEST(RunBothTest, BothRunTheSecondOnTheCallingThread) {
  const std::thread::id caller = std::this_thread::get_id();
  {
    ScopedMaxThreadsForTesting threads(2);
    std::thread::id a_on, b_on;
    bool b_inside = false;
    RunBoth([&] { a_on = std::this_thread::get_id(); }, [&] {
      b_on = std::this_thread::get_id();
      b_inside = InParallelPass();
    });
    EXPECT_EQ(b_on, caller);
    EXPECT_NE(a_on, caller);
    EXPECT_TRUE(b_inside);  // what b starts does not add threads
  }
  {
    ScopedMaxThreadsForTesting threads(1);
    std::vector<char> order;
    RunBoth([&] { order.push_back('a'); }, [&] { order.push_back('b'); });
    EXPECT_EQ(order, (std::vector<char>{'a', 'b'}));
  }
}

}  // namespace
}  // namespace carteira::internal
