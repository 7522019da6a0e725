#include "src/models/prediction_kernels.h"

#include <algorithm>

#include "src/models/cpu_features.h"

namespace carteira::models::internal {

void BgNbdPAliveAvx2(const BgOddsParams&, const double*, const double*, const double*, std::size_t, double*);
void BgNbdPAliveBaseline(const BgOddsParams&, const double*, const double*, const double*, std::size_t, double*);

// Every customer goes through the loop's full-width vector body, whatever
// its position in the batch: the compiler finishes a loop with narrower
// vectors and then scalar calls (glibc's log and exp, not libmvec's), which
// round differently in the last bits, so a customer's P(alive) would depend
// on where it sits in the array. A cluster's partitions put it elsewhere
// than one machine does; with this, both give the same bits. The rows past
// the last whole block of 8 (a multiple of every vector width we build for)
// are run as one padded block.
void BgNbdPAlive(const BgOddsParams& p, const double* x, const double* t_x, const double* T, std::size_t n,
                 double* out) {
  const auto kernel = HasAvx2() ? BgNbdPAliveAvx2 : BgNbdPAliveBaseline;
  constexpr std::size_t kBlock = 8;
  const std::size_t whole = n - n % kBlock;
  if (whole > 0) kernel(p, x, t_x, T, whole, out);
  if (whole == n) return;
  alignas(64) double bx[kBlock] = {}, btx[kBlock] = {}, bT[kBlock] = {}, bout[kBlock];
  const std::size_t rest = n - whole;
  std::copy_n(x + whole, rest, bx);
  std::copy_n(t_x + whole, rest, btx);
  std::copy_n(T + whole, rest, bT);
  kernel(p, bx, btx, bT, kBlock, bout);
  std::copy_n(bout, rest, out + whole);
}

}  // namespace carteira::models::internal
