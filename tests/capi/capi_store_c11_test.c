/* The store from C11: open (create), save the sample, reopen, load it back,
 * append a day's purchase, refresh statuses with their events, read the
 * stored statuses and the history, counts and check; the refresh's info,
 * a plan applied into the store, a merge on the store, a size limit; a
 * checkpoint (the file alone then holds the data), SQLite's own
 * checkpoints, older options structs; bad files and busy. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "c_test.h"
#include "carteira/carteira.h"

/* Copies the file `from` to `to` (the main file alone: no -wal, no -shm). */
static int copy_file(const char* from, const char* to) {
  char buffer[65536];
  size_t n;
  int ok = 1;
  FILE* in = fopen(from, "rb");
  FILE* out = fopen(to, "wb");
  if (in == NULL || out == NULL) ok = 0;
  while (ok && (n = fread(buffer, 1, sizeof buffer, in)) > 0) {
    if (fwrite(buffer, 1, n, out) != n) ok = 0;
  }
  if (in != NULL) fclose(in);
  if (out != NULL && fclose(out) != 0) ok = 0;
  return ok;
}

/* Removes a store file with its -wal and -shm. */
static void remove_store(const char* path) {
  char side[300];
  remove(path);
  snprintf(side, sizeof side, "%s-wal", path);
  remove(side);
  snprintf(side, sizeof side, "%s-shm", path);
  remove(side);
}

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
  /* What the refresh did; events from elsewhere have no refresh info. */
  EXPECT(carteira_store_refresh_statuses(store, later, NULL, &events) == CARTEIRA_OK);
  {
    carteira_refresh_info info = CARTEIRA_REFRESH_INFO_INIT;
    carteira_status_policy* stricter = NULL;
    EXPECT(carteira_status_events_refresh_info(events, &info) == CARTEIRA_OK);
    EXPECT(info.as_of == later && info.previous_as_of == later && info.policy_changed == 0);
    carteira_status_events_destroy(events);
    /* Another policy judges everyone again and says so. */
    EXPECT(carteira_status_policy_from_json(
               "{\"recency\": {\"at_risk_after\": 45}, \"cadence\": {\"enabled\": false}}", &stricter) ==
           CARTEIRA_OK);
    EXPECT(carteira_store_refresh_statuses(store, later, stricter, &events) == CARTEIRA_OK);
    info.struct_size = sizeof info;
    EXPECT(carteira_status_events_refresh_info(events, &info) == CARTEIRA_OK);
    EXPECT(info.policy_changed == 1 && info.customers_checked == a.customers);
    EXPECT(carteira_status_events_size(events, &n) == CARTEIRA_OK && n > 0);
    carteira_status_events_destroy(events);
    carteira_status_policy_destroy(stricter);
    EXPECT(carteira_store_statuses(store, &events) == CARTEIRA_OK);
    EXPECT(carteira_status_events_refresh_info(events, &info) == CARTEIRA_FAILED_PRECONDITION);
    carteira_status_events_destroy(events);
    EXPECT(carteira_status_events_refresh_info(NULL, &info) == CARTEIRA_INVALID_ARGUMENT);
  }

  /* A giro plan built on the store's portfolio goes into the store's
   * history with its record; applying it again is refused. */
  {
    carteira_portfolio* current = NULL;
    carteira_status_policy* policy = NULL;
    carteira_status_engine* engine = NULL;
    carteira_status_table* table = NULL;
    carteira_plan_pipeline* pipeline = NULL;
    carteira_plan* plan = NULL;
    carteira_plan_info info = CARTEIRA_PLAN_INFO_INIT;
    int64_t assignments_before = 0, assignments_after = 0, plans = 0;
    EXPECT(carteira_portfolio_create(&current) == CARTEIRA_OK);
    EXPECT(carteira_store_load(store, current) == CARTEIRA_OK);
    EXPECT(carteira_status_policy_default(&policy) == CARTEIRA_OK);
    EXPECT(carteira_status_engine_create(current, policy, &engine) == CARTEIRA_OK);
    EXPECT(carteira_status_classify(engine, later, &table) == CARTEIRA_OK);
    EXPECT(carteira_plan_pipeline_from_json("{\"policies\": [{\"policy\": \"rotate_at_risk\"}]}", &pipeline) ==
           CARTEIRA_OK);
    EXPECT(carteira_plan_build(current, table, pipeline, &plan) == CARTEIRA_OK);
    EXPECT(carteira_plan_info_get(plan, &info) == CARTEIRA_OK && info.move_count > 0);
    EXPECT(carteira_store_count(store, "assignments", &assignments_before) == CARTEIRA_OK);
    EXPECT(carteira_store_apply_plan(store, plan, later, "", NULL) == CARTEIRA_INVALID_ARGUMENT);
    EXPECT(carteira_store_apply_plan(store, plan, later, NULL, NULL) == CARTEIRA_INVALID_ARGUMENT);
    EXPECT(carteira_store_apply_plan(store, plan, later, "gerente", "giro de novembro") == CARTEIRA_OK);
    EXPECT(carteira_store_count(store, "assignments", &assignments_after) == CARTEIRA_OK);
    EXPECT(assignments_after == assignments_before + (int64_t)info.move_count);
    EXPECT(carteira_store_count(store, "plans", &plans) == CARTEIRA_OK && plans == 1);
    EXPECT(carteira_store_apply_plan(store, plan, later, "gerente", NULL) == CARTEIRA_ALREADY_EXISTS);
    EXPECT(strstr(carteira_last_error_message(), "already applied") != NULL);
    EXPECT(carteira_store_count(store, "assignments", &rows) == CARTEIRA_OK && rows == assignments_after);
    carteira_plan_destroy(plan);
    carteira_plan_pipeline_destroy(pipeline);
    carteira_status_table_destroy(table);
    carteira_status_engine_destroy(engine);
    carteira_status_policy_destroy(policy);
    carteira_portfolio_destroy(current);
  }

  /* A merge on the store: one customer fewer, one alias more; an unknown
   * survivor is refused with nothing changed. */
  {
    const char* merged[] = {"C00014"};
    int64_t customers_before = 0, aliases = 0;
    EXPECT(carteira_store_count(store, "customers", &customers_before) == CARTEIRA_OK);
    EXPECT(carteira_store_merge_customers(store, "NO-SUCH", merged, 1, later, "auditor") != CARTEIRA_OK);
    EXPECT(carteira_store_merge_customers(store, "C00013", merged, 1, later, "auditor") == CARTEIRA_OK);
    EXPECT(carteira_store_count(store, "customers", &rows) == CARTEIRA_OK && rows == customers_before - 1);
    EXPECT(carteira_store_count(store, "merged_customers", &aliases) == CARTEIRA_OK && aliases == 1);
  }
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
  EXPECT(carteira_store_count(second, "customers", &rows) == CARTEIRA_OK && rows == a.customers - 1); /* merged */
  EXPECT(carteira_store_save(second, sample, 1) == CARTEIRA_PERMISSION_DENIED);
  carteira_store_close(second);
  carteira_store_close(store);

  /* A store limited to a few pages refuses a save that needs more, whole. */
  {
    char small[256];
    carteira_store_options limited = CARTEIRA_STORE_OPTIONS_INIT;
    snprintf(small, sizeof small, "/tmp/carteira_capi_store_small_%d.db", (int)getpid());
    remove(small);
    limited.max_bytes = 256 * 1024;
    EXPECT(carteira_store_open(small, &limited, &store) == CARTEIRA_OK);
    EXPECT(carteira_store_save(store, sample, 0) == CARTEIRA_RESOURCE_EXHAUSTED);
    EXPECT(carteira_store_count(store, "customers", &rows) == CARTEIRA_OK && rows == 0);
    EXPECT(carteira_store_count(store, "transactions", &rows) == CARTEIRA_OK && rows == 0);
    carteira_store_close(store);
    limited.max_bytes = -1;
    EXPECT(carteira_store_open(small, &limited, &store) == CARTEIRA_INVALID_ARGUMENT && store == NULL);
    /* A caller built against 0.1 (no max_bytes) is still understood. */
    limited.struct_size = (uint32_t)(offsetof(carteira_store_options, durable) + sizeof(int32_t));
    EXPECT(carteira_store_open(small, &limited, &store) == CARTEIRA_OK);
    carteira_store_close(store);
    store = NULL;
    remove(small);
    {
      char side[300];
      snprintf(side, sizeof side, "%s-wal", small);
      remove(side);
      snprintf(side, sizeof side, "%s-shm", small);
      remove(side);
    }
  }

  /* A checkpoint copies the write-ahead log into the file: a copy of the
   * file alone (taken while the store is open, so its -wal is not folded
   * in by a close) then holds everything. It is refused on a read-only
   * store (with a message) and for no store. */
  {
    char fresh[256], copy[256];
    carteira_store_options read_only = CARTEIRA_STORE_OPTIONS_INIT;
    snprintf(fresh, sizeof fresh, "/tmp/carteira_capi_store_fresh_%d.db", (int)getpid());
    snprintf(copy, sizeof copy, "/tmp/carteira_capi_store_copy_%d.db", (int)getpid());
    remove_store(fresh);
    remove_store(copy);
    EXPECT(read_only.checkpoint_thread == 1); /* the default */
    EXPECT(carteira_store_open(fresh, NULL, &store) == CARTEIRA_OK);
    EXPECT(carteira_store_save(store, sample, 0) == CARTEIRA_OK);
    EXPECT(carteira_store_checkpoint(store) == CARTEIRA_OK);
    EXPECT(copy_file(fresh, copy));
    read_only.create = 0;
    read_only.read_only = 1;
    EXPECT(carteira_store_open(copy, &read_only, &second) == CARTEIRA_OK);
    EXPECT(carteira_store_count(second, "customers", &rows) == CARTEIRA_OK && rows == a.customers);
    EXPECT(carteira_store_count(second, "transactions", &rows) == CARTEIRA_OK && rows == a.transactions);
    EXPECT(carteira_store_checkpoint(second) == CARTEIRA_PERMISSION_DENIED);
    EXPECT(strstr(carteira_last_error_message(), "read-only") != NULL);
    carteira_store_close(second);
    second = NULL;
    carteira_store_close(store);
    store = NULL;
    EXPECT(carteira_store_checkpoint(NULL) == CARTEIRA_INVALID_ARGUMENT);
    EXPECT(strstr(carteira_last_error_message(), "store") != NULL);
    remove_store(copy);
    remove_store(fresh);
  }

  /* checkpoint_thread = 0 (SQLite's own checkpoints, inside commits): the
   * store opens and works, and an explicit checkpoint still succeeds. A
   * caller built against 0.2 before checkpoint_thread (its struct ends at
   * max_bytes) and one built against 0.1 (ends at durable) get the default. */
  {
    char other[256];
    carteira_store_options own = CARTEIRA_STORE_OPTIONS_INIT;
    snprintf(other, sizeof other, "/tmp/carteira_capi_store_own_%d.db", (int)getpid());
    remove_store(other);
    own.checkpoint_thread = 0;
    EXPECT(carteira_store_open(other, &own, &store) == CARTEIRA_OK);
    EXPECT(carteira_store_save(store, sample, 0) == CARTEIRA_OK);
    EXPECT(carteira_store_count(store, "transactions", &rows) == CARTEIRA_OK && rows == a.transactions);
    EXPECT(carteira_store_checkpoint(store) == CARTEIRA_OK);
    carteira_store_close(store);
    store = NULL;
    /* checkpoint_thread (still 0) lies beyond these callers' structs: not read. */
    own.struct_size = (uint32_t)(offsetof(carteira_store_options, max_bytes) + sizeof(int64_t));
    EXPECT(own.struct_size < sizeof(carteira_store_options));
    EXPECT(carteira_store_open(other, &own, &store) == CARTEIRA_OK);
    EXPECT(carteira_store_count(store, "transactions", &rows) == CARTEIRA_OK && rows == a.transactions);
    EXPECT(carteira_store_checkpoint(store) == CARTEIRA_OK);
    carteira_store_close(store);
    store = NULL;
    own.struct_size = (uint32_t)(offsetof(carteira_store_options, durable) + sizeof(int32_t));
    EXPECT(carteira_store_open(other, &own, &store) == CARTEIRA_OK);
    EXPECT(carteira_store_checkpoint(store) == CARTEIRA_OK);
    carteira_store_close(store);
    store = NULL;
    remove_store(other);
  }

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
