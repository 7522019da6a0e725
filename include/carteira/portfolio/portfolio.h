// The Portfolio ("carteira de clientes"): every customer, rep, transaction,
// contract, interaction, survey answer and assignment, kept columnar (one
// vector per field) so that the engines scan only the fields they read.
// Host ids (any string) map to dense indices; engines work on indices.
//
// Every Add* call is all-or-nothing: it validates the whole batch first and,
// should an allocation still fail while appending, rolls the tables back.
#ifndef CARTEIRA_PORTFOLIO_PORTFOLIO_H_
#define CARTEIRA_PORTFOLIO_PORTFOLIO_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "carteira/core/date.h"
#include "carteira/core/money.h"
#include "carteira/portfolio/code_column.h"
#include "carteira/portfolio/dictionary.h"
#include "carteira/portfolio/entities.h"
#include "carteira/portfolio/string_column.h"

namespace carteira {

using CustomerIndex = std::uint32_t;
using RepIndex = std::int32_t;  // -1 = none
inline constexpr RepIndex kNoRep = -1;

struct CustomerTable {
  StringColumn id, name, document, email, phone, city, state, region, segment;
  std::vector<DayNumber> created_at;  // kNoDay when unknown
  std::vector<std::uint8_t> key_account, delinquent;
  AttributeColumns attributes;
  size_t size() const { return id.size(); }
};

// Row `row` of a customer table as a record, attributes included (those
// with a value).
Customer CustomerRecord(const CustomerTable& table, size_t row);

struct RepTable {
  StringColumn id, name, region, team;
  std::vector<std::vector<std::string>> segments;
  std::vector<std::int32_t> capacity;
  std::vector<std::uint8_t> active;
  AttributeColumns attributes;
  size_t size() const { return id.size(); }
};

struct TransactionTable {
  std::vector<CustomerIndex> customer;
  std::vector<DayNumber> date;
  std::vector<MinorUnits> amount;
  StringColumn order_id;
  CodeColumn rep;       // RepIndex
  CodeColumn category;  // code in Portfolio::categories()
  AttributeColumns attributes;
  size_t size() const { return customer.size(); }
};

struct ContractTable {
  std::vector<CustomerIndex> customer;
  StringColumn contract_id;
  std::vector<DayNumber> start, end;
  std::vector<MinorUnits> value;
  std::vector<std::uint8_t> auto_renew;
  size_t size() const { return customer.size(); }
};

struct InteractionTable {
  std::vector<CustomerIndex> customer;
  CodeColumn rep;
  std::vector<DayNumber> date;
  CodeColumn channel;  // code in Portfolio::channels()
  CodeColumn outcome;  // code in Portfolio::outcomes()
  size_t size() const { return customer.size(); }
};

struct SurveyTable {
  std::vector<CustomerIndex> customer;
  std::vector<DayNumber> date;
  std::vector<std::int8_t> score;
  size_t size() const { return customer.size(); }
};

// Assignment history, in the order it was recorded.
struct AssignmentTable {
  std::vector<CustomerIndex> customer;
  std::vector<RepIndex> rep;
  std::vector<DayNumber> since;
  StringColumn reason;
  size_t size() const { return customer.size(); }
};

// Columnar transactions for the bulk path: customers by index, no string
// handling per row unless the optional columns are given. Optional spans are
// either empty or as long as `customer`.
struct TransactionColumns {
  std::span<const CustomerIndex> customer;
  std::span<const DayNumber> date;
  std::span<const MinorUnits> amount;
  std::span<const std::string_view> order_id;
  std::span<const RepIndex> rep;
  std::span<const std::string_view> category;
};

// Columnar customers for the bulk path. `id` is required; every other span is
// either empty (field absent) or as long as `id`.
struct CustomerColumns {
  std::span<const std::string_view> id, name, document, email, phone, city, state, region, segment;
  std::span<const DayNumber> created_at;
  std::span<const std::uint8_t> key_account, delinquent;
};

// Columnar reps. `id` is required; other spans empty (absent) or as long.
// `segments` holds each rep's segments separated by '|'.
struct RepColumns {
  std::span<const std::string_view> id, name, region, segments, team;
  std::span<const std::int32_t> capacity;
  std::span<const std::uint8_t> active;  // absent = active
};

// Columnar contracts, interactions, survey answers and assignments, by
// customer (and rep) index. Required spans are named in each comment;
// optional ones are empty or as long as `customer`.
struct ContractColumns {  // required: customer, start, end
  std::span<const CustomerIndex> customer;
  std::span<const std::string_view> contract_id;
  std::span<const DayNumber> start, end;
  std::span<const MinorUnits> value;
  std::span<const std::uint8_t> auto_renew;
};
struct InteractionColumns {  // required: customer, date
  std::span<const CustomerIndex> customer;
  std::span<const RepIndex> rep;
  std::span<const DayNumber> date;
  std::span<const std::string_view> channel, outcome;
};
struct SurveyColumns {  // required: customer, date, score
  std::span<const CustomerIndex> customer;
  std::span<const DayNumber> date;
  std::span<const std::int32_t> score;
};
struct AssignmentColumns {  // required: customer, rep, since
  std::span<const CustomerIndex> customer;
  std::span<const RepIndex> rep;
  std::span<const DayNumber> since;
  std::span<const std::string_view> reason;
};

// Ids of customers merged into another (Portfolio::MergeCustomers) or
// declared aliases: an alias still finds its customer, so that later
// imports keyed by an old id land on the surviving record. Row i of the
// portfolio's merged_customers() is the record alias i had when it was
// merged (a bare row holding only the id for an alias added by hand).
struct CustomerAliasTable {
  StringColumn alias;
  std::vector<CustomerIndex> customer;  // the customer the alias finds now
  std::vector<DayNumber> merged_at;
  StringColumn merged_by;  // who asked for the merge
  size_t size() const { return alias.size(); }
};

// One merge: every customer in `merged` becomes part of `into`.
struct CustomerMerge {
  std::string into;
  std::vector<std::string> merged;
  Date merged_at;
  std::string merged_by;
};

// An alias declared as such, e.g. read back from a file of past merges.
struct CustomerAlias {
  std::string alias;
  std::string customer_id;
  Date merged_at;
  std::string merged_by;
};

struct AddOptions {
  // A transaction, contract, interaction, survey answer or assignment naming
  // an unknown customer creates a bare customer (true) or is an error.
  bool create_missing_customers = true;
  // Same for unknown reps.
  bool create_missing_reps = true;
};

class Portfolio {
 public:
  Portfolio() = default;
  Portfolio(Portfolio&&) = default;
  Portfolio& operator=(Portfolio&&) = default;
  Portfolio(const Portfolio&) = delete;
  Portfolio& operator=(const Portfolio&) = delete;

