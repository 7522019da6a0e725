// Segment rules with conditions on customer fields and summary figures
// (docs/segments.md): parsing, errors, evaluation against a plain
// reference, and what the map check proves.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "carteira/segments/segment_map.h"
#include "carteira/summary/customer_summary.h"

namespace carteira {
namespace {

DayNumber D(int y, unsigned m, unsigned d) { return DaysFromCivil(y, m, d); }

SegmentMap Parse(const char* json) {
  auto map = SegmentMap::FromJson(json, "map.json");
  EXPECT_TRUE(map.ok()) << map.status();
  return map.ok() ? *map : SegmentMap();
}

TEST(SegmentConditions, ParseEveryKindOfField) {
  const SegmentMap map = Parse(R"({"fallback": "other", "segments": [
      {"name": "vip_sul", "r": [4, 5], "where": [
         {"field": "region", "op": "in", "value": ["Sul", "Sudeste"]},
         {"field": "monetary", "op": ">=", "value": 1500.5},
         {"field": "key_account", "op": "=", "value": true},
         {"field": "attribute:canal", "op": "!=", "value": "online"},
         {"field": "attribute:funcionarios", "op": ">", "value": 50},
         {"field": "frequency", "op": "not in", "value": [1, 2]},
         {"field": "median_gap_days", "op": "<", "value": 30.5}]},
      {"name": "rest"}]})");
  ASSERT_EQ(map.rules.size(), 2u);
  const auto& w = map.rules[0].where;
  ASSERT_EQ(w.size(), 7u);
  EXPECT_EQ(w[0].field, SegmentField::kRegion);
  EXPECT_EQ(w[0].op, CompareOp::kIn);
  EXPECT_EQ(w[0].text, (std::vector<std::string>{"Sul", "Sudeste"}));
  EXPECT_EQ(w[1].field, SegmentField::kMonetary);
  EXPECT_EQ(w[1].number, (std::vector<double>{150050}));  // minor units, exact
  EXPECT_EQ(w[2].number, (std::vector<double>{1}));
  EXPECT_EQ(w[3].field, SegmentField::kAttribute);
  EXPECT_EQ(w[3].attribute, "canal");
  EXPECT_EQ(w[4].number, (std::vector<double>{50}));  // an attribute compared as a number
  EXPECT_EQ(w[5].op, CompareOp::kNotIn);
  EXPECT_TRUE(map.HasConditions());
  EXPECT_EQ(map.rules[0].DescribeConditions(),
            "region in [\"Sul\", \"Sudeste\"] and monetary >= 1500.50 and key_account = true and "
            "attribute:canal != \"online\" and attribute:funcionarios > 50 and frequency not in [1, 2] and "
            "median_gap_days < 30.5");
  // JSON round trip.
  auto again = SegmentMap::FromJson(map.ToJson());
  ASSERT_TRUE(again.ok()) << again.status() << map.ToJson();
  EXPECT_EQ(again->rules[0].where, map.rules[0].where);
  EXPECT_TRUE(again->rules[1].where.empty());
}

