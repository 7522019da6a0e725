// The shared key reader of the JSON configuration files: unknown keys,
// strings, whole numbers in range, and errors located as where.key.
#include "src/core/json_reader.h"

#include <gtest/gtest.h>

namespace carteira {
namespace {

using Json = JsonObjectReader::Json;

TEST(JsonObjectReader, AnUnknownKeyIsAnErrorListingTheKnownOnes) {
  const Json doc = Json::parse(R"({"name": "x", "nome": "y"})");
  const JsonObjectReader r(doc, "f.json.tiers[0]");
  EXPECT_TRUE(r.Keys({"name", "nome"}).ok());
  EXPECT_EQ(r.Keys({"name", "min_spend"}).message(),
            "f.json.tiers[0].nome: is not a known key (known: name, min_spend)");
}

TEST(JsonObjectReader, TextLeavesTheDefaultWhenAbsentAndRefusesANonString) {
  const Json doc = Json::parse(R"({"name": "Ouro", "n": 3})");
  const JsonObjectReader r(doc, "f.json");
  std::string text = "default";
  ASSERT_TRUE(r.Text("absent", &text).ok());
  EXPECT_EQ(text, "default");
  ASSERT_TRUE(r.Text("name", &text).ok());
  EXPECT_EQ(text, "Ouro");
  EXPECT_EQ(r.Text("n", &text).message(), "f.json.n: expected a string, got 3");
  EXPECT_EQ(text, "Ouro");
}

TEST(JsonObjectReader, AnErrorWithoutAKeyNamesTheObject) {
  const Json doc = Json::object();
  const JsonObjectReader r(doc, "plan.json: policies[1] (handover)");
  EXPECT_EQ(r.Error("", "give exactly one of to_rep and to_team").message(),
            "plan.json: policies[1] (handover): give exactly one of to_rep and to_team");
  EXPECT_EQ(r.Find("rep"), nullptr);
}

TEST(JsonObjectReader, WholeNumberTakesOnlyIntegersInRange) {
  EXPECT_EQ(JsonObjectReader::WholeNumber(Json(5), 0, 10), 5);
  EXPECT_EQ(JsonObjectReader::WholeNumber(Json(0), 0, 10), 0);
  EXPECT_EQ(JsonObjectReader::WholeNumber(Json(10), 0, 10), 10);
  EXPECT_EQ(JsonObjectReader::WholeNumber(Json(-1), 0, 10), std::nullopt);
  EXPECT_EQ(JsonObjectReader::WholeNumber(Json(11), 0, 10), std::nullopt);
  EXPECT_EQ(JsonObjectReader::WholeNumber(Json(2.5), 0, 10), std::nullopt);
  EXPECT_EQ(JsonObjectReader::WholeNumber(Json("3"), 0, 10), std::nullopt);
  // Beyond int64: must not wrap round to a negative number that a negative minimum would accept.
  EXPECT_EQ(JsonObjectReader::WholeNumber(Json::parse("18446744073709551615"), INT64_MIN, INT64_MAX),
            std::nullopt);
  EXPECT_EQ(JsonObjectReader::WholeNumber(Json::parse("9223372036854775807"), INT64_MIN, INT64_MAX), INT64_MAX);
}

}  // namespace
}  // namespace carteira
