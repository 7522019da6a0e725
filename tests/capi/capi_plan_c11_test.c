/* Redistribution plans from C11: a pipeline from the policy JSON plus a
 * plugin policy written in C (vtable + user data + destroy), the plan's
 * moves, unplaced customers, figures and fairness, JSON out and back,
 * apply (stale plans refused), the inverse, and errors, over the sample. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_test.h"
#include "carteira/carteira.h"

/* The plugin: moves the first unlocked, unmoved customer of rep `from` to
 * rep `to`, tries to move it again (refused), and records one unplaced. */
typedef struct policy_state {
  int32_t from, to;
  long runs;
  int destroyed;
  int fail;
  uint32_t moved;
  int32_t refused;
} policy_state;

static int32_t move_one(void* user_data, const carteira_portfolio* portfolio, carteira_plan_state* state) {
  policy_state* p = (policy_state*)user_data;
  carteira_portfolio_counts counts = CARTEIRA_PORTFOLIO_COUNTS_INIT;
  uint32_t c;
  int32_t as_of = 0;
  ++p->runs;
  if (p->fail) {
    if (carteira_plan_state_set_error(state, "no capacity data") != CARTEIRA_OK) return CARTEIRA_INTERNAL;
    return CARTEIRA_FAILED_PRECONDITION;
  }
  if (carteira_plan_state_as_of(state, &as_of) != CARTEIRA_OK) return CARTEIRA_INTERNAL;
  if (carteira_portfolio_get_counts(portfolio, &counts) != CARTEIRA_OK) return CARTEIRA_INTERNAL;
  for (c = 0; c < counts.customers; ++c) {
    carteira_plan_customer info = CARTEIRA_PLAN_CUSTOMER_INIT;
    if (carteira_plan_state_customer(state, c, &info) != CARTEIRA_OK) return CARTEIRA_INTERNAL;
    if (info.holder == p->from && !info.locked && !info.moved) {
      if (carteira_plan_state_move(state, c, p->to, "plugin_rule", "moved by the C plugin") != CARTEIRA_OK) {
        return CARTEIRA_INTERNAL;
      }
      p->moved = c;
      p->refused = carteira_plan_state_move(state, c, p->from, "again", "");
      if (carteira_plan_state_unplace(state, c + 1, "plugin_limit", "one a run") != CARTEIRA_OK) {
        return CARTEIRA_INTERNAL;
      }
      return CARTEIRA_OK;
    }
  }
  return CARTEIRA_NOT_FOUND;
}

static void release(void* user_data) { ((policy_state*)user_data)->destroyed += 1; }

