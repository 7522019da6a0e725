/* Retention actions from C11: the agenda on the sample as of 2026-10-31
 * (options, tasks, order, errors), the loyalty ledger on the sample with
 * examples/loyalty_rules.json and on a small hand-built portfolio (earn,
 * redeem refused beyond the balance, adjust, reverse, expire, tiers,
 * entries), and automation with two C handlers (vtable + user data +
 * destroy exactly once; one fails, nothing else stops). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_test.h"
#include "carteira/carteira.h"

/* A handler's record of what it was told, in call order. */
typedef struct handler_state {
  long transitions, new_tasks, tier_changes;
  int destroyed;
  int fail_first_transition;
  int order_ok;       /* every call came in the documented order */
  int last_kind;      /* the kind of the previous call */
  int32_t last_date;  /* the previous transition's date */
  char last_id[32];   /* and its customer id */
} handler_state;

static int32_t on_transition(void* user_data, const carteira_transition_event* e, carteira_automation_call* call) {
  handler_state* h = (handler_state*)user_data;
  if (h->last_kind > CARTEIRA_EVENT_TRANSITION) h->order_ok = 0;
  if (h->transitions > 0 && (e->date < h->last_date || (e->date == h->last_date && strcmp(e->customer_id, h->last_id) <= 0))) {
    h->order_ok = 0;
  }
  h->last_kind = CARTEIRA_EVENT_TRANSITION;
  h->last_date = e->date;
  strncpy(h->last_id, e->customer_id, sizeof h->last_id - 1);
  ++h->transitions;
  if (e->struct_size < sizeof(carteira_transition_event) || e->from == e->to) h->order_ok = 0;
  if (h->fail_first_transition && h->transitions == 1) {
    if (carteira_automation_call_set_error(call, "the CRM refused the first one") != CARTEIRA_OK) return CARTEIRA_INTERNAL;
    return CARTEIRA_UNAVAILABLE;
  }
  return CARTEIRA_OK;
}

static int32_t on_new_task(void* user_data, const carteira_task* task, carteira_automation_call* call) {
  handler_state* h = (handler_state*)user_data;
  (void)call;
  if (h->last_kind > CARTEIRA_EVENT_NEW_TASK) h->order_ok = 0;
  h->last_kind = CARTEIRA_EVENT_NEW_TASK;
  if (task->key == NULL || strchr(task->key, ':') == NULL) h->order_ok = 0;
  ++h->new_tasks;
  return CARTEIRA_OK;
}

static int32_t on_tier_change(void* user_data, const carteira_tier_change* c, carteira_automation_call* call) {
  handler_state* h = (handler_state*)user_data;
  (void)call;
  h->last_kind = CARTEIRA_EVENT_TIER_CHANGE;
  if (c->from_tier == c->to_tier || c->customer_id == NULL || c->to_name == NULL) h->order_ok = 0;
  ++h->tier_changes;
  return CARTEIRA_OK;
}

static void release(void* user_data) { ((handler_state*)user_data)->destroyed += 1; }

static int32_t day(const char* text) {
  int32_t d = CARTEIRA_NO_DAY;
  if (carteira_parse_date(text, &d) != CARTEIRA_OK) ++failures;
  return d;
}

