// Transparent huge pages for the large buffers a call fills and frees
// (a million customers' state, the period scan's result). On the build
// machine a fresh 32 MB buffer cost ~24 ms in 8,000 page faults (the
// kernel zeroes and accounts every 4 KB page), ~4 ms with 2 MB pages; the
// allocator hands such buffers back to the kernel between calls, so every
// call paid again. The summary's scratch does the same (ScratchArray in
// src/summary/customer_summary.cpp).
#ifndef CARTEIRA_SRC_CORE_HUGE_PAGES_H_
#define CARTEIRA_SRC_CORE_HUGE_PAGES_H_

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace carteira::internal {

// Advises huge pages for the 2 MB-aligned part of [p, p + bytes), before
// it is first written (advice only: failure is harmless).
inline void AdviseHugePages(const void* p, size_t bytes) {
#ifdef MADV_HUGEPAGE
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  const auto begin = (reinterpret_cast<std::uintptr_t>(p) + kHuge - 1) & ~(kHuge - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(p) + bytes) & ~(kHuge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

// Reserves room for n elements in an empty vector, on huge pages.
template <typename T>
void ReserveOnHugePages(std::vector<T>& v, size_t n) {
  v.reserve(n);
  AdviseHugePages(v.data(), n * sizeof(T));
}

}  // namespace carteira::internal

#endif  // CARTEIRA_SRC_CORE_HUGE_PAGES_H_
