/* Segments and KPIs from C11: the quintile rule and ABC classes on plain
 * figures; segment maps and their check; segments, KPIs (by rep), the
 * cohort matrix and the rep dashboard of the small "kp" portfolio of
 * tests/cli/cli_test.sh built through the C ABI (the same values the CLI
 * prints); the sample directory (figures the CLI prints for it); error
 * paths. */
#include <math.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_test.h"
#include "carteira/carteira.h"

/* What `carteira segments --as-of 2024-12-31` and `carteira kpi --from
 * 2024-01-01 --to 2024-12-31 --format json` print for examples/sample. */
#define SAMPLE_AS_OF "2024-12-31"
#define SAMPLE_FROM "2024-01-01"
#define SAMPLE_ROWS 3957
#define SAMPLE_ABC_A 575
#define SAMPLE_ABC_B 665
#define SAMPLE_ABC_C 2673
#define SAMPLE_ABC_NONE 1087
#define SAMPLE_SEGMENT "at_risk"
#define SAMPLE_SEGMENT_COUNT 767
#define SAMPLE_KPI_CUSTOMERS 4033
#define SAMPLE_KPI_ACTIVE 3653
#define SAMPLE_KPI_REVENUE INT64_C(28713636082)
#define SAMPLE_KPI_CHURN (110.0 / 3136.0)

static int32_t Day(const char* text) {
  int32_t day = CARTEIRA_NO_DAY;
  if (carteira_parse_date(text, &day) != CARTEIRA_OK) {
    fprintf(stderr, "bad date %s\n", text);
    exit(2);
  }
  return day;
}

static int Near(double a, double b) { return fabs(a - b) < 1e-12; }

/* The "kp" directory of tests/cli/cli_test.sh. */
static carteira_portfolio* SmallPortfolio(void) {
  const char* ids[] = {"A", "B", "C", "D"};
  const char* names[] = {"Ana", "Bia", "Caio", "Duda"};
  const char* regions[] = {"Sul", "Sul", "Norte", "Norte"};
  const char* segments[] = {"varejo", "varejo", "atacado", "atacado"};
  const char* rep_ids[] = {"R1", "R2", "R3"};
  const char* rep_names[] = {"Rita", "Rui", "Ruth"};
  const uint32_t a_customer[] = {0, 1, 2, 2};
  const int32_t a_rep[] = {0, 0, 1, 0};
  int32_t a_since[4];
  const uint32_t t_customer[] = {0, 0, 1, 1, 2, 3};
  int32_t t_date[6];
  const int64_t t_amount[] = {1000, 2000, 500, 700, 10000, 100};
  carteira_portfolio* p = NULL;
  carteira_customer_columns c = CARTEIRA_CUSTOMER_COLUMNS_INIT;
  carteira_rep_columns r = CARTEIRA_REP_COLUMNS_INIT;
  carteira_assignment_columns a = CARTEIRA_ASSIGNMENT_COLUMNS_INIT;
  carteira_transaction_columns t = CARTEIRA_TRANSACTION_COLUMNS_INIT;

  a_since[0] = a_since[1] = a_since[2] = Day("2024-01-01");
  a_since[3] = Day("2025-02-15");
  t_date[0] = Day("2024-12-20");
  t_date[1] = Day("2025-03-20");
  t_date[2] = Day("2024-06-01");
  t_date[3] = Day("2025-02-01");
  t_date[4] = Day("2025-01-10");
  t_date[5] = Day("2025-03-25");
  EXPECT(carteira_portfolio_create(&p) == CARTEIRA_OK);
  c.count = 4;
  c.id = ids;
  c.name = names;
  c.region = regions;
  c.segment = segments;
  EXPECT(carteira_portfolio_append_customers(p, &c) == CARTEIRA_OK);
  r.count = 3;
  r.id = rep_ids;
  r.name = rep_names;
  EXPECT(carteira_portfolio_append_reps(p, &r) == CARTEIRA_OK);
  a.count = 4;
  a.customer_index = a_customer;
  a.rep_index = a_rep;
  a.since = a_since;
  EXPECT(carteira_portfolio_append_assignments(p, &a) == CARTEIRA_OK);
  t.count = 6;
  t.customer_index = t_customer;
  t.date = t_date;
  t.amount = t_amount;
  EXPECT(carteira_portfolio_append_transactions(p, &t) == CARTEIRA_OK);
  return p;
}

