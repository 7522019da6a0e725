#include "carteira/hygiene/report.h"

#include <string>
#include <vector>

#include "carteira/hygiene/phone.h"
#include "gtest/gtest.h"

namespace carteira::hygiene {
namespace {

const PhoneChecker& Phones() {
  static const PhoneChecker checker("BR");
  return checker;
}

Customer Make(std::string id, std::string name, std::string document, std::string email,
              std::string phone, std::string city) {
  Customer c;
  c.id = std::move(id);
  c.name = std::move(name);
  c.document = std::move(document);
  c.email = std::move(email);
  c.phone = std::move(phone);
  c.city = std::move(city);
  return c;
}

const HygieneProblem* Find(const HygieneReport& r, std::string_view id, std::string_view field) {
  for (const auto& p : r.problems) {
    if (p.customer_id == id && p.field == field) return &p;
  }
  return nullptr;
}

TEST(ReportTest, ListsEachProblemWithPlaceValueAndSuggestion) {
  Portfolio p;
  ASSERT_TRUE(p.AddCustomers(std::vector<Customer>{
                  Make("C1", "Lívia Machado", "712.407.652-82", "liviamachado@hotmail.com",
                       "+55 93 99250-5779", "Santarém"),
                  Make("C2", "ANDERSON  NUNES", "36309393413", "anderson@gmial.com", "(11) 8765-4321",
                       "SÃO PAULO"),
                  Make("C3", "Conceição Araújo", "12.ABC.345/01DE-36", "conceicao@@uol.com.br", "123",
                       "Recife"),
              })
                  .ok());
  const HygieneReport r = CheckPortfolio(p, Phones());
  EXPECT_EQ(Find(r, "C1", "document"), nullptr) << "a clean record has no problem";
  EXPECT_EQ(Find(r, "C1", "email"), nullptr);
  EXPECT_EQ(Find(r, "C1", "phone"), nullptr);
  EXPECT_EQ(Find(r, "C1", "name"), nullptr);

  const HygieneProblem* doc = Find(r, "C2", "document");
  ASSERT_NE(doc, nullptr);
  EXPECT_EQ(doc->problem, "not_formatted");
  EXPECT_EQ(doc->suggestion, "363.093.934-13");
  const HygieneProblem* email = Find(r, "C2", "email");
  ASSERT_NE(email, nullptr);
  EXPECT_EQ(email->problem, "likely_typo");
  EXPECT_EQ(email->value, "anderson@gmial.com");
  EXPECT_EQ(email->suggestion, "anderson@gmail.com");
  const HygieneProblem* phone = Find(r, "C2", "phone");
  ASSERT_NE(phone, nullptr);
  EXPECT_EQ(phone->problem, "missing_ninth_digit");
  EXPECT_EQ(phone->suggestion, "+5511987654321");
  EXPECT_EQ(Find(r, "C2", "name")->suggestion, "Anderson Nunes");
  EXPECT_EQ(Find(r, "C2", "city")->suggestion, "São Paulo");

  EXPECT_EQ(Find(r, "C3", "document")->problem, "check_digit_mismatch");
  EXPECT_EQ(Find(r, "C3", "document")->detail, "invalid CNPJ: check digit mismatch at position 14");
  EXPECT_EQ(Find(r, "C3", "email")->problem, "many_at");
  EXPECT_EQ(Find(r, "C3", "phone")->problem, "too_short");

  EXPECT_EQ(r.counts.at("document.not_formatted"), 1u);
  EXPECT_EQ(r.counts.at("document.check_digit_mismatch"), 1u);
  EXPECT_EQ(r.counts.at("email.likely_typo"), 1u);
  EXPECT_EQ(r.counts.at("phone.missing_ninth_digit"), 1u);
  EXPECT_EQ(r.counts.at("duplicates.clusters"), 0u);
  size_t total = 0;
  for (const auto& [key, n] : r.counts) {
    if (key.rfind("duplicates.", 0) != 0 && key.rfind("missing.", 0) != 0) total += n;
  }
  EXPECT_EQ(total, r.problems.size());
  EXPECT_EQ(r.counts.at("missing.document"), 0u);
}

// Missing contact data is counted per field, not listed per customer.
TEST(ReportTest, CountsMissingContactDataWithoutListingIt) {
  Portfolio p;
  ASSERT_TRUE(p.AddCustomers(std::vector<Customer>{
                  Make("C1", "Lívia Machado", "", "liviamachado@hotmail.com", "", "Santarém"),
                  Make("C2", "Anderson Nunes", "", "", "", "São Paulo"),
                  Make("C3", "Conceição Araújo", "712.407.652-82", "", "+55 93 99250-5779", "Recife"),
              })
                  .ok());
  const HygieneReport r = CheckPortfolio(p, Phones());
  EXPECT_EQ(r.counts.at("missing.document"), 2u);
  EXPECT_EQ(r.counts.at("missing.email"), 2u);
  EXPECT_EQ(r.counts.at("missing.phone"), 2u);
  EXPECT_TRUE(r.problems.empty());
}

TEST(ReportTest, FindsTheDuplicatesFromTheSameNormalisedValues) {
  Portfolio p;
  ASSERT_TRUE(p.AddCustomers(std::vector<Customer>{
                  Make("C1", "Lívia Machado", "712.407.652-82", "", "", "Santarém"),
                  Make("C2", "Anderson Nunes", "", "", "", "São Paulo"),
                  Make("C3", "LIVIA MACHADO", "71240765282", "", "", ""),
              })
                  .ok());
  const HygieneReport r = CheckPortfolio(p, Phones());
  ASSERT_EQ(r.duplicates.clusters.size(), 1u);
  EXPECT_EQ(r.duplicates.clusters[0].members, (std::vector<CustomerIndex>{0, 2}));
  EXPECT_EQ(r.counts.at("duplicates.customers"), 2u);
}

}  // namespace
}  // namespace carteira::hygiene
