#include "carteira/segments/segment_map.h"

#include <gtest/gtest.h>

namespace carteira {
namespace {

std::string SegmentOf(const SegmentMap& map, int r, int f, int m) {
  for (const SegmentRule& rule : map.rules) {
    if (rule.Matches(r, f, m)) return rule.name;
  }
  return map.fallback;
}

TEST(SegmentMap, DefaultCoversEveryCellAndEveryRuleCanMatch) {
  const SegmentMap map = SegmentMap::Default();
  const SegmentMapCheck check = CheckSegmentMap(map);
  EXPECT_FALSE(check.r_f_m_grid);
  EXPECT_TRUE(check.ok()) << check.Describe(map);
  EXPECT_EQ(map.Names(), (std::vector<std::string>{"champions", "loyal", "potential_loyalist", "new", "promising",
                                                   "need_attention", "about_to_sleep", "cant_lose", "at_risk",
                                                   "lost", "hibernating"}));
}

TEST(SegmentMap, DefaultNamesTheUsualCells) {
  const SegmentMap map = SegmentMap::Default();
  EXPECT_EQ(SegmentOf(map, 5, 5, 5), "champions");
  EXPECT_EQ(SegmentOf(map, 5, 4, 3), "champions");  // fm = ceil(7/2) = 4
  EXPECT_EQ(SegmentOf(map, 5, 3, 3), "potential_loyalist");
  EXPECT_EQ(SegmentOf(map, 5, 1, 1), "new");
  EXPECT_EQ(SegmentOf(map, 4, 1, 1), "promising");
  EXPECT_EQ(SegmentOf(map, 4, 1, 2), "potential_loyalist");  // fm = ceil(3/2) = 2
  EXPECT_EQ(SegmentOf(map, 3, 4, 5), "loyal");
  EXPECT_EQ(SegmentOf(map, 3, 3, 3), "need_attention");
  EXPECT_EQ(SegmentOf(map, 3, 1, 2), "about_to_sleep");
  EXPECT_EQ(SegmentOf(map, 2, 5, 5), "cant_lose");
  EXPECT_EQ(SegmentOf(map, 1, 4, 3), "at_risk");
  EXPECT_EQ(SegmentOf(map, 2, 1, 1), "hibernating");
  EXPECT_EQ(SegmentOf(map, 1, 1, 2), "hibernating");
  EXPECT_EQ(SegmentOf(map, 1, 1, 1), "lost");
}

TEST(SegmentMap, CheckFindsShadowedRulesAndUncoveredCells) {
  auto map = SegmentMap::FromJson(R"({"fallback": "other", "segments": [
      {"name": "top", "r": [4, 5]},
      {"name": "recent", "r": 5, "fm": [1, 5]},
      {"name": "low", "r": 1, "fm": 1}]})");
  ASSERT_TRUE(map.ok()) << map.status();
  const SegmentMapCheck check = CheckSegmentMap(*map);
  ASSERT_EQ(check.shadowed.size(), 1u);
  EXPECT_EQ(check.shadowed[0].rule, 1u);
  EXPECT_EQ(check.shadowed[0].covered_by, (std::vector<size_t>{0}));
  // r=1 with fm 2..5, and all of r=2 and r=3: 4 + 5 + 5 cells.
  EXPECT_EQ(check.uncovered.size(), 14u);
  EXPECT_EQ(check.uncovered.front(), (std::array<std::uint8_t, 3>{1, 2, 0}));
  const std::string text = check.Describe(*map);
  EXPECT_NE(text.find("rule 2 'recent' can never match: rule 1 'top' takes all its cells first"), std::string::npos) << text;
  EXPECT_NE(text.find("14 cells no rule covers (their customers are 'other'): r1fm2 r1fm3"), std::string::npos) << text;
  EXPECT_EQ(map->Names(), (std::vector<std::string>{"top", "recent", "low", "other"}));
}

TEST(SegmentMap, RulesOnFAndMAreCheckedOnTheFullGrid) {
  auto map = SegmentMap::FromJson(R"({"segments": [
      {"name": "big", "m": [4, 5]},
      {"name": "rest", "r": [1, 5], "f": [1, 5], "m": [1, 3]},
      {"name": "never", "f": 1, "m": 1, "fm": 5}]})");
  ASSERT_TRUE(map.ok()) << map.status();
  const SegmentMapCheck check = CheckSegmentMap(*map);
  EXPECT_TRUE(check.r_f_m_grid);
  EXPECT_TRUE(check.uncovered.empty());
  ASSERT_EQ(check.shadowed.size(), 1u);
  EXPECT_EQ(check.shadowed[0].rule, 2u);
  EXPECT_TRUE(check.shadowed[0].covered_by.empty());  // no scores satisfy it at all
  EXPECT_NE(check.Describe(*map).find("no scores satisfy all its ranges"), std::string::npos);
}

TEST(SegmentMap, BadDocumentsAreRejectedWithThePlace) {
  auto expect_error = [](const char* json, const char* fragment) {
    auto map = SegmentMap::FromJson(json, "map.json");
    ASSERT_FALSE(map.ok()) << json;
    EXPECT_NE(std::string(map.status().message()).find(fragment), std::string::npos) << map.status();
  };
  expect_error(R"({"segments": [{"name": "a", "x": 1}]})", "map.json: segments[0].x: unknown key");
  expect_error(R"({"segments": [{"name": "a", "r": 6}]})", "segments[0].r: a score is 1 to 5, got 6");
  expect_error(R"({"segments": [{"name": "a", "r": [4, 2]}]})", "segments[0].r: low 4 is above high 2");
  expect_error(R"({"segments": [{"r": 1}]})", "segments[0].name: missing");
  expect_error(R"({"segments": []})", "the map has no rule");
  expect_error(R"({"version": 2, "segments": [{"name": "a"}]})", "unsupported map version");
  expect_error(R"({"segments": [{"name": "a"}]} trailing)", "not valid JSON");
  expect_error(R"({"segmentz": []})", "segmentz: unknown key");
}

TEST(SegmentMap, JsonRoundTrips) {
  const SegmentMap map = SegmentMap::Default();
  auto again = SegmentMap::FromJson(map.ToJson());
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_EQ(again->rules.size(), map.rules.size());
  for (size_t i = 0; i < map.rules.size(); ++i) {
    EXPECT_EQ(again->rules[i].name, map.rules[i].name);
    EXPECT_EQ(again->rules[i].r, map.rules[i].r);
    EXPECT_EQ(again->rules[i].fm, map.rules[i].fm);
  }
  EXPECT_EQ(again->fallback, map.fallback);
}

TEST(AssignSegments, LooksUpEachCustomersCellAndCounts) {
  RfmTable t;
  t.customer = {0, 1, 2, 3};
  t.r = {5, 1, 1, 3};
  t.f = {5, 1, 5, 3};
  t.m = {4, 1, 5, 3};
  auto a = AssignSegments(t, SegmentMap::Default());
  ASSERT_TRUE(a.ok());
  auto name = [&](size_t i) { return a->names[a->segment[i]]; };
  EXPECT_EQ(name(0), "champions");
  EXPECT_EQ(name(1), "lost");
  EXPECT_EQ(name(2), "cant_lose");
  EXPECT_EQ(name(3), "need_attention");
  EXPECT_EQ(a->counts[0], 1);
  SegmentMap empty;
  EXPECT_FALSE(AssignSegments(t, empty).ok());
}

}  // namespace
}  // namespace carteira
