// The status part of the C ABI through its header, from C++: what the C11
// program (capi_status_c11_test.c) does not reach, and the error paths.
#include "carteira/carteira.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace {

struct Sample {
  carteira_portfolio* portfolio = nullptr;
  Sample() {
    EXPECT_EQ(carteira_portfolio_create(&portfolio), CARTEIRA_OK);
    carteira_import_report* report = nullptr;
    EXPECT_EQ(carteira_import_directory(portfolio, CARTEIRA_SAMPLE_DIR, nullptr, &report), CARTEIRA_OK);
    carteira_import_report_destroy(report);
  }
  ~Sample() { carteira_portfolio_destroy(portfolio); }
};

int32_t Day(const char* text) {
  int32_t day = 0;
  EXPECT_EQ(carteira_parse_date(text, &day), CARTEIRA_OK);
  return day;
}

std::vector<int64_t> Column(const carteira_status_table* t, int32_t column) {
  size_t rows = 0;
  EXPECT_EQ(carteira_status_table_size(t, &rows), CARTEIRA_OK);
  std::vector<int64_t> out(rows);
  EXPECT_EQ(carteira_status_table_get_int64(t, column, out.data(), out.size()), CARTEIRA_OK);
  return out;
}

TEST(CApiStatus, PolicyFromFileAndSummaryFastPath) {
  Sample sample;
  const std::string path = ::testing::TempDir() + "/carteira_policy.json";
  std::ofstream(path) << "\xEF\xBB\xBF{\"segments\": {\"varejo\": {\"recency\": {\"inactive_after\": 150}}}}";
  carteira_status_policy* policy = nullptr;
  ASSERT_EQ(carteira_status_policy_from_file(path.c_str(), &policy), CARTEIRA_OK)
      << carteira_last_error_message();
  carteira_status_engine* engine = nullptr;
  ASSERT_EQ(carteira_status_engine_create(sample.portfolio, policy, &engine), CARTEIRA_OK);

  carteira_summary_options options = CARTEIRA_SUMMARY_OPTIONS_INIT;
  options.as_of = Day("2026-10-31");
  carteira_summary* summary = nullptr;
  ASSERT_EQ(carteira_summary_compute(sample.portfolio, &options, &summary), CARTEIRA_OK);
  carteira_status_table* fast = nullptr;
  carteira_status_table* full = nullptr;
  ASSERT_EQ(carteira_status_classify_summary(engine, summary, &fast), CARTEIRA_OK);
  ASSERT_EQ(carteira_status_classify(engine, options.as_of, &full), CARTEIRA_OK);
  for (int32_t column : {CARTEIRA_STATUS_COL_STATUS, CARTEIRA_STATUS_COL_FLAGS, CARTEIRA_STATUS_COL_RULE,
                         CARTEIRA_STATUS_COL_SCOPE, CARTEIRA_STATUS_COL_EVENT_DAY}) {
    EXPECT_EQ(Column(fast, column), Column(full, column)) << column;
  }
  // Segment varejo customers are judged by its scope (index 0).
  const std::vector<int64_t> scope = Column(full, CARTEIRA_STATUS_COL_SCOPE);
  size_t varejo = 0;
  for (int64_t s : scope) varejo += s == 0;
  EXPECT_GT(varejo, 0u);
  std::vector<double> median(scope.size());
  ASSERT_EQ(carteira_status_table_get_double(full, CARTEIRA_STATUS_COL_MEDIAN_GAP_DAYS, median.data(),
                                             median.size()),
            CARTEIRA_OK);
  size_t finite = 0;
  for (double m : median) finite += std::isfinite(m);
  EXPECT_GT(finite, 3000u);
  carteira_status_table_destroy(fast);
  carteira_status_table_destroy(full);
  carteira_summary_destroy(summary);
  carteira_status_engine_destroy(engine);
  carteira_status_policy_destroy(policy);
  std::remove(path.c_str());
}

