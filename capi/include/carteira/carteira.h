/*
 * Carteira's stable C ABI.
 *
 * Conventions (see STYLE.md):
 * - Every function returns a carteira_status (0 = CARTEIRA_OK) and writes its
 *   results through out-parameters, which come last. On failure, the
 *   thread-local carteira_last_error_message() says what and where.
 * - Handles are opaque and typed; each _create has a _destroy that accepts
 *   NULL. Nothing the library returns is freed with free().
 * - Only plain C crosses: fixed-width integers, double, UTF-8 NUL-terminated
 *   strings, POD structs. Dates are int32 days since 1970-01-01
 *   (CARTEIRA_NO_DAY when absent); money is int64 minor units (centavos).
 * - Bulk calls are columnar: caller-owned arrays in, caller-allocated
 *   buffers out ("query the size, then fill"). A bulk append is all or
 *   nothing; its error names the row (counted from 0) and the field.
 * - Option and result structs start with struct_size; initialise them with
 *   their _INIT macro (or, where the struct has one, its _init(ptr, sizeof
 *   *ptr) function): zeroing is not enough where the defaults are not zero
 *   (e.g. CARTEIRA_STORE_OPTIONS_INIT). Fields are only ever
 *   appended: the library reads the fields an older caller's struct has
 *   (defaults for the rest) and writes only the fields that fit in it.
 * - No C++ exception, abort or longjmp crosses this boundary.
 */
#ifndef CARTEIRA_CARTEIRA_H_
#define CARTEIRA_CARTEIRA_H_

#include <stddef.h>
#include <stdint.h>

#include "carteira/version.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#if defined(CARTEIRA_BUILDING_LIBRARY)
#define CARTEIRA_API __declspec(dllexport)
#else
#define CARTEIRA_API __declspec(dllimport)
#endif
#elif defined(__GNUC__)
#define CARTEIRA_API __attribute__((visibility("default")))
#else
#define CARTEIRA_API
#endif

#if defined(__GNUC__)
#define CARTEIRA_MUST_USE __attribute__((warn_unused_result))
#else
#define CARTEIRA_MUST_USE
#endif

/* Status codes; the same numbers as absl::StatusCode. */
typedef enum carteira_status {
  CARTEIRA_OK = 0,
  CARTEIRA_CANCELLED = 1,
  CARTEIRA_UNKNOWN = 2,
  CARTEIRA_INVALID_ARGUMENT = 3,
  CARTEIRA_DEADLINE_EXCEEDED = 4,
  CARTEIRA_NOT_FOUND = 5,
  CARTEIRA_ALREADY_EXISTS = 6,
  CARTEIRA_PERMISSION_DENIED = 7,
  CARTEIRA_RESOURCE_EXHAUSTED = 8,
  CARTEIRA_FAILED_PRECONDITION = 9,
  CARTEIRA_ABORTED = 10,
  CARTEIRA_OUT_OF_RANGE = 11,
  CARTEIRA_UNIMPLEMENTED = 12,
  CARTEIRA_INTERNAL = 13,
  CARTEIRA_UNAVAILABLE = 14,
  CARTEIRA_DATA_LOSS = 15,
  CARTEIRA_UNAUTHENTICATED = 16
} carteira_status;

/* A missing date in a day column. */
#define CARTEIRA_NO_DAY INT32_MIN

/* ---- Version and errors ------------------------------------------------ */

/* MAJOR * 10000 + MINOR * 100 + PATCH of the loaded library. */
CARTEIRA_API int32_t carteira_version_number(void);
/* "MAJOR.MINOR.PATCH"; static storage. */
CARTEIRA_API const char* carteira_version_string(void);

/* The message of the last failed call on this thread ("" if none). Never
 * NULL; valid until the next carteira_ call on this thread; not freed by the
 * caller. */
CARTEIRA_API const char* carteira_last_error_message(void);
/* The status of the last failed call on this thread (CARTEIRA_OK if none). */
CARTEIRA_API carteira_status carteira_last_error_code(void);

/* ---- Values ------------------------------------------------------------ */

/* Parses YYYY-MM-DD, dd/mm/yyyy or YYYYMMDD into days since 1970-01-01. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_parse_date(const char* text,
                                                                  int32_t* out_day);
/* Parses "1234.56", "1.234,56", "R$ 1.234,56" into minor units, exactly. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_parse_money(const char* text,
                                                                   int64_t* out_minor);

/* ---- Portfolio --------------------------------------------------------- */

typedef struct carteira_portfolio carteira_portfolio;

CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_portfolio_create(carteira_portfolio** out);
CARTEIRA_API void carteira_portfolio_destroy(carteira_portfolio* portfolio);

typedef struct carteira_portfolio_counts {
  uint32_t struct_size;
  int64_t customers;
  int64_t reps;
  int64_t transactions;
  int64_t contracts;
  int64_t interactions;
  int64_t surveys;
  int64_t assignments;
} carteira_portfolio_counts;

#define CARTEIRA_PORTFOLIO_COUNTS_INIT {sizeof(carteira_portfolio_counts), 0, 0, 0, 0, 0, 0, 0}

/* Fills `out`, whose struct_size must be set (CARTEIRA_PORTFOLIO_COUNTS_INIT). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status
carteira_portfolio_get_counts(const carteira_portfolio* portfolio, carteira_portfolio_counts* out);

/* Customers as columns. `id` is required; any other pointer may be NULL
 * (field absent), else it has `count` entries (NULL entries = empty). */
typedef struct carteira_customer_columns {
  uint32_t struct_size;
  size_t count;
  const char* const* id;
  const char* const* name;
  const char* const* document;
  const char* const* email;
  const char* const* phone;
  const char* const* city;
  const char* const* state;
  const char* const* region;
  const char* const* segment;
  const int32_t* created_at; /* days; CARTEIRA_NO_DAY = unknown */
  const uint8_t* key_account;
  const uint8_t* delinquent;
} carteira_customer_columns;

#define CARTEIRA_CUSTOMER_COLUMNS_INIT \
  {sizeof(carteira_customer_columns), 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}
CARTEIRA_API void carteira_customer_columns_init(carteira_customer_columns* columns, size_t struct_size);

/* Appends customers; all or nothing (a duplicate id fails the call). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_portfolio_append_customers(
    carteira_portfolio* portfolio, const carteira_customer_columns* columns);

/* Transactions as columns, customers by index (see
 * carteira_portfolio_intern_customers). customer_index, date and amount are
 * required; the other pointers may be NULL. Returns have amount < 0. */
typedef struct carteira_transaction_columns {
  uint32_t struct_size;
  size_t count;
  const uint32_t* customer_index;
  const int32_t* date;   /* days since 1970-01-01 */
  const int64_t* amount; /* minor units */
  const char* const* order_id;
  const int32_t* rep_index; /* -1 = none */
  const char* const* category;
} carteira_transaction_columns;

#define CARTEIRA_TRANSACTION_COLUMNS_INIT \
  {sizeof(carteira_transaction_columns), 0, NULL, NULL, NULL, NULL, NULL, NULL}
CARTEIRA_API void carteira_transaction_columns_init(carteira_transaction_columns* columns, size_t struct_size);

/* Appends transactions; all or nothing. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_portfolio_append_transactions(
    carteira_portfolio* portfolio, const carteira_transaction_columns* columns);

/* out_index[i] = index of ids[i], creating bare customers for unknown ids. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_portfolio_intern_customers(
    carteira_portfolio* portfolio, const char* const* ids, size_t count, uint32_t* out_index);

/* CARTEIRA_NOT_FOUND if no customer has this id. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_portfolio_find_customer(
    const carteira_portfolio* portfolio, const char* id, uint32_t* out_index);

/* The ids of `count` customers, concatenated as UTF-8 (no NUL between them)
 * into `buffer`; id i is buffer[out_offsets[i] .. out_offsets[i+1]).
 * out_offsets (may be NULL) has count + 1 entries. *out_needed receives the
 * bytes needed. With buffer == NULL nothing but the offsets and *out_needed
 * is written (the size query); with a buffer smaller than that the call
 * fails with CARTEIRA_OUT_OF_RANGE. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_portfolio_customer_ids(
    const carteira_portfolio* portfolio, const uint32_t* indices, size_t count, char* buffer,
    size_t capacity, uint64_t* out_offsets, size_t* out_needed);

/* The ids of `count` reps (indices as carteira_portfolio_find_rep gives),
 * with the contract of carteira_portfolio_customer_ids. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_portfolio_rep_ids(
    const carteira_portfolio* portfolio, const int32_t* indices, size_t count, char* buffer,
    size_t capacity, uint64_t* out_offsets, size_t* out_needed);

/* Reps as columns. `id` is required; other pointers may be NULL. segments:
 * each rep's segments separated by '|' (so a segment name cannot hold '|';
 * empty names are skipped). active NULL = all active. */
typedef struct carteira_rep_columns {
  uint32_t struct_size;
  size_t count;
  const char* const* id;
  const char* const* name;
  const char* const* region;
  const char* const* segments;
  const int32_t* capacity; /* customers; 0 = not limited */
  const uint8_t* active;
  const char* const* team;
} carteira_rep_columns;
#define CARTEIRA_REP_COLUMNS_INIT {sizeof(carteira_rep_columns), 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL}
CARTEIRA_API void carteira_rep_columns_init(carteira_rep_columns* columns, size_t struct_size);
/* Appends reps; all or nothing (a duplicate id fails with ALREADY_EXISTS). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_portfolio_append_reps(
    carteira_portfolio* portfolio, const carteira_rep_columns* columns);
/* out_index[i] = index of rep ids[i], creating bare reps for unknown ids. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_portfolio_intern_reps(
    carteira_portfolio* portfolio, const char* const* ids, size_t count, int32_t* out_index);
/* CARTEIRA_NOT_FOUND if no rep has this id. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_portfolio_find_rep(
    const carteira_portfolio* portfolio, const char* id, int32_t* out_index);

/* Contracts as columns: customer_index, start and end required. */
typedef struct carteira_contract_columns {
  uint32_t struct_size;
  size_t count;
  const uint32_t* customer_index;
  const char* const* contract_id;
  const int32_t* start; /* days */
  const int32_t* end;   /* days, inclusive */
  const int64_t* value; /* minor units */
  const uint8_t* auto_renew;
} carteira_contract_columns;
#define CARTEIRA_CONTRACT_COLUMNS_INIT {sizeof(carteira_contract_columns), 0, NULL, NULL, NULL, NULL, NULL, NULL}
CARTEIRA_API void carteira_contract_columns_init(carteira_contract_columns* columns, size_t struct_size);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_portfolio_append_contracts(
    carteira_portfolio* portfolio, const carteira_contract_columns* columns);

/* Interactions (visits, calls, e-mails, messages): customer_index and date
 * required; rep_index -1 = none. */
typedef struct carteira_interaction_columns {
  uint32_t struct_size;
  size_t count;
  const uint32_t* customer_index;
  const int32_t* rep_index;
  const int32_t* date;
  const char* const* channel;
  const char* const* outcome;
} carteira_interaction_columns;
#define CARTEIRA_INTERACTION_COLUMNS_INIT {sizeof(carteira_interaction_columns), 0, NULL, NULL, NULL, NULL, NULL}
CARTEIRA_API void carteira_interaction_columns_init(carteira_interaction_columns* columns,
                                                    size_t struct_size);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_portfolio_append_interactions(
    carteira_portfolio* portfolio, const carteira_interaction_columns* columns);

/* NPS survey answers: all three columns required; score 0..10. */
typedef struct carteira_survey_columns {
  uint32_t struct_size;
  size_t count;
  const uint32_t* customer_index;
  const int32_t* date;
  const int32_t* score;
} carteira_survey_columns;
#define CARTEIRA_SURVEY_COLUMNS_INIT {sizeof(carteira_survey_columns), 0, NULL, NULL, NULL}
CARTEIRA_API void carteira_survey_columns_init(carteira_survey_columns* columns, size_t struct_size);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_portfolio_append_surveys(
    carteira_portfolio* portfolio, const carteira_survey_columns* columns);

/* Assignment history rows (from `since` on, rep holds the customer):
 * customer_index, rep_index (a real rep, not -1) and since required. */
typedef struct carteira_assignment_columns {
  uint32_t struct_size;
  size_t count;
  const uint32_t* customer_index;
  const int32_t* rep_index;
  const int32_t* since;
  const char* const* reason;
} carteira_assignment_columns;
#define CARTEIRA_ASSIGNMENT_COLUMNS_INIT {sizeof(carteira_assignment_columns), 0, NULL, NULL, NULL, NULL}
CARTEIRA_API void carteira_assignment_columns_init(carteira_assignment_columns* columns,
                                                   size_t struct_size);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_portfolio_append_assignments(
    carteira_portfolio* portfolio, const carteira_assignment_columns* columns);

/* ---- CSV import -------------------------------------------------------- */

typedef enum carteira_import_mode {
  CARTEIRA_IMPORT_STRICT = 0, /* any bad row: nothing imported */
  CARTEIRA_IMPORT_LENIENT = 1 /* good rows imported, bad rows reported */
} carteira_import_mode;

