// The customer models through the C ABI: fitting (from columns or a
// portfolio), known parameters, fit information and every prediction,
// vectorised over customers into caller buffers.
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "capi/src/api_guard.h"
#include "capi/src/handles.h"
#include "capi/src/struct_size.h"
#include "carteira/core/strings.h"
#include "carteira/models/model.h"
#include "carteira/models/p_alive_rule.h"
#include "carteira/status/status_engine.h"

namespace {

using carteira::capi::SetLastError;
using carteira::models::Duration;
using carteira::models::Model;
using carteira::models::ModelKind;
using carteira::models::RfmData;

constexpr size_t kRfmColumnsV1 = sizeof(carteira_rfm_columns);
constexpr size_t kFitOptionsV1 = sizeof(carteira_fit_options);
constexpr size_t kFitInfoV1 = sizeof(carteira_fit_info);

absl::StatusOr<ModelKind> ToKind(int32_t kind) {
  if (kind < CARTEIRA_MODEL_BGNBD || kind > CARTEIRA_MODEL_GAMMAGAMMA) {
    return absl::InvalidArgumentError(carteira::StrCat("model kind ", kind, " is not a carteira_model_kind (0..4)"));
  }
  return static_cast<ModelKind>(kind);
}

absl::StatusOr<carteira::TimeUnit> ToUnit(int32_t unit, std::string_view what) {
  if (unit < CARTEIRA_DAYS || unit > CARTEIRA_MONTHS) {
    return absl::InvalidArgumentError(
        carteira::StrCat(what, ": ", unit, " is not a carteira_time_unit (days 0, weeks 1, months 2)"));
  }
  return static_cast<carteira::TimeUnit>(unit);
}

// Copies the caller's columns (the models read whole vectors).
absl::StatusOr<RfmData> ToData(const carteira_rfm_columns* c) {
  if (c == nullptr) return absl::InvalidArgumentError("carteira_rfm_columns is NULL");
  if (c->struct_size < kRfmColumnsV1) return absl::InvalidArgumentError("carteira_rfm_columns: struct_size too small");
  if (c->count > 0 && (c->x == nullptr || c->t_x == nullptr || c->T == nullptr)) {
    return absl::InvalidArgumentError("carteira_rfm_columns: x, t_x and T are required");
  }
  auto unit = ToUnit(c->unit, "carteira_rfm_columns.unit");
  if (!unit.ok()) return unit.status();
  RfmData d;
  d.unit = *unit;
  d.x.assign(c->x, c->x + c->count);
  d.t_x.assign(c->t_x, c->t_x + c->count);
  d.T.assign(c->T, c->T + c->count);
  if (c->weight != nullptr) d.weight.assign(c->weight, c->weight + c->count);
  if (c->zbar != nullptr) d.zbar.assign(c->zbar, c->zbar + c->count);
  return d;
}

absl::StatusOr<carteira::models::FitOptions> ToOptions(const carteira_fit_options* o) {
  carteira::models::FitOptions options;
  if (o == nullptr) return options;
  if (o->struct_size < kFitOptionsV1) return absl::InvalidArgumentError("carteira_fit_options: struct_size too small");
  if (!(o->l2_penalty >= 0)) return absl::InvalidArgumentError("carteira_fit_options.l2_penalty must be >= 0");
  options.l2_penalty = o->l2_penalty;
  if (o->max_evaluations < 0) return absl::InvalidArgumentError("carteira_fit_options.max_evaluations must be >= 0");
  if (o->max_evaluations > 0) options.max_evaluations = o->max_evaluations;
  if (o->initial_count > 0) {
    if (o->initial == nullptr) return absl::InvalidArgumentError("carteira_fit_options.initial is NULL");
    options.initial.assign(o->initial, o->initial + o->initial_count);
  }
  return options;
}

carteira_status Capacity(size_t needed, size_t capacity) {
  if (capacity < needed) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE,
                        carteira::StrCat("the output needs ", needed, " entries, the buffer has ", capacity));
  }
  return CARTEIRA_OK;
}

