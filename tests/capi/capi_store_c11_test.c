/* The store from C11: open (create), save the sample, reopen, load it back,
 * append a day's purchase, refresh statuses with their events, read the
 * stored statuses and the history, counts and check; bad files and busy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "carteira/carteira.h"

static int failures = 0;
static int passes = 0;

#define EXPECT(cond)                                                        \
  do {                                                                      \
    if (cond) {                                                             \
      ++passes;                                                             \
    } else {                                                                \
      ++failures;                                                           \
      fprintf(stderr, "%s:%d: expected %s (last error: %s)\n", __FILE__,    \
              __LINE__, #cond, carteira_last_error_message());              \
    }                                                                       \
  } while (0)

int main(int argc, char** argv) {
  char path[256], junk[256];
  carteira_portfolio* sample = NULL;
  carteira_portfolio* loaded = NULL;
  carteira_portfolio* delta = NULL;
  carteira_import_report* report = NULL;
  carteira_store* store = NULL;
  carteira_store* second = NULL;
  carteira_store_options options = CARTEIRA_STORE_OPTIONS_INIT;
  carteira_store_append_report appended = CARTEIRA_STORE_APPEND_REPORT_INIT;
  carteira_portfolio_counts a = CARTEIRA_PORTFOLIO_COUNTS_INIT, b = CARTEIRA_PORTFOLIO_COUNTS_INIT;
  carteira_status_events* events = NULL;
  carteira_status_event event = CARTEIRA_STATUS_EVENT_INIT;
  int32_t version = 0, day = 0, last = 0, as_of = 0, later = 0;
  int64_t rows = 0;
  size_t n = 0, i, length = 0, problems = 99;
  int found_reactivated = 0;
  FILE* f;
  if (argc != 2) {
    fprintf(stderr, "usage: %s SAMPLE_DIR\n", argv[0]);
    return 2;
  }
  snprintf(path, sizeof path, "/tmp/carteira_capi_store_%d.db", (int)getpid());
  snprintf(junk, sizeof junk, "/tmp/carteira_capi_store_%d.txt", (int)getpid());
  remove(path);

  EXPECT(carteira_portfolio_create(&sample) == CARTEIRA_OK);
  EXPECT(carteira_import_directory(sample, argv[1], NULL, &report) == CARTEIRA_OK);
  carteira_import_report_destroy(report);
  EXPECT(carteira_store_open(path, NULL, &store) == CARTEIRA_OK);
  EXPECT(carteira_store_schema_version(store, &version) == CARTEIRA_OK && version >= 1);
  EXPECT(carteira_store_save(store, sample, 0) == CARTEIRA_OK);
  EXPECT(carteira_store_save(store, sample, 0) != CARTEIRA_OK); /* not empty: refused */
  carteira_store_close(store);

  /* Reopened, the store gives the same portfolio back. */
  EXPECT(carteira_store_open(path, &options, &store) == CARTEIRA_OK);
  EXPECT(carteira_portfolio_create(&loaded) == CARTEIRA_OK);
  EXPECT(carteira_store_load(store, loaded) == CARTEIRA_OK);
  EXPECT(carteira_portfolio_get_counts(sample, &a) == CARTEIRA_OK);
  EXPECT(carteira_portfolio_get_counts(loaded, &b) == CARTEIRA_OK);
  EXPECT(a.customers == b.customers && a.transactions == b.transactions && a.contracts == b.contracts &&
         a.assignments == b.assignments);
  EXPECT(carteira_store_count(store, "transactions", &rows) == CARTEIRA_OK && rows == a.transactions);
  EXPECT(carteira_store_count(store, "nonsense", &rows) == CARTEIRA_NOT_FOUND);
  EXPECT(carteira_store_last_refresh_date(store, &day) == CARTEIRA_OK && day == CARTEIRA_NO_DAY);
  EXPECT(carteira_store_last_transaction_date(store, &last) == CARTEIRA_OK && last != CARTEIRA_NO_DAY);

  /* The first refresh is the baseline: no events; every customer stored. */
  EXPECT(carteira_parse_date("2026-10-31", &as_of) == CARTEIRA_OK);
  EXPECT(carteira_store_refresh_statuses(store, as_of, NULL, &events) == CARTEIRA_OK);
  EXPECT(carteira_status_events_size(events, &n) == CARTEIRA_OK && n == 0);
  carteira_status_events_destroy(events);
  EXPECT(carteira_store_statuses(store, &events) == CARTEIRA_OK);
  EXPECT(carteira_status_events_size(events, &n) == CARTEIRA_OK && (int64_t)n == a.customers);
  EXPECT(carteira_status_events_get(events, 0, &event) == CARTEIRA_OK && event.as_of == as_of &&
         event.from == event.to);
  EXPECT(carteira_status_events_get(events, n, &event) == CARTEIRA_OUT_OF_RANGE);
  carteira_status_events_destroy(events);

  /* A day later: a customer lost since 2024 buys again; the refresh reports
   * the change, and the history keeps it. */
  EXPECT(carteira_portfolio_create(&delta) == CARTEIRA_OK);
  {
    const char* ids[] = {"C00013"};
    uint32_t index[1];
    int64_t amount[] = {12345};
    carteira_transaction_columns t = CARTEIRA_TRANSACTION_COLUMNS_INIT;
    EXPECT(carteira_parse_date("2026-11-01", &later) == CARTEIRA_OK);
    EXPECT(carteira_portfolio_intern_customers(delta, ids, 1, index) == CARTEIRA_OK);
    t.count = 1;
    t.customer_index = index;
    t.date = &later;
    t.amount = amount;
    EXPECT(carteira_portfolio_append_transactions(delta, &t) == CARTEIRA_OK);
  }
  EXPECT(carteira_store_append(store, delta, &appended) == CARTEIRA_OK);
  EXPECT(appended.transactions == 1 && appended.affected_customers == 1 && appended.customers_added == 0);
  EXPECT(carteira_store_refresh_statuses(store, later, NULL, &events) == CARTEIRA_OK);
  EXPECT(carteira_status_events_size(events, &n) == CARTEIRA_OK && n >= 1);
  for (i = 0; i < n; ++i) {
    EXPECT(carteira_status_events_get(events, i, &event) == CARTEIRA_OK);
    if (strcmp(event.customer_id, "C00013") == 0 && event.to == CARTEIRA_LIFECYCLE_REACTIVATED) found_reactivated = 1;
  }
  carteira_status_events_destroy(events);
  EXPECT(found_reactivated);
  EXPECT(carteira_store_history(store, as_of, later, &events) == CARTEIRA_OK);
  EXPECT(carteira_status_events_size(events, &n) == CARTEIRA_OK && n >= 1);
  EXPECT(carteira_status_events_get(events, 0, &event) == CARTEIRA_OK && event.as_of == later);
  carteira_status_events_destroy(events);
  EXPECT(carteira_store_history(store, later, as_of, &events) == CARTEIRA_INVALID_ARGUMENT && events == NULL);
  EXPECT(carteira_store_refresh_statuses(store, as_of, NULL, &events) == CARTEIRA_INVALID_ARGUMENT);

  /* Consistent; a second connection reads the same committed state (the
   * busy case is tested in C++, tests/store: C cannot hold a write open). */
  EXPECT(carteira_store_check(store, NULL, 0, &length, &problems) == CARTEIRA_OK && problems == 0 && length == 0);
  options.busy_timeout_ms = 50;
  options.read_only = 1;
  EXPECT(carteira_store_open(path, &options, &second) == CARTEIRA_OK);
  EXPECT(carteira_store_count(second, "customers", &rows) == CARTEIRA_OK && rows == a.customers);
  EXPECT(carteira_store_save(second, sample, 1) == CARTEIRA_PERMISSION_DENIED);
  carteira_store_close(second);
  carteira_store_close(store);

  /* A file that is not a store is refused and left as it was. */
  f = fopen(junk, "w");
  fputs("customer_id;date;amount\n", f);
  fclose(f);
  EXPECT(carteira_store_open(junk, NULL, &store) != CARTEIRA_OK && store == NULL);
  f = fopen(junk, "r");
  {
    char line[64] = "";
    EXPECT(fgets(line, sizeof line, f) != NULL && strcmp(line, "customer_id;date;amount\n") == 0);
  }
  fclose(f);
  options.create = 0;
  EXPECT(carteira_store_open("/tmp/carteira_no_such_store.db", &options, &store) == CARTEIRA_NOT_FOUND);
  carteira_store_close(NULL);

  carteira_portfolio_destroy(delta);
  carteira_portfolio_destroy(loaded);
  carteira_portfolio_destroy(sample);
  remove(path);
  remove(junk);
  {
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", path);
    remove(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    remove(wal);
  }
  printf("%d checks passed, %d failed\n", passes, failures);
  return failures == 0 ? 0 : 1;
}
