// Customers drawn from the models with known parameters: the large data
// of the benchmarks, and the proof that a fit recovers what generated the
// data. Deterministic for a seed (with this library's build).
#ifndef CARTEIRA_MODELS_SIMULATE_H_
#define CARTEIRA_MODELS_SIMULATE_H_

#include <cstdint>

#include "carteira/models/bg_nbd.h"
#include "carteira/models/gamma_gamma.h"
#include "carteira/models/pareto_nbd.h"
#include "carteira/models/rfm_data.h"

namespace carteira::models {

struct SimulationOptions {
  size_t customers = 10000;
  double T_min = 1, T_max = 52;  // each customer's observation length, uniform
  TimeUnit unit = TimeUnit::kWeeks;
  // Record purchases on whole days (as data from dates is): T and t_x become
  // whole days and purchases on the same day merge into one purchase-day.
  bool whole_days = false;
  std::uint64_t seed = 20261123;
};

// x, t_x and T of customers of the BG/NBD or MBG/NBD model.
RfmData SimulateBgNbd(BgNbdVariant variant, const BgNbdParams& params, const SimulationOptions& options);

// x, t_x and T of customers of the Pareto/NBD model: purchases at a
// gamma(r, alpha) rate until an exponential lifetime with a gamma(s, beta)
// rate ends.
RfmData SimulateParetoNbd(const ParetoNbdParams& params, const SimulationOptions& options);

// Adds zbar (mean spend of the repeat purchases) to `data` from the
// Gamma-Gamma model; customers with x = 0 get 0.
void SimulateSpend(const GammaGammaParams& params, std::uint64_t seed, RfmData& data);

}  // namespace carteira::models

#endif  // CARTEIRA_MODELS_SIMULATE_H_
