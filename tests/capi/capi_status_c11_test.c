/* The status engine from C11: policy, engine, a plugin rule written in C
 * (vtable + user data + destroy), classification, reasons, history and
 * transitions, over the sample portfolio. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_test.h"
#include "carteira/carteira.h"

/* The plugin's state: how often it ran and whether it was released. */
typedef struct rule_state {
  long calls;
  long vetoes;
  int destroyed;
  int fail;
} rule_state;

/* Loyal customers (10+ purchase-days) are never lost: veto it. */
static int32_t loyal_never_lost(void* user_data, const carteira_status_facts* facts,
                                carteira_status_decision* decision) {
  rule_state* state = (rule_state*)user_data;
  ++state->calls;
  if (state->fail && facts->customer_index == 7) {
    if (carteira_status_decision_set_error(decision, "no score for this customer") != CARTEIRA_OK) {
      return CARTEIRA_INTERNAL;
    }
    return CARTEIRA_FAILED_PRECONDITION;
  }
  if (facts->purchase_days >= 10 && facts->status == CARTEIRA_LIFECYCLE_LOST) {
    int32_t now = -1;
    ++state->vetoes;
    if (carteira_status_decision_veto(decision, CARTEIRA_LIFECYCLE_LOST, "loyal: 10+ purchase-days") !=
        CARTEIRA_OK) {
      return CARTEIRA_INTERNAL;
    }
    if (carteira_status_decision_get_status(decision, &now) != CARTEIRA_OK || now != CARTEIRA_LIFECYCLE_INACTIVE) {
      return CARTEIRA_INTERNAL;
    }
  }
  /* The purchase days are readable and ascending. */
  if (facts->purchase_days >= 2 &&
      facts->purchase_day_list[facts->purchase_days - 1] <= facts->purchase_day_list[0]) {
    return CARTEIRA_INTERNAL;
  }
  return CARTEIRA_OK;
}

/* Turns prospects into at_risk and explains it, through override. */
static int32_t prospects_at_risk(void* user_data, const carteira_status_facts* facts,
                                 carteira_status_decision* decision) {
  (void)user_data;
  if (facts->status == CARTEIRA_LIFECYCLE_PROSPECT) {
    return carteira_status_decision_override(decision, CARTEIRA_LIFECYCLE_AT_RISK, "never bought");
  }
  if (facts->status == CARTEIRA_LIFECYCLE_NEW) {
    return carteira_status_decision_add_reason(decision, "welcome call");
  }
  return CARTEIRA_OK;
}

static void release_state(void* user_data) { ((rule_state*)user_data)->destroyed += 1; }