  const CustomerTable& customers() const { return customers_; }
  const RepTable& reps() const { return reps_; }
  const TransactionTable& transactions() const { return transactions_; }
  const ContractTable& contracts() const { return contracts_; }
  const InteractionTable& interactions() const { return interactions_; }
  const SurveyTable& surveys() const { return surveys_; }
  const AssignmentTable& assignments() const { return assignments_; }
  const CustomerAliasTable& customer_aliases() const { return aliases_; }
  const CustomerTable& merged_customers() const { return merged_customers_; }
  const Dictionary& categories() const { return categories_; }
  const Dictionary& channels() const { return channels_; }
  const Dictionary& outcomes() const { return outcomes_; }

  // The customer with this id, or the one an alias of that id was merged into.
  std::optional<CustomerIndex> FindCustomer(std::string_view id) const;
  // The alias row of `id`, if `id` is an alias and no customer's own id.
  std::optional<size_t> FindCustomerAlias(std::string_view id) const;
  std::optional<RepIndex> FindRep(std::string_view id) const;
  // Row of the transaction with this order id, if any.
  std::optional<size_t> FindOrder(std::string_view order_id) const;

  // Each customer's current rep (the assignment with the latest `since`; the
  // later-recorded one on a tie), kNoRep when unassigned.
  std::vector<RepIndex> CurrentAssignments() const;

  // Row-oriented appends. Errors name the offending row (0-based in the batch)
  // and field; on error nothing is added.
  absl::Status AddCustomers(std::span<const Customer> rows);
  absl::Status AddReps(std::span<const Rep> rows);
  absl::Status AddTransactions(std::span<const Transaction> rows, const AddOptions& options = {});
  absl::Status AddContracts(std::span<const Contract> rows, const AddOptions& options = {});
  absl::Status AddInteractions(std::span<const Interaction> rows, const AddOptions& options = {});
  absl::Status AddSurveyAnswers(std::span<const SurveyAnswer> rows, const AddOptions& options = {});
  absl::Status AddAssignments(std::span<const Assignment> rows, const AddOptions& options = {});

  // Columnar bulk appends (the fast path; no call per row).
  absl::Status AppendCustomers(const CustomerColumns& columns);
  absl::Status AppendTransactions(const TransactionColumns& columns);

  absl::Status AppendReps(const RepColumns& columns);
  absl::Status AppendContracts(const ContractColumns& columns);
  absl::Status AppendInteractions(const InteractionColumns& columns);
  absl::Status AppendSurveyAnswers(const SurveyColumns& columns);
  absl::Status AppendAssignments(const AssignmentColumns& columns);

