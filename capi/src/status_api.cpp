// The status engine through the C ABI: policies, engines, plugin rules as
// C vtables, classification tables, history and transitions.
#include <cstddef>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capi/src/api_guard.h"
#include "capi/src/handles.h"
#include "capi/src/plugin_vtable.h"
#include "capi/src/struct_size.h"
#include "carteira/core/strings.h"
#include "carteira/status/status_engine.h"




struct carteira_status_transitions {
  std::vector<carteira::StatusTransition> impl;
};

struct carteira_status_decision {
  carteira::StatusDecision* impl = nullptr;
  std::string error;  // set by carteira_status_decision_set_error
};

namespace {

using carteira::capi::SetLastError;

// Sizes of the first released version; never change (see struct_size.h).
constexpr size_t kStatusRuleVtableV1 = sizeof(carteira_status_rule_vtable);

std::optional<carteira::Status> ToStatus(int32_t value) {
  if (value < 0 || value >= carteira::kStatusCount) return std::nullopt;
  return static_cast<carteira::Status>(value);
}

absl::Status BadStatusValue(const char* function, int32_t value) {
  return absl::InvalidArgumentError(
      carteira::StrCat(function, ": ", value, " is not a carteira_lifecycle value (0..6)"));
}

// A plugin rule written in C: the vtable, its user data, and the promise
// to call destroy exactly once.
class CRule : public carteira::StatusRule {
 public:
  CRule(std::string name, carteira_status_rule_vtable vtable, void* user_data)
      : name_(std::move(name)), vtable_(vtable), user_data_(user_data) {}
  ~CRule() override {
    if (vtable_.destroy != nullptr) vtable_.destroy(user_data_);
  }
  CRule(const CRule&) = delete;
  CRule& operator=(const CRule&) = delete;

  std::string_view name() const override { return name_; }

  absl::Status Apply(const carteira::Portfolio& portfolio, const carteira::StatusFacts& facts,
                     carteira::StatusDecision& decision) const override {
    // The ids live in a columnar store without NULs: copy for C (locals, so
    // that one engine may classify on several threads at once).
    const std::string id(portfolio.customers().id[facts.customer]);
    const std::string segment(portfolio.customers().segment[facts.customer]);
    carteira_status_facts f;
    std::memset(&f, 0, sizeof f);
    f.struct_size = sizeof f;
    f.customer_index = facts.customer;
    f.customer_id = id.c_str();
    f.segment = segment.c_str();
    f.as_of = facts.as_of;
    f.purchase_days = static_cast<int32_t>(facts.purchase_days.size());
    f.purchase_day_list = facts.purchase_days.data();
    f.days_since_last = facts.days_since_last;
    f.median_gap_days = facts.median_gap_days;
    f.status = static_cast<int32_t>(decision.status());
    f.flags = decision.flags();
    carteira_status_decision d;
    d.impl = &decision;
    const int32_t rc = vtable_.apply(user_data_, &f, &d);
    if (rc == CARTEIRA_OK) return absl::OkStatus();
    return absl::Status(carteira::capi::CallbackCode(rc), d.error.empty()
                                        ? carteira::StrCat("the rule returned error code ", rc)
                                        : d.error);
  }

