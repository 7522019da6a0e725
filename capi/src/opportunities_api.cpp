// Sales opportunities through the C ABI (docs/opportunities.md): cross-sell
// suggestions with their reasons, the next purchase windows, the holdout
// evaluation, the product mix and the ideal customer profile. Undefined
// ratios become NaN (documented in the header).
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "capi/src/api_guard.h"
#include "capi/src/checks.h"
#include "capi/src/handles.h"
#include "carteira/core/strings.h"
#include "carteira/opportunities/cross_sell.h"
#include "carteira/opportunities/icp.h"
#include "carteira/opportunities/mix.h"
#include "carteira/opportunities/next_purchase.h"

struct carteira_opportunities {
  carteira::Dictionary categories;  // a copy: the handle outlives no portfolio it needs
  std::vector<std::string> category_names;
  carteira::CrossSellSuggestions suggestions;
  carteira::NextPurchaseTable next;
  std::string note;
};

struct carteira_mix {
  carteira::MixReport report;
  std::vector<std::string> category_names;  // by slot
  std::vector<const carteira::MixGroup*> groups;  // 0: the portfolio
};

struct carteira_icp {
  carteira::IcpResult result;
};

namespace {

using carteira::capi::CheckDay;
using carteira::capi::CheckStructSize;
using carteira::capi::SetLastError;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr size_t kOpportunitiesOptionsV1 = sizeof(carteira_opportunities_options);
constexpr size_t kCrossSellEvaluationV1 = sizeof(carteira_cross_sell_evaluation);
constexpr size_t kMixGroupV1 = sizeof(carteira_mix_group);
constexpr size_t kIcpOptionsV1 = sizeof(carteira_icp_options);
constexpr size_t kIcpInfoV1 = sizeof(carteira_icp_info);
constexpr size_t kIcpValueV1 = sizeof(carteira_icp_value);

carteira_status ShortBuffer(const char* function, size_t needed, size_t capacity) {
  return SetLastError(CARTEIRA_OUT_OF_RANGE,
                      carteira::StrCat(function, ": needs ", needed, " entries, the buffer has ", capacity));
}

}  // namespace

extern "C" {

carteira_status carteira_opportunities_compute(const carteira_portfolio* portfolio,
                                               const carteira_opportunities_options* options,
                                               carteira_opportunities** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(options);
  if (carteira_status s = CheckStructSize(options->struct_size, kOpportunitiesOptionsV1,
                                          "carteira_opportunities_options");
      s) {
    return s;
  }
  CARTEIRA_RETURN_IF_ERROR(CheckDay(options->as_of, "carteira_opportunities_options.as_of", true));
  carteira::CrossSellOptions cross;
  cross.as_of = options->as_of;
  cross.top_k = options->top_k == 0 ? 3 : options->top_k;
  cross.min_pair_customers = options->min_pair_customers == 0 ? 3 : options->min_pair_customers;
  if (absl::Status s = cross.Validate(); !s.ok()) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT, carteira::StrCat("carteira_opportunities_options: ", s.message()));
  }
  carteira::NextPurchaseOptions next_options;
  next_options.as_of = options->as_of;
  next_options.max_gaps = options->max_gaps == 0 ? 12 : options->max_gaps;
  if (absl::Status s = next_options.Validate(); !s.ok()) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT, carteira::StrCat("carteira_opportunities_options: ", s.message()));
  }
  auto handle = std::make_unique<carteira_opportunities>();
  const carteira::Portfolio& p = portfolio->impl;
  handle->categories = p.categories();
  for (size_t k = 0; k < p.categories().size(); ++k) {
    handle->category_names.emplace_back(p.categories()[static_cast<std::int32_t>(k)]);
  }
  auto model = carteira::BuildCrossSell(p, cross);
  if (model.ok()) {
    handle->note = model->note;
    handle->suggestions = carteira::SuggestCrossSell(*model, cross.top_k);
  } else if (model.status().code() == absl::StatusCode::kFailedPrecondition) {
    handle->note = std::string(model.status().message());
  } else {
    return SetLastError(model.status());
  }
  auto next = carteira::EstimateNextPurchase(p, next_options);
  CARTEIRA_RETURN_IF_ERROR(next.status());
  handle->next = std::move(*next);
  *out = handle.release();
  CARTEIRA_API_END();
}

