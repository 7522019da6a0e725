// Segments and KPIs through the C ABI (docs/segments.md, docs/kpi.md): the
// quintile rule and ABC classes on any figures, segment maps and their
// check, the segments of a portfolio (RFM scores, named segment, ABC
// class), the KPI report with its cohort matrix, the model lifetime and
// the rep dashboard. Undefined ratios become NaN (documented in the
// header), absent amounts CARTEIRA_NO_MONEY.
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "capi/src/api_guard.h"
#include "capi/src/checks.h"
#include "capi/src/handles.h"
#include "carteira/core/strings.h"
#include "carteira/kpi/cohort.h"
#include "carteira/kpi/kpi.h"
#include "carteira/kpi/lifetime.h"
#include "carteira/kpi/period_activity.h"
#include "carteira/kpi/rep_dashboard.h"
#include "carteira/segments/abc.h"
#include "carteira/segments/rfm.h"
#include "carteira/segments/segment_map.h"
#include "carteira/status/status_engine.h"
#include "carteira/summary/customer_summary.h"

struct carteira_segments {
  carteira::DayNumber as_of = carteira::kNoDay, abc_from = carteira::kNoDay;
  carteira::RfmTable rfm;
  carteira::SegmentAssignment segments;
  carteira::AbcTable abc;
  std::vector<carteira::MinorUnits> period_revenue;  // per customer index
};

struct carteira_kpi {
  carteira::KpiReport report;
  absl::StatusOr<carteira::CohortMatrix> cohorts = absl::UnknownError("not computed");
};

struct carteira_rep_dashboard {
  std::vector<carteira::RepDashboardRow> rows;
  std::vector<std::string> ids, names;  // per row; "" for the unassigned
};

namespace {

using carteira::capi::CheckDay;
using carteira::capi::CheckStructSize;
using carteira::capi::SetLastError;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The first released size of each struct (STYLE.md rule 10).
constexpr size_t kSegmentRuleV1 = sizeof(carteira_segment_rule);
constexpr size_t kSegmentMapReportV1 = sizeof(carteira_segment_map_report);
constexpr size_t kSegmentsOptionsV1 = sizeof(carteira_segments_options);
constexpr size_t kSegmentsInfoV1 = sizeof(carteira_segments_info);
constexpr size_t kKpiOptionsV1 = sizeof(carteira_kpi_options);
constexpr size_t kKpiValuesV1 = sizeof(carteira_kpi_values);
constexpr size_t kRepDashboardOptionsV1 = sizeof(carteira_rep_dashboard_options);
constexpr size_t kRepDashboardRowV1 = sizeof(carteira_rep_dashboard_row);

double Real(const std::optional<double>& v) { return v ? *v : kNaN; }
int64_t Money(const std::optional<carteira::MinorUnits>& v) { return v ? *v : CARTEIRA_NO_MONEY; }

absl::StatusOr<carteira::AbcOptions> ToAbcOptions(double a_share, double b_share) {
  carteira::AbcOptions o;
  if (a_share != 0) {
    o.a_share = a_share;
    o.b_share = b_share;
  }
  if (absl::Status s = o.Validate(); !s.ok()) return s;
  return o;
}

carteira_status NewMap(absl::StatusOr<carteira::SegmentMap> map, carteira_segment_map** out) {
  if (!map.ok()) return SetLastError(map.status());
  auto handle = std::make_unique<carteira_segment_map>();
  handle->impl = std::move(*map);
  handle->json = handle->impl.ToJson();
  handle->check = carteira::CheckSegmentMap(handle->impl);
  handle->description = handle->check.Describe(handle->impl);
  for (const auto& s : handle->check.shadowed) {
    handle->covered_by.emplace_back(s.covered_by.begin(), s.covered_by.end());
  }
  for (const carteira::SegmentRule& rule : handle->impl.rules) handle->conditions.push_back(rule.DescribeConditions());
  *out = handle.release();
  return CARTEIRA_OK;
}

// The status policy a call names (NULL = the default).
carteira::StatusPolicy PolicyOf(const carteira_status_policy* policy) {
  return policy == nullptr ? carteira::StatusPolicy::Default() : policy->impl;
}

void FillKpi(const carteira::KpiRow& r, carteira_kpi_values* out) {
  out->unassigned = r.unassigned ? 1 : 0;
  out->group = r.group.c_str();
  out->customers = r.customers;
  out->active_start = r.active_start;
  out->active = r.active;
  out->new_customers = r.new_customers;
  out->new_active = r.new_active;
  out->retained = r.retained;
  out->churned = r.churned;
  out->lapsed_start = r.lapsed_start;
  out->reactivated = r.reactivated;
  out->buyers = r.buyers;
  out->purchases = r.purchases;
  out->revenue = r.revenue;
  out->retention_rate = Real(r.retention_rate);
  out->churn_rate = Real(r.churn_rate);
  out->reactivation_rate = Real(r.reactivation_rate);
  out->average_ticket = Money(r.average_ticket);
  out->revenue_per_customer = Money(r.revenue_per_customer);
  out->purchase_frequency = Real(r.purchase_frequency);
  out->lifetime_observed_days = Real(r.lifetime_observed_days);
  out->lifetime_from_churn_days = Real(r.lifetime_from_churn_days);
  out->lifetime_model_days = Real(r.lifetime_model_days);
  out->answers = r.answers;
  out->promoters = r.promoters;
  out->passives = r.passives;
  out->detractors = r.detractors;
  out->nps = Real(r.nps);
  out->positivacao = Real(r.positivacao);
  out->book_at_start = r.book_at_start;
  out->moved = r.moved;
  out->giro = Real(r.giro);
  out->top20_share = Real(r.top20_share);
  out->gini = Real(r.gini);
}

}  // namespace

