/* Proves carteira.h is C: a C11 program (-pedantic -Werror) that imports
 * the sample portfolio and reads a summary column through the ABI. */
#include <stdio.h>
#include <string.h>

#include "c_test.h"
#include "carteira/carteira.h"

int main(int argc, char** argv) {
  carteira_portfolio* portfolio = NULL;
  carteira_import_report* report = NULL;
  carteira_portfolio_counts counts = CARTEIRA_PORTFOLIO_COUNTS_INIT;
  carteira_summary_options options = CARTEIRA_SUMMARY_OPTIONS_INIT;
  carteira_summary* summary = NULL;
  size_t rows = 0;
  int32_t as_of = 0;
  int64_t revenue[8000];
  int64_t total = 0;
  size_t i;

  if (argc != 2) {
    fprintf(stderr, "usage: %s SAMPLE_DIR\n", argv[0]);
    return 2;
  }
  EXPECT(carteira_version_number() == CARTEIRA_VERSION_NUMBER);
  EXPECT(carteira_portfolio_create(&portfolio) == CARTEIRA_OK);
  EXPECT(carteira_import_directory(portfolio, argv[1], NULL, &report) == CARTEIRA_OK);
  carteira_import_report_destroy(report);
  EXPECT(carteira_portfolio_get_counts(portfolio, &counts) == CARTEIRA_OK);
  EXPECT(counts.customers == 5000);
  EXPECT(carteira_parse_date("31/10/2026", &as_of) == CARTEIRA_OK);
  options.as_of = as_of;
  EXPECT(carteira_summary_compute(portfolio, &options, &summary) == CARTEIRA_OK);
  EXPECT(carteira_summary_size(summary, &rows) == CARTEIRA_OK);
  EXPECT(rows > 4000 && rows <= 5000);
  EXPECT(rows <= sizeof revenue / sizeof revenue[0]);
  if (rows <= sizeof revenue / sizeof revenue[0]) {
    EXPECT(carteira_summary_get_int64(summary, CARTEIRA_SUMMARY_REVENUE, revenue, rows) == CARTEIRA_OK);
    for (i = 0; i < rows; ++i) total += revenue[i];
    EXPECT(total > 0);
  }
  /* Errors come back as codes with a message. */
  EXPECT(carteira_summary_get_int64(summary, CARTEIRA_SUMMARY_ZBAR, revenue, rows) ==
         CARTEIRA_INVALID_ARGUMENT);
  EXPECT(strlen(carteira_last_error_message()) > 0);
  carteira_summary_destroy(summary);
  carteira_portfolio_destroy(portfolio);
  printf("%d passed, %d failed\n", passes, failures);
  return failures == 0 ? 0 : 1;
}
