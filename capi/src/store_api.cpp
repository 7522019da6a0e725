// The embedded store through the C ABI: open, save (import), load, append
// the day's data, refresh statuses with their events, the stored statuses
// and history, the loyalty ledger, counts, check, checkpoint, close.
#include <cstddef>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "capi/src/api_guard.h"
#include "capi/src/checks.h"
#include "capi/src/handles.h"
#include "capi/src/struct_size.h"
#include "carteira/core/strings.h"

struct carteira_status_events {
  std::vector<carteira::StatusHistoryEvent> impl;
  // Set for the events of a refresh (carteira_status_events_refresh_info).
  std::optional<carteira_refresh_info> refresh;
};

namespace {

using carteira::capi::CheckDay;
using carteira::capi::CheckStructSize;
using carteira::capi::SetLastError;

// Version 0.1 ended at `durable`; max_bytes and checkpoint_thread came in
// 0.2 (a caller built before checkpoint_thread ends at max_bytes).
constexpr size_t kStoreOptionsV1 = offsetof(carteira_store_options, durable) + sizeof(int32_t);
constexpr size_t kAppendReportV1 = sizeof(carteira_store_append_report);
constexpr size_t kStatusEventV1 = sizeof(carteira_status_event);
constexpr size_t kRefreshInfoV1 = sizeof(carteira_refresh_info);

carteira_status Adopt(std::vector<carteira::StatusHistoryEvent> events, carteira_status_events** out,
                      std::optional<carteira_refresh_info> refresh = std::nullopt) {
  auto handle = std::make_unique<carteira_status_events>();
  handle->impl = std::move(events);
  handle->refresh = refresh;
  *out = handle.release();
  return CARTEIRA_OK;
}

}  // namespace

extern "C" {

carteira_status carteira_store_open(const char* path, const carteira_store_options* options, carteira_store** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(path);
  carteira::StoreOptions o;
  if (options != nullptr) {
    if (carteira_status s = CheckStructSize(options->struct_size, kStoreOptionsV1, "carteira_store_options"); s) {
      return s;
    }
    if (options->busy_timeout_ms < 0) {
      return SetLastError(CARTEIRA_INVALID_ARGUMENT,
                          carteira::StrCat("carteira_store_options: busy_timeout_ms ", options->busy_timeout_ms,
                                           " is negative"));
    }
    o.create = options->create != 0;
    o.read_only = options->read_only != 0;
    o.busy_timeout = std::chrono::milliseconds(options->busy_timeout_ms);
    o.durable = options->durable != 0;
    if (CARTEIRA_FIELD_FITS(options, max_bytes)) {
      if (options->max_bytes < 0) {
        return SetLastError(CARTEIRA_INVALID_ARGUMENT,
                            carteira::StrCat("carteira_store_options: max_bytes ", options->max_bytes,
                                             " is negative"));
      }
      o.max_bytes = options->max_bytes;
    }
    if (CARTEIRA_FIELD_FITS(options, checkpoint_thread)) o.checkpoint_thread = options->checkpoint_thread != 0;
  }
  auto store = carteira::Store::Open(path, o);
  CARTEIRA_RETURN_IF_ERROR(store.status());
  auto handle = std::make_unique<carteira_store>();
  handle->impl.emplace(*std::move(store));
  *out = handle.release();
  CARTEIRA_API_END();
}

void carteira_store_close(carteira_store* store) { delete store; }

carteira_status carteira_store_schema_version(const carteira_store* store, int32_t* out_version) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(store);
  CARTEIRA_CHECK_ARG(out_version);
  *out_version = store->impl->schema_version();
  CARTEIRA_API_END();
}

carteira_status carteira_store_checkpoint(carteira_store* store) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(store);
  CARTEIRA_RETURN_IF_ERROR(store->impl->Checkpoint());
  CARTEIRA_API_END();
}

carteira_status carteira_store_save(carteira_store* store, const carteira_portfolio* portfolio, int32_t replace) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(store);
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_RETURN_IF_ERROR(store->impl->Save(portfolio->impl, replace != 0));
  CARTEIRA_API_END();
}

carteira_status carteira_store_load(carteira_store* store, carteira_portfolio* portfolio) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(store);
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_RETURN_IF_ERROR(store->impl->LoadInto(portfolio->impl));
  CARTEIRA_API_END();
}

carteira_status carteira_store_append(carteira_store* store, const carteira_portfolio* delta,
                                      carteira_store_append_report* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(store);
  CARTEIRA_CHECK_ARG(delta);
  if (out != nullptr) {
    if (carteira_status s = CheckStructSize(out->struct_size, kAppendReportV1, "carteira_store_append_report"); s) {
      return s;
    }
  }
  auto report = store->impl->Append(delta->impl);
  CARTEIRA_RETURN_IF_ERROR(report.status());
  if (out != nullptr) {
    CARTEIRA_SET_FIELD(out, customers_added, report->customers_added);
    CARTEIRA_SET_FIELD(out, customers_updated, report->customers_updated);
    CARTEIRA_SET_FIELD(out, reps_added, report->reps_added);
    CARTEIRA_SET_FIELD(out, reps_updated, report->reps_updated);
    CARTEIRA_SET_FIELD(out, transactions, report->transactions);
    CARTEIRA_SET_FIELD(out, contracts, report->contracts);
    CARTEIRA_SET_FIELD(out, interactions, report->interactions);
    CARTEIRA_SET_FIELD(out, surveys, report->surveys);
    CARTEIRA_SET_FIELD(out, assignments, report->assignments);
    CARTEIRA_SET_FIELD(out, affected_customers, report->affected_customers);
  }
  CARTEIRA_API_END();
}