extern "C" {

carteira_status carteira_quintile_scores(const int64_t* values, size_t count, int32_t higher_is_better,
                                         uint8_t* out) {
  CARTEIRA_API_BEGIN();
  if (count > 0) {
    CARTEIRA_CHECK_ARG(values);
    CARTEIRA_CHECK_ARG(out);
  }
  static_assert(sizeof(int64_t) == sizeof(std::int64_t));
  carteira::QuintileScores(std::span<const std::int64_t>(reinterpret_cast<const std::int64_t*>(values), count),
                           higher_is_better != 0, std::span<std::uint8_t>(out, count));
  CARTEIRA_API_END();
}

const char* carteira_abc_class_name(int32_t abc_class) {
  if (abc_class < CARTEIRA_ABC_NONE || abc_class > CARTEIRA_ABC_C) return nullptr;
  return carteira::AbcClassName(static_cast<carteira::AbcClass>(abc_class)).data();  // literals
}

carteira_status carteira_abc_classify(const int64_t* revenue, size_t count, double a_share, double b_share,
                                      uint8_t* out) {
  CARTEIRA_API_BEGIN();
  if (count > 0) {
    CARTEIRA_CHECK_ARG(revenue);
    CARTEIRA_CHECK_ARG(out);
  }
  auto options = ToAbcOptions(a_share, b_share);
  CARTEIRA_RETURN_IF_ERROR(options.status());
  const std::vector<carteira::MinorUnits> values(revenue, revenue + count);
  auto table = carteira::ClassifyAbc(values, *options);
  CARTEIRA_RETURN_IF_ERROR(table.status());
  for (size_t i = 0; i < count; ++i) out[i] = static_cast<uint8_t>(table->klass[i]);
  CARTEIRA_API_END();
}

carteira_status carteira_segment_map_default(carteira_segment_map** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  return NewMap(carteira::SegmentMap::Default(), out);
  CARTEIRA_API_END();
}

carteira_status carteira_segment_map_from_json(const char* json, carteira_segment_map** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(json);
  return NewMap(carteira::SegmentMap::FromJson(json), out);
  CARTEIRA_API_END();
}

carteira_status carteira_segment_map_from_file(const char* path, carteira_segment_map** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(path);
  return NewMap(carteira::SegmentMap::FromFile(path), out);
  CARTEIRA_API_END();
}

void carteira_segment_map_destroy(carteira_segment_map* map) { delete map; }

carteira_status carteira_segment_map_to_json(const carteira_segment_map* map, const char** out_json) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(map);
  CARTEIRA_CHECK_ARG(out_json);
  *out_json = map->json.c_str();
  CARTEIRA_API_END();
}

