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
 *   the _INIT macro or with _init(ptr, sizeof *ptr). Fields are only ever
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

typedef enum carteira_time_unit { CARTEIRA_DAYS = 0, CARTEIRA_WEEKS = 1 } carteira_time_unit;

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

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CARTEIRA_CARTEIRA_H_ */