TEST(CApiStatus, ErrorsNameThePlaceAndNullsAreErrors) {
  Sample sample;
  carteira_status_policy* policy = nullptr;
  EXPECT_EQ(carteira_status_policy_from_file("/nonexistent.json", &policy), CARTEIRA_NOT_FOUND);
  EXPECT_EQ(policy, nullptr);
  ASSERT_EQ(carteira_status_policy_from_json("{\"segments\": {\"atacadao\": {}}}", &policy), CARTEIRA_OK);
  carteira_status_engine* engine = nullptr;
  EXPECT_EQ(carteira_status_engine_create(sample.portfolio, policy, &engine), CARTEIRA_INVALID_ARGUMENT);
  EXPECT_EQ(engine, nullptr);
  EXPECT_NE(std::string(carteira_last_error_message()).find("segments.atacadao: no customer has this segment"),
            std::string::npos);
  carteira_status_policy_destroy(policy);

  EXPECT_EQ(carteira_status_policy_default(nullptr), CARTEIRA_INVALID_ARGUMENT);
  EXPECT_EQ(carteira_status_engine_create(nullptr, nullptr, &engine), CARTEIRA_INVALID_ARGUMENT);
  carteira_status_table* table = nullptr;
  EXPECT_EQ(carteira_status_classify(nullptr, 0, &table), CARTEIRA_INVALID_ARGUMENT);
  EXPECT_EQ(carteira_status_classify_summary(nullptr, nullptr, &table), CARTEIRA_INVALID_ARGUMENT);
  size_t n = 0;
  EXPECT_EQ(carteira_status_table_size(nullptr, &n), CARTEIRA_INVALID_ARGUMENT);
  EXPECT_EQ(carteira_status_transitions_size(nullptr, &n), CARTEIRA_INVALID_ARGUMENT);
  int32_t status = 0;
  EXPECT_EQ(carteira_status_decision_get_status(nullptr, &status), CARTEIRA_INVALID_ARGUMENT);
  EXPECT_EQ(carteira_status_decision_override(nullptr, 0, "x"), CARTEIRA_INVALID_ARGUMENT);
  EXPECT_EQ(carteira_status_decision_veto(nullptr, 0, "x"), CARTEIRA_INVALID_ARGUMENT);
  EXPECT_EQ(carteira_status_decision_add_reason(nullptr, "x"), CARTEIRA_INVALID_ARGUMENT);
  EXPECT_EQ(carteira_status_decision_set_error(nullptr, "x"), CARTEIRA_INVALID_ARGUMENT);
  carteira_status_policy_destroy(nullptr);
  carteira_status_engine_destroy(nullptr);
  carteira_status_table_destroy(nullptr);
  carteira_status_transitions_destroy(nullptr);

  // A date outside the calendar the library accepts.
  ASSERT_EQ(carteira_status_policy_default(&policy), CARTEIRA_OK);
  ASSERT_EQ(carteira_status_engine_create(sample.portfolio, policy, &engine), CARTEIRA_OK);
  EXPECT_EQ(carteira_status_classify(engine, CARTEIRA_NO_DAY, &table), CARTEIRA_INVALID_ARGUMENT);
  carteira_status_transitions* transitions = nullptr;
  EXPECT_EQ(carteira_status_transitions_compute(engine, Day("2026-10-31"), Day("2026-01-01"), &transitions),
            CARTEIRA_INVALID_ARGUMENT);
  EXPECT_NE(std::string(carteira_last_error_message()).find("the end is before the start"), std::string::npos);
  // No dates: nothing to write, not an error.
  uint8_t unused = 0;
  EXPECT_EQ(carteira_status_history(engine, nullptr, 0, &unused, nullptr, 0), CARTEIRA_OK);
  carteira_status_engine_destroy(engine);
  carteira_status_policy_destroy(policy);
}

// A rule that refuses what cannot be refused, and one with a bad status value.
int32_t RefuseActive(void*, const carteira_status_facts*, carteira_status_decision* d) {
  return carteira_status_decision_veto(d, CARTEIRA_LIFECYCLE_ACTIVE, "no");
}
int32_t OverrideBadValue(void*, const carteira_status_facts*, carteira_status_decision* d) {
  return carteira_status_decision_override(d, 42, "no");
}

TEST(CApiStatus, BadRuleCallsBecomeErrorsNamingTheRule) {
  Sample sample;
  carteira_status_policy* policy = nullptr;
  ASSERT_EQ(carteira_status_policy_fixed(90, 180, 365, &policy), CARTEIRA_OK);
  for (auto apply : {RefuseActive, OverrideBadValue}) {
    carteira_status_engine* engine = nullptr;
    ASSERT_EQ(carteira_status_engine_create(sample.portfolio, policy, &engine), CARTEIRA_OK);
    carteira_status_rule_vtable vtable = CARTEIRA_STATUS_RULE_VTABLE_INIT;
    vtable.apply = apply;
    ASSERT_EQ(carteira_status_engine_add_rule(engine, "bad_rule", &vtable, nullptr), CARTEIRA_OK);
    carteira_status_table* table = nullptr;
    EXPECT_EQ(carteira_status_classify(engine, Day("2026-10-31"), &table), CARTEIRA_INVALID_ARGUMENT);
    EXPECT_NE(std::string(carteira_last_error_message()).find("status rule 'bad_rule' failed for customer"),
              std::string::npos)
        << carteira_last_error_message();
    carteira_status_engine_destroy(engine);
  }
  // A vtable without apply, or too small, is refused.
  carteira_status_engine* engine = nullptr;
  ASSERT_EQ(carteira_status_engine_create(sample.portfolio, policy, &engine), CARTEIRA_OK);
  carteira_status_rule_vtable vtable = CARTEIRA_STATUS_RULE_VTABLE_INIT;
  EXPECT_EQ(carteira_status_engine_add_rule(engine, "none", &vtable, nullptr), CARTEIRA_INVALID_ARGUMENT);
  vtable.apply = RefuseActive;
  vtable.struct_size = 4;
  EXPECT_EQ(carteira_status_engine_add_rule(engine, "small", &vtable, nullptr), CARTEIRA_INVALID_ARGUMENT);
  vtable.struct_size = sizeof vtable;
  EXPECT_EQ(carteira_status_engine_add_rule(engine, "", &vtable, nullptr), CARTEIRA_INVALID_ARGUMENT);
  EXPECT_EQ(carteira_status_engine_add_rule(engine, "recency", &vtable, nullptr), CARTEIRA_ALREADY_EXISTS);
  carteira_status_engine_destroy(engine);
  carteira_status_policy_destroy(policy);
}

}  // namespace