typedef struct carteira_import_options {
  uint32_t struct_size;
  int32_t mode;       /* carteira_import_mode */
  char delimiter;     /* 0 = detect; ' ' = runs of whitespace */
  int32_t has_header; /* 1 (default) or 0 */
  /* Reading of an ambiguous "1.234": 0 = by file (comma in ';' files),
   * 1 = decimal point, 2 = decimal comma. */
  int32_t decimal;
  /* Unknown customers / reps in other files: 0 = create unless the
   * customers (reps) file is part of the import, 1 = create, 2 = reject. */
  int32_t unknown_customers;
  int32_t unknown_reps;
  /* Column mapping, ';'-separated "[entity:]field=column" items; the column
   * is a header name or a 1-based position; entity defaults to the imported
   * one (transactions for directories). NULL = none. */
  const char* column_mapping;
  uint32_t max_issues; /* issues kept in the report; 0 = default (10000) */
} carteira_import_options;

#define CARTEIRA_IMPORT_OPTIONS_INIT {sizeof(carteira_import_options), 0, 0, 1, 0, 0, 0, NULL, 0}
CARTEIRA_API void carteira_import_options_init(carteira_import_options* options, size_t struct_size);

typedef struct carteira_import_report carteira_import_report;

/* Each import is atomic: on failure the portfolio is unchanged. When
 * out_report is not NULL it receives the report of every import that ran,
 * also one that failed on bad rows (destroy it with
 * carteira_import_report_destroy); it is NULL when the call was refused
 * before reading (NULL argument, bad options, unknown entity). options may
 * be NULL (defaults). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_import_directory(
    carteira_portfolio* portfolio, const char* directory, const carteira_import_options* options,
    carteira_import_report** out_report);
/* entity: "customers", "reps", "assignments", "transactions", "contracts",
 * "interactions" or "surveys". */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_import_file(
    carteira_portfolio* portfolio, const char* entity, const char* path,
    const carteira_import_options* options, carteira_import_report** out_report);
/* CSV text in memory; `name` stands for the file in messages. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_import_text(
    carteira_portfolio* portfolio, const char* entity, const char* text, size_t length,
    const char* name, const carteira_import_options* options, carteira_import_report** out_report);

CARTEIRA_API void carteira_import_report_destroy(carteira_import_report* report);

typedef struct carteira_import_counts {
  uint32_t struct_size;
  int64_t rows_read;
  int64_t rows_added;
  int64_t rows_rejected;
} carteira_import_counts;
#define CARTEIRA_IMPORT_COUNTS_INIT {sizeof(carteira_import_counts), 0, 0, 0}

CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_import_report_counts(
    const carteira_import_report* report, const char* entity, carteira_import_counts* out);
/* out_kept: issues held in the report; out_total: all bad rows seen. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_import_report_issue_count(
    const carteira_import_report* report, size_t* out_kept, int64_t* out_total);
/* 1 if the portfolio was changed. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status
carteira_import_report_applied(const carteira_import_report* report, int32_t* out_applied);

/* One rejected row. Strings live as long as the report. */
typedef struct carteira_import_issue {
  uint32_t struct_size;
  const char* file;
  int64_t line;   /* 1-based; 0 = whole file */
  int32_t column; /* 1-based; 0 = no single column */
  const char* field;
  const char* value;
  const char* message;
} carteira_import_issue;
#define CARTEIRA_IMPORT_ISSUE_INIT {sizeof(carteira_import_issue), NULL, 0, 0, NULL, NULL, NULL}

CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_import_report_issue(
    const carteira_import_report* report, size_t index, carteira_import_issue* out);
/* The whole report as text for people; lives as long as the report. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status
carteira_import_report_text(const carteira_import_report* report, const char** out_text);

/* ---- Customer summary -------------------------------------------------- */

/* Months are 365.25 / 12 days. */
typedef enum carteira_time_unit { CARTEIRA_DAYS = 0, CARTEIRA_WEEKS = 1, CARTEIRA_MONTHS = 2 } carteira_time_unit;

typedef struct carteira_summary_options {
  uint32_t struct_size;
  int32_t as_of; /* days since 1970-01-01; required */
  int32_t unit;  /* carteira_time_unit of t_x and T */
} carteira_summary_options;
#define CARTEIRA_SUMMARY_OPTIONS_INIT {sizeof(carteira_summary_options), CARTEIRA_NO_DAY, CARTEIRA_DAYS}
CARTEIRA_API void carteira_summary_options_init(carteira_summary_options* options, size_t struct_size);

typedef struct carteira_summary carteira_summary;

/* Columns of a summary. Integer columns read with either getter; the double
 * ones (T_X, T, ZBAR, MEDIAN_GAP_DAYS) only with _get_double. */
typedef enum carteira_summary_column {
  CARTEIRA_SUMMARY_CUSTOMER_INDEX = 0,
  CARTEIRA_SUMMARY_FIRST_PURCHASE = 1, /* days */
  CARTEIRA_SUMMARY_LAST_PURCHASE = 2,  /* days */
  CARTEIRA_SUMMARY_PURCHASE_DAYS = 3,
  CARTEIRA_SUMMARY_X = 4, /* repeat purchase-days */
  CARTEIRA_SUMMARY_T_X = 5,
  CARTEIRA_SUMMARY_T = 6,
  CARTEIRA_SUMMARY_REVENUE = 7,        /* minor units, net of returns */
  CARTEIRA_SUMMARY_AVERAGE_TICKET = 8, /* minor units */
  CARTEIRA_SUMMARY_ZBAR = 9,           /* major units */
  CARTEIRA_SUMMARY_MEDIAN_GAP_DAYS = 10, /* NaN below two purchase-days */
  CARTEIRA_SUMMARY_DAYS_SINCE_LAST = 11
} carteira_summary_column;

CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_summary_compute(
    const carteira_portfolio* portfolio, const carteira_summary_options* options,
    carteira_summary** out);
/* Recomputes an existing summary in place (for the same or another
 * portfolio, as-of date or unit), reusing its memory and the scratch it
 * keeps: the fast path for hosts that summarise repeatedly. On failure the
 * summary is left empty (0 rows). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_summary_recompute(
    carteira_summary* summary, const carteira_portfolio* portfolio,
    const carteira_summary_options* options);
CARTEIRA_API void carteira_summary_destroy(carteira_summary* summary);
/* Number of summarised customers (rows). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_summary_size(const carteira_summary* summary,
                                                                    size_t* out_rows);
/* Copies a column into out[0 .. rows); CARTEIRA_OUT_OF_RANGE if capacity < rows. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_summary_get_int64(
    const carteira_summary* summary, int32_t column, int64_t* out, size_t capacity);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_summary_get_double(
    const carteira_summary* summary, int32_t column, double* out, size_t capacity);

/* ---- Lifecycle status -------------------------------------------------- */

/* A customer's lifecycle status (the names every output uses are in
 * carteira_lifecycle_name: "prospect", "new", "active", "at_risk",
 * "inactive", "lost", "reactivated"). */
typedef enum carteira_lifecycle {
  CARTEIRA_LIFECYCLE_PROSPECT = 0,   /* no purchase yet */
  CARTEIRA_LIFECYCLE_NEW = 1,        /* first purchase within the new window */
  CARTEIRA_LIFECYCLE_ACTIVE = 2,
  CARTEIRA_LIFECYCLE_AT_RISK = 3,    /* próximo da inativação */
  CARTEIRA_LIFECYCLE_INACTIVE = 4,
  CARTEIRA_LIFECYCLE_LOST = 5,
  CARTEIRA_LIFECYCLE_REACTIVATED = 6 /* bought again after being inactive */
} carteira_lifecycle;
#define CARTEIRA_LIFECYCLE_COUNT 7

/* Flag bits, orthogonal to the status. */
#define CARTEIRA_FLAG_RENEWAL_DUE 1u
#define CARTEIRA_FLAG_DELINQUENT 2u
#define CARTEIRA_FLAG_KEY_ACCOUNT 4u

/* "at_risk" for CARTEIRA_LIFECYCLE_AT_RISK; NULL for an unknown value.
 * Static storage. */
CARTEIRA_API const char* carteira_lifecycle_name(int32_t status);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_lifecycle_parse(const char* name,
                                                                       int32_t* out_status);

/* The status policy (rules and thresholds; JSON keys in docs/status.md). */
typedef struct carteira_status_policy carteira_status_policy;

CARTEIRA_API CARTEIRA_MUST_USE carteira_status
carteira_status_policy_default(carteira_status_policy** out);
/* Parses a JSON policy; errors name the key ("segments.varejo.recency..."). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status
carteira_status_policy_from_json(const char* json, carteira_status_policy** out);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status
carteira_status_policy_from_file(const char* path, carteira_status_policy** out);
/* Exactly three fixed thresholds (no cadence, new/reactivated or contract
 * rules); a day count strictly greater than a threshold crosses it. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status
carteira_status_policy_fixed(int32_t at_risk_after, int32_t inactive_after, int32_t lost_after,
                             carteira_status_policy** out);
/* The complete policy as JSON; lives as long as the policy. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status
carteira_status_policy_to_json(const carteira_status_policy* policy, const char** out_json);
CARTEIRA_API void carteira_status_policy_destroy(carteira_status_policy* policy);

/* The engine reads the portfolio's customers, purchases and contracts when
 * created (a snapshot: create another after appending). The portfolio must
 * outlive the engine and every table made from it. Fails when the policy
 * names a segment no customer has. */
typedef struct carteira_status_engine carteira_status_engine;

CARTEIRA_API CARTEIRA_MUST_USE carteira_status
carteira_status_engine_create(const carteira_portfolio* portfolio,
                              const carteira_status_policy* policy, carteira_status_engine** out);
CARTEIRA_API void carteira_status_engine_destroy(carteira_status_engine* engine);

/* Plugin rules. A rule runs for each customer (and date) after the built-in
 * rules and the plugins registered before it. It reads the facts and may
 * override the status, refuse (veto) one, or add a reason. */
typedef struct carteira_status_facts {
  uint32_t struct_size; /* set by the library; newer fields follow */
  uint32_t customer_index;
  const char* customer_id; /* valid during the call */
  const char* segment;     /* "" if none */
  int32_t as_of;
  int32_t purchase_days;         /* on or before as_of */
  const int32_t* purchase_day_list; /* purchase_days ascending days */
  int32_t days_since_last;       /* -1 without a purchase */
  double median_gap_days;        /* NaN below two purchase-days */
  int32_t status;                /* carteira_lifecycle, as decided so far */
  uint32_t flags;
} carteira_status_facts;

/* The decision under construction; valid only during the callback. */
typedef struct carteira_status_decision carteira_status_decision;

CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_status_decision_override(
    carteira_status_decision* decision, int32_t status, const char* reason);
/* Refuses `status`: it steps one level milder (lost -> inactive -> at_risk
 * -> active; new, reactivated -> active), now and if a later rule sets it.
 * prospect and active cannot be refused. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_status_decision_veto(
    carteira_status_decision* decision, int32_t status, const char* reason);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status
carteira_status_decision_add_reason(carteira_status_decision* decision, const char* reason);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_status_decision_get_status(
    const carteira_status_decision* decision, int32_t* out_status);
/* The message to report when the callback returns an error. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status
carteira_status_decision_set_error(carteira_status_decision* decision, const char* message);

typedef struct carteira_status_rule_vtable {
  uint32_t struct_size;
  /* Returns CARTEIRA_OK, or an error code: the classification then fails
   * with an error naming the rule and the customer. Must not throw or
   * longjmp. */
  int32_t (*apply)(void* user_data, const carteira_status_facts* facts,
                   carteira_status_decision* decision);
  /* Releases user_data; may be NULL. Called exactly once: when the engine
   * is destroyed, or before carteira_status_engine_add_rule returns an
   * error (whatever the error, NULL engine included; not when struct_size
   * is too small to hold this field, since it cannot be read then). */
  void (*destroy)(void* user_data);
} carteira_status_rule_vtable;
#define CARTEIRA_STATUS_RULE_VTABLE_INIT {sizeof(carteira_status_rule_vtable), NULL, NULL}

/* Registers a rule named `name` (non-empty, unique; copied). The vtable is
 * copied too. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_status_engine_add_rule(
    carteira_status_engine* engine, const char* name, const carteira_status_rule_vtable* vtable,
    void* user_data);

/* Every customer's status as of a date: one row per customer, row i is
 * customer index i. */
typedef struct carteira_status_table carteira_status_table;

typedef enum carteira_status_column {
  CARTEIRA_STATUS_COL_STATUS = 0,          /* carteira_lifecycle */
  CARTEIRA_STATUS_COL_FLAGS = 1,           /* CARTEIRA_FLAG_ bits */
  CARTEIRA_STATUS_COL_RULE = 2,            /* rule id: built-in 0..6, plugins from 16 */
  CARTEIRA_STATUS_COL_DAYS_SINCE_LAST = 3, /* -1 without a purchase */
  CARTEIRA_STATUS_COL_PURCHASE_DAYS = 4,
  CARTEIRA_STATUS_COL_LAST_PURCHASE = 5,   /* days; CARTEIRA_NO_DAY if none */
  CARTEIRA_STATUS_COL_EVENT_DAY = 6,       /* first purchase / comeback / contract end */
  CARTEIRA_STATUS_COL_COMEBACK_GAP_DAYS = 7,
  CARTEIRA_STATUS_COL_CONTRACT = 8,         /* contract_ended: contract row, else -1 */
  CARTEIRA_STATUS_COL_RENEWAL_CONTRACT = 9, /* renewal_due: contract row, else -1 */
  CARTEIRA_STATUS_COL_SCOPE = 10,           /* policy segment index, -1 = defaults */
  CARTEIRA_STATUS_COL_MEDIAN_GAP_DAYS = 11, /* double; NaN below two purchase-days */
  CARTEIRA_STATUS_COL_THRESHOLD_DAYS = 12   /* double; NaN when no threshold */
} carteira_status_column;

CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_status_classify(
    const carteira_status_engine* engine, int32_t as_of, carteira_status_table** out);
/* The fast path: the median gaps of a summary of the same portfolio
 * (its as_of is the date); identical result. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_status_classify_summary(
    const carteira_status_engine* engine, const carteira_summary* summary,
    carteira_status_table** out);
CARTEIRA_API void carteira_status_table_destroy(carteira_status_table* table);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status
carteira_status_table_size(const carteira_status_table* table, size_t* out_rows);
/* Customers per status: out[0 .. CARTEIRA_LIFECYCLE_COUNT). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_status_table_counts(
    const carteira_status_table* table, int64_t* out, size_t capacity);
/* Copies a column into out[0 .. rows); integer columns with _get_int64, the
 * double ones with _get_double; CARTEIRA_OUT_OF_RANGE if capacity < rows. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_status_table_get_int64(
    const carteira_status_table* table, int32_t column, int64_t* out, size_t capacity);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_status_table_get_double(
    const carteira_status_table* table, int32_t column, double* out, size_t capacity);
/* Figures the plugin rules reported per customer (the P(alive) rule's
 * "p_alive" and "expected_purchases_90d"), one column each, in rule
 * registration order; NaN where a rule did not set it. Names live as long
 * as the table; _get_field copies into out[0 .. rows). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status
carteira_status_table_field_count(const carteira_status_table* table, size_t* out_count);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_status_table_field_name(
    const carteira_status_table* table, size_t field, const char** out_name);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_status_table_get_field(
    const carteira_status_table* table, size_t field, double* out, size_t capacity);
/* The deciding rule's name ("recency", "cadence", a plugin's name); lives
 * as long as the table. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_status_table_rule_name(
    const carteira_status_table* table, size_t row, const char** out_name);
/* The reason in words, NUL-terminated into buffer[0 .. capacity). Query the
 * size with buffer NULL and capacity 0: *out_length receives the length
 * without the NUL; CARTEIRA_OUT_OF_RANGE (and nothing written) when
 * capacity < length + 1. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status
carteira_status_table_reason(const carteira_status_table* table, size_t row, char* buffer,
                             size_t capacity, size_t* out_length);

/* Statuses at several dates in one pass. `dates` strictly ascending;
 * out_status (and out_flags, which may be NULL) receive date_count x
 * customers entries, date-major: entry [d * customers + c]. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_status_history(
    const carteira_status_engine* engine, const int32_t* dates, size_t date_count,
    uint8_t* out_status, uint8_t* out_flags, size_t capacity);

/* Every status change in (from, to], by customer then date. */
typedef struct carteira_status_transitions carteira_status_transitions;

CARTEIRA_API CARTEIRA_MUST_USE carteira_status
carteira_status_transitions_compute(const carteira_status_engine* engine, int32_t from, int32_t to,
                                    carteira_status_transitions** out);
CARTEIRA_API void carteira_status_transitions_destroy(carteira_status_transitions* transitions);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_status_transitions_size(
    const carteira_status_transitions* transitions, size_t* out_count);
/* Copies the transitions' columns; any pointer may be NULL (not wanted). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_status_transitions_get(
    const carteira_status_transitions* transitions, uint32_t* out_customer, int32_t* out_from,
    int32_t* out_to, int32_t* out_date, int32_t* out_rule, size_t capacity);

/* ---- Customer models ("buy 'til you die") ------------------------------ */

typedef enum carteira_model_kind {
  CARTEIRA_MODEL_BGNBD = 0,      /* r, alpha, a, b */
  CARTEIRA_MODEL_MBGNBD = 1,     /* r, alpha, a, b */
  CARTEIRA_MODEL_PARETONBD = 2,  /* r, alpha, s, beta */
  CARTEIRA_MODEL_BGBB = 3,       /* alpha, beta, gamma, delta (discrete opportunities) */
  CARTEIRA_MODEL_GAMMAGAMMA = 4  /* p, q, gamma (spend) */
} carteira_model_kind;

/* Per-customer model input, as columns of `count` entries: x (repeat
 * purchase-days), t_x and T (from the first purchase, in `unit`); weight
 * (NULL = 1 each) and zbar (mean repeat spend, for gammagamma; NULL if
 * absent). For bgbb: x transactions in T opportunities, the last at t_x. */
typedef struct carteira_rfm_columns {
  uint32_t struct_size;
  size_t count;
  const double* x;
  const double* t_x;
  const double* T;
  const double* weight;
  const double* zbar;
  int32_t unit; /* carteira_time_unit */
} carteira_rfm_columns;
#define CARTEIRA_RFM_COLUMNS_INIT {sizeof(carteira_rfm_columns), 0, NULL, NULL, NULL, NULL, NULL, CARTEIRA_WEEKS}

typedef struct carteira_fit_options {
  uint32_t struct_size;
  double l2_penalty;       /* LL - l2_penalty * sum(param^2); 0 = none */
  int32_t max_evaluations; /* 0 = the default (5000) */
  const double* initial;   /* starting parameters, or NULL */
  size_t initial_count;
} carteira_fit_options;
#define CARTEIRA_FIT_OPTIONS_INIT {sizeof(carteira_fit_options), 0.0, 0, NULL, 0}
CARTEIRA_API void carteira_fit_options_init(carteira_fit_options* options, size_t struct_size);

typedef struct carteira_model carteira_model;

/* Fits by maximum likelihood. A fit that stopped without converging is
 * returned (converged = 0 in carteira_model_get_fit_info, with the reason);
 * one that made no progress is an error. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_model_fit(int32_t kind,
                                                                 const carteira_rfm_columns* data,
                                                                 const carteira_fit_options* options,
                                                                 carteira_model** out);
/* Fits on a portfolio's customers summarised as of `calibration_end`. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_model_fit_portfolio(
    int32_t kind, const carteira_portfolio* portfolio, int32_t calibration_end, int32_t unit,
    const carteira_fit_options* options, carteira_model** out);
/* A model with known parameters (in the model's order), in `unit`. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_model_create(int32_t kind, const double* params,
                                                                    size_t count, int32_t unit,
                                                                    carteira_model** out);
CARTEIRA_API void carteira_model_destroy(carteira_model* model);

typedef struct carteira_fit_info {
  uint32_t struct_size;
  int32_t kind;
  int32_t unit;
  int32_t fitted;    /* 0: made from known parameters (the rest is 0) */
  int32_t converged;
  int32_t evaluations;
  double log_likelihood; /* total, in the data's own unit */
  double n_customers;    /* sum of weights */
  double gradient_norm;
  double aic;
  double bic;
  size_t param_count;
} carteira_fit_info;
#define CARTEIRA_FIT_INFO_INIT {sizeof(carteira_fit_info), 0, 0, 0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0}

CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_model_get_fit_info(const carteira_model* model,
                                                                          carteira_fit_info* out);
/* Parameters (and standard errors, NULL if not wanted; NaN when unknown). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_model_get_params(const carteira_model* model,
                                                                        double* params, double* std_errors,
                                                                        size_t capacity);
/* "r", "alpha", ...; static storage. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_model_param_name(const carteira_model* model,
                                                                        size_t index, const char** out_name);
/* Why the optimiser stopped, in words ("" for known parameters); lives as
 * long as the model. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_model_fit_reason(const carteira_model* model,
                                                                        const char** out_reason);

/* Per customer of `data` (any unit: converted), into out[0 .. count). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_model_p_alive(const carteira_model* model,
                                                                     const carteira_rfm_columns* data,
                                                                     double* out, size_t capacity);
/* Purchases expected in the next `horizon` (in `horizon_unit`; opportunities for bgbb). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_model_expected_purchases(
    const carteira_model* model, const carteira_rfm_columns* data, double horizon, int32_t horizon_unit,
    double* out, size_t capacity);
/* Gamma-Gamma: E[spend | x, zbar]. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_model_expected_spend(const carteira_model* model,
                                                                            const carteira_rfm_columns* data,
                                                                            double* out, size_t capacity);
/* A customer just acquired: E[X(t)], and P(X(t) = n) (BG/NBD, MBG/NBD, Pareto/NBD). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_model_unconditional_expected_purchases(
    const carteira_model* model, double t, int32_t unit, double* out);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_model_probability_of_purchases(
    const carteira_model* model, int32_t n, double t, int32_t unit, double* out);
/* Lifetime value per customer: expected purchases per period (this model)
 * x expected spend (`spend`, a gammagamma model) x margin, discounted by
 * discount_rate per period, over `horizon`. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_model_lifetime_value(
    const carteira_model* model, const carteira_model* spend, const carteira_rfm_columns* data,
    double horizon, int32_t horizon_unit, double period, int32_t period_unit, double discount_rate,
    double margin, double* out, size_t capacity);

/* Registers the P(alive) rule on a status engine (after the rules already
 * there): customers the built-in rules find active, at_risk or inactive are
 * judged by the model's P(alive) instead: inactive below inactive_below,
 * at_risk below at_risk_below, else active; every verdict it gives or
 * confirms carries P(alive), the model and its fit, and the purchases
 * expected in the next `horizon`. `model` (bgnbd, mbgnbd or paretonbd) is
 * copied. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_status_engine_add_p_alive_rule(
    carteira_status_engine* engine, const carteira_model* model, double at_risk_below, double inactive_below,
    double horizon, int32_t horizon_unit);

/* ---- Segments and KPIs (docs/segments.md, docs/kpi.md) ---------------- */

/* A missing amount in a money field (an average with no purchases). */
#define CARTEIRA_NO_MONEY INT64_MIN

/* Undefined ratios and means (a denominator of 0) are NaN in the double
 * fields below, never a made-up 0 (JSON writes them as null); amounts
 * without a value are CARTEIRA_NO_MONEY, days CARTEIRA_NO_DAY. */

/* The quintile rule of the RFM scores on any figures: out[i] = 1 +
 * floor(5 L / count), L = the values strictly worse than values[i]
 * (smaller when higher_is_better is 1, larger when 0); ties share a score. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_quintile_scores(const int64_t* values, size_t count,
                                                                        int32_t higher_is_better, uint8_t* out);

/* The same rule for a population scored in parts (a cluster's partitions):
 * thresholds[k - 1] = the ceil(k n / 5)-th worst of the n values (k = 1..4;
 * worst = smallest when higher_is_better is 1) fix every score, since
 * score(v) = 1 + the thresholds strictly worse than v.
 * carteira_quintile_thresholds finds them in one population (out_thresholds
 * has room for 4; CARTEIRA_INVALID_ARGUMENT when count is 0); a cluster finds
 * them as order statistics of its merged histograms instead.
 * carteira_quintile_scores_with_thresholds scores values by 4 thresholds found
 * elsewhere; they must go from worst to best (CARTEIRA_INVALID_ARGUMENT
 * naming the first out of order). Scoring a population by its own
 * thresholds gives carteira_quintile_scores. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_quintile_thresholds(const int64_t* values, size_t count,
                                                                            int32_t higher_is_better,
                                                                            int64_t* out_thresholds);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_quintile_scores_with_thresholds(
    const int64_t* values, size_t count, int32_t higher_is_better, const int64_t* thresholds, uint8_t* out);

/* ABC classes: 0 = none (no positive revenue), 1 = A, 2 = B, 3 = C. */
typedef enum carteira_abc_class {
  CARTEIRA_ABC_NONE = 0,
  CARTEIRA_ABC_A = 1,
  CARTEIRA_ABC_B = 2,
  CARTEIRA_ABC_C = 3
} carteira_abc_class;
/* "A", "B", "C"; "" for CARTEIRA_ABC_NONE; NULL for an unknown value. Static storage. */
CARTEIRA_API const char* carteira_abc_class_name(int32_t abc_class);
/* The classes of `count` revenues (minor units) into out[0 .. count), with
 * the shares of A and B (0.80 and 0.15 are the usual; a_share 0 = both
 * defaults). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_abc_classify(const int64_t* revenue, size_t count,
                                                                     double a_share, double b_share, uint8_t* out);

/* A segment map: ordered rules on the R, F, M (or combined FM) scores, each
 * optionally with conditions on customer fields and summary figures
 * ("where": region, segment, state, city, key_account, delinquent,
 * attribute:NAME, recency_days, frequency, monetary, average_ticket,
 * tenure_days, repeat_purchases, median_gap_days); the first match names
 * the segment (JSON format in docs/segments.md). */
typedef struct carteira_segment_map carteira_segment_map;

/* The usual map on the R x FM grid (champions, loyal, ..., lost). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_segment_map_default(carteira_segment_map** out);
/* Errors name the place ("segments[3].fm: ...", "segments[2] 'vip':
 * where[0] 'region': ..."). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_segment_map_from_json(const char* json,
                                                                              carteira_segment_map** out);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_segment_map_from_file(const char* path,
                                                                              carteira_segment_map** out);
CARTEIRA_API void carteira_segment_map_destroy(carteira_segment_map* map);
/* The map as JSON; lives as long as the map. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_segment_map_to_json(const carteira_segment_map* map,
                                                                            const char** out_json);

/* One rule; an unconstrained score has the range 1..5. */
typedef struct carteira_segment_rule {
  uint32_t struct_size;
  const char* name; /* lives as long as the map */
  uint8_t r_lo, r_hi, f_lo, f_hi, m_lo, m_hi, fm_lo, fm_hi;
} carteira_segment_rule;
#define CARTEIRA_SEGMENT_RULE_INIT {sizeof(carteira_segment_rule), NULL, 0, 0, 0, 0, 0, 0, 0, 0}

