#include "src/models/likelihood_kernels.h"

#include "src/models/cpu_features.h"

namespace carteira::models::internal {

BgGroupSums BgNbdGroupSumsAvx2(const double*, const double*, const double*, const double*, const std::uint32_t*,
                               const std::uint32_t*, const double*, std::size_t, double, double);
BgGroupSums BgNbdGroupSumsBaseline(const double*, const double*, const double*, const double*,
                                   const std::uint32_t*, const std::uint32_t*, const double*, std::size_t, double,
                                   double);
SpendGroupSums GammaGammaGroupSumsAvx2(const double*, const double*, std::size_t, double);
BgGroupHessianSums BgNbdGroupHessianSumsAvx2(const double*, const double*, const double*, const double*,
                                             const std::uint32_t*, const std::uint32_t*, const double*, std::size_t,
                                             double, double);
BgGroupHessianSums BgNbdGroupHessianSumsBaseline(const double*, const double*, const double*, const double*,
                                                 const std::uint32_t*, const std::uint32_t*, const double*,
                                                 std::size_t, double, double);
double ParetoNbdGroupSumAvx2(const double*, const double*, const double*, const std::uint32_t*, const std::uint32_t*,
                             const double*, std::size_t, double);
double ParetoNbdGroupSumBaseline(const double*, const double*, const double*, const std::uint32_t*,
                                 const std::uint32_t*, const double*, std::size_t, double);
SpendGroupSums GammaGammaGroupSumsBaseline(const double*, const double*, std::size_t, double);
SpendGroupTotals GammaGammaGroupPrepareAvx2(double*, const double*, std::size_t, double);
SpendGroupTotals GammaGammaGroupPrepareBaseline(double*, const double*, std::size_t, double);


BgGroupSums BgNbdGroupSums(const double* lT, const double* iT, const double* ltx, const double* itx,
                           const std::uint32_t* row_T, const std::uint32_t* row_tx, const double* w,
                           std::size_t n, double lc, double rx) {
  return HasAvx2() ? BgNbdGroupSumsAvx2(lT, iT, ltx, itx, row_T, row_tx, w, n, lc, rx)
                   : BgNbdGroupSumsBaseline(lT, iT, ltx, itx, row_T, row_tx, w, n, lc, rx);
}

BgGroupHessianSums BgNbdGroupHessianSums(const double* lT, const double* iT, const double* ltx, const double* itx,
                                         const std::uint32_t* row_T, const std::uint32_t* row_tx, const double* w,
                                         std::size_t n, double lc, double rx) {
  return HasAvx2() ? BgNbdGroupHessianSumsAvx2(lT, iT, ltx, itx, row_T, row_tx, w, n, lc, rx)
                   : BgNbdGroupHessianSumsBaseline(lT, iT, ltx, itx, row_T, row_tx, w, n, lc, rx);
}

SpendGroupSums GammaGammaGroupSums(const double* xzbar, const double* w, std::size_t n, double gamma) {
  return HasAvx2() ? GammaGammaGroupSumsAvx2(xzbar, w, n, gamma) : GammaGammaGroupSumsBaseline(xzbar, w, n, gamma);
}

SpendGroupTotals GammaGammaGroupPrepare(double* zbar_to_xzbar, const double* w, std::size_t n, double x) {
  return HasAvx2() ? GammaGammaGroupPrepareAvx2(zbar_to_xzbar, w, n, x)
                   : GammaGammaGroupPrepareBaseline(zbar_to_xzbar, w, n, x);
}

double ParetoNbdGroupSum(const double* alive, const double* t1, const double* t2, const std::uint32_t* row_T,
                         const std::uint32_t* row_tx, const double* w, std::size_t n, double log_ratio) {
  return HasAvx2() ? ParetoNbdGroupSumAvx2(alive, t1, t2, row_T, row_tx, w, n, log_ratio)
                   : ParetoNbdGroupSumBaseline(alive, t1, t2, row_T, row_tx, w, n, log_ratio);
}

}  // namespace carteira::models::internal
