#include "carteira/models/model.h"

#include <array>
#include <cmath>

#include "carteira/core/strings.h"

namespace carteira::models {
namespace {

constexpr std::array<std::string_view, 5> kNames = {"bgnbd", "mbgnbd", "paretonbd", "bgbb", "gammagamma"};

BgBbData AsBgBb(const RfmData& d) {
  BgBbData b;
  b.x = d.x;
  b.t_x = d.t_x;
  b.n = d.T;
  b.weight = d.weight;
  return b;
}

absl::Status Unsupported(ModelKind kind, std::string_view what) {
  return absl::FailedPreconditionError(StrCat(ModelKindName(kind), ": ", what, " is not a prediction of this model"));
}

absl::Status CheckOut(const RfmData& data, std::span<double> out) {
  if (out.size() < data.size()) {
    return absl::OutOfRangeError(StrCat("the output holds ", out.size(), " values, the data ", data.size(), " customers"));
  }
  return absl::OkStatus();
}

}  // namespace

std::string_view ModelKindName(ModelKind kind) {
  const auto i = static_cast<size_t>(kind);
  return i < kNames.size() ? kNames[i] : std::string_view("unknown");
}

std::optional<ModelKind> ParseModelKind(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<ModelKind>(i);
  }
  return std::nullopt;
}

std::vector<std::string> ParamNames(ModelKind kind) {
  switch (kind) {
    case ModelKind::kParetoNbd:
      return {"r", "alpha", "s", "beta"};
    case ModelKind::kBgBb:
      return {"alpha", "beta", "gamma", "delta"};
    case ModelKind::kGammaGamma:
      return {"p", "q", "gamma"};
    default:
      return {"r", "alpha", "a", "b"};
  }
}

absl::StatusOr<Model> Model::Fit(ModelKind kind, const RfmData& data, const FitOptions& options) {
  switch (kind) {
    case ModelKind::kBgNbd:
    case ModelKind::kMbgNbd: {
      auto m = BgNbd::Fit(kind == ModelKind::kBgNbd ? BgNbdVariant::kBgNbd : BgNbdVariant::kMbgNbd, data, options);
      if (!m.ok()) return m.status();
      return Model(kind, data.unit, std::move(*m));
    }
    case ModelKind::kParetoNbd: {
      auto m = ParetoNbd::Fit(data, options);
      if (!m.ok()) return m.status();
      return Model(kind, data.unit, std::move(*m));
    }
    case ModelKind::kBgBb: {
      auto m = BgBb::Fit(AsBgBb(data), options);
      if (!m.ok()) return m.status();
      return Model(kind, data.unit, std::move(*m));
    }
    case ModelKind::kGammaGamma: {
      auto m = GammaGamma::Fit(data, options);
      if (!m.ok()) return m.status();
      return Model(kind, data.unit, std::move(*m));
    }
  }
  return absl::InvalidArgumentError("unknown model kind");
}

absl::StatusOr<Model> Model::FromParams(ModelKind kind, std::span<const double> p, TimeUnit unit) {
  const size_t want = ParamNames(kind).size();
  if (p.size() != want) {
    return absl::InvalidArgumentError(StrCat(ModelKindName(kind), " takes ", want, " parameters, got ", p.size()));
  }
  for (size_t k = 0; k < p.size(); ++k) {
    if (!(p[k] > 0) || !std::isfinite(p[k])) {
      return absl::InvalidArgumentError(StrCat(ModelKindName(kind), ": parameter ", ParamNames(kind)[k],
                                               " must be a positive number, got ", p[k]));
    }
  }
  switch (kind) {
    case ModelKind::kBgNbd:
    case ModelKind::kMbgNbd:
      return Model(kind, unit,
                   BgNbd(kind == ModelKind::kBgNbd ? BgNbdVariant::kBgNbd : BgNbdVariant::kMbgNbd,
                         {p[0], p[1], p[2], p[3]}, unit));
    case ModelKind::kParetoNbd:
      return Model(kind, unit, ParetoNbd({p[0], p[1], p[2], p[3]}, unit));
    case ModelKind::kBgBb:
      return Model(kind, unit, BgBb({p[0], p[1], p[2], p[3]}));
    case ModelKind::kGammaGamma:
      return Model(kind, unit, GammaGamma({p[0], p[1], p[2]}));
  }
  return absl::InvalidArgumentError("unknown model kind");
}

std::vector<double> Model::Params() const {
  return std::visit(
      [](const auto& m) -> std::vector<double> {
        using T = std::decay_t<decltype(m)>;
        const auto& q = m.params();
        if constexpr (std::is_same_v<T, BgNbd>) return {q.r, q.alpha, q.a, q.b};
        if constexpr (std::is_same_v<T, ParetoNbd>) return {q.r, q.alpha, q.s, q.beta};
        if constexpr (std::is_same_v<T, BgBb>) return {q.alpha, q.beta, q.gamma, q.delta};
        if constexpr (std::is_same_v<T, GammaGamma>) return {q.p, q.q, q.gamma};
      },
      model_);
}

const std::optional<FitResult>& Model::fit() const {
  return std::visit([](const auto& m) -> const std::optional<FitResult>& { return m.fit(); }, model_);
}