  // Finds each id, creating bare customers for the unknown ones; out[i] is
  // the index of ids[i]. Lets bulk callers turn host ids into indices once.
  absl::Status InternCustomers(std::span<const std::string_view> ids,
                               std::span<CustomerIndex> out);
  // The same for reps.
  absl::Status InternReps(std::span<const std::string_view> ids, std::span<RepIndex> out);

  // Merges customers: every transaction, contract, interaction, survey
  // answer and assignment of a merged customer moves to the surviving one;
  // the survivor's empty fields take the first non-empty value among the
  // merged records (its earliest created_at; key-account and delinquent
  // flags if any had them); each merged id becomes an alias, and its record
  // is kept as it was in merged_customers(). All merges of the batch or none.
  //
  // Customer indices change (the merged rows leave the customer table):
  // indices, results and checkpoints taken before a merge are void after it.
  absl::Status MergeCustomers(std::span<const CustomerMerge> merges);
  // Declares aliases (unknown customers are an error). Errors name the row.
  // `records` is empty (each alias keeps a bare record holding its id) or
  // as long as `rows`: the record each alias had when it was merged (as
  // read back from a store).
  absl::Status AddCustomerAliases(std::span<const CustomerAlias> rows,
                                  std::span<const Customer> records = {});

  // Bytes held by the tables (capacity, not size), for memory budgets.
  size_t MemoryBytes() const;

  // Counts the merges, which renumber the customers: what was computed by
  // customer index before one (a status engine, a table) compares it to
  // refuse working on the new numbering.
  std::uint64_t merge_generation() const { return merge_generation_; }

  // A point to roll back to: every table's size. Importers take one before a
  // multi-file load and roll back if the load fails as a whole.
  struct Checkpoint {
    size_t customers, reps, transactions, contracts, interactions, surveys, assignments;
    size_t categories, channels, outcomes;
    size_t customer_attributes, rep_attributes, transaction_attributes;
    size_t aliases;
  };
  Checkpoint MakeCheckpoint() const;
  void RollbackTo(const Checkpoint& checkpoint);

  // Low-level appends used by the importers after they validated a row.
  // They do no validation of their own beyond what keeps the tables sound.
  CustomerIndex AppendCustomerUnchecked(const Customer& row);
  CustomerIndex EnsureCustomer(std::string_view id);
  RepIndex AppendRepUnchecked(const Rep& row);
  RepIndex EnsureRep(std::string_view id);
  void AppendTransactionUnchecked(CustomerIndex customer, DayNumber date, MinorUnits amount,
                                  std::string_view order_id, RepIndex rep,
                                  std::string_view category,
                                  std::span<const Attribute> attributes);
  void AppendContractUnchecked(CustomerIndex customer, std::string_view contract_id,
                               DayNumber start, DayNumber end, MinorUnits value, bool auto_renew);
  void AppendInteractionUnchecked(CustomerIndex customer, RepIndex rep, DayNumber date,
                                  std::string_view channel, std::string_view outcome);
  void AppendSurveyUnchecked(CustomerIndex customer, DayNumber date, int score);
  void AppendAssignmentUnchecked(CustomerIndex customer, RepIndex rep, DayNumber since,
                                 std::string_view reason);

 private:
  absl::StatusOr<CustomerIndex> ResolveCustomer(std::string_view id, const AddOptions& options,
                                                size_t row);
  absl::StatusOr<RepIndex> ResolveRep(std::string_view id, const AddOptions& options, size_t row,
                                      bool required);
  // Runs `body`; if it fails or throws, rolls back to the state before it.
  template <typename Body>
  absl::Status Atomically(Body&& body);

  CustomerTable customers_;
  RepTable reps_;
  TransactionTable transactions_;
  ContractTable contracts_;
  InteractionTable interactions_;
  SurveyTable surveys_;
  AssignmentTable assignments_;
  Dictionary categories_, channels_, outcomes_;
  CustomerAliasTable aliases_;
  std::uint64_t merge_generation_ = 0;
  CustomerTable merged_customers_;  // row i: the record of aliases_ row i
  absl::flat_hash_map<std::string, CustomerIndex> customer_index_;
  absl::flat_hash_map<std::string, std::uint32_t> alias_index_;  // alias -> aliases_ row
  absl::flat_hash_map<std::string, RepIndex> rep_index_;
  absl::flat_hash_map<std::string, std::uint32_t> order_index_;  // order id -> transaction row
};

}  // namespace carteira

#endif  // CARTEIRA_PORTFOLIO_PORTFOLIO_H_
