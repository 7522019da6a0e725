// Bulk columnar appends of reps, contracts, interactions, survey answers and
// assignments (customers and transactions are in portfolio_api.cpp).
#include <span>
#include <string_view>
#include <vector>

#include "capi/src/api_guard.h"
#include "capi/src/columns.h"
#include "capi/src/handles.h"
#include "capi/src/struct_size.h"
#include "carteira/core/strings.h"

namespace {

using carteira::capi::Column;
using carteira::capi::Strings;



carteira_status TooSmall(const char* what) {
  return carteira::capi::SetLastError(CARTEIRA_INVALID_ARGUMENT,
                                      carteira::StrCat(what, ": struct_size too small"));
}

carteira_status MissingColumn(const char* function, const char* column) {
  return carteira::capi::SetLastError(
      CARTEIRA_INVALID_ARGUMENT, carteira::StrCat(function, ": required column ", column, " is NULL"));
}

}  // namespace

extern "C" {

void carteira_rep_columns_init(carteira_rep_columns* columns, size_t struct_size) {
  if (columns != nullptr) carteira::capi::InitStruct(columns, struct_size);
}
void carteira_contract_columns_init(carteira_contract_columns* columns, size_t struct_size) {
  if (columns != nullptr) carteira::capi::InitStruct(columns, struct_size);
}
void carteira_interaction_columns_init(carteira_interaction_columns* columns, size_t struct_size) {
  if (columns != nullptr) carteira::capi::InitStruct(columns, struct_size);
}
void carteira_survey_columns_init(carteira_survey_columns* columns, size_t struct_size) {
  if (columns != nullptr) carteira::capi::InitStruct(columns, struct_size);
}
void carteira_assignment_columns_init(carteira_assignment_columns* columns, size_t struct_size) {
  if (columns != nullptr) carteira::capi::InitStruct(columns, struct_size);
}

carteira_status carteira_portfolio_append_reps(carteira_portfolio* portfolio,
                                               const carteira_rep_columns* columns) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(columns);
  if (columns->struct_size < carteira::capi::kRepColumnsV1) return TooSmall("carteira_rep_columns");
  const size_t n = columns->count;
  if (n > 0 && columns->id == nullptr) return MissingColumn(__func__, "id");
  if (const size_t i = carteira::capi::FirstNull(columns->id, n); i < n) {
    return carteira::capi::SetLastError(
        CARTEIRA_INVALID_ARGUMENT, carteira::StrCat(__func__, ": row ", i, ", field rep_id: is NULL"));
  }
  const auto id = Strings(columns->id, n), name = Strings(columns->name, n),
             region = Strings(columns->region, n), segments = Strings(columns->segments, n),
             team = Strings(columns->team, n);
  carteira::RepColumns in;
  in.id = id;
  in.name = name;
  in.region = region;
  in.segments = segments;
  in.team = team;
  in.capacity = Column(columns->capacity, n);
  in.active = Column(columns->active, n);
  CARTEIRA_RETURN_IF_ERROR(portfolio->impl.AppendReps(in));
  CARTEIRA_API_END();
}

carteira_status carteira_portfolio_intern_reps(carteira_portfolio* portfolio, const char* const* ids,
                                               size_t count, int32_t* out_index) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(portfolio);
  if (count > 0) {
    CARTEIRA_CHECK_ARG(ids);
    CARTEIRA_CHECK_ARG(out_index);
  }
  if (const size_t i = carteira::capi::FirstNull(ids, count); i < count) {
    return carteira::capi::SetLastError(CARTEIRA_INVALID_ARGUMENT,
                                        carteira::StrCat(__func__, ": ids[", i, "] is NULL"));
  }
  const auto views = Strings(ids, count);
  CARTEIRA_RETURN_IF_ERROR(
      portfolio->impl.InternReps(views, std::span<carteira::RepIndex>(out_index, count)));
  CARTEIRA_API_END();
}