/* What the map check finds: rules that can never match (earlier rules take
 * all their cells) and cells no rule covers (their customers get the
 * fallback name). Strings live as long as the map. */
typedef struct carteira_segment_map_report {
  uint32_t struct_size;
  int32_t ok;           /* 1: no shadowed rule, no uncovered cell */
  int32_t r_f_m_grid;   /* 1: a rule reads f or m (5x5x5 cells); 0: R x FM (5x5) */
  size_t rule_count;
  size_t shadowed_count;
  size_t uncovered_count;
  const char* fallback;    /* "unclassified" unless the map says otherwise */
  const char* description; /* one line per problem; "" when ok */
} carteira_segment_map_report;
#define CARTEIRA_SEGMENT_MAP_REPORT_INIT {sizeof(carteira_segment_map_report), 0, 0, 0, 0, 0, NULL, NULL}

CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_segment_map_check(const carteira_segment_map* map,
                                                                          carteira_segment_map_report* out);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_segment_map_rule(const carteira_segment_map* map,
                                                                         size_t index, carteira_segment_rule* out);
/* The conditions of rule `index` on customer fields and summary figures:
 * how many, and the text, joined by " and " (`region in ["Sul", "Sudeste"]
 * and monetary >= 1500.00`; "" without any; lives as long as the map).
 * Either out-pointer may be NULL. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_segment_map_rule_conditions(const carteira_segment_map* map,
                                                                                    size_t index, size_t* out_count,
                                                                                    const char** out_text);
/* Shadowed rule `index` (0 .. shadowed_count): the rule's index and the
 * earlier rules that take its cells (ascending; lives as long as the map). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_segment_map_shadowed(const carteira_segment_map* map,
                                                                             size_t index, size_t* out_rule,
                                                                             const uint32_t** out_covered_by,
                                                                             size_t* out_covered_count);
/* The uncovered cells, three bytes each into out[0 .. 3 * uncovered_count):
 * (r, fm, 0) on the R x FM grid, (r, f, m) otherwise. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_segment_map_uncovered(const carteira_segment_map* map,
                                                                              uint8_t* out, size_t capacity);

/* RFM scores, named segments and ABC classes of every customer with a
 * purchase on or before as_of (one row each, customer-index order). */
typedef struct carteira_segments carteira_segments;

typedef struct carteira_segments_options {
  uint32_t struct_size;
  int32_t as_of;                     /* days; required */
  const carteira_segment_map* map;   /* NULL = the default map; copied */
  double abc_a_share;                /* 0 = the defaults (0.80 and 0.15) */
  double abc_b_share;
  int32_t abc_from;                  /* first day of the ABC period (to as_of);
                                        CARTEIRA_NO_DAY = as_of - 364 */
} carteira_segments_options;
#define CARTEIRA_SEGMENTS_OPTIONS_INIT \
  {sizeof(carteira_segments_options), CARTEIRA_NO_DAY, NULL, 0.0, 0.0, CARTEIRA_NO_DAY}

typedef enum carteira_segments_column {
  CARTEIRA_SEGMENTS_CUSTOMER_INDEX = 0,
  CARTEIRA_SEGMENTS_R = 1, /* 1..5 */
  CARTEIRA_SEGMENTS_F = 2,
  CARTEIRA_SEGMENTS_M = 3,
  CARTEIRA_SEGMENTS_RFM = 4,         /* r * 100 + f * 10 + m: 545 */
  CARTEIRA_SEGMENTS_SEGMENT = 5,     /* index of carteira_segments_name */
  CARTEIRA_SEGMENTS_ABC = 6,         /* carteira_abc_class */
  CARTEIRA_SEGMENTS_RECENCY_DAYS = 7,
  CARTEIRA_SEGMENTS_FREQUENCY = 8,   /* purchase-days */
  CARTEIRA_SEGMENTS_MONETARY = 9,    /* net revenue, whole history, minor units */
  CARTEIRA_SEGMENTS_ABC_REVENUE = 10 /* net revenue in the ABC period, minor units */
} carteira_segments_column;

/* The ABC period and totals (customers by class over the whole portfolio). */
typedef struct carteira_segments_info {
  uint32_t struct_size;
  int32_t as_of;
  int32_t abc_from;
  int64_t abc_total; /* positive revenue of the classed customers */
  int64_t customers_none, customers_a, customers_b, customers_c;
  int64_t revenue_a, revenue_b, revenue_c;
} carteira_segments_info;
#define CARTEIRA_SEGMENTS_INFO_INIT {sizeof(carteira_segments_info), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}

CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_segments_compute(const carteira_portfolio* portfolio,
                                                                         const carteira_segments_options* options,
                                                                         carteira_segments** out);
CARTEIRA_API void carteira_segments_destroy(carteira_segments* segments);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_segments_size(const carteira_segments* segments,
                                                                      size_t* out_rows);
/* Copies a column into out[0 .. rows); CARTEIRA_OUT_OF_RANGE if capacity < rows. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_segments_get_int64(const carteira_segments* segments,
                                                                           int32_t column, int64_t* out,
                                                                           size_t capacity);
/* Segment names (the map's rule names in order, then the fallback when a
 * cell is uncovered) and how many rows each has. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_segments_name_count(const carteira_segments* segments,
                                                                            size_t* out_count);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_segments_name(const carteira_segments* segments,
                                                                      size_t index, const char** out_name,
                                                                      int64_t* out_rows);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_segments_get_info(const carteira_segments* segments,
                                                                          carteira_segments_info* out);

/* The average lifetime implied by a fitted bgnbd, mbgnbd or paretonbd
 * model, in days (docs/kpi.md). CARTEIRA_FAILED_PRECONDITION when the mean
 * is infinite for its parameters; CARTEIRA_INVALID_ARGUMENT for bgbb and
 * gammagamma. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_model_expected_lifetime_days(const carteira_model* model,
                                                                                     double* out_days);

/* KPIs over a period [from, to], overall and by a grouping, with the
 * cohort matrix (definitions in docs/kpi.md). */
typedef enum carteira_kpi_grouping {
  CARTEIRA_KPI_BY_NONE = 0,
  CARTEIRA_KPI_BY_REP = 1,
  CARTEIRA_KPI_BY_SEGMENT = 2,
  CARTEIRA_KPI_BY_REGION = 3
} carteira_kpi_grouping;

typedef struct carteira_kpi_options {
  uint32_t struct_size;
  int32_t from;               /* days; required */
  int32_t to;                 /* days, inclusive; required */
  int32_t by;                 /* carteira_kpi_grouping */
  int32_t active_window_days; /* active = a purchase within it; 0 = 180 */
  /* 1: active = status new, active, at_risk or reactivated by the status
   * engine with `policy` (NULL = the default policy), as of from - 1 and to. */
  int32_t active_by_status;
  const carteira_status_policy* policy;
  /* Not NULL: lifetime_model_days from this model (NaN when its mean
   * lifetime is infinite); bgbb and gammagamma are refused. */
  const carteira_model* lifetime_model;
} carteira_kpi_options;
#define CARTEIRA_KPI_OPTIONS_INIT \
  {sizeof(carteira_kpi_options), CARTEIRA_NO_DAY, CARTEIRA_NO_DAY, CARTEIRA_KPI_BY_NONE, 0, 0, NULL, NULL}

/* One row of KPIs; names as in the JSON of `carteira kpi`. */
typedef struct carteira_kpi_values {
  uint32_t struct_size;
  int32_t unassigned; /* 1: the customers without a rep / segment / region */
  const char* group;  /* rep id, segment or region; "" overall; lives as long as the kpi */
  int64_t customers;
  int64_t active_start; /* S */
  int64_t active;       /* E */
  int64_t new_customers;
  int64_t new_active; /* N */
  int64_t retained;
  int64_t churned;
  int64_t lapsed_start;
  int64_t reactivated;
  int64_t buyers;
  int64_t purchases;
  int64_t revenue;             /* minor units */
  double retention_rate;       /* (E - N) / S */
  double churn_rate;           /* churned / S */
  double reactivation_rate;    /* reactivated / lapsed_start */
  int64_t average_ticket;      /* minor units; CARTEIRA_NO_MONEY without purchases */
  int64_t revenue_per_customer; /* minor units; CARTEIRA_NO_MONEY without buyers */
  double purchase_frequency;   /* purchases / buyers */
  double lifetime_observed_days;
  double lifetime_from_churn_days;
  double lifetime_model_days;
  int64_t answers;
  int64_t promoters;
  int64_t passives;
  int64_t detractors;
  double nps;
  double positivacao; /* buyers / customers */
  int64_t book_at_start;
  int64_t moved;
  double giro; /* moved / book_at_start */
  double top20_share;
  double gini;
} carteira_kpi_values;
#define CARTEIRA_KPI_VALUES_INIT \
  {sizeof(carteira_kpi_values), 0, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.0, 0.0, 0.0, 0, 0, 0.0, \
   0.0, 0.0, 0.0, 0, 0, 0, 0, 0.0, 0.0, 0, 0, 0.0, 0.0, 0.0}

typedef struct carteira_kpi carteira_kpi;

CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_kpi_compute(const carteira_portfolio* portfolio,
                                                                    const carteira_kpi_options* options,
                                                                    carteira_kpi** out);
CARTEIRA_API void carteira_kpi_destroy(carteira_kpi* kpi);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_kpi_overall(const carteira_kpi* kpi,
                                                                    carteira_kpi_values* out);
/* Groups: by rep every rep in rep order (empty books too), by segment or
 * region the values in byte order; then the unassigned customers if any.
 * 0 groups when by is CARTEIRA_KPI_BY_NONE. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_kpi_group_count(const carteira_kpi* kpi,
                                                                        size_t* out_count);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_kpi_group(const carteira_kpi* kpi, size_t index,
                                                                  carteira_kpi_values* out);
/* The cohort matrix by first-purchase month: one cohort per month of the
 * period. CARTEIRA_FAILED_PRECONDITION when the period spans more than 64
 * months (no matrix). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_kpi_cohort_count(const carteira_kpi* kpi,
                                                                         size_t* out_months);
/* Each cohort's month (its first day) and size; either pointer may be NULL. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_kpi_cohort_months(const carteira_kpi* kpi,
                                                                          int32_t* out_month, int64_t* out_size,
                                                                          size_t capacity);
/* months x months cells, cohort-major: [c * months + k] = buyers of cohort
 * c in its k-th month and their share of the cohort; -1 and NaN past the
 * period's end (k >= months - c), NaN for an empty cohort. Either pointer
 * may be NULL; capacity >= months * months. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_kpi_cohort_matrix(const carteira_kpi* kpi,
                                                                          int64_t* out_buyers,
                                                                          double* out_retention, size_t capacity);

/* The rep dashboard as of `to` (docs/kpi.md): one row per rep in rep order
 * (empty books too), then the unassigned customers if any. */
typedef struct carteira_rep_dashboard carteira_rep_dashboard;

typedef struct carteira_rep_dashboard_options {
  uint32_t struct_size;
  int32_t from;                         /* CARTEIRA_NO_DAY = to - 364 */
  int32_t to;                           /* days; required */
  const carteira_status_policy* policy; /* NULL = the default policy */
} carteira_rep_dashboard_options;
#define CARTEIRA_REP_DASHBOARD_OPTIONS_INIT \
  {sizeof(carteira_rep_dashboard_options), CARTEIRA_NO_DAY, CARTEIRA_NO_DAY, NULL}

typedef struct carteira_rep_dashboard_row {
  uint32_t struct_size;
  int32_t rep_index;    /* -1: the unassigned customers */
  const char* rep_id;   /* "" for the unassigned; lives as long as the dashboard */
  const char* rep_name;
  int64_t book;
  /* The book's statuses on `to`, by carteira_lifecycle. */
  int64_t status_prospect, status_new, status_active, status_at_risk, status_inactive, status_lost,
      status_reactivated;
  int64_t revenue; /* minor units */
  int64_t buyers;
  double positivacao; /* buyers / book; NaN for an empty book */
  int64_t answers, promoters, passives, detractors;
  double nps;                       /* NaN without answers */
  int32_t last_contact;             /* days; CARTEIRA_NO_DAY without one */
  int32_t days_since_last_contact;  /* -1 without one */
  int64_t at_risk;
  int64_t at_risk_value; /* minor units */
} carteira_rep_dashboard_row;
#define CARTEIRA_REP_DASHBOARD_ROW_INIT \
  {sizeof(carteira_rep_dashboard_row), 0, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.0, 0, 0, 0, 0, 0.0, 0, 0, 0, 0}

CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_rep_dashboard_compute(
    const carteira_portfolio* portfolio, const carteira_rep_dashboard_options* options,
    carteira_rep_dashboard** out);
CARTEIRA_API void carteira_rep_dashboard_destroy(carteira_rep_dashboard* dashboard);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_rep_dashboard_size(const carteira_rep_dashboard* dashboard,
                                                                           size_t* out_rows);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_rep_dashboard_row_get(
    const carteira_rep_dashboard* dashboard, size_t index, carteira_rep_dashboard_row* out);

/* ---- The HTML report (docs/report.md) ---------------------------------- */

/* The report's language: numbers, dates and labels. */
typedef enum carteira_report_language {
  CARTEIRA_REPORT_PT_BR = 0, /* 1.234,56; 31/10/2026; Portuguese */
  CARTEIRA_REPORT_EN = 1     /* 1,234.56; 2026-10-31; English */
} carteira_report_language;

