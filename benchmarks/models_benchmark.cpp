// The "buy 'til you die" models on 1 million simulated customers (known
// parameters; purchases on whole days over up to ~3 years). Read the
// figures as ratios within one run:
//   BM_FitBgNbd / BM_LogLikelihoodNaive -> a whole fit against ONE plain
//   evaluation of the likelihood, customer by customer, with lgamma per row
//   (what a user would script; an optimiser needs dozens of them).
// Targets (one core): BG/NBD fit <= 0.1 s, Gamma-Gamma fit <= 0.05 s,
// P(alive) and expected purchases for 1M customers <= 30 ms, Pareto/NBD
// fit <= 3 s.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <vector>

#include "carteira/models/bg_nbd.h"
#include "carteira/models/gamma_gamma.h"
#include "carteira/models/simulate.h"

namespace carteira::models {
namespace {

const BgNbdParams kTruth{0.5, 40.0, 0.7, 2.5};  // alpha in days

const RfmData& Customers() {
  static const RfmData data = [] {
    SimulationOptions o;
    o.customers = 1'000'000;
    if (const char* env = std::getenv("CARTEIRA_BENCH_CUSTOMERS")) o.customers = std::strtoull(env, nullptr, 10);
    o.unit = TimeUnit::kDays;
    o.T_min = 30;
    o.T_max = 1100;
    o.whole_days = true;
    RfmData d = SimulateBgNbd(BgNbdVariant::kBgNbd, kTruth, o);
    SimulateSpend({4.0, 3.0, 20.0}, 11, d);
    return d;
  }();
  return data;
}

void BM_FitBgNbd(benchmark::State& state) {
  const RfmData& d = Customers();
  int evaluations = 0;
  for (auto _ : state) {
    auto m = BgNbd::Fit(BgNbdVariant::kBgNbd, d);
    if (!m.ok() || !m->fit()->converged) state.SkipWithError("fit failed");
    evaluations = m->fit()->evaluations;
    benchmark::DoNotOptimize(m->params());
  }
  state.counters["evaluations"] = evaluations;
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(d.size()));
}
BENCHMARK(BM_FitBgNbd)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FitGammaGamma(benchmark::State& state) {
  const RfmData& d = Customers();
  for (auto _ : state) {
    auto m = GammaGamma::Fit(d);
    if (!m.ok() || !m->fit()->converged) state.SkipWithError("fit failed");
    benchmark::DoNotOptimize(m->params());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(d.size()));
}
BENCHMARK(BM_FitGammaGamma)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_PAlive(benchmark::State& state) {
  const RfmData& d = Customers();
  const BgNbd model(BgNbdVariant::kBgNbd, kTruth, TimeUnit::kDays);
  std::vector<double> out(d.size());
  for (auto _ : state) {
    if (!model.PAlive(d, out).ok()) state.SkipWithError("p_alive failed");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(d.size()));
}
BENCHMARK(BM_PAlive)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ExpectedPurchases(benchmark::State& state) {
  const RfmData& d = Customers();
  const BgNbd model(BgNbdVariant::kBgNbd, kTruth, TimeUnit::kDays);
  std::vector<double> out(d.size());
  for (auto _ : state) {
    if (!model.ConditionalExpectedPurchases(d, Duration::Days(90), out).ok()) {
      state.SkipWithError("expected purchases failed");
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(d.size()));
}
BENCHMARK(BM_ExpectedPurchases)->Unit(benchmark::kMillisecond)->UseRealTime();

// Both for every customer in one call (what `carteira predict` and the
// status rule need): the target's "P(alive) and expected purchases".
void BM_PAliveAndExpectedPurchases(benchmark::State& state) {
  const RfmData& d = Customers();
  const BgNbd model(BgNbdVariant::kBgNbd, kTruth, TimeUnit::kDays);
  std::vector<double> p(d.size()), e(d.size());
  for (auto _ : state) {
    if (!model.PAliveAndExpectedPurchases(d, Duration::Days(90), p, e).ok()) {
      state.SkipWithError("predictions failed");
    }
    benchmark::DoNotOptimize(e.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(d.size()));
}
BENCHMARK(BM_PAliveAndExpectedPurchases)->Unit(benchmark::kMillisecond)->UseRealTime();

// Baseline: one evaluation of the BG/NBD log-likelihood written plainly,
// customer by customer (lgamma per row), as a user script would.
void BM_LogLikelihoodNaive(benchmark::State& state) {
  const RfmData& d = Customers();
  const auto [r, alpha, a, b] = kTruth;
  for (auto _ : state) {
    double ll = 0;
    for (size_t i = 0; i < d.size(); ++i) {
      const double x = d.x[i], tx = d.t_x[i], T = d.T[i];
      const double a1 = std::lgamma(r + x) - std::lgamma(r) + r * std::log(alpha);
      const double a2 = std::lgamma(a + b) + std::lgamma(b + x) - std::lgamma(b) - std::lgamma(a + b + x);
      const double a3 = -(r + x) * std::log(alpha + T);
      const double a4 = x > 0 ? std::log(a) - std::log(b + x - 1) - (r + x) * std::log(alpha + tx) : -INFINITY;
      ll += a1 + a2 + std::log(std::exp(a3) + std::exp(a4));
    }
    benchmark::DoNotOptimize(ll);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(d.size()));
}
BENCHMARK(BM_LogLikelihoodNaive)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace carteira::models

namespace carteira::models {
namespace {

// Pareto/NBD on 1 million customers simulated from Pareto/NBD itself.
const RfmData& ParetoCustomers() {
  static const RfmData data = [] {
    SimulationOptions o;
    o.customers = 1'000'000;
    if (const char* env = std::getenv("CARTEIRA_BENCH_CUSTOMERS")) o.customers = std::strtoull(env, nullptr, 10);
    o.unit = TimeUnit::kDays;
    o.T_min = 30;
    o.T_max = 1100;
    o.whole_days = true;
    return SimulateParetoNbd({0.6, 50.0, 0.7, 300.0}, o);
  }();
  return data;
}

void BM_FitParetoNbd(benchmark::State& state) {
  const RfmData& d = ParetoCustomers();
  int evaluations = 0;
  for (auto _ : state) {
    auto m = ParetoNbd::Fit(d);
    if (!m.ok() || !m->fit()->converged) state.SkipWithError("fit failed");
    evaluations = m->fit()->evaluations;
    benchmark::DoNotOptimize(m->params());
  }
  state.counters["evaluations"] = evaluations;
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(d.size()));
}
BENCHMARK(BM_FitParetoNbd)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace
}  // namespace carteira::models