carteira_status carteira_portfolio_find_rep(const carteira_portfolio* portfolio, const char* id,
                                            int32_t* out_index) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(id);
  CARTEIRA_CHECK_ARG(out_index);
  const auto found = portfolio->impl.FindRep(id);
  if (!found) {
    return carteira::capi::SetLastError(CARTEIRA_NOT_FOUND,
                                        carteira::StrCat("no rep with id '", id, "'"));
  }
  *out_index = *found;
  CARTEIRA_API_END();
}

carteira_status carteira_portfolio_append_contracts(carteira_portfolio* portfolio,
                                                    const carteira_contract_columns* columns) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(columns);
  if (columns->struct_size < carteira::capi::kContractColumnsV1) {
    return TooSmall("carteira_contract_columns");
  }
  const size_t n = columns->count;
  if (n > 0) {
    if (!columns->customer_index) return MissingColumn(__func__, "customer_index");
    if (!columns->start) return MissingColumn(__func__, "start");
    if (!columns->end) return MissingColumn(__func__, "end");
  }
  const auto contract_id = Strings(columns->contract_id, n);
  carteira::ContractColumns in;
  in.customer = Column(columns->customer_index, n);
  in.contract_id = contract_id;
  in.start = Column(columns->start, n);
  in.end = Column(columns->end, n);
  in.value = Column(columns->value, n);
  in.auto_renew = Column(columns->auto_renew, n);
  CARTEIRA_RETURN_IF_ERROR(portfolio->impl.AppendContracts(in));
  CARTEIRA_API_END();
}

carteira_status carteira_portfolio_append_interactions(carteira_portfolio* portfolio,
                                                       const carteira_interaction_columns* columns) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(columns);
  if (columns->struct_size < carteira::capi::kInteractionColumnsV1) {
    return TooSmall("carteira_interaction_columns");
  }
  const size_t n = columns->count;
  if (n > 0) {
    if (!columns->customer_index) return MissingColumn(__func__, "customer_index");
    if (!columns->date) return MissingColumn(__func__, "date");
  }
  const auto channel = Strings(columns->channel, n), outcome = Strings(columns->outcome, n);
  carteira::InteractionColumns in;
  in.customer = Column(columns->customer_index, n);
  in.rep = Column(columns->rep_index, n);
  in.date = Column(columns->date, n);
  in.channel = channel;
  in.outcome = outcome;
  CARTEIRA_RETURN_IF_ERROR(portfolio->impl.AppendInteractions(in));
  CARTEIRA_API_END();
}

carteira_status carteira_portfolio_append_surveys(carteira_portfolio* portfolio,
                                                  const carteira_survey_columns* columns) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(columns);
  if (columns->struct_size < carteira::capi::kSurveyColumnsV1) return TooSmall("carteira_survey_columns");
  const size_t n = columns->count;
  if (n > 0) {
    if (!columns->customer_index) return MissingColumn(__func__, "customer_index");
    if (!columns->date) return MissingColumn(__func__, "date");
    if (!columns->score) return MissingColumn(__func__, "score");
  }
  carteira::SurveyColumns in;
  in.customer = Column(columns->customer_index, n);
  in.date = Column(columns->date, n);
  in.score = Column(columns->score, n);
  CARTEIRA_RETURN_IF_ERROR(portfolio->impl.AppendSurveyAnswers(in));
  CARTEIRA_API_END();
}

carteira_status carteira_portfolio_append_assignments(carteira_portfolio* portfolio,
                                                      const carteira_assignment_columns* columns) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(columns);
  if (columns->struct_size < carteira::capi::kAssignmentColumnsV1) {
    return TooSmall("carteira_assignment_columns");
  }
  const size_t n = columns->count;
  if (n > 0) {
    if (!columns->customer_index) return MissingColumn(__func__, "customer_index");
    if (!columns->rep_index) return MissingColumn(__func__, "rep_index");
    if (!columns->since) return MissingColumn(__func__, "since");
  }
  const auto reason = Strings(columns->reason, n);
  carteira::AssignmentColumns in;
  in.customer = Column(columns->customer_index, n);
  in.rep = Column(columns->rep_index, n);
  in.since = Column(columns->since, n);
  in.reason = reason;
  CARTEIRA_RETURN_IF_ERROR(portfolio->impl.AppendAssignments(in));
  CARTEIRA_API_END();
}

}  // extern "C"