carteira_status Adopt(absl::StatusOr<Model> model, carteira_model** out) {
  if (!model.ok()) return SetLastError(model.status());
  auto handle = std::make_unique<carteira_model>();
  handle->impl.emplace(std::move(*model));
  *out = handle.release();
  return CARTEIRA_OK;
}

}  // namespace

extern "C" {

void carteira_fit_options_init(carteira_fit_options* options, size_t struct_size) {
  if (options == nullptr) return;
  carteira::capi::InitStruct(options, struct_size);
}

carteira_status carteira_model_fit(int32_t kind, const carteira_rfm_columns* data,
                                   const carteira_fit_options* options, carteira_model** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(data);
  auto k = ToKind(kind);
  CARTEIRA_RETURN_IF_ERROR(k.status());
  auto d = ToData(data);
  CARTEIRA_RETURN_IF_ERROR(d.status());
  auto o = ToOptions(options);
  CARTEIRA_RETURN_IF_ERROR(o.status());
  return Adopt(Model::Fit(*k, *d, *o), out);
  CARTEIRA_API_END();
}

carteira_status carteira_model_fit_portfolio(int32_t kind, const carteira_portfolio* portfolio,
                                             int32_t calibration_end, int32_t unit,
                                             const carteira_fit_options* options, carteira_model** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(portfolio);
  auto k = ToKind(kind);
  CARTEIRA_RETURN_IF_ERROR(k.status());
  if (*k == ModelKind::kBgBb) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT,
                        "bgbb needs discrete opportunities (carteira_model_fit with x, t_x and n)");
  }
  auto u = ToUnit(unit, "unit");
  CARTEIRA_RETURN_IF_ERROR(u.status());
  const carteira::DayNumber lo = carteira::DaysFromCivil(carteira::kMinYear, 1, 1);
  const carteira::DayNumber hi = carteira::DaysFromCivil(carteira::kMaxYear, 12, 31);
  if (calibration_end < lo || calibration_end > hi) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT, "calibration_end: outside the accepted years");
  }
  auto o = ToOptions(options);
  CARTEIRA_RETURN_IF_ERROR(o.status());
  carteira::SummaryOptions so;
  so.as_of = carteira::ToDate(calibration_end);
  so.unit = *u;
  auto summary = carteira::Summarize(portfolio->impl, so);
  CARTEIRA_RETURN_IF_ERROR(summary.status());
  return Adopt(Model::Fit(*k, carteira::models::RfmFromSummary(*summary), *o), out);
  CARTEIRA_API_END();
}

carteira_status carteira_model_create(int32_t kind, const double* params, size_t count, int32_t unit,
                                      carteira_model** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  if (count > 0) CARTEIRA_CHECK_ARG(params);
  auto k = ToKind(kind);
  CARTEIRA_RETURN_IF_ERROR(k.status());
  auto u = ToUnit(unit, "unit");
  CARTEIRA_RETURN_IF_ERROR(u.status());
  return Adopt(Model::FromParams(*k, std::span<const double>(params, count), *u), out);
  CARTEIRA_API_END();
}

void carteira_model_destroy(carteira_model* model) { delete model; }

carteira_status carteira_model_get_fit_info(const carteira_model* model, carteira_fit_info* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(model);
  CARTEIRA_CHECK_ARG(out);
  if (out->struct_size < kFitInfoV1) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT, "carteira_fit_info: struct_size too small");
  }
  const Model& m = *model->impl;
  CARTEIRA_SET_FIELD(out, kind, static_cast<int32_t>(m.kind()));
  CARTEIRA_SET_FIELD(out, unit, static_cast<int32_t>(m.unit()));
  CARTEIRA_SET_FIELD(out, param_count, m.Params().size());
  const auto& fit = m.fit();
  CARTEIRA_SET_FIELD(out, fitted, fit.has_value() ? 1 : 0);
  CARTEIRA_SET_FIELD(out, converged, fit && fit->converged ? 1 : 0);
  CARTEIRA_SET_FIELD(out, evaluations, fit ? fit->evaluations : 0);
  CARTEIRA_SET_FIELD(out, log_likelihood, fit ? fit->log_likelihood : 0.0);
  CARTEIRA_SET_FIELD(out, n_customers, fit ? fit->n_customers : 0.0);
  CARTEIRA_SET_FIELD(out, gradient_norm, fit ? fit->gradient_norm : 0.0);
  CARTEIRA_SET_FIELD(out, aic, fit ? fit->Aic() : 0.0);
  CARTEIRA_SET_FIELD(out, bic, fit ? fit->Bic() : 0.0);
  CARTEIRA_API_END();
}