 private:
  std::string name_;
  carteira_status_rule_vtable vtable_;
  void* user_data_;
};

template <typename T, typename Out>
void Copy(const std::vector<T>& column, Out* out) {
  for (size_t i = 0; i < column.size(); ++i) out[i] = static_cast<Out>(column[i]);
}

bool CopyInteger(const carteira::StatusTable& t, int32_t column, int64_t* out) {
  switch (column) {
    case CARTEIRA_STATUS_COL_STATUS: Copy(t.status, out); return true;
    case CARTEIRA_STATUS_COL_FLAGS: Copy(t.flags, out); return true;
    case CARTEIRA_STATUS_COL_RULE: Copy(t.rule, out); return true;
    case CARTEIRA_STATUS_COL_DAYS_SINCE_LAST: Copy(t.days_since_last, out); return true;
    case CARTEIRA_STATUS_COL_PURCHASE_DAYS: Copy(t.purchase_days, out); return true;
    case CARTEIRA_STATUS_COL_LAST_PURCHASE: Copy(t.last_purchase, out); return true;
    case CARTEIRA_STATUS_COL_EVENT_DAY: Copy(t.event_day, out); return true;
    case CARTEIRA_STATUS_COL_COMEBACK_GAP_DAYS: Copy(t.comeback_gap_days, out); return true;
    case CARTEIRA_STATUS_COL_CONTRACT: Copy(t.contract, out); return true;
    case CARTEIRA_STATUS_COL_RENEWAL_CONTRACT: Copy(t.renewal_contract, out); return true;
    case CARTEIRA_STATUS_COL_SCOPE: Copy(t.scope, out); return true;
    default: return false;
  }
}

bool CopyReal(const carteira::StatusTable& t, int32_t column, double* out) {
  switch (column) {
    case CARTEIRA_STATUS_COL_MEDIAN_GAP_DAYS: Copy(t.median_gap_days, out); return true;
    case CARTEIRA_STATUS_COL_THRESHOLD_DAYS: Copy(t.threshold_days, out); return true;
    default: return false;
  }
}

carteira_status TableCapacity(const carteira_status_table* table, size_t capacity) {
  if (capacity < table->impl.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE,
                        carteira::StrCat("status column needs ", table->impl.size(),
                                         " entries, the buffer has ", capacity));
  }
  return CARTEIRA_OK;
}

carteira_status NewPolicy(absl::StatusOr<carteira::StatusPolicy> policy,
                          carteira_status_policy** out) {
  if (!policy.ok()) return SetLastError(policy.status());
  auto handle = std::make_unique<carteira_status_policy>();
  handle->impl = std::move(*policy);
  // Made now, so that to_json on a shared const policy writes nothing.
  handle->json = handle->impl.ToJson();
  *out = handle.release();
  return CARTEIRA_OK;
}

}  // namespace

extern "C" {

const char* carteira_lifecycle_name(int32_t status) {
  const auto s = ToStatus(status);
  return s ? carteira::StatusName(*s).data() : nullptr;  // literals: NUL-terminated
}

carteira_status carteira_lifecycle_parse(const char* name, int32_t* out_status) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(name);
  CARTEIRA_CHECK_ARG(out_status);
  const auto s = carteira::ParseStatus(name);
  if (!s) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT,
                        carteira::StrCat("unknown status '", name,
                                         "' (prospect, new, active, at_risk, inactive, lost, "
                                         "reactivated)"));
  }
  *out_status = static_cast<int32_t>(*s);
  CARTEIRA_API_END();
}

carteira_status carteira_status_policy_default(carteira_status_policy** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  return NewPolicy(carteira::StatusPolicy::Default(), out);
  CARTEIRA_API_END();
}

carteira_status carteira_status_policy_from_json(const char* json, carteira_status_policy** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(json);
  return NewPolicy(carteira::StatusPolicy::FromJson(json), out);
  CARTEIRA_API_END();
}

carteira_status carteira_status_policy_from_file(const char* path, carteira_status_policy** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(path);
  return NewPolicy(carteira::StatusPolicy::FromFile(path), out);
  CARTEIRA_API_END();
}

carteira_status carteira_status_policy_fixed(int32_t at_risk_after, int32_t inactive_after,
                                             int32_t lost_after, carteira_status_policy** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  carteira::StatusPolicy p =
      carteira::StatusPolicy::FixedThresholds(at_risk_after, inactive_after, lost_after);
  if (absl::Status s = p.Validate(); !s.ok()) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT, carteira::StrCat("policy: ", s.message()));
  }
  return NewPolicy(std::move(p), out);
  CARTEIRA_API_END();
}

carteira_status carteira_status_policy_to_json(const carteira_status_policy* policy,
                                               const char** out_json) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(policy);
  CARTEIRA_CHECK_ARG(out_json);
  *out_json = policy->json.c_str();
  CARTEIRA_API_END();
}

void carteira_status_policy_destroy(carteira_status_policy* policy) { delete policy; }

