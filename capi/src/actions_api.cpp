// Retention actions through the C ABI: the agenda, the loyalty ledger and
// automation (handlers as C vtables with user data and destroy).
#include <cstddef>
#include <cstring>
#include <iterator>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "capi/src/api_guard.h"
#include "capi/src/checks.h"
#include "capi/src/handles.h"
#include "capi/src/plugin_vtable.h"
#include "capi/src/struct_size.h"
#include "carteira/actions/agenda.h"
#include "carteira/actions/automation.h"
#include "carteira/actions/loyalty.h"
#include "carteira/core/strings.h"

// The agenda keeps its own copy (the header promises it needs neither the
// engine nor the portfolio after): the tasks, and every key and reason made
// once into one buffer (ends[2i] ends task i's key, ends[2i+1] its reason;
// each string ends with a NUL), not a string object each.
struct carteira_agenda {
  std::vector<carteira::Task> tasks;
  std::string text;
  std::vector<size_t> ends;
};

struct carteira_automation {
  carteira::Automation impl;
};

struct carteira_automation_report {
  carteira::AutomationReport impl;
  std::vector<std::string> customer_ids;  // per failure, so the pointers handed out stay valid
};

struct carteira_automation_call {
  std::string error;  // set by carteira_automation_call_set_error
};

