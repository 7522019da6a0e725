// Software prefetch for scans that update per-customer arrays in row order
// (rows come in recording order, so each update lands at a random
// customer): asking for the row `kPrefetchAhead` ahead keeps several cache
// misses in flight where the loop alone waits for each. Measured on the
// agenda's scans of 1M customers: 2M interactions 37 -> 19 ms, 10M
// transactions 55 -> 47 ms.
#ifndef CARTEIRA_SRC_CORE_PREFETCH_H_
#define CARTEIRA_SRC_CORE_PREFETCH_H_

#include <cstddef>

namespace carteira::internal {

inline constexpr size_t kPrefetchAhead = 16;

// A hint that `p` will be written soon (no effect where unsupported).
inline void PrefetchForWrite(const void* p) {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(p, 1);
#else
  (void)p;
#endif
}

}  // namespace carteira::internal

#endif  // CARTEIRA_SRC_CORE_PREFETCH_H_
