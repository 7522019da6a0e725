// The inner loops of the likelihoods, over hundreds of thousands of
// customers per evaluation: compiled twice (AVX2+FMA, and the x86-64
// baseline) with vector math from glibc's libmvec, and chosen at run time.
// The sums come out in a fixed order for a given build and CPU, so a fit is
// reproducible run after run on one machine; across CPUs the last bits may
// differ.
#ifndef CARTEIRA_SRC_MODELS_LIKELIHOOD_KERNELS_H_
#define CARTEIRA_SRC_MODELS_LIKELIHOOD_KERNELS_H_

#include <cstddef>
#include <cstdint>

namespace carteira::models::internal {

// BG/NBD family, one group of customers with the same x: with
// d = lT[T] - ltx[t_x], u = lc + rx d, s = 1 / (1 + e^-u), the weighted sums
// of 1, lT, iT, log(1 + e^u), s d, s and s (iT - itx).
struct BgGroupSums {
  double sw = 0, swl = 0, swi = 0, ssp = 0, ssd = 0, ss = 0, ssi = 0;
};
BgGroupSums BgNbdGroupSums(const double* lT, const double* iT, const double* ltx, const double* itx,
                           const std::uint32_t* row_T, const std::uint32_t* row_tx, const double* w,
                           std::size_t n, double lc, double rx);

// The same with what the Hessian needs besides (sigma' = s (1 - s),
// D = iT - itx): sums of w iT^2, s (itx^2 - iT^2), and s' d^2, s' d D,
// s' D^2, s' d, s' D, s'.
struct BgGroupHessianSums {
  BgGroupSums first;
  double swi2 = 0, ssq = 0, qd2 = 0, qdd = 0, qD2 = 0, qd = 0, qD = 0, q = 0;
};
BgGroupHessianSums BgNbdGroupHessianSums(const double* lT, const double* iT, const double* ltx, const double* itx,
                                         const std::uint32_t* row_T, const std::uint32_t* row_tx, const double* w,
                                         std::size_t n, double lc, double rx);

// Gamma-Gamma, one group with the same x: with u = xzbar + gamma, the
// weighted sums of log u, 1 / u and 1 / u^2 (for the Hessian).
struct SpendGroupSums {
  double swlu = 0, swiu = 0, swiu2 = 0;
};
SpendGroupSums GammaGammaGroupSums(const double* xzbar, const double* w, std::size_t n, double gamma);

// Gamma-Gamma's rows of one group (same x), once per fit: the sums of w and
// w log zbar, and zbar replaced by x zbar in place.
struct SpendGroupTotals {
  double sw = 0, swlz = 0;
};
SpendGroupTotals GammaGammaGroupPrepare(double* zbar_to_xzbar, const double* w, std::size_t n, double x);

// Pareto/NBD, one group with the same x: the weighted sum of
// log(e^alive[T] + e^(log_ratio + log(e^t1[t_x] - e^t2[T]))), the dead part
// absent where t1 <= t2 (t_x = T).
double ParetoNbdGroupSum(const double* alive, const double* t1, const double* t2, const std::uint32_t* row_T,
                         const std::uint32_t* row_tx, const double* w, std::size_t n, double log_ratio);

}  // namespace carteira::models::internal

#endif  // CARTEIRA_SRC_MODELS_LIKELIHOOD_KERNELS_H_