namespace {

using carteira::capi::CallbackCode;
using carteira::capi::CheckDay;
using carteira::capi::CheckStructSize;
using carteira::capi::DestroyUnlessAdopted;
using carteira::capi::SetLastError;

// Sizes of the first released version; never change (see struct_size.h).
// Version 0.1 ended with expected_value_count; 0.2 added the purchase
// window's two fields.
constexpr size_t kAgendaOptionsV1 = offsetof(carteira_agenda_options, expected_value_count) + sizeof(size_t);
constexpr size_t kAgendaOptionsV2 = sizeof(carteira_agenda_options);
constexpr size_t kTaskV1 = sizeof(carteira_task);
constexpr size_t kTierStandingV1 = sizeof(carteira_tier_standing);
constexpr size_t kLedgerEntryV1 = sizeof(carteira_ledger_entry);
constexpr size_t kAutomationVtableV1 = sizeof(carteira_automation_vtable);
constexpr size_t kAutomationCountsV1 = sizeof(carteira_automation_counts);
constexpr size_t kAutomationFailureV1 = sizeof(carteira_automation_failure);

constexpr const char* kTaskTypeNames[] = {"renewal",    "reactivation", "visit",
                                          "nps_survey", "follow_up",    "purchase_window"};
static_assert(std::size(kTaskTypeNames) == CARTEIRA_TASK_TYPE_COUNT);
constexpr const char* kLedgerKindNames[] = {"earn", "redeem", "expire", "adjust", "reverse"};

// The core's options from the C struct (which must have passed its size
// check: every field of the first version is there). Automation sets the
// date itself, so it does not read as_of.
absl::Status ReadAgendaOptions(const carteira_agenda_options* in, bool read_as_of, carteira::AgendaOptions* out) {
  if (read_as_of) {
    if (auto s = CheckDay(in->as_of, "carteira_agenda_options.as_of", true); !s.ok()) return s;
    out->as_of = in->as_of;
  }
  out->horizon_days = in->horizon_days;
  if (in->task_types == 0 || (in->task_types & ~CARTEIRA_TASK_TYPES_ALL) != 0) {
    return absl::InvalidArgumentError(carteira::StrCat("carteira_agenda_options.task_types: ", in->task_types,
                                                       " is not a non-empty set of task type bits (0x3F = all)"));
  }
  out->types.clear();
  for (int t = 0; t < CARTEIRA_TASK_TYPE_COUNT; ++t) {
    if (in->task_types & (1u << t)) out->types.push_back(static_cast<carteira::TaskType>(t));
  }
  out->renewal_lead_days = in->renewal_lead_days;
  out->renewal_urgent_days = in->renewal_urgent_days;
  if ((in->reactivation_statuses & ~((1u << CARTEIRA_LIFECYCLE_COUNT) - 1)) != 0) {
    return absl::InvalidArgumentError(carteira::StrCat("carteira_agenda_options.reactivation_statuses: ",
                                                       in->reactivation_statuses,
                                                       " has bits beyond the statuses (0..6)"));
  }
  out->reactivation_statuses.clear();
  for (int s = 0; s < CARTEIRA_LIFECYCLE_COUNT; ++s) {
    if (in->reactivation_statuses & (1u << s)) out->reactivation_statuses.push_back(static_cast<carteira::Status>(s));
  }
  out->reactivation_window_days = in->reactivation_window_days;
  if (in->visit_channels != nullptr) {
    out->visit_channels.clear();
    std::string_view rest(in->visit_channels);
    while (true) {
      const size_t bar = rest.find('|');
      const std::string_view name = rest.substr(0, bar);
      if (!name.empty()) out->visit_channels.emplace_back(name);
      if (bar == std::string_view::npos) break;
      rest.remove_prefix(bar + 1);
    }
  }
  out->visit_days[0] = in->visit_days_a;
  out->visit_days[1] = in->visit_days_b;
  out->visit_days[2] = in->visit_days_c;
  out->nps_after_purchase_days = in->nps_after_purchase_days;
  out->nps_min_interval_days = in->nps_min_interval_days;
  out->nps_max_age_days = in->nps_max_age_days;
  out->follow_up_after_days = in->follow_up_after_days;
  out->follow_up_max_age_days = in->follow_up_max_age_days;
  if (in->struct_size >= kAgendaOptionsV2) {
    out->purchase_window_lead_days = in->purchase_window_lead_days;
    out->purchase_window_max_age_days = in->purchase_window_max_age_days;
  }
  if (in->expected_value != nullptr) {
    out->expected_value = std::span<const double>(in->expected_value, in->expected_value_count);
  } else if (in->expected_value_count != 0) {
    return absl::InvalidArgumentError("carteira_agenda_options.expected_value is NULL with a count");
  }
  return absl::OkStatus();
}

void FillTask(const carteira::Task& t, const char* key, const char* reason, carteira_task* out) {
  out->customer = t.customer;
  out->rep = t.rep == carteira::kNoRep ? -1 : static_cast<int32_t>(t.rep);
  out->type = static_cast<int32_t>(t.type);
  out->due = t.due;
  out->anchor = t.anchor;
  out->overdue = t.overdue ? 1 : 0;
  out->priority = t.priority;
  out->key = key;
  out->reason = reason;
}

// The ledger's portfolio has not merged customers since (indices hold).
absl::Status CheckFresh(const carteira_loyalty_ledger* ledger) {
  if (ledger->impl->portfolio().merge_generation() != ledger->merge_generation) {
    return absl::FailedPreconditionError(
        "loyalty ledger: its portfolio merged customers since it was made; make the ledger again");
  }
  return absl::OkStatus();
}

absl::Status CheckCustomer(const carteira_loyalty_ledger* ledger, uint32_t customer, const char* function) {
  const size_t n = ledger->impl->portfolio().customers().size();
  if (customer >= n) {
    return absl::OutOfRangeError(carteira::StrCat(function, ": customer ", customer, " is not below ", n));
  }
  return absl::OkStatus();
}

// What every call about one customer on one day checks first, in this
// order: the ledger still matches its portfolio, the customer, the day.
absl::Status CheckCustomerDay(const carteira_loyalty_ledger* ledger, uint32_t customer, int32_t day,
                              const char* function) {
  if (auto s = CheckFresh(ledger); !s.ok()) return s;
  if (auto s = CheckCustomer(ledger, customer, function); !s.ok()) return s;
  return CheckDay(day, "day", true);
}

const char* TierName(const carteira::LoyaltyRules& rules, int32_t tier) {
  return tier >= 0 && static_cast<size_t>(tier) < rules.tiers.size() ? rules.tiers[tier].name.c_str() : nullptr;
}

// What carteira_automation_run passes to the C handlers on this thread: the
// portfolio (for ids) and the ledger's rules (for tier names).
struct RunContext {
  const carteira::Portfolio* portfolio = nullptr;
  const carteira::LoyaltyRules* rules = nullptr;
};
thread_local const RunContext* running = nullptr;

// A handler written in C: the vtable, its user data, and the promise to
// call destroy exactly once.
class CHandler : public carteira::AutomationHandler {
 public:
  CHandler(std::string name, carteira_automation_vtable vtable, void* user_data)
      : name_(std::move(name)), vtable_(vtable), user_data_(user_data) {}
  ~CHandler() override {
    if (vtable_.destroy != nullptr) vtable_.destroy(user_data_);
  }
  CHandler(const CHandler&) = delete;
  CHandler& operator=(const CHandler&) = delete;