carteira_status carteira_store_refresh_statuses(carteira_store* store, int32_t as_of,
                                                const carteira_status_policy* policy, carteira_status_events** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(store);
  CARTEIRA_RETURN_IF_ERROR(CheckDay(as_of, "as_of", /*required=*/true));
  const carteira::StatusPolicy fallback = carteira::StatusPolicy::Default();
  const carteira::StatusPolicy& p = policy != nullptr ? policy->impl : fallback;
  auto report = store->impl->RefreshStatuses(as_of, p);
  CARTEIRA_RETURN_IF_ERROR(report.status());
  std::vector<carteira::StatusHistoryEvent> events;
  events.reserve(report->events.size());
  for (carteira::StatusEvent& e : report->events) events.push_back({report->as_of, std::move(e)});
  carteira_refresh_info info = CARTEIRA_REFRESH_INFO_INIT;
  info.as_of = report->as_of;
  info.previous_as_of = report->previous_as_of;
  info.policy_changed = report->policy_changed ? 1 : 0;
  info.customers_checked = report->customers_checked;
  return Adopt(std::move(events), out, info);
  CARTEIRA_API_END();
}

carteira_status carteira_store_history(carteira_store* store, int32_t from, int32_t to,
                                       carteira_status_events** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(store);
  CARTEIRA_RETURN_IF_ERROR(CheckDay(from, "from", /*required=*/true));
  CARTEIRA_RETURN_IF_ERROR(CheckDay(to, "to", /*required=*/true));
  auto history = store->impl->History(from, to);
  CARTEIRA_RETURN_IF_ERROR(history.status());
  return Adopt(*std::move(history), out);
  CARTEIRA_API_END();
}

carteira_status carteira_store_statuses(carteira_store* store, carteira_status_events** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(store);
  auto statuses = store->impl->Statuses();
  CARTEIRA_RETURN_IF_ERROR(statuses.status());
  std::vector<carteira::StatusHistoryEvent> events;
  events.reserve(statuses->size());
  for (carteira::StoredStatus& s : *statuses) {
    carteira::StatusHistoryEvent h;
    h.as_of = s.as_of;
    h.event.customer_id = std::move(s.customer_id);
    h.event.from = h.event.to = s.status;
    h.event.from_flags = h.event.to_flags = s.flags;
    events.push_back(std::move(h));
  }
  return Adopt(std::move(events), out);
  CARTEIRA_API_END();
}

void carteira_status_events_destroy(carteira_status_events* events) { delete events; }

carteira_status carteira_status_events_size(const carteira_status_events* events, size_t* out_count) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(events);
  CARTEIRA_CHECK_ARG(out_count);
  *out_count = events->impl.size();
  CARTEIRA_API_END();
}

carteira_status carteira_status_events_get(const carteira_status_events* events, size_t index,
                                           carteira_status_event* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(events);
  CARTEIRA_CHECK_ARG(out);
  if (carteira_status s = CheckStructSize(out->struct_size, kStatusEventV1, "carteira_status_event"); s) return s;
  if (index >= events->impl.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE,
                        carteira::StrCat("status event ", index, " of ", events->impl.size()));
  }
  const carteira::StatusHistoryEvent& h = events->impl[index];
  out->customer_id = h.event.customer_id.c_str();
  out->as_of = h.as_of;
  out->from = static_cast<int32_t>(h.event.from);
  out->to = static_cast<int32_t>(h.event.to);
  out->from_flags = h.event.from_flags;
  out->to_flags = h.event.to_flags;
  out->first = h.event.first ? 1 : 0;
  CARTEIRA_API_END();
}

carteira_status carteira_status_events_refresh_info(const carteira_status_events* events,
                                                    carteira_refresh_info* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(events);
  CARTEIRA_CHECK_ARG(out);
  if (carteira_status s = CheckStructSize(out->struct_size, kRefreshInfoV1, "carteira_refresh_info"); s) return s;
  if (!events->refresh.has_value()) {
    return SetLastError(CARTEIRA_FAILED_PRECONDITION,
                        "these events are not a refresh's (they come from the history or the statuses)");
  }
  CARTEIRA_SET_FIELD(out, as_of, events->refresh->as_of);
  CARTEIRA_SET_FIELD(out, previous_as_of, events->refresh->previous_as_of);
  CARTEIRA_SET_FIELD(out, policy_changed, events->refresh->policy_changed);
  CARTEIRA_SET_FIELD(out, customers_checked, events->refresh->customers_checked);
  CARTEIRA_API_END();
}

