// The C ABI through its header, from C++: every exported function, errors
// included.
#include "carteira/carteira.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

struct PortfolioPtr {
  carteira_portfolio* p = nullptr;
  PortfolioPtr() { EXPECT_EQ(carteira_portfolio_create(&p), CARTEIRA_OK); }
  ~PortfolioPtr() { carteira_portfolio_destroy(p); }
};

carteira_portfolio_counts Counts(const carteira_portfolio* p) {
  carteira_portfolio_counts counts = CARTEIRA_PORTFOLIO_COUNTS_INIT;
  EXPECT_EQ(carteira_portfolio_get_counts(p, &counts), CARTEIRA_OK);
  return counts;
}

TEST(CApi, VersionMatchesTheHeader) {
  EXPECT_EQ(carteira_version_number(), CARTEIRA_VERSION_NUMBER);
  const std::string expected = std::to_string(CARTEIRA_VERSION_MAJOR) + "." +
                               std::to_string(CARTEIRA_VERSION_MINOR) + "." +
                               std::to_string(CARTEIRA_VERSION_PATCH);
  EXPECT_EQ(carteira_version_string(), expected);
}

TEST(CApi, ErrorsAreCodesPlusAThreadLocalMessage) {
  int32_t day = 0;
  EXPECT_EQ(carteira_parse_date("31/02/2024", &day), CARTEIRA_INVALID_ARGUMENT);
  EXPECT_EQ(carteira_last_error_code(), CARTEIRA_INVALID_ARGUMENT);
  EXPECT_NE(std::string(carteira_last_error_message()).find("31/02/2024"), std::string::npos);
  // Another thread has its own (empty) last error.
  std::string other = "unset";
  std::thread([&] { other = carteira_last_error_message(); }).join();
  EXPECT_EQ(other, "");
  // A successful call clears it.
  EXPECT_EQ(carteira_parse_date("2024-02-29", &day), CARTEIRA_OK);
  EXPECT_EQ(carteira_last_error_code(), CARTEIRA_OK);
  EXPECT_STREQ(carteira_last_error_message(), "");
  EXPECT_EQ(day, 19782);
}

TEST(CApi, NullArgumentsAreErrorsNotCrashes) {
  EXPECT_EQ(carteira_portfolio_create(nullptr), CARTEIRA_INVALID_ARGUMENT);
  EXPECT_NE(std::string(carteira_last_error_message()).find("out"), std::string::npos);
  EXPECT_EQ(carteira_parse_money(nullptr, nullptr), CARTEIRA_INVALID_ARGUMENT);
  carteira_portfolio_counts counts = CARTEIRA_PORTFOLIO_COUNTS_INIT;
  EXPECT_EQ(carteira_portfolio_get_counts(nullptr, &counts), CARTEIRA_INVALID_ARGUMENT);
  carteira_portfolio_destroy(nullptr);
  carteira_import_report_destroy(nullptr);
  carteira_summary_destroy(nullptr);
  size_t rows = 0;
  EXPECT_EQ(carteira_summary_size(nullptr, &rows), CARTEIRA_INVALID_ARGUMENT);
}

TEST(CApi, ParseMoneyIsExact) {
  int64_t minor = 0;
  ASSERT_EQ(carteira_parse_money("R$ 1.234,56", &minor), CARTEIRA_OK);
  EXPECT_EQ(minor, 123456);
  EXPECT_EQ(carteira_parse_money("1,005", &minor), CARTEIRA_INVALID_ARGUMENT);
}

