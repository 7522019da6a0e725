/* The parity scenario (tests/parity/README.md) from C: the CDNOW BG/NBD
 * fit and the sample portfolio's status counts, compared exactly with the
 * shared expected file.
 * Usage: carteira_capi_parity_c11_test CDNOW_sample.txt SAMPLE_DIR expected.txt */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carteira/carteira.h"

static int failures = 0;
static int checked = 0; /* keys compared: every key of the file must be */

/* Release builds (what the bindings load) must match to the last bit;
 * unoptimised sanitizer builds round differently and stop a hair elsewhere
 * on CDNOW's flat maximum: 1e-5 of a parameter, 1e-9 of the LL. */
static int Same(const char* key, const char* want, const char* got) {
#ifdef NDEBUG
  (void)key;
  return strcmp(want, got) == 0;
#else
  double w, g, tolerance;
  if (strncmp(key, "cdnow.", 6) != 0) return strcmp(want, got) == 0;
  w = strtod(want, NULL);
  g = strtod(got, NULL);
  tolerance = (strcmp(key, "cdnow.bgnbd.log_likelihood") == 0 ? 1e-9 : 1e-5) * (w < 0 ? -w : w);
  return (g - w <= tolerance) && (w - g <= tolerance);
#endif
}

/* The expected value of `key` compared with `got` (both as text). */
static void Check(const char* expected_file, const char* key, const char* got) {
  char line[256], k[128], v[128];
  FILE* f = fopen(expected_file, "r");
  int found = 0;
  if (f == NULL) {
    fprintf(stderr, "%s: cannot read\n", expected_file);
    ++failures;
    return;
  }
  while (fgets(line, sizeof line, f) != NULL) {
    if (line[0] == '#' || sscanf(line, "%127s %127s", k, v) != 2) continue;
    if (strcmp(k, key) == 0) {
      found = 1;
      ++checked;
      if (!Same(key, v, got)) {
        fprintf(stderr, "%s: expected %s, got %s\n", key, v, got);
        ++failures;
      }
    }
  }
  fclose(f);
  if (!found) {
    fprintf(stderr, "%s: not in %s\n", key, expected_file);
    ++failures;
  }
}

static void Require(int ok, const char* what) {
  if (!ok) {
    fprintf(stderr, "%s failed: %s\n", what, carteira_last_error_message());
    exit(1);
  }
}