carteira_status carteira_segment_map_check(const carteira_segment_map* map, carteira_segment_map_report* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(map);
  CARTEIRA_CHECK_ARG(out);
  if (carteira_status s = CheckStructSize(out->struct_size, kSegmentMapReportV1, "carteira_segment_map_report"); s) {
    return s;
  }
  out->ok = map->check.ok() ? 1 : 0;
  out->r_f_m_grid = map->check.r_f_m_grid ? 1 : 0;
  out->rule_count = map->impl.rules.size();
  out->shadowed_count = map->check.shadowed.size();
  out->uncovered_count = map->check.uncovered.size();
  out->fallback = map->impl.fallback.c_str();
  out->description = map->description.c_str();
  CARTEIRA_API_END();
}

carteira_status carteira_segment_map_rule(const carteira_segment_map* map, size_t index, carteira_segment_rule* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(map);
  CARTEIRA_CHECK_ARG(out);
  if (carteira_status s = CheckStructSize(out->struct_size, kSegmentRuleV1, "carteira_segment_rule"); s) return s;
  if (index >= map->impl.rules.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE, carteira::StrCat("segment rule ", index, " of ", map->impl.rules.size()));
  }
  const carteira::SegmentRule& r = map->impl.rules[index];
  out->name = r.name.c_str();
  out->r_lo = r.r.lo, out->r_hi = r.r.hi;
  out->f_lo = r.f.lo, out->f_hi = r.f.hi;
  out->m_lo = r.m.lo, out->m_hi = r.m.hi;
  out->fm_lo = r.fm.lo, out->fm_hi = r.fm.hi;
  CARTEIRA_API_END();
}

carteira_status carteira_segment_map_rule_conditions(const carteira_segment_map* map, size_t index, size_t* out_count,
                                                     const char** out_text) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(map);
  if (index >= map->impl.rules.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE, carteira::StrCat("segment rule ", index, " of ", map->impl.rules.size()));
  }
  if (out_count != nullptr) *out_count = map->impl.rules[index].where.size();
  if (out_text != nullptr) *out_text = map->conditions[index].c_str();
  CARTEIRA_API_END();
}

carteira_status carteira_segment_map_shadowed(const carteira_segment_map* map, size_t index, size_t* out_rule,
                                              const uint32_t** out_covered_by, size_t* out_covered_count) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(map);
  CARTEIRA_CHECK_ARG(out_rule);
  CARTEIRA_CHECK_ARG(out_covered_by);
  CARTEIRA_CHECK_ARG(out_covered_count);
  if (index >= map->check.shadowed.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE,
                        carteira::StrCat("shadowed rule ", index, " of ", map->check.shadowed.size()));
  }
  *out_rule = map->check.shadowed[index].rule;
  *out_covered_by = map->covered_by[index].data();
  *out_covered_count = map->covered_by[index].size();
  CARTEIRA_API_END();
}

carteira_status carteira_segment_map_uncovered(const carteira_segment_map* map, uint8_t* out, size_t capacity) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(map);
  const auto& cells = map->check.uncovered;
  if (cells.empty()) return CARTEIRA_OK;
  CARTEIRA_CHECK_ARG(out);
  if (capacity / 3 < cells.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE, carteira::StrCat("uncovered cells need 3 x ", cells.size(),
                                                                " bytes, the buffer has ", capacity));
  }
  for (size_t i = 0; i < cells.size(); ++i) std::memcpy(out + 3 * i, cells[i].data(), 3);
  CARTEIRA_API_END();
}