carteira_status carteira_model_get_params(const carteira_model* model, double* params, double* std_errors,
                                          size_t capacity) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(model);
  CARTEIRA_CHECK_ARG(params);
  const std::vector<double> p = model->impl->Params();
  if (carteira_status s = Capacity(p.size(), capacity); s != CARTEIRA_OK) return s;
  for (size_t k = 0; k < p.size(); ++k) params[k] = p[k];
  if (std_errors != nullptr) {
    const auto& fit = model->impl->fit();
    for (size_t k = 0; k < p.size(); ++k) {
      std_errors[k] = fit && k < fit->std_errors.size() ? fit->std_errors[k]
                                                       : std::numeric_limits<double>::quiet_NaN();
    }
  }
  CARTEIRA_API_END();
}

carteira_status carteira_model_param_name(const carteira_model* model, size_t index, const char** out_name) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(model);
  CARTEIRA_CHECK_ARG(out_name);
  // Static names per kind, so the pointers outlive every model.
  static const char* const kNames[5][4] = {{"r", "alpha", "a", "b"},
                                           {"r", "alpha", "a", "b"},
                                           {"r", "alpha", "s", "beta"},
                                           {"alpha", "beta", "gamma", "delta"},
                                           {"p", "q", "gamma", nullptr}};
  const auto kind = static_cast<size_t>(model->impl->kind());
  const size_t count = model->impl->Params().size();
  if (index >= count) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE, carteira::StrCat("parameter ", index, " of ", count));
  }
  *out_name = kNames[kind][index];
  CARTEIRA_API_END();
}

carteira_status carteira_model_fit_reason(const carteira_model* model, const char** out_reason) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(model);
  CARTEIRA_CHECK_ARG(out_reason);
  const auto& fit = model->impl->fit();
  *out_reason = fit ? fit->reason.c_str() : "";
  CARTEIRA_API_END();
}

carteira_status carteira_model_p_alive(const carteira_model* model, const carteira_rfm_columns* data,
                                       double* out, size_t capacity) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(model);
  auto d = ToData(data);
  CARTEIRA_RETURN_IF_ERROR(d.status());
  if (carteira_status s = Capacity(d->size(), capacity); s != CARTEIRA_OK) return s;
  if (d->size() > 0) CARTEIRA_CHECK_ARG(out);
  CARTEIRA_RETURN_IF_ERROR(model->impl->PAlive(*d, std::span<double>(out, d->size())));
  CARTEIRA_API_END();
}

carteira_status carteira_model_expected_purchases(const carteira_model* model, const carteira_rfm_columns* data,
                                                  double horizon, int32_t horizon_unit, double* out,
                                                  size_t capacity) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(model);
  auto d = ToData(data);
  CARTEIRA_RETURN_IF_ERROR(d.status());
  auto u = ToUnit(horizon_unit, "horizon_unit");
  CARTEIRA_RETURN_IF_ERROR(u.status());
  if (!(horizon >= 0)) return SetLastError(CARTEIRA_INVALID_ARGUMENT, "horizon must be >= 0");
  if (carteira_status s = Capacity(d->size(), capacity); s != CARTEIRA_OK) return s;
  if (d->size() > 0) CARTEIRA_CHECK_ARG(out);
  CARTEIRA_RETURN_IF_ERROR(
      model->impl->ExpectedPurchases(*d, Duration{horizon, *u}, std::span<double>(out, d->size())));
  CARTEIRA_API_END();
}

