#include "carteira/io/import.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace carteira {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("carteira_import_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  void Write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
  }
  std::string path() const { return path_.string(); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

constexpr char kCustomers[] =
    "\xEF\xBB\xBF" "customer_id;name;document;city;state;segment;created_at;key_account;delinquent;canal\r\n"
    "C1;Jo\xC3\xA3o da Concei\xC3\xA7\xC3\xA3o;111.444.777-35;S\xC3\xA3o Paulo;SP;varejo;01/02/2024;n\xC3\xA3o;sim;loja\r\n"
    "C2;Padaria P\xC3\xA3o de A\xC3\xA7\xC3\xBA" "car ME;;Bel\xC3\xA9m;PA;atacado;2024-01-15;sim;n\xC3\xA3o;site\r\n";

constexpr char kTransactions[] =
    "customer_id;date;amount;order_id;rep_id;category\n"
    "C1;05/02/2024;1.234,56;P1;R1;bebidas\n"
    "C1;05/02/2024;10,00;P2;R1;limpeza\n"
    "C2;10/03/2024;R$ 99,90;P3;;\n"
    "C1;20/03/2024;-10,00;P4;R1;limpeza\n";

TEST(ImportDirectory, LoadsBrazilianFilesExactly) {
  TempDir dir;
  dir.Write("customers.csv", kCustomers);
  dir.Write("transactions.csv", kTransactions);
  Portfolio p;
  ImportReport report;
  ASSERT_TRUE(ImportDirectory(p, dir.path(), {}, &report).ok()) << report.Summary();
  EXPECT_TRUE(report.applied);
  EXPECT_EQ(report.count(Entity::kCustomers).rows_added, 2);
  EXPECT_EQ(report.count(Entity::kTransactions).rows_added, 4);
  ASSERT_EQ(p.customers().size(), 2u);
  EXPECT_EQ(p.customers().name[0], "Jo\xC3\xA3o da Concei\xC3\xA7\xC3\xA3o");
  EXPECT_EQ(p.customers().created_at[0], ToDayNumber(Date(2024, 2, 1)));
  EXPECT_EQ(p.customers().delinquent[0], 1);
  EXPECT_EQ(p.customers().key_account[1], 1);
  EXPECT_EQ(p.customers().attributes.Get("canal", 1), "site");  // extra column kept
  EXPECT_EQ(p.transactions().amount[0], 123456);
  EXPECT_EQ(p.transactions().amount[2], 9990);
  EXPECT_EQ(p.transactions().amount[3], -1000);
  EXPECT_EQ(p.categories()[p.transactions().category[1]], "limpeza");
  EXPECT_EQ(p.reps().size(), 1u);  // R1 created: no reps file in this import
  EXPECT_EQ(p.transactions().rep[2], kNoRep);
}

TEST(ImportDirectory, StrictModeReportsEveryBadRowAndAddsNothing) {
  TempDir dir;
  dir.Write("customers.csv", kCustomers);
  dir.Write("transactions.csv",
            "customer_id;date;amount\n"
            "C1;05/02/2024;10,00\n"
            "C1;31/02/2024;10,00\n"     // impossible date
            "C9;05/02/2024;10,00\n"     // unknown customer (customers file given)
            "C2;05/02/2024;dez reais\n");
  dir.Write("surveys.csv", "customer_id;date;score\nC1;01/03/2024;11\n");
  Portfolio p;
  ImportReport report;
  const absl::Status status = ImportDirectory(p, dir.path(), {}, &report);
  EXPECT_TRUE(absl::IsInvalidArgument(status));
  EXPECT_FALSE(report.applied);
  EXPECT_EQ(p.customers().size(), 0u);  // customers.csv was fine, but the import is one
  EXPECT_EQ(p.transactions().size(), 0u);
  ASSERT_EQ(report.issue_count, 4);
  const ImportIssue& date = report.issues[0];
  EXPECT_EQ(date.file, dir.file("transactions.csv"));
  EXPECT_EQ(date.line, 3);
  EXPECT_EQ(date.column, 2);
  EXPECT_EQ(date.field, "date");
  EXPECT_EQ(date.value, "31/02/2024");
  EXPECT_EQ(report.issues[1].field, "customer_id");
  EXPECT_NE(report.issues[1].message.find("unknown customer 'C9'"), std::string::npos);
  EXPECT_EQ(report.issues[2].column, 3);
  EXPECT_EQ(report.issues[3].field, "score");
  EXPECT_EQ(report.issues[3].line, 2);
  EXPECT_NE(std::string(status.message()).find("4 bad row"), std::string::npos);
}

TEST(ImportDirectory, LenientModeAddsGoodRowsAndListsBadOnes) {
  TempDir dir;
  dir.Write("transactions.csv",
            "customer_id,date,amount\nA,2024-01-01,10.00\nB,not a date,5\nA,2024-01-02,7.5\n");
  Portfolio p;
  ImportReport report;
  ImportOptions options;
  options.mode = ImportMode::kLenient;
  ASSERT_TRUE(ImportDirectory(p, dir.path(), options, &report).ok());
  EXPECT_TRUE(report.applied);
  EXPECT_EQ(report.count(Entity::kTransactions).rows_read, 3);
  EXPECT_EQ(report.count(Entity::kTransactions).rows_added, 2);
  EXPECT_EQ(report.count(Entity::kTransactions).rows_rejected, 1);
  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_EQ(report.issues[0].line, 3);
  EXPECT_EQ(p.transactions().size(), 2u);
  EXPECT_EQ(p.transactions().amount[1], 750);
  EXPECT_FALSE(p.FindCustomer("B"));  // the bad row created nothing
}

TEST(ImportFile, DuplicateOrderIdsPointAtTheFirst) {
  TempDir dir;
  dir.Write("t.csv", "customer_id,date,amount,order_id\nA,2024-01-01,1,P1\nA,2024-01-02,1,P1\n");
  Portfolio p;
  ImportReport report;
  EXPECT_FALSE(ImportFile(p, Entity::kTransactions, dir.file("t.csv"), {}, &report).ok());
  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_EQ(report.issues[0].field, "order_id");
  EXPECT_NE(report.issues[0].message.find("t.csv:2"), std::string::npos) << report.issues[0].message;
  // A second import of the same order id is a duplicate of the portfolio's.
  ImportReport again;
  dir.Write("u.csv", "customer_id,date,amount,order_id\nA,2024-01-01,1,P1\n");
  ASSERT_TRUE(ImportFile(p, Entity::kTransactions, dir.file("u.csv"), {}, &again).ok());
  EXPECT_FALSE(ImportFile(p, Entity::kTransactions, dir.file("u.csv"), {}, &again).ok());
  EXPECT_NE(again.issues[0].message.find("already in the portfolio"), std::string::npos);
  EXPECT_EQ(p.transactions().size(), 1u);
}

TEST(ImportText, RejectsLatin1WithAHint) {
  Portfolio p;
  ImportReport report;
  const absl::Status s =
      ImportText(p, Entity::kCustomers, "customer_id,name\nC1,Jo\xE3o\n", "c.csv", {}, &report);
  EXPECT_FALSE(s.ok());
  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_EQ(report.issues[0].column, 2);
  EXPECT_NE(report.issues[0].message.find("UTF-8"), std::string::npos);
}

TEST(ImportText, MissingRequiredColumnIsAFileError) {
  Portfolio p;
  ImportReport report;
  EXPECT_FALSE(ImportText(p, Entity::kTransactions, "cliente,data\nA,2024-01-01\n", "t.csv", {},
                          &report).ok());
  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_EQ(report.issues[0].line, 1);
  EXPECT_NE(report.issues[0].message.find("customer_id"), std::string::npos);
}

TEST(ImportText, ColumnMappingByNameAndPosition) {
  Portfolio p;
  ImportReport report;
  ImportOptions options;
  options.column_mapping[Entity::kTransactions] = {{"customer_id", "cliente"}, {"date", "data"},
                                                   {"amount", "3"}};
  ASSERT_TRUE(ImportText(p, Entity::kTransactions, "cliente;data;valor total\nA;02/01/2024;1.000\n",
                         "t.csv", options, &report).ok())
      << report.Summary();
  EXPECT_EQ(p.transactions().amount[0], 100000);  // ';' file: "1.000" is a thousand
}

TEST(ImportText, RowWiderThanHeaderIsRejected) {
  Portfolio p;
  ImportReport report;
  EXPECT_FALSE(
      ImportText(p, Entity::kSurveys, "customer_id,date,score\nA,2024-01-01,9,extra\n", "s.csv", {},
                 &report).ok());
  EXPECT_EQ(report.issues.at(0).column, 4);
}

TEST(ImportText, DuplicateCustomerNamesFirstOccurrence) {
  Portfolio p;
  ImportReport report;
  EXPECT_FALSE(ImportText(p, Entity::kCustomers, "customer_id\nC1\nC2\nC1\n", "c.csv", {}, &report).ok());
  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_EQ(report.issues[0].line, 4);
  EXPECT_NE(report.issues[0].message.find("c.csv:2"), std::string::npos);
  EXPECT_EQ(p.customers().size(), 0u);
}

TEST(ImportText, RejectUnknownCustomersWhenAsked) {
  Portfolio p;
  ImportReport report;
  ImportOptions options;
  options.unknown_customers = UnknownReference::kReject;
  EXPECT_FALSE(ImportText(p, Entity::kContracts,
                          "customer_id,contract_id,start,end,value,auto_renew\n"
                          "X,K1,2024-01-01,2024-12-31,1200,sim\n",
                          "k.csv", options, &report).ok());
  options.unknown_customers = UnknownReference::kAuto;
  ASSERT_TRUE(ImportText(p, Entity::kContracts,
                         "customer_id,contract_id,start,end,value,auto_renew\n"
                         "X,K1,2024-01-01,2024-12-31,1200,sim\n",
                         "k.csv", options, &report).ok());
  EXPECT_EQ(p.contracts().value[0], 120000);
  EXPECT_EQ(p.contracts().auto_renew[0], 1);
}

TEST(ImportText, ContractEndingBeforeItStartsIsRejected) {
  Portfolio p;
  ImportReport report;
  EXPECT_FALSE(ImportText(p, Entity::kContracts, "customer_id,start,end\nX,2024-05-01,2024-01-01\n",
                          "k.csv", {}, &report).ok());
  EXPECT_EQ(report.issues.at(0).field, "end");
}

TEST(ImportDirectory, TheShippedSampleIsCleanAndComplete) {
  Portfolio p;
  ImportReport report;
  ASSERT_TRUE(ImportDirectory(p, CARTEIRA_SAMPLE_DIR, {}, &report).ok()) << report.Summary();
  EXPECT_EQ(report.issue_count, 0);
  auto lines = [](const std::string& name) {
    std::ifstream in(std::string(CARTEIRA_SAMPLE_DIR) + "/" + name);
    std::string line;
    std::int64_t n = 0;
    while (std::getline(in, line)) n += !line.empty();
    return n - 1;  // header
  };
  EXPECT_EQ(static_cast<std::int64_t>(p.customers().size()), lines("customers.csv"));
  EXPECT_EQ(static_cast<std::int64_t>(p.reps().size()), lines("reps.csv"));
  EXPECT_EQ(static_cast<std::int64_t>(p.transactions().size()), lines("transactions.csv"));
  EXPECT_EQ(static_cast<std::int64_t>(p.contracts().size()), lines("contracts.csv"));
  EXPECT_EQ(static_cast<std::int64_t>(p.interactions().size()), lines("interactions.csv"));
  EXPECT_EQ(static_cast<std::int64_t>(p.surveys().size()), lines("surveys.csv"));
  EXPECT_EQ(static_cast<std::int64_t>(p.assignments().size()), lines("assignments.csv"));
  EXPECT_EQ(p.customers().size(), 5000u);
  EXPECT_EQ(p.reps().size(), 25u);
  // Every customer has a current rep, and it is a known one.
  for (const RepIndex r : p.CurrentAssignments()) EXPECT_NE(r, kNoRep);
}

// Mangled input (random bytes changed, inserted or deleted in a valid file)
// must give a report or success, never a crash, and a failed strict import
// must leave the portfolio exactly as it was. Deterministic: fixed seed.
TEST(ImportText, SurvivesMangledInputAndNeverHalfApplies) {
  const std::string valid =
      "\xEF\xBB\xBF" "customer_id;date;amount;order_id;rep_id;category\r\n"
      "C1;05/02/2024;1.234,56;P1;R1;bebidas\r\n"
      "\"C;2\";2024-03-01;\"R$ 99,90\";P2;;\r\n"
      "C1;20240320;-10,00;P3;R1;limpeza\r\n";
  const std::string alphabet = ";,\"\r\n \t.0123456789/-R$abcC\xC3\xA3\xFF";
  std::mt19937 rng(2026);
  int failures = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text = valid;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const size_t at = rng() % text.size();
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0: text[at] = c; break;
        case 1: text.insert(text.begin() + static_cast<long>(at), c); break;
        default: text.erase(at, 1); break;
      }
    }
    Portfolio p;
    ImportReport seed;
    ASSERT_TRUE(ImportText(p, Entity::kCustomers, "customer_id\nC0\n", "c.csv", {}, &seed).ok());
    ImportReport report;
    const absl::Status s = ImportText(p, Entity::kTransactions, text, "t.csv", {}, &report);
    if (!s.ok()) {
      ++failures;
      EXPECT_EQ(p.transactions().size(), 0u);
      EXPECT_EQ(p.customers().size(), 1u);
      EXPECT_FALSE(report.applied);
      for (const ImportIssue& issue : report.issues) {
        EXPECT_EQ(issue.file, "t.csv");
        EXPECT_GE(issue.line, 1);
      }
    }
    ImportOptions lenient;
    lenient.mode = ImportMode::kLenient;
    ImportReport lenient_report;
    Portfolio q;
    const absl::Status l = ImportText(q, Entity::kTransactions, text, "t.csv", lenient, &lenient_report);
    if (l.ok()) {
      const auto& c = lenient_report.count(Entity::kTransactions);
      EXPECT_EQ(c.rows_read, c.rows_added + c.rows_rejected);
      EXPECT_EQ(static_cast<std::int64_t>(q.transactions().size()), c.rows_added);
    }
  }
  EXPECT_GT(failures, 100);  // the mangling does produce bad input
}

TEST(ImportDirectory, EmptyDirectoryIsNotFound) {
  TempDir dir;
  Portfolio p;
  ImportReport report;
  EXPECT_TRUE(absl::IsNotFound(ImportDirectory(p, dir.path(), {}, &report)));
}

}  // namespace
}  // namespace carteira