carteira_status carteira_segments_compute(const carteira_portfolio* portfolio, const carteira_segments_options* options,
                                          carteira_segments** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(options);
  if (carteira_status s = CheckStructSize(options->struct_size, kSegmentsOptionsV1, "carteira_segments_options"); s) {
    return s;
  }
  CARTEIRA_RETURN_IF_ERROR(CheckDay(options->as_of, "carteira_segments_options.as_of", true));
  CARTEIRA_RETURN_IF_ERROR(CheckDay(options->abc_from, "carteira_segments_options.abc_from", false));
  auto abc_options = ToAbcOptions(options->abc_a_share, options->abc_b_share);
  CARTEIRA_RETURN_IF_ERROR(abc_options.status());
  auto handle = std::make_unique<carteira_segments>();
  handle->as_of = options->as_of;
  handle->abc_from = options->abc_from == CARTEIRA_NO_DAY ? options->as_of - 364 : options->abc_from;
  if (handle->abc_from > handle->as_of) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT,
                        carteira::StrCat("carteira_segments_options.abc_from ", carteira::FormatDate(handle->abc_from),
                                         " is after as_of ", carteira::FormatDate(handle->as_of)));
  }
  carteira::SummaryOptions so;
  so.as_of = carteira::ToDate(options->as_of);
  auto summary = carteira::Summarize(portfolio->impl, so);
  CARTEIRA_RETURN_IF_ERROR(summary.status());
  handle->rfm = carteira::ScoreRfm(*summary);
  const carteira::SegmentMap default_map = carteira::SegmentMap::Default();
  auto segments = carteira::AssignSegments(handle->rfm, options->map == nullptr ? default_map : options->map->impl,
                                           portfolio->impl, *summary);
  CARTEIRA_RETURN_IF_ERROR(segments.status());
  handle->segments = std::move(*segments);
  auto revenue = carteira::PeriodRevenue(portfolio->impl, handle->abc_from, handle->as_of);
  CARTEIRA_RETURN_IF_ERROR(revenue.status());
  handle->period_revenue = std::move(*revenue);
  auto abc = carteira::ClassifyAbc(handle->period_revenue, *abc_options);
  CARTEIRA_RETURN_IF_ERROR(abc.status());
  handle->abc = std::move(*abc);
  *out = handle.release();
  CARTEIRA_API_END();
}

void carteira_segments_destroy(carteira_segments* segments) { delete segments; }

carteira_status carteira_segments_size(const carteira_segments* segments, size_t* out_rows) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(segments);
  CARTEIRA_CHECK_ARG(out_rows);
  *out_rows = segments->rfm.size();
  CARTEIRA_API_END();
}

carteira_status carteira_segments_get_int64(const carteira_segments* segments, int32_t column, int64_t* out,
                                            size_t capacity) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(segments);
  CARTEIRA_CHECK_ARG(out);
  const carteira::RfmTable& t = segments->rfm;
  if (capacity < t.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE, carteira::StrCat("segments column needs ", t.size(),
                                                                " entries, the buffer has ", capacity));
  }
  if (column < CARTEIRA_SEGMENTS_CUSTOMER_INDEX || column > CARTEIRA_SEGMENTS_ABC_REVENUE) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT,
                        carteira::StrCat("segments column ", column, " is not a carteira_segments_column (0..10)"));
  }
  for (size_t i = 0; i < t.size(); ++i) {
    const carteira::CustomerIndex c = t.customer[i];
    int64_t v = 0;
    switch (column) {
      case CARTEIRA_SEGMENTS_CUSTOMER_INDEX: v = c; break;
      case CARTEIRA_SEGMENTS_R: v = t.r[i]; break;
      case CARTEIRA_SEGMENTS_F: v = t.f[i]; break;
      case CARTEIRA_SEGMENTS_M: v = t.m[i]; break;
      case CARTEIRA_SEGMENTS_RFM: v = t.Code(i); break;
      case CARTEIRA_SEGMENTS_SEGMENT: v = segments->segments.segment[i]; break;
      case CARTEIRA_SEGMENTS_ABC: v = static_cast<int64_t>(segments->abc.klass[c]); break;
      case CARTEIRA_SEGMENTS_RECENCY_DAYS: v = t.recency_days[i]; break;
      case CARTEIRA_SEGMENTS_FREQUENCY: v = t.frequency[i]; break;
      case CARTEIRA_SEGMENTS_MONETARY: v = t.monetary[i]; break;
      default: v = segments->period_revenue[c]; break;
    }
    out[i] = v;
  }
  CARTEIRA_API_END();
}

carteira_status carteira_segments_name_count(const carteira_segments* segments, size_t* out_count) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(segments);
  CARTEIRA_CHECK_ARG(out_count);
  *out_count = segments->segments.names.size();
  CARTEIRA_API_END();
}

carteira_status carteira_segments_name(const carteira_segments* segments, size_t index, const char** out_name,
                                       int64_t* out_rows) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(segments);
  CARTEIRA_CHECK_ARG(out_name);
  const auto& names = segments->segments.names;
  if (index >= names.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE, carteira::StrCat("segment ", index, " of ", names.size()));
  }
  *out_name = names[index].c_str();
  if (out_rows != nullptr) *out_rows = segments->segments.counts[index];
  CARTEIRA_API_END();
}