void carteira_opportunities_destroy(carteira_opportunities* opportunities) { delete opportunities; }

carteira_status carteira_opportunities_note(const carteira_opportunities* opportunities, const char** out_note) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(opportunities);
  CARTEIRA_CHECK_ARG(out_note);
  *out_note = opportunities->note.c_str();
  CARTEIRA_API_END();
}

carteira_status carteira_opportunities_category_count(const carteira_opportunities* opportunities,
                                                      size_t* out_count) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(opportunities);
  CARTEIRA_CHECK_ARG(out_count);
  *out_count = opportunities->category_names.size();
  CARTEIRA_API_END();
}

carteira_status carteira_opportunities_category(const carteira_opportunities* opportunities, size_t index,
                                                const char** out_name) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(opportunities);
  CARTEIRA_CHECK_ARG(out_name);
  if (index >= opportunities->category_names.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE, carteira::StrCat("carteira_opportunities_category: category ", index,
                                                                " of ", opportunities->category_names.size()));
  }
  *out_name = opportunities->category_names[index].c_str();
  CARTEIRA_API_END();
}

carteira_status carteira_opportunities_suggestion_count(const carteira_opportunities* opportunities,
                                                        size_t* out_rows) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(opportunities);
  CARTEIRA_CHECK_ARG(out_rows);
  *out_rows = opportunities->suggestions.size();
  CARTEIRA_API_END();
}

carteira_status carteira_opportunities_suggestion_int64(const carteira_opportunities* opportunities, int32_t column,
                                                        int64_t* out, size_t capacity) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(opportunities);
  CARTEIRA_CHECK_ARG(out);
  const carteira::CrossSellSuggestions& s = opportunities->suggestions;
  if (column < CARTEIRA_SUGGESTION_CUSTOMER_INDEX || column > CARTEIRA_SUGGESTION_TOGETHER) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT,
                        carteira::StrCat("carteira_opportunities_suggestion_int64: column ", column,
                                         " is not a carteira_suggestion_column (0..5)"));
  }
  if (capacity < s.size()) return ShortBuffer("carteira_opportunities_suggestion_int64", s.size(), capacity);
  for (size_t r = 0; r < s.size(); ++r) {
    switch (column) {
      case CARTEIRA_SUGGESTION_CUSTOMER_INDEX: out[r] = s.customer[r]; break;
      case CARTEIRA_SUGGESTION_RANK: out[r] = s.rank[r]; break;
      case CARTEIRA_SUGGESTION_CATEGORY: out[r] = s.category[r]; break;
      case CARTEIRA_SUGGESTION_BASIS: out[r] = static_cast<int64_t>(s.basis[r]); break;
      case CARTEIRA_SUGGESTION_BECAUSE: out[r] = s.because[r]; break;
      default: out[r] = s.together[r]; break;
    }
  }
  CARTEIRA_API_END();
}

carteira_status carteira_opportunities_suggestion_double(const carteira_opportunities* opportunities, int32_t column,
                                                         double* out, size_t capacity) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(opportunities);
  CARTEIRA_CHECK_ARG(out);
  const carteira::CrossSellSuggestions& s = opportunities->suggestions;
  if (column < CARTEIRA_SUGGESTION_SCORE || column > CARTEIRA_SUGGESTION_LIFT) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT,
                        carteira::StrCat("carteira_opportunities_suggestion_double: column ", column,
                                         " is not a carteira_suggestion_real_column (0..2)"));
  }
  if (capacity < s.size()) return ShortBuffer("carteira_opportunities_suggestion_double", s.size(), capacity);
  const std::vector<double>& v = column == CARTEIRA_SUGGESTION_SCORE        ? s.score
                                 : column == CARTEIRA_SUGGESTION_CONFIDENCE ? s.confidence
                                                                            : s.lift;
  std::copy(v.begin(), v.end(), out);
  CARTEIRA_API_END();
}