TEST(CApi, BulkAppendThenSummary) {
  PortfolioPtr p;
  const char* ids[] = {"Ana", "Bruno"};
  const char* names[] = {"Ana Lúcia", nullptr};
  carteira_customer_columns customers;
  carteira_customer_columns_init(&customers, sizeof customers);
  customers.count = 2;
  customers.id = ids;
  customers.name = names;
  ASSERT_EQ(carteira_portfolio_append_customers(p.p, &customers), CARTEIRA_OK)
      << carteira_last_error_message();
  // Duplicate id: all or nothing.
  EXPECT_EQ(carteira_portfolio_append_customers(p.p, &customers), CARTEIRA_ALREADY_EXISTS);
  EXPECT_EQ(Counts(p.p).customers, 2);

  const char* more[] = {"Bruno", "Carla"};
  uint32_t index[2];
  ASSERT_EQ(carteira_portfolio_intern_customers(p.p, more, 2, index), CARTEIRA_OK);
  EXPECT_EQ(index[0], 1u);
  EXPECT_EQ(index[1], 2u);
  uint32_t found = 99;
  ASSERT_EQ(carteira_portfolio_find_customer(p.p, "Carla", &found), CARTEIRA_OK);
  EXPECT_EQ(found, 2u);
  EXPECT_EQ(carteira_portfolio_find_customer(p.p, "Zé", &found), CARTEIRA_NOT_FOUND);

  int32_t d0 = 0, d1 = 0;
  ASSERT_EQ(carteira_parse_date("2024-01-01", &d0), CARTEIRA_OK);
  ASSERT_EQ(carteira_parse_date("2024-01-15", &d1), CARTEIRA_OK);
  const uint32_t customer[] = {0, 0, 0, 2, 0};
  const int32_t date[] = {d0, d0, d1, d1, d1 + 3};
  const int64_t amount[] = {1000, 250, 4000, 999, -300};
  const char* category[] = {"a", "b", nullptr, "a", "b"};
  carteira_transaction_columns tx = CARTEIRA_TRANSACTION_COLUMNS_INIT;
  tx.count = 5;
  tx.customer_index = customer;
  tx.date = date;
  tx.amount = amount;
  tx.category = category;
  ASSERT_EQ(carteira_portfolio_append_transactions(p.p, &tx), CARTEIRA_OK)
      << carteira_last_error_message();
  EXPECT_EQ(Counts(p.p).transactions, 5);

  // A bad index fails the whole batch.
  const uint32_t bad_customer[] = {0, 42};
  carteira_transaction_columns bad = tx;
  bad.count = 2;
  bad.customer_index = bad_customer;
  EXPECT_EQ(carteira_portfolio_append_transactions(p.p, &bad), CARTEIRA_INVALID_ARGUMENT);
  EXPECT_NE(std::string(carteira_last_error_message()).find("row 1"), std::string::npos);
  EXPECT_EQ(Counts(p.p).transactions, 5);

  carteira_summary_options options = CARTEIRA_SUMMARY_OPTIONS_INIT;
  options.as_of = d1 + 10;
  carteira_summary* s = nullptr;
  ASSERT_EQ(carteira_summary_compute(p.p, &options, &s), CARTEIRA_OK);
  size_t rows = 0;
  ASSERT_EQ(carteira_summary_size(s, &rows), CARTEIRA_OK);
  ASSERT_EQ(rows, 2u);  // Ana and Carla; Bruno never bought
  std::vector<int64_t> ints(rows);
  std::vector<double> reals(rows);
  ASSERT_EQ(carteira_summary_get_int64(s, CARTEIRA_SUMMARY_CUSTOMER_INDEX, ints.data(), rows), CARTEIRA_OK);
  EXPECT_EQ(ints, (std::vector<int64_t>{0, 2}));
  ASSERT_EQ(carteira_summary_get_int64(s, CARTEIRA_SUMMARY_PURCHASE_DAYS, ints.data(), rows), CARTEIRA_OK);
  EXPECT_EQ(ints, (std::vector<int64_t>{2, 1}));
  ASSERT_EQ(carteira_summary_get_int64(s, CARTEIRA_SUMMARY_REVENUE, ints.data(), rows), CARTEIRA_OK);
  EXPECT_EQ(ints, (std::vector<int64_t>{4950, 999}));
  ASSERT_EQ(carteira_summary_get_double(s, CARTEIRA_SUMMARY_T_X, reals.data(), rows), CARTEIRA_OK);
  EXPECT_EQ(reals, (std::vector<double>{14, 0}));
  ASSERT_EQ(carteira_summary_get_double(s, CARTEIRA_SUMMARY_ZBAR, reals.data(), rows), CARTEIRA_OK);
  EXPECT_EQ(reals, (std::vector<double>{40, 0}));
  ASSERT_EQ(carteira_summary_get_double(s, CARTEIRA_SUMMARY_MEDIAN_GAP_DAYS, reals.data(), rows),
            CARTEIRA_OK);
  EXPECT_EQ(reals[0], 14);
  EXPECT_TRUE(std::isnan(reals[1]));
  ASSERT_EQ(carteira_summary_get_double(s, CARTEIRA_SUMMARY_X, reals.data(), rows), CARTEIRA_OK);
  EXPECT_EQ(reals, (std::vector<double>{1, 0}));
  EXPECT_EQ(carteira_summary_get_int64(s, CARTEIRA_SUMMARY_ZBAR, ints.data(), rows),
            CARTEIRA_INVALID_ARGUMENT);
  EXPECT_EQ(carteira_summary_get_int64(s, CARTEIRA_SUMMARY_REVENUE, ints.data(), 1),
            CARTEIRA_OUT_OF_RANGE);
  EXPECT_EQ(carteira_summary_get_double(s, 99, reals.data(), rows), CARTEIRA_INVALID_ARGUMENT);
  carteira_summary_destroy(s);

  // Ids back out: query the size, then fill.
  const uint32_t which[] = {2, 0};
  size_t needed = 0;
  uint64_t offsets[3];
  ASSERT_EQ(carteira_portfolio_customer_ids(p.p, which, 2, nullptr, 0, offsets, &needed), CARTEIRA_OK);
  EXPECT_EQ(needed, std::strlen("Carla") + std::strlen("Ana"));
  EXPECT_EQ(offsets[1], 5u);  // offsets come with the size query
  EXPECT_EQ(offsets[2], 8u);
  std::string buffer(needed, '\0');
  EXPECT_EQ(carteira_portfolio_customer_ids(p.p, which, 2, buffer.data(), 1, offsets, &needed),
            CARTEIRA_OUT_OF_RANGE);
  ASSERT_EQ(carteira_portfolio_customer_ids(p.p, which, 2, buffer.data(), buffer.size(), offsets, &needed),
            CARTEIRA_OK);
  EXPECT_EQ(buffer.substr(offsets[0], offsets[1] - offsets[0]), "Carla");
  EXPECT_EQ(buffer.substr(offsets[1], offsets[2] - offsets[1]), "Ana");
  const uint32_t out_of_range[] = {7};
  EXPECT_EQ(carteira_portfolio_customer_ids(p.p, out_of_range, 1, nullptr, 0, offsets, &needed),
            CARTEIRA_OUT_OF_RANGE);
}