typedef struct carteira_report_options {
  uint32_t struct_size;
  int32_t as_of;    /* days: statuses, segments and books as of it, and the
                       period's end; CARTEIRA_NO_DAY = the last transaction date */
  int32_t from;     /* days: the period's first day; CARTEIRA_NO_DAY = as_of - 364
                       (the 365 days ending at as_of) */
  int32_t language; /* carteira_report_language */
  const char* currency;                     /* before every amount; NULL = "R$", "" = none */
  const char* title;                        /* NULL or "" = "Relatório da carteira" / "Portfolio report" */
  const carteira_status_policy* policy;     /* NULL = the default policy */
  const carteira_segment_map* segment_map;  /* NULL = the default map */
} carteira_report_options;
#define CARTEIRA_REPORT_OPTIONS_INIT \
  {sizeof(carteira_report_options), CARTEIRA_NO_DAY, CARTEIRA_NO_DAY, CARTEIRA_REPORT_PT_BR, NULL, NULL, NULL, NULL}

/* Writes the portfolio's report to `path` (UTF-8): one self-contained HTML
 * file with SVG charts (status, RFM segments, cohort retention, revenue
 * concentration, reps) and the KPI and rep tables. `options` may be NULL
 * (all defaults). Atomic: a temporary file next to `path`, flushed, then
 * renamed over it; on failure nothing is left behind and the message names
 * `path` (CARTEIRA_NOT_FOUND for a missing directory). Same input, same
 * bytes. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_report_write(const carteira_portfolio* portfolio,
                                                                     const carteira_report_options* options,
                                                                     const char* path);

/* ---- Data hygiene (docs/hygiene.md) ------------------------------------ */

/* Result structs: set struct_size (the _INIT macros do) before the call.
 * Name fields (problem, kind, type) point to static strings; value fields
 * are NUL-terminated copies ("" when not set). */

/* CPF or CNPJ (the alphanumeric CNPJ too), with or without punctuation. */
typedef struct carteira_tax_id_result {
  uint32_t struct_size;
  int32_t valid;        /* 1 or 0 */
  const char* kind;     /* "cpf", "cnpj", "unknown" */
  const char* problem;  /* "none", "empty", "wrong_length", "bad_character",
                           "repeated_digits", "check_digit_mismatch" */
  int32_t position;     /* 1-based: the bad character in the input as given, or
                           the wrong check digit; 0 otherwise */
  char canonical[16];   /* significant characters, upper-case, when 11 or 14 */
  char formatted[24];   /* 000.000.000-00 / 00.000.000/0000-00, when valid */
} carteira_tax_id_result;
#define CARTEIRA_TAX_ID_RESULT_INIT {sizeof(carteira_tax_id_result), 0, NULL, NULL, 0, "", ""}

CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_check_tax_id(const char* value,
                                                                     carteira_tax_id_result* out);

/* A phone number through libphonenumber; `default_region` (ISO 3166, e.g.
 * "BR"; NULL = "BR") for numbers written without +country. An old 8-digit
 * mobile is invalid; `suggestion` then holds the number with the ninth
 * digit (a suggested change, never applied). */
typedef struct carteira_phone_result {
  uint32_t struct_size;
  int32_t valid;
  const char* problem;  /* "none", "empty", "not_a_number", "invalid_country_code",
                           "too_short", "too_long", "invalid_number" */
  const char* type;     /* "mobile", "fixed_line", "fixed_line_or_mobile", "toll_free",
                           "premium_rate", "shared_cost", "voip", "other", "unknown" */
  char e164[24];        /* "+5511987654321", when valid */
  char suggestion[24];
} carteira_phone_result;
#define CARTEIRA_PHONE_RESULT_INIT {sizeof(carteira_phone_result), 0, NULL, NULL, "", ""}

CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_check_phone(const char* value, const char* default_region,
                                                                    carteira_phone_result* out);

/* An e-mail address: a practical syntax check, the domain lower-cased, and
 * a likely intended address when the domain looks like a typo of a common
 * provider (suggested, never applied). */
typedef struct carteira_email_result {
  uint32_t struct_size;
  int32_t valid;
  const char* problem;  /* "none", "missing_at", "dot_placement", ... (docs/hygiene.md) */
  int32_t position;     /* 1-based byte of a bad character; 0 otherwise */
  char normalized[256]; /* when valid: trimmed, domain lower-cased */
  char suggestion[256];
} carteira_email_result;
#define CARTEIRA_EMAIL_RESULT_INIT {sizeof(carteira_email_result), 0, NULL, 0, "", ""}

CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_check_email(const char* value,
                                                                    carteira_email_result* out);

/* Names and addresses, UTF-8 into buffer[0 .. capacity), NUL-terminated:
 * _display_name tidies for display ("MARIA DAS GRAÇAS" -> "Maria das
 * Graças"), _fold_key folds accents and case for matching ("jose d avila").
 * Query the size with buffer NULL and capacity 0: *out_length gets the
 * length without the NUL; CARTEIRA_OUT_OF_RANGE (nothing written) when
 * capacity < length + 1. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_display_name(const char* text, char* buffer,
                                                                     size_t capacity, size_t* out_length);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_fold_key(const char* text, char* buffer, size_t capacity,
                                                                 size_t* out_length);

/* The hygiene report of a portfolio: every problem in the customer records
 * (document, email, phone, name, city) with the value, the problem and a
 * suggested fix; duplicate clusters (blocking on document, e-mail, phone,
 * folded name + city; Jaro-Winkler scores); counts per problem type. It
 * changes nothing. Strings live as long as the report. */
typedef struct carteira_hygiene_report carteira_hygiene_report;

typedef struct carteira_hygiene_options {
  uint32_t struct_size;
  const char* default_region; /* phones without +country; NULL = "BR" */
  int32_t find_duplicates;    /* 1 (default) or 0 */
  double link_threshold;      /* duplicate score that links two customers; 0 = default 0.75 */
} carteira_hygiene_options;
#define CARTEIRA_HYGIENE_OPTIONS_INIT {sizeof(carteira_hygiene_options), NULL, 1, 0.0}

CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_hygiene_check(const carteira_portfolio* portfolio,
                                                                      const carteira_hygiene_options* options,
                                                                      carteira_hygiene_report** out);
CARTEIRA_API void carteira_hygiene_report_destroy(carteira_hygiene_report* report);

typedef struct carteira_hygiene_problem {
  uint32_t struct_size;
  uint32_t customer_index;
  const char* customer_id;
  const char* field;      /* "document", "email", "phone", "name", "city" */
  const char* value;      /* as stored */
  const char* problem;    /* "check_digit_mismatch", "likely_typo", ... */
  const char* detail;     /* a sentence for people */
  const char* suggestion; /* "" when there is none */
} carteira_hygiene_problem;
#define CARTEIRA_HYGIENE_PROBLEM_INIT {sizeof(carteira_hygiene_problem), 0, NULL, NULL, NULL, NULL, NULL, NULL}

CARTEIRA_API CARTEIRA_MUST_USE carteira_status
carteira_hygiene_report_problem_count(const carteira_hygiene_report* report, size_t* out_count);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_hygiene_report_problem(
    const carteira_hygiene_report* report, size_t index, carteira_hygiene_problem* out);
/* Counts per "field.problem" ("email.likely_typo", "duplicates.clusters",
 * ...), in name order. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status
carteira_hygiene_report_count_size(const carteira_hygiene_report* report, size_t* out_size);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_hygiene_report_count(
    const carteira_hygiene_report* report, size_t index, const char** out_name, uint64_t* out_count);

typedef struct carteira_duplicate_cluster {
  uint32_t struct_size;
  size_t member_count;
  const uint32_t* members; /* customer indices, ascending */
  const char* reasons;     /* the shared keys: "document,email,phone,name_city" (those present) */
  double score;            /* the weakest link's score */
} carteira_duplicate_cluster;
#define CARTEIRA_DUPLICATE_CLUSTER_INIT {sizeof(carteira_duplicate_cluster), 0, NULL, NULL, 0.0}

CARTEIRA_API CARTEIRA_MUST_USE carteira_status
carteira_hygiene_report_cluster_count(const carteira_hygiene_report* report, size_t* out_count);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_hygiene_report_cluster(
    const carteira_hygiene_report* report, size_t index, carteira_duplicate_cluster* out);

/* Merges customers into `into`: every transaction, contract, interaction,
 * survey answer and assignment of the merged customers moves to it; its
 * empty fields take the merged records' values; each merged id becomes an
 * alias that still finds it (later rows keyed by an old id land on it); the
 * merge is recorded (merged_at: days since 1970-01-01; merged_by: who asked
 * for it, required). All or nothing. Customer indices change: status
 * engines and tables made before refuse with CARTEIRA_FAILED_PRECONDITION
 * afterwards; indices from earlier summaries are stale. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_portfolio_merge_customers(
    carteira_portfolio* portfolio, const char* into, const char* const* merged, size_t merged_count,
    int32_t merged_at, const char* merged_by);

/* ---- Store (docs/store.md) --------------------------------------------- */

/* The portfolio in one SQLite file (WAL): every write is one transaction (a
 * killed process leaves it before or after), one writer and many readers; a
 * second writer waits busy_timeout_ms, then gets CARTEIRA_UNAVAILABLE. A
 * file that is not a Carteira store (SQLite or not), or has a newer schema,
 * is refused with CARTEIRA_FAILED_PRECONDITION and left untouched. A store handle is one connection: one thread at a
 * time. */
typedef struct carteira_store carteira_store;

typedef struct carteira_store_options {
  uint32_t struct_size;
  int32_t create;          /* 1 (default): create the file when missing */
  int32_t read_only;       /* 1: every write fails with CARTEIRA_PERMISSION_DENIED */
  int32_t busy_timeout_ms; /* default 2000 */
  int32_t durable;         /* 1 (default): fsync every commit; 0: safe against a killed process only */
  /* Since 0.2. Above 0: the most bytes the file may grow to (whole pages,
   * never below its size when opened); a write needing more fails whole
   * with CARTEIRA_RESOURCE_EXHAUSTED, as on a full disk. 0: no limit. */
  int64_t max_bytes;
  /* Since 0.2. 1 (default): the write-ahead log is copied into the file
   * (checkpointed) on a thread of the store's own, so a commit returns
   * without it; 0: SQLite's own checkpoints, inside the commit that takes
   * the log past 1,000 pages. Either is as safe (durable alone decides). */
  int32_t checkpoint_thread;
} carteira_store_options;
#define CARTEIRA_STORE_OPTIONS_INIT {sizeof(carteira_store_options), 1, 0, 2000, 1, 0, 1}

/* options may be NULL (the defaults). The first open in a process asks
 * SQLite, if it is not initialized yet, to keep no memory statistics
 * (docs/store.md): a host that needs them calls sqlite3_initialize() first. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_store_open(const char* path,
                                                                   const carteira_store_options* options,
                                                                   carteira_store** out);
CARTEIRA_API void carteira_store_close(carteira_store* store);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_store_schema_version(const carteira_store* store,
                                                                             int32_t* out_version);
/* Since 0.2. Copies every committed change from the write-ahead log into
 * the database file now, after any checkpoint under way on the store's
 * thread (checkpoint_thread): e.g. before the file alone is copied. Not
 * needed for safety: a commit is durable without it. On a read-only store
 * CARTEIRA_PERMISSION_DENIED; CARTEIRA_UNAVAILABLE when a reader elsewhere
 * still needs the log (try again when it is done). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_store_checkpoint(carteira_store* store);

/* Writes a whole portfolio (e.g. an import of a data directory) into an
 * empty store, or in place of everything it holds with replace = 1. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_store_save(carteira_store* store,
                                                                   const carteira_portfolio* portfolio,
                                                                   int32_t replace);
/* Reads the whole store into `portfolio`, which must be empty. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_store_load(carteira_store* store,
                                                                   carteira_portfolio* portfolio);

/* Appends the day's data: `delta` holds the new rows (e.g. an import of the
 * day's files); customers and reps the store has take the delta's
 * non-empty fields. out (may be NULL) receives what was done. */
typedef struct carteira_store_append_report {
  uint32_t struct_size;
  int64_t customers_added, customers_updated, reps_added, reps_updated;
  int64_t transactions, contracts, interactions, surveys, assignments;
  int64_t affected_customers; /* whose summary and status the next refresh recomputes */
} carteira_store_append_report;
#define CARTEIRA_STORE_APPEND_REPORT_INIT {sizeof(carteira_store_append_report), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_store_append(carteira_store* store,
                                                                     const carteira_portfolio* delta,
                                                                     carteira_store_append_report* out);

/* Status changes: of one refresh (carteira_store_refresh_statuses) or the
 * stored history (carteira_store_history). */
typedef struct carteira_status_events carteira_status_events;
typedef struct carteira_status_event {
  uint32_t struct_size;
  const char* customer_id; /* lives as long as the events */
  int32_t as_of;           /* the refresh that found the change */
  int32_t from;            /* carteira_lifecycle; prospect when first */
  int32_t to;
  uint32_t from_flags, to_flags;
  int32_t first; /* 1: the customer had no stored status before */
} carteira_status_event;
#define CARTEIRA_STATUS_EVENT_INIT {sizeof(carteira_status_event), NULL, 0, 0, 0, 0, 0, 0}

