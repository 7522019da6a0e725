#include <cstring>
#include <memory>
#include <string_view>
#include <type_traits>
#include <vector>

#include "capi/src/api_guard.h"
#include "capi/src/columns.h"
#include "capi/src/handles.h"
#include "capi/src/struct_size.h"
#include "carteira/core/strings.h"

using carteira::capi::Strings;

namespace {

// The ids of rows `indices` of `ids`, concatenated into buffer (the
// contract of carteira_portfolio_customer_ids and _rep_ids).
template <typename Index>
carteira_status CopyIds(const carteira::StringColumn& ids, const char* what, const char* function,
                        const Index* indices, size_t count, char* buffer, size_t capacity,
                        uint64_t* out_offsets, size_t* out_needed) {
  if (out_needed == nullptr) {
    return carteira::capi::SetLastError(CARTEIRA_INVALID_ARGUMENT,
                                        carteira::StrCat(function, ": out_needed is NULL"));
  }
  if (count > 0 && indices == nullptr) {
    return carteira::capi::SetLastError(CARTEIRA_INVALID_ARGUMENT, carteira::StrCat(function, ": indices is NULL"));
  }
  size_t needed = 0;
  for (size_t i = 0; i < count; ++i) {
    bool negative = false;
    if constexpr (std::is_signed_v<Index>) negative = indices[i] < 0;
    if (negative || static_cast<size_t>(indices[i]) >= ids.size()) {
      return carteira::capi::SetLastError(
          CARTEIRA_OUT_OF_RANGE,
          carteira::StrCat(function, ": index ", indices[i], " is not below ", ids.size(), " ", what));
    }
    needed += ids[indices[i]].size();
  }
  *out_needed = needed;
  if (out_offsets != nullptr) {
    size_t at = 0;
    for (size_t i = 0; i < count; ++i) {
      out_offsets[i] = at;
      at += ids[indices[i]].size();
    }
    out_offsets[count] = at;
  }
  if (buffer == nullptr) return CARTEIRA_OK;  // the size query
  if (capacity < needed) {
    return carteira::capi::SetLastError(CARTEIRA_OUT_OF_RANGE,
                                        carteira::StrCat(function, ": buffer needs ", needed, " bytes"));
  }
  size_t at = 0;
  for (size_t i = 0; i < count; ++i) {
    const std::string_view id = ids[indices[i]];
    if (!id.empty()) std::memcpy(buffer + at, id.data(), id.size());
    at += id.size();
  }
  return CARTEIRA_OK;
}

}  // namespace

extern "C" {

carteira_status carteira_portfolio_create(carteira_portfolio** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  *out = new carteira_portfolio();
  CARTEIRA_API_END();
}

void carteira_portfolio_destroy(carteira_portfolio* portfolio) { delete portfolio; }

carteira_status carteira_portfolio_get_counts(const carteira_portfolio* portfolio,
                                              carteira_portfolio_counts* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(out);
  if (out->struct_size < sizeof(out->struct_size)) {
    return carteira::capi::SetLastError(CARTEIRA_INVALID_ARGUMENT,
                                        "carteira_portfolio_get_counts: struct_size not set");
  }
  const carteira::Portfolio& p = portfolio->impl;
  CARTEIRA_SET_FIELD(out, customers, static_cast<int64_t>(p.customers().size()));
  CARTEIRA_SET_FIELD(out, reps, static_cast<int64_t>(p.reps().size()));
  CARTEIRA_SET_FIELD(out, transactions, static_cast<int64_t>(p.transactions().size()));
  CARTEIRA_SET_FIELD(out, contracts, static_cast<int64_t>(p.contracts().size()));
  CARTEIRA_SET_FIELD(out, interactions, static_cast<int64_t>(p.interactions().size()));
  CARTEIRA_SET_FIELD(out, surveys, static_cast<int64_t>(p.surveys().size()));
  CARTEIRA_SET_FIELD(out, assignments, static_cast<int64_t>(p.assignments().size()));
  CARTEIRA_API_END();
}

void carteira_customer_columns_init(carteira_customer_columns* columns, size_t struct_size) {
  if (columns != nullptr) carteira::capi::InitStruct(columns, struct_size);
}

void carteira_transaction_columns_init(carteira_transaction_columns* columns, size_t struct_size) {
  if (columns != nullptr) carteira::capi::InitStruct(columns, struct_size);
}

carteira_status carteira_portfolio_append_customers(carteira_portfolio* portfolio,
                                                    const carteira_customer_columns* columns) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(columns);
  if (columns->struct_size < carteira::capi::kCustomerColumnsV1) {
    return carteira::capi::SetLastError(CARTEIRA_INVALID_ARGUMENT,
                                        "carteira_portfolio_append_customers: struct_size too small");
  }
  const size_t n = columns->count;
  if (n > 0) CARTEIRA_CHECK_ARG(columns->id);
  if (const size_t i = carteira::capi::FirstNull(columns->id, n); i < n) {
    return carteira::capi::SetLastError(
        CARTEIRA_INVALID_ARGUMENT,
        carteira::StrCat("carteira_portfolio_append_customers: row ", i, ", field customer_id: is NULL"));
  }
  const auto id = Strings(columns->id, n), name = Strings(columns->name, n),
             document = Strings(columns->document, n), email = Strings(columns->email, n),
             phone = Strings(columns->phone, n), city = Strings(columns->city, n),
             state = Strings(columns->state, n), region = Strings(columns->region, n),
             segment = Strings(columns->segment, n);
  carteira::CustomerColumns in;
  in.id = id;
  in.name = name;
  in.document = document;
  in.email = email;
  in.phone = phone;
  in.city = city;
  in.state = state;
  in.region = region;
  in.segment = segment;
  if (columns->created_at) in.created_at = {columns->created_at, n};
  if (columns->key_account) in.key_account = {columns->key_account, n};
  if (columns->delinquent) in.delinquent = {columns->delinquent, n};
  CARTEIRA_RETURN_IF_ERROR(portfolio->impl.AppendCustomers(in));
  CARTEIRA_API_END();
}

