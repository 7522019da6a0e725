#include "src/models/prediction_kernels.h"

#include "src/models/cpu_features.h"

namespace carteira::models::internal {

void BgNbdPAliveAvx2(const BgOddsParams&, const double*, const double*, const double*, std::size_t, double*);
void BgNbdPAliveBaseline(const BgOddsParams&, const double*, const double*, const double*, std::size_t, double*);

void BgNbdPAlive(const BgOddsParams& p, const double* x, const double* t_x, const double* T, std::size_t n,
                 double* out) {
  HasAvx2() ? BgNbdPAliveAvx2(p, x, t_x, T, n, out) : BgNbdPAliveBaseline(p, x, t_x, T, n, out);
}

}  // namespace carteira::models::internal