TEST(SegmentConditions, BadConditionsNameTheFileTheRuleAndTheField) {
  auto expect_error = [](const std::string& where, const char* fragment) {
    const std::string json = R"({"segments": [{"name": "ok"}, {"name": "vip", "r": 5, "where": [)" + where + "]}]}";
    auto map = SegmentMap::FromJson(json, "map.json");
    ASSERT_FALSE(map.ok()) << where;
    EXPECT_EQ(map.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(std::string(map.status().message()).find(fragment), std::string::npos) << map.status();
  };
  expect_error(R"({"field": "regoin", "op": "=", "value": "Sul"})",
               "map.json: segments[1] 'vip': where[0]: unknown field 'regoin' (one of: region, segment");
  expect_error(R"({"field": "region", "op": "=", "value": "Sul"}, {"field": "monetary", "op": "=>", "value": 1})",
               "map.json: segments[1] 'vip': where[1] 'monetary': unknown operator \"=>\" (one of: =, !=, <, <=, >, >=, in, not in)");
  expect_error(R"({"field": "region", "op": "<", "value": "Sul"})",
               "where[0] 'region': '<' compares numbers; region is text here (use =, !=, in or not in)");
  expect_error(R"({"field": "monetary", "op": ">=", "value": "mil"})",
               "where[0] 'monetary': expected an amount in major units such as 1500.00 (at most two decimals, up to a "
               "trillion), got \"mil\"");
  expect_error(R"({"field": "monetary", "op": ">=", "value": 10.005})", "where[0] 'monetary': expected an amount");
  expect_error(R"({"field": "region", "op": "=", "value": 3})", "where[0] 'region': expected a text, got 3");
  expect_error(R"({"field": "key_account", "op": "=", "value": 1})", "where[0] 'key_account': expected true or false, got 1");
  expect_error(R"({"field": "key_account", "op": ">", "value": true})", "'>' does not apply to a flag");
  expect_error(R"({"field": "frequency", "op": ">", "value": "2"})", "where[0] 'frequency': expected a number, got \"2\"");
  expect_error(R"({"field": "region", "op": "in", "value": "Sul"})", "'in' needs a non-empty list, got \"Sul\"");
  expect_error(R"({"field": "region", "op": "in", "value": []})", "'in' needs a non-empty list");
  expect_error(R"({"field": "region", "op": "=", "value": ["Sul"]})", "'=' compares one value, got a list (use in or not in)");
  expect_error(R"({"field": "attribute:canal", "op": "in", "value": ["a", 1]})", "mixes texts and numbers");
  expect_error(R"({"field": "attribute:", "op": "=", "value": "x"})", "unknown field 'attribute:'");
  expect_error(R"({"field": "region", "op": "="})", "where[0]: missing \"value\"");
  expect_error(R"({"field": "region", "op": "=", "value": "Sul", "note": 1})", "where[0].note: unknown key");
  expect_error(R"("region = Sul")", "where[0]: expected {\"field\", \"op\", \"value\"}");
  auto map = SegmentMap::FromJson(R"({"segments": [{"name": "vip", "where": {"field": "region"}}]})", "map.json");
  ASSERT_FALSE(map.ok());
  EXPECT_NE(std::string(map.status().message()).find("map.json: segments[0] 'vip': where: expected a list of conditions"),
            std::string::npos)
      << map.status();
}

TEST(SegmentConditions, ValidateChecksMapsBuiltInCode) {
  SegmentMap map;
  SegmentRule rule;
  rule.name = "x";
  SegmentCondition c;
  c.field = SegmentField::kRegion;
  c.op = CompareOp::kLt;
  c.text = {"Sul"};
  rule.where.push_back(c);
  map.rules.push_back(rule);
  EXPECT_FALSE(map.Validate().ok());
  map.rules[0].where[0].op = CompareOp::kEq;
  EXPECT_TRUE(map.Validate().ok());
  map.rules[0].where[0].number = {1};
  EXPECT_FALSE(map.Validate().ok());
}

// A portfolio of six customers with every kind of field.
class ConditionsOnAPortfolio : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<Customer> customers(6);
    const char* regions[] = {"Sul", "Sul", "Norte", "Sudeste", "", "Sul"};
    for (int i = 0; i < 6; ++i) {
      customers[i].id = "C" + std::to_string(i);
      customers[i].region = regions[i];
      customers[i].segment = i % 2 ? "atacado" : "varejo";
      customers[i].city = i < 3 ? "Porto Alegre" : "Recife";
      customers[i].key_account = i == 2 || i == 3;
      customers[i].delinquent = i == 5;
      customers[i].attributes = {{"canal", i % 3 == 0 ? "online" : "loja"}, {"funcionarios", std::to_string(i * 20)}};
    }
    customers[4].attributes[1].value = "muitos";  // not a number: never matches a numeric condition
    ASSERT_TRUE(p.AddCustomers(customers).ok());
    // C0: 3 purchase-days; C1: 1; C2: 2 big; C3: 1 recent; C4: 2; C5: 1 old.
    Buy("C0", D(2025, 1, 10), 10000);
    Buy("C0", D(2025, 2, 10), 10000);
    Buy("C0", D(2025, 3, 10), 10000);
    Buy("C1", D(2025, 3, 1), 500);
    Buy("C2", D(2024, 6, 1), 500000);
    Buy("C2", D(2025, 3, 20), 500000);
    Buy("C3", D(2025, 3, 30), 2000);
    Buy("C4", D(2024, 12, 1), 3000);
    Buy("C4", D(2025, 1, 1), 3000);
    Buy("C5", D(2023, 1, 1), 100);
    SummaryOptions options;
    options.as_of = ToDate(D(2025, 3, 31));
    auto s = Summarize(p, options);
    ASSERT_TRUE(s.ok());
    summary = *std::move(s);
    rfm = ScoreRfm(summary);
  }
  void Buy(const char* id, DayNumber day, MinorUnits amount) {
    ASSERT_TRUE(p.AddTransactions(std::vector<Transaction>{{id, ToDate(day), amount, "", "", "", {}}}).ok());
  }
  std::vector<std::string> Segments(const SegmentMap& map) {
    auto a = AssignSegments(rfm, map, p, summary);
    EXPECT_TRUE(a.ok()) << a.status();
    std::vector<std::string> out;
    if (!a.ok()) return out;
    for (size_t i = 0; i < rfm.size(); ++i) out.push_back(a->names[a->segment[i]]);
    return out;
  }
  Portfolio p;
  CustomerSummary summary;
  RfmTable rfm;
};