carteira_status carteira_opportunities_reasons(const carteira_opportunities* opportunities, size_t first, size_t count,
                                               char* buffer, size_t capacity, uint64_t* out_offsets,
                                               size_t* out_needed) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(opportunities);
  CARTEIRA_CHECK_ARG(out_needed);
  const carteira::CrossSellSuggestions& s = opportunities->suggestions;
  if (first > s.size() || count > s.size() - first) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE, carteira::StrCat("carteira_opportunities_reasons: rows ", first, " + ",
                                                                count, " pass the ", s.size(), " suggestions"));
  }
  std::string all;
  std::vector<uint64_t> offsets(count + 1, 0);
  for (size_t i = 0; i < count; ++i) {
    offsets[i] = all.size();
    all += carteira::SuggestionReason(opportunities->categories, s, first + i);
  }
  offsets[count] = all.size();
  *out_needed = all.size();
  if (out_offsets != nullptr) std::copy(offsets.begin(), offsets.end(), out_offsets);
  if (buffer != nullptr) {
    if (capacity < all.size()) {
      return SetLastError(CARTEIRA_OUT_OF_RANGE, carteira::StrCat("carteira_opportunities_reasons: needs ", all.size(),
                                                                  " bytes, the buffer has ", capacity));
    }
    std::copy(all.begin(), all.end(), buffer);
  }
  CARTEIRA_API_END();
}

carteira_status carteira_opportunities_next_purchase(const carteira_opportunities* opportunities, int32_t* basis,
                                                     int32_t* last, int32_t* expected, int32_t* window_from,
                                                     int32_t* window_to, size_t capacity) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(opportunities);
  const carteira::NextPurchaseTable& t = opportunities->next;
  if (capacity < t.size()) return ShortBuffer("carteira_opportunities_next_purchase", t.size(), capacity);
  for (size_t c = 0; c < t.size(); ++c) {
    if (basis) basis[c] = static_cast<int32_t>(t.basis[c]);
    if (last) last[c] = t.last[c];
    if (expected) expected[c] = t.expected[c];
    if (window_from) window_from[c] = t.from[c];
    if (window_to) window_to[c] = t.to[c];
  }
  CARTEIRA_API_END();
}

carteira_status carteira_opportunities_entering_window(const carteira_opportunities* opportunities,
                                                       int32_t week_start, uint32_t* out, size_t capacity,
                                                       size_t* out_count) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(opportunities);
  CARTEIRA_CHECK_ARG(out_count);
  CARTEIRA_RETURN_IF_ERROR(CheckDay(week_start, "carteira_opportunities_entering_window: week_start", true));
  const std::vector<carteira::CustomerIndex> due = carteira::EnteringWindow(opportunities->next, week_start);
  *out_count = due.size();
  if (out != nullptr) {
    if (capacity < due.size()) return ShortBuffer("carteira_opportunities_entering_window", due.size(), capacity);
    std::copy(due.begin(), due.end(), out);
  }
  CARTEIRA_API_END();
}

carteira_status carteira_cross_sell_evaluate(const carteira_portfolio* portfolio, int32_t cutoff, int32_t to, int32_t k,
                                             int64_t min_pair_customers, carteira_cross_sell_evaluation* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(out);
  if (carteira_status s = CheckStructSize(out->struct_size, kCrossSellEvaluationV1, "carteira_cross_sell_evaluation");
      s) {
    return s;
  }
  CARTEIRA_RETURN_IF_ERROR(CheckDay(cutoff, "carteira_cross_sell_evaluate: cutoff", true));
  CARTEIRA_RETURN_IF_ERROR(CheckDay(to, "carteira_cross_sell_evaluate: to", true));
  carteira::CrossSellOptions o;
  o.min_pair_customers = min_pair_customers == 0 ? 3 : min_pair_customers;
  auto e = carteira::EvaluateCrossSell(portfolio->impl, cutoff, to, k, o);
  CARTEIRA_RETURN_IF_ERROR(e.status());
  out->customers = e->customers;
  out->model_hits = e->model_hits;
  out->baseline_hits = e->baseline_hits;
  out->model_hit_rate = e->model_hit_rate;
  out->baseline_hit_rate = e->baseline_hit_rate;
  CARTEIRA_API_END();
}