/* Brings every customer's stored status up to `as_of` (policy NULL = the
 * default), recomputing only customers with new data or a threshold due;
 * out receives the changes since the previous refresh (none on the first). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_store_refresh_statuses(
    carteira_store* store, int32_t as_of, const carteira_status_policy* policy, carteira_status_events** out);
/* What a refresh did (carteira_status_events_refresh_info): its date, the
 * previous refresh's (CARTEIRA_NO_DAY if none), the customers judged again,
 * and whether its policy differed from the previous refresh's (then every
 * customer was judged again and the events include the policy's changes). */
typedef struct carteira_refresh_info {
  uint32_t struct_size;
  int32_t as_of;
  int32_t previous_as_of;
  int32_t policy_changed; /* 1: the policy differs from the previous refresh's */
  int64_t customers_checked;
} carteira_refresh_info;
#define CARTEIRA_REFRESH_INFO_INIT {sizeof(carteira_refresh_info), 0, 0, 0, 0}
/* For events from carteira_store_refresh_statuses; others (history,
 * statuses) give CARTEIRA_FAILED_PRECONDITION. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status
carteira_status_events_refresh_info(const carteira_status_events* events, carteira_refresh_info* out);
/* The stored changes of the refreshes dated in (from, to], by date then id. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_store_history(carteira_store* store, int32_t from,
                                                                      int32_t to, carteira_status_events** out);
CARTEIRA_API void carteira_status_events_destroy(carteira_status_events* events);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status
carteira_status_events_size(const carteira_status_events* events, size_t* out_count);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_status_events_get(const carteira_status_events* events,
                                                                          size_t index, carteira_status_event* out);

/* Every customer's stored status as of the last refresh, by customer id,
 * read like events: from = to = the status, from_flags = to_flags = its
 * flags, as_of = the refresh date (empty before the first refresh). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_store_statuses(carteira_store* store,
                                                                       carteira_status_events** out);
/* Dates: of the latest stored transaction and of the last refresh
 * (CARTEIRA_NO_DAY when none). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_store_last_transaction_date(carteira_store* store,
                                                                                    int32_t* out_day);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_store_last_refresh_date(carteira_store* store,
                                                                                int32_t* out_day);
/* Rows of one table ("customers", "transactions", "status_events", ...;
 * CARTEIRA_NOT_FOUND for another name). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_store_count(carteira_store* store, const char* table,
                                                                    int64_t* out_rows);
/* Portfolio merge on the store, as one transaction: the merged customers'
 * rows move to `into`, their ids become aliases (arguments as
 * carteira_portfolio_merge_customers). The survivor is judged again at the
 * next refresh. The merged customers' loyalty entries become the survivor's
 * when that changes no balance; otherwise (pooled, a redemption would take
 * from other lots than it did) the merge is refused with
 * CARTEIRA_FAILED_PRECONDITION and nothing is written (docs/store.md). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_store_merge_customers(
    carteira_store* store, const char* into, const char* const* merged, size_t merged_count, int32_t merged_at,
    const char* merged_by);
/* Consistency check: *out_problems problems (0 = consistent), described
 * one a line into buffer[0 .. capacity) (size query: buffer NULL and
 * capacity 0; CARTEIRA_OUT_OF_RANGE when too small). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_store_check(carteira_store* store, char* buffer,
                                                                    size_t capacity, size_t* out_length,
                                                                    size_t* out_problems);

/* ---- Redistribution plans (docs/redistribution.md) --------------------- */
/* A pipeline of policies (giro, assignment, rebalance, handover, plugins)
 * builds a plan: moves with reasons, customers it could not place, each
 * rep's figures before and after. A plan is a dry run until applied. */
typedef struct carteira_plan_pipeline carteira_plan_pipeline;
typedef struct carteira_plan carteira_plan;
/* What a plugin policy sees and changes; valid only during its run. */
typedef struct carteira_plan_state carteira_plan_state;

/* A pipeline from the policy file's JSON (errors name the policy's position
 * and the key), from a file, or empty (add plugin policies to it). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_plan_pipeline_from_json(const char* json,
                                                                                carteira_plan_pipeline** out);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_plan_pipeline_from_file(const char* path,
                                                                                carteira_plan_pipeline** out);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_plan_pipeline_create(carteira_plan_pipeline** out);
CARTEIRA_API void carteira_plan_pipeline_destroy(carteira_plan_pipeline* pipeline);

typedef struct carteira_policy_vtable {
  uint32_t struct_size;
  /* Proposes moves through carteira_plan_state_move / _unplace. Returns
   * CARTEIRA_OK, or an error code: the plan then fails with the message
   * given to carteira_plan_state_set_error. Must not throw or longjmp. */
  int32_t (*run)(void* user_data, const carteira_portfolio* portfolio, carteira_plan_state* state);
  /* Releases user_data; may be NULL. Called exactly once: when the pipeline
   * is destroyed, or before carteira_plan_pipeline_add_policy returns an
   * error (not when struct_size is too small to hold this field). */
  void (*destroy)(void* user_data);
} carteira_policy_vtable;
#define CARTEIRA_POLICY_VTABLE_INIT {sizeof(carteira_policy_vtable), NULL, NULL}

/* Appends a plugin policy named `name` (non-empty; copied) after the
 * pipeline's policies. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_plan_pipeline_add_policy(
    carteira_plan_pipeline* pipeline, const char* name, const carteira_policy_vtable* vtable, void* user_data);

/* One customer as a policy sees it (after the earlier policies' moves). */
typedef struct carteira_plan_customer {
  uint32_t struct_size;
  int32_t holder;            /* rep index; -1 = none */
  int32_t status;            /* carteira_lifecycle on the plan's date */
  int32_t locked;            /* 1: key account or pinned: never moves */
  int32_t moved;             /* 1: an earlier policy moved it */
  int32_t days_since_last;   /* -1 without a purchase */
  int32_t holder_last_touch; /* the holder's last sale or contact; CARTEIRA_NO_DAY if none */
  int64_t value;             /* net revenue in the value window, minor units */
  int64_t weight;            /* load weight */
} carteira_plan_customer;
#define CARTEIRA_PLAN_CUSTOMER_INIT {sizeof(carteira_plan_customer), -1, 0, 0, 0, -1, CARTEIRA_NO_DAY, 0, 0}

CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_plan_state_as_of(const carteira_plan_state* state,
                                                                         int32_t* out_day);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_plan_state_customer(const carteira_plan_state* state,
                                                                            uint32_t customer,
                                                                            carteira_plan_customer* out);
/* A rep's book now (customers and load) and whether it is available
 * (active and not away on the plan's date). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_plan_state_rep(const carteira_plan_state* state, int32_t rep,
                                                                       int64_t* out_customers, int64_t* out_load,
                                                                       int32_t* out_available);
/* Moves `customer` to `to_rep`. CARTEIRA_FAILED_PRECONDITION (nothing
 * done) for a locked or already moved customer, or its own rep. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_plan_state_move(carteira_plan_state* state, uint32_t customer,
                                                                        int32_t to_rep, const char* reason,
                                                                        const char* explanation);
/* Records that the policy could not place `customer`, and why. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_plan_state_unplace(carteira_plan_state* state,
                                                                           uint32_t customer, const char* constraint,
                                                                           const char* explanation);
/* The message to report when run returns an error. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_plan_state_set_error(carteira_plan_state* state,
                                                                             const char* message);

/* Runs the pipeline on `portfolio` with its status table (which fixes the
 * date). The plan keeps a pointer to the portfolio for ids: destroy the
 * plan first; a plan made before a merge is refused afterwards. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_plan_build(const carteira_portfolio* portfolio,
                                                                   const carteira_status_table* status,
                                                                   const carteira_plan_pipeline* pipeline,
                                                                   carteira_plan** out);
/* Reads a plan written by carteira_plan_to_json (ids resolved in
 * `portfolio`; errors name the move and field). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_plan_from_json(const carteira_portfolio* portfolio,
                                                                       const char* json, carteira_plan** out);
CARTEIRA_API void carteira_plan_destroy(carteira_plan* plan);

typedef struct carteira_plan_info {
  uint32_t struct_size;
  const char* id; /* "plan-" + 16 hex digits; strings live as long as the plan */
  int32_t as_of;
  size_t move_count;
  size_t unplaced_count;
  size_t infeasible_count;
  const char* round_robin_cursor; /* "" when no round robin ran */
} carteira_plan_info;
#define CARTEIRA_PLAN_INFO_INIT {sizeof(carteira_plan_info), NULL, CARTEIRA_NO_DAY, 0, 0, 0, NULL}
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_plan_info_get(const carteira_plan* plan,
                                                                      carteira_plan_info* out);

typedef struct carteira_plan_move {
  uint32_t struct_size;
  uint32_t customer; /* customer index */
  int32_t from;      /* rep index; -1 = none */
  int32_t to;
  int32_t effective; /* day */
  int32_t until;     /* temporary move: back on this day; CARTEIRA_NO_DAY otherwise */
  const char* policy; /* strings live as long as the plan */
  const char* reason;
  const char* explanation;
} carteira_plan_move;
#define CARTEIRA_PLAN_MOVE_INIT {sizeof(carteira_plan_move), 0, -1, -1, CARTEIRA_NO_DAY, CARTEIRA_NO_DAY, NULL, NULL, NULL}
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_plan_move_get(const carteira_plan* plan, size_t index,
                                                                      carteira_plan_move* out);

typedef struct carteira_plan_unplaced {
  uint32_t struct_size;
  uint32_t customer;
  int32_t holder;         /* where it stays; -1 = none */
  const char* policy;     /* strings live as long as the plan */
  const char* constraint; /* locked, territory, segment, cooldown, move_limit, capacity, no_rep */
  const char* explanation;
} carteira_plan_unplaced;
#define CARTEIRA_PLAN_UNPLACED_INIT {sizeof(carteira_plan_unplaced), 0, -1, NULL, NULL, NULL}
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_plan_unplaced_get(const carteira_plan* plan, size_t index,
                                                                          carteira_plan_unplaced* out);
/* A region a policy could not solve, in words with the numbers. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_plan_infeasible_get(const carteira_plan* plan, size_t index,
                                                                            const char** out_text);

typedef struct carteira_rep_figures {
  uint32_t struct_size;
  int64_t customers;
  int64_t load;
  int64_t at_risk;
  int64_t at_risk_value; /* minor units */
} carteira_rep_figures;
#define CARTEIRA_REP_FIGURES_INIT {sizeof(carteira_rep_figures), 0, 0, 0, 0}
/* Rep `rep`'s figures before (after = 0) or after (after = 1) the plan. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_plan_rep_figures(const carteira_plan* plan, int32_t after,
                                                                         int32_t rep, carteira_rep_figures* out);

typedef struct carteira_fairness {
  uint32_t struct_size;
  int64_t reps; /* available reps */
  int64_t min_load;
  int64_t max_load;
  double max_min_ratio; /* NaN when min_load is 0 */
  double gini;
} carteira_fairness;
#define CARTEIRA_FAIRNESS_INIT {sizeof(carteira_fairness), 0, 0, 0, 0.0, 0.0}
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_plan_fairness(const carteira_plan* plan, int32_t after,
                                                                      carteira_fairness* out);

/* The plan as JSON (docs/redistribution.md); lives as long as the plan. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_plan_to_json(const carteira_plan* plan, const char** out_json);
/* Writes the plan's moves into the portfolio's assignment history, all or
 * nothing; CARTEIRA_FAILED_PRECONDITION (naming the customer) when a move
 * no longer starts from the customer's rep (a stale plan). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_plan_apply(carteira_portfolio* portfolio,
                                                                   const carteira_plan* plan);
/* Writes the plan's moves into the store's assignment history with a
 * record of the plan (its id, applied_at: days since 1970-01-01, applied_by
 * required, note may be NULL), as one transaction. The plan must have been
 * built on a portfolio loaded from this store (carteira_store_load): a move
 * that no longer starts from the customer's rep is refused
 * (CARTEIRA_FAILED_PRECONDITION, naming the customer), and a customer or
 * rep the store does not have is an error; nothing is written then. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_store_apply_plan(carteira_store* store,
                                                                         const carteira_plan* plan,
                                                                         int32_t applied_at,
                                                                         const char* applied_by,
                                                                         const char* note);
/* The plan that moves every customer back on `effective`. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_plan_inverse(const carteira_plan* plan, int32_t effective,
                                                                     carteira_plan** out);

/* ---- Sales opportunities (docs/opportunities.md) ---------------------- */

/* What to offer each customer (cross-sell from the categories bought
 * together across the portfolio) and when (the next purchase window from
 * the customer's own rhythm), as of a date. */
typedef struct carteira_opportunities carteira_opportunities;

typedef struct carteira_opportunities_options {
  uint32_t struct_size;
  int32_t as_of;              /* days; required */
  int32_t top_k;              /* suggestions per customer, 1..50; 0 = 3 */
  int32_t max_gaps;           /* the rhythm of the latest gaps, 1..1000; 0 = 12 */
  int64_t min_pair_customers; /* a pair bought together by fewer customers is no
                                 evidence; 0 = 3 */
} carteira_opportunities_options;
#define CARTEIRA_OPPORTUNITIES_OPTIONS_INIT {sizeof(carteira_opportunities_options), CARTEIRA_NO_DAY, 0, 0, 0}