TEST_F(ConditionsOnAPortfolio, FirstRuleWhoseRangesAndConditionsHoldNamesTheSegment) {
  const SegmentMap map = Parse(R"({"fallback": "other", "segments": [
      {"name": "big_key", "where": [{"field": "key_account", "op": "=", "value": true},
                                    {"field": "monetary", "op": ">=", "value": 5000}]},
      {"name": "sul_online", "where": [{"field": "region", "op": "=", "value": "Sul"},
                                       {"field": "attribute:canal", "op": "=", "value": "online"}]},
      {"name": "loyal_sul", "where": [{"field": "region", "op": "in", "value": ["Sul", "Sudeste"]},
                                      {"field": "frequency", "op": ">=", "value": 2}]},
      {"name": "no_region", "where": [{"field": "region", "op": "=", "value": ""}]},
      {"name": "delinquent", "where": [{"field": "delinquent", "op": "!=", "value": false}]},
      {"name": "staff", "where": [{"field": "attribute:funcionarios", "op": ">=", "value": 20},
                                  {"field": "city", "op": "not in", "value": ["Recife"]}]},
      {"name": "recent", "where": [{"field": "recency_days", "op": "<=", "value": 1},
                                   {"field": "tenure_days", "op": "<", "value": 10},
                                   {"field": "average_ticket", "op": "=", "value": 20.00},
                                   {"field": "repeat_purchases", "op": "=", "value": 0},
                                   {"field": "state", "op": "=", "value": ""},
                                   {"field": "segment", "op": "=", "value": "atacado"}]}]})");
  // C0: Sul, online -> sul_online. C1: Sul, loja, 1 purchase-day, 20
  // employees, Porto Alegre -> staff. C2: key account, 10,000.00 -> big_key.
  // C3: key account but 20.00; Sudeste, 1 day; Recife; bought yesterday ->
  // recent. C4: no region -> no_region. C5: delinquent.
  EXPECT_EQ(Segments(map), (std::vector<std::string>{"sul_online", "staff", "big_key", "recent", "no_region",
                                                     "delinquent"}));
  // No rule for C5 without its flag: the fallback.
  SegmentMap without = map;
  without.rules.erase(without.rules.begin() + 4);
  EXPECT_EQ(Segments(without).back(), "other");
  EXPECT_EQ(without.Names().back(), "other");
}

