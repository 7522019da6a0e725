// BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy
// way") and MBG/NBD (Batislam, Denizel & Filiztekin 2007): purchases follow
// a Poisson process with a gamma(r, alpha) distributed rate; after each
// repeat purchase (BG/NBD) or after every purchase including the first
// (MBG/NBD) the customer drops out with a beta(a, b) distributed
// probability. Parameters are in the time unit of the data they were
// fitted on (alpha is a duration); predictions take explicit Durations.
#ifndef CARTEIRA_MODELS_BG_NBD_H_
#define CARTEIRA_MODELS_BG_NBD_H_

#include <optional>
#include <span>
#include <string_view>

#include "absl/status/statusor.h"
#include "carteira/models/duration.h"
#include "carteira/models/fit.h"
#include "carteira/models/rfm_data.h"

namespace carteira::models {

enum class BgNbdVariant { kBgNbd, kMbgNbd };
std::string_view BgNbdVariantName(BgNbdVariant variant);  // "bgnbd", "mbgnbd"

struct BgNbdParams {
  double r = 1, alpha = 1, a = 1, b = 1;
};

class BgNbd {
 public:
  BgNbd(BgNbdVariant variant, BgNbdParams params, TimeUnit unit);

  // Maximum likelihood on `data` (its unit becomes the model's). Fails on
  // invalid data or when the optimiser makes no progress; a fit that
  // stopped without converging is returned with fit().converged false.
  static absl::StatusOr<BgNbd> Fit(BgNbdVariant variant, const RfmData& data,
                                   const FitOptions& options = {});

  BgNbdVariant variant() const { return variant_; }
  const BgNbdParams& params() const { return params_; }
  TimeUnit unit() const { return unit_; }
  const std::optional<FitResult>& fit() const { return fit_; }

  // Per customer; t_x, T and t in the model's unit.
  double LogLikelihood(double x, double t_x, double T) const;
  double PAlive(double x, double t_x, double T) const;
  // E[X(T, T + t) | x, t_x, T]: purchases expected in the next t.
  absl::StatusOr<double> ConditionalExpectedPurchases(double t, double x, double t_x, double T) const;
  // E[X(t)] for a customer just acquired.
  absl::StatusOr<double> ExpectedPurchases(double t) const;
  // P(X(t) = n) for a customer just acquired.
  double ProbabilityOfPurchases(int n, double t) const;

  // The same over many customers (data in any unit: converted), into
  // out[0 .. data.size()).
  absl::Status PAlive(const RfmData& data, std::span<double> out) const;
  absl::Status ConditionalExpectedPurchases(const RfmData& data, Duration horizon,
                                            std::span<double> out) const;
  // Both at once (they share the odds of having dropped out): cheaper than
  // the two calls. The spans may be the same memory (then it holds the
  // expectations).
  absl::Status PAliveAndExpectedPurchases(const RfmData& data, Duration horizon, std::span<double> p_alive,
                                          std::span<double> expected) const;
  // Total log-likelihood of data (weights honoured), in the data's unit
  // converted to the model's.
  absl::StatusOr<double> TotalLogLikelihood(const RfmData& data) const;

 private:
  BgNbdVariant variant_;
  BgNbdParams params_;
  TimeUnit unit_;
  std::optional<FitResult> fit_;
};

}  // namespace carteira::models

#endif  // CARTEIRA_MODELS_BG_NBD_H_
