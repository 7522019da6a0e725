#include "carteira/portfolio/portfolio.h"

#include <gtest/gtest.h>

namespace carteira {
namespace {

TEST(Portfolio, AddTransactionsCreatesMissingCustomersByDefault) {
  Portfolio p;
  std::vector<Transaction> rows(2);
  rows[0] = {"A", Date(2024, 1, 1), 1000, "P1", "R1", "x", {}};
  rows[1] = {"B", Date(2024, 1, 2), -500, "", "", "", {}};
  ASSERT_TRUE(p.AddTransactions(rows).ok());
  EXPECT_EQ(p.customers().size(), 2u);
  EXPECT_EQ(*p.FindCustomer("B"), 1u);
  EXPECT_EQ(p.transactions().rep[0], 0);
  EXPECT_EQ(p.transactions().rep[1], kNoRep);
  EXPECT_EQ(*p.FindOrder("P1"), 0u);
}

TEST(Portfolio, FailedBatchLeavesEverythingAsBefore) {
  Portfolio p;
  ASSERT_TRUE(p.AddTransactions(std::vector<Transaction>{{"A", Date(2024, 1, 1), 1, "P1", "", "c1", {}}}).ok());
  const size_t bytes_customers = p.customers().size();
  std::vector<Transaction> rows = {
      {"NEW", Date(2024, 1, 2), 1, "P2", "R9", "c2", {{"lote", "7"}}},
      {"A", Date(2024, 1, 3), 1, "P1", "", "", {}},  // duplicate order
  };
  const absl::Status s = p.AddTransactions(rows);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("row 1"), std::string::npos);
  EXPECT_EQ(p.customers().size(), bytes_customers);
  EXPECT_FALSE(p.FindCustomer("NEW"));
  EXPECT_FALSE(p.FindRep("R9"));
  EXPECT_FALSE(p.FindOrder("P2"));
  EXPECT_EQ(p.transactions().size(), 1u);
  EXPECT_EQ(p.categories().size(), 1u);
  EXPECT_TRUE(p.transactions().attributes.names().empty());
  // The portfolio still works after the rollback.
  ASSERT_TRUE(p.AddTransactions(std::vector<Transaction>{{"NEW", Date(2024, 1, 2), 1, "P2", "", "", {}}}).ok());
  EXPECT_EQ(*p.FindOrder("P2"), 1u);
}

TEST(Portfolio, StrictReferencesWhenAsked) {
  Portfolio p;
  AddOptions strict;
  strict.create_missing_customers = false;
  const absl::Status s =
      p.AddSurveyAnswers(std::vector<SurveyAnswer>{{"ghost", Date(2024, 1, 1), 9}}, strict);
  EXPECT_TRUE(absl::IsInvalidArgument(s));
  EXPECT_NE(std::string(s.message()).find("ghost"), std::string::npos);
  EXPECT_FALSE(p.AddSurveyAnswers(std::vector<SurveyAnswer>{{"x", Date(2024, 1, 1), 11}}).ok());
}

TEST(Portfolio, BulkColumnsValidateBeforeAppending) {
  Portfolio p;
  const std::vector<std::string_view> ids = {"A", "B", "C"};
  std::vector<CustomerIndex> index(3);
  ASSERT_TRUE(p.InternCustomers(ids, index).ok());
  EXPECT_EQ(index, (std::vector<CustomerIndex>{0, 1, 2}));
  const std::vector<CustomerIndex> customer = {0, 1, 7};
  const std::vector<DayNumber> date = {19000, 19001, 19002};
  const std::vector<MinorUnits> amount = {1, 2, 3};
  TransactionColumns columns{customer, date, amount, {}, {}, {}};
  const absl::Status bad = p.AppendTransactions(columns);
  EXPECT_NE(std::string(bad.message()).find("row 2"), std::string::npos);
  EXPECT_EQ(p.transactions().size(), 0u);
  const std::vector<CustomerIndex> good = {0, 1, 2};
  columns.customer = good;
  ASSERT_TRUE(p.AppendTransactions(columns).ok());
  EXPECT_EQ(p.transactions().size(), 3u);
  EXPECT_TRUE(p.transactions().order_id.all_empty());  // no memory for absent columns
  EXPECT_TRUE(p.transactions().rep.all_none());
}

TEST(Portfolio, BulkCustomersRejectDuplicatesAtomically) {
  Portfolio p;
  const std::vector<std::string_view> ids = {"A", "B", "A"};
  CustomerColumns columns;
  columns.id = ids;
  EXPECT_FALSE(p.AppendCustomers(columns).ok());
  EXPECT_EQ(p.customers().size(), 0u);
  EXPECT_FALSE(p.FindCustomer("A"));
}

TEST(Portfolio, ColumnarRepsAndAssignments) {
  Portfolio p;
  const std::vector<std::string_view> ids = {"R1", "R2"};
  const std::vector<std::string_view> segments = {"varejo|atacado", ""};
  RepColumns reps;
  reps.id = ids;
  reps.segments = segments;
  ASSERT_TRUE(p.AppendReps(reps).ok());
  EXPECT_EQ(p.reps().segments[0], (std::vector<std::string>{"varejo", "atacado"}));
  EXPECT_TRUE(p.reps().segments[1].empty());
  EXPECT_EQ(p.reps().active[1], 1);  // absent column: active
  EXPECT_TRUE(absl::IsAlreadyExists(p.AppendReps(reps)));
  std::vector<CustomerIndex> customer(1);
  const std::vector<std::string_view> customer_ids = {"C"};
  ASSERT_TRUE(p.InternCustomers(customer_ids, customer).ok());
  const std::vector<RepIndex> rep = {1};
  const std::vector<DayNumber> since = {19000};
  ASSERT_TRUE(p.AppendAssignments({customer, rep, since, {}}).ok());
  EXPECT_EQ(p.CurrentAssignments()[0], 1);
  const std::vector<RepIndex> bad = {5};
  EXPECT_FALSE(p.AppendAssignments({customer, bad, since, {}}).ok());
  EXPECT_EQ(p.assignments().size(), 1u);
}

TEST(Portfolio, CurrentAssignmentIsTheLatestSince) {
  Portfolio p;
  ASSERT_TRUE(p.AddAssignments(std::vector<Assignment>{{"C", "R1", Date(2024, 5, 1), ""},
                                                       {"C", "R2", Date(2024, 1, 1), ""},
                                                       {"D", "R2", Date(2024, 1, 1), ""}})
                  .ok());
  const auto current = p.CurrentAssignments();
  EXPECT_EQ(current[*p.FindCustomer("C")], *p.FindRep("R1"));
  EXPECT_EQ(current[*p.FindCustomer("D")], *p.FindRep("R2"));
}

}  // namespace
}  // namespace carteira