TEST_F(ConditionsOnAPortfolio, ScoreRangesStillApplyAndMedianGapIsAbsentBelowTwoDays) {
  const SegmentMap map = Parse(R"({"fallback": "other", "segments": [
      {"name": "gap", "where": [{"field": "median_gap_days", "op": "!=", "value": 0}]},
      {"name": "top_r", "r": 5}]})");
  // C0 (gaps 31, 28), C2 (292 days) and C4 (31) have a median gap; C1, C3
  // and C5 bought on one day only: no median, so `!= 0` does not hold.
  const auto seg = Segments(map);
  EXPECT_EQ(seg[0], "gap");
  EXPECT_EQ(seg[2], "gap");
  EXPECT_EQ(seg[4], "gap");
  EXPECT_EQ(seg[3], "top_r");  // the most recent buyer
  EXPECT_EQ(seg[5], "other");
}

TEST_F(ConditionsOnAPortfolio, ErrorsAtAssignment) {
  const SegmentMap map = Parse(R"({"segments": [
      {"name": "x", "where": [{"field": "attribute:setor", "op": "=", "value": "a"}]}, {"name": "y"}]})");
  auto a = AssignSegments(rfm, map, p, summary);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(std::string(a.status().message())
                .find("segments[0] 'x': attribute:setor: the customers have no attribute 'setor' (they have: canal, funcionarios)"),
            std::string::npos)
      << a.status();
  auto b = AssignSegments(rfm, map);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(b.status().message()).find("rule 1 'x' has conditions"), std::string::npos);
  RfmTable other = rfm;
  other.customer.pop_back();
  EXPECT_FALSE(AssignSegments(other, map, p, summary).ok());
  // Without conditions the portfolio is not read, and both overloads agree.
  auto plain = AssignSegments(rfm, SegmentMap::Default());
  auto with = AssignSegments(rfm, SegmentMap::Default(), p, summary);
  ASSERT_TRUE(plain.ok() && with.ok());
  EXPECT_EQ(plain->segment, with->segment);
}

