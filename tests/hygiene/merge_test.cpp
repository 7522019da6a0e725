// Portfolio::MergeCustomers: duplicates become one customer and nothing of
// their history is lost.
#include <map>
#include <string>
#include <vector>

#include "carteira/io/import.h"
#include "carteira/portfolio/portfolio.h"
#include "gtest/gtest.h"

namespace carteira {
namespace {

Date D(int y, int m, int d) { return Date(y, m, d); }

struct Totals {
  size_t customers, transactions, contracts, interactions, surveys, assignments;
  MinorUnits revenue, contract_value;
  long score_sum;
  bool operator==(const Totals&) const = default;
};

Totals Count(const Portfolio& p) {
  Totals t{p.customers().size(), p.transactions().size(), p.contracts().size(),
           p.interactions().size(), p.surveys().size(), p.assignments().size(), 0, 0, 0};
  for (MinorUnits a : p.transactions().amount) t.revenue += a;
  for (MinorUnits v : p.contracts().value) t.contract_value += v;
  for (auto s : p.surveys().score) t.score_sum += s;
  return t;
}

// Revenue per customer id, through the customer column of the transactions.
std::map<std::string, MinorUnits> RevenueById(const Portfolio& p) {
  std::map<std::string, MinorUnits> out;
  for (size_t i = 0; i < p.transactions().size(); ++i) {
    out[std::string(p.customers().id[p.transactions().customer[i]])] += p.transactions().amount[i];
  }
  return out;
}

Portfolio Small() {
  Portfolio p;
  Customer a;
  a.id = "C1";
  a.name = "José da Silva";
  a.document = "529.982.247-25";
  a.city = "São Paulo";
  a.created_at = D(2020, 5, 1);
  Customer b;
  b.id = "C2";
  b.name = "JOSE DA SILVA";
  b.email = "jose.silva@gmail.com";
  b.phone = "(11) 98765-4321";
  b.created_at = D(2018, 3, 10);
  b.delinquent = true;
  b.attributes = {{"origem", "loja física"}};
  Customer c;
  c.id = "C3";
  c.name = "Conceição Araújo";
  Customer d;
  d.id = "C4";
  d.name = "Antônio Gonçalves";
  EXPECT_TRUE(p.AddCustomers(std::vector<Customer>{a, b, c, d}).ok());
  EXPECT_TRUE(p.AddReps(std::vector<Rep>{Rep{"R1", "Sandra Pantoja", "", {}, 0, true, "", {}},
                                         Rep{"R2", "Antônio Souza", "", {}, 0, true, "", {}}})
                  .ok());
  std::vector<Transaction> tx;
  for (int i = 0; i < 12; ++i) {
    Transaction t;
    t.customer_id = "C" + std::to_string(1 + i % 4);
    t.date = D(2024, 1 + i % 12, 1 + i);
    t.amount = 1000 * (i + 1) + 37;
    t.order_id = "P" + std::to_string(i);
    tx.push_back(t);
  }
  EXPECT_TRUE(p.AddTransactions(tx).ok());
  EXPECT_TRUE(p.AddContracts(std::vector<Contract>{{"C2", "K1", D(2024, 1, 1), D(2025, 1, 1), 500000, true},
                                                   {"C1", "K2", D(2024, 2, 1), D(2025, 2, 1), 120000, false}})
                  .ok());
  EXPECT_TRUE(p.AddInteractions(std::vector<Interaction>{{"C2", "R1", D(2024, 3, 1), "visita", "venda"},
                                                         {"C3", "R2", D(2024, 3, 2), "ligacao", ""}})
                  .ok());
  EXPECT_TRUE(p.AddSurveyAnswers(std::vector<SurveyAnswer>{{"C2", D(2024, 4, 1), 9}, {"C4", D(2024, 4, 1), 3}}).ok());
  EXPECT_TRUE(p.AddAssignments(std::vector<Assignment>{{"C1", "R1", D(2023, 1, 1), ""},
                                                       {"C2", "R2", D(2023, 6, 1), "giro"}})
                  .ok());
  return p;
}

TEST(MergeTest, MovesEveryRowToTheSurvivorAndLosesNothing) {
  Portfolio p = Small();
  const Totals before = Count(p);
  const auto revenue_before = RevenueById(p);
  ASSERT_TRUE(p.MergeCustomers(std::vector<CustomerMerge>{{"C1", {"C2"}, D(2025, 7, 1), "ana.lima"}}).ok());
  Totals after = Count(p);
  EXPECT_EQ(after.customers, before.customers - 1);
  after.customers = before.customers;
  EXPECT_EQ(after, before) << "counts and money totals must not change";

  const auto revenue_after = RevenueById(p);
  EXPECT_EQ(revenue_after.at("C1"), revenue_before.at("C1") + revenue_before.at("C2"));
  EXPECT_EQ(revenue_after.at("C3"), revenue_before.at("C3"));
  EXPECT_EQ(revenue_after.count("C2"), 0u);

  const CustomerIndex c1 = *p.FindCustomer("C1");
  for (const auto* column : {&p.contracts().customer, &p.interactions().customer,
                             &p.surveys().customer, &p.assignments().customer}) {
    EXPECT_EQ((*column)[0], c1) << "C2's first row of every table now belongs to C1";
  }
  // The assignment history of both is kept; C2's later one is now current.
  EXPECT_EQ(p.CurrentAssignments()[c1], *p.FindRep("R2"));
  // An order id still finds its transaction, now C1's.
  EXPECT_EQ(p.transactions().customer[*p.FindOrder("P1")], c1);
}

TEST(MergeTest, TheOldIdIsAnAliasAndItsRecordIsKept) {
  Portfolio p = Small();
  ASSERT_TRUE(p.MergeCustomers(std::vector<CustomerMerge>{{"C1", {"C2"}, D(2025, 7, 1), "ana.lima"}}).ok());
  EXPECT_EQ(p.FindCustomer("C2"), p.FindCustomer("C1"));
  ASSERT_EQ(p.customer_aliases().size(), 1u);
  EXPECT_EQ(p.customer_aliases().alias[0], "C2");
  EXPECT_EQ(p.customer_aliases().customer[0], *p.FindCustomer("C1"));
  EXPECT_EQ(p.customer_aliases().merged_by[0], "ana.lima");
  EXPECT_EQ(p.customer_aliases().merged_at[0], ToDayNumber(D(2025, 7, 1)));
  ASSERT_EQ(p.merged_customers().size(), 1u);
  EXPECT_EQ(p.merged_customers().name[0], "JOSE DA SILVA");
  EXPECT_EQ(p.merged_customers().email[0], "jose.silva@gmail.com");
  // A later import keyed by the old id lands on the survivor.
  ASSERT_TRUE(p.AddTransactions(std::vector<Transaction>{{"C2", D(2025, 8, 1), 999, "P99", "", "", {}}},
                                AddOptions{.create_missing_customers = false})
                  .ok());
  EXPECT_EQ(p.transactions().customer.back(), *p.FindCustomer("C1"));
  // The old id cannot come back as a new customer by accident.
  Customer again;
  again.id = "C2";
  EXPECT_FALSE(p.AddCustomers(std::vector<Customer>{again}).ok());
}

TEST(MergeTest, SurvivorFillsItsGapsFromTheMergedRecord) {
  Portfolio p = Small();
  ASSERT_TRUE(p.MergeCustomers(std::vector<CustomerMerge>{{"C1", {"C2"}, D(2025, 7, 1), "ana.lima"}}).ok());
  const CustomerTable& c = p.customers();
  const CustomerIndex i = *p.FindCustomer("C1");
  EXPECT_EQ(c.name[i], "José da Silva") << "the survivor's own value wins";
  EXPECT_EQ(c.document[i], "529.982.247-25");
  EXPECT_EQ(c.email[i], "jose.silva@gmail.com") << "a gap is filled";
  EXPECT_EQ(c.phone[i], "(11) 98765-4321");
  EXPECT_EQ(c.created_at[i], ToDayNumber(D(2018, 3, 10))) << "the earliest start";
  EXPECT_EQ(c.delinquent[i], 1) << "a debt flag is never lost";
  EXPECT_EQ(c.attributes.Get("origem", i), "loja física");
  // Other customers are untouched, ids still find them.
  EXPECT_EQ(c.name[*p.FindCustomer("C3")], "Conceição Araújo");
  EXPECT_EQ(c.name[*p.FindCustomer("C4")], "Antônio Gonçalves");
}

TEST(MergeTest, InvalidMergesChangeNothingAndNameThePlace) {
  Portfolio p = Small();
  const Totals before = Count(p);
  struct Case {
    CustomerMerge merge;
    const char* message;
  };
  const std::vector<Case> cases = {
      {{"C9", {"C2"}, D(2025, 7, 1), "ana"}, "merge 0, field into: unknown customer 'C9'"},
      {{"C1", {"C1"}, D(2025, 7, 1), "ana"}, "merge 0, field merged: customer 'C1' appears twice"},
      {{"C1", {"C2"}, D(2025, 7, 1), ""}, "merge 0, field merged_by: is empty"},
      {{"C1", {}, D(2025, 7, 1), "ana"}, "merge 0, field merged: names no customer"},
  };
  for (const Case& c : cases) {
    const absl::Status s = p.MergeCustomers(std::vector<CustomerMerge>{c.merge});
    EXPECT_FALSE(s.ok());
    EXPECT_NE(s.message().find(c.message), std::string_view::npos) << s.message();
  }
  // The second merge reuses C2: neither is applied.
  const absl::Status s = p.MergeCustomers(std::vector<CustomerMerge>{
      {"C1", {"C2"}, D(2025, 7, 1), "ana"}, {"C3", {"C2"}, D(2025, 7, 1), "ana"}});
  EXPECT_NE(s.message().find("merge 1, field merged: customer 'C2' appears twice"), std::string_view::npos)
      << s.message();
  EXPECT_EQ(Count(p), before);
  EXPECT_FALSE(p.FindCustomerAlias("C2").has_value());
}

TEST(MergeTest, MergingAgainFollowsEarlierAliases) {
  Portfolio p = Small();
  ASSERT_TRUE(p.MergeCustomers(std::vector<CustomerMerge>{{"C1", {"C2"}, D(2025, 7, 1), "ana"}}).ok());
  ASSERT_TRUE(p.MergeCustomers(std::vector<CustomerMerge>{{"C3", {"C1"}, D(2025, 7, 2), "bia"}}).ok());
  // C2 was merged into C1, which was merged into C3: both find C3.
  EXPECT_EQ(p.FindCustomer("C2"), p.FindCustomer("C3"));
  EXPECT_EQ(p.FindCustomer("C1"), p.FindCustomer("C3"));
  EXPECT_EQ(p.customers().size(), 2u);
  const absl::Status s =
      p.MergeCustomers(std::vector<CustomerMerge>{{"C3", {"C2"}, D(2025, 7, 3), "bia"}});
  EXPECT_NE(s.message().find("'C2' was already merged into 'C3'"), std::string_view::npos) << s.message();
}

// The shipped sample: merge several customers at once and check every
// total against the figures before.
TEST(MergeTest, SamplePortfolioTotalsSurviveABatchOfMerges) {
  Portfolio p;
  ImportReport report;
  ASSERT_TRUE(ImportDirectory(p, CARTEIRA_SAMPLE_DIR, ImportOptions{}, &report).ok());
  const Totals before = Count(p);
  const auto revenue_before = RevenueById(p);
  ASSERT_TRUE(p.MergeCustomers(std::vector<CustomerMerge>{
                                   {"C00001", {"C00002", "C00003"}, D(2026, 1, 5), "teste"},
                                   {"C04999", {"C00010"}, D(2026, 1, 5), "teste"}})
                  .ok());
  Totals after = Count(p);
  EXPECT_EQ(after.customers, before.customers - 3);
  after.customers = before.customers;
  EXPECT_EQ(after, before);
  const auto revenue_after = RevenueById(p);
  auto get = [](const std::map<std::string, MinorUnits>& m, const char* id) {
    auto it = m.find(id);
    return it == m.end() ? MinorUnits{0} : it->second;
  };
  EXPECT_EQ(get(revenue_after, "C00001"),
            get(revenue_before, "C00001") + get(revenue_before, "C00002") + get(revenue_before, "C00003"));
  EXPECT_EQ(get(revenue_after, "C04999"), get(revenue_before, "C04999") + get(revenue_before, "C00010"));
  for (const char* id : {"C00004", "C00500", "C03000"}) {
    EXPECT_EQ(get(revenue_after, id), get(revenue_before, id)) << id;
    ASSERT_TRUE(p.FindCustomer(id).has_value());
    EXPECT_EQ(p.customers().id[*p.FindCustomer(id)], id);
  }
}

}  // namespace
}  // namespace carteira