carteira_status carteira_status_engine_create(const carteira_portfolio* portfolio,
                                              const carteira_status_policy* policy,
                                              carteira_status_engine** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(policy);
  auto engine = carteira::StatusEngine::Create(portfolio->impl, policy->impl);
  CARTEIRA_RETURN_IF_ERROR(engine.status());
  auto handle = std::make_unique<carteira_status_engine>();
  handle->impl.emplace(std::move(*engine));
  *out = handle.release();
  CARTEIRA_API_END();
}

void carteira_status_engine_destroy(carteira_status_engine* engine) { delete engine; }

carteira_status carteira_status_engine_add_rule(carteira_status_engine* engine, const char* name,
                                                const carteira_status_rule_vtable* vtable,
                                                void* user_data) {
  carteira::capi::DestroyUnlessAdopted<carteira_status_rule_vtable> guard(vtable, user_data);
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(engine);
  CARTEIRA_CHECK_ARG(name);
  CARTEIRA_CHECK_ARG(vtable);
  if (vtable->struct_size < kStatusRuleVtableV1) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT,
                        "carteira_status_rule_vtable: struct_size too small");
  }
  if (vtable->apply == nullptr) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT, "carteira_status_rule_vtable.apply is NULL");
  }
  carteira_status_rule_vtable copy = CARTEIRA_STATUS_RULE_VTABLE_INIT;
  copy.apply = vtable->apply;
  copy.destroy = vtable->destroy;
  auto rule = std::make_unique<CRule>(name, copy, user_data);
  // From here the rule owns destroy: it runs when the rule dies, whether
  // AddRule refuses it below or the engine is destroyed later.
  guard.Adopted();
  CARTEIRA_RETURN_IF_ERROR(engine->impl->AddRule(std::move(rule)));
  CARTEIRA_API_END();
}

carteira_status carteira_status_decision_override(carteira_status_decision* decision,
                                                  int32_t status, const char* reason) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(decision);
  const auto s = ToStatus(status);
  if (!s) return SetLastError(BadStatusValue(__func__, status));
  CARTEIRA_RETURN_IF_ERROR(decision->impl->Override(*s, reason == nullptr ? "" : reason));
  CARTEIRA_API_END();
}

carteira_status carteira_status_decision_veto(carteira_status_decision* decision, int32_t status,
                                              const char* reason) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(decision);
  const auto s = ToStatus(status);
  if (!s) return SetLastError(BadStatusValue(__func__, status));
  CARTEIRA_RETURN_IF_ERROR(decision->impl->Veto(*s, reason == nullptr ? "" : reason));
  CARTEIRA_API_END();
}

carteira_status carteira_status_decision_add_reason(carteira_status_decision* decision,
                                                    const char* reason) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(decision);
  CARTEIRA_CHECK_ARG(reason);
  decision->impl->AddReason(reason);
  CARTEIRA_API_END();
}

carteira_status carteira_status_decision_get_status(const carteira_status_decision* decision,
                                                    int32_t* out_status) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(decision);
  CARTEIRA_CHECK_ARG(out_status);
  *out_status = static_cast<int32_t>(decision->impl->status());
  CARTEIRA_API_END();
}

carteira_status carteira_status_decision_set_error(carteira_status_decision* decision,
                                                   const char* message) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(decision);
  CARTEIRA_CHECK_ARG(message);
  decision->error = message;
  CARTEIRA_API_END();
}

carteira_status carteira_status_classify(const carteira_status_engine* engine, int32_t as_of,
                                         carteira_status_table** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(engine);
  auto handle = std::make_unique<carteira_status_table>();
  CARTEIRA_RETURN_IF_ERROR(engine->impl->ClassifyInto(as_of, &handle->impl));
  handle->portfolio = &engine->impl->portfolio();
  handle->merge_generation = handle->portfolio->merge_generation();
  *out = handle.release();
  CARTEIRA_API_END();
}

carteira_status carteira_status_classify_summary(const carteira_status_engine* engine,
                                                 const carteira_summary* summary,
                                                 carteira_status_table** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(engine);
  CARTEIRA_CHECK_ARG(summary);
  auto handle = std::make_unique<carteira_status_table>();
  CARTEIRA_RETURN_IF_ERROR(engine->impl->ClassifyInto(summary->impl, &handle->impl));
  handle->portfolio = &engine->impl->portfolio();
  handle->merge_generation = handle->portfolio->merge_generation();
  *out = handle.release();
  CARTEIRA_API_END();
}