int main(int argc, char** argv) {
  carteira_portfolio* portfolio = NULL;
  carteira_import_report* report = NULL;
  carteira_status_policy* policy = NULL;
  carteira_status_engine* engine = NULL;
  carteira_status_table* table = NULL;
  carteira_plan_pipeline* pipeline = NULL;
  carteira_plan_pipeline* bad = NULL;
  carteira_plan* plan = NULL;
  carteira_plan* again = NULL;
  carteira_plan* read = NULL;
  carteira_plan* undo = NULL;
  carteira_policy_vtable vtable = CARTEIRA_POLICY_VTABLE_INIT;
  carteira_plan_info info = CARTEIRA_PLAN_INFO_INIT;
  carteira_plan_move move = CARTEIRA_PLAN_MOVE_INIT;
  carteira_plan_unplaced unplaced = CARTEIRA_PLAN_UNPLACED_INIT;
  carteira_rep_figures before = CARTEIRA_REP_FIGURES_INIT, after = CARTEIRA_REP_FIGURES_INIT;
  carteira_fairness fair_before = CARTEIRA_FAIRNESS_INIT, fair_after = CARTEIRA_FAIRNESS_INIT;
  policy_state plugin = {0, 0, 0, 0, 0, 0, 0};
  const char* json = NULL;
  const char* json_again = NULL;
  const char* text = NULL;
  int32_t as_of = 0, r01 = -1, r02 = -1;
  size_t i, plugin_moves = 0, giro_moves = 0;
  long r02_delta = 0;
  if (argc < 2) {
    fprintf(stderr, "usage: %s SAMPLE_DIR\n", argv[0]);
    return 2;
  }
  EXPECT(carteira_portfolio_create(&portfolio) == CARTEIRA_OK);
  EXPECT(carteira_import_directory(portfolio, argv[1], NULL, &report) == CARTEIRA_OK);
  carteira_import_report_destroy(report);
  EXPECT(carteira_parse_date("2026-10-31", &as_of) == CARTEIRA_OK);
  EXPECT(carteira_status_policy_default(&policy) == CARTEIRA_OK);
  EXPECT(carteira_status_engine_create(portfolio, policy, &engine) == CARTEIRA_OK);
  EXPECT(carteira_status_classify(engine, as_of, &table) == CARTEIRA_OK);
  EXPECT(carteira_portfolio_find_rep(portfolio, "R01", &r01) == CARTEIRA_OK);
  EXPECT(carteira_portfolio_find_rep(portfolio, "R02", &r02) == CARTEIRA_OK);

  /* Rep ids by index (the reverse of find_rep). */
  {
    int32_t reps[2];
    char buffer[16];
    uint64_t offsets[3];
    size_t needed = 0;
    reps[0] = r02;
    reps[1] = r01;
    EXPECT(carteira_portfolio_rep_ids(portfolio, reps, 2, NULL, 0, NULL, &needed) == CARTEIRA_OK && needed == 6);
    EXPECT(carteira_portfolio_rep_ids(portfolio, reps, 2, buffer, sizeof buffer, offsets, &needed) == CARTEIRA_OK);
    EXPECT(offsets[1] == 3 && offsets[2] == 6 && memcmp(buffer, "R02R01", 6) == 0);
    reps[1] = -1;
    EXPECT(carteira_portfolio_rep_ids(portfolio, reps, 2, NULL, 0, NULL, &needed) == CARTEIRA_OUT_OF_RANGE);
  }

  /* Errors name the place. */
  EXPECT(carteira_plan_pipeline_from_json("{\"policies\": [{\"policy\": \"giro\"}]}", &bad) ==
         CARTEIRA_INVALID_ARGUMENT);
  EXPECT(bad == NULL);
  EXPECT(strstr(carteira_last_error_message(), "policies[0]: unknown policy 'giro'") != NULL);
  EXPECT(carteira_plan_pipeline_from_file("/nonexistent/policy.json", &bad) == CARTEIRA_NOT_FOUND);

  /* The giro, then the plugin. */
  EXPECT(carteira_plan_pipeline_from_json(
             "{\"policies\": [{\"policy\": \"rotate_at_risk\", \"max_moves_per_rep\": 2}]}", &pipeline) ==
         CARTEIRA_OK);
  plugin.from = r01;
  plugin.to = r02;
  vtable.run = move_one;
  vtable.destroy = release;
  EXPECT(carteira_plan_pipeline_add_policy(pipeline, "move_one", &vtable, &plugin) == CARTEIRA_OK);
  EXPECT(carteira_plan_build(portfolio, table, pipeline, &plan) == CARTEIRA_OK);
  EXPECT(plugin.runs == 1);
  EXPECT(plugin.refused == CARTEIRA_FAILED_PRECONDITION);
  EXPECT(carteira_plan_info_get(plan, &info) == CARTEIRA_OK);
  EXPECT(strncmp(info.id, "plan-", 5) == 0 && strlen(info.id) == 21);
  EXPECT(info.as_of == as_of);
  EXPECT(info.move_count > 1);
  for (i = 0; i < info.move_count; ++i) {
    EXPECT(carteira_plan_move_get(plan, i, &move) == CARTEIRA_OK);
    r02_delta += (move.to == r02) - (move.from == r02);
    if (strcmp(move.policy, "move_one") == 0) {
      ++plugin_moves;
      EXPECT(move.customer == plugin.moved && move.from == r01 && move.to == r02);
      EXPECT(strcmp(move.reason, "plugin_rule") == 0);
      EXPECT(move.effective == as_of && move.until == CARTEIRA_NO_DAY);
    } else {
      ++giro_moves;
      EXPECT(strcmp(move.policy, "rotate_at_risk") == 0 && strlen(move.explanation) > 20);
    }
  }
  EXPECT(plugin_moves == 1 && giro_moves == info.move_count - 1);
  EXPECT(carteira_plan_move_get(plan, info.move_count, &move) == CARTEIRA_OUT_OF_RANGE);
  EXPECT(info.unplaced_count >= 1);
  EXPECT(carteira_plan_unplaced_get(plan, info.unplaced_count - 1, &unplaced) == CARTEIRA_OK);
  EXPECT(strcmp(unplaced.policy, "move_one") == 0 && strcmp(unplaced.constraint, "plugin_limit") == 0);
  EXPECT(carteira_plan_infeasible_get(plan, 0, &text) == CARTEIRA_OUT_OF_RANGE);
  EXPECT(carteira_plan_rep_figures(plan, 0, r02, &before) == CARTEIRA_OK);
  EXPECT(carteira_plan_rep_figures(plan, 1, r02, &after) == CARTEIRA_OK);
  EXPECT(after.customers == before.customers + r02_delta);
  EXPECT(carteira_plan_rep_figures(plan, 1, 999, &after) == CARTEIRA_OUT_OF_RANGE);
  EXPECT(carteira_plan_fairness(plan, 0, &fair_before) == CARTEIRA_OK);
  EXPECT(carteira_plan_fairness(plan, 1, &fair_after) == CARTEIRA_OK);
  EXPECT(fair_before.reps == 23 && fair_before.min_load > 0 && !isnan(fair_before.max_min_ratio));
  EXPECT(fair_after.gini > 0 && fair_after.gini < 1);

  /* Same inputs, same JSON; read back. */
  EXPECT(carteira_plan_build(portfolio, table, pipeline, &again) == CARTEIRA_OK);
  EXPECT(carteira_plan_to_json(plan, &json) == CARTEIRA_OK);
  EXPECT(carteira_plan_to_json(again, &json_again) == CARTEIRA_OK);
  EXPECT(json != NULL && json_again != NULL && strcmp(json, json_again) == 0);
  EXPECT(strstr(json, "\"policy\": \"move_one\"") != NULL);
  EXPECT(carteira_plan_from_json(portfolio, json, &read) == CARTEIRA_OK);
  {
    carteira_plan_info read_info = CARTEIRA_PLAN_INFO_INIT;
    EXPECT(carteira_plan_info_get(read, &read_info) == CARTEIRA_OK);
    EXPECT(read_info.move_count == info.move_count && strcmp(read_info.id, info.id) == 0);
  }
  EXPECT(carteira_plan_from_json(portfolio, "{\"moves\": [{\"customer_id\": \"C00001\", \"to\": \"R99\"}]}",
                                 &undo) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(strstr(carteira_last_error_message(), "moves[0]") != NULL);

  /* Apply, refuse the stale plan, undo. */
  EXPECT(carteira_plan_apply(portfolio, read) == CARTEIRA_OK);
  EXPECT(carteira_plan_apply(portfolio, read) == CARTEIRA_FAILED_PRECONDITION);
  EXPECT(strstr(carteira_last_error_message(), "stale") != NULL);
  EXPECT(carteira_plan_inverse(read, CARTEIRA_NO_DAY, &undo) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(carteira_plan_inverse(read, as_of + 1, &undo) == CARTEIRA_OK);
  EXPECT(carteira_plan_apply(portfolio, undo) == CARTEIRA_OK);

  /* A failing plugin fails the plan with its message; NULL arguments. */
  plugin.fail = 1;
  carteira_plan_destroy(again);
  again = NULL;
  EXPECT(carteira_plan_build(portfolio, table, pipeline, &again) != CARTEIRA_OK);
  EXPECT(again == NULL);
  EXPECT(strstr(carteira_last_error_message(), "no capacity data") != NULL);
  EXPECT(carteira_plan_build(NULL, table, pipeline, &again) == CARTEIRA_INVALID_ARGUMENT);
  vtable.run = NULL;
  EXPECT(carteira_plan_pipeline_add_policy(pipeline, "broken", &vtable, &plugin) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(plugin.destroyed == 1); /* released on the failed add */

  carteira_plan_destroy(plan);
  carteira_plan_destroy(read);
  carteira_plan_destroy(undo);
  carteira_plan_pipeline_destroy(pipeline);
  EXPECT(plugin.destroyed == 2); /* and by the pipeline, once */
  carteira_status_table_destroy(table);
  carteira_status_engine_destroy(engine);
  carteira_status_policy_destroy(policy);
  carteira_portfolio_destroy(portfolio);
  printf("%d passed, %d failed\n", passes, failures);
  return failures == 0 ? 0 : 1;
}