// Random customers and maps against the definition: the first rule whose
// ranges and conditions all hold, evaluated the plain way.
TEST(SegmentConditionsRandom, MatchTheDefinition) {
  std::mt19937_64 rng(42);
  auto pick = [&rng](std::uint64_t n) { return rng() % n; };
  const char* regions[] = {"", "Sul", "Norte", "Sudeste", "Regiao Metropolitana de Sao Paulo"};
  for (int round = 0; round < 12; ++round) {
    Portfolio p;
    const size_t n = 200 + pick(800);
    std::vector<Customer> customers(n);
    for (size_t c = 0; c < n; ++c) {
      customers[c].id = "C" + std::to_string(c);
      customers[c].region = regions[pick(5)];
      customers[c].segment = pick(2) ? "varejo" : "atacado";
      customers[c].key_account = pick(4) == 0;
      if (pick(3) != 0) customers[c].attributes = {{"score", std::to_string(pick(100))}};
    }
    ASSERT_TRUE(p.AddCustomers(customers).ok());
    std::vector<Transaction> rows;
    for (size_t i = 0; i < 4 * n; ++i) {
      rows.push_back({"C" + std::to_string(pick(n)), ToDate(D(2024, 1, 1) + static_cast<DayNumber>(pick(450))),
                      static_cast<MinorUnits>(pick(100000)) - 5000, "", "", "", {}});
    }
    ASSERT_TRUE(p.AddTransactions(rows).ok());
    SummaryOptions options;
    options.as_of = ToDate(D(2025, 3, 31));
    auto summary = Summarize(p, options);
    ASSERT_TRUE(summary.ok());
    const RfmTable rfm = ScoreRfm(*summary);
    // A random map: a few rules with random ranges and conditions.
    SegmentMap map;
    map.fallback = "other";
    const size_t rules = 2 + pick(6);
    for (size_t r = 0; r < rules; ++r) {
      SegmentRule rule;
      rule.name = "s" + std::to_string(r);
      if (pick(2)) rule.r = {static_cast<std::uint8_t>(1 + pick(3)), 5};
      if (pick(3) == 0) rule.fm = {1, static_cast<std::uint8_t>(2 + pick(4))};
      const size_t conditions = pick(3);
      for (size_t k = 0; k < conditions; ++k) {
        SegmentCondition c;
        switch (pick(5)) {
          case 0:
            c.field = SegmentField::kRegion;
            c.op = pick(2) ? CompareOp::kIn : CompareOp::kNe;
            c.text = {regions[pick(5)]};
            if (c.op == CompareOp::kIn) c.text.push_back(regions[pick(5)]);
            break;
          case 1:
            c.field = SegmentField::kMonetary;
            c.op = static_cast<CompareOp>(pick(6));
            c.number = {static_cast<double>(pick(200000))};
            break;
          case 2:
            c.field = SegmentField::kKeyAccount;
            c.op = pick(2) ? CompareOp::kEq : CompareOp::kNe;
            c.number = {static_cast<double>(pick(2))};
            break;
          case 3:
            c.field = SegmentField::kAttribute;
            c.attribute = "score";
            c.op = static_cast<CompareOp>(pick(6));
            c.number = {static_cast<double>(pick(100))};
            break;
          default:
            c.field = SegmentField::kFrequency;
            c.op = pick(2) ? CompareOp::kGe : CompareOp::kNotIn;
            c.number = {static_cast<double>(1 + pick(4))};
        }
        rule.where.push_back(c);
      }
      map.rules.push_back(rule);
    }
    ASSERT_TRUE(map.Validate().ok()) << map.Validate();
    auto a = AssignSegments(rfm, map, p, *summary);
    ASSERT_TRUE(a.ok()) << a.status();
    auto holds = [&](const SegmentCondition& c, size_t row) {
      const CustomerIndex cust = rfm.customer[row];
      auto cmp = [&c](double v) {
        switch (c.op) {
          case CompareOp::kEq: return v == c.number[0];
          case CompareOp::kNe: return v != c.number[0];
          case CompareOp::kLt: return v < c.number[0];
          case CompareOp::kLe: return v <= c.number[0];
          case CompareOp::kGt: return v > c.number[0];
          case CompareOp::kGe: return v >= c.number[0];
          case CompareOp::kIn: return std::find(c.number.begin(), c.number.end(), v) != c.number.end();
          default: return std::find(c.number.begin(), c.number.end(), v) == c.number.end();
        }
      };
      switch (c.field) {
        case SegmentField::kRegion: {
          const std::string v(p.customers().region[cust]);
          const bool in = std::find(c.text.begin(), c.text.end(), v) != c.text.end();
          return c.op == CompareOp::kIn ? in : !in;
        }
        case SegmentField::kMonetary:
          return cmp(static_cast<double>(summary->revenue[row]));
        case SegmentField::kKeyAccount:
          return cmp(p.customers().key_account[cust] ? 1 : 0);
        case SegmentField::kAttribute: {
          const std::string v(p.customers().attributes.Get("score", cust));
          return !v.empty() && cmp(std::stod(v));
        }
        default:
          return cmp(summary->purchase_days[row]);
      }
    };
    for (size_t i = 0; i < rfm.size(); ++i) {
      std::string expected = "other";
      for (const SegmentRule& rule : map.rules) {
        if (!rule.Matches(rfm.r[i], rfm.f[i], rfm.m[i])) continue;
        bool all = true;
        for (const SegmentCondition& c : rule.where) all = all && holds(c, i);
        if (all) {
          expected = rule.name;
          break;
        }
      }
      ASSERT_EQ(a->names[a->segment[i]], expected) << "round " << round << " row " << i;
    }
  }
}