carteira_status carteira_mix_compute(const carteira_portfolio* portfolio, int32_t from, int32_t to, int32_t by,
                                     carteira_mix** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_RETURN_IF_ERROR(CheckDay(from, "carteira_mix_compute: from", true));
  CARTEIRA_RETURN_IF_ERROR(CheckDay(to, "carteira_mix_compute: to", true));
  if (by < CARTEIRA_MIX_NONE || by > CARTEIRA_MIX_BY_SEGMENT) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT,
                        carteira::StrCat("carteira_mix_compute: by ", by, " is not a carteira_mix_grouping (0..2)"));
  }
  auto report = carteira::ComputeMix(portfolio->impl, from, to, static_cast<carteira::MixGrouping>(by));
  CARTEIRA_RETURN_IF_ERROR(report.status());
  auto handle = std::make_unique<carteira_mix>();
  handle->report = std::move(*report);
  for (std::int32_t code : handle->report.order.code) {
    handle->category_names.emplace_back(portfolio->impl.categories()[code]);
  }
  handle->groups.push_back(&handle->report.overall);
  for (const carteira::MixGroup& g : handle->report.groups) handle->groups.push_back(&g);
  *out = handle.release();
  CARTEIRA_API_END();
}

void carteira_mix_destroy(carteira_mix* mix) { delete mix; }

carteira_status carteira_mix_category_count(const carteira_mix* mix, size_t* out_count) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(mix);
  CARTEIRA_CHECK_ARG(out_count);
  *out_count = mix->category_names.size();
  CARTEIRA_API_END();
}

carteira_status carteira_mix_category(const carteira_mix* mix, size_t index, const char** out_name) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(mix);
  CARTEIRA_CHECK_ARG(out_name);
  if (index >= mix->category_names.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE,
                        carteira::StrCat("carteira_mix_category: category ", index, " of ", mix->category_names.size()));
  }
  *out_name = mix->category_names[index].c_str();
  CARTEIRA_API_END();
}

carteira_status carteira_mix_group_count(const carteira_mix* mix, size_t* out_count) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(mix);
  CARTEIRA_CHECK_ARG(out_count);
  *out_count = mix->groups.size();
  CARTEIRA_API_END();
}

carteira_status carteira_mix_group_get(const carteira_mix* mix, size_t index, carteira_mix_group* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(mix);
  CARTEIRA_CHECK_ARG(out);
  if (carteira_status s = CheckStructSize(out->struct_size, kMixGroupV1, "carteira_mix_group"); s) return s;
  if (index >= mix->groups.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE,
                        carteira::StrCat("carteira_mix_group_get: group ", index, " of ", mix->groups.size()));
  }
  const carteira::MixGroup& g = *mix->groups[index];
  out->group = g.group.c_str();
  out->unassigned = g.unassigned ? 1 : 0;
  out->customers = g.customers;
  out->buyers = g.buyers;
  out->average_breadth = g.average_breadth ? *g.average_breadth : kNaN;
  CARTEIRA_API_END();
}

carteira_status carteira_mix_group_categories(const carteira_mix* mix, size_t index, int64_t* buyers,
                                              int64_t* revenue, size_t capacity) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(mix);
  if (index >= mix->groups.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE,
                        carteira::StrCat("carteira_mix_group_categories: group ", index, " of ", mix->groups.size()));
  }
  const carteira::MixGroup& g = *mix->groups[index];
  if (capacity < g.category_buyers.size()) {
    return ShortBuffer("carteira_mix_group_categories", g.category_buyers.size(), capacity);
  }
  if (buyers) std::copy(g.category_buyers.begin(), g.category_buyers.end(), buyers);
  if (revenue) std::copy(g.category_revenue.begin(), g.category_revenue.end(), revenue);
  CARTEIRA_API_END();
}

