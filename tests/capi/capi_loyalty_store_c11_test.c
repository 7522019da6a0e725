/* The loyalty ledger in the store from C11: every customer's balance in
 * one call (equal to the per-customer call), save, load back (the same
 * entries and balances), save again after adding, a ledger made apart from
 * the store refused, and the arguments checked. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "c_test.h"
#include "carteira/carteira.h"

static int32_t day(const char* iso) {
  int32_t d = CARTEIRA_NO_DAY;
  if (carteira_parse_date(iso, &d) != CARTEIRA_OK) return CARTEIRA_NO_DAY;
  return d;
}

/* 1 when both ledgers give every customer the same balance on `on`. */
static int same_balances(const carteira_loyalty_ledger* a, const carteira_loyalty_ledger* b, size_t customers,
                         int32_t on) {
  int64_t* x = calloc(customers, sizeof(int64_t));
  int64_t* y = calloc(customers, sizeof(int64_t));
  int same = x != NULL && y != NULL && carteira_loyalty_balances(a, on, x, customers) == CARTEIRA_OK &&
             carteira_loyalty_balances(b, on, y, customers) == CARTEIRA_OK &&
             memcmp(x, y, customers * sizeof(int64_t)) == 0;
  free(x);
  free(y);
  return same;
}

int main(int argc, char** argv) {
  char path[256];
  carteira_portfolio* sample = NULL;
  carteira_portfolio* loaded = NULL;
  carteira_import_report* report = NULL;
  carteira_store* store = NULL;
  carteira_loyalty_ledger* ledger = NULL;
  carteira_loyalty_ledger* back = NULL;
  carteira_loyalty_ledger* apart = NULL;
  carteira_portfolio_counts counts = CARTEIRA_PORTFOLIO_COUNTS_INIT;
  carteira_ledger_entry x = CARTEIRA_LEDGER_ENTRY_INIT, y = CARTEIRA_LEDGER_ENTRY_INIT;
  int64_t* all = NULL;
  int64_t one = 0, rows = 0, total = 0;
  size_t n = 0, m = 0, i, customers, appended = 0, earners = 0;
  uint32_t c = 0;
  uint64_t id = 0;
  int agree = 1;
  char* rules = NULL;
  long size;
  FILE* f;
  if (argc != 3) {
    fprintf(stderr, "usage: %s SAMPLE_DIR RULES_JSON\n", argv[0]);
    return 2;
  }
  f = fopen(argv[2], "rb");
  if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
      (rules = calloc((size_t)size + 1, 1)) == NULL || fread(rules, 1, (size_t)size, f) != (size_t)size) {
    fprintf(stderr, "cannot read %s\n", argv[2]);
    return 2;
  }
  fclose(f);
  snprintf(path, sizeof path, "/tmp/carteira_capi_loyalty_store_%d.db", (int)getpid());
  remove(path);

  EXPECT(carteira_portfolio_create(&sample) == CARTEIRA_OK);
  EXPECT(carteira_import_directory(sample, argv[1], NULL, &report) == CARTEIRA_OK);
  carteira_import_report_destroy(report);
  EXPECT(carteira_store_open(path, NULL, &store) == CARTEIRA_OK);
  EXPECT(carteira_store_save(store, sample, 0) == CARTEIRA_OK);
  EXPECT(carteira_portfolio_create(&loaded) == CARTEIRA_OK);
  EXPECT(carteira_store_load(store, loaded) == CARTEIRA_OK);
  EXPECT(carteira_portfolio_get_counts(loaded, &counts) == CARTEIRA_OK && counts.customers > 0);
  customers = (size_t)counts.customers;

  /* Nothing saved yet: an empty ledger with the rules. */
  EXPECT(carteira_store_load_loyalty(store, loaded, rules, &ledger) == CARTEIRA_OK && ledger != NULL);
  EXPECT(carteira_loyalty_entry_count(ledger, &n) == CARTEIRA_OK && n == 0);
  EXPECT(carteira_loyalty_earn_from_transactions(ledger, day("2026-06-30"), &appended) == CARTEIRA_OK &&
         appended > 0);

  /* The bulk call gives what the per-customer call gives. */
  all = calloc(customers, sizeof(int64_t));
  EXPECT(all != NULL);
  EXPECT(carteira_loyalty_balances(ledger, day("2026-07-01"), all, customers) == CARTEIRA_OK);
  for (i = 0; i < customers; ++i) {
    if (carteira_loyalty_balance(ledger, (uint32_t)i, day("2026-07-01"), &one) != CARTEIRA_OK || one != all[i]) {
      agree = 0;
    }
    if (all[i] > 0) ++earners;
    total += all[i];
  }
  EXPECT(agree);
  EXPECT(earners > 0 && total > 0);
  EXPECT(carteira_loyalty_balances(ledger, day("2026-07-01"), all, customers - 1) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(strstr(carteira_last_error_message(), "customers") != NULL);
  EXPECT(carteira_loyalty_balances(ledger, day("2026-07-01"), NULL, customers) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(carteira_loyalty_balances(ledger, CARTEIRA_NO_DAY, all, customers) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(carteira_loyalty_balances(NULL, day("2026-07-01"), all, customers) == CARTEIRA_INVALID_ARGUMENT);

  /* A redemption, then save: the store holds every entry. */
  for (c = 0; c < customers && all[c] < 10; ++c) {
  }
  EXPECT(c < customers);
  EXPECT(carteira_loyalty_redeem(ledger, c, day("2026-07-01"), 10, "R-1", &id) == CARTEIRA_OK);
  EXPECT(carteira_store_save_loyalty(store, ledger) == CARTEIRA_OK);
  EXPECT(carteira_loyalty_entry_count(ledger, &n) == CARTEIRA_OK);
  EXPECT(carteira_store_count(store, "loyalty_ledger", &rows) == CARTEIRA_OK && (size_t)rows == n);
  EXPECT(carteira_store_save_loyalty(store, ledger) == CARTEIRA_OK); /* nothing new: nothing written */
  EXPECT(carteira_store_count(store, "loyalty_ledger", &rows) == CARTEIRA_OK && (size_t)rows == n);

  /* Loaded back: the same entries, the same balances, the same earned-until day. */
  EXPECT(carteira_store_load_loyalty(store, loaded, rules, &back) == CARTEIRA_OK);
  EXPECT(carteira_loyalty_entry_count(back, &m) == CARTEIRA_OK && m == n);
  EXPECT(carteira_loyalty_entry_get(ledger, n - 1, &x) == CARTEIRA_OK);
  EXPECT(carteira_loyalty_entry_get(back, n - 1, &y) == CARTEIRA_OK);
  EXPECT(x.id == y.id && x.customer == y.customer && x.day == y.day && x.kind == y.kind && x.points == y.points &&
         strcmp(x.reference, y.reference) == 0 && y.kind == CARTEIRA_LEDGER_REDEEM);
  EXPECT(same_balances(ledger, back, customers, day("2026-07-01")));
  EXPECT(same_balances(ledger, back, customers, day("2027-07-01")));
  /* Nothing is earned twice: the stored earned-until day came back. */
  EXPECT(carteira_loyalty_earn_from_transactions(back, day("2026-06-30"), &appended) == CARTEIRA_OK &&
         appended == 0);

  /* Added to after loading, then saved: appended. */
  EXPECT(carteira_loyalty_adjust(back, c, day("2026-07-02"), 5, "goodwill", &id) == CARTEIRA_OK && id == n + 1);
  EXPECT(carteira_store_save_loyalty(store, back) == CARTEIRA_OK);
  EXPECT(carteira_store_count(store, "loyalty_ledger", &rows) == CARTEIRA_OK && (size_t)rows == n + 1);

  /* The first ledger is now behind the store: refused, nothing written. */
  EXPECT(carteira_store_save_loyalty(store, ledger) == CARTEIRA_FAILED_PRECONDITION);
  EXPECT(strstr(carteira_last_error_message(), "append-only") != NULL);
  /* Ahead of the store but with another entry where the store has its last:
   * a ledger made apart from the store's, refused naming the entry. */
  EXPECT(carteira_loyalty_adjust(ledger, c, day("2026-07-02"), 7, "other", &id) == CARTEIRA_OK);
  EXPECT(carteira_loyalty_adjust(ledger, c, day("2026-07-03"), 1, "more", &id) == CARTEIRA_OK);
  EXPECT(carteira_store_save_loyalty(store, ledger) == CARTEIRA_FAILED_PRECONDITION);
  EXPECT(strstr(carteira_last_error_message(), "differs") != NULL);
  EXPECT(carteira_store_count(store, "loyalty_ledger", &rows) == CARTEIRA_OK && (size_t)rows == n + 1);

  /* Arguments. */
  EXPECT(carteira_store_save_loyalty(NULL, ledger) == CARTEIRA_INVALID_ARGUMENT);
  EXPECT(carteira_store_save_loyalty(store, NULL) == CARTEIRA_INVALID_ARGUMENT);
  carteira_loyalty_ledger_destroy(NULL);
  apart = back; /* a failed load sets *out to NULL */
  EXPECT(carteira_store_load_loyalty(store, NULL, NULL, &apart) == CARTEIRA_INVALID_ARGUMENT && apart == NULL);
  apart = back;
  EXPECT(carteira_store_load_loyalty(NULL, loaded, NULL, &apart) == CARTEIRA_INVALID_ARGUMENT && apart == NULL);
  EXPECT(carteira_store_load_loyalty(store, loaded, NULL, NULL) == CARTEIRA_INVALID_ARGUMENT);
  apart = back;
  EXPECT(carteira_store_load_loyalty(store, loaded, "{\"unit\": 100}", &apart) == CARTEIRA_INVALID_ARGUMENT &&
         apart == NULL);
  EXPECT(strstr(carteira_last_error_message(), "rules") != NULL);
  /* Default rules (NULL): the stored entries load all the same. */
  EXPECT(carteira_store_load_loyalty(store, loaded, NULL, &apart) == CARTEIRA_OK);
  EXPECT(carteira_loyalty_entry_count(apart, &m) == CARTEIRA_OK && m == n + 1);
  carteira_loyalty_ledger_destroy(apart);
  /* The sample itself (not loaded from the store) has the same ids: it loads too. */
  EXPECT(carteira_store_load_loyalty(store, sample, rules, &apart) == CARTEIRA_OK);
  carteira_loyalty_ledger_destroy(apart);

  carteira_loyalty_ledger_destroy(back);
  carteira_loyalty_ledger_destroy(ledger);
  free(all);
  free(rules);
  carteira_store_close(store);
  carteira_portfolio_destroy(loaded);
  carteira_portfolio_destroy(sample);
  remove(path);
  printf("%d passed, %d failed\n", passes, failures);
  return failures == 0 ? 0 : 1;
}
