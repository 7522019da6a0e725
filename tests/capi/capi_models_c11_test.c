/* The customer models from C11: fit BG/NBD on columns and on a portfolio,
 * read the fit, predict per customer, and the errors. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_test.h"
#include "carteira/carteira.h"

int main(int argc, char** argv) {
  /* Six customers in weeks, with zbar for the spend model. */
  const double x[] = {0, 2, 5, 1, 3, 8};
  const double t_x[] = {0, 30.43, 20.0, 5.0, 35.0, 37.0};
  const double T[] = {38.86, 38.86, 36.0, 30.0, 38.0, 38.5};
  const double zbar[] = {0, 25.0, 12.5, 40.0, 18.0, 30.0};
  const double published[] = {0.243, 4.414, 0.793, 2.426};
  const double gg_params[] = {6.25, 3.74, 15.44};
  double out[6], clv[6], params[4], se[4], e = 0, p = 0;
  carteira_rfm_columns data = CARTEIRA_RFM_COLUMNS_INIT;
  carteira_fit_options options;
  carteira_fit_info info = CARTEIRA_FIT_INFO_INIT;
  carteira_model* bg = NULL;
  carteira_model* gg = NULL;
  carteira_model* fitted = NULL;
  carteira_portfolio* portfolio = NULL;
  carteira_import_report* report = NULL;
  const char* name = NULL;
  const char* reason = NULL;
  int32_t as_of = 0;
  size_t i;

  if (argc != 2) {
    fprintf(stderr, "usage: %s SAMPLE_DIR\n", argv[0]);
    return 2;
  }
  data.count = 6;
  data.x = x;
  data.t_x = t_x;
  data.T = T;
  data.zbar = zbar;
  data.unit = CARTEIRA_WEEKS;

  /* Known parameters: Hardie's spreadsheet value for customer 1. */
  EXPECT(carteira_model_create(CARTEIRA_MODEL_BGNBD, published, 4, CARTEIRA_WEEKS, &bg) == CARTEIRA_OK);
  EXPECT(carteira_model_expected_purchases(bg, &data, 39, CARTEIRA_WEEKS, out, 6) == CARTEIRA_OK);
  EXPECT(fabs(out[1] - 1.2260281747671405) < 1e-9);
  EXPECT(carteira_model_expected_purchases(bg, &data, 273, CARTEIRA_DAYS, out, 6) == CARTEIRA_OK);
  EXPECT(fabs(out[1] - 1.2260281747671405) < 1e-9);
  EXPECT(carteira_model_p_alive(bg, &data, out, 6) == CARTEIRA_OK);
  EXPECT(out[0] == 1.0 && out[1] > 0 && out[1] < 1);
  EXPECT(carteira_model_p_alive(bg, &data, out, 5) == CARTEIRA_OUT_OF_RANGE);
  EXPECT(carteira_model_unconditional_expected_purchases(bg, 52, CARTEIRA_WEEKS, &e) == CARTEIRA_OK);
  EXPECT(e > 0);
  EXPECT(carteira_model_probability_of_purchases(bg, 0, 52, CARTEIRA_WEEKS, &p) == CARTEIRA_OK);
  EXPECT(p > 0 && p < 1);
  EXPECT(carteira_model_get_fit_info(bg, &info) == CARTEIRA_OK);
  EXPECT(info.fitted == 0 && info.param_count == 4 && info.kind == CARTEIRA_MODEL_BGNBD);
  EXPECT(carteira_model_param_name(bg, 3, &name) == CARTEIRA_OK && strcmp(name, "b") == 0);
  EXPECT(carteira_model_param_name(bg, 4, &name) == CARTEIRA_OUT_OF_RANGE);
  EXPECT(carteira_model_fit_reason(bg, &reason) == CARTEIRA_OK && strcmp(reason, "") == 0);

  /* Pareto/NBD's P(X(t) = n) at Fader & Hardie's CDNOW estimates: their
   * closed form (note 012) at 40 digits gives 0.16556294727717547759. */
  {
    const double pnbd_params[] = {0.553, 10.578, 0.606, 11.669};
    carteira_model* pnbd = NULL;
    EXPECT(carteira_model_create(CARTEIRA_MODEL_PARETONBD, pnbd_params, 4, CARTEIRA_WEEKS, &pnbd) == CARTEIRA_OK);
    EXPECT(carteira_model_probability_of_purchases(pnbd, 1, 39, CARTEIRA_WEEKS, &p) == CARTEIRA_OK);
    EXPECT(fabs(p - 0.16556294727717547759) < 1e-11);
    EXPECT(carteira_model_probability_of_purchases(pnbd, -1, 39, CARTEIRA_WEEKS, &p) == CARTEIRA_INVALID_ARGUMENT);
    carteira_model_destroy(pnbd);
  }

  /* Spend and lifetime value. */
  EXPECT(carteira_model_create(CARTEIRA_MODEL_GAMMAGAMMA, gg_params, 3, CARTEIRA_WEEKS, &gg) == CARTEIRA_OK);
  EXPECT(carteira_model_probability_of_purchases(gg, 1, 39, CARTEIRA_WEEKS, &p) == CARTEIRA_FAILED_PRECONDITION);
  EXPECT(carteira_model_expected_spend(gg, &data, out, 6) == CARTEIRA_OK);
  EXPECT(out[1] > 25.0 && out[1] < 40.0); /* shrunk towards the population mean */
  EXPECT(carteira_model_lifetime_value(bg, gg, &data, 12, CARTEIRA_MONTHS, 1, CARTEIRA_MONTHS, 0.01, 0.3, clv, 6) ==
         CARTEIRA_OK);
  for (i = 0; i < 6; ++i) EXPECT(clv[i] > 0);
  EXPECT(carteira_model_expected_spend(bg, &data, out, 6) == CARTEIRA_FAILED_PRECONDITION);

  /* Errors name the place. */
  {
    double bad_t_x[] = {0, 50.0, 20.0, 5.0, 35.0, 37.0};
    data.t_x = bad_t_x;
    EXPECT(carteira_model_p_alive(bg, &data, out, 6) == CARTEIRA_INVALID_ARGUMENT);
    EXPECT(strstr(carteira_last_error_message(), "row 1: t_x = 50") != NULL);
    data.t_x = t_x;
  }
  EXPECT(carteira_model_create(9, published, 4, CARTEIRA_WEEKS, &fitted) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(carteira_model_create(CARTEIRA_MODEL_BGNBD, published, 3, CARTEIRA_WEEKS, &fitted) ==
         CARTEIRA_INVALID_ARGUMENT);

  /* A fit on the sample portfolio, through the summary. */
  carteira_fit_options_init(&options, sizeof options);
  EXPECT(carteira_portfolio_create(&portfolio) == CARTEIRA_OK);
  EXPECT(carteira_import_directory(portfolio, argv[1], NULL, &report) == CARTEIRA_OK);
  carteira_import_report_destroy(report);
  EXPECT(carteira_parse_date("2026-10-31", &as_of) == CARTEIRA_OK);
  EXPECT(carteira_model_fit_portfolio(CARTEIRA_MODEL_BGNBD, portfolio, as_of, CARTEIRA_WEEKS, &options, &fitted) ==
         CARTEIRA_OK);
  EXPECT(carteira_model_get_fit_info(fitted, &info) == CARTEIRA_OK);
  EXPECT(info.fitted == 1 && info.n_customers > 4000);
  EXPECT(carteira_model_get_params(fitted, params, se, 4) == CARTEIRA_OK);
  /* Standard errors are positive, or NaN where the data do not identify a
   * parameter (the sample's dropout rate barely varies across customers). */
  for (i = 0; i < 4; ++i) EXPECT(params[i] > 0 && (se[i] > 0 || isnan(se[i])));
  EXPECT(carteira_model_fit_reason(fitted, &reason) == CARTEIRA_OK && strlen(reason) > 0);
  /* The sample's dropout barely varies across customers: a and b run along a
   * ridge, and the fit says so rather than claiming a clean convergence. */
  EXPECT(info.converged == 1 || strstr(reason, "ridge") != NULL);
  carteira_model_destroy(fitted);
  fitted = NULL;
  EXPECT(carteira_model_fit_portfolio(CARTEIRA_MODEL_BGBB, portfolio, as_of, CARTEIRA_WEEKS, NULL, &fitted) ==
         CARTEIRA_INVALID_ARGUMENT);

  /* The P(alive) rule on a status engine over the sample. */
  {
    carteira_status_policy* policy = NULL;
    carteira_status_engine* engine = NULL;
    carteira_status_table* table = NULL;
    size_t rows = 0, row, decided = 0;
    EXPECT(carteira_status_policy_default(&policy) == CARTEIRA_OK);
    EXPECT(carteira_status_engine_create(portfolio, policy, &engine) == CARTEIRA_OK);
    EXPECT(carteira_status_engine_add_p_alive_rule(engine, bg, 0.5, 0.2, 90, CARTEIRA_DAYS) == CARTEIRA_OK);
    EXPECT(carteira_status_engine_add_p_alive_rule(engine, gg, 0.5, 0.2, 90, CARTEIRA_DAYS) ==
           CARTEIRA_INVALID_ARGUMENT);
    EXPECT(carteira_status_engine_add_p_alive_rule(engine, bg, 0.1, 0.2, 90, CARTEIRA_DAYS) ==
           CARTEIRA_INVALID_ARGUMENT); /* inactive_below above at_risk_below */
    EXPECT(carteira_status_classify(engine, as_of, &table) == CARTEIRA_OK);
    EXPECT(carteira_status_table_size(table, &rows) == CARTEIRA_OK);
    for (row = 0; row < rows; ++row) {
      if (carteira_status_table_rule_name(table, row, &name) == CARTEIRA_OK && strcmp(name, "p_alive") == 0) {
        ++decided;
      }
    }
    EXPECT(decided > 0);
    /* Its figures are columns: P(alive) in [0, 1] and the expected purchases
     * for every customer with a purchase, NaN for prospects. */
    {
      size_t fields = 0, with_figures = 0;
      const char* field_name = NULL;
      double* p_alive = (double*)malloc(rows * sizeof(double));
      double* expected = (double*)malloc(rows * sizeof(double));
      EXPECT(carteira_status_table_field_count(table, &fields) == CARTEIRA_OK && fields == 2);
      EXPECT(carteira_status_table_field_name(table, 0, &field_name) == CARTEIRA_OK &&
             strcmp(field_name, "p_alive") == 0);
      EXPECT(carteira_status_table_field_name(table, 1, &field_name) == CARTEIRA_OK &&
             strcmp(field_name, "expected_purchases_90d") == 0);
      EXPECT(carteira_status_table_field_name(table, 2, &field_name) == CARTEIRA_OUT_OF_RANGE);
      EXPECT(carteira_status_table_get_field(table, 0, p_alive, rows) == CARTEIRA_OK);
      EXPECT(carteira_status_table_get_field(table, 1, expected, rows) == CARTEIRA_OK);
      EXPECT(carteira_status_table_get_field(table, 1, expected, rows - 1) == CARTEIRA_OUT_OF_RANGE);
      EXPECT(carteira_status_table_get_field(table, 2, expected, rows) == CARTEIRA_OUT_OF_RANGE);
      for (row = 0; row < rows; ++row) {
        if (isnan(p_alive[row])) {
          EXPECT(isnan(expected[row]));
          continue;
        }
        EXPECT(p_alive[row] >= 0 && p_alive[row] <= 1 && expected[row] >= 0);
        ++with_figures;
      }
      EXPECT(with_figures > rows / 2);
      free(p_alive);
      free(expected);
    }
    carteira_status_table_destroy(table);
    carteira_status_engine_destroy(engine);
    carteira_status_policy_destroy(policy);
  }

  /* A fit on columns (too few customers to mean much, but it runs). */
  EXPECT(carteira_model_fit(CARTEIRA_MODEL_GAMMAGAMMA, &data, NULL, &fitted) == CARTEIRA_OK);
  carteira_model_destroy(fitted);

  carteira_portfolio_destroy(portfolio);
  carteira_model_destroy(gg);
  carteira_model_destroy(bg);
  carteira_model_destroy(NULL);
  printf("%d passed, %d failed\n", passes, failures);
  return failures == 0 ? 0 : 1;
}