  std::string_view name() const override { return name_; }
  bool handles(carteira::AutomationEvent e) const override {
    switch (e) {
      case carteira::AutomationEvent::kTransition: return vtable_.on_transition != nullptr;
      case carteira::AutomationEvent::kNewTask: return vtable_.on_new_task != nullptr;
      case carteira::AutomationEvent::kTierChange: return vtable_.on_tier_change != nullptr;
    }
    return false;
  }

  absl::Status OnTransition(const carteira::StatusTransition& t) override {
    const std::string id = CustomerId(t.customer);
    carteira_transition_event e{sizeof(carteira_transition_event), t.customer, id.c_str(),
                                static_cast<int32_t>(t.from), static_cast<int32_t>(t.to), t.date, t.rule};
    carteira_automation_call call;
    return Result(vtable_.on_transition(user_data_, &e, &call), call);
  }
  absl::Status OnNewTask(const carteira::NewTask& t) override {
    const std::string key(t.key), reason(t.reason);
    carteira_task task = CARTEIRA_TASK_INIT;
    FillTask(t.task, key.c_str(), reason.c_str(), &task);
    carteira_automation_call call;
    return Result(vtable_.on_new_task(user_data_, &task, &call), call);
  }
  absl::Status OnTierChange(const carteira::TierChange& c) override {
    const std::string id = CustomerId(c.customer);
    const carteira::LoyaltyRules* rules = running != nullptr ? running->rules : nullptr;
    carteira_tier_change e{sizeof(carteira_tier_change),
                           c.customer,
                           id.c_str(),
                           c.from_tier,
                           c.to_tier,
                           rules != nullptr ? TierName(*rules, c.from_tier) : nullptr,
                           rules != nullptr ? TierName(*rules, c.to_tier) : nullptr,
                           c.from,
                           c.to,
                           c.spend};
    carteira_automation_call call;
    return Result(vtable_.on_tier_change(user_data_, &e, &call), call);
  }

 private:
  static std::string CustomerId(carteira::CustomerIndex c) {
    if (running == nullptr || running->portfolio == nullptr) return std::string();
    return std::string(running->portfolio->customers().id[c]);
  }
  static absl::Status Result(int32_t rc, const carteira_automation_call& call) {
    if (rc == CARTEIRA_OK) return absl::OkStatus();
    return absl::Status(CallbackCode(rc),
                        call.error.empty() ? carteira::StrCat("the handler returned error code ", rc) : call.error);
  }

  std::string name_;
  carteira_automation_vtable vtable_;
  void* user_data_;
};

carteira_status NewLedger(const carteira_portfolio* portfolio, absl::StatusOr<carteira::LoyaltyRules> rules,
                          carteira_loyalty_ledger** out) {
  CARTEIRA_RETURN_IF_ERROR(rules.status());
  auto ledger = carteira::LoyaltyLedger::Create(portfolio->impl, *std::move(rules));
  CARTEIRA_RETURN_IF_ERROR(ledger.status());
  auto handle = std::make_unique<carteira_loyalty_ledger>();
  handle->impl.emplace(std::move(*ledger));
  handle->merge_generation = portfolio->impl.merge_generation();
  *out = handle.release();
  return CARTEIRA_OK;
}

}  // namespace

extern "C" {

// ---- agenda ---------------------------------------------------------------------------

const char* carteira_task_type_name(int32_t type) {
  return type >= 0 && type < CARTEIRA_TASK_TYPE_COUNT ? kTaskTypeNames[type] : nullptr;
}

carteira_status carteira_task_type_parse(const char* name, int32_t* out_type) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(name);
  CARTEIRA_CHECK_ARG(out_type);
  const auto type = carteira::ParseTaskType(name);
  if (!type) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT,
                        carteira::StrCat("'", name,
                                         "' is not a task type (renewal, reactivation, visit, nps_survey, follow_up)"));
  }
  *out_type = static_cast<int32_t>(*type);
  CARTEIRA_API_END();
}