carteira_status carteira_segments_get_info(const carteira_segments* segments, carteira_segments_info* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(segments);
  CARTEIRA_CHECK_ARG(out);
  if (carteira_status s = CheckStructSize(out->struct_size, kSegmentsInfoV1, "carteira_segments_info"); s) return s;
  const carteira::AbcTable& abc = segments->abc;
  out->as_of = segments->as_of;
  out->abc_from = segments->abc_from;
  out->abc_total = abc.total;
  out->customers_none = abc.customers[0];
  out->customers_a = abc.customers[1];
  out->customers_b = abc.customers[2];
  out->customers_c = abc.customers[3];
  out->revenue_a = abc.revenue[1];
  out->revenue_b = abc.revenue[2];
  out->revenue_c = abc.revenue[3];
  CARTEIRA_API_END();
}

carteira_status carteira_model_expected_lifetime_days(const carteira_model* model, double* out_days) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(model);
  CARTEIRA_CHECK_ARG(out_days);
  auto days = carteira::ExpectedLifetimeDays(*model->impl);
  CARTEIRA_RETURN_IF_ERROR(days.status());
  *out_days = *days;
  CARTEIRA_API_END();
}

carteira_status carteira_kpi_compute(const carteira_portfolio* portfolio, const carteira_kpi_options* options,
                                     carteira_kpi** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(options);
  if (carteira_status s = CheckStructSize(options->struct_size, kKpiOptionsV1, "carteira_kpi_options"); s) return s;
  CARTEIRA_RETURN_IF_ERROR(CheckDay(options->from, "carteira_kpi_options.from", true));
  CARTEIRA_RETURN_IF_ERROR(CheckDay(options->to, "carteira_kpi_options.to", true));
  if (options->to < options->from) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT,
                        carteira::StrCat("carteira_kpi_options: to ", carteira::FormatDate(options->to),
                                         " is before from ", carteira::FormatDate(options->from),
                                         ": the period ends before it starts"));
  }
  if (options->by < CARTEIRA_KPI_BY_NONE || options->by > CARTEIRA_KPI_BY_REGION) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT, carteira::StrCat("carteira_kpi_options.by ", options->by,
                                                                    " is not a carteira_kpi_grouping (0..3)"));
  }
  if (options->active_window_days < 0) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT,
                        carteira::StrCat("carteira_kpi_options.active_window_days must not be negative, got ",
                                         options->active_window_days));
  }
  if (options->active_by_status == 0 && options->policy != nullptr) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT,
                        "carteira_kpi_options.policy applies with active_by_status = 1");
  }
  auto activity = carteira::ScanPeriod(portfolio->impl, options->from, options->to);
  CARTEIRA_RETURN_IF_ERROR(activity.status());
  carteira::KpiOptions o;
  if (options->active_window_days > 0) o.active_window_days = options->active_window_days;
  std::optional<carteira::StatusTable> start_status, end_status;
  if (options->active_by_status != 0) {
    auto engine = carteira::StatusEngine::Create(portfolio->impl, PolicyOf(options->policy));
    CARTEIRA_RETURN_IF_ERROR(engine.status());
    auto s = engine->Classify(options->from - 1);
    CARTEIRA_RETURN_IF_ERROR(s.status());
    auto e = engine->Classify(options->to);
    CARTEIRA_RETURN_IF_ERROR(e.status());
    start_status = std::move(*s);
    end_status = std::move(*e);
    o.status_at_start = &*start_status;
    o.status_at_end = &*end_status;
  }
  if (options->lifetime_model != nullptr) {
    auto days = carteira::ExpectedLifetimeDays(*options->lifetime_model->impl);
    if (days.ok()) {
      o.model_lifetime_days = *days;
    } else if (days.status().code() == absl::StatusCode::kFailedPrecondition) {
      o.model_lifetime_days = kNaN;  // an infinite mean: no figure
    } else {
      return SetLastError(absl::Status(days.status().code(), carteira::StrCat("carteira_kpi_options.lifetime_model: ",
                                                                              days.status().message())));
    }
  }
  auto report = carteira::ComputeKpis(portfolio->impl, *activity, o, static_cast<carteira::KpiGrouping>(options->by));
  CARTEIRA_RETURN_IF_ERROR(report.status());
  auto handle = std::make_unique<carteira_kpi>();
  handle->report = std::move(*report);
  handle->cohorts = carteira::CohortRetention(*activity);
  if (!handle->cohorts.ok()) {
    // The KPIs are there; only the matrix is not: a precondition of the getters.
    handle->cohorts = absl::FailedPreconditionError(handle->cohorts.status().message());
  }
  *out = handle.release();
  CARTEIRA_API_END();
}

