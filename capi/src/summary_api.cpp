#include <cstring>
#include <memory>

#include "capi/src/api_guard.h"
#include "capi/src/handles.h"
#include "capi/src/struct_size.h"
#include "carteira/core/strings.h"

namespace {

template <typename T, typename Out>
void Copy(const std::vector<T>& column, Out* out) {
  for (size_t i = 0; i < column.size(); ++i) out[i] = static_cast<Out>(column[i]);
}

// Copies an integer column; false if `column` is not one.
template <typename Out>
bool CopyInteger(const carteira::CustomerSummary& s, int32_t column, Out* out) {
  switch (column) {
    case CARTEIRA_SUMMARY_CUSTOMER_INDEX: Copy(s.customer, out); return true;
    case CARTEIRA_SUMMARY_FIRST_PURCHASE: Copy(s.first_purchase, out); return true;
    case CARTEIRA_SUMMARY_LAST_PURCHASE: Copy(s.last_purchase, out); return true;
    case CARTEIRA_SUMMARY_PURCHASE_DAYS: Copy(s.purchase_days, out); return true;
    case CARTEIRA_SUMMARY_X: Copy(s.x, out); return true;
    case CARTEIRA_SUMMARY_REVENUE: Copy(s.revenue, out); return true;
    case CARTEIRA_SUMMARY_AVERAGE_TICKET: Copy(s.average_ticket, out); return true;
    case CARTEIRA_SUMMARY_DAYS_SINCE_LAST: Copy(s.days_since_last, out); return true;
    default: return false;
  }
}

bool CopyReal(const carteira::CustomerSummary& s, int32_t column, double* out) {
  switch (column) {
    case CARTEIRA_SUMMARY_T_X: Copy(s.t_x, out); return true;
    case CARTEIRA_SUMMARY_T: Copy(s.T, out); return true;
    case CARTEIRA_SUMMARY_ZBAR: Copy(s.zbar, out); return true;
    case CARTEIRA_SUMMARY_MEDIAN_GAP_DAYS: Copy(s.median_gap_days, out); return true;
    default: return false;
  }
}

// Validates the C options and turns them into the core's.
absl::StatusOr<carteira::SummaryOptions> ToOptions(const carteira_summary_options& options) {
  if (options.struct_size < carteira::capi::kSummaryOptionsV1) {
    return absl::InvalidArgumentError("carteira_summary_options: struct_size too small");
  }
  if (options.as_of == CARTEIRA_NO_DAY) {
    return absl::InvalidArgumentError("carteira_summary_options.as_of is required");
  }
  if (options.unit != CARTEIRA_DAYS && options.unit != CARTEIRA_WEEKS && options.unit != CARTEIRA_MONTHS) {
    return absl::InvalidArgumentError("carteira_summary_options.unit: not days (0), weeks (1) or months (2)");
  }
  const carteira::DayNumber min_day = carteira::DaysFromCivil(carteira::kMinYear, 1, 1);
  const carteira::DayNumber max_day = carteira::DaysFromCivil(carteira::kMaxYear, 12, 31);
  if (options.as_of < min_day || options.as_of > max_day) {
    return absl::InvalidArgumentError("carteira_summary_options.as_of: outside the accepted years");
  }
  carteira::SummaryOptions o;
  o.as_of = carteira::ToDate(options.as_of);
  o.unit = static_cast<carteira::TimeUnit>(options.unit);  // the same values
  return o;
}

carteira_status CheckCapacity(const carteira_summary* summary, size_t capacity) {
  if (capacity < summary->impl.size()) {
    return carteira::capi::SetLastError(
        CARTEIRA_OUT_OF_RANGE, carteira::StrCat("summary column needs ", summary->impl.size(),
                                                " entries, the buffer has ", capacity));
  }
  return CARTEIRA_OK;
}

}  // namespace

extern "C" {

void carteira_summary_options_init(carteira_summary_options* options, size_t struct_size) {
  if (options == nullptr) return;
  carteira::capi::InitStruct(options, struct_size);
  CARTEIRA_SET_FIELD(options, as_of, CARTEIRA_NO_DAY);
  CARTEIRA_SET_FIELD(options, unit, CARTEIRA_DAYS);
}

carteira_status carteira_summary_compute(const carteira_portfolio* portfolio,
                                         const carteira_summary_options* options,
                                         carteira_summary** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(options);
  auto o = ToOptions(*options);
  CARTEIRA_RETURN_IF_ERROR(o.status());
  auto handle = std::make_unique<carteira_summary>();
  CARTEIRA_RETURN_IF_ERROR(
      carteira::SummarizeInto(portfolio->impl, *o, &handle->impl, &handle->workspace));
  *out = handle.release();
  CARTEIRA_API_END();
}

carteira_status carteira_summary_recompute(carteira_summary* summary,
                                           const carteira_portfolio* portfolio,
                                           const carteira_summary_options* options) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(summary);
  // Whatever goes wrong below, the summary must not keep stale rows (the
  // columns keep their memory: that is the point of recomputing).
  summary->impl.clear();
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(options);
  auto o = ToOptions(*options);
  CARTEIRA_RETURN_IF_ERROR(o.status());
  CARTEIRA_RETURN_IF_ERROR(
      carteira::SummarizeInto(portfolio->impl, *o, &summary->impl, &summary->workspace));
  CARTEIRA_API_END();
}

void carteira_summary_destroy(carteira_summary* summary) { delete summary; }

carteira_status carteira_summary_size(const carteira_summary* summary, size_t* out_rows) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(summary);
  CARTEIRA_CHECK_ARG(out_rows);
  *out_rows = summary->impl.size();
  CARTEIRA_API_END();
}

carteira_status carteira_summary_get_int64(const carteira_summary* summary, int32_t column,
                                           int64_t* out, size_t capacity) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(summary);
  if (summary->impl.size() > 0) CARTEIRA_CHECK_ARG(out);
  if (const carteira_status s = CheckCapacity(summary, capacity); s != CARTEIRA_OK) return s;
  if (!CopyInteger(summary->impl, column, out)) {
    return carteira::capi::SetLastError(
        CARTEIRA_INVALID_ARGUMENT,
        carteira::StrCat("summary column ", column, " is not an integer column"));
  }
  CARTEIRA_API_END();
}

carteira_status carteira_summary_get_double(const carteira_summary* summary, int32_t column,
                                            double* out, size_t capacity) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(summary);
  if (summary->impl.size() > 0) CARTEIRA_CHECK_ARG(out);
  if (const carteira_status s = CheckCapacity(summary, capacity); s != CARTEIRA_OK) return s;
  if (!CopyReal(summary->impl, column, out) && !CopyInteger(summary->impl, column, out)) {
    return carteira::capi::SetLastError(
        CARTEIRA_INVALID_ARGUMENT, carteira::StrCat("unknown summary column ", column));
  }
  CARTEIRA_API_END();
}

}  // extern "C"