void carteira_agenda_options_init(carteira_agenda_options* options, size_t struct_size) {
  if (options == nullptr) return;
  const carteira_agenda_options defaults = CARTEIRA_AGENDA_OPTIONS_INIT;
  const size_t n = struct_size < sizeof defaults ? struct_size : sizeof defaults;
  std::memcpy(static_cast<void*>(options), &defaults, n);
  if (n >= sizeof(options->struct_size)) options->struct_size = static_cast<uint32_t>(n);
}

carteira_status carteira_agenda_build(const carteira_status_engine* engine, const carteira_agenda_options* options,
                                      carteira_agenda** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(engine);
  CARTEIRA_CHECK_ARG(options);
  if (const carteira_status s = CheckStructSize(options->struct_size, kAgendaOptionsV1, "carteira_agenda_options");
      s != CARTEIRA_OK) {
    return s;
  }
  carteira::AgendaOptions o;
  CARTEIRA_RETURN_IF_ERROR(ReadAgendaOptions(options, /*read_as_of=*/true, &o));
  auto tasks = carteira::BuildAgenda(engine->impl->portfolio(), *engine->impl, o);
  CARTEIRA_RETURN_IF_ERROR(tasks.status());
  auto agenda = std::make_unique<carteira_agenda>();
  agenda->ends.reserve(2 * tasks->size());
  for (const carteira::Task& t : *tasks) {
    tasks->AppendKey(t, &agenda->text);
    agenda->text.push_back('\0');
    agenda->ends.push_back(agenda->text.size());
    tasks->AppendReason(t, &agenda->text);
    agenda->text.push_back('\0');
    agenda->ends.push_back(agenda->text.size());
  }
  agenda->tasks.assign(tasks->begin(), tasks->end());
  *out = agenda.release();
  CARTEIRA_API_END();
}

void carteira_agenda_destroy(carteira_agenda* agenda) { delete agenda; }

carteira_status carteira_agenda_size(const carteira_agenda* agenda, size_t* out_count) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(agenda);
  CARTEIRA_CHECK_ARG(out_count);
  *out_count = agenda->tasks.size();
  CARTEIRA_API_END();
}

carteira_status carteira_agenda_task_get(const carteira_agenda* agenda, size_t index, carteira_task* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(agenda);
  CARTEIRA_CHECK_ARG(out);
  if (const carteira_status s = CheckStructSize(out->struct_size, kTaskV1, "carteira_task"); s != CARTEIRA_OK) {
    return s;
  }
  if (index >= agenda->tasks.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE,
                        carteira::StrCat(__func__, ": task ", index, " of ", agenda->tasks.size()));
  }
  const char* text = agenda->text.data();
  const size_t key_start = index == 0 ? 0 : agenda->ends[2 * index - 1];
  FillTask(agenda->tasks[index], text + key_start, text + agenda->ends[2 * index], out);
  CARTEIRA_API_END();
}

// ---- loyalty ledger -------------------------------------------------------------------

const char* carteira_ledger_kind_name(int32_t kind) {
  return kind >= 0 && kind <= CARTEIRA_LEDGER_REVERSE ? kLedgerKindNames[kind] : nullptr;
}

carteira_status carteira_loyalty_ledger_create(const carteira_portfolio* portfolio, const char* rules_json,
                                               carteira_loyalty_ledger** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(portfolio);
  if (rules_json == nullptr) return NewLedger(portfolio, carteira::LoyaltyRules{}, out);
  return NewLedger(portfolio, carteira::LoyaltyRules::FromJson(rules_json, "rules"), out);
  CARTEIRA_API_END();
}

carteira_status carteira_loyalty_ledger_create_from_file(const carteira_portfolio* portfolio, const char* path,
                                                         carteira_loyalty_ledger** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(path);
  return NewLedger(portfolio, carteira::LoyaltyRules::FromFile(path), out);
  CARTEIRA_API_END();
}

void carteira_loyalty_ledger_destroy(carteira_loyalty_ledger* ledger) { delete ledger; }