carteira_status carteira_model_expected_spend(const carteira_model* model, const carteira_rfm_columns* data,
                                              double* out, size_t capacity) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(model);
  auto d = ToData(data);
  CARTEIRA_RETURN_IF_ERROR(d.status());
  if (carteira_status s = Capacity(d->size(), capacity); s != CARTEIRA_OK) return s;
  if (d->size() > 0) CARTEIRA_CHECK_ARG(out);
  CARTEIRA_RETURN_IF_ERROR(model->impl->ExpectedSpend(*d, std::span<double>(out, d->size())));
  CARTEIRA_API_END();
}

carteira_status carteira_model_unconditional_expected_purchases(const carteira_model* model, double t,
                                                                int32_t unit, double* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(model);
  CARTEIRA_CHECK_ARG(out);
  auto u = ToUnit(unit, "unit");
  CARTEIRA_RETURN_IF_ERROR(u.status());
  if (!(t >= 0)) return SetLastError(CARTEIRA_INVALID_ARGUMENT, "t must be >= 0");
  auto e = model->impl->UnconditionalExpectedPurchases(Duration{t, *u});
  CARTEIRA_RETURN_IF_ERROR(e.status());
  *out = *e;
  CARTEIRA_API_END();
}

carteira_status carteira_model_probability_of_purchases(const carteira_model* model, int32_t n, double t,
                                                        int32_t unit, double* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(model);
  CARTEIRA_CHECK_ARG(out);
  auto u = ToUnit(unit, "unit");
  CARTEIRA_RETURN_IF_ERROR(u.status());
  if (n < 0 || !(t >= 0)) return SetLastError(CARTEIRA_INVALID_ARGUMENT, "n and t must be >= 0");
  auto p = model->impl->ProbabilityOfPurchases(n, Duration{t, *u});
  CARTEIRA_RETURN_IF_ERROR(p.status());
  *out = *p;
  CARTEIRA_API_END();
}

carteira_status carteira_model_lifetime_value(const carteira_model* model, const carteira_model* spend,
                                              const carteira_rfm_columns* data, double horizon,
                                              int32_t horizon_unit, double period, int32_t period_unit,
                                              double discount_rate, double margin, double* out,
                                              size_t capacity) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(model);
  CARTEIRA_CHECK_ARG(spend);
  auto d = ToData(data);
  CARTEIRA_RETURN_IF_ERROR(d.status());
  auto hu = ToUnit(horizon_unit, "horizon_unit");
  CARTEIRA_RETURN_IF_ERROR(hu.status());
  auto pu = ToUnit(period_unit, "period_unit");
  CARTEIRA_RETURN_IF_ERROR(pu.status());
  if (carteira_status s = Capacity(d->size(), capacity); s != CARTEIRA_OK) return s;
  if (d->size() > 0) CARTEIRA_CHECK_ARG(out);
  CARTEIRA_RETURN_IF_ERROR(model->impl->LifetimeValue(*spend->impl, *d, Duration{horizon, *hu},
                                                      Duration{period, *pu}, discount_rate, margin,
                                                      std::span<double>(out, d->size())));
  CARTEIRA_API_END();
}

carteira_status carteira_status_engine_add_p_alive_rule(carteira_status_engine* engine, const carteira_model* model,
                                                       double at_risk_below, double inactive_below, double horizon,
                                                       int32_t horizon_unit) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(engine);
  CARTEIRA_CHECK_ARG(model);
  auto u = ToUnit(horizon_unit, "horizon_unit");
  CARTEIRA_RETURN_IF_ERROR(u.status());
  if (!(horizon >= 0)) return SetLastError(CARTEIRA_INVALID_ARGUMENT, "horizon must be >= 0");
  auto rule = carteira::models::PAliveRule::Create(*model->impl, {at_risk_below, inactive_below, Duration{horizon, *u}});
  CARTEIRA_RETURN_IF_ERROR(rule.status());
  CARTEIRA_RETURN_IF_ERROR(engine->impl->AddRule(std::move(*rule)));
  CARTEIRA_API_END();
}

}  // extern "C"