void carteira_status_table_destroy(carteira_status_table* table) { delete table; }

carteira_status carteira_status_table_size(const carteira_status_table* table, size_t* out_rows) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(table);
  CARTEIRA_CHECK_ARG(out_rows);
  *out_rows = table->impl.size();
  CARTEIRA_API_END();
}

carteira_status carteira_status_table_counts(const carteira_status_table* table, int64_t* out,
                                             size_t capacity) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(table);
  CARTEIRA_CHECK_ARG(out);
  if (capacity < static_cast<size_t>(carteira::kStatusCount)) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE,
                        carteira::StrCat("status counts need ", carteira::kStatusCount,
                                         " entries, the buffer has ", capacity));
  }
  const auto counts = table->impl.Counts();
  for (int i = 0; i < carteira::kStatusCount; ++i) out[i] = static_cast<int64_t>(counts[i]);
  CARTEIRA_API_END();
}

carteira_status carteira_status_table_get_int64(const carteira_status_table* table, int32_t column,
                                                int64_t* out, size_t capacity) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(table);
  CARTEIRA_CHECK_ARG(out);
  if (carteira_status s = TableCapacity(table, capacity); s != CARTEIRA_OK) return s;
  if (!CopyInteger(table->impl, column, out)) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT,
                        carteira::StrCat("status column ", column,
                                         " is not an integer column (use _get_double for 11, 12)"));
  }
  CARTEIRA_API_END();
}

carteira_status carteira_status_table_get_double(const carteira_status_table* table,
                                                 int32_t column, double* out, size_t capacity) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(table);
  CARTEIRA_CHECK_ARG(out);
  if (carteira_status s = TableCapacity(table, capacity); s != CARTEIRA_OK) return s;
  if (!CopyReal(table->impl, column, out)) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT,
                        carteira::StrCat("status column ", column,
                                         " is not a double column (11 or 12)"));
  }
  CARTEIRA_API_END();
}

carteira_status carteira_status_table_field_count(const carteira_status_table* table, size_t* out_count) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(table);
  CARTEIRA_CHECK_ARG(out_count);
  *out_count = table->impl.field_names.size();
  CARTEIRA_API_END();
}

carteira_status carteira_status_table_field_name(const carteira_status_table* table, size_t field,
                                                 const char** out_name) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(table);
  CARTEIRA_CHECK_ARG(out_name);
  if (field >= table->impl.field_names.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE, carteira::StrCat("status field ", field, " of ",
                                                                table->impl.field_names.size()));
  }
  *out_name = table->impl.field_names[field].c_str();
  CARTEIRA_API_END();
}

carteira_status carteira_status_table_get_field(const carteira_status_table* table, size_t field, double* out,
                                                size_t capacity) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(table);
  CARTEIRA_CHECK_ARG(out);
  if (field >= table->impl.fields.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE, carteira::StrCat("status field ", field, " of ",
                                                                table->impl.fields.size()));
  }
  if (carteira_status s = TableCapacity(table, capacity); s != CARTEIRA_OK) return s;
  std::copy(table->impl.fields[field].begin(), table->impl.fields[field].end(), out);
  CARTEIRA_API_END();
}

carteira_status carteira_status_table_rule_name(const carteira_status_table* table, size_t row,
                                                const char** out_name) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(table);
  CARTEIRA_CHECK_ARG(out_name);
  if (row >= table->impl.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE, carteira::StrCat("status row ", row, " of ",
                                                                table->impl.size()));
  }
  // Built-in names are literals and plugin names std::strings: NUL-terminated.
  *out_name = table->impl.RuleName(row).data();
  CARTEIRA_API_END();
}