carteira_status carteira_loyalty_earn_from_transactions(carteira_loyalty_ledger* ledger, int32_t up_to,
                                                        size_t* out_appended) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(ledger);
  CARTEIRA_RETURN_IF_ERROR(CheckFresh(ledger));
  CARTEIRA_RETURN_IF_ERROR(CheckDay(up_to, "up_to", true));
  auto n = ledger->impl->EarnFromTransactions(up_to);
  CARTEIRA_RETURN_IF_ERROR(n.status());
  if (out_appended != nullptr) *out_appended = *n;
  CARTEIRA_API_END();
}

carteira_status carteira_loyalty_redeem(carteira_loyalty_ledger* ledger, uint32_t customer, int32_t day,
                                        int64_t points, const char* reference, uint64_t* out_entry) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(ledger);
  CARTEIRA_RETURN_IF_ERROR(CheckCustomerDay(ledger, customer, day, __func__));
  auto id = ledger->impl->Redeem(customer, day, points, reference == nullptr ? "" : reference);
  CARTEIRA_RETURN_IF_ERROR(id.status());
  if (out_entry != nullptr) *out_entry = *id;
  CARTEIRA_API_END();
}

carteira_status carteira_loyalty_adjust(carteira_loyalty_ledger* ledger, uint32_t customer, int32_t day,
                                        int64_t points, const char* note, uint64_t* out_entry) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(ledger);
  CARTEIRA_RETURN_IF_ERROR(CheckCustomerDay(ledger, customer, day, __func__));
  auto id = ledger->impl->Adjust(customer, day, points, note == nullptr ? "" : note);
  CARTEIRA_RETURN_IF_ERROR(id.status());
  if (out_entry != nullptr) *out_entry = *id;
  CARTEIRA_API_END();
}

carteira_status carteira_loyalty_reverse(carteira_loyalty_ledger* ledger, uint64_t entry, int32_t day,
                                         const char* note, uint64_t* out_entry) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(ledger);
  CARTEIRA_RETURN_IF_ERROR(CheckFresh(ledger));
  CARTEIRA_RETURN_IF_ERROR(CheckDay(day, "day", true));
  auto id = ledger->impl->Reverse(entry, day, note == nullptr ? "" : note);
  CARTEIRA_RETURN_IF_ERROR(id.status());
  if (out_entry != nullptr) *out_entry = *id;
  CARTEIRA_API_END();
}

carteira_status carteira_loyalty_expire_until(carteira_loyalty_ledger* ledger, int32_t day, size_t* out_appended) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(ledger);
  CARTEIRA_RETURN_IF_ERROR(CheckFresh(ledger));
  CARTEIRA_RETURN_IF_ERROR(CheckDay(day, "day", true));
  auto n = ledger->impl->ExpireUntil(day);
  CARTEIRA_RETURN_IF_ERROR(n.status());
  if (out_appended != nullptr) *out_appended = *n;
  CARTEIRA_API_END();
}

carteira_status carteira_loyalty_balance(const carteira_loyalty_ledger* ledger, uint32_t customer, int32_t day,
                                         int64_t* out_points) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(ledger);
  CARTEIRA_CHECK_ARG(out_points);
  CARTEIRA_RETURN_IF_ERROR(CheckCustomerDay(ledger, customer, day, __func__));
  *out_points = ledger->impl->Balance(customer, day);
  CARTEIRA_API_END();
}

carteira_status carteira_loyalty_expiring_within(const carteira_loyalty_ledger* ledger, uint32_t customer,
                                                 int32_t day, int32_t days, int64_t* out_points) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(ledger);
  CARTEIRA_CHECK_ARG(out_points);
  CARTEIRA_RETURN_IF_ERROR(CheckCustomerDay(ledger, customer, day, __func__));
  if (days < 0 || days > 36500) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT,
                        carteira::StrCat(__func__, ": days must be from 0 to 36500, got ", days));
  }
  *out_points = ledger->impl->ExpiringWithin(customer, day, days);
  CARTEIRA_API_END();
}

carteira_status carteira_loyalty_balances(const carteira_loyalty_ledger* ledger, int32_t day, int64_t* out_points,
                                          size_t count) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(ledger);
  CARTEIRA_RETURN_IF_ERROR(CheckFresh(ledger));
  CARTEIRA_RETURN_IF_ERROR(CheckDay(day, "day", true));
  const size_t n = ledger->impl->portfolio().customers().size();
  if (count != n) {
    return SetLastError(CARTEIRA_INVALID_ARGUMENT, carteira::StrCat(__func__, ": count is ", count,
                                                                    ", the portfolio has ", n, " customers"));
  }
  if (n > 0) CARTEIRA_CHECK_ARG(out_points);
  for (size_t c = 0; c < n; ++c) out_points[c] = ledger->impl->Balance(static_cast<carteira::CustomerIndex>(c), day);
  CARTEIRA_API_END();
}

