// The per-customer loops of the predictions, over millions of customers per
// call: compiled twice (AVX2+FMA, and the x86-64 baseline) with vector math
// from glibc's libmvec, and chosen at run time, like the likelihood kernels.
// No table of distinct durations: three logs and one exponential a customer
// in vector registers cost less than indexing the durations first.
#ifndef CARTEIRA_SRC_MODELS_PREDICTION_KERNELS_H_
#define CARTEIRA_SRC_MODELS_PREDICTION_KERNELS_H_

#include <cstddef>

namespace carteira::models::internal {

// The BG/NBD family's log odds that a customer has dropped out,
//   u = log a - log(b_shift + x) + (r + x) (log(alpha + f T) - log(alpha + f t_x)),
// with b_shift = b - 1 (BG/NBD) or b (MBG/NBD) and f converting the data's
// unit to the model's. BG/NBD customers without repeat purchases cannot
// have dropped out (odds 0): zero_x_alive says so.
struct BgOddsParams {
  double r = 1, alpha = 1, log_a = 0, b_shift = 0, f = 1;
  bool zero_x_alive = true;
};

// out[i] = P(alive) = 1 / (1 + e^u).
void BgNbdPAlive(const BgOddsParams& p, const double* x, const double* t_x, const double* T, std::size_t n,
                 double* out);

}  // namespace carteira::models::internal

#endif  // CARTEIRA_SRC_MODELS_PREDICTION_KERNELS_H_