void carteira_kpi_destroy(carteira_kpi* kpi) { delete kpi; }

carteira_status carteira_kpi_overall(const carteira_kpi* kpi, carteira_kpi_values* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(kpi);
  CARTEIRA_CHECK_ARG(out);
  if (carteira_status s = CheckStructSize(out->struct_size, kKpiValuesV1, "carteira_kpi_values"); s) return s;
  FillKpi(kpi->report.overall, out);
  CARTEIRA_API_END();
}

carteira_status carteira_kpi_group_count(const carteira_kpi* kpi, size_t* out_count) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(kpi);
  CARTEIRA_CHECK_ARG(out_count);
  *out_count = kpi->report.groups.size();
  CARTEIRA_API_END();
}

carteira_status carteira_kpi_group(const carteira_kpi* kpi, size_t index, carteira_kpi_values* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(kpi);
  CARTEIRA_CHECK_ARG(out);
  if (carteira_status s = CheckStructSize(out->struct_size, kKpiValuesV1, "carteira_kpi_values"); s) return s;
  if (index >= kpi->report.groups.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE,
                        carteira::StrCat("KPI group ", index, " of ", kpi->report.groups.size()));
  }
  FillKpi(kpi->report.groups[index], out);
  CARTEIRA_API_END();
}

carteira_status carteira_kpi_cohort_count(const carteira_kpi* kpi, size_t* out_months) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(kpi);
  CARTEIRA_CHECK_ARG(out_months);
  *out_months = 0;
  CARTEIRA_RETURN_IF_ERROR(kpi->cohorts.status());
  *out_months = kpi->cohorts->month.size();
  CARTEIRA_API_END();
}

carteira_status carteira_kpi_cohort_months(const carteira_kpi* kpi, int32_t* out_month, int64_t* out_size,
                                           size_t capacity) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(kpi);
  CARTEIRA_RETURN_IF_ERROR(kpi->cohorts.status());
  const carteira::CohortMatrix& m = *kpi->cohorts;
  if (capacity < m.month.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE, carteira::StrCat("cohort months need ", m.month.size(),
                                                                " entries, the buffers have ", capacity));
  }
  for (size_t c = 0; c < m.month.size(); ++c) {
    if (out_month != nullptr) out_month[c] = m.month[c];
    if (out_size != nullptr) out_size[c] = m.size[c];
  }
  CARTEIRA_API_END();
}

carteira_status carteira_kpi_cohort_matrix(const carteira_kpi* kpi, int64_t* out_buyers, double* out_retention,
                                           size_t capacity) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(kpi);
  CARTEIRA_RETURN_IF_ERROR(kpi->cohorts.status());
  const carteira::CohortMatrix& m = *kpi->cohorts;
  const size_t n = m.month.size();
  if (capacity < n * n) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE, carteira::StrCat("the cohort matrix needs ", n, " x ", n,
                                                                " entries, the buffers have ", capacity));
  }
  for (size_t c = 0; c < n; ++c) {
    for (size_t k = 0; k < n; ++k) {
      const bool inside = k < m.buyers[c].size();
      if (out_buyers != nullptr) out_buyers[c * n + k] = inside ? m.buyers[c][k] : -1;
      if (out_retention != nullptr) out_retention[c * n + k] = inside ? Real(m.Retention(c, k)) : kNaN;
    }
  }
  CARTEIRA_API_END();
}

