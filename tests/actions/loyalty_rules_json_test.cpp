// The loyalty rules file: every key read, money as decimal strings, and
// errors that name the file and the key.
#include <gtest/gtest.h>

#include "carteira/actions/loyalty.h"

namespace carteira {
namespace {

std::string ErrorOf(std::string_view json) {
  auto rules = LoyaltyRules::FromJson(json, "rules.json");
  EXPECT_FALSE(rules.ok());
  return std::string(rules.status().message());
}

TEST(LoyaltyRulesJson, ReadsEveryKey) {
  auto rules = LoyaltyRules::FromJson(R"({
    "version": 1,
    "points_per_unit": 2,
    "unit": "10,00",
    "expiry_months": 6,
    "segments": {"atacado": 50, "varejo": 120},
    "tiers": [{"name": "Bronze", "min_spend": "0"},
              {"name": "Prata", "min_spend": "1.000,00", "multiplier": 150},
              {"name": "Ouro", "min_spend": "5000.00", "multiplier": 200}],
    "campaigns": [{"name": "Black Friday", "from": "2025-11-28", "to": "30/11/2025", "multiplier": 300,
                   "segment": "varejo"}]
  })", "rules.json");
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ(rules->points_per_unit, 2);
  EXPECT_EQ(rules->unit, 1000);
  EXPECT_EQ(rules->expiry_months, 6);
  ASSERT_EQ(rules->segment_multiplier_percent.size(), 2u);
  EXPECT_EQ(rules->segment_multiplier_percent[0], (std::pair<std::string, std::int32_t>{"atacado", 50}));
  ASSERT_EQ(rules->tiers.size(), 3u);
  EXPECT_EQ(rules->tiers[0].multiplier_percent, 100);  // the default
  EXPECT_EQ(rules->tiers[1].min_spend, 100000);
  EXPECT_EQ(rules->tiers[2].min_spend, 500000);
  ASSERT_EQ(rules->campaigns.size(), 1u);
  EXPECT_EQ(rules->campaigns[0].from, DaysFromCivil(2025, 11, 28));
  EXPECT_EQ(rules->campaigns[0].to, DaysFromCivil(2025, 11, 30));
  EXPECT_EQ(rules->campaigns[0].segment, "varejo");
}

TEST(LoyaltyRulesJson, AnEmptyObjectIsTheDefaults) {
  auto rules = LoyaltyRules::FromJson("{}", "rules.json");
  ASSERT_TRUE(rules.ok());
  EXPECT_EQ(rules->points_per_unit, 1);
  EXPECT_EQ(rules->unit, 100);
  EXPECT_EQ(rules->expiry_months, 12);
  EXPECT_TRUE(rules->tiers.empty());
}

TEST(LoyaltyRulesJson, ErrorsNameTheKey) {
  EXPECT_EQ(ErrorOf("[1]"), "rules.json: expected a JSON object");
  EXPECT_NE(ErrorOf("{").find("rules.json: not valid JSON"), std::string::npos);
  EXPECT_EQ(ErrorOf(R"({"pontos": 1})").rfind("rules.json.pontos: is not a known key", 0), 0u);
  EXPECT_EQ(ErrorOf(R"({"unit": 100})"),
            "rules.json.unit: expected an amount as a string such as \"1000,00\" or \"1000.00\", got 100");
  EXPECT_NE(ErrorOf(R"({"unit": "1,005"})").find("rules.json.unit: "), std::string::npos);
  EXPECT_EQ(ErrorOf(R"({"unit": "0"})"), "rules.json.unit: must be above 0");
  EXPECT_EQ(ErrorOf(R"({"expiry_months": 0})"),
            "rules.json.expiry_months: expected a whole number from 1 to 2147483647, got 0");
  EXPECT_EQ(ErrorOf(R"({"segments": {"atacado": -5}})"),
            "rules.json.segments.atacado: expected a whole number from 0 to 2147483647, got -5");
  EXPECT_EQ(ErrorOf(R"({"tiers": [{"name": "A", "min_spend": "10"}, {"name": "B", "min_spend": "5"}]})"),
            "rules.json.tiers[1].min_spend: must be above the tier before (A, 10.00)");
  EXPECT_EQ(ErrorOf(R"({"tiers": [{"min_spend": "10"}]})"), "rules.json.tiers[0].name: is required");
  EXPECT_EQ(ErrorOf(R"({"campaigns": [{"name": "X", "from": "2025-02-01", "to": "2025-01-01"}]})"),
            "rules.json.campaigns[0].to: 2025-01-01 is before from (2025-02-01)");
  EXPECT_EQ(ErrorOf(R"({"campaigns": [{"name": "X", "to": "2025-01-01"}]})"),
            "rules.json.campaigns[0].from: is required (a date such as \"2025-11-28\")");
  EXPECT_NE(ErrorOf(R"({"campaigns": [{"name": "X", "from": "2025-13-01", "to": "2025-01-01"}]})")
                .find("rules.json.campaigns[0].from: "),
            std::string::npos);
  EXPECT_EQ(ErrorOf(R"({"version": 2})"), "rules.json.version: unsupported version 2 (this library reads 1)");
  EXPECT_NE(ErrorOf(R"({"points_per_unit": 1e999})").find("not valid JSON"), std::string::npos);
}

TEST(LoyaltyRulesJson, AMissingFileIsNotFound) {
  auto rules = LoyaltyRules::FromFile("/nonexistent/loyalty_rules.json");
  EXPECT_EQ(rules.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace carteira