carteira_status carteira_loyalty_tier(const carteira_loyalty_ledger* ledger, uint32_t customer, int32_t day,
                                      carteira_tier_standing* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(ledger);
  CARTEIRA_CHECK_ARG(out);
  if (const carteira_status s = CheckStructSize(out->struct_size, kTierStandingV1, "carteira_tier_standing");
      s != CARTEIRA_OK) {
    return s;
  }
  CARTEIRA_RETURN_IF_ERROR(CheckCustomerDay(ledger, customer, day, __func__));
  const carteira::TierStanding t = ledger->impl->Tier(customer, day);
  const carteira::LoyaltyRules& rules = ledger->impl->rules();
  out->tier = t.tier;
  out->next = t.next;
  out->spend = t.spend;
  out->to_next = t.to_next;
  out->tier_name = TierName(rules, t.tier);
  out->next_name = TierName(rules, t.next);
  CARTEIRA_API_END();
}

carteira_status carteira_loyalty_entry_count(const carteira_loyalty_ledger* ledger, size_t* out_count) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(ledger);
  CARTEIRA_CHECK_ARG(out_count);
  *out_count = ledger->impl->entries().size();
  CARTEIRA_API_END();
}

carteira_status carteira_loyalty_entry_get(const carteira_loyalty_ledger* ledger, size_t index,
                                           carteira_ledger_entry* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(ledger);
  CARTEIRA_CHECK_ARG(out);
  if (const carteira_status s = CheckStructSize(out->struct_size, kLedgerEntryV1, "carteira_ledger_entry");
      s != CARTEIRA_OK) {
    return s;
  }
  const auto& entries = ledger->impl->entries();
  if (index >= entries.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE, carteira::StrCat(__func__, ": entry ", index, " of ", entries.size()));
  }
  const carteira::LedgerEntry& e = entries[index];
  out->id = e.id;
  out->customer = e.customer;
  out->day = e.day;
  out->kind = static_cast<int32_t>(e.kind);
  out->points = e.points;
  out->expires = e.expires;
  out->reverses = e.reverses;
  out->reference = e.reference.c_str();
  out->note = e.note.c_str();
  CARTEIRA_API_END();
}

// ---- automation -----------------------------------------------------------------------

carteira_status carteira_automation_call_set_error(carteira_automation_call* call, const char* message) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(call);
  call->error = message == nullptr ? "" : message;
  CARTEIRA_API_END();
}

carteira_status carteira_automation_create(carteira_automation** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = new carteira_automation;
  CARTEIRA_API_END();
}

void carteira_automation_destroy(carteira_automation* automation) { delete automation; }

carteira_status carteira_automation_add_handler(carteira_automation* automation, const char* name,
                                                const carteira_automation_vtable* vtable, void* user_data) {
  DestroyUnlessAdopted guard(vtable, user_data);
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(automation);
  CARTEIRA_CHECK_ARG(name);
  CARTEIRA_CHECK_ARG(vtable);
  if (const carteira_status s =
          CheckStructSize(vtable->struct_size, kAutomationVtableV1, "carteira_automation_vtable");
      s != CARTEIRA_OK) {
    return s;
  }
  if (*name == '\0') return SetLastError(CARTEIRA_INVALID_ARGUMENT, "the handler name is empty");
  carteira_automation_vtable copy = CARTEIRA_AUTOMATION_VTABLE_INIT;
  copy.on_transition = vtable->on_transition;
  copy.on_new_task = vtable->on_new_task;
  copy.on_tier_change = vtable->on_tier_change;
  copy.destroy = vtable->destroy;
  auto handler = std::make_unique<CHandler>(name, copy, user_data);
  guard.Adopted();  // the handler owns destroy from here, whatever happens next
  automation->impl.AddHandler(std::move(handler));
  CARTEIRA_API_END();
}

