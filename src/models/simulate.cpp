#include "carteira/models/simulate.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace carteira::models {
namespace {

double Beta(std::mt19937_64& rng, double a, double b) {
  std::gamma_distribution<double> ga(a, 1.0), gb(b, 1.0);
  const double x = ga(rng), y = gb(rng);
  return x / (x + y);
}

}  // namespace

RfmData SimulateBgNbd(BgNbdVariant variant, const BgNbdParams& q, const SimulationOptions& o) {
  std::mt19937_64 rng(o.seed);
  std::gamma_distribution<double> rate(q.r, 1.0 / q.alpha);
  std::uniform_real_distribution<double> length(o.T_min, o.T_max);
  std::uniform_real_distribution<double> unit01(0.0, 1.0);
  const double days_per_unit = DaysPerUnit(o.unit);
  RfmData d;
  d.unit = o.unit;
  d.x.reserve(o.customers);
  d.t_x.reserve(o.customers);
  d.T.reserve(o.customers);
  for (size_t i = 0; i < o.customers; ++i) {
    const double lambda = rate(rng);
    const double p = Beta(rng, q.a, q.b);
    double T = length(rng);
    if (o.whole_days) T = std::floor(T * days_per_unit) / days_per_unit;
    double t = 0, t_x = 0, x = 0;
    double last_day = 0;
    // MBG/NBD customers may drop out at the first purchase already.
    bool alive = !(variant == BgNbdVariant::kMbgNbd && unit01(rng) < p);
    std::exponential_distribution<double> wait(lambda > 0 ? lambda : 1e-300);
    while (alive) {
      t += wait(rng);
      if (t > T) break;
      if (o.whole_days) {
        const double day = std::floor(t * days_per_unit);
        if (day > last_day) {  // a new purchase-day
          last_day = day;
          x += 1;
          t_x = day / days_per_unit;
        }
      } else {
        x += 1;
        t_x = t;
      }
      if (unit01(rng) < p) alive = false;
    }
    d.x.push_back(x);
    d.t_x.push_back(t_x);
    d.T.push_back(T);
  }
  return d;
}

RfmData SimulateParetoNbd(const ParetoNbdParams& q, const SimulationOptions& o) {
  std::mt19937_64 rng(o.seed);
  std::gamma_distribution<double> rate(q.r, 1.0 / q.alpha);
  std::gamma_distribution<double> death_rate(q.s, 1.0 / q.beta);
  std::uniform_real_distribution<double> length(o.T_min, o.T_max);
  const double days_per_unit = DaysPerUnit(o.unit);
  RfmData d;
  d.unit = o.unit;
  for (size_t i = 0; i < o.customers; ++i) {
    const double lambda = rate(rng);
    const double mu = death_rate(rng);
    double T = length(rng);
    if (o.whole_days) T = std::floor(T * days_per_unit) / days_per_unit;
    std::exponential_distribution<double> lifetime(mu > 0 ? mu : 1e-300);
    const double end = std::min(T, lifetime(rng));
    std::exponential_distribution<double> wait(lambda > 0 ? lambda : 1e-300);
    double t = 0, t_x = 0, x = 0, last_day = 0;
    while (true) {
      t += wait(rng);
      if (t > end) break;
      if (o.whole_days) {
        const double day = std::floor(t * days_per_unit);
        if (day > last_day) {
          last_day = day;
          x += 1;
          t_x = day / days_per_unit;
        }
      } else {
        x += 1;
        t_x = t;
      }
    }
    d.x.push_back(x);
    d.t_x.push_back(t_x);
    d.T.push_back(T);
  }
  return d;
}

void SimulateSpend(const GammaGammaParams& q, std::uint64_t seed, RfmData& data) {
  std::mt19937_64 rng(seed);
  std::gamma_distribution<double> nu(q.q, 1.0 / q.gamma);
  data.zbar.assign(data.size(), 0.0);
  for (size_t i = 0; i < data.size(); ++i) {
    const double v = nu(rng);
    if (data.x[i] == 0) continue;
    // The mean of x gamma(p, v) draws is gamma(p x, v x).
    std::gamma_distribution<double> mean(q.p * data.x[i], 1.0 / (v * data.x[i]));
    data.zbar[i] = mean(rng);
  }
}

}  // namespace carteira::models