TEST(CApi, BulkAppendOfRepsContractsInteractionsSurveysAndAssignments) {
  PortfolioPtr p;
  const char* customer_ids[] = {"C1", "C2"};
  uint32_t customer[2];
  ASSERT_EQ(carteira_portfolio_intern_customers(p.p, customer_ids, 2, customer), CARTEIRA_OK);

  const char* rep_ids[] = {"R1", "R2"};
  const char* segments[] = {"varejo|atacado", nullptr};
  const int32_t capacity[] = {150, 0};
  const uint8_t active[] = {1, 0};
  carteira_rep_columns reps = CARTEIRA_REP_COLUMNS_INIT;
  reps.count = 2;
  reps.id = rep_ids;
  reps.segments = segments;
  reps.capacity = capacity;
  reps.active = active;
  ASSERT_EQ(carteira_portfolio_append_reps(p.p, &reps), CARTEIRA_OK) << carteira_last_error_message();
  EXPECT_EQ(carteira_portfolio_append_reps(p.p, &reps), CARTEIRA_ALREADY_EXISTS);
  int32_t rep = -1;
  ASSERT_EQ(carteira_portfolio_find_rep(p.p, "R2", &rep), CARTEIRA_OK);
  EXPECT_EQ(rep, 1);
  EXPECT_EQ(carteira_portfolio_find_rep(p.p, "R9", &rep), CARTEIRA_NOT_FOUND);
  const char* more_reps[] = {"R2", "R3"};
  int32_t rep_index[2];
  ASSERT_EQ(carteira_portfolio_intern_reps(p.p, more_reps, 2, rep_index), CARTEIRA_OK);
  EXPECT_EQ(rep_index[0], 1);
  EXPECT_EQ(rep_index[1], 2);

  const int32_t start[] = {19000, 19100};
  const int32_t end[] = {19364, 19050};  // the second ends before it starts
  const int64_t value[] = {120000, 5};
  carteira_contract_columns contracts = CARTEIRA_CONTRACT_COLUMNS_INIT;
  contracts.count = 2;
  contracts.customer_index = customer;
  contracts.start = start;
  contracts.end = end;
  contracts.value = value;
  EXPECT_EQ(carteira_portfolio_append_contracts(p.p, &contracts), CARTEIRA_INVALID_ARGUMENT);
  EXPECT_NE(std::string(carteira_last_error_message()).find("row 1, field end"), std::string::npos);
  contracts.count = 1;
  ASSERT_EQ(carteira_portfolio_append_contracts(p.p, &contracts), CARTEIRA_OK);
  contracts.start = nullptr;
  EXPECT_EQ(carteira_portfolio_append_contracts(p.p, &contracts), CARTEIRA_INVALID_ARGUMENT);

  const int32_t interaction_rep[] = {0, -1};
  const int32_t date[] = {19010, 19020};
  const char* channel[] = {"visita", "ligacao"};
  carteira_interaction_columns interactions = CARTEIRA_INTERACTION_COLUMNS_INIT;
  interactions.count = 2;
  interactions.customer_index = customer;
  interactions.rep_index = interaction_rep;
  interactions.date = date;
  interactions.channel = channel;
  ASSERT_EQ(carteira_portfolio_append_interactions(p.p, &interactions), CARTEIRA_OK);

  const int32_t score[] = {10, 11};
  carteira_survey_columns surveys = CARTEIRA_SURVEY_COLUMNS_INIT;
  surveys.count = 2;
  surveys.customer_index = customer;
  surveys.date = date;
  surveys.score = score;
  EXPECT_EQ(carteira_portfolio_append_surveys(p.p, &surveys), CARTEIRA_INVALID_ARGUMENT);
  surveys.count = 1;
  ASSERT_EQ(carteira_portfolio_append_surveys(p.p, &surveys), CARTEIRA_OK);

  const int32_t assigned_rep[] = {0, 7};
  carteira_assignment_columns assignments = CARTEIRA_ASSIGNMENT_COLUMNS_INIT;
  assignments.count = 2;
  assignments.customer_index = customer;
  assignments.rep_index = assigned_rep;
  assignments.since = date;
  EXPECT_EQ(carteira_portfolio_append_assignments(p.p, &assignments), CARTEIRA_INVALID_ARGUMENT);
  assignments.count = 1;
  ASSERT_EQ(carteira_portfolio_append_assignments(p.p, &assignments), CARTEIRA_OK);

  const carteira_portfolio_counts counts = Counts(p.p);
  EXPECT_EQ(counts.reps, 3);
  EXPECT_EQ(counts.contracts, 1);
  EXPECT_EQ(counts.interactions, 2);
  EXPECT_EQ(counts.surveys, 1);
  EXPECT_EQ(counts.assignments, 1);

  // The _init functions give the same defaults as the macros. (The macro
  // copies are static so that their padding bytes are zero too.)
  static const carteira_rep_columns a = CARTEIRA_REP_COLUMNS_INIT;
  carteira_rep_columns b;
  carteira_rep_columns_init(&b, sizeof b);
  EXPECT_EQ(std::memcmp(&a, &b, sizeof a), 0);
  static const carteira_contract_columns c1 = CARTEIRA_CONTRACT_COLUMNS_INIT;
  carteira_contract_columns c2;
  carteira_contract_columns_init(&c2, sizeof c2);
  EXPECT_EQ(std::memcmp(&c1, &c2, sizeof c1), 0);
  static const carteira_interaction_columns i1 = CARTEIRA_INTERACTION_COLUMNS_INIT;
  carteira_interaction_columns i2;
  carteira_interaction_columns_init(&i2, sizeof i2);
  EXPECT_EQ(std::memcmp(&i1, &i2, sizeof i1), 0);
  static const carteira_survey_columns s1 = CARTEIRA_SURVEY_COLUMNS_INIT;
  carteira_survey_columns s2;
  carteira_survey_columns_init(&s2, sizeof s2);
  EXPECT_EQ(std::memcmp(&s1, &s2, sizeof s1), 0);
  static const carteira_assignment_columns g1 = CARTEIRA_ASSIGNMENT_COLUMNS_INIT;
  carteira_assignment_columns g2;
  carteira_assignment_columns_init(&g2, sizeof g2);
  EXPECT_EQ(std::memcmp(&g1, &g2, sizeof g1), 0);
  static const carteira_transaction_columns t1 = CARTEIRA_TRANSACTION_COLUMNS_INIT;
  carteira_transaction_columns t2;
  carteira_transaction_columns_init(&t2, sizeof t2);
  EXPECT_EQ(std::memcmp(&t1, &t2, sizeof t1), 0);
}