/* Succeeds without suggestions when no transaction has a category (the
 * windows still stand); carteira_opportunities_note says why. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_opportunities_compute(
    const carteira_portfolio* portfolio, const carteira_opportunities_options* options, carteira_opportunities** out);
CARTEIRA_API void carteira_opportunities_destroy(carteira_opportunities* opportunities);
/* Why nothing can be suggested ("" when suggestions were made): no category
 * at all, or a single one. Lives as long as the handle. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_opportunities_note(const carteira_opportunities* opportunities,
                                                                           const char** out_note);
/* The portfolio's categories (CARTEIRA_SUGGESTION_CATEGORY and _BECAUSE
 * index them); names live as long as the handle. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_opportunities_category_count(
    const carteira_opportunities* opportunities, size_t* out_count);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_opportunities_category(
    const carteira_opportunities* opportunities, size_t index, const char** out_name);

/* Suggestions: one row per customer and rank, customers in index order,
 * best first. */
typedef enum carteira_suggestion_column {
  CARTEIRA_SUGGESTION_CUSTOMER_INDEX = 0,
  CARTEIRA_SUGGESTION_RANK = 1,     /* 1..top_k */
  CARTEIRA_SUGGESTION_CATEGORY = 2, /* category index */
  CARTEIRA_SUGGESTION_BASIS = 3,    /* 0 similarity to the customer's categories, 1 most popular (none bought yet) */
  CARTEIRA_SUGGESTION_BECAUSE = 4,  /* the customer's category the quoted rule starts from; -1 for basis 1 */
  CARTEIRA_SUGGESTION_TOGETHER = 5  /* customers who bought both (basis 1: the category) */
} carteira_suggestion_column;
typedef enum carteira_suggestion_real_column {
  CARTEIRA_SUGGESTION_SCORE = 0,      /* mean cosine similarity (basis 1: share of customers) */
  CARTEIRA_SUGGESTION_CONFIDENCE = 1, /* of the rule because -> category */
  CARTEIRA_SUGGESTION_LIFT = 2
} carteira_suggestion_real_column;
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_opportunities_suggestion_count(
    const carteira_opportunities* opportunities, size_t* out_rows);
/* Copies a column into out[0 .. rows); CARTEIRA_OUT_OF_RANGE if capacity < rows. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_opportunities_suggestion_int64(
    const carteira_opportunities* opportunities, int32_t column, int64_t* out, size_t capacity);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_opportunities_suggestion_double(
    const carteira_opportunities* opportunities, int32_t column, double* out, size_t capacity);
/* The reasons in words of suggestion rows [first, first + count), with the
 * contract of carteira_portfolio_customer_ids (size query with buffer NULL). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_opportunities_reasons(
    const carteira_opportunities* opportunities, size_t first, size_t count, char* buffer, size_t capacity,
    uint64_t* out_offsets, size_t* out_needed);

/* The next purchase of every customer (index order; capacity >= the
 * portfolio's customers). Any output pointer may be NULL. basis: 0 no
 * purchase, 1 one purchase (no rhythm yet), 2 rhythm; days CARTEIRA_NO_DAY
 * without a rhythm (last: without a purchase). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_opportunities_next_purchase(
    const carteira_opportunities* opportunities, int32_t* basis, int32_t* last, int32_t* expected,
    int32_t* window_from, int32_t* window_to, size_t capacity);
/* The customers whose window opens in [week_start, week_start + 6], index
 * order. *out_count receives how many; out may be NULL (size query), else
 * CARTEIRA_OUT_OF_RANGE when capacity is short. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_opportunities_entering_window(
    const carteira_opportunities* opportunities, int32_t week_start, uint32_t* out, size_t capacity,
    size_t* out_count);

/* The honest check: the model built from the purchases on or before
 * cutoff, judged on the customers who bought a new category in
 * (cutoff, to]; hit rate at k against the most popular categories. */
typedef struct carteira_cross_sell_evaluation {
  uint32_t struct_size;
  int64_t customers;
  int64_t model_hits;
  int64_t baseline_hits;
  double model_hit_rate;
  double baseline_hit_rate;
} carteira_cross_sell_evaluation;
#define CARTEIRA_CROSS_SELL_EVALUATION_INIT {sizeof(carteira_cross_sell_evaluation), 0, 0, 0, 0.0, 0.0}
/* min_pair_customers 0 = 3. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_cross_sell_evaluate(
    const carteira_portfolio* portfolio, int32_t cutoff, int32_t to, int32_t k, int64_t min_pair_customers,
    carteira_cross_sell_evaluation* out);

/* The product mix of [from, to]: per group, buyers, the average number of
 * categories a buyer bought (positivação de mix) and each category's buyers
 * and net revenue. Groups: 0 is the portfolio; then, by rep, every rep in
 * rep order and the customers without one; by segment, the segments in
 * byte order and the customers without one (the category-by-segment matrix). */
typedef struct carteira_mix carteira_mix;
typedef enum carteira_mix_grouping {
  CARTEIRA_MIX_NONE = 0,
  CARTEIRA_MIX_BY_REP = 1, /* the book at `to` */
  CARTEIRA_MIX_BY_SEGMENT = 2
} carteira_mix_grouping;
/* CARTEIRA_FAILED_PRECONDITION when no transaction has a category. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_mix_compute(const carteira_portfolio* portfolio, int32_t from,
                                                                    int32_t to, int32_t by, carteira_mix** out);
CARTEIRA_API void carteira_mix_destroy(carteira_mix* mix);
/* Categories in name order (the columns of the groups' figures). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_mix_category_count(const carteira_mix* mix, size_t* out_count);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_mix_category(const carteira_mix* mix, size_t index,
                                                                     const char** out_name);
typedef struct carteira_mix_group {
  uint32_t struct_size;
  const char* group;       /* rep id or segment; "" for the portfolio and the unassigned; lives as long as the mix */
  int32_t unassigned;      /* 1 for the customers without a rep / segment */
  int64_t customers;
  int64_t buyers;
  double average_breadth;  /* NaN without buyers */
} carteira_mix_group;
#define CARTEIRA_MIX_GROUP_INIT {sizeof(carteira_mix_group), NULL, 0, 0, 0, 0.0}
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_mix_group_count(const carteira_mix* mix, size_t* out_count);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_mix_group_get(const carteira_mix* mix, size_t index,
                                                                      carteira_mix_group* out);
/* A group's buyers and net revenue (minor units) per category; either
 * pointer may be NULL; capacity >= the categories. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_mix_group_categories(const carteira_mix* mix, size_t index,
                                                                             int64_t* buyers, int64_t* revenue,
                                                                             size_t capacity);
/* Categories with a purchase in the period, per customer index. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_mix_breadth(const carteira_mix* mix, int32_t* out,
                                                                    size_t capacity);

/* The ideal customer profile: the best customers (top best_share by net
 * revenue) described by attribute values, and every customer scored. */
typedef struct carteira_icp carteira_icp;
typedef struct carteira_icp_options {
  uint32_t struct_size;
  int32_t as_of;     /* days; required */
  double best_share; /* (0, 1) */
  double smoothing;  /* m of the m-estimate, >= 0 */
} carteira_icp_options;
#define CARTEIRA_ICP_OPTIONS_INIT {sizeof(carteira_icp_options), CARTEIRA_NO_DAY, 0.2, 10.0}
/* CARTEIRA_FAILED_PRECONDITION when nobody has a positive revenue. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_icp_compute(const carteira_portfolio* portfolio,
                                                                    const carteira_icp_options* options,
                                                                    carteira_icp** out);
CARTEIRA_API void carteira_icp_destroy(carteira_icp* icp);
typedef struct carteira_icp_info {
  uint32_t struct_size;
  int32_t as_of;
  int64_t buyers;
  int64_t best;
  int64_t best_threshold; /* minor units */
  double base_rate;
} carteira_icp_info;
#define CARTEIRA_ICP_INFO_INIT {sizeof(carteira_icp_info), 0, 0, 0, 0, 0.0}
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_icp_get_info(const carteira_icp* icp, carteira_icp_info* out);
typedef struct carteira_icp_value {
  uint32_t struct_size;
  const char* attribute; /* segment, region, state, breadth, rhythm, main_category; lives as long as the icp */
  const char* value;
  int64_t customers;
  int64_t best;
  double share_of_best;
  double probability;
  double lift;
} carteira_icp_value;
#define CARTEIRA_ICP_VALUE_INIT {sizeof(carteira_icp_value), NULL, NULL, 0, 0, 0.0, 0.0, 0.0}
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_icp_profile_count(const carteira_icp* icp, size_t* out_count);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_icp_profile_get(const carteira_icp* icp, size_t index,
                                                                        carteira_icp_value* out);
/* Per customer index (capacity >= the customers); any pointer may be NULL.
 * drivers: 3 profile rows per customer (largest contributions first), -1
 * padded, so capacity * 3 entries. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_icp_scores(const carteira_icp* icp, double* score,
                                                                   uint8_t* is_best, int64_t* revenue,
                                                                   int32_t* drivers, size_t capacity);
/* ---- Retention actions (docs/actions.md) ------------------------------- */
/* The agenda (what each rep should do as of a date), the loyalty ledger
 * (points earned, redeemed and expiring; tiers) and automation (the host's
 * callbacks, told of status transitions, new tasks and tier changes). */

typedef enum carteira_task_type {
  CARTEIRA_TASK_RENEWAL = 0,      /* a contract ends soon: "carteira de renovação" */
  CARTEIRA_TASK_REACTIVATION = 1, /* the customer just became at_risk or inactive */
  CARTEIRA_TASK_VISIT = 2,        /* a field visit by ABC cadence */
  CARTEIRA_TASK_NPS_SURVEY = 3,   /* ask for an NPS answer after a purchase */
  CARTEIRA_TASK_FOLLOW_UP = 4,    /* call after a purchase */
  /* Since 0.2: a sales call before the customer's next purchase window
   * opens (its own rhythm), offering the top cross-sell suggestion. Not in
   * the default set: ask for it. */
  CARTEIRA_TASK_PURCHASE_WINDOW = 5
} carteira_task_type;
#define CARTEIRA_TASK_TYPE_COUNT 6
/* A set of task types: bit (1u << type) for each. The default set is the
 * first five (what agendas held before purchase windows); ALL adds
 * purchase windows (it was 0x1F before 0.2). */
#define CARTEIRA_TASK_TYPES_DEFAULT 0x1Fu
#define CARTEIRA_TASK_TYPES_ALL 0x3Fu

/* "nps_survey" for CARTEIRA_TASK_NPS_SURVEY; NULL for an unknown value.
 * Static storage. */
CARTEIRA_API const char* carteira_task_type_name(int32_t type);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_task_type_parse(const char* name, int32_t* out_type);

/* The agenda's options; the defaults (CARTEIRA_AGENDA_OPTIONS_INIT) are
 * the core's (docs/actions.md). */
typedef struct carteira_agenda_options {
  uint32_t struct_size;
  int32_t as_of;                    /* days; required (automation: its `to`) */
  int32_t horizon_days;             /* tasks due up to as_of + horizon: 7 */
  uint32_t task_types;              /* bits (1u << carteira_task_type); 0 is refused */
  int32_t renewal_lead_days;        /* 60 */
  int32_t renewal_urgent_days;      /* 15 */
  uint32_t reactivation_statuses;   /* bits (1u << carteira_lifecycle): at_risk, inactive */
  int32_t reactivation_window_days; /* 30 */
  const char* visit_channels;       /* '|'-separated channel names; NULL = "visit|visita" */
  int32_t visit_days_a;             /* 30: class A's visit cadence */
  int32_t visit_days_b;             /* 60 */
  int32_t visit_days_c;             /* 90 (and unclassed customers) */
  int32_t nps_after_purchase_days;  /* 7 */
  int32_t nps_min_interval_days;    /* 90 */
  int32_t nps_max_age_days;         /* 30 */
  int32_t follow_up_after_days;     /* 3 */
  int32_t follow_up_max_age_days;   /* 14 */
  const double* expected_value;     /* per customer index (e.g. a model's CLV), or NULL:
                                       the revenue of the last 365 days ranks value */
  size_t expected_value_count;      /* the portfolio's customers when given */
  /* Since 0.2 (an older caller's struct ends before: the defaults hold). */
  int32_t purchase_window_lead_days;    /* 2: call this long before the window opens */
  int32_t purchase_window_max_age_days; /* 14: no call for windows open longer than this */
} carteira_agenda_options;
#define CARTEIRA_AGENDA_OPTIONS_INIT                                                                  \
  {sizeof(carteira_agenda_options), CARTEIRA_NO_DAY, 7, CARTEIRA_TASK_TYPES_DEFAULT, 60, 15,            \
   (1u << CARTEIRA_LIFECYCLE_AT_RISK) | (1u << CARTEIRA_LIFECYCLE_INACTIVE), 30, NULL, 30, 60, 90, 7, 90, \
   30, 3, 14, NULL, 0, 2, 14}
CARTEIRA_API void carteira_agenda_options_init(carteira_agenda_options* options, size_t struct_size);

/* One task of an agenda. */
typedef struct carteira_task {
  uint32_t struct_size;
  uint32_t customer; /* customer index */
  int32_t rep;       /* its rep's index on the as-of date; -1 = none */
  int32_t type;      /* carteira_task_type */
  int32_t due;       /* days */
  int32_t anchor;    /* contract end, transition, last visit, purchase day or window opening */
  int32_t overdue;   /* 1: due before the as-of date */
  int32_t priority;  /* 0..100 */
  const char* key;    /* "<type>:<customer id>:<anchor>[:stage]": stable from day to day */
  const char* reason; /* in words, with the figures */
} carteira_task;
#define CARTEIRA_TASK_INIT {sizeof(carteira_task), 0, -1, 0, CARTEIRA_NO_DAY, CARTEIRA_NO_DAY, 0, 0, NULL, NULL}