carteira_status carteira_mix_breadth(const carteira_mix* mix, int32_t* out, size_t capacity) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(mix);
  CARTEIRA_CHECK_ARG(out);
  const auto& b = mix->report.breadth;
  if (capacity < b.size()) return ShortBuffer("carteira_mix_breadth", b.size(), capacity);
  std::copy(b.begin(), b.end(), out);
  CARTEIRA_API_END();
}

carteira_status carteira_icp_compute(const carteira_portfolio* portfolio, const carteira_icp_options* options,
                                     carteira_icp** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(options);
  if (carteira_status s = CheckStructSize(options->struct_size, kIcpOptionsV1, "carteira_icp_options"); s) return s;
  CARTEIRA_RETURN_IF_ERROR(CheckDay(options->as_of, "carteira_icp_options.as_of", true));
  carteira::IcpOptions o;
  o.as_of = options->as_of;
  o.best_share = options->best_share;
  o.smoothing = options->smoothing;
  if (absl::Status s = o.Validate(); !s.ok()) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT, carteira::StrCat("carteira_icp_options: ", s.message()));
  }
  auto result = carteira::ComputeIcp(portfolio->impl, o);
  CARTEIRA_RETURN_IF_ERROR(result.status());
  auto handle = std::make_unique<carteira_icp>();
  handle->result = std::move(*result);
  *out = handle.release();
  CARTEIRA_API_END();
}

void carteira_icp_destroy(carteira_icp* icp) { delete icp; }

carteira_status carteira_icp_get_info(const carteira_icp* icp, carteira_icp_info* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(icp);
  CARTEIRA_CHECK_ARG(out);
  if (carteira_status s = CheckStructSize(out->struct_size, kIcpInfoV1, "carteira_icp_info"); s) return s;
  out->as_of = icp->result.as_of;
  out->buyers = icp->result.buyers;
  out->best = icp->result.best;
  out->best_threshold = icp->result.best_threshold;
  out->base_rate = icp->result.base_rate;
  CARTEIRA_API_END();
}

carteira_status carteira_icp_profile_count(const carteira_icp* icp, size_t* out_count) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(icp);
  CARTEIRA_CHECK_ARG(out_count);
  *out_count = icp->result.profile.size();
  CARTEIRA_API_END();
}

carteira_status carteira_icp_profile_get(const carteira_icp* icp, size_t index, carteira_icp_value* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(icp);
  CARTEIRA_CHECK_ARG(out);
  if (carteira_status s = CheckStructSize(out->struct_size, kIcpValueV1, "carteira_icp_value"); s) return s;
  const auto& profile = icp->result.profile;
  if (index >= profile.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE,
                        carteira::StrCat("carteira_icp_profile_get: value ", index, " of ", profile.size()));
  }
  const carteira::IcpValue& v = profile[index];
  out->attribute = v.attribute.c_str();
  out->value = v.value.c_str();
  out->customers = v.customers;
  out->best = v.best;
  out->share_of_best = v.share_of_best;
  out->probability = v.probability;
  out->lift = v.lift;
  CARTEIRA_API_END();
}

carteira_status carteira_icp_scores(const carteira_icp* icp, double* score, uint8_t* is_best, int64_t* revenue,
                                    int32_t* drivers, size_t capacity) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(icp);
  const carteira::IcpResult& r = icp->result;
  if (capacity < r.score.size()) return ShortBuffer("carteira_icp_scores", r.score.size(), capacity);
  for (size_t c = 0; c < r.score.size(); ++c) {
    if (score) score[c] = r.score[c];
    if (is_best) is_best[c] = r.is_best[c];
    if (revenue) revenue[c] = r.revenue[c];
    if (drivers) {
      for (int d = 0; d < carteira::kIcpDrivers; ++d) drivers[c * carteira::kIcpDrivers + d] = r.drivers[c][d];
    }
  }
  CARTEIRA_API_END();
}

}  // extern "C"