carteira_status carteira_portfolio_append_transactions(carteira_portfolio* portfolio,
                                                       const carteira_transaction_columns* columns) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(columns);
  if (columns->struct_size < carteira::capi::kTransactionColumnsV1) {
    return carteira::capi::SetLastError(
        CARTEIRA_INVALID_ARGUMENT, "carteira_portfolio_append_transactions: struct_size too small");
  }
  const size_t n = columns->count;
  if (n > 0) {
    CARTEIRA_CHECK_ARG(columns->customer_index);
    CARTEIRA_CHECK_ARG(columns->date);
    CARTEIRA_CHECK_ARG(columns->amount);
  }
  const auto order_id = Strings(columns->order_id, n);
  const auto category = Strings(columns->category, n);
  carteira::TransactionColumns in;
  in.customer = {columns->customer_index, n};
  in.date = {columns->date, n};
  in.amount = {columns->amount, n};
  in.order_id = order_id;
  in.category = category;
  if (columns->rep_index) in.rep = {columns->rep_index, n};
  CARTEIRA_RETURN_IF_ERROR(portfolio->impl.AppendTransactions(in));
  CARTEIRA_API_END();
}

carteira_status carteira_portfolio_intern_customers(carteira_portfolio* portfolio,
                                                    const char* const* ids, size_t count,
                                                    uint32_t* out_index) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(portfolio);
  if (count > 0) {
    CARTEIRA_CHECK_ARG(ids);
    CARTEIRA_CHECK_ARG(out_index);
  }
  if (const size_t i = carteira::capi::FirstNull(ids, count); i < count) {
    return carteira::capi::SetLastError(
        CARTEIRA_INVALID_ARGUMENT,
        carteira::StrCat("carteira_portfolio_intern_customers: ids[", i, "] is NULL"));
  }
  const auto views = Strings(ids, count);
  CARTEIRA_RETURN_IF_ERROR(
      portfolio->impl.InternCustomers(views, std::span<carteira::CustomerIndex>(out_index, count)));
  CARTEIRA_API_END();
}

carteira_status carteira_portfolio_find_customer(const carteira_portfolio* portfolio,
                                                 const char* id, uint32_t* out_index) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(id);
  CARTEIRA_CHECK_ARG(out_index);
  const auto found = portfolio->impl.FindCustomer(id);
  if (!found) {
    return carteira::capi::SetLastError(CARTEIRA_NOT_FOUND,
                                        carteira::StrCat("no customer with id '", id, "'"));
  }
  *out_index = *found;
  CARTEIRA_API_END();
}

carteira_status carteira_portfolio_customer_ids(const carteira_portfolio* portfolio,
                                                const uint32_t* indices, size_t count,
                                                char* buffer, size_t capacity,
                                                uint64_t* out_offsets, size_t* out_needed) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(portfolio);
  return CopyIds(portfolio->impl.customers().id, "customers", __func__, indices, count, buffer, capacity,
                 out_offsets, out_needed);
  CARTEIRA_API_END();
}

carteira_status carteira_portfolio_rep_ids(const carteira_portfolio* portfolio, const int32_t* indices,
                                           size_t count, char* buffer, size_t capacity,
                                           uint64_t* out_offsets, size_t* out_needed) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(portfolio);
  return CopyIds(portfolio->impl.reps().id, "reps", __func__, indices, count, buffer, capacity, out_offsets,
                 out_needed);
  CARTEIRA_API_END();
}

}  // extern "C"