carteira_status carteira_automation_run(const carteira_automation* automation, const carteira_status_engine* engine,
                                        const carteira_loyalty_ledger* ledger, int32_t from, int32_t to,
                                        const char* const* known_task_keys, size_t known_count,
                                        const carteira_agenda_options* agenda, carteira_automation_report** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  CARTEIRA_CHECK_ARG(automation);
  CARTEIRA_CHECK_ARG(engine);
  if (known_count > 0) CARTEIRA_CHECK_ARG(known_task_keys);
  CARTEIRA_RETURN_IF_ERROR(CheckDay(from, "from", true));
  CARTEIRA_RETURN_IF_ERROR(CheckDay(to, "to", true));
  if (ledger != nullptr) CARTEIRA_RETURN_IF_ERROR(CheckFresh(ledger));
  carteira::AutomationInput in;
  in.from = from;
  in.to = to;
  if (agenda != nullptr) {
    if (const carteira_status s = CheckStructSize(agenda->struct_size, kAgendaOptionsV1, "carteira_agenda_options");
        s != CARTEIRA_OK) {
      return s;
    }
    CARTEIRA_RETURN_IF_ERROR(ReadAgendaOptions(agenda, /*read_as_of=*/false, &in.agenda));
  }
  std::vector<std::string> keys;
  keys.reserve(known_count);
  for (size_t i = 0; i < known_count; ++i) {
    if (known_task_keys[i] == nullptr) {
      return SetLastError(CARTEIRA_INVALID_ARGUMENT, carteira::StrCat(__func__, ": known_task_keys[", i, "] is NULL"));
    }
    keys.emplace_back(known_task_keys[i]);
  }
  in.known_task_keys = keys;
  const carteira::Portfolio& portfolio = engine->impl->portfolio();
  const RunContext context{&portfolio, ledger != nullptr ? &ledger->impl->rules() : nullptr};
  struct Running {  // sets `running` for the C handlers, on every path
    explicit Running(const RunContext* c) : saved(running) { running = c; }
    ~Running() { running = saved; }
    const RunContext* saved;
  } scope(&context);
  auto report = automation->impl.Run(portfolio, *engine->impl, ledger != nullptr ? &*ledger->impl : nullptr, in);
  CARTEIRA_RETURN_IF_ERROR(report.status());
  auto handle = std::make_unique<carteira_automation_report>();
  handle->impl = std::move(*report);
  for (const carteira::AutomationFailure& f : handle->impl.failures) {
    handle->customer_ids.emplace_back(portfolio.customers().id[f.customer]);
  }
  *out = handle.release();
  CARTEIRA_API_END();
}

void carteira_automation_report_destroy(carteira_automation_report* report) { delete report; }

carteira_status carteira_automation_report_counts(const carteira_automation_report* report,
                                                  carteira_automation_counts* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(report);
  CARTEIRA_CHECK_ARG(out);
  if (const carteira_status s =
          CheckStructSize(out->struct_size, kAutomationCountsV1, "carteira_automation_counts");
      s != CARTEIRA_OK) {
    return s;
  }
  const carteira::AutomationReport& r = report->impl;
  out->from = r.from;
  out->to = r.to;
  out->transitions = r.transitions;
  out->new_tasks = r.new_tasks;
  out->tier_changes = r.tier_changes;
  out->calls = r.calls;
  out->delivered = r.delivered;
  out->failures = r.failures.size();
  CARTEIRA_API_END();
}

carteira_status carteira_automation_report_failure(const carteira_automation_report* report, size_t index,
                                                   carteira_automation_failure* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(report);
  CARTEIRA_CHECK_ARG(out);
  if (const carteira_status s =
          CheckStructSize(out->struct_size, kAutomationFailureV1, "carteira_automation_failure");
      s != CARTEIRA_OK) {
    return s;
  }
  const auto& failures = report->impl.failures;
  if (index >= failures.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE,
                        carteira::StrCat(__func__, ": failure ", index, " of ", failures.size()));
  }
  const carteira::AutomationFailure& f = failures[index];
  out->kind = static_cast<int32_t>(f.kind);
  out->customer = f.customer;
  out->customer_id = report->customer_ids[index].c_str();
  out->handler = f.handler.c_str();
  out->message = f.message.c_str();
  CARTEIRA_API_END();
}

}  // extern "C"