absl::Status Model::PAlive(const RfmData& data, std::span<double> out) const {
  if (absl::Status s = CheckOut(data, out); !s.ok()) return s;
  if (const auto* m = std::get_if<BgNbd>(&model_)) return m->PAlive(data, out);
  if (const auto* m = std::get_if<ParetoNbd>(&model_)) return m->PAlive(data, out);
  if (const auto* m = std::get_if<BgBb>(&model_)) {
    if (absl::Status s = AsBgBb(data).Validate(); !s.ok()) return s;
    for (size_t i = 0; i < data.size(); ++i) out[i] = m->PAlive(data.x[i], data.t_x[i], data.T[i]);
    return absl::OkStatus();
  }
  return Unsupported(kind_, "P(alive)");
}

absl::StatusOr<double> Model::ConditionalExpected(double t, double x, double t_x, double T) const {
  if (const auto* m = std::get_if<BgNbd>(&model_)) return m->ConditionalExpectedPurchases(t, x, t_x, T);
  if (const auto* m = std::get_if<ParetoNbd>(&model_)) return m->ConditionalExpectedPurchases(t, x, t_x, T);
  if (const auto* m = std::get_if<BgBb>(&model_)) return m->ConditionalExpectedTransactions(t, x, t_x, T);
  return Unsupported(kind_, "expected purchases");
}

absl::Status Model::ExpectedPurchases(const RfmData& data, Duration horizon, std::span<double> out) const {
  if (absl::Status s = CheckOut(data, out); !s.ok()) return s;
  if (const auto* m = std::get_if<BgNbd>(&model_)) return m->ConditionalExpectedPurchases(data, horizon, out);
  if (const auto* m = std::get_if<ParetoNbd>(&model_)) return m->ConditionalExpectedPurchases(data, horizon, out);
  if (const auto* m = std::get_if<BgBb>(&model_)) {
    if (absl::Status s = AsBgBb(data).Validate(); !s.ok()) return s;
    for (size_t i = 0; i < data.size(); ++i) {
      out[i] = m->ConditionalExpectedTransactions(horizon.value, data.x[i], data.t_x[i], data.T[i]);
    }
    return absl::OkStatus();
  }
  return Unsupported(kind_, "expected purchases");
}

absl::Status Model::PAliveAndExpectedPurchases(const RfmData& data, Duration horizon, std::span<double> p_alive,
                                               std::span<double> expected) const {
  if (absl::Status s = CheckOut(data, p_alive); !s.ok()) return s;
  if (absl::Status s = CheckOut(data, expected); !s.ok()) return s;
  if (const auto* m = std::get_if<BgNbd>(&model_)) {
    return m->PAliveAndExpectedPurchases(data, horizon, p_alive, expected);
  }
  if (absl::Status s = PAlive(data, p_alive); !s.ok()) return s;
  return ExpectedPurchases(data, horizon, expected);
}

absl::Status Model::ExpectedSpend(const RfmData& data, std::span<double> out) const {
  if (absl::Status s = CheckOut(data, out); !s.ok()) return s;
  if (const auto* m = std::get_if<GammaGamma>(&model_)) return m->ExpectedAverageSpend(data, out);
  return Unsupported(kind_, "expected spend");
}

absl::StatusOr<double> Model::UnconditionalExpectedPurchases(Duration t) const {
  if (const auto* m = std::get_if<BgNbd>(&model_)) return m->ExpectedPurchases(t.In(unit_));
  if (const auto* m = std::get_if<ParetoNbd>(&model_)) return m->ExpectedPurchases(t.In(unit_));
  if (const auto* m = std::get_if<BgBb>(&model_)) return m->ExpectedTransactions(t.value);
  return Unsupported(kind_, "expected purchases");
}

absl::StatusOr<double> Model::ProbabilityOfPurchases(int n, Duration t) const {
  if (n < 0) return absl::InvalidArgumentError("P(X(t) = n): n is negative");
  if (const auto* m = std::get_if<BgNbd>(&model_)) return m->ProbabilityOfPurchases(n, t.In(unit_));
  if (const auto* m = std::get_if<ParetoNbd>(&model_)) return m->ProbabilityOfPurchases(n, t.In(unit_));
  return Unsupported(kind_, "P(X(t) = n)");
}

absl::Status Model::LifetimeValue(const Model& spend, const RfmData& data, Duration horizon, Duration period,
                                  double discount_rate, double margin, std::span<double> out) const {
  if (absl::Status s = CheckOut(data, out); !s.ok()) return s;
  if (!IsTransactionModel()) return Unsupported(kind_, "a lifetime value (use a transaction model)");
  if (spend.kind() != ModelKind::kGammaGamma) {
    return absl::InvalidArgumentError("clv: the spend model must be gammagamma");
  }
  if (absl::Status s = data.Validate(); !s.ok()) return s;
  if (data.zbar.size() != data.size()) return absl::InvalidArgumentError("clv: the data has no zbar column");
  const double f = kind_ == ModelKind::kBgBb ? 1.0 : UnitFactor(data.unit, unit_);
  const GammaGamma& gg = std::get<GammaGamma>(spend.model_);
  // The period in the model's unit (opportunities for BG/BB).
  const double step = kind_ == ModelKind::kBgBb ? period.value : period.In(unit_);
  for (size_t i = 0; i < data.size(); ++i) {
    auto z = gg.ExpectedAverageSpend(data.x[i], data.zbar[i]);
    if (!z.ok()) return z.status();
    const double x = data.x[i], t_x = data.t_x[i] * f, T = data.T[i] * f;
    auto value = models::LifetimeValue(
        [&](double periods) { return ConditionalExpected(periods * step, x, t_x, T); }, *z, horizon, period,
        discount_rate, margin);
    if (!value.ok()) return absl::Status(value.status().code(), StrCat("customer row ", i, ": ", value.status().message()));
    out[i] = *value;
  }
  return absl::OkStatus();
}

}  // namespace carteira::models