/* The agenda as of options->as_of on the engine's portfolio: tasks in
 * (due, -priority, customer id, type) order, customers and reps by index.
 * The agenda keeps its own copy (it needs neither the engine nor the
 * portfolio afterwards). */
typedef struct carteira_agenda carteira_agenda;
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_agenda_build(const carteira_status_engine* engine,
                                                                     const carteira_agenda_options* options,
                                                                     carteira_agenda** out);
CARTEIRA_API void carteira_agenda_destroy(carteira_agenda* agenda);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_agenda_size(const carteira_agenda* agenda,
                                                                    size_t* out_count);
/* Task `index`; its strings live as long as the agenda. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_agenda_task_get(const carteira_agenda* agenda, size_t index,
                                                                        carteira_task* out);

/* The loyalty ledger: append-only entries per customer. */
typedef enum carteira_ledger_kind {
  CARTEIRA_LEDGER_EARN = 0,
  CARTEIRA_LEDGER_REDEEM = 1,
  CARTEIRA_LEDGER_EXPIRE = 2,
  CARTEIRA_LEDGER_ADJUST = 3,
  CARTEIRA_LEDGER_REVERSE = 4
} carteira_ledger_kind;
/* "earn", ...; NULL for an unknown value. Static storage. */
CARTEIRA_API const char* carteira_ledger_kind_name(int32_t kind);

typedef struct carteira_loyalty_ledger carteira_loyalty_ledger;

/* An empty ledger on `portfolio` (which must outlive it; its purchases earn
 * the points) with the rules file's JSON (docs/actions.md: money as decimal
 * strings such as "1000,00", multipliers in percent), or the default rules
 * when rules_json is NULL. Errors name the key ("rules.tiers[1].min_spend:
 * ..."). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_loyalty_ledger_create(const carteira_portfolio* portfolio,
                                                                              const char* rules_json,
                                                                              carteira_loyalty_ledger** out);
/* The same with the rules read from a file (errors start with its path). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_loyalty_ledger_create_from_file(
    const carteira_portfolio* portfolio, const char* path, carteira_loyalty_ledger** out);
CARTEIRA_API void carteira_loyalty_ledger_destroy(carteira_loyalty_ledger* ledger);

/* Earn entries (and, for returns, negative adjustments) for the purchases
 * dated after the last day earned and on or before up_to.
 * *out_appended (may be NULL) receives the entries written. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_loyalty_earn_from_transactions(
    carteira_loyalty_ledger* ledger, int32_t up_to, size_t* out_appended);
/* A redemption of `points` (> 0) on `day`, the lots closest to expiry
 * first. CARTEIRA_FAILED_PRECONDITION (nothing written) beyond the balance
 * available that day, or before the customer's last entry. *out_entry (may
 * be NULL) receives the new entry's id. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_loyalty_redeem(carteira_loyalty_ledger* ledger,
                                                                       uint32_t customer, int32_t day,
                                                                       int64_t points, const char* reference,
                                                                       uint64_t* out_entry);
/* A correction: positive points form a new lot, negative ones consume lots
 * (refused beyond the balance). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_loyalty_adjust(carteira_loyalty_ledger* ledger,
                                                                       uint32_t customer, int32_t day,
                                                                       int64_t points, const char* note,
                                                                       uint64_t* out_entry);
/* Cancels an earn, redeem or adjust entry (by id) on `day`;
 * CARTEIRA_FAILED_PRECONDITION when already reversed or its points were
 * spent, CARTEIRA_NOT_FOUND for an unknown id. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_loyalty_reverse(carteira_loyalty_ledger* ledger,
                                                                        uint64_t entry, int32_t day,
                                                                        const char* note, uint64_t* out_entry);
/* Writes an expire entry, dated `day`, for what is left of every lot
 * expired on or before it. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_loyalty_expire_until(carteira_loyalty_ledger* ledger,
                                                                             int32_t day, size_t* out_appended);
/* As of `day` (the entries dated on or before it): the usable points, and
 * those of them expiring within `days` days (expiry day <= day + days). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_loyalty_balance(const carteira_loyalty_ledger* ledger,
                                                                        uint32_t customer, int32_t day,
                                                                        int64_t* out_points);
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_loyalty_expiring_within(
    const carteira_loyalty_ledger* ledger, uint32_t customer, int32_t day, int32_t days, int64_t* out_points);
/* Every customer's usable points as of `day` in one call:
 * out_points[i] for customer index i; `count` must be the portfolio's
 * customer count (CARTEIRA_INVALID_ARGUMENT otherwise, naming both). */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_loyalty_balances(const carteira_loyalty_ledger* ledger,
                                                                         int32_t day, int64_t* out_points,
                                                                         size_t count);

/* A customer's tier on a day, by the spend of the 365 days ending on it. */
typedef struct carteira_tier_standing {
  uint32_t struct_size;
  int32_t tier;          /* index in the rules' tiers; -1 = none */
  int32_t next;          /* the next tier; -1 = at the top */
  int64_t spend;         /* minor units */
  int64_t to_next;       /* spend still needed for the next tier */
  const char* tier_name; /* NULL when none; strings live as long as the ledger */
  const char* next_name;
} carteira_tier_standing;
#define CARTEIRA_TIER_STANDING_INIT {sizeof(carteira_tier_standing), -1, -1, 0, 0, NULL, NULL}
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_loyalty_tier(const carteira_loyalty_ledger* ledger,
                                                                     uint32_t customer, int32_t day,
                                                                     carteira_tier_standing* out);

/* Every entry, in append order (entry i has id i + 1). */
typedef struct carteira_ledger_entry {
  uint32_t struct_size;
  uint64_t id;
  uint32_t customer;
  int32_t day;
  int32_t kind;          /* carteira_ledger_kind */
  int64_t points;        /* signed: what the entry adds to the balance */
  int32_t expires;       /* earn and positive adjust: the lot's expiry day; else CARTEIRA_NO_DAY */
  uint64_t reverses;     /* reverse: the entry cancelled; expire: the lot's entry; else 0 */
  const char* reference; /* order id, redemption reference ("" if none) */
  const char* note;
} carteira_ledger_entry;
#define CARTEIRA_LEDGER_ENTRY_INIT \
  {sizeof(carteira_ledger_entry), 0, 0, CARTEIRA_NO_DAY, 0, 0, CARTEIRA_NO_DAY, 0, NULL, NULL}
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_loyalty_entry_count(const carteira_loyalty_ledger* ledger,
                                                                            size_t* out_count);
/* Entry `index`; its strings stay valid until the ledger is next written
 * to (earn, redeem, adjust, reverse, expire) or destroyed. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_loyalty_entry_get(const carteira_loyalty_ledger* ledger,
                                                                          size_t index, carteira_ledger_entry* out);

/* The ledger in the store (docs/store.md). Save appends the
 * ledger's entries the store does not hold yet, and the day purchases were
 * earned up to, as one transaction; the ledger must be made on a portfolio
 * loaded from this store (carteira_store_load), typically by
 * carteira_store_load_loyalty, then added to. The store's entries must be
 * the ledger's first ones (CARTEIRA_FAILED_PRECONDITION, naming the entry,
 * otherwise); a customer the store does not have is CARTEIRA_NOT_FOUND;
 * nothing is written then. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_store_save_loyalty(carteira_store* store,
                                                                           const carteira_loyalty_ledger* ledger);
/* The stored ledger on `portfolio` (loaded from this store; it must outlive
 * the ledger) with the rules file's JSON, or the default rules when
 * rules_json is NULL (as carteira_loyalty_ledger_create); an empty ledger
 * when none was saved. A stored entry of a customer the portfolio does not
 * have is CARTEIRA_FAILED_PRECONDITION. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_store_load_loyalty(carteira_store* store,
                                                                           const carteira_portfolio* portfolio,
                                                                           const char* rules_json,
                                                                           carteira_loyalty_ledger** out);

/* Automation: handlers (C vtables) called for what changed between two
 * days. Order of the calls (docs/actions.md):
 *  1. every status transition in (from, to], by date, then customer id;
 *  2. every task of the agenda on `to` whose key is not among the known
 *     keys, in agenda order;
 *  3. with a ledger, every customer whose tier on `to` differs from its
 *     tier on `from`, by customer id.
 * Each event goes to every handler with a function for its kind, in
 * registration order, before the next event. A handler's error stops
 * nothing: it is listed in the run's report. */
typedef enum carteira_automation_event {
  CARTEIRA_EVENT_TRANSITION = 0,
  CARTEIRA_EVENT_NEW_TASK = 1,
  CARTEIRA_EVENT_TIER_CHANGE = 2
} carteira_automation_event;

typedef struct carteira_transition_event {
  uint32_t struct_size;
  uint32_t customer;
  const char* customer_id; /* valid during the call */
  int32_t from;            /* carteira_lifecycle */
  int32_t to;
  int32_t date;            /* the first day of the new status */
  int32_t rule;            /* the rule behind the new status */
} carteira_transition_event;

typedef struct carteira_tier_change {
  uint32_t struct_size;
  uint32_t customer;
  const char* customer_id; /* strings valid during the call */
  int32_t from_tier;       /* index in the rules' tiers on the `from` day; -1 = none */
  int32_t to_tier;         /* on the `to` day */
  const char* from_name;   /* NULL when none */
  const char* to_name;
  int32_t from;            /* days */
  int32_t to;
  int64_t spend;           /* the 365 days ending on `to`, minor units */
} carteira_tier_change;

/* One handler call; valid only during it. */
typedef struct carteira_automation_call carteira_automation_call;
/* The message to report when the function returns an error. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status
carteira_automation_call_set_error(carteira_automation_call* call, const char* message);

typedef struct carteira_automation_vtable {
  uint32_t struct_size;
  /* Each may be NULL (that kind is not sent to this handler). Each returns
   * CARTEIRA_OK or an error code, reported with the message given to
   * carteira_automation_call_set_error. Must not throw or longjmp. */
  int32_t (*on_transition)(void* user_data, const carteira_transition_event* event,
                           carteira_automation_call* call);
  int32_t (*on_new_task)(void* user_data, const carteira_task* task, carteira_automation_call* call);
  int32_t (*on_tier_change)(void* user_data, const carteira_tier_change* change, carteira_automation_call* call);
  /* Releases user_data; may be NULL. Called exactly once: when the
   * automation is destroyed, or before carteira_automation_add_handler
   * returns an error (not when struct_size is too small to hold it). */
  void (*destroy)(void* user_data);
} carteira_automation_vtable;
#define CARTEIRA_AUTOMATION_VTABLE_INIT {sizeof(carteira_automation_vtable), NULL, NULL, NULL, NULL}

typedef struct carteira_automation carteira_automation;
typedef struct carteira_automation_report carteira_automation_report;

CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_automation_create(carteira_automation** out);
/* Releases every handler (their destroy callbacks). */
CARTEIRA_API void carteira_automation_destroy(carteira_automation* automation);
/* Registers a handler named `name` (non-empty; copied; names the handler
 * in the report). The vtable is copied. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_automation_add_handler(
    carteira_automation* automation, const char* name, const carteira_automation_vtable* vtable, void* user_data);

/* Finds the events between `from` (exclusive) and `to` (inclusive) on the
 * engine's portfolio and calls the handlers. `ledger` (NULL = no tier
 * changes) must be of the same portfolio. known_task_keys: the keys of the
 * tasks the host already has (count entries; NULL when 0). `agenda`: the
 * agenda's options (NULL = defaults; its as_of is ignored: `to`). Fails
 * only for bad input, before any handler is called; the handlers' errors
 * are in the report. */
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_automation_run(
    const carteira_automation* automation, const carteira_status_engine* engine,
    const carteira_loyalty_ledger* ledger, int32_t from, int32_t to, const char* const* known_task_keys,
    size_t known_count, const carteira_agenda_options* agenda, carteira_automation_report** out);
CARTEIRA_API void carteira_automation_report_destroy(carteira_automation_report* report);

typedef struct carteira_automation_counts {
  uint32_t struct_size;
  int32_t from;
  int32_t to;
  size_t transitions;  /* events found */
  size_t new_tasks;
  size_t tier_changes;
  size_t calls;        /* handler calls made */
  size_t delivered;    /* calls that returned CARTEIRA_OK */
  size_t failures;     /* calls that failed: calls - delivered */
} carteira_automation_counts;
#define CARTEIRA_AUTOMATION_COUNTS_INIT \
  {sizeof(carteira_automation_counts), CARTEIRA_NO_DAY, CARTEIRA_NO_DAY, 0, 0, 0, 0, 0, 0}
CARTEIRA_API CARTEIRA_MUST_USE carteira_status
carteira_automation_report_counts(const carteira_automation_report* report, carteira_automation_counts* out);

/* A failed handler call, in call order. */
typedef struct carteira_automation_failure {
  uint32_t struct_size;
  int32_t kind;            /* carteira_automation_event */
  uint32_t customer;
  const char* customer_id; /* strings live as long as the report */
  const char* handler;
  const char* message;
} carteira_automation_failure;
#define CARTEIRA_AUTOMATION_FAILURE_INIT {sizeof(carteira_automation_failure), 0, 0, NULL, NULL, NULL}
CARTEIRA_API CARTEIRA_MUST_USE carteira_status carteira_automation_report_failure(
    const carteira_automation_report* report, size_t index, carteira_automation_failure* out);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CARTEIRA_CARTEIRA_H_ */
