/* Sales opportunities from C11: cross-sell suggestions with their reasons,
 * next purchase windows and the week's list on the small basket of
 * tests/opportunities/cross_sell_test.cpp (the figures proved there); the
 * product mix and the ideal customer profile; no categories; error paths;
 * the holdout evaluation on the sample. */
#include <math.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_test.h"
#include "carteira/carteira.h"

static int32_t Day(const char* text) {
  int32_t day = CARTEIRA_NO_DAY;
  if (carteira_parse_date(text, &day) != CARTEIRA_OK) {
    fprintf(stderr, "bad date %s\n", text);
    exit(2);
  }
  return day;
}

/* c1-c3 buy A, B, C; c4 A, B; c5 A, D; c6 D; one purchase-day each except
 * c1 (days 0, 10, 20: a rhythm of 10 days). */
static carteira_portfolio* Basket(int with_categories) {
  const char* ids[] = {"c1", "c2", "c3", "c4", "c5", "c6"};
  uint32_t index[6];
  const uint32_t customer[] = {0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 5};
  const int32_t offset[] = {0, 10, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  const char* category[] = {"A", "B", "C", "A", "B", "C", "A", "B", "C", "A", "B", "A", "D", "D"};
  int32_t date[14];
  int64_t amount[14];
  size_t i;
  carteira_portfolio* p = NULL;
  carteira_transaction_columns t = CARTEIRA_TRANSACTION_COLUMNS_INIT;
  EXPECT(carteira_portfolio_create(&p) == CARTEIRA_OK);
  EXPECT(carteira_portfolio_intern_customers(p, ids, 6, index) == CARTEIRA_OK);
  for (i = 0; i < 14; ++i) {
    date[i] = Day("2025-01-01") + offset[i];
    amount[i] = 1000;
  }
  t.count = 14;
  t.customer_index = customer;
  t.date = date;
  t.amount = amount;
  t.category = with_categories ? category : NULL;
  EXPECT(carteira_portfolio_append_transactions(p, &t) == CARTEIRA_OK);
  return p;
}

static void TestSuggestionsAndWindows(void) {
  carteira_portfolio* p = Basket(1);
  carteira_opportunities* o = NULL;
  carteira_opportunities_options options = CARTEIRA_OPPORTUNITIES_OPTIONS_INIT;
  size_t rows = 0, categories = 0, needed = 0, count = 0, i;
  int64_t customer[16], category[16], because[16];
  double score[16], lift[16];
  const char* name = NULL;
  const char* note = NULL;
  int32_t basis[6], expected[6], from[6], to[6];
  uint32_t due[6];
  char text[512];
  uint64_t offsets[3];

  options.as_of = Day("2025-01-31");
  options.min_pair_customers = 1;
  EXPECT(carteira_opportunities_compute(p, &options, &o) == CARTEIRA_OK);
  EXPECT(carteira_opportunities_note(o, &note) == CARTEIRA_OK && strcmp(note, "") == 0);
  EXPECT(carteira_opportunities_category_count(o, &categories) == CARTEIRA_OK && categories == 4);
  EXPECT(carteira_opportunities_suggestion_count(o, &rows) == CARTEIRA_OK && rows == 8);
  EXPECT(carteira_opportunities_suggestion_int64(o, CARTEIRA_SUGGESTION_CUSTOMER_INDEX, customer, 16) == CARTEIRA_OK);
  EXPECT(carteira_opportunities_suggestion_int64(o, CARTEIRA_SUGGESTION_CATEGORY, category, 16) == CARTEIRA_OK);
  EXPECT(carteira_opportunities_suggestion_int64(o, CARTEIRA_SUGGESTION_BECAUSE, because, 16) == CARTEIRA_OK);
  EXPECT(carteira_opportunities_suggestion_double(o, CARTEIRA_SUGGESTION_SCORE, score, 16) == CARTEIRA_OK);
  EXPECT(carteira_opportunities_suggestion_double(o, CARTEIRA_SUGGESTION_LIFT, lift, 16) == CARTEIRA_OK);
  /* c1-c3: D; c4 (row 3): C because of B, lift 1.5, then D. */
  EXPECT(customer[3] == 3 && customer[4] == 3);
  EXPECT(carteira_opportunities_category(o, (size_t)category[3], &name) == CARTEIRA_OK && strcmp(name, "C") == 0);
  EXPECT(carteira_opportunities_category(o, (size_t)because[3], &name) == CARTEIRA_OK && strcmp(name, "B") == 0);
  EXPECT(fabs(score[3] - (3 / sqrt(15.0) + 3 / sqrt(12.0)) / 2) < 1e-6); /* summed as float */
  EXPECT(fabs(lift[3] - 1.5) < 1e-12);
  EXPECT(carteira_opportunities_reasons(o, 3, 2, NULL, 0, offsets, &needed) == CARTEIRA_OK);
  EXPECT(needed < sizeof text && offsets[0] == 0 && offsets[2] == needed);
  EXPECT(carteira_opportunities_reasons(o, 3, 2, text, sizeof text, offsets, &needed) == CARTEIRA_OK);
  EXPECT(strncmp(text, "75% of customers who buy B also buy C (lift 1.5; 3 customers)", (size_t)offsets[1]) == 0);
  EXPECT(carteira_opportunities_reasons(o, 3, 2, text, 4, offsets, &needed) == CARTEIRA_OUT_OF_RANGE);
  EXPECT(carteira_opportunities_reasons(o, 7, 2, NULL, 0, NULL, &needed) == CARTEIRA_OUT_OF_RANGE);
  EXPECT(carteira_opportunities_suggestion_int64(o, CARTEIRA_SUGGESTION_RANK, customer, 2) == CARTEIRA_OUT_OF_RANGE);
  EXPECT(carteira_opportunities_suggestion_int64(o, 9, customer, 16) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(strstr(carteira_last_error_message(), "carteira_opportunities_suggestion_int64: column 9") != NULL);
  EXPECT(carteira_opportunities_category(o, 4, &name) == CARTEIRA_OUT_OF_RANGE);

  /* Windows: c1 buys every 10 days (last 2025-01-21), the others once. */
  EXPECT(carteira_opportunities_next_purchase(o, basis, NULL, expected, from, to, 6) == CARTEIRA_OK);
  EXPECT(basis[0] == 2 && expected[0] == Day("2025-01-31") && from[0] == Day("2025-01-29") && to[0] == Day("2025-02-02"));
  EXPECT(basis[1] == 1 && expected[1] == CARTEIRA_NO_DAY);
  EXPECT(carteira_opportunities_next_purchase(o, basis, NULL, NULL, NULL, NULL, 5) == CARTEIRA_OUT_OF_RANGE);
  EXPECT(carteira_opportunities_entering_window(o, Day("2025-01-27"), NULL, 0, &count) == CARTEIRA_OK && count == 1);
  EXPECT(carteira_opportunities_entering_window(o, Day("2025-01-27"), due, 6, &count) == CARTEIRA_OK && due[0] == 0);
  EXPECT(carteira_opportunities_entering_window(o, Day("2025-01-30"), due, 6, &count) == CARTEIRA_OK && count == 0);
  carteira_opportunities_destroy(o);

  /* Bad options name the field. */
  options.top_k = 99;
  EXPECT(carteira_opportunities_compute(p, &options, &o) == CARTEIRA_INVALID_ARGUMENT && o == NULL);
  EXPECT(strstr(carteira_last_error_message(), "carteira_opportunities_options: cross-sell: top_k") != NULL);
  options.top_k = 0;
  options.as_of = CARTEIRA_NO_DAY;
  EXPECT(carteira_opportunities_compute(p, &options, &o) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(strstr(carteira_last_error_message(), "carteira_opportunities_options.as_of is required") != NULL);
  options.as_of = Day("2025-01-31");
  options.struct_size = 4;
  EXPECT(carteira_opportunities_compute(p, &options, &o) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(carteira_opportunities_compute(NULL, &options, &o) == CARTEIRA_INVALID_ARGUMENT);
  carteira_opportunities_destroy(NULL);
  carteira_portfolio_destroy(p);
  (void)i;
}

static void TestNoCategories(void) {
  carteira_portfolio* p = Basket(0);
  carteira_opportunities* o = NULL;
  carteira_opportunities_options options = CARTEIRA_OPPORTUNITIES_OPTIONS_INIT;
  carteira_mix* m = NULL;
  const char* note = NULL;
  size_t rows = 99;
  int32_t basis[6];
  options.as_of = Day("2025-01-31");
  EXPECT(carteira_opportunities_compute(p, &options, &o) == CARTEIRA_OK);
  EXPECT(carteira_opportunities_note(o, &note) == CARTEIRA_OK);
  EXPECT(strstr(note, "no transaction has a product category") != NULL);
  EXPECT(carteira_opportunities_suggestion_count(o, &rows) == CARTEIRA_OK && rows == 0);
  EXPECT(carteira_opportunities_next_purchase(o, basis, NULL, NULL, NULL, NULL, 6) == CARTEIRA_OK && basis[0] == 2);
  carteira_opportunities_destroy(o);
  EXPECT(carteira_mix_compute(p, Day("2025-01-01"), Day("2025-01-31"), CARTEIRA_MIX_NONE, &m) ==
         CARTEIRA_FAILED_PRECONDITION);
  EXPECT(m == NULL);
  carteira_portfolio_destroy(p);
}

static void TestMixAndIcp(void) {
  carteira_portfolio* p = Basket(1);
  carteira_mix* m = NULL;
  carteira_mix_group g = CARTEIRA_MIX_GROUP_INIT;
  carteira_icp* icp = NULL;
  carteira_icp_options io = CARTEIRA_ICP_OPTIONS_INIT;
  carteira_icp_info info = CARTEIRA_ICP_INFO_INIT;
  carteira_icp_value v = CARTEIRA_ICP_VALUE_INIT;
  size_t n = 0;
  int64_t buyers[4], revenue[4];
  int32_t breadth[6], drivers[18];
  double score[6];
  uint8_t best[6];
  const char* name = NULL;

  EXPECT(carteira_mix_compute(p, Day("2025-01-01"), Day("2025-01-31"), CARTEIRA_MIX_BY_SEGMENT, &m) == CARTEIRA_OK);
  EXPECT(carteira_mix_category_count(m, &n) == CARTEIRA_OK && n == 4);
  EXPECT(carteira_mix_category(m, 3, &name) == CARTEIRA_OK && strcmp(name, "D") == 0);
  EXPECT(carteira_mix_group_count(m, &n) == CARTEIRA_OK && n == 2); /* the portfolio, no segment */
  EXPECT(carteira_mix_group_get(m, 0, &g) == CARTEIRA_OK);
  EXPECT(g.customers == 6 && g.buyers == 6 && fabs(g.average_breadth - 14.0 / 6) < 1e-12);
  EXPECT(carteira_mix_group_get(m, 1, &g) == CARTEIRA_OK && g.unassigned == 1);
  EXPECT(carteira_mix_group_categories(m, 0, buyers, revenue, 4) == CARTEIRA_OK);
  EXPECT(buyers[0] == 5 && buyers[1] == 4 && buyers[2] == 3 && buyers[3] == 2 && revenue[0] == 5000);
  EXPECT(carteira_mix_group_categories(m, 0, buyers, NULL, 3) == CARTEIRA_OUT_OF_RANGE);
  EXPECT(carteira_mix_group_get(m, 2, &g) == CARTEIRA_OUT_OF_RANGE);
  EXPECT(carteira_mix_breadth(m, breadth, 6) == CARTEIRA_OK && breadth[0] == 3 && breadth[5] == 1);
  carteira_mix_destroy(m);
  EXPECT(carteira_mix_compute(p, Day("2025-01-31"), Day("2025-01-01"), CARTEIRA_MIX_NONE, &m) ==
         CARTEIRA_INVALID_ARGUMENT);
  EXPECT(carteira_mix_compute(p, Day("2025-01-01"), Day("2025-01-31"), 7, &m) == CARTEIRA_INVALID_ARGUMENT);

  io.as_of = Day("2025-01-31");
  io.best_share = 0.34; /* c1, c2, c3 (3000 each): ceil(0.34 * 6) = 3 */
  EXPECT(carteira_icp_compute(p, &io, &icp) == CARTEIRA_OK);
  EXPECT(carteira_icp_get_info(icp, &info) == CARTEIRA_OK);
  EXPECT(info.buyers == 6 && info.best == 3 && info.best_threshold == 3000 && fabs(info.base_rate - 0.5) < 1e-12);
  EXPECT(carteira_icp_profile_count(icp, &n) == CARTEIRA_OK && n > 0);
  EXPECT(carteira_icp_profile_get(icp, 0, &v) == CARTEIRA_OK && v.attribute != NULL && v.lift > 0);
  EXPECT(carteira_icp_scores(icp, score, best, NULL, drivers, 6) == CARTEIRA_OK);
  EXPECT(best[0] == 1 && best[3] == 0 && score[0] > score[5] && drivers[0] >= 0);
  EXPECT(carteira_icp_scores(icp, score, NULL, NULL, NULL, 5) == CARTEIRA_OUT_OF_RANGE);
  carteira_icp_destroy(icp);
  io.best_share = 1.5;
  EXPECT(carteira_icp_compute(p, &io, &icp) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(strstr(carteira_last_error_message(), "carteira_icp_options: ICP: best_share") != NULL);
  carteira_icp_destroy(NULL);
  carteira_mix_destroy(NULL);
  carteira_portfolio_destroy(p);
}

static void TestSampleHoldout(const char* directory) {
  carteira_portfolio* p = NULL;
  carteira_import_report* report = NULL;
  carteira_cross_sell_evaluation e = CARTEIRA_CROSS_SELL_EVALUATION_INIT;
  EXPECT(carteira_portfolio_create(&p) == CARTEIRA_OK);
  EXPECT(carteira_import_directory(p, directory, NULL, &report) == CARTEIRA_OK);
  carteira_import_report_destroy(report);
  EXPECT(carteira_cross_sell_evaluate(p, Day("2026-04-30"), Day("2026-10-31"), 2, 0, &e) == CARTEIRA_OK);
  EXPECT(e.customers > 500 && e.model_hits > e.baseline_hits);
  EXPECT(fabs(e.model_hit_rate - (double)e.model_hits / (double)e.customers) < 1e-12);
  printf("sample holdout k=2: %lld customers, model %.3f, most popular %.3f\n", (long long)e.customers,
         e.model_hit_rate, e.baseline_hit_rate);
  EXPECT(carteira_cross_sell_evaluate(p, Day("2026-04-30"), Day("2026-04-30"), 2, 0, &e) == CARTEIRA_INVALID_ARGUMENT);
  carteira_portfolio_destroy(p);
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s SAMPLE_DIR\n", argv[0]);
    return 2;
  }
  TestSuggestionsAndWindows();
  TestNoCategories();
  TestMixAndIcp();
  TestSampleHoldout(argv[1]);
  printf("%d checks passed, %d failed\n", passes, failures);
  return failures == 0 ? 0 : 1;
}