TEST(CApi, RecomputeReusesTheSummaryAndEmptiesItOnFailure) {
  PortfolioPtr p;
  const char* ids[] = {"A", "B"};
  uint32_t index[2];
  ASSERT_EQ(carteira_portfolio_intern_customers(p.p, ids, 2, index), CARTEIRA_OK);
  const uint32_t customer[] = {0, 0, 1};
  const int32_t date[] = {19000, 19010, 19100};
  const int64_t amount[] = {100, 200, 300};
  carteira_transaction_columns tx = CARTEIRA_TRANSACTION_COLUMNS_INIT;
  tx.count = 3;
  tx.customer_index = customer;
  tx.date = date;
  tx.amount = amount;
  ASSERT_EQ(carteira_portfolio_append_transactions(p.p, &tx), CARTEIRA_OK);
  carteira_summary_options options = CARTEIRA_SUMMARY_OPTIONS_INIT;
  options.as_of = 19200;
  carteira_summary* s = nullptr;
  ASSERT_EQ(carteira_summary_compute(p.p, &options, &s), CARTEIRA_OK);
  size_t rows = 0;
  ASSERT_EQ(carteira_summary_size(s, &rows), CARTEIRA_OK);
  EXPECT_EQ(rows, 2u);
  // An earlier as-of date: only A has bought by then.
  options.as_of = 19050;
  options.unit = CARTEIRA_WEEKS;
  ASSERT_EQ(carteira_summary_recompute(s, p.p, &options), CARTEIRA_OK);
  ASSERT_EQ(carteira_summary_size(s, &rows), CARTEIRA_OK);
  ASSERT_EQ(rows, 1u);
  double T = 0;
  ASSERT_EQ(carteira_summary_get_double(s, CARTEIRA_SUMMARY_T, &T, 1), CARTEIRA_OK);
  EXPECT_DOUBLE_EQ(T, 50.0 / 7.0);
  // A failed recompute leaves no stale rows behind.
  options.as_of = CARTEIRA_NO_DAY;
  EXPECT_EQ(carteira_summary_recompute(s, p.p, &options), CARTEIRA_INVALID_ARGUMENT);
  ASSERT_EQ(carteira_summary_size(s, &rows), CARTEIRA_OK);
  EXPECT_EQ(rows, 0u);
  EXPECT_EQ(carteira_summary_recompute(nullptr, p.p, &options), CARTEIRA_INVALID_ARGUMENT);
  carteira_summary_destroy(s);
}