static void TestPlainFigures(void) {
  const int64_t values[] = {10, 20, 20, 30, 40};
  const int64_t revenue[] = {850, 120, 30, 0, -10};
  uint8_t out[5];
  EXPECT(carteira_quintile_scores(values, 5, 1, out) == CARTEIRA_OK);
  EXPECT(out[0] == 1 && out[1] == 2 && out[2] == 2 && out[3] == 4 && out[4] == 5);
  /* Fewer days is better for recency: the order flips. */
  EXPECT(carteira_quintile_scores(values, 5, 0, out) == CARTEIRA_OK);
  EXPECT(out[0] == 5 && out[1] == 3 && out[2] == 3 && out[3] == 2 && out[4] == 1);
  EXPECT(carteira_quintile_scores(NULL, 0, 1, NULL) == CARTEIRA_OK);
  EXPECT(carteira_quintile_scores(NULL, 5, 1, out) == CARTEIRA_INVALID_ARGUMENT);

  /* 850 of 1000 (the customer crossing 80% is A); 120 starts at 85%: B; 30 at 97%: C. */
  EXPECT(carteira_abc_classify(revenue, 5, 0.0, 0.0, out) == CARTEIRA_OK);
  EXPECT(out[0] == CARTEIRA_ABC_A && out[1] == CARTEIRA_ABC_B && out[2] == CARTEIRA_ABC_C);
  EXPECT(out[3] == CARTEIRA_ABC_NONE && out[4] == CARTEIRA_ABC_NONE);
  EXPECT(carteira_abc_classify(revenue, 5, 0.5, 0.5, out) == CARTEIRA_OK);
  EXPECT(out[0] == CARTEIRA_ABC_A && out[1] == CARTEIRA_ABC_B && out[2] == CARTEIRA_ABC_B);
  EXPECT(carteira_abc_classify(revenue, 5, 0.9, 0.2, out) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(strstr(carteira_last_error_message(), "B share") != NULL);
  EXPECT(strcmp(carteira_abc_class_name(CARTEIRA_ABC_A), "A") == 0);
  EXPECT(strcmp(carteira_abc_class_name(CARTEIRA_ABC_NONE), "") == 0);
  EXPECT(carteira_abc_class_name(4) == NULL && carteira_abc_class_name(-1) == NULL);
}

/* A population scored in two parts by the whole's thresholds (what a
 * cluster does) gets the whole's scores. */
static void TestQuintileThresholds(void) {
  const int64_t values[] = {10, 20, 20, 30, 40};
  int64_t t[4] = {0, 0, 0, 0};
  uint8_t whole[5], parts[5];
  EXPECT(carteira_quintile_thresholds(values, 5, 1, t) == CARTEIRA_OK);
  EXPECT(t[0] == 10 && t[1] == 20 && t[2] == 20 && t[3] == 30);
  EXPECT(carteira_quintile_scores(values, 5, 1, whole) == CARTEIRA_OK);
  EXPECT(carteira_quintile_scores_with_thresholds(values, 2, 1, t, parts) == CARTEIRA_OK);
  EXPECT(carteira_quintile_scores_with_thresholds(values + 2, 3, 1, t, parts + 2) == CARTEIRA_OK);
  EXPECT(memcmp(whole, parts, 5) == 0);
  /* Fewer is better (recency): the worst values are the largest. */
  EXPECT(carteira_quintile_thresholds(values, 5, 0, t) == CARTEIRA_OK);
  EXPECT(t[0] == 40 && t[1] == 30 && t[2] == 20 && t[3] == 20);
  EXPECT(carteira_quintile_scores(values, 5, 0, whole) == CARTEIRA_OK);
  EXPECT(carteira_quintile_scores_with_thresholds(values, 3, 0, t, parts) == CARTEIRA_OK);
  EXPECT(carteira_quintile_scores_with_thresholds(values + 3, 2, 0, t, parts + 3) == CARTEIRA_OK);
  EXPECT(memcmp(whole, parts, 5) == 0 && parts[0] == 5 && parts[4] == 1);
  /* Negative money and the extremes of int64 keep their order. */
  {
    const int64_t money[] = {INT64_MIN, -5, 0, 7, INT64_MAX};
    EXPECT(carteira_quintile_thresholds(money, 5, 1, t) == CARTEIRA_OK);
    EXPECT(t[0] == INT64_MIN && t[1] == -5 && t[2] == 0 && t[3] == 7);
  }
  /* Errors name the place. */
  EXPECT(carteira_quintile_thresholds(values, 0, 1, t) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(strstr(carteira_last_error_message(), "no values") != NULL);
  {
    const int64_t backwards[4] = {30, 20, 20, 10};
    EXPECT(carteira_quintile_scores_with_thresholds(values, 5, 1, backwards, parts) == CARTEIRA_INVALID_ARGUMENT);
    EXPECT(strstr(carteira_last_error_message(), "thresholds[1]") != NULL);
  }
  EXPECT(carteira_quintile_scores_with_thresholds(values, 5, 1, NULL, parts) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(carteira_quintile_scores_with_thresholds(NULL, 0, 1, t, NULL) == CARTEIRA_OK);
}

static void TestSegmentMaps(void) {
  carteira_segment_map* map = NULL;
  carteira_segment_map_report report = CARTEIRA_SEGMENT_MAP_REPORT_INIT;
  carteira_segment_rule rule = CARTEIRA_SEGMENT_RULE_INIT;
  const char* json = NULL;
  const uint32_t* covered = NULL;
  size_t rule_index = 99, covered_count = 0;
  uint8_t cells[3 * 25];

  EXPECT(carteira_segment_map_default(&map) == CARTEIRA_OK);
  EXPECT(carteira_segment_map_check(map, &report) == CARTEIRA_OK);
  EXPECT(report.ok == 1 && report.r_f_m_grid == 0 && report.rule_count == 11);
  EXPECT(report.shadowed_count == 0 && report.uncovered_count == 0);
  EXPECT(strcmp(report.fallback, "unclassified") == 0 && strcmp(report.description, "") == 0);
  EXPECT(carteira_segment_map_rule(map, 0, &rule) == CARTEIRA_OK);
  EXPECT(strcmp(rule.name, "champions") == 0 && rule.r_lo == 5 && rule.r_hi == 5 && rule.fm_lo == 4 &&
         rule.fm_hi == 5 && rule.f_lo == 1 && rule.f_hi == 5);
  EXPECT(carteira_segment_map_rule(map, 11, &rule) == CARTEIRA_OUT_OF_RANGE);
  EXPECT(carteira_segment_map_to_json(map, &json) == CARTEIRA_OK && strstr(json, "\"champions\"") != NULL);
  EXPECT(carteira_segment_map_uncovered(map, NULL, 0) == CARTEIRA_OK);
  EXPECT(carteira_segment_map_shadowed(map, 0, &rule_index, &covered, &covered_count) == CARTEIRA_OUT_OF_RANGE);
  carteira_segment_map_destroy(map);
  map = NULL;

  /* The map of cli_test.sh: "recent" (r = 5) is shadowed by "top" (r 4-5),
   * and r 1-3 is uncovered (15 cells of the R x FM grid). */
  EXPECT(carteira_segment_map_from_json(
             "{\"segments\": [{\"name\": \"top\", \"r\": [4, 5]}, {\"name\": \"recent\", \"r\": 5}]}", &map) ==
         CARTEIRA_OK);
  EXPECT(carteira_segment_map_check(map, &report) == CARTEIRA_OK);
  EXPECT(report.ok == 0 && report.rule_count == 2 && report.shadowed_count == 1 && report.uncovered_count == 15);
  EXPECT(strstr(report.description, "recent") != NULL);
  EXPECT(carteira_segment_map_shadowed(map, 0, &rule_index, &covered, &covered_count) == CARTEIRA_OK);
  EXPECT(rule_index == 1 && covered_count == 1 && covered[0] == 0);
  EXPECT(carteira_segment_map_uncovered(map, cells, 3 * 15 - 1) == CARTEIRA_OUT_OF_RANGE);
  EXPECT(carteira_segment_map_uncovered(map, cells, sizeof cells) == CARTEIRA_OK);
  EXPECT(cells[0] == 1 && cells[1] == 1 && cells[2] == 0 && cells[3 * 14] == 3 && cells[3 * 14 + 1] == 5);
  carteira_segment_map_destroy(map);
  map = NULL;

  /* Errors name the place; nothing is returned. */
  EXPECT(carteira_segment_map_from_json("{\"segments\": [{\"name\": \"x\", \"r\": 9}]}", &map) ==
         CARTEIRA_INVALID_ARGUMENT);
  EXPECT(map == NULL && strstr(carteira_last_error_message(), "segments[0].r") != NULL);
  EXPECT(carteira_segment_map_from_json(NULL, &map) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(carteira_segment_map_from_file("/nonexistent/map.json", &map) != CARTEIRA_OK && map == NULL);
  report.struct_size = 4;
  EXPECT(carteira_segment_map_check(NULL, &report) == CARTEIRA_INVALID_ARGUMENT);
  carteira_segment_map_destroy(NULL);
}

/* Rules with conditions on customer fields and summary figures
 * (docs/segments.md): the richer JSON through the same functions, the
 * conditions in the rule struct, and the segments they give. */
static void TestConditionalSegments(carteira_portfolio* p) {
  carteira_segment_map* map = NULL;
  carteira_segment_rule rule = CARTEIRA_SEGMENT_RULE_INIT;
  carteira_segment_map_report report = CARTEIRA_SEGMENT_MAP_REPORT_INIT;
  carteira_segments_options o = CARTEIRA_SEGMENTS_OPTIONS_INIT;
  carteira_segments* s = NULL;
  int64_t segment[4];
  const char* name = NULL;
  const char* expected[] = {"sul_buyers", "rest", "big", "rest"};
  const char* text = NULL;
  size_t i, count = 99;

  EXPECT(carteira_segment_map_from_json(
             "{\"fallback\": \"other\", \"segments\": ["
             "{\"name\": \"sul_buyers\", \"where\": [{\"field\": \"region\", \"op\": \"=\", \"value\": \"Sul\"},"
             " {\"field\": \"monetary\", \"op\": \">=\", \"value\": 20}]},"
             "{\"name\": \"big\", \"where\": [{\"field\": \"monetary\", \"op\": \">\", \"value\": 50.00}]},"
             "{\"name\": \"rest\", \"r\": [1, 5]}]}",
             &map) == CARTEIRA_OK);
  EXPECT(carteira_segment_map_rule(map, 0, &rule) == CARTEIRA_OK);
  EXPECT(strcmp(rule.name, "sul_buyers") == 0 && rule.r_lo == 1 && rule.r_hi == 5);
  EXPECT(carteira_segment_map_rule_conditions(map, 0, &count, &text) == CARTEIRA_OK);
  EXPECT(count == 2 && strcmp(text, "region = \"Sul\" and monetary >= 20.00") == 0);
  EXPECT(carteira_segment_map_rule_conditions(map, 2, &count, &text) == CARTEIRA_OK);
  EXPECT(count == 0 && strcmp(text, "") == 0);
  EXPECT(carteira_segment_map_rule_conditions(map, 1, NULL, &text) == CARTEIRA_OK &&
         strcmp(text, "monetary > 50.00") == 0);
  EXPECT(carteira_segment_map_rule_conditions(map, 3, &count, &text) == CARTEIRA_OUT_OF_RANGE);
  EXPECT(carteira_segment_map_rule_conditions(NULL, 0, &count, &text) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(carteira_segment_map_check(map, &report) == CARTEIRA_OK && report.ok == 1);

  /* A: Sul and 30.00; B: Sul but 12.00; C: Norte, 100.00; D: Norte, 1.00. */
  o.as_of = Day("2025-03-31");
  o.map = map;
  EXPECT(carteira_segments_compute(p, &o, &s) == CARTEIRA_OK);
  EXPECT(carteira_segments_get_int64(s, CARTEIRA_SEGMENTS_SEGMENT, segment, 4) == CARTEIRA_OK);
  for (i = 0; i < 4; ++i) {
    EXPECT(carteira_segments_name(s, (size_t)segment[i], &name, NULL) == CARTEIRA_OK && strcmp(name, expected[i]) == 0);
  }
  carteira_segments_destroy(s);
  s = NULL;
  carteira_segment_map_destroy(map);
  map = NULL;

  /* Errors name the rule and the field; an attribute the customers lack fails the computation. */
  EXPECT(carteira_segment_map_from_json("{\"segments\": [{\"name\": \"x\", \"where\": [{\"field\": \"regoin\", "
                                        "\"op\": \"=\", \"value\": \"Sul\"}]}]}",
                                        &map) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(map == NULL && strstr(carteira_last_error_message(), "segments[0] 'x': where[0]: unknown field 'regoin'") != NULL);
  EXPECT(carteira_segment_map_from_json("{\"segments\": [{\"name\": \"x\", \"where\": [{\"field\": \"attribute:canal\", "
                                        "\"op\": \"=\", \"value\": \"online\"}]}]}",
                                        &map) == CARTEIRA_OK);
  o.map = map;
  EXPECT(carteira_segments_compute(p, &o, &s) == CARTEIRA_INVALID_ARGUMENT && s == NULL);
  EXPECT(strstr(carteira_last_error_message(), "no attribute 'canal'") != NULL);
  carteira_segment_map_destroy(map);
}

static void TestSmallSegments(carteira_portfolio* p) {
  carteira_segments_options o = CARTEIRA_SEGMENTS_OPTIONS_INIT;
  carteira_segments_info info = CARTEIRA_SEGMENTS_INFO_INIT;
  carteira_segments* s = NULL;
  size_t rows = 0, names = 0, i;
  int64_t customer[4], r[4], f[4], m[4], rfm[4], segment[4], abc[4], recency[4], frequency[4], monetary[4],
      abc_revenue[4];
  const char* name = NULL;
  int64_t count = 0, total = 0;

  o.as_of = Day("2025-03-31");
  EXPECT(carteira_segments_compute(p, &o, &s) == CARTEIRA_OK);
  EXPECT(carteira_segments_size(s, &rows) == CARTEIRA_OK && rows == 4);
  EXPECT(carteira_segments_get_int64(s, CARTEIRA_SEGMENTS_CUSTOMER_INDEX, customer, 4) == CARTEIRA_OK);
  EXPECT(carteira_segments_get_int64(s, CARTEIRA_SEGMENTS_R, r, 4) == CARTEIRA_OK);
  EXPECT(carteira_segments_get_int64(s, CARTEIRA_SEGMENTS_F, f, 4) == CARTEIRA_OK);
  EXPECT(carteira_segments_get_int64(s, CARTEIRA_SEGMENTS_M, m, 4) == CARTEIRA_OK);
  EXPECT(carteira_segments_get_int64(s, CARTEIRA_SEGMENTS_RFM, rfm, 4) == CARTEIRA_OK);
  EXPECT(carteira_segments_get_int64(s, CARTEIRA_SEGMENTS_SEGMENT, segment, 4) == CARTEIRA_OK);
  EXPECT(carteira_segments_get_int64(s, CARTEIRA_SEGMENTS_ABC, abc, 4) == CARTEIRA_OK);
  EXPECT(carteira_segments_get_int64(s, CARTEIRA_SEGMENTS_RECENCY_DAYS, recency, 4) == CARTEIRA_OK);
  EXPECT(carteira_segments_get_int64(s, CARTEIRA_SEGMENTS_FREQUENCY, frequency, 4) == CARTEIRA_OK);
  EXPECT(carteira_segments_get_int64(s, CARTEIRA_SEGMENTS_MONETARY, monetary, 4) == CARTEIRA_OK);
  EXPECT(carteira_segments_get_int64(s, CARTEIRA_SEGMENTS_ABC_REVENUE, abc_revenue, 4) == CARTEIRA_OK);
  EXPECT(customer[0] == 0 && customer[3] == 3);
  /* cli_test.sh: A,3,3,3,333,need_attention,A,11,2,30.00 and D,4,1,1,411,promising,C,6,1,1.00 */
  EXPECT(r[0] == 3 && f[0] == 3 && m[0] == 3 && rfm[0] == 333 && abc[0] == CARTEIRA_ABC_A);
  EXPECT(recency[0] == 11 && frequency[0] == 2 && monetary[0] == 3000 && abc_revenue[0] == 3000);
  EXPECT(carteira_segments_name(s, (size_t)segment[0], &name, &count) == CARTEIRA_OK);
  EXPECT(strcmp(name, "need_attention") == 0);
  EXPECT(r[3] == 4 && f[3] == 1 && m[3] == 1 && rfm[3] == 411 && abc[3] == CARTEIRA_ABC_C);
  EXPECT(recency[3] == 6 && frequency[3] == 1 && monetary[3] == 100);
  EXPECT(carteira_segments_name(s, (size_t)segment[3], &name, NULL) == CARTEIRA_OK);
  EXPECT(strcmp(name, "promising") == 0);
  EXPECT(carteira_segments_name_count(s, &names) == CARTEIRA_OK && names == 11);
  for (i = 0; i < names; ++i) {
    EXPECT(carteira_segments_name(s, i, &name, &count) == CARTEIRA_OK);
    total += count;
  }
  EXPECT(total == 4);
  EXPECT(carteira_segments_name(s, names, &name, &count) == CARTEIRA_OUT_OF_RANGE);
  /* ABC over 2024-04-01 .. 2025-03-31 (total 143.00): C (100.00) starts at
   * 0% and A (30.00) at 69.9%: A; B (12.00) at 90.9%: B; D (1.00) at 99.3%: C. */
  EXPECT(carteira_segments_get_info(s, &info) == CARTEIRA_OK);
  EXPECT(info.as_of == o.as_of && info.abc_from == o.as_of - 364 && info.abc_total == 14300);
  EXPECT(info.customers_a == 2 && info.customers_b == 1 && info.customers_c == 1 && info.customers_none == 0);
  EXPECT(info.revenue_a == 13000 && info.revenue_b == 1200 && info.revenue_c == 100);
  EXPECT(abc[1] == CARTEIRA_ABC_B && abc[2] == CARTEIRA_ABC_A);
  EXPECT(carteira_segments_get_int64(s, CARTEIRA_SEGMENTS_R, r, 3) == CARTEIRA_OUT_OF_RANGE);
  EXPECT(carteira_segments_get_int64(s, 11, r, 4) == CARTEIRA_INVALID_ARGUMENT);
  carteira_segments_destroy(s);
  s = NULL;

  /* A custom map and ABC options; an impossible period. */
  {
    carteira_segment_map* map = NULL;
    EXPECT(carteira_segment_map_from_json("{\"segments\": [{\"name\": \"recent\", \"r\": [4, 5]}], "
                                          "\"fallback\": \"other\"}",
                                          &map) == CARTEIRA_OK);
    o.map = map;
    o.abc_a_share = 0.5;
    o.abc_b_share = 0.3;
    o.abc_from = Day("2025-01-01");
    EXPECT(carteira_segments_compute(p, &o, &s) == CARTEIRA_OK);
    carteira_segment_map_destroy(map); /* the segments keep their own copy */
    EXPECT(carteira_segments_name_count(s, &names) == CARTEIRA_OK && names == 2);
    EXPECT(carteira_segments_name(s, 1, &name, &count) == CARTEIRA_OK && strcmp(name, "other") == 0);
    EXPECT(carteira_segments_get_info(s, &info) == CARTEIRA_OK);
    EXPECT(info.abc_from == o.abc_from && info.abc_total == 12800);
    EXPECT(carteira_segments_get_int64(s, CARTEIRA_SEGMENTS_ABC_REVENUE, abc_revenue, 4) == CARTEIRA_OK);
    EXPECT(abc_revenue[0] == 2000 && abc_revenue[1] == 700 && abc_revenue[2] == 10000 && abc_revenue[3] == 100);
    carteira_segments_destroy(s);
    s = NULL;
    o.map = NULL;
    o.abc_from = Day("2025-04-01");
    EXPECT(carteira_segments_compute(p, &o, &s) == CARTEIRA_INVALID_ARGUMENT && s == NULL);
    EXPECT(strstr(carteira_last_error_message(), "abc_from") != NULL);
    o.abc_from = CARTEIRA_NO_DAY;
    o.abc_a_share = 1.5;
    EXPECT(carteira_segments_compute(p, &o, &s) == CARTEIRA_INVALID_ARGUMENT && s == NULL);
    o.abc_a_share = 0;
    o.as_of = CARTEIRA_NO_DAY;
    EXPECT(carteira_segments_compute(p, &o, &s) == CARTEIRA_INVALID_ARGUMENT && s == NULL);
    EXPECT(strstr(carteira_last_error_message(), "as_of is required") != NULL);
    o.as_of = Day("2025-03-31");
    o.struct_size = 8;
    EXPECT(carteira_segments_compute(p, &o, &s) == CARTEIRA_INVALID_ARGUMENT && s == NULL);
    EXPECT(carteira_segments_compute(p, NULL, &s) == CARTEIRA_INVALID_ARGUMENT);
    EXPECT(carteira_segments_size(NULL, &rows) == CARTEIRA_INVALID_ARGUMENT);
  }
  carteira_segments_destroy(NULL);
}

static void TestSmallKpi(carteira_portfolio* p) {
  carteira_kpi_options o = CARTEIRA_KPI_OPTIONS_INIT;
  carteira_kpi_values v = CARTEIRA_KPI_VALUES_INIT;
  carteira_kpi* k = NULL;
  size_t groups = 0, months = 0, i;
  int32_t month[3];
  int64_t size[3], buyers[9];
  double retention[9];

  o.from = Day("2025-01-01");
  o.to = Day("2025-03-31");
  o.by = CARTEIRA_KPI_BY_REP;
  EXPECT(carteira_kpi_compute(p, &o, &k) == CARTEIRA_OK);
  /* cli_test.sh: "overall": {"customers": 4, "active_start": 1, "active": 4,
   * "new": 2, "new_active": 2, ... "retention_rate": 2, */
  EXPECT(carteira_kpi_overall(k, &v) == CARTEIRA_OK);
  EXPECT(v.unassigned == 0 && strcmp(v.group, "") == 0);
  EXPECT(v.customers == 4 && v.active_start == 1 && v.active == 4 && v.new_customers == 2 && v.new_active == 2);
  EXPECT(Near(v.retention_rate, 2.0) && Near(v.churn_rate, 0.0));
  /* 5 purchases in the period by 4 buyers: 128.00 */
  EXPECT(v.purchases == 4 && v.buyers == 4 && v.revenue == 12800);
  EXPECT(v.average_ticket == 3200 && v.revenue_per_customer == 3200 && Near(v.purchase_frequency, 1.0));
  /* No survey answers: nps undefined (NaN); "book_at_start": 3, "moved": 1, "giro": 1/3 */
  EXPECT(v.answers == 0 && isnan(v.nps));
  EXPECT(v.book_at_start == 3 && v.moved == 1 && Near(v.giro, 1.0 / 3.0));
  EXPECT(isnan(v.lifetime_model_days));
  EXPECT(carteira_kpi_group_count(k, &groups) == CARTEIRA_OK && groups == 4);
  EXPECT(carteira_kpi_group(k, 0, &v) == CARTEIRA_OK && strcmp(v.group, "R1") == 0 && v.customers == 3);
  /* R3: an empty book, undefined ratios. */
  EXPECT(carteira_kpi_group(k, 2, &v) == CARTEIRA_OK && strcmp(v.group, "R3") == 0 && v.customers == 0);
  EXPECT(isnan(v.positivacao) && isnan(v.giro) && v.average_ticket == CARTEIRA_NO_MONEY);
  /* The unassigned group: D. */
  EXPECT(carteira_kpi_group(k, 3, &v) == CARTEIRA_OK && v.unassigned == 1 && v.customers == 1);
  EXPECT(carteira_kpi_group(k, 4, &v) == CARTEIRA_OUT_OF_RANGE);
  /* Cohorts 2025-01 (C), 2025-02 (none), 2025-03 (D). */
  EXPECT(carteira_kpi_cohort_count(k, &months) == CARTEIRA_OK && months == 3);
  EXPECT(carteira_kpi_cohort_months(k, month, size, 3) == CARTEIRA_OK);
  EXPECT(month[0] == Day("2025-01-01") && month[1] == Day("2025-02-01") && month[2] == Day("2025-03-01"));
  EXPECT(size[0] == 1 && size[1] == 0 && size[2] == 1);
  EXPECT(carteira_kpi_cohort_months(k, month, NULL, 2) == CARTEIRA_OUT_OF_RANGE);
  EXPECT(carteira_kpi_cohort_matrix(k, buyers, retention, 8) == CARTEIRA_OUT_OF_RANGE);
  EXPECT(carteira_kpi_cohort_matrix(k, buyers, retention, 9) == CARTEIRA_OK);
  EXPECT(buyers[0] == 1 && buyers[1] == 0 && buyers[2] == 0 && Near(retention[0], 1.0) && Near(retention[1], 0.0));
  EXPECT(isnan(retention[3]) && buyers[5] == -1 && isnan(retention[5]));
  EXPECT(buyers[6] == 1 && buyers[7] == -1 && buyers[8] == -1 && Near(retention[6], 1.0));
  EXPECT(carteira_kpi_cohort_matrix(k, NULL, NULL, 9) == CARTEIRA_OK);
  carteira_kpi_destroy(k);
  k = NULL;

  /* By region, segment; active by status; the model lifetime. */
  o.by = CARTEIRA_KPI_BY_REGION;
  EXPECT(carteira_kpi_compute(p, &o, &k) == CARTEIRA_OK);
  EXPECT(carteira_kpi_group_count(k, &groups) == CARTEIRA_OK && groups == 2);
  EXPECT(carteira_kpi_group(k, 0, &v) == CARTEIRA_OK && strcmp(v.group, "Norte") == 0 && v.customers == 2);
  carteira_kpi_destroy(k);
  o.by = CARTEIRA_KPI_BY_SEGMENT;
  o.active_by_status = 1;
  EXPECT(carteira_kpi_compute(p, &o, &k) == CARTEIRA_OK);
  EXPECT(carteira_kpi_group(k, 1, &v) == CARTEIRA_OK && strcmp(v.group, "varejo") == 0 && v.customers == 2);
  carteira_kpi_destroy(k);
  {
    const double params[] = {0.5, 10.0, 3.0, 20.0}; /* Pareto/NBD r, alpha, s, beta (weeks) */
    const double heavy[] = {0.5, 10.0, 0.5, 20.0};  /* s <= 1: infinite mean */
    const double spend[] = {6.0, 4.0, 15.0};
    carteira_model* model = NULL;
    double days = 0;
    EXPECT(carteira_model_create(CARTEIRA_MODEL_PARETONBD, params, 4, CARTEIRA_WEEKS, &model) == CARTEIRA_OK);
    EXPECT(carteira_model_expected_lifetime_days(model, &days) == CARTEIRA_OK && Near(days, 20.0 / 2.0 * 7.0));
    o.by = CARTEIRA_KPI_BY_NONE;
    o.active_by_status = 0;
    o.lifetime_model = model;
    EXPECT(carteira_kpi_compute(p, &o, &k) == CARTEIRA_OK);
    EXPECT(carteira_kpi_overall(k, &v) == CARTEIRA_OK && Near(v.lifetime_model_days, 70.0));
    EXPECT(carteira_kpi_group_count(k, &groups) == CARTEIRA_OK && groups == 0);
    carteira_kpi_destroy(k);
    carteira_model_destroy(model);
    EXPECT(carteira_model_create(CARTEIRA_MODEL_PARETONBD, heavy, 4, CARTEIRA_WEEKS, &model) == CARTEIRA_OK);
    EXPECT(carteira_model_expected_lifetime_days(model, &days) == CARTEIRA_FAILED_PRECONDITION);
    o.lifetime_model = model;
    EXPECT(carteira_kpi_compute(p, &o, &k) == CARTEIRA_OK);
    EXPECT(carteira_kpi_overall(k, &v) == CARTEIRA_OK && isnan(v.lifetime_model_days));
    carteira_kpi_destroy(k);
    carteira_model_destroy(model);
    EXPECT(carteira_model_create(CARTEIRA_MODEL_GAMMAGAMMA, spend, 3, CARTEIRA_WEEKS, &model) == CARTEIRA_OK);
    EXPECT(carteira_model_expected_lifetime_days(model, &days) == CARTEIRA_INVALID_ARGUMENT);
    o.lifetime_model = model;
    k = NULL;
    EXPECT(carteira_kpi_compute(p, &o, &k) == CARTEIRA_INVALID_ARGUMENT && k == NULL);
    EXPECT(strstr(carteira_last_error_message(), "lifetime_model") != NULL);
    carteira_model_destroy(model);
    o.lifetime_model = NULL;
  }

  /* A period of 100 months has no cohort matrix (the KPIs are there). */
  o.from = Day("2017-01-01");
  EXPECT(carteira_kpi_compute(p, &o, &k) == CARTEIRA_OK);
  EXPECT(carteira_kpi_cohort_count(k, &months) == CARTEIRA_FAILED_PRECONDITION && months == 0);
  EXPECT(carteira_kpi_cohort_months(k, month, size, 3) == CARTEIRA_FAILED_PRECONDITION);
  EXPECT(carteira_kpi_cohort_matrix(k, buyers, retention, 9) == CARTEIRA_FAILED_PRECONDITION);
  carteira_kpi_destroy(k);
  k = NULL;

  /* Errors. */
  o.from = Day("2025-03-31");
  o.to = Day("2025-01-01");
  EXPECT(carteira_kpi_compute(p, &o, &k) == CARTEIRA_INVALID_ARGUMENT && k == NULL);
  EXPECT(strstr(carteira_last_error_message(), "ends before it starts") != NULL);
  o.to = CARTEIRA_NO_DAY;
  EXPECT(carteira_kpi_compute(p, &o, &k) == CARTEIRA_INVALID_ARGUMENT);
  o.to = Day("2025-04-30");
  o.by = 4;
  EXPECT(carteira_kpi_compute(p, &o, &k) == CARTEIRA_INVALID_ARGUMENT);
  o.by = 0;
  o.active_window_days = -1;
  EXPECT(carteira_kpi_compute(p, &o, &k) == CARTEIRA_INVALID_ARGUMENT);
  o.active_window_days = 0;
  {
    carteira_status_policy* policy = NULL;
    EXPECT(carteira_status_policy_default(&policy) == CARTEIRA_OK);
    o.policy = policy;
    EXPECT(carteira_kpi_compute(p, &o, &k) == CARTEIRA_INVALID_ARGUMENT);
    EXPECT(strstr(carteira_last_error_message(), "active_by_status") != NULL);
    o.active_by_status = 1;
    EXPECT(carteira_kpi_compute(p, &o, &k) == CARTEIRA_OK);
    carteira_kpi_destroy(k);
    carteira_status_policy_destroy(policy);
    o.policy = NULL;
  }
  v.struct_size = 8;
  EXPECT(carteira_kpi_overall(NULL, &v) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(carteira_kpi_compute(NULL, &o, &k) == CARTEIRA_INVALID_ARGUMENT);
  carteira_kpi_destroy(NULL);
  (void)i;
}

static void TestSmallDashboard(carteira_portfolio* p) {
  carteira_rep_dashboard_options o = CARTEIRA_REP_DASHBOARD_OPTIONS_INIT;
  carteira_rep_dashboard_row row = CARTEIRA_REP_DASHBOARD_ROW_INIT;
  carteira_rep_dashboard* d = NULL;
  size_t rows = 0;

  o.to = Day("2025-03-31");
  EXPECT(carteira_rep_dashboard_compute(p, &o, &d) == CARTEIRA_OK);
  EXPECT(carteira_rep_dashboard_size(d, &rows) == CARTEIRA_OK && rows == 4);
  EXPECT(carteira_rep_dashboard_row_get(d, 0, &row) == CARTEIRA_OK);
  EXPECT(row.rep_index == 0 && strcmp(row.rep_id, "R1") == 0 && strcmp(row.rep_name, "Rita") == 0);
  EXPECT(row.book == 3 && row.buyers == 3 && row.revenue == 1000 + 2000 + 500 + 700 + 10000);
  EXPECT(Near(row.positivacao, 1.0));
  EXPECT(row.status_prospect + row.status_new + row.status_active + row.status_at_risk + row.status_inactive +
             row.status_lost + row.status_reactivated ==
         3);
  /* cli_test.sh: R3,Ruth,0,0,0,0,0,0,0,0,0.00,0,,,0,0,0,0,,,0.00 */
  EXPECT(carteira_rep_dashboard_row_get(d, 2, &row) == CARTEIRA_OK);
  EXPECT(strcmp(row.rep_id, "R3") == 0 && row.book == 0 && row.revenue == 0 && row.buyers == 0);
  EXPECT(isnan(row.positivacao) && isnan(row.nps) && row.answers == 0);
  EXPECT(row.last_contact == CARTEIRA_NO_DAY && row.days_since_last_contact == -1 && row.at_risk_value == 0);
  EXPECT(carteira_rep_dashboard_row_get(d, 3, &row) == CARTEIRA_OK);
  EXPECT(row.rep_index == -1 && strcmp(row.rep_id, "") == 0 && row.book == 1);
  EXPECT(carteira_rep_dashboard_row_get(d, 4, &row) == CARTEIRA_OUT_OF_RANGE);
  carteira_rep_dashboard_destroy(d);
  d = NULL;
  o.from = Day("2025-04-01");
  EXPECT(carteira_rep_dashboard_compute(p, &o, &d) == CARTEIRA_INVALID_ARGUMENT && d == NULL);
  o.from = CARTEIRA_NO_DAY;
  o.to = CARTEIRA_NO_DAY;
  EXPECT(carteira_rep_dashboard_compute(p, &o, &d) == CARTEIRA_INVALID_ARGUMENT && d == NULL);
  row.struct_size = 4;
  EXPECT(carteira_rep_dashboard_row_get(NULL, 0, &row) == CARTEIRA_INVALID_ARGUMENT);
  carteira_rep_dashboard_destroy(NULL);
}

/* The sample directory: figures `carteira segments` and `carteira kpi`
 * print for it. */
static void TestSample(const char* directory) {
  carteira_portfolio* p = NULL;
  carteira_import_report* report = NULL;
  carteira_segments_options so = CARTEIRA_SEGMENTS_OPTIONS_INIT;
  carteira_segments_info info = CARTEIRA_SEGMENTS_INFO_INIT;
  carteira_kpi_options ko = CARTEIRA_KPI_OPTIONS_INIT;
  carteira_kpi_values v = CARTEIRA_KPI_VALUES_INIT;
  carteira_segments* s = NULL;
  carteira_kpi* k = NULL;
  size_t rows = 0, groups = 0, i;
  int64_t customers = 0;

  EXPECT(carteira_portfolio_create(&p) == CARTEIRA_OK);
  EXPECT(carteira_import_directory(p, directory, NULL, &report) == CARTEIRA_OK);
  carteira_import_report_destroy(report);
  so.as_of = Day(SAMPLE_AS_OF);
  EXPECT(carteira_segments_compute(p, &so, &s) == CARTEIRA_OK);
  EXPECT(carteira_segments_size(s, &rows) == CARTEIRA_OK && rows == SAMPLE_ROWS);
  EXPECT(carteira_segments_get_info(s, &info) == CARTEIRA_OK);
  EXPECT(info.customers_a == SAMPLE_ABC_A && info.customers_b == SAMPLE_ABC_B && info.customers_c == SAMPLE_ABC_C);
  EXPECT(info.customers_none == SAMPLE_ABC_NONE);
  {
    const char* name = NULL;
    int64_t count = -1;
    size_t names = 0;
    EXPECT(carteira_segments_name_count(s, &names) == CARTEIRA_OK);
    for (i = 0; i < names; ++i) {
      EXPECT(carteira_segments_name(s, i, &name, &count) == CARTEIRA_OK);
      if (strcmp(name, SAMPLE_SEGMENT) == 0) EXPECT(count == SAMPLE_SEGMENT_COUNT);
    }
  }
  carteira_segments_destroy(s);

  ko.from = Day(SAMPLE_FROM);
  ko.to = Day(SAMPLE_AS_OF);
  ko.by = CARTEIRA_KPI_BY_REP;
  EXPECT(carteira_kpi_compute(p, &ko, &k) == CARTEIRA_OK);
  EXPECT(carteira_kpi_overall(k, &v) == CARTEIRA_OK);
  EXPECT(v.customers == SAMPLE_KPI_CUSTOMERS && v.active == SAMPLE_KPI_ACTIVE && v.revenue == SAMPLE_KPI_REVENUE);
  EXPECT(fabs(v.churn_rate - SAMPLE_KPI_CHURN) < 1e-12);
  EXPECT(carteira_kpi_group_count(k, &groups) == CARTEIRA_OK && groups > 0);
  for (i = 0; i < groups; ++i) {
    EXPECT(carteira_kpi_group(k, i, &v) == CARTEIRA_OK);
    customers += v.customers;
  }
  EXPECT(customers == SAMPLE_KPI_CUSTOMERS); /* every customer in exactly one rep group */
  carteira_kpi_destroy(k);
  carteira_portfolio_destroy(p);
}

int main(int argc, char** argv) {
  carteira_portfolio* p;
  if (argc != 2) {
    fprintf(stderr, "usage: %s SAMPLE_DIR\n", argv[0]);
    return 2;
  }
  TestPlainFigures();
  TestQuintileThresholds();
  TestSegmentMaps();
  p = SmallPortfolio();
  TestSmallSegments(p);
  TestConditionalSegments(p);
  TestSmallKpi(p);
  TestSmallDashboard(p);
  carteira_portfolio_destroy(p);
  TestSample(argv[1]);
  printf("%d checks passed, %d failed\n", passes, failures);
  return failures == 0 ? 0 : 1;
}
