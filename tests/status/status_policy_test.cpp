#include "carteira/status/status_policy.h"

#include <gtest/gtest.h>

#include <string>

namespace carteira {
namespace {

std::string ErrorOf(std::string_view json) {
  auto p = StatusPolicy::FromJson(json, "p.json");
  return p.ok() ? std::string("(ok)") : std::string(p.status().message());
}

TEST(StatusPolicy, DefaultsAreValidAndRetailFriendly) {
  const StatusPolicy p = StatusPolicy::Default();
  EXPECT_TRUE(p.Validate().ok());
  EXPECT_EQ(p.defaults.recency.inactive_after, 180);
  EXPECT_TRUE(p.defaults.cadence.enabled);
  auto empty = StatusPolicy::FromJson("{}");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->ToJson(), p.ToJson());
}

TEST(StatusPolicy, RetailsClassic180DaysIsOneLine) {
  auto p = StatusPolicy::FromJson(R"({"segments": {"varejo": {"recency": {"inactive_after": 180}}}})");
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->segments.size(), 1u);
  EXPECT_EQ(p->segments[0].rules.recency.inactive_after, 180);
  int scope = 7;
  EXPECT_EQ(&p->RulesFor("varejo", &scope), &p->segments[0].rules);
  EXPECT_EQ(scope, 0);
  EXPECT_EQ(&p->RulesFor("atacado", &scope), &p->defaults);
  EXPECT_EQ(scope, -1);
}

TEST(StatusPolicy, SegmentsOverrideOnTopOfTheGlobalValues) {
  auto p = StatusPolicy::FromJson(R"({
    // comments are allowed
    "recency": {"at_risk_after": 30, "inactive_after": 60, "lost_after": 400},
    "cadence": {"enabled": false},
    "segments": {"atacado": {"recency": {"at_risk_after": 45}, "cadence": {"combine": "stricter"}}}
  })");
  ASSERT_TRUE(p.ok()) << p.status();
  const StatusRules& a = p->segments[0].rules;
  EXPECT_EQ(a.recency.at_risk_after, 45);
  EXPECT_EQ(a.recency.inactive_after, 60);  // from the global section
  EXPECT_EQ(a.recency.lost_after, 400);
  EXPECT_FALSE(a.cadence.enabled);
  EXPECT_EQ(a.cadence.combine, CadenceCombine::kStricter);
}

TEST(StatusPolicy, ToJsonRoundTrips) {
  auto p = StatusPolicy::FromJson(R"({"lifecycle": {"key_account_never": ["lost", "inactive"]},
      "contract": {"renewal_window": 30}, "segments": {"varejo": {"cadence": {"at_risk_multiple": 1.5}}}})");
  ASSERT_TRUE(p.ok()) << p.status();
  auto again = StatusPolicy::FromJson(p->ToJson());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->ToJson(), p->ToJson());
  EXPECT_EQ(again->defaults.lifecycle.key_account_never.size(), 2u);
}

TEST(StatusPolicy, ErrorsNameTheKey) {
  EXPECT_EQ(ErrorOf(R"({"recency": {"at_risk_after": -5}})"),
            "p.json: recency.at_risk_after: must not be negative, got -5");
  EXPECT_EQ(ErrorOf(R"({"recency": {"at_risk_after": 200}})"),
            "p.json: recency.at_risk_after: 200 must not exceed inactive_after (180): a customer "
            "is at risk before being inactive");
  EXPECT_EQ(ErrorOf(R"({"segments": {"varejo": {"recency": {"inactive_afer": 180}}}})"),
            "p.json: segments.varejo.recency.inactive_afer: unknown key (expected one of: "
            "at_risk_after, inactive_after, lost_after)");
  EXPECT_EQ(ErrorOf(R"({"lifecycle": {"key_account_never": ["perdido"]}})"),
            "p.json: lifecycle.key_account_never[0]: unknown status \"perdido\" (expected prospect, "
            "new, active, at_risk, inactive, lost or reactivated)");
  EXPECT_EQ(ErrorOf(R"({"lifecycle": {"key_account_never": ["active"]}})"),
            "p.json: lifecycle.key_account_never[0]: \"active\" cannot be refused; use at_risk, "
            "inactive or lost");
  EXPECT_EQ(ErrorOf(R"({"recency": {"lost_after": "365"}})"),
            "p.json: recency.lost_after: expected a whole number of days, got \"365\"");
  EXPECT_EQ(ErrorOf(R"({"recency": {"lost_after": 365.5}})"),
            "p.json: recency.lost_after: expected a whole number of days, got 365.5");
  EXPECT_EQ(ErrorOf(R"({"cadence": {"combine": "strictest"}})"),
            "p.json: cadence.combine: unknown value \"strictest\" (expected cadence_first, "
            "stricter or looser)");
  EXPECT_EQ(ErrorOf(R"({"cadence": {"at_risk_multiple": 0}})"),
            "p.json: cadence.at_risk_multiple: must be a number above 0 and at most 1000, got 0");
  EXPECT_EQ(ErrorOf(R"({"cadence": {"min_purchase_days": 1}})"),
            "p.json: cadence.min_purchase_days: must be at least 2 (a median gap needs two "
            "purchase-days), got 1");
  EXPECT_EQ(ErrorOf(R"({"thresholds": {}})"),
            "p.json: thresholds: unknown key (expected one of: version, recency, cadence, "
            "contract, lifecycle, segments)");
  EXPECT_EQ(ErrorOf(R"({"version": 2})"),
            "p.json: version: unsupported policy version 2 (this library reads 1)");
  EXPECT_EQ(ErrorOf(R"([1, 2])"), "p.json: policy: expected an object, got [1,2]");
  EXPECT_EQ(ErrorOf(R"({"segments": {"varejo": {"recency": {"lost_after": 100}}}})"),
            "p.json: segments.varejo.recency.inactive_after: 180 must not exceed lost_after (100)");
}

TEST(StatusPolicy, InvalidJsonSaysWhere) {
  const std::string error = ErrorOf("{\n  \"recency\": {\"at_risk_after\": 90,}\n}");
  EXPECT_NE(error.find("p.json: not valid JSON"), std::string::npos) << error;
  EXPECT_NE(error.find("line 2"), std::string::npos) << error;
}

TEST(StatusPolicy, CodeBuiltPoliciesAreValidatedToo) {
  StatusPolicy p;
  p.segments.push_back({"varejo", p.defaults});
  p.segments.push_back({"varejo", p.defaults});
  EXPECT_EQ(p.Validate().message(), "segments.varejo: the segment is given twice");
  StatusPolicy q = StatusPolicy::FixedThresholds(30, 20, 400);
  EXPECT_EQ(q.Validate().message(),
            "recency.at_risk_after: 30 must not exceed inactive_after (20): a customer is at risk "
            "before being inactive");
}

TEST(StatusPolicy, FromFileNamesTheFile) {
  auto p = StatusPolicy::FromFile("/nonexistent/policy.json");
  EXPECT_EQ(p.status().message(), "/nonexistent/policy.json: cannot open the policy file");
}

}  // namespace
}  // namespace carteira