TEST(CApi, SummaryNeedsAnAsOfDate) {
  PortfolioPtr p;
  carteira_summary_options options;
  carteira_summary_options_init(&options, sizeof options);
  carteira_summary* s = reinterpret_cast<carteira_summary*>(0x1);
  EXPECT_EQ(carteira_summary_compute(p.p, &options, &s), CARTEIRA_INVALID_ARGUMENT);
  EXPECT_EQ(s, nullptr);
  options.as_of = 0;
  options.unit = 7;
  EXPECT_EQ(carteira_summary_compute(p.p, &options, &s), CARTEIRA_INVALID_ARGUMENT);
  options.unit = CARTEIRA_WEEKS;
  options.struct_size = 4;  // an older, smaller struct than this library knows
  EXPECT_EQ(carteira_summary_compute(p.p, &options, &s), CARTEIRA_INVALID_ARGUMENT);
}

// A caller built against an older header passes a smaller struct: the
// library reads its fields, defaults the rest, and writes only what fits.
TEST(CApi, OlderSmallerStructsStillWork) {
  PortfolioPtr p;
  const char* ids[] = {"A"};
  carteira_customer_columns customers = CARTEIRA_CUSTOMER_COLUMNS_INIT;
  customers.count = 1;
  customers.id = ids;
  ASSERT_EQ(carteira_portfolio_append_customers(p.p, &customers), CARTEIRA_OK);
  // An output struct that ends after `reps`: the fields past it are untouched.
  carteira_portfolio_counts counts = CARTEIRA_PORTFOLIO_COUNTS_INIT;
  counts.transactions = -7;
  counts.struct_size = offsetof(carteira_portfolio_counts, transactions);
  ASSERT_EQ(carteira_portfolio_get_counts(p.p, &counts), CARTEIRA_OK);
  EXPECT_EQ(counts.customers, 1);
  EXPECT_EQ(counts.transactions, -7);
  // _init writes no more than the caller's size.
  unsigned char buffer[sizeof(carteira_import_options) + 8];
  std::memset(buffer, 0xAB, sizeof buffer);
  carteira_import_options_init(reinterpret_cast<carteira_import_options*>(buffer),
                               offsetof(carteira_import_options, decimal));
  EXPECT_EQ(buffer[offsetof(carteira_import_options, decimal)], 0xAB);
  carteira_import_options options;
  carteira_import_options_init(&options, sizeof options);
  EXPECT_EQ(options.struct_size, sizeof options);
  EXPECT_EQ(options.has_header, 1);
}