int main(int argc, char** argv) {
  carteira_portfolio* portfolio = NULL;
  carteira_import_report* report = NULL;
  carteira_status_policy* policy = NULL;
  carteira_status_policy* bad = NULL;
  carteira_status_engine* engine = NULL;
  carteira_status_table* table = NULL;
  carteira_status_transitions* transitions = NULL;
  carteira_status_rule_vtable vtable = CARTEIRA_STATUS_RULE_VTABLE_INIT;
  carteira_status_rule_vtable override_vtable = CARTEIRA_STATUS_RULE_VTABLE_INIT;
  rule_state state = {0, 0, 0, 0};
  rule_state refused = {0, 0, 0, 0};
  rule_state failing = {0, 0, 0, 1};
  int64_t counts[CARTEIRA_LIFECYCLE_COUNT];
  int64_t* status = NULL;
  int64_t* rule = NULL;
  double* threshold = NULL;
  uint8_t* history = NULL;
  int32_t dates[2];
  int32_t as_of = 0, parsed = -1, from_status = -1;
  size_t rows = 0, i, length = 0, n_transitions = 0, plugin_rows = 0;
  int64_t total = 0;
  char reason[512];
  const char* json = NULL;
  const char* name = NULL;

  if (argc != 2) {
    fprintf(stderr, "usage: %s SAMPLE_DIR\n", argv[0]);
    return 2;
  }
  EXPECT(strcmp(carteira_lifecycle_name(CARTEIRA_LIFECYCLE_AT_RISK), "at_risk") == 0);
  EXPECT(carteira_lifecycle_name(99) == NULL);
  EXPECT(carteira_lifecycle_parse("reactivated", &parsed) == CARTEIRA_OK && parsed == 6);
  EXPECT(carteira_lifecycle_parse("perdido", &parsed) == CARTEIRA_INVALID_ARGUMENT);

  EXPECT(carteira_portfolio_create(&portfolio) == CARTEIRA_OK);
  EXPECT(carteira_import_directory(portfolio, argv[1], NULL, &report) == CARTEIRA_OK);
  carteira_import_report_destroy(report);
  EXPECT(carteira_parse_date("2026-10-31", &as_of) == CARTEIRA_OK);

  /* Policies: bad JSON names the key; the default round-trips as JSON. */
  EXPECT(carteira_status_policy_from_json("{\"recency\": {\"lost_after\": -1}}", &bad) ==
         CARTEIRA_INVALID_ARGUMENT);
  EXPECT(bad == NULL);
  EXPECT(strstr(carteira_last_error_message(), "recency.lost_after") != NULL);
  EXPECT(carteira_status_policy_fixed(200, 100, 300, &bad) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(carteira_status_policy_default(&policy) == CARTEIRA_OK);
  EXPECT(carteira_status_policy_to_json(policy, &json) == CARTEIRA_OK);
  EXPECT(json != NULL && strstr(json, "\"inactive_after\": 180") != NULL);
  carteira_status_policy_destroy(policy);
  policy = NULL;
  EXPECT(carteira_status_policy_from_json("{\"lifecycle\": {\"new_within\": 60}}", &policy) ==
         CARTEIRA_OK);

  EXPECT(carteira_status_engine_create(portfolio, policy, &engine) == CARTEIRA_OK);
  vtable.apply = loyal_never_lost;
  vtable.destroy = release_state;
  EXPECT(carteira_status_engine_add_rule(engine, "loyal_never_lost", &vtable, &state) == CARTEIRA_OK);
  override_vtable.apply = prospects_at_risk;
  EXPECT(carteira_status_engine_add_rule(engine, "prospects_at_risk", &override_vtable, NULL) == CARTEIRA_OK);
  /* A refused registration still releases the user data, at once. */
  EXPECT(carteira_status_engine_add_rule(engine, "loyal_never_lost", &vtable, &refused) ==
         CARTEIRA_ALREADY_EXISTS);
  EXPECT(refused.destroyed == 1);
  EXPECT(carteira_status_engine_add_rule(NULL, "x", &vtable, &refused) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(refused.destroyed == 2);

  EXPECT(carteira_status_classify(engine, as_of, &table) == CARTEIRA_OK);
  EXPECT(carteira_status_table_size(table, &rows) == CARTEIRA_OK);
  {
    /* No plugin rule reports figures here. */
    size_t fields = 99;
    EXPECT(carteira_status_table_field_count(table, &fields) == CARTEIRA_OK && fields == 0);
    EXPECT(carteira_status_table_field_count(NULL, &fields) == CARTEIRA_INVALID_ARGUMENT);
  }
  EXPECT(rows == 5000);
  EXPECT(state.calls == 5000);
  EXPECT(state.vetoes > 0);
  EXPECT(carteira_status_table_counts(table, counts, CARTEIRA_LIFECYCLE_COUNT) == CARTEIRA_OK);
  for (i = 0; i < CARTEIRA_LIFECYCLE_COUNT; ++i) total += counts[i];
  EXPECT(total == 5000);
  EXPECT(counts[CARTEIRA_LIFECYCLE_PROSPECT] == 0); /* the plugin turned them at_risk */
  EXPECT(carteira_status_table_counts(table, counts, 3) == CARTEIRA_OUT_OF_RANGE);

  status = (int64_t*)calloc(rows, sizeof *status);
  rule = (int64_t*)calloc(rows, sizeof *rule);
  threshold = (double*)calloc(rows, sizeof *threshold);
  EXPECT(status != NULL && rule != NULL && threshold != NULL);
  if (status != NULL && rule != NULL && threshold != NULL) {
    EXPECT(carteira_status_table_get_int64(table, CARTEIRA_STATUS_COL_STATUS, status, rows) == CARTEIRA_OK);
    EXPECT(carteira_status_table_get_int64(table, CARTEIRA_STATUS_COL_RULE, rule, rows) == CARTEIRA_OK);
    EXPECT(carteira_status_table_get_double(table, CARTEIRA_STATUS_COL_THRESHOLD_DAYS, threshold, rows) ==
           CARTEIRA_OK);
    EXPECT(carteira_status_table_get_int64(table, CARTEIRA_STATUS_COL_THRESHOLD_DAYS, status, rows) ==
           CARTEIRA_INVALID_ARGUMENT);
    EXPECT(carteira_status_table_get_int64(table, CARTEIRA_STATUS_COL_STATUS, status, rows - 1) ==
           CARTEIRA_OUT_OF_RANGE);
    for (i = 0; i < rows; ++i) {
      if (rule[i] != 16) continue; /* the first plugin's rule id */
      ++plugin_rows;
      EXPECT(status[i] == CARTEIRA_LIFECYCLE_INACTIVE);
      EXPECT(carteira_status_table_rule_name(table, i, &name) == CARTEIRA_OK);
      EXPECT(name != NULL && strcmp(name, "loyal_never_lost") == 0);
      EXPECT(carteira_status_table_reason(table, i, NULL, 0, &length) == CARTEIRA_OK);
      EXPECT(length > 0 && length < sizeof reason);
      EXPECT(carteira_status_table_reason(table, i, reason, length, &length) == CARTEIRA_OUT_OF_RANGE);
      EXPECT(carteira_status_table_reason(table, i, reason, sizeof reason, &length) == CARTEIRA_OK);
      EXPECT(strstr(reason, "loyal: 10+ purchase-days") != NULL);
      EXPECT(strlen(reason) == length);
      break;
    }
    EXPECT(plugin_rows == 1);
  }
  EXPECT(carteira_status_table_rule_name(table, rows, &name) == CARTEIRA_OUT_OF_RANGE);
  carteira_status_table_destroy(table);
  table = NULL;

  /* History at two month ends, and the transitions between them. */
  EXPECT(carteira_parse_date("2026-09-30", &dates[0]) == CARTEIRA_OK);
  dates[1] = as_of;
  history = (uint8_t*)calloc(2 * rows, 1);
  EXPECT(history != NULL);
  if (history != NULL && status != NULL) {
    EXPECT(carteira_status_history(engine, dates, 2, history, NULL, 2 * rows) == CARTEIRA_OK);
    for (i = 0; i < rows; ++i) {
      if ((int64_t)history[rows + i] != status[i]) break;
    }
    EXPECT(i == rows); /* the second date equals the classification above */
    EXPECT(carteira_status_history(engine, dates, 2, history, NULL, rows) == CARTEIRA_OUT_OF_RANGE);
    dates[1] = dates[0];
    EXPECT(carteira_status_history(engine, dates, 2, history, NULL, 2 * rows) == CARTEIRA_INVALID_ARGUMENT);
    dates[1] = as_of;
  }
  EXPECT(carteira_status_transitions_compute(engine, dates[0], dates[1], &transitions) == CARTEIRA_OK);
  EXPECT(carteira_status_transitions_size(transitions, &n_transitions) == CARTEIRA_OK);
  EXPECT(n_transitions > 0);
  if (n_transitions > 0) {
    uint32_t* customer = (uint32_t*)calloc(n_transitions, sizeof *customer);
    int32_t* from = (int32_t*)calloc(n_transitions, sizeof *from);
    int32_t* date = (int32_t*)calloc(n_transitions, sizeof *date);
    EXPECT(carteira_status_transitions_get(transitions, customer, from, NULL, date, NULL, n_transitions) ==
           CARTEIRA_OK);
    from_status = from[0];
    EXPECT(from_status >= 0 && from_status < CARTEIRA_LIFECYCLE_COUNT);
    EXPECT(date[0] > dates[0] && date[0] <= dates[1]);
    EXPECT(customer[0] < rows);
    EXPECT(carteira_status_transitions_get(transitions, customer, NULL, NULL, NULL, NULL, 0) ==
           CARTEIRA_OUT_OF_RANGE);
    free(customer);
    free(from);
    free(date);
  }
  carteira_status_transitions_destroy(transitions);

  /* The engine releases its rules' user data exactly once. */
  EXPECT(state.destroyed == 0);
  carteira_status_engine_destroy(engine);
  EXPECT(state.destroyed == 1);

  /* A failing rule fails the classification, naming rule and customer. */
  EXPECT(carteira_status_engine_create(portfolio, policy, &engine) == CARTEIRA_OK);
  vtable.apply = loyal_never_lost;
  EXPECT(carteira_status_engine_add_rule(engine, "scoring", &vtable, &failing) == CARTEIRA_OK);
  EXPECT(carteira_status_classify(engine, as_of, &table) == CARTEIRA_FAILED_PRECONDITION);
  EXPECT(table == NULL);
  EXPECT(strstr(carteira_last_error_message(), "status rule 'scoring' failed for customer 'C00008'") != NULL);
  EXPECT(strstr(carteira_last_error_message(), "no score for this customer") != NULL);
  carteira_status_engine_destroy(engine);
  EXPECT(failing.destroyed == 1);

  carteira_status_policy_destroy(policy);
  carteira_portfolio_destroy(portfolio);
  free(status);
  free(rule);
  free(threshold);
  free(history);
  printf("%d passed, %d failed\n", passes, failures);
  return failures == 0 ? 0 : 1;
}