int main(int argc, char** argv) {
  static const char* const kParams[] = {"r", "alpha", "a", "b"};
  static const char* const kStatus[] = {"prospect", "new", "active", "at_risk", "inactive", "lost", "reactivated"};
  carteira_portfolio* p = NULL;
  carteira_import_options options = CARTEIRA_IMPORT_OPTIONS_INIT;
  carteira_import_report* report = NULL;
  carteira_model* model = NULL;
  carteira_fit_info info = CARTEIRA_FIT_INFO_INIT;
  carteira_status_policy* policy = NULL;
  carteira_status_engine* engine = NULL;
  carteira_status_table* table = NULL;
  double params[4], se[4];
  int64_t counts[CARTEIRA_LIFECYCLE_COUNT];
  int32_t day = 0;
  char key[64], value[40];
  size_t i;
  if (argc != 4) {
    fprintf(stderr, "usage: %s CDNOW_sample.txt SAMPLE_DIR expected.txt\n", argv[0]);
    return 2;
  }

  /* CDNOW: whitespace-separated, no header; BG/NBD in weeks to 1997-09-30. */
  Require(carteira_portfolio_create(&p) == CARTEIRA_OK, "create");
  options.delimiter = ' ';
  options.has_header = 0;
  options.column_mapping = "customer_id=2;date=3;amount=5";
  Require(carteira_import_file(p, "transactions", argv[1], &options, &report) == CARTEIRA_OK, "import cdnow");
  carteira_import_report_destroy(report);
  Require(carteira_parse_date("1997-09-30", &day) == CARTEIRA_OK, "date");
  Require(carteira_model_fit_portfolio(CARTEIRA_MODEL_BGNBD, p, day, CARTEIRA_WEEKS, NULL, &model) == CARTEIRA_OK,
          "fit");
  Require(carteira_model_get_params(model, params, se, 4) == CARTEIRA_OK, "params");
  Require(carteira_model_get_fit_info(model, &info) == CARTEIRA_OK, "fit info");
  for (i = 0; i < 4; ++i) {
    snprintf(key, sizeof key, "cdnow.bgnbd.%s", kParams[i]);
    snprintf(value, sizeof value, "%.17g", params[i]);
    Check(argv[3], key, value);
  }
  snprintf(value, sizeof value, "%.17g", info.log_likelihood);
  Check(argv[3], "cdnow.bgnbd.log_likelihood", value);
  carteira_model_destroy(model);
  carteira_portfolio_destroy(p);

  /* The sample portfolio's statuses on 2026-10-31, default policy. */
  p = NULL;
  Require(carteira_portfolio_create(&p) == CARTEIRA_OK, "create");
  Require(carteira_import_directory(p, argv[2], NULL, &report) == CARTEIRA_OK, "import sample");
  carteira_import_report_destroy(report);
  Require(carteira_status_policy_default(&policy) == CARTEIRA_OK, "policy");
  Require(carteira_status_engine_create(p, policy, &engine) == CARTEIRA_OK, "engine");
  Require(carteira_parse_date("2026-10-31", &day) == CARTEIRA_OK, "date");
  Require(carteira_status_classify(engine, day, &table) == CARTEIRA_OK, "classify");
  Require(carteira_status_table_counts(table, counts, CARTEIRA_LIFECYCLE_COUNT) == CARTEIRA_OK, "counts");
  for (i = 0; i < CARTEIRA_LIFECYCLE_COUNT; ++i) {
    snprintf(key, sizeof key, "sample.status.%s", kStatus[i]);
    snprintf(value, sizeof value, "%lld", (long long)counts[i]);
    Check(argv[3], key, value);
  }
  {
    /* RFM segments as of the same date, the default map. */
    carteira_segments_options so = CARTEIRA_SEGMENTS_OPTIONS_INIT;
    carteira_segments* segments = NULL;
    size_t names = 0;
    so.as_of = day;
    Require(carteira_segments_compute(p, &so, &segments) == CARTEIRA_OK, "segments");
    Require(carteira_segments_name_count(segments, &names) == CARTEIRA_OK, "segment names");
    for (i = 0; i < names; ++i) {
      const char* name = NULL;
      int64_t rows = 0;
      Require(carteira_segments_name(segments, i, &name, &rows) == CARTEIRA_OK, "segment name");
      if (rows == 0) continue;
      snprintf(key, sizeof key, "sample.segment.%s", name);
      snprintf(value, sizeof value, "%lld", (long long)rows);
      Check(argv[3], key, value);
    }
    carteira_segments_destroy(segments);
  }
  {
    /* A redistribution plan on the same table (tests/parity/README.md). */
    carteira_plan_pipeline* pipeline = NULL;
    carteira_plan* plan = NULL;
    carteira_plan_info info = CARTEIRA_PLAN_INFO_INIT;
    carteira_fairness fairness = CARTEIRA_FAIRNESS_INIT;
    Require(carteira_plan_pipeline_from_json(
                "{\"policies\": [{\"policy\": \"assign_unowned\"}, {\"policy\": \"rotate_at_risk\", "
                "\"max_moves_per_rep\": 3}, {\"policy\": \"rebalance\", \"tolerance\": 0.1}]}",
                &pipeline) == CARTEIRA_OK,
            "pipeline");
    Require(carteira_plan_build(p, table, pipeline, &plan) == CARTEIRA_OK, "plan");
    Require(carteira_plan_info_get(plan, &info) == CARTEIRA_OK, "plan info");
    Require(carteira_plan_fairness(plan, 1, &fairness) == CARTEIRA_OK, "fairness");
    Check(argv[3], "sample.plan.id", info.id);
    snprintf(value, sizeof value, "%lld", (long long)info.move_count);
    Check(argv[3], "sample.plan.moves", value);
    snprintf(value, sizeof value, "%lld", (long long)info.unplaced_count);
    Check(argv[3], "sample.plan.unplaced", value);
    snprintf(value, sizeof value, "%.17g", fairness.gini);
    Check(argv[3], "sample.plan.gini_after", value);
    carteira_plan_destroy(plan);
    carteira_plan_pipeline_destroy(pipeline);
  }
  carteira_status_table_destroy(table);
  carteira_status_engine_destroy(engine);
  carteira_status_policy_destroy(policy);
  carteira_portfolio_destroy(p);

  {
    /* Every key of the file was produced here (none missing from C). */
    char line[256], k[128], v[128];
    int keys = 0;
    FILE* f = fopen(argv[3], "r");
    if (f != NULL) {
      while (fgets(line, sizeof line, f) != NULL) {
        if (line[0] != '#' && sscanf(line, "%127s %127s", k, v) == 2) ++keys;
      }
      fclose(f);
    }
    if (keys != checked) {
      fprintf(stderr, "%d keys in %s, %d computed from C\n", keys, argv[3], checked);
      ++failures;
    }
  }
  printf("parity from C: %s\n", failures == 0 ? "equal" : "DIFFERENT");
  return failures == 0 ? 0 : 1;
}