carteira_status carteira_status_table_reason(const carteira_status_table* table, size_t row,
                                             char* buffer, size_t capacity, size_t* out_length) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(table);
  CARTEIRA_CHECK_ARG(out_length);
  if (row >= table->impl.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE, carteira::StrCat("status row ", row, " of ",
                                                                table->impl.size()));
  }
  // Reason reads the portfolio by customer index: not after a merge renumbered it.
  if (table->portfolio->merge_generation() != table->merge_generation) {
    return SetLastError(CARTEIRA_FAILED_PRECONDITION,
                        "status table: customers were merged in its portfolio since; classify again");
  }
  const std::string reason = table->impl.Reason(*table->portfolio, row);
  *out_length = reason.size();
  if (buffer == nullptr && capacity == 0) return CARTEIRA_OK;  // a size query
  CARTEIRA_CHECK_ARG(buffer);
  if (capacity < reason.size() + 1) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE,
                        carteira::StrCat("the reason needs ", reason.size() + 1,
                                         " bytes with its NUL, the buffer has ", capacity));
  }
  std::memcpy(buffer, reason.c_str(), reason.size() + 1);
  CARTEIRA_API_END();
}

carteira_status carteira_status_history(const carteira_status_engine* engine, const int32_t* dates,
                                        size_t date_count, uint8_t* out_status, uint8_t* out_flags,
                                        size_t capacity) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(engine);
  CARTEIRA_CHECK_ARG(out_status);
  if (date_count > 0) CARTEIRA_CHECK_ARG(dates);
  for (size_t i = 1; i < date_count; ++i) {
    if (dates[i] <= dates[i - 1]) {
      return SetLastError(CARTEIRA_INVALID_ARGUMENT,
                          carteira::StrCat("carteira_status_history: dates[", i,
                                           "] is not after dates[", i - 1,
                                           "] (the dates must be strictly ascending)"));
    }
  }
  // The engine's snapshot, not the portfolio's current size (customers
  // appended after the engine was created are not in it).
  const size_t customers = engine->impl->customers();
  if (date_count == 0) return CARTEIRA_OK;
  if (capacity / date_count < customers) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE,
                        carteira::StrCat("status history needs ", date_count, " x ", customers,
                                         " entries, the buffers have ", capacity));
  }
  auto history = engine->impl->History(std::span<const int32_t>(dates, date_count));
  CARTEIRA_RETURN_IF_ERROR(history.status());
  for (size_t d = 0; d < date_count; ++d) {
    for (size_t c = 0; c < customers; ++c) {
      out_status[d * customers + c] = static_cast<uint8_t>(history->status[d][c]);
      if (out_flags != nullptr) out_flags[d * customers + c] = history->flags[d][c];
    }
  }
  CARTEIRA_API_END();
}

carteira_status carteira_status_transitions_compute(const carteira_status_engine* engine,
                                                    int32_t from, int32_t to,
                                                    carteira_status_transitions** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(engine);
  auto transitions = engine->impl->Transitions(from, to);
  CARTEIRA_RETURN_IF_ERROR(transitions.status());
  auto handle = std::make_unique<carteira_status_transitions>();
  handle->impl = std::move(*transitions);
  *out = handle.release();
  CARTEIRA_API_END();
}

void carteira_status_transitions_destroy(carteira_status_transitions* transitions) {
  delete transitions;
}

carteira_status carteira_status_transitions_size(const carteira_status_transitions* transitions,
                                                 size_t* out_count) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(transitions);
  CARTEIRA_CHECK_ARG(out_count);
  *out_count = transitions->impl.size();
  CARTEIRA_API_END();
}

carteira_status carteira_status_transitions_get(const carteira_status_transitions* transitions,
                                                uint32_t* out_customer, int32_t* out_from,
                                                int32_t* out_to, int32_t* out_date,
                                                int32_t* out_rule, size_t capacity) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(transitions);
  const auto& t = transitions->impl;
  if (capacity < t.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE,
                        carteira::StrCat("transitions need ", t.size(), " entries, the buffers have ",
                                         capacity));
  }
  for (size_t i = 0; i < t.size(); ++i) {
    if (out_customer != nullptr) out_customer[i] = t[i].customer;
    if (out_from != nullptr) out_from[i] = static_cast<int32_t>(t[i].from);
    if (out_to != nullptr) out_to[i] = static_cast<int32_t>(t[i].to);
    if (out_date != nullptr) out_date[i] = t[i].date;
    if (out_rule != nullptr) out_rule[i] = t[i].rule;
  }
  CARTEIRA_API_END();
}

}  // extern "C"