carteira_status carteira_rep_dashboard_compute(const carteira_portfolio* portfolio,
                                               const carteira_rep_dashboard_options* options,
                                               carteira_rep_dashboard** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(options);
  if (carteira_status s =
          CheckStructSize(options->struct_size, kRepDashboardOptionsV1, "carteira_rep_dashboard_options");
      s) {
    return s;
  }
  CARTEIRA_RETURN_IF_ERROR(CheckDay(options->to, "carteira_rep_dashboard_options.to", true));
  CARTEIRA_RETURN_IF_ERROR(CheckDay(options->from, "carteira_rep_dashboard_options.from", false));
  const carteira::DayNumber to = options->to;
  const carteira::DayNumber from = options->from == CARTEIRA_NO_DAY ? to - 364 : options->from;
  if (to < from) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT,
                        carteira::StrCat("carteira_rep_dashboard_options: from ", carteira::FormatDate(from),
                                         " is after to ", carteira::FormatDate(to),
                                         ": the period ends before it starts"));
  }
  auto engine = carteira::StatusEngine::Create(portfolio->impl, PolicyOf(options->policy));
  CARTEIRA_RETURN_IF_ERROR(engine.status());
  auto status = engine->Classify(to);
  CARTEIRA_RETURN_IF_ERROR(status.status());
  auto activity = carteira::ScanPeriod(portfolio->impl, from, to);
  CARTEIRA_RETURN_IF_ERROR(activity.status());
  auto rows = carteira::RepDashboard(portfolio->impl, *activity, *status);
  CARTEIRA_RETURN_IF_ERROR(rows.status());
  auto handle = std::make_unique<carteira_rep_dashboard>();
  handle->rows = std::move(*rows);
  const carteira::RepTable& reps = portfolio->impl.reps();
  for (const carteira::RepDashboardRow& r : handle->rows) {
    handle->ids.emplace_back(r.rep == carteira::kNoRep ? std::string_view() : reps.id[r.rep]);
    handle->names.emplace_back(r.rep == carteira::kNoRep ? std::string_view() : reps.name[r.rep]);
  }
  *out = handle.release();
  CARTEIRA_API_END();
}

void carteira_rep_dashboard_destroy(carteira_rep_dashboard* dashboard) { delete dashboard; }

carteira_status carteira_rep_dashboard_size(const carteira_rep_dashboard* dashboard, size_t* out_rows) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(dashboard);
  CARTEIRA_CHECK_ARG(out_rows);
  *out_rows = dashboard->rows.size();
  CARTEIRA_API_END();
}

carteira_status carteira_rep_dashboard_row_get(const carteira_rep_dashboard* dashboard, size_t index,
                                               carteira_rep_dashboard_row* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(dashboard);
  CARTEIRA_CHECK_ARG(out);
  if (carteira_status s = CheckStructSize(out->struct_size, kRepDashboardRowV1, "carteira_rep_dashboard_row"); s) {
    return s;
  }
  if (index >= dashboard->rows.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE,
                        carteira::StrCat("rep dashboard row ", index, " of ", dashboard->rows.size()));
  }
  const carteira::RepDashboardRow& r = dashboard->rows[index];
  out->rep_index = r.rep == carteira::kNoRep ? -1 : static_cast<int32_t>(r.rep);
  out->rep_id = dashboard->ids[index].c_str();
  out->rep_name = dashboard->names[index].c_str();
  out->book = r.book;
  static_assert(carteira::kStatusCount == CARTEIRA_LIFECYCLE_COUNT);
  out->status_prospect = r.status[CARTEIRA_LIFECYCLE_PROSPECT];
  out->status_new = r.status[CARTEIRA_LIFECYCLE_NEW];
  out->status_active = r.status[CARTEIRA_LIFECYCLE_ACTIVE];
  out->status_at_risk = r.status[CARTEIRA_LIFECYCLE_AT_RISK];
  out->status_inactive = r.status[CARTEIRA_LIFECYCLE_INACTIVE];
  out->status_lost = r.status[CARTEIRA_LIFECYCLE_LOST];
  out->status_reactivated = r.status[CARTEIRA_LIFECYCLE_REACTIVATED];
  out->revenue = r.revenue;
  out->buyers = r.buyers;
  out->positivacao = Real(r.positivacao);
  out->answers = r.answers;
  out->promoters = r.promoters;
  out->passives = r.passives;
  out->detractors = r.detractors;
  out->nps = Real(r.nps);
  out->last_contact = r.last_contact == carteira::kNoDay ? CARTEIRA_NO_DAY : r.last_contact;
  out->days_since_last_contact = r.days_since_last_contact ? *r.days_since_last_contact : -1;
  out->at_risk = r.at_risk;
  out->at_risk_value = r.at_risk_value;
  CARTEIRA_API_END();
}

}  // extern "C"