TEST(CApi, StrictImportFailsWithALocatedReportAndChangesNothing) {
  PortfolioPtr p;
  const std::string csv = "customer_id;date;amount\nA;01/02/2024;10,00\nB;30/02/2024;5,00\n";
  carteira_import_report* report = nullptr;
  EXPECT_EQ(carteira_import_text(p.p, "transactions", csv.data(), csv.size(), "vendas.csv", nullptr,
                                 &report),
            CARTEIRA_INVALID_ARGUMENT);
  ASSERT_NE(report, nullptr);
  EXPECT_EQ(Counts(p.p).transactions, 0);
  size_t kept = 0;
  int64_t total = 0;
  ASSERT_EQ(carteira_import_report_issue_count(report, &kept, &total), CARTEIRA_OK);
  EXPECT_EQ(kept, 1u);
  EXPECT_EQ(total, 1);
  carteira_import_issue issue = CARTEIRA_IMPORT_ISSUE_INIT;
  ASSERT_EQ(carteira_import_report_issue(report, 0, &issue), CARTEIRA_OK);
  EXPECT_STREQ(issue.file, "vendas.csv");
  EXPECT_EQ(issue.line, 3);
  EXPECT_EQ(issue.column, 2);
  EXPECT_STREQ(issue.field, "date");
  EXPECT_STREQ(issue.value, "30/02/2024");
  EXPECT_EQ(carteira_import_report_issue(report, 1, &issue), CARTEIRA_OUT_OF_RANGE);
  int32_t applied = 1;
  ASSERT_EQ(carteira_import_report_applied(report, &applied), CARTEIRA_OK);
  EXPECT_EQ(applied, 0);
  const char* text = nullptr;
  ASSERT_EQ(carteira_import_report_text(report, &text), CARTEIRA_OK);
  EXPECT_NE(std::string(text).find("vendas.csv:3:2"), std::string::npos);
  carteira_import_report_destroy(report);
}