TEST(SegmentConditionsCheck, ARuleWithConditionsNeverShadowsALaterOne) {
  const SegmentMap map = Parse(R"({"fallback": "other", "segments": [
      {"name": "vip", "where": [{"field": "key_account", "op": "=", "value": true}]},
      {"name": "all"}]})");
  const SegmentMapCheck check = CheckSegmentMap(map);
  EXPECT_TRUE(check.ok()) << check.Describe(map);
  EXPECT_TRUE(check.conditional.empty());
  EXPECT_EQ(check.Describe(map), "");
  EXPECT_EQ(map.Names(), (std::vector<std::string>{"vip", "all"}));
}

TEST(SegmentConditionsCheck, ALaterRuleIsShadowedByEarlierRulesOnScoresAloneOrWithFewerConditions) {
  const SegmentMap map = Parse(R"({"fallback": "other", "segments": [
      {"name": "recent", "r": [4, 5]},
      {"name": "recent_sul", "r": 5, "where": [{"field": "region", "op": "=", "value": "Sul"}]},
      {"name": "sul", "where": [{"field": "region", "op": "=", "value": "Sul"}]},
      {"name": "sul_key", "r": [1, 3], "where": [{"field": "key_account", "op": "=", "value": true},
                                                 {"field": "region", "op": "=", "value": "Sul"}]},
      {"name": "key", "r": [1, 3], "where": [{"field": "key_account", "op": "=", "value": true}]},
      {"name": "rest"}]})");
  const SegmentMapCheck check = CheckSegmentMap(map);
  ASSERT_EQ(check.shadowed.size(), 2u) << check.Describe(map);
  // recent_sul: every cell it reaches (r = 5) is taken by `recent`, which has no conditions.
  EXPECT_EQ(check.shadowed[0].rule, 1u);
  EXPECT_EQ(check.shadowed[0].covered_by, (std::vector<size_t>{0}));
  // sul_key: its conditions include all of `sul`'s, whose ranges cover it.
  EXPECT_EQ(check.shadowed[1].rule, 3u);
  EXPECT_EQ(check.shadowed[1].covered_by, (std::vector<size_t>{2}));
  // `key` is not shadowed: `sul_key` and `sul` have conditions it does not have.
  EXPECT_TRUE(check.uncovered.empty());
  EXPECT_TRUE(check.conditional.empty());  // `rest` covers every cell
  const std::string text = check.Describe(map);
  EXPECT_NE(text.find("rule 2 'recent_sul' can never match: rule 1 'recent' takes all its cells first"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("rule 4 'sul_key' can never match: rule 3 'sul' takes all its cells first"), std::string::npos)
      << text;
}

TEST(SegmentConditionsCheck, CellsOnlyRulesWithConditionsReachAreANoteNotAProblem) {
  const SegmentMap map = Parse(R"({"fallback": "other", "segments": [
      {"name": "sul", "r": [1, 4], "where": [{"field": "region", "op": "=", "value": "Sul"}]},
      {"name": "rest", "r": [1, 4]}]})");
  const SegmentMapCheck check = CheckSegmentMap(map);
  EXPECT_FALSE(check.ok());  // r = 5: no rule at all
  EXPECT_EQ(check.uncovered.size(), 5u);
  EXPECT_TRUE(check.conditional.empty());
  const SegmentMap only = Parse(R"({"fallback": "other", "segments": [
      {"name": "sul", "r": [1, 4], "where": [{"field": "region", "op": "=", "value": "Sul"}]},
      {"name": "rest", "r": 5}]})");
  const SegmentMapCheck c2 = CheckSegmentMap(only);
  EXPECT_TRUE(c2.ok()) << c2.Describe(only);
  EXPECT_EQ(c2.conditional.size(), 20u);
  EXPECT_NE(c2.Describe(only).find("note: 20 cells only rules with conditions reach (their customers are 'other' "
                                   "when no condition holds): r1fm1"),
            std::string::npos)
      << c2.Describe(only);
  EXPECT_EQ(only.Names(), (std::vector<std::string>{"sul", "rest", "other"}));
}

}  // namespace
}  // namespace carteira
