#include "carteira/hygiene/duplicates.h"

#include <string>
#include <vector>

#include "carteira/hygiene/phone.h"
#include "gtest/gtest.h"

namespace carteira::hygiene {
namespace {

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

const PhoneChecker& Phones() {
  static const PhoneChecker checker("BR");
  return checker;
}

Portfolio Sample() {
  std::vector<Customer> rows = {
      Make("C1", "José da Silva", "529.982.247-25", "jose@gmail.com", "(11) 98765-4321", "São Paulo"),
      Make("C2", "JOSE DA SILVA", "52998224725", "", "", "Sao Paulo"),
      Make("C3", "Maria Conceição", "", "maria@uol.com.br", "", "Recife"),
      Make("C4", "Maria da Conceição", "", "MARIA@UOL.COM.BR", "", "Olinda"),
      Make("C5", "João Pereira", "", "", "(21) 2345-6789", "Niterói"),
      Make("C6", "Ana Pereira", "", "", "+55 21 2345-6789", "Niterói"),
      Make("C7", "Lívia Machado", "", "", "", "Santarém"),
      Make("C8", "Livia  Machado", "", "", "", "SANTAREM"),
      Make("C9", "Lívia Machado", "", "", "", "Belém"),
      Make("C10", "Antônio Souza", "111.111.111-11", "", "", "Manaus"),
      Make("C11", "Sebastião Alves", "111.111.111-11", "", "", "Manaus"),
  };
  Portfolio p;
  EXPECT_TRUE(p.AddCustomers(rows).ok());
  return p;
}

TEST(DuplicatesTest, KeysAreNormalisedAndOnlyValidValuesCount) {
  const Portfolio p = Sample();
  const MatchKeys keys = BuildMatchKeys(p, Phones());
  EXPECT_EQ(keys.document[0], "52998224725");
  EXPECT_EQ(keys.document[1], "52998224725");
  EXPECT_EQ(keys.document[9], "") << "a repeated-digit CPF is no key";
  EXPECT_EQ(keys.email[3], "maria@uol.com.br");
  EXPECT_EQ(keys.phone[5], "+552123456789");
  EXPECT_EQ(keys.name[7], "livia machado");
  EXPECT_EQ(keys.city[6], "santarem");
}

TEST(DuplicatesTest, ClustersWithReasonsAndScores) {
  const Portfolio p = Sample();
  const DuplicateReport report = FindDuplicates(BuildMatchKeys(p, Phones()));
  ASSERT_EQ(report.clusters.size(), 3u);
  EXPECT_EQ(report.clusters[0].members, (std::vector<CustomerIndex>{0, 1}));
  EXPECT_EQ(report.clusters[0].reasons, kSameDocument | kSameNameAndCity);
  EXPECT_EQ(report.clusters[1].members, (std::vector<CustomerIndex>{2, 3}));
  EXPECT_EQ(report.clusters[1].reasons, kSameEmail);
  EXPECT_EQ(report.clusters[2].members, (std::vector<CustomerIndex>{6, 7}));
  EXPECT_EQ(report.clusters[2].reasons, kSameNameAndCity);
  // Same document and same name: near certainty. Name+city alone: 0.8.
  EXPECT_GT(report.clusters[0].score, 0.97);
  EXPECT_NEAR(report.clusters[2].score, 0.8, 1e-9);
  // The shared landline of João and Ana Pereira is a candidate, not a link.
  EXPECT_EQ(report.candidate_pairs, 4u);
  EXPECT_EQ(MatchReasonNames(report.clusters[0].reasons),
            (std::vector<std::string_view>{"document", "name_city"}));
}

TEST(DuplicatesTest, ChainsJoinIntoOneClusterWhoseScoreIsTheWeakestLink) {
  MatchKeys keys;
  keys.document = {"52998224725", "52998224725", "", ""};
  keys.email = {"", "ana@gmail.com", "ana@gmail.com", ""};
  keys.phone = {"", "", "+5511987654321", "+5511987654321"};
  keys.name = {"ana paula souza", "ana paula souza", "ana paula sousa", "ana paula souza"};
  keys.city = {"", "", "", ""};
  const DuplicateReport report = FindDuplicates(keys);
  ASSERT_EQ(report.clusters.size(), 1u);
  EXPECT_EQ(report.clusters[0].members, (std::vector<CustomerIndex>{0, 1, 2, 3}));
  EXPECT_EQ(report.clusters[0].links.size(), 3u);
  double weakest = 1;
  for (const auto& link : report.clusters[0].links) weakest = std::min(weakest, link.score);
  EXPECT_EQ(report.clusters[0].score, weakest);
  EXPECT_EQ(report.clusters[0].reasons, kSameDocument | kSameEmail | kSamePhone);
}

TEST(DuplicatesTest, CrowdedKeysYieldNoPairsButAreReported) {
  MatchKeys keys;
  const size_t n = 60;
  keys.document.assign(n, "");
  keys.email.assign(n, "sem@email.com");
  keys.phone.assign(n, "");
  keys.name.assign(n, "cliente");
  keys.city.assign(n, "");
  DuplicateOptions options;
  options.max_block = 50;
  const DuplicateReport report = FindDuplicates(keys, options);
  EXPECT_TRUE(report.clusters.empty());
  EXPECT_EQ(report.candidate_pairs, 0u);
  ASSERT_EQ(report.crowded_keys.size(), 1u);
  EXPECT_EQ(report.crowded_keys[0].key, "sem@email.com");
  EXPECT_EQ(report.crowded_keys[0].customers, 60u);
}

TEST(DuplicatesTest, SameInputSameOutput) {
  const Portfolio p = Sample();
  const MatchKeys keys = BuildMatchKeys(p, Phones());
  const DuplicateReport a = FindDuplicates(keys);
  const DuplicateReport b = FindDuplicates(keys);
  ASSERT_EQ(a.clusters.size(), b.clusters.size());
  for (size_t i = 0; i < a.clusters.size(); ++i) {
    EXPECT_EQ(a.clusters[i].members, b.clusters[i].members);
    EXPECT_EQ(a.clusters[i].score, b.clusters[i].score);
  }
}

}  // namespace
}  // namespace carteira::hygiene