carteira_status carteira_store_last_transaction_date(carteira_store* store, int32_t* out_day) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(store);
  CARTEIRA_CHECK_ARG(out_day);
  auto day = store->impl->LastTransactionDate();
  CARTEIRA_RETURN_IF_ERROR(day.status());
  *out_day = *day;
  CARTEIRA_API_END();
}

carteira_status carteira_store_last_refresh_date(carteira_store* store, int32_t* out_day) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(store);
  CARTEIRA_CHECK_ARG(out_day);
  auto day = store->impl->LastRefreshDate();
  CARTEIRA_RETURN_IF_ERROR(day.status());
  *out_day = *day;
  CARTEIRA_API_END();
}

carteira_status carteira_store_count(carteira_store* store, const char* table, int64_t* out_rows) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(store);
  CARTEIRA_CHECK_ARG(table);
  CARTEIRA_CHECK_ARG(out_rows);
  auto counts = store->impl->Counts();
  CARTEIRA_RETURN_IF_ERROR(counts.status());
  const auto it = counts->find(table);
  if (it == counts->end()) {
    return SetLastError(CARTEIRA_NOT_FOUND, carteira::StrCat("store: no table '", table, "'"));
  }
  *out_rows = it->second;
  CARTEIRA_API_END();
}

carteira_status carteira_store_merge_customers(carteira_store* store, const char* into, const char* const* merged,
                                               size_t merged_count, int32_t merged_at, const char* merged_by) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(store);
  CARTEIRA_CHECK_ARG(into);
  if (merged_count > 0) CARTEIRA_CHECK_ARG(merged);
  CARTEIRA_RETURN_IF_ERROR(CheckDay(merged_at, "merged_at", /*required=*/true));
  carteira::CustomerMerge merge;
  merge.into = into;
  for (size_t i = 0; i < merged_count; ++i) {
    if (merged[i] == nullptr) {
      return SetLastError(CARTEIRA_INVALID_ARGUMENT, carteira::StrCat("merged[", i, "] is NULL"));
    }
    merge.merged.emplace_back(merged[i]);
  }
  merge.merged_at = carteira::ToDate(merged_at);
  if (merged_by != nullptr) merge.merged_by = merged_by;
  CARTEIRA_RETURN_IF_ERROR(store->impl->MergeCustomers(std::span<const carteira::CustomerMerge>(&merge, 1)));
  CARTEIRA_API_END();
}

carteira_status carteira_store_save_loyalty(carteira_store* store, const carteira_loyalty_ledger* ledger) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(store);
  CARTEIRA_CHECK_ARG(ledger);
  const carteira::LoyaltyLedger& l = *ledger->impl;
  if (l.portfolio().merge_generation() != ledger->merge_generation) {
    return SetLastError(CARTEIRA_FAILED_PRECONDITION,
                        "loyalty ledger: its portfolio merged customers since it was made; make the ledger again");
  }
  CARTEIRA_RETURN_IF_ERROR(store->impl->SaveLoyalty(l.portfolio(), l));
  CARTEIRA_API_END();
}

carteira_status carteira_store_load_loyalty(carteira_store* store, const carteira_portfolio* portfolio,
                                            const char* rules_json, carteira_loyalty_ledger** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(store);
  CARTEIRA_CHECK_ARG(portfolio);
  carteira::LoyaltyRules rules;
  if (rules_json != nullptr) {
    auto parsed = carteira::LoyaltyRules::FromJson(rules_json, "rules");
    CARTEIRA_RETURN_IF_ERROR(parsed.status());
    rules = *std::move(parsed);
  }
  auto ledger = store->impl->LoadLoyalty(portfolio->impl, std::move(rules));
  CARTEIRA_RETURN_IF_ERROR(ledger.status());
  auto handle = std::make_unique<carteira_loyalty_ledger>();
  handle->impl.emplace(*std::move(ledger));
  handle->merge_generation = portfolio->impl.merge_generation();
  *out = handle.release();
  CARTEIRA_API_END();
}

carteira_status carteira_store_check(carteira_store* store, char* buffer, size_t capacity, size_t* out_length,
                                     size_t* out_problems) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(store);
  CARTEIRA_CHECK_ARG(out_length);
  CARTEIRA_CHECK_ARG(out_problems);
  auto report = store->impl->Check();
  CARTEIRA_RETURN_IF_ERROR(report.status());
  std::string text;
  for (const std::string& p : report->problems) carteira::StrAppend(&text, p, "\n");
  *out_problems = report->problems.size();
  *out_length = text.size();
  if (buffer == nullptr && capacity == 0) return CARTEIRA_OK;  // a size query
  CARTEIRA_CHECK_ARG(buffer);
  if (capacity < text.size() + 1) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE, carteira::StrCat("the check needs ", text.size() + 1,
                                                                " bytes with its NUL, the buffer has ", capacity));
  }
  std::memcpy(buffer, text.c_str(), text.size() + 1);
  CARTEIRA_API_END();
}

}  // extern "C"