static void agenda_tests(carteira_status_engine* engine, int32_t as_of, carteira_portfolio_counts counts) {
  carteira_agenda_options options = CARTEIRA_AGENDA_OPTIONS_INIT;
  carteira_agenda_options from_init;
  carteira_agenda* agenda = NULL;
  carteira_agenda* renewals = NULL;
  carteira_agenda* bad = NULL;
  carteira_task task = CARTEIRA_TASK_INIT;
  size_t n = 0, i, types[CARTEIRA_TASK_TYPE_COUNT] = {0};
  int32_t type = -1, previous_due = CARTEIRA_NO_DAY;
  int ordered = 1, valid = 1;

  EXPECT(strcmp(carteira_task_type_name(CARTEIRA_TASK_NPS_SURVEY), "nps_survey") == 0);
  EXPECT(carteira_task_type_name(CARTEIRA_TASK_TYPE_COUNT) == NULL);
  EXPECT(carteira_task_type_parse("follow_up", &type) == CARTEIRA_OK && type == CARTEIRA_TASK_FOLLOW_UP);
  EXPECT(carteira_task_type_parse("calls", &type) == CARTEIRA_INVALID_ARGUMENT);
  memset(&from_init, 0xAB, sizeof from_init);
  carteira_agenda_options_init(&from_init, sizeof from_init);
  EXPECT(memcmp(&from_init, &options, sizeof options) == 0);

  /* as_of is required. */
  EXPECT(carteira_agenda_build(engine, &options, &agenda) == CARTEIRA_INVALID_ARGUMENT && agenda == NULL);
  options.as_of = as_of;
  EXPECT(carteira_agenda_build(engine, &options, &agenda) == CARTEIRA_OK);
  EXPECT(carteira_agenda_size(agenda, &n) == CARTEIRA_OK && n > 0);
  for (i = 0; i < n; ++i) {
    EXPECT(carteira_agenda_task_get(agenda, i, &task) == CARTEIRA_OK);
    if (previous_due != CARTEIRA_NO_DAY && task.due < previous_due) ordered = 0;
    previous_due = task.due;
    if (task.type < 0 || task.type >= CARTEIRA_TASK_TYPE_COUNT || task.priority < 0 || task.priority > 100 ||
        (int64_t)task.customer >= counts.customers || task.rep >= counts.reps ||
        strncmp(task.key, carteira_task_type_name(task.type), strlen(carteira_task_type_name(task.type))) != 0 ||
        strlen(task.reason) == 0 || task.overdue != (task.due < as_of) || task.due > as_of + 7) {
      valid = 0;
    } else {
      ++types[task.type];
    }
  }
  EXPECT(ordered && valid);
  EXPECT(types[CARTEIRA_TASK_RENEWAL] > 0 && types[CARTEIRA_TASK_VISIT] > 0 && types[CARTEIRA_TASK_REACTIVATION] > 0);
  EXPECT(carteira_agenda_task_get(agenda, n, &task) == CARTEIRA_OUT_OF_RANGE);

  /* One type only, with the urgent stage sooner. */
  options.task_types = 1u << CARTEIRA_TASK_RENEWAL;
  EXPECT(carteira_agenda_build(engine, &options, &renewals) == CARTEIRA_OK);
  EXPECT(carteira_agenda_size(renewals, &n) == CARTEIRA_OK && n == types[CARTEIRA_TASK_RENEWAL]);
  EXPECT(carteira_agenda_task_get(renewals, 0, &task) == CARTEIRA_OK && task.type == CARTEIRA_TASK_RENEWAL);
  EXPECT(strstr(task.reason, "ends on") != NULL);

  /* Purchase windows (0.2): not in the default set, asked for by bit. */
  EXPECT(types[CARTEIRA_TASK_PURCHASE_WINDOW] == 0);
  EXPECT(strcmp(carteira_task_type_name(CARTEIRA_TASK_PURCHASE_WINDOW), "purchase_window") == 0);
  EXPECT(carteira_task_type_parse("purchase_window", &type) == CARTEIRA_OK && type == CARTEIRA_TASK_PURCHASE_WINDOW);
  {
    carteira_agenda* windows = NULL;
    carteira_agenda* sooner = NULL;
    carteira_agenda* old_caller = NULL;
    size_t n_windows = 0, n_sooner = 0, n_old = 0;
    int lead_ok = 1;
    options.task_types = 1u << CARTEIRA_TASK_PURCHASE_WINDOW;
    EXPECT(carteira_agenda_build(engine, &options, &windows) == CARTEIRA_OK);
    EXPECT(carteira_agenda_size(windows, &n_windows) == CARTEIRA_OK && n_windows > 0);
    EXPECT(carteira_agenda_task_get(windows, 0, &task) == CARTEIRA_OK && task.type == CARTEIRA_TASK_PURCHASE_WINDOW);
    EXPECT(strstr(task.reason, "next purchase expected") != NULL && task.due == task.anchor - 2);
    /* Calling 10 days ahead reaches windows further off. */
    options.purchase_window_lead_days = 10;
    EXPECT(carteira_agenda_build(engine, &options, &sooner) == CARTEIRA_OK);
    EXPECT(carteira_agenda_size(sooner, &n_sooner) == CARTEIRA_OK && n_sooner > n_windows);
    for (i = 0; i < n_sooner; ++i) {
      if (carteira_agenda_task_get(sooner, i, &task) != CARTEIRA_OK || task.due != task.anchor - 10) lead_ok = 0;
    }
    EXPECT(lead_ok);
    /* A caller built against 0.1 passes a struct without the window's
     * fields: the defaults hold whatever lies beyond it. */
    options.struct_size = (uint32_t)offsetof(carteira_agenda_options, purchase_window_lead_days);
    EXPECT(carteira_agenda_build(engine, &options, &old_caller) == CARTEIRA_OK);
    EXPECT(carteira_agenda_size(old_caller, &n_old) == CARTEIRA_OK && n_old == n_windows);
    options.struct_size = sizeof options;
    options.purchase_window_lead_days = -1;
    EXPECT(carteira_agenda_build(engine, &options, &bad) == CARTEIRA_INVALID_ARGUMENT && bad == NULL);
    EXPECT(strstr(carteira_last_error_message(), "purchase_window_lead_days") != NULL);
    options.purchase_window_lead_days = 2;
    carteira_agenda_destroy(windows);
    carteira_agenda_destroy(sooner);
    carteira_agenda_destroy(old_caller);
  }

  /* Errors. */
  options.task_types = 0;
  EXPECT(carteira_agenda_build(engine, &options, &bad) == CARTEIRA_INVALID_ARGUMENT && bad == NULL);
  EXPECT(strstr(carteira_last_error_message(), "task_types") != NULL);
  options.task_types = CARTEIRA_TASK_TYPES_ALL;
  options.horizon_days = -1;
  EXPECT(carteira_agenda_build(engine, &options, &bad) == CARTEIRA_INVALID_ARGUMENT);
  options.horizon_days = 7;
  options.expected_value_count = 3;
  EXPECT(carteira_agenda_build(engine, &options, &bad) == CARTEIRA_INVALID_ARGUMENT);
  options.expected_value_count = 0;
  options.struct_size = 8;
  EXPECT(carteira_agenda_build(engine, &options, &bad) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(strstr(carteira_last_error_message(), "struct_size too small") != NULL);
  task.struct_size = 4;
  EXPECT(carteira_agenda_task_get(renewals, 0, &task) == CARTEIRA_INVALID_ARGUMENT);
  carteira_agenda_destroy(agenda);
  carteira_agenda_destroy(renewals);
  carteira_agenda_destroy(NULL);
}

/* A two-customer portfolio: every ledger operation with known figures. */
static void hand_built_ledger_tests(void) {
  carteira_portfolio* p = NULL;
  carteira_loyalty_ledger* ledger = NULL;
  carteira_loyalty_ledger* bad = NULL;
  const char* ids[] = {"ANA", "BIA"};
  uint32_t index[2];
  uint32_t who[2];
  int32_t dates[2];
  int64_t amounts[2] = {10000, 20000}; /* 100.00 and 200.00 */
  carteira_transaction_columns tx = CARTEIRA_TRANSACTION_COLUMNS_INIT;
  carteira_tier_standing tier = CARTEIRA_TIER_STANDING_INIT;
  carteira_ledger_entry entry = CARTEIRA_LEDGER_ENTRY_INIT;
  size_t appended = 0, count = 0;
  uint64_t redeemed = 0, id = 0;
  int64_t points = -1;
  const char* rules =
      "{\"unit\": \"1,00\", \"expiry_months\": 6, \"tiers\": [{\"name\": \"Bronze\", \"min_spend\": \"0\"},"
      " {\"name\": \"Prata\", \"min_spend\": \"1.000,00\", \"multiplier\": 150}]}";

  EXPECT(carteira_portfolio_create(&p) == CARTEIRA_OK);
  EXPECT(carteira_portfolio_intern_customers(p, ids, 2, index) == CARTEIRA_OK);
  who[0] = who[1] = index[0];
  dates[0] = day("2025-01-01");
  dates[1] = day("2025-03-01");
  tx.count = 2;
  tx.customer_index = who;
  tx.date = dates;
  tx.amount = amounts;
  EXPECT(carteira_portfolio_append_transactions(p, &tx) == CARTEIRA_OK);

  EXPECT(carteira_loyalty_ledger_create(p, "{\"unit\": 100}", &bad) == CARTEIRA_INVALID_ARGUMENT && bad == NULL);
  EXPECT(strstr(carteira_last_error_message(), "rules.unit: expected an amount as a string") != NULL);
  EXPECT(carteira_loyalty_ledger_create_from_file(p, "/nonexistent/rules.json", &bad) == CARTEIRA_NOT_FOUND);
  EXPECT(carteira_loyalty_ledger_create(p, rules, &ledger) == CARTEIRA_OK);

  EXPECT(carteira_loyalty_earn_from_transactions(ledger, day("2025-03-31"), &appended) == CARTEIRA_OK && appended == 2);
  EXPECT(carteira_loyalty_balance(ledger, index[0], day("2025-04-01"), &points) == CARTEIRA_OK && points == 300);
  /* A redemption beyond the balance is refused, with the figures. */
  EXPECT(carteira_loyalty_redeem(ledger, index[0], day("2025-04-01"), 301, "R0", &redeemed) ==
         CARTEIRA_FAILED_PRECONDITION);
  EXPECT(strstr(carteira_last_error_message(), "redeeming 301 points exceeds the balance of 300 on 2025-04-01") != NULL);
  EXPECT(carteira_loyalty_redeem(ledger, index[0], day("2025-04-01"), 150, "R1", &redeemed) == CARTEIRA_OK &&
         redeemed == 3);
  EXPECT(carteira_loyalty_balance(ledger, index[0], day("2025-04-01"), &points) == CARTEIRA_OK && points == 150);
  EXPECT(carteira_loyalty_adjust(ledger, index[0], day("2025-04-02"), -30, "goodwill mistake", &id) == CARTEIRA_OK &&
         id == 4);
  EXPECT(carteira_loyalty_reverse(ledger, redeemed, day("2025-04-03"), "cancelled", &id) == CARTEIRA_OK && id == 5);
  EXPECT(carteira_loyalty_reverse(ledger, redeemed, day("2025-04-03"), "again", &id) == CARTEIRA_FAILED_PRECONDITION);
  EXPECT(carteira_loyalty_reverse(ledger, 99, day("2025-04-03"), "", &id) == CARTEIRA_NOT_FOUND);
  EXPECT(carteira_loyalty_balance(ledger, index[0], day("2025-04-03"), &points) == CARTEIRA_OK && points == 270);
  /* The March lot (120 left) expires on 2025-09-01. */
  EXPECT(carteira_loyalty_expiring_within(ledger, index[0], day("2025-08-15"), 30, &points) == CARTEIRA_OK &&
         points == 120);
  EXPECT(carteira_loyalty_expire_until(ledger, day("2025-09-01"), &appended) == CARTEIRA_OK && appended == 1);
  EXPECT(carteira_loyalty_balance(ledger, index[0], day("2025-09-01"), &points) == CARTEIRA_OK && points == 150);
  EXPECT(carteira_loyalty_entry_count(ledger, &count) == CARTEIRA_OK && count == 6);
  EXPECT(carteira_loyalty_entry_get(ledger, 5, &entry) == CARTEIRA_OK);
  EXPECT(entry.id == 6 && entry.kind == CARTEIRA_LEDGER_EXPIRE && entry.points == -120 && entry.reverses == 2);
  EXPECT(strcmp(entry.note, "earned 2025-03-01, expired 2025-09-01") == 0);
  EXPECT(strcmp(carteira_ledger_kind_name(entry.kind), "expire") == 0 && carteira_ledger_kind_name(5) == NULL);
  EXPECT(carteira_loyalty_entry_get(ledger, 0, &entry) == CARTEIRA_OK);
  EXPECT(entry.kind == CARTEIRA_LEDGER_EARN && entry.points == 100 && entry.expires == day("2025-07-01"));
  EXPECT(strcmp(entry.note, "purchase of 100.00; tier Bronze 100%") == 0 && strcmp(entry.reference, "") == 0);
  EXPECT(carteira_loyalty_entry_get(ledger, 6, &entry) == CARTEIRA_OUT_OF_RANGE);
  /* Tiers: 300.00 spent, Prata needs 1,000.00. */
  EXPECT(carteira_loyalty_tier(ledger, index[0], day("2025-04-01"), &tier) == CARTEIRA_OK);
  EXPECT(tier.tier == 0 && tier.next == 1 && tier.spend == 30000 && tier.to_next == 70000);
  EXPECT(strcmp(tier.tier_name, "Bronze") == 0 && strcmp(tier.next_name, "Prata") == 0);
  /* Entries are dated in order; customers in range. */
  EXPECT(carteira_loyalty_adjust(ledger, index[0], day("2025-01-15"), 5, "late", &id) == CARTEIRA_FAILED_PRECONDITION);
  EXPECT(carteira_loyalty_balance(ledger, 7, day("2025-04-01"), &points) == CARTEIRA_OUT_OF_RANGE);
  EXPECT(carteira_loyalty_redeem(ledger, index[1], day("2025-04-01"), 1, NULL, NULL) == CARTEIRA_FAILED_PRECONDITION);
  EXPECT(carteira_loyalty_balance(ledger, index[0], CARTEIRA_NO_DAY, &points) == CARTEIRA_INVALID_ARGUMENT);
  carteira_loyalty_ledger_destroy(ledger);
  carteira_loyalty_ledger_destroy(NULL);
  carteira_portfolio_destroy(p);
}

int main(int argc, char** argv) {
  carteira_portfolio* portfolio = NULL;
  carteira_import_report* report = NULL;
  carteira_status_policy* policy = NULL;
  carteira_status_engine* engine = NULL;
  carteira_loyalty_ledger* ledger = NULL;
  carteira_agenda* agenda = NULL;
  carteira_automation* automation = NULL;
  carteira_automation_report* run = NULL;
  carteira_automation_vtable all = CARTEIRA_AUTOMATION_VTABLE_INIT;
  carteira_automation_vtable tasks_only = CARTEIRA_AUTOMATION_VTABLE_INIT;
  carteira_automation_counts counts = CARTEIRA_AUTOMATION_COUNTS_INIT;
  carteira_automation_failure failure = CARTEIRA_AUTOMATION_FAILURE_INIT;
  carteira_portfolio_counts sizes = CARTEIRA_PORTFOLIO_COUNTS_INIT;
  carteira_tier_standing tier = CARTEIRA_TIER_STANDING_INIT;
  carteira_task task = CARTEIRA_TASK_INIT;
  handler_state first = {0, 0, 0, 0, 1, 1, 0, CARTEIRA_NO_DAY, ""};
  handler_state second = {0, 0, 0, 0, 0, 1, 0, CARTEIRA_NO_DAY, ""};
  handler_state rejected = {0, 0, 0, 0, 0, 1, 0, CARTEIRA_NO_DAY, ""};
  const char* known[1];
  size_t agenda_size = 0, appended = 0, entries = 0;
  int32_t as_of, from;
  uint32_t c;
  int64_t balance = 0, expiring = 0, total = 0;
  if (argc < 3) {
    fprintf(stderr, "usage: %s SAMPLE_DIR RULES_FILE\n", argv[0]);
    return 2;
  }
  EXPECT(carteira_portfolio_create(&portfolio) == CARTEIRA_OK);
  EXPECT(carteira_import_directory(portfolio, argv[1], NULL, &report) == CARTEIRA_OK);
  carteira_import_report_destroy(report);
  EXPECT(carteira_portfolio_get_counts(portfolio, &sizes) == CARTEIRA_OK);
  as_of = day("2026-10-31");
  from = day("2026-09-30");
  EXPECT(carteira_status_policy_default(&policy) == CARTEIRA_OK);
  EXPECT(carteira_status_engine_create(portfolio, policy, &engine) == CARTEIRA_OK);

  agenda_tests(engine, as_of, sizes);
  hand_built_ledger_tests();

  /* The ledger on the sample with the example rules. */
  EXPECT(carteira_loyalty_ledger_create_from_file(portfolio, argv[2], &ledger) == CARTEIRA_OK);
  EXPECT(carteira_loyalty_earn_from_transactions(ledger, as_of, &appended) == CARTEIRA_OK && appended > 1000);
  EXPECT(carteira_loyalty_expire_until(ledger, as_of, &appended) == CARTEIRA_OK && appended > 0);
  EXPECT(carteira_loyalty_entry_count(ledger, &entries) == CARTEIRA_OK && entries > 1000);
  for (c = 0; c < (uint32_t)sizes.customers; ++c) {
    EXPECT(carteira_loyalty_balance(ledger, c, as_of, &balance) == CARTEIRA_OK && balance >= 0);
    EXPECT(carteira_loyalty_expiring_within(ledger, c, as_of, 30, &expiring) == CARTEIRA_OK && expiring <= balance);
    total += balance;
  }
  EXPECT(total > 0);
  EXPECT(carteira_loyalty_tier(ledger, 0, as_of, &tier) == CARTEIRA_OK && tier.tier_name != NULL);

  /* Automation over October, one task already known. */
  {
    carteira_agenda_options options = CARTEIRA_AGENDA_OPTIONS_INIT;
    options.as_of = as_of;
    EXPECT(carteira_agenda_build(engine, &options, &agenda) == CARTEIRA_OK);
    EXPECT(carteira_agenda_size(agenda, &agenda_size) == CARTEIRA_OK);
    EXPECT(carteira_agenda_task_get(agenda, 0, &task) == CARTEIRA_OK);
    known[0] = task.key;
  }
  EXPECT(carteira_automation_create(&automation) == CARTEIRA_OK);
  all.on_transition = on_transition;
  all.on_new_task = on_new_task;
  all.on_tier_change = on_tier_change;
  all.destroy = release;
  tasks_only.on_new_task = on_new_task;
  tasks_only.destroy = release;
  EXPECT(carteira_automation_add_handler(automation, "crm", &all, &first) == CARTEIRA_OK);
  EXPECT(carteira_automation_add_handler(automation, "tasks", &tasks_only, &second) == CARTEIRA_OK);
  EXPECT(carteira_automation_add_handler(automation, "", &all, &rejected) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(rejected.destroyed == 1); /* released on the failed add */
  EXPECT(carteira_automation_run(automation, engine, ledger, as_of, from, NULL, 0, NULL, &run) ==
         CARTEIRA_INVALID_ARGUMENT && run == NULL);
  EXPECT(first.transitions == 0); /* bad input: no handler called */
  EXPECT(carteira_automation_run(automation, engine, ledger, from, as_of, known, 1, NULL, &run) == CARTEIRA_OK);
  EXPECT(carteira_automation_report_counts(run, &counts) == CARTEIRA_OK);
  EXPECT(counts.from == from && counts.to == as_of);
  EXPECT(counts.transitions > 0 && counts.tier_changes > 0);
  EXPECT(counts.new_tasks == agenda_size - 1);
  EXPECT(first.transitions == (long)counts.transitions && first.new_tasks == (long)counts.new_tasks &&
         first.tier_changes == (long)counts.tier_changes);
  EXPECT(second.new_tasks == (long)counts.new_tasks && second.transitions == 0);
  EXPECT(counts.calls == counts.transitions + 2 * counts.new_tasks + counts.tier_changes);
  EXPECT(counts.failures == 1 && counts.delivered == counts.calls - 1);
  EXPECT(first.order_ok && second.order_ok);
  EXPECT(carteira_automation_report_failure(run, 0, &failure) == CARTEIRA_OK);
  EXPECT(failure.kind == CARTEIRA_EVENT_TRANSITION && strcmp(failure.handler, "crm") == 0);
  EXPECT(strcmp(failure.message, "the CRM refused the first one") == 0 && strlen(failure.customer_id) > 0);
  EXPECT(carteira_automation_report_failure(run, 1, &failure) == CARTEIRA_OUT_OF_RANGE);
  carteira_automation_report_destroy(run);
  carteira_automation_destroy(automation);
  EXPECT(first.destroyed == 1 && second.destroyed == 1);

  carteira_agenda_destroy(agenda);
  carteira_loyalty_ledger_destroy(ledger);
  carteira_status_engine_destroy(engine);
  carteira_status_policy_destroy(policy);
  carteira_portfolio_destroy(portfolio);
  printf("%d passed, %d failed\n", passes, failures);
  return failures == 0 ? 0 : 1;
}
