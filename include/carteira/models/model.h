// Any of the customer models behind one interface, by name: what the C
// ABI, the CLI and the bindings use. The model classes themselves
// (bg_nbd.h, pareto_nbd.h, bg_bb.h, gamma_gamma.h) hold the formulas.
#ifndef CARTEIRA_MODELS_MODEL_H_
#define CARTEIRA_MODELS_MODEL_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "carteira/models/bg_bb.h"
#include "carteira/models/bg_nbd.h"
#include "carteira/models/duration.h"
#include "carteira/models/fit.h"
#include "carteira/models/gamma_gamma.h"
#include "carteira/models/pareto_nbd.h"
#include "carteira/models/rfm_data.h"

namespace carteira::models {

// The values are part of the C ABI (carteira_model_kind): append only.
enum class ModelKind { kBgNbd = 0, kMbgNbd = 1, kParetoNbd = 2, kBgBb = 3, kGammaGamma = 4 };
std::string_view ModelKindName(ModelKind kind);  // "bgnbd", "mbgnbd", "paretonbd", "bgbb", "gammagamma"
std::optional<ModelKind> ParseModelKind(std::string_view name);
// r, alpha, a, b / r, alpha, s, beta / alpha, beta, gamma, delta / p, q, gamma.
std::vector<std::string> ParamNames(ModelKind kind);

class Model {
 public:
  // BG/BB reads `data` as x transactions in T opportunities, the last at
  // t_x (its unit is ignored: opportunities); Gamma-Gamma reads x and zbar.
  static absl::StatusOr<Model> Fit(ModelKind kind, const RfmData& data, const FitOptions& options = {});
  // A model with known parameters (in `unit`; ignored for BG/BB and
  // Gamma-Gamma). Parameters must be positive.
  static absl::StatusOr<Model> FromParams(ModelKind kind, std::span<const double> params, TimeUnit unit);

  ModelKind kind() const { return kind_; }
  TimeUnit unit() const { return unit_; }
  std::vector<double> Params() const;
  const std::optional<FitResult>& fit() const;
  bool IsTransactionModel() const { return kind_ != ModelKind::kGammaGamma; }

  // Per customer of `data` (converted to the model's unit), into out.
  absl::Status PAlive(const RfmData& data, std::span<double> out) const;
  absl::Status ExpectedPurchases(const RfmData& data, Duration horizon, std::span<double> out) const;
  // Both of the above in one call; for BG/NBD and MBG/NBD it shares the
  // work (the odds of having dropped out) and costs less than the two.
  absl::Status PAliveAndExpectedPurchases(const RfmData& data, Duration horizon, std::span<double> p_alive,
                                          std::span<double> expected) const;
  absl::Status ExpectedSpend(const RfmData& data, std::span<double> out) const;  // Gamma-Gamma
  // For a customer just acquired.
  absl::StatusOr<double> UnconditionalExpectedPurchases(Duration t) const;
  absl::StatusOr<double> ProbabilityOfPurchases(int n, Duration t) const;  // BG/NBD, MBG/NBD, Pareto/NBD

  // Lifetime value per customer: this transaction model's expected
  // purchases per period, times `spend`'s expected spend (Gamma-Gamma),
  // times margin, discounted per period (gamma_gamma.h, LifetimeValue).
  absl::Status LifetimeValue(const Model& spend, const RfmData& data, Duration horizon, Duration period,
                             double discount_rate, double margin, std::span<double> out) const;

 private:
  Model(ModelKind kind, TimeUnit unit, std::variant<BgNbd, ParetoNbd, BgBb, GammaGamma> model)
      : kind_(kind), unit_(unit), model_(std::move(model)) {}
  absl::StatusOr<double> ConditionalExpected(double t_in_unit, double x, double t_x, double T) const;

  ModelKind kind_;
  TimeUnit unit_;
  std::variant<BgNbd, ParetoNbd, BgBb, GammaGamma> model_;
};

}  // namespace carteira::models

#endif  // CARTEIRA_MODELS_MODEL_H_