TEST(CApi, LenientImportWithMappingAddsGoodRows) {
  PortfolioPtr p;
  const std::string csv = "cliente,quando,valor\nA,2024-01-01,10\nB,x,5\nC,2024-01-03,7.25\n";
  carteira_import_options options = CARTEIRA_IMPORT_OPTIONS_INIT;
  options.mode = CARTEIRA_IMPORT_LENIENT;
  options.column_mapping = "customer_id=cliente; date=quando; transactions:amount=3";
  carteira_import_report* report = nullptr;
  ASSERT_EQ(carteira_import_text(p.p, "transactions", csv.data(), csv.size(), "t.csv", &options,
                                 &report),
            CARTEIRA_OK)
      << carteira_last_error_message();
  carteira_import_counts counts = CARTEIRA_IMPORT_COUNTS_INIT;
  ASSERT_EQ(carteira_import_report_counts(report, "transactions", &counts), CARTEIRA_OK);
  EXPECT_EQ(counts.rows_read, 3);
  EXPECT_EQ(counts.rows_added, 2);
  EXPECT_EQ(counts.rows_rejected, 1);
  EXPECT_EQ(carteira_import_report_counts(report, "pedidos", &counts), CARTEIRA_INVALID_ARGUMENT);
  carteira_import_report_destroy(report);
  EXPECT_EQ(Counts(p.p).transactions, 2);
}

TEST(CApi, BadOptionsAndEntitiesAreRejected) {
  PortfolioPtr p;
  carteira_import_options options;
  carteira_import_options_init(&options, sizeof options);
  options.column_mapping = "nonsense";
  carteira_import_report* report = nullptr;
  EXPECT_EQ(carteira_import_text(p.p, "transactions", "", 0, nullptr, &options, &report),
            CARTEIRA_INVALID_ARGUMENT);
  EXPECT_EQ(report, nullptr);
  EXPECT_EQ(carteira_import_file(p.p, "clientes", "/tmp/x.csv", nullptr, &report),
            CARTEIRA_INVALID_ARGUMENT);
  EXPECT_EQ(carteira_import_file(p.p, "customers", "/nonexistent/c.csv", nullptr, &report),
            CARTEIRA_NOT_FOUND);
  carteira_import_report_destroy(report);
  EXPECT_EQ(carteira_import_directory(p.p, "/nonexistent", nullptr, nullptr), CARTEIRA_NOT_FOUND);
}

TEST(CApi, ImportsTheSampleDirectory) {
  PortfolioPtr p;
  carteira_import_report* report = nullptr;
  ASSERT_EQ(carteira_import_directory(p.p, CARTEIRA_SAMPLE_DIR, nullptr, &report), CARTEIRA_OK)
      << carteira_last_error_message();
  int32_t applied = 0;
  ASSERT_EQ(carteira_import_report_applied(report, &applied), CARTEIRA_OK);
  EXPECT_EQ(applied, 1);
  carteira_import_report_destroy(report);
  const carteira_portfolio_counts counts = Counts(p.p);
  EXPECT_EQ(counts.customers, 5000);
  EXPECT_EQ(counts.reps, 25);
  EXPECT_GT(counts.transactions, 100000);
  EXPECT_GT(counts.contracts, 0);
  EXPECT_GT(counts.interactions, 0);
  EXPECT_GT(counts.surveys, 0);
  EXPECT_GE(counts.assignments, 5000);
}

TEST(CApi, ImportFileReadsFromDisk) {
  PortfolioPtr p;
  carteira_import_options options = CARTEIRA_IMPORT_OPTIONS_INIT;
  options.has_header = 0;
  options.column_mapping = "customer_id=2;date=3;amount=5";
  carteira_import_report* report = nullptr;
  ASSERT_EQ(carteira_import_file(p.p, "transactions", CARTEIRA_TEST_DATA "/cdnow/CDNOW_sample.txt",
                                 &options, &report),
            CARTEIRA_OK)
      << carteira_last_error_message();
  carteira_import_report_destroy(report);
  EXPECT_EQ(Counts(p.p).transactions, 6919);
  EXPECT_EQ(Counts(p.p).customers, 2357);
}

}  // namespace
