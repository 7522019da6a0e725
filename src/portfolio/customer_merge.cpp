// Portfolio::MergeCustomers and the alias table: duplicates become one
// customer without losing a row of history or a field of the records.
#include <algorithm>
#include <new>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "carteira/core/strings.h"
#include "carteira/portfolio/portfolio.h"

namespace carteira {
namespace {

constexpr CustomerIndex kRetired = static_cast<CustomerIndex>(-1);

absl::Status MergeError(size_t merge, std::string_view field, std::string_view why) {
  return absl::InvalidArgumentError(StrCat("merge ", merge, ", field ", field, ": ", why));
}

void AppendRow(CustomerTable& t, const Customer& row) {
  const size_t index = t.size();
  t.id.Append(row.id);
  t.name.Append(row.name);
  t.document.Append(row.document);
  t.email.Append(row.email);
  t.phone.Append(row.phone);
  t.city.Append(row.city);
  t.state.Append(row.state);
  t.region.Append(row.region);
  t.segment.Append(row.segment);
  t.created_at.push_back(row.created_at ? ToDayNumber(*row.created_at) : kNoDay);
  t.key_account.push_back(row.key_account);
  t.delinquent.push_back(row.delinquent);
  for (const Attribute& a : row.attributes) {
    const size_t col = t.attributes.Ensure(a.name, index);
    t.attributes.mutable_column(col).Append(a.value);
  }
  t.attributes.Fill(index + 1);
}

// The survivor keeps its own values; a field it lacks takes the merged
// record's. Flags that warn (key account, delinquent) are kept if any had
// them, and the relationship began at the earliest known date.
void Absorb(Customer& survivor, const Customer& merged) {
  for (auto field : {&Customer::name, &Customer::document, &Customer::email, &Customer::phone,
                     &Customer::city, &Customer::state, &Customer::region, &Customer::segment}) {
    if ((survivor.*field).empty()) survivor.*field = merged.*field;
  }
  if (merged.created_at && (!survivor.created_at || *merged.created_at < *survivor.created_at)) {
    survivor.created_at = merged.created_at;
  }
  survivor.key_account |= merged.key_account;
  survivor.delinquent |= merged.delinquent;
  for (const Attribute& a : merged.attributes) {
    const bool has = std::any_of(survivor.attributes.begin(), survivor.attributes.end(),
                                 [&](const Attribute& s) { return s.name == a.name; });
    if (!has) survivor.attributes.push_back(a);
  }
}

void Remap(std::vector<CustomerIndex>& column, const std::vector<CustomerIndex>& to) {
  for (CustomerIndex& c : column) c = to[c];
}

}  // namespace

absl::Status Portfolio::MergeCustomers(std::span<const CustomerMerge> merges) {
  const size_t n = customers_.size();
  // survivor[c]: the index customer c merges into, or c itself.
  std::vector<CustomerIndex> survivor(n);
  for (size_t i = 0; i < n; ++i) survivor[i] = static_cast<CustomerIndex>(i);
  absl::flat_hash_set<CustomerIndex> seen;
  auto customer = [&](size_t m, std::string_view field,
                      std::string_view id) -> absl::StatusOr<CustomerIndex> {
    if (id.empty()) return MergeError(m, field, "is empty");
    auto it = customer_index_.find(AsAbsl(id));
    if (it == customer_index_.end()) {
      if (auto alias = FindCustomerAlias(id)) {
        return MergeError(m, field, StrCat("'", id, "' was already merged into '",
                                           customers_.id[aliases_.customer[*alias]], "'"));
      }
      return MergeError(m, field, StrCat("unknown customer '", id, "'"));
    }
    if (!seen.insert(it->second).second) {
      return MergeError(m, field, StrCat("customer '", id, "' appears twice in the merges"));
    }
    return it->second;
  };
  for (size_t m = 0; m < merges.size(); ++m) {
    const CustomerMerge& merge = merges[m];
    if (merge.merged_at.is_special()) return MergeError(m, "merged_at", "not a date");
    if (merge.merged_by.empty()) return MergeError(m, "merged_by", "is empty: say who merges");
    if (merge.merged.empty()) return MergeError(m, "merged", "names no customer");
    auto into = customer(m, "into", merge.into);
    if (!into.ok()) return into.status();
    for (const std::string& id : merge.merged) {
      auto merged = customer(m, "merged", id);
      if (!merged.ok()) return merged.status();
      survivor[*merged] = *into;
    }
  }

  // Everything below builds new tables beside the old ones and swaps them
  // in at the end, so a failure (out of memory) leaves the portfolio as it was.
  absl::flat_hash_map<CustomerIndex, Customer> survivors;
  for (size_t m = 0; m < merges.size(); ++m) {
    const CustomerIndex into = customer_index_.find(AsAbsl(merges[m].into))->second;
    survivors[into] = CustomerRecord(customers_, into);
    for (const std::string& id : merges[m].merged) {
      Absorb(survivors[into], CustomerRecord(customers_, customer_index_.find(AsAbsl(id))->second));
    }
  }
  std::vector<CustomerIndex> new_index(n, kRetired);
  CustomerTable kept;
  kept.attributes = customers_.attributes;  // same attribute names, in the same order
  kept.attributes.Truncate(0, kept.attributes.names().size());
  for (size_t i = 0; i < n; ++i) {
    if (survivor[i] != i) continue;
    new_index[i] = static_cast<CustomerIndex>(kept.size());
    const auto found = survivors.find(static_cast<CustomerIndex>(i));
    AppendRow(kept, found != survivors.end() ? found->second : CustomerRecord(customers_, i));
  }
  for (size_t i = 0; i < n; ++i) {
    if (survivor[i] != i) new_index[i] = new_index[survivor[i]];
  }

  CustomerAliasTable aliases = aliases_;
  CustomerTable merged_records = merged_customers_;
  for (size_t m = 0; m < merges.size(); ++m) {
    for (const std::string& id : merges[m].merged) {
      const CustomerIndex old = customer_index_.find(AsAbsl(id))->second;
      aliases.alias.Append(id);
      aliases.customer.push_back(old);  // remapped below with the rest
      aliases.merged_at.push_back(ToDayNumber(merges[m].merged_at));
      aliases.merged_by.Append(merges[m].merged_by);
      AppendRow(merged_records, CustomerRecord(customers_, old));
    }
  }
  auto transactions = transactions_.customer;
  auto contracts = contracts_.customer;
  auto interactions = interactions_.customer;
  auto surveys = surveys_.customer;
  auto assignments = assignments_.customer;
  for (auto* column : {&transactions, &contracts, &interactions, &surveys, &assignments,
                       &aliases.customer}) {
    Remap(*column, new_index);
  }
  absl::flat_hash_map<std::string, CustomerIndex> index;
  index.reserve(kept.size());
  for (size_t i = 0; i < kept.size(); ++i) {
    index.emplace(std::string(kept.id[i]), static_cast<CustomerIndex>(i));
  }
  absl::flat_hash_map<std::string, std::uint32_t> alias_index = alias_index_;
  for (size_t i = aliases_.size(); i < aliases.size(); ++i) {
    alias_index.emplace(std::string(aliases.alias[i]), static_cast<std::uint32_t>(i));
  }

  // Commit: moves only, nothing that can throw.
  customers_ = std::move(kept);
  transactions_.customer = std::move(transactions);
  contracts_.customer = std::move(contracts);
  interactions_.customer = std::move(interactions);
  surveys_.customer = std::move(surveys);
  assignments_.customer = std::move(assignments);
  aliases_ = std::move(aliases);
  merged_customers_ = std::move(merged_records);
  customer_index_ = std::move(index);
  alias_index_ = std::move(alias_index);
  ++merge_generation_;
  return absl::OkStatus();
}

absl::Status Portfolio::AddCustomerAliases(std::span<const CustomerAlias> rows,
                                           std::span<const Customer> records) {
  if (!records.empty() && records.size() != rows.size()) {
    return absl::InvalidArgumentError(StrCat("aliases: ", records.size(), " records for ",
                                             rows.size(), " aliases"));
  }
  // Validate the whole batch first: appending cannot fail then, short of
  // memory, and a checkpoint covers that.
  absl::flat_hash_set<std::string_view> batch;
  for (size_t i = 0; i < rows.size(); ++i) {
    const CustomerAlias& row = rows[i];
    auto error = [&](std::string_view field, std::string_view why) {
      return absl::InvalidArgumentError(StrCat("row ", i, ", field ", field, ": ", why));
    };
    if (row.alias.empty()) return error("alias", "is empty");
    if (customer_index_.contains(AsAbsl(row.alias))) {
      return error("alias", StrCat("'", row.alias, "' is a customer's own id"));
    }
    if (FindCustomerAlias(row.alias) || !batch.insert(row.alias).second) {
      return absl::AlreadyExistsError(
          StrCat("row ", i, ", field alias: duplicate alias '", row.alias, "'"));
    }
    if (!customer_index_.contains(AsAbsl(row.customer_id)) && !FindCustomerAlias(row.customer_id)) {
      return error("customer_id", StrCat("unknown customer '", row.customer_id, "'"));
    }
    if (row.merged_at.is_special()) return error("merged_at", "not a date");
  }
  const Checkpoint checkpoint = MakeCheckpoint();
  try {
    for (size_t i = 0; i < rows.size(); ++i) {
      const CustomerAlias& row = rows[i];
      aliases_.alias.Append(row.alias);
      aliases_.customer.push_back(*FindCustomer(row.customer_id));
      aliases_.merged_at.push_back(ToDayNumber(row.merged_at));
      aliases_.merged_by.Append(row.merged_by);
      if (records.empty()) {
        Customer bare;
        bare.id = row.alias;
        AppendRow(merged_customers_, bare);
      } else {
        Customer record = records[i];
        record.id = row.alias;
        AppendRow(merged_customers_, record);
      }
      alias_index_.emplace(row.alias, static_cast<std::uint32_t>(aliases_.size() - 1));
    }
  } catch (const std::bad_alloc&) {
    RollbackTo(checkpoint);
    return absl::ResourceExhaustedError("out of memory while adding aliases");
  }
  return absl::OkStatus();
}

}  // namespace carteira
