#include "carteira/portfolio/portfolio.h"

#include <algorithm>
#include <exception>
#include <new>

#include "carteira/core/strings.h"
#include "absl/strings/str_join.h"

namespace carteira {
namespace {

absl::Status RowError(size_t row, std::string_view field, std::string_view why) {
  return absl::InvalidArgumentError(StrCat("row ", row, ", field ", field, ": ", why));
}

// A second row with an existing key: ALREADY_EXISTS, so that callers (and
// the C ABI) can tell it from malformed input.
absl::Status Duplicate(size_t row, std::string_view field, std::string_view what,
                       std::string_view id) {
  return absl::AlreadyExistsError(StrCat("row ", row, ", field ", field, ": duplicate ", what, " '",
                                         id, "'"));
}

absl::StatusOr<DayNumber> CheckDate(const Date& date, size_t row, std::string_view field) {
  if (date.is_special()) return RowError(row, field, "not a date");
  const int year = date.year();
  if (year < kMinYear || year > kMaxYear) {
    return RowError(row, field, StrCat("year ", year, " outside ", kMinYear, "..", kMaxYear));
  }
  return ToDayNumber(date);
}

bool DayInRange(DayNumber day) {
  return day >= DaysFromCivil(kMinYear, 1, 1) && day <= DaysFromCivil(kMaxYear, 12, 31);
}

template <typename T>
void Truncate(std::vector<T>& v, size_t n) {
  if (v.size() > n) v.resize(n);
}

void TruncateCustomers(CustomerTable& c, size_t rows) {
  for (StringColumn* col : {&c.id, &c.name, &c.document, &c.email, &c.phone, &c.city, &c.state,
                            &c.region, &c.segment}) {
    col->Truncate(rows);
  }
  Truncate(c.created_at, rows);
  Truncate(c.key_account, rows);
  Truncate(c.delinquent, rows);
  c.attributes.Truncate(rows, c.attributes.names().size());
}

template <typename T>
std::span<const T> OptionalSpan(std::span<const T> s, size_t i) {
  return s.empty() ? std::span<const T>() : s.subspan(i, 1);
}

}  // namespace

template <typename Body>
absl::Status Portfolio::Atomically(Body&& body) {
  const Checkpoint checkpoint = MakeCheckpoint();
  absl::Status status;
  try {
    status = body();
  } catch (const std::bad_alloc&) {
    status = absl::ResourceExhaustedError("out of memory while adding rows");
  } catch (const std::exception& e) {
    status = absl::InternalError(e.what());
  }
  if (!status.ok()) RollbackTo(checkpoint);
  return status;
}

std::optional<CustomerIndex> Portfolio::FindCustomer(std::string_view id) const {
  auto it = customer_index_.find(AsAbsl(id));
  if (it != customer_index_.end()) return it->second;
  if (auto alias = FindCustomerAlias(id)) return aliases_.customer[*alias];
  return std::nullopt;
}

std::optional<size_t> Portfolio::FindCustomerAlias(std::string_view id) const {
  if (alias_index_.empty()) return std::nullopt;
  auto it = alias_index_.find(AsAbsl(id));
  if (it == alias_index_.end()) return std::nullopt;
  return it->second;
}

std::optional<RepIndex> Portfolio::FindRep(std::string_view id) const {
  auto it = rep_index_.find(AsAbsl(id));
  if (it == rep_index_.end()) return std::nullopt;
  return it->second;
}

std::optional<size_t> Portfolio::FindOrder(std::string_view order_id) const {
  auto it = order_index_.find(AsAbsl(order_id));
  if (it == order_index_.end()) return std::nullopt;
  return it->second;
}

std::vector<RepIndex> Portfolio::CurrentAssignments() const {
  std::vector<RepIndex> current(customers_.size(), kNoRep);
  std::vector<DayNumber> since(customers_.size(), kNoDay);
  for (size_t i = 0; i < assignments_.size(); ++i) {
    const CustomerIndex c = assignments_.customer[i];
    if (assignments_.since[i] >= since[c]) {
      since[c] = assignments_.since[i];
      current[c] = assignments_.rep[i];
    }
  }
  return current;
}

Portfolio::Checkpoint Portfolio::MakeCheckpoint() const {
  return Checkpoint{customers_.size(),       reps_.size(),
                    transactions_.size(),    contracts_.size(),
                    interactions_.size(),    surveys_.size(),
                    assignments_.size(),     categories_.size(),
                    channels_.size(),        outcomes_.size(),
                    customers_.attributes.names().size(), reps_.attributes.names().size(),
                    transactions_.attributes.names().size(), aliases_.size()};
}

void Portfolio::RollbackTo(const Checkpoint& cp) {
  for (size_t i = cp.aliases; i < aliases_.size(); ++i) alias_index_.erase(AsAbsl(aliases_.alias[i]));
  aliases_.alias.Truncate(cp.aliases);
  Truncate(aliases_.customer, cp.aliases);
  Truncate(aliases_.merged_at, cp.aliases);
  aliases_.merged_by.Truncate(cp.aliases);
  TruncateCustomers(merged_customers_, cp.aliases);

  for (size_t i = cp.customers; i < customers_.size(); ++i) {
    customer_index_.erase(AsAbsl(customers_.id[i]));
  }
  TruncateCustomers(customers_, cp.customers);
  customers_.attributes.Truncate(cp.customers, cp.customer_attributes);

  for (size_t i = cp.reps; i < reps_.size(); ++i) rep_index_.erase(AsAbsl(reps_.id[i]));
  auto& r = reps_;
  for (StringColumn* col : {&r.id, &r.name, &r.region, &r.team}) col->Truncate(cp.reps);
  Truncate(r.segments, cp.reps);
  Truncate(r.capacity, cp.reps);
  Truncate(r.active, cp.reps);
  r.attributes.Truncate(cp.reps, cp.rep_attributes);

  auto& t = transactions_;
  if (!t.order_id.all_empty()) {
    for (size_t i = cp.transactions; i < t.order_id.size(); ++i) {
      auto it = order_index_.find(AsAbsl(t.order_id[i]));
      if (it != order_index_.end() && it->second == i) order_index_.erase(it);
    }
  }
  Truncate(t.customer, cp.transactions);
  Truncate(t.date, cp.transactions);
  Truncate(t.amount, cp.transactions);
  t.order_id.Truncate(cp.transactions);
  t.rep.Truncate(cp.transactions);
  t.category.Truncate(cp.transactions);
  t.attributes.Truncate(cp.transactions, cp.transaction_attributes);

  auto& k = contracts_;
  Truncate(k.customer, cp.contracts);
  k.contract_id.Truncate(cp.contracts);
  Truncate(k.start, cp.contracts);
  Truncate(k.end, cp.contracts);
  Truncate(k.value, cp.contracts);
  Truncate(k.auto_renew, cp.contracts);

  auto& n = interactions_;
  Truncate(n.customer, cp.interactions);
  n.rep.Truncate(cp.interactions);
  Truncate(n.date, cp.interactions);
  n.channel.Truncate(cp.interactions);
  n.outcome.Truncate(cp.interactions);

  Truncate(surveys_.customer, cp.surveys);
  Truncate(surveys_.date, cp.surveys);
  Truncate(surveys_.score, cp.surveys);

  auto& a = assignments_;
  Truncate(a.customer, cp.assignments);
  Truncate(a.rep, cp.assignments);
  Truncate(a.since, cp.assignments);
  a.reason.Truncate(cp.assignments);

  categories_.Truncate(cp.categories);
  channels_.Truncate(cp.channels);
  outcomes_.Truncate(cp.outcomes);
}

size_t Portfolio::MemoryBytes() const {
  auto vec = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
  const auto& c = customers_;
  size_t total = 0;
  for (const StringColumn* col : {&c.id, &c.name, &c.document, &c.email, &c.phone, &c.city,
                                  &c.state, &c.region, &c.segment}) {
    total += col->MemoryBytes();
  }
  total += vec(c.created_at) + vec(c.key_account) + vec(c.delinquent) + c.attributes.MemoryBytes();
  const auto& t = transactions_;
  total += vec(t.customer) + vec(t.date) + vec(t.amount) + t.order_id.MemoryBytes() +
           t.rep.MemoryBytes() + t.category.MemoryBytes() + t.attributes.MemoryBytes();
  const auto& k = contracts_;
  total += vec(k.customer) + k.contract_id.MemoryBytes() + vec(k.start) + vec(k.end) +
           vec(k.value) + vec(k.auto_renew);
  const auto& n = interactions_;
  total += vec(n.customer) + n.rep.MemoryBytes() + vec(n.date) + n.channel.MemoryBytes() +
           n.outcome.MemoryBytes();
  total += vec(surveys_.customer) + vec(surveys_.date) + vec(surveys_.score);
  total += vec(assignments_.customer) + vec(assignments_.rep) + vec(assignments_.since) +
           assignments_.reason.MemoryBytes();
  // Hash maps: one slot (key + value + control byte) per capacity.
  total += customer_index_.capacity() * (sizeof(std::string) + sizeof(CustomerIndex) + 1);
  total += rep_index_.capacity() * (sizeof(std::string) + sizeof(RepIndex) + 1);
  total += order_index_.capacity() * (sizeof(std::string) + sizeof(std::uint32_t) + 1);
  return total;
}

CustomerIndex Portfolio::AppendCustomerUnchecked(const Customer& row) {
  const auto index = static_cast<CustomerIndex>(customers_.size());
  auto& c = customers_;
  c.id.Append(row.id);
  c.name.Append(row.name);
  c.document.Append(row.document);
  c.email.Append(row.email);
  c.phone.Append(row.phone);
  c.city.Append(row.city);
  c.state.Append(row.state);
  c.region.Append(row.region);
  c.segment.Append(row.segment);
  c.created_at.push_back(row.created_at ? ToDayNumber(*row.created_at) : kNoDay);
  c.key_account.push_back(row.key_account);
  c.delinquent.push_back(row.delinquent);
  for (const Attribute& a : row.attributes) {
    const size_t col = c.attributes.Ensure(a.name, index);
    c.attributes.mutable_column(col).Append(a.value);
  }
  c.attributes.Fill(index + 1);
  customer_index_.emplace(row.id, index);
  return index;
}

CustomerIndex Portfolio::EnsureCustomer(std::string_view id) {
  // One hash probe for both the lookup and the insert: bulk loads of a
  // million ids are bound by these probes' cache misses.
  if (auto alias = FindCustomerAlias(id)) return aliases_.customer[*alias];
  const auto index = static_cast<CustomerIndex>(customers_.size());
  const auto [it, inserted] = customer_index_.try_emplace(std::string(id), index);
  if (!inserted) return it->second;
  auto& c = customers_;
  c.id.Append(id);
  for (StringColumn* col : {&c.name, &c.document, &c.email, &c.phone, &c.city, &c.state, &c.region,
                            &c.segment}) {
    col->AppendEmpty(1);
  }
  c.created_at.push_back(kNoDay);
  c.key_account.push_back(0);
  c.delinquent.push_back(0);
  c.attributes.Fill(c.size());
  return index;
}

RepIndex Portfolio::AppendRepUnchecked(const Rep& row) {
  const auto index = static_cast<RepIndex>(reps_.size());
  reps_.id.Append(row.id);
  reps_.name.Append(row.name);
  reps_.region.Append(row.region);
  reps_.team.Append(row.team);
  reps_.segments.push_back(row.segments);
  reps_.capacity.push_back(row.capacity);
  reps_.active.push_back(row.active);
  for (const Attribute& a : row.attributes) {
    const size_t col = reps_.attributes.Ensure(a.name, static_cast<size_t>(index));
    reps_.attributes.mutable_column(col).Append(a.value);
  }
  reps_.attributes.Fill(static_cast<size_t>(index) + 1);
  rep_index_.emplace(row.id, index);
  return index;
}

RepIndex Portfolio::EnsureRep(std::string_view id) {
  if (auto found = FindRep(id)) return *found;
  Rep bare;
  bare.id = std::string(id);
  return AppendRepUnchecked(bare);
}

void Portfolio::AppendTransactionUnchecked(CustomerIndex customer, DayNumber date,
                                           MinorUnits amount, std::string_view order_id,
                                           RepIndex rep, std::string_view category,
                                           std::span<const Attribute> attributes) {
  auto& t = transactions_;
  const size_t row = t.size();
  t.customer.push_back(customer);
  t.date.push_back(date);
  t.amount.push_back(amount);
  t.order_id.Append(order_id);
  t.rep.Append(rep);
  t.category.Append(categories_.Intern(category));
  for (const Attribute& a : attributes) {
    const size_t col = t.attributes.Ensure(a.name, row);
    t.attributes.mutable_column(col).Append(a.value);
  }
  t.attributes.Fill(row + 1);
  if (!order_id.empty()) order_index_.emplace(std::string(order_id), static_cast<std::uint32_t>(row));
}

void Portfolio::AppendContractUnchecked(CustomerIndex customer, std::string_view contract_id,
                                        DayNumber start, DayNumber end, MinorUnits value,
                                        bool auto_renew) {
  contracts_.customer.push_back(customer);
  contracts_.contract_id.Append(contract_id);
  contracts_.start.push_back(start);
  contracts_.end.push_back(end);
  contracts_.value.push_back(value);
  contracts_.auto_renew.push_back(auto_renew);
}

void Portfolio::AppendInteractionUnchecked(CustomerIndex customer, RepIndex rep, DayNumber date,
                                           std::string_view channel, std::string_view outcome) {
  interactions_.customer.push_back(customer);
  interactions_.rep.Append(rep);
  interactions_.date.push_back(date);
  interactions_.channel.Append(channels_.Intern(channel));
  interactions_.outcome.Append(outcomes_.Intern(outcome));
}

void Portfolio::AppendSurveyUnchecked(CustomerIndex customer, DayNumber date, int score) {
  surveys_.customer.push_back(customer);
  surveys_.date.push_back(date);
  surveys_.score.push_back(static_cast<std::int8_t>(score));
}

void Portfolio::AppendAssignmentUnchecked(CustomerIndex customer, RepIndex rep, DayNumber since,
                                          std::string_view reason) {
  assignments_.customer.push_back(customer);
  assignments_.rep.push_back(rep);
  assignments_.since.push_back(since);
  assignments_.reason.Append(reason);
}

absl::StatusOr<CustomerIndex> Portfolio::ResolveCustomer(std::string_view id,
                                                         const AddOptions& options, size_t row) {
  if (id.empty()) return RowError(row, "customer_id", "is empty");
  if (auto found = FindCustomer(id)) return *found;
  if (!options.create_missing_customers) {
    return RowError(row, "customer_id", StrCat("unknown customer '", id, "'"));
  }
  return EnsureCustomer(id);
}

absl::StatusOr<RepIndex> Portfolio::ResolveRep(std::string_view id, const AddOptions& options,
                                               size_t row, bool required) {
  if (id.empty()) {
    if (required) return RowError(row, "rep_id", "is empty");
    return kNoRep;
  }
  if (auto found = FindRep(id)) return *found;
  if (!options.create_missing_reps) {
    return RowError(row, "rep_id", StrCat("unknown rep '", id, "'"));
  }
  return EnsureRep(id);
}

absl::Status Portfolio::AddCustomers(std::span<const Customer> rows) {
  return Atomically([&]() -> absl::Status {
    for (size_t i = 0; i < rows.size(); ++i) {
      const Customer& row = rows[i];
      if (row.id.empty()) return RowError(i, "customer_id", "is empty");
      if (FindCustomer(row.id)) {
        return Duplicate(i, "customer_id", "customer", row.id);
      }
      if (row.created_at) {
        if (auto d = CheckDate(*row.created_at, i, "created_at"); !d.ok()) return d.status();
      }
      AppendCustomerUnchecked(row);
    }
    return absl::OkStatus();
  });
}

absl::Status Portfolio::AddReps(std::span<const Rep> rows) {
  return Atomically([&]() -> absl::Status {
    for (size_t i = 0; i < rows.size(); ++i) {
      const Rep& row = rows[i];
      if (row.id.empty()) return RowError(i, "rep_id", "is empty");
      if (FindRep(row.id)) return Duplicate(i, "rep_id", "rep", row.id);
      if (row.capacity < 0) return RowError(i, "capacity", "is negative");
      AppendRepUnchecked(row);
    }
    return absl::OkStatus();
  });
}

absl::Status Portfolio::AddTransactions(std::span<const Transaction> rows,
                                        const AddOptions& options) {
  return Atomically([&]() -> absl::Status {
    for (size_t i = 0; i < rows.size(); ++i) {
      const Transaction& row = rows[i];
      auto date = CheckDate(row.date, i, "date");
      if (!date.ok()) return date.status();
      if (!row.order_id.empty() && FindOrder(row.order_id)) {
        return Duplicate(i, "order_id", "order", row.order_id);
      }
      auto customer = ResolveCustomer(row.customer_id, options, i);
      if (!customer.ok()) return customer.status();
      auto rep = ResolveRep(row.rep_id, options, i, /*required=*/false);
      if (!rep.ok()) return rep.status();
      AppendTransactionUnchecked(*customer, *date, row.amount, row.order_id, *rep, row.category,
                                 row.attributes);
    }
    return absl::OkStatus();
  });
}

absl::Status Portfolio::AddContracts(std::span<const Contract> rows, const AddOptions& options) {
  return Atomically([&]() -> absl::Status {
    for (size_t i = 0; i < rows.size(); ++i) {
      const Contract& row = rows[i];
      auto start = CheckDate(row.start, i, "start");
      if (!start.ok()) return start.status();
      auto end = CheckDate(row.end, i, "end");
      if (!end.ok()) return end.status();
      if (*end < *start) return RowError(i, "end", "is before start");
      auto customer = ResolveCustomer(row.customer_id, options, i);
      if (!customer.ok()) return customer.status();
      AppendContractUnchecked(*customer, row.contract_id, *start, *end, row.value, row.auto_renew);
    }
    return absl::OkStatus();
  });
}

absl::Status Portfolio::AddInteractions(std::span<const Interaction> rows,
                                        const AddOptions& options) {
  return Atomically([&]() -> absl::Status {
    for (size_t i = 0; i < rows.size(); ++i) {
      const Interaction& row = rows[i];
      auto date = CheckDate(row.date, i, "date");
      if (!date.ok()) return date.status();
      auto customer = ResolveCustomer(row.customer_id, options, i);
      if (!customer.ok()) return customer.status();
      auto rep = ResolveRep(row.rep_id, options, i, /*required=*/false);
      if (!rep.ok()) return rep.status();
      AppendInteractionUnchecked(*customer, *rep, *date, row.channel, row.outcome);
    }
    return absl::OkStatus();
  });
}

absl::Status Portfolio::AddSurveyAnswers(std::span<const SurveyAnswer> rows,
                                         const AddOptions& options) {
  return Atomically([&]() -> absl::Status {
    for (size_t i = 0; i < rows.size(); ++i) {
      const SurveyAnswer& row = rows[i];
      auto date = CheckDate(row.date, i, "date");
      if (!date.ok()) return date.status();
      if (row.score < 0 || row.score > 10) return RowError(i, "score", "is not 0..10");
      auto customer = ResolveCustomer(row.customer_id, options, i);
      if (!customer.ok()) return customer.status();
      AppendSurveyUnchecked(*customer, *date, row.score);
    }
    return absl::OkStatus();
  });
}

absl::Status Portfolio::AddAssignments(std::span<const Assignment> rows,
                                       const AddOptions& options) {
  return Atomically([&]() -> absl::Status {
    for (size_t i = 0; i < rows.size(); ++i) {
      const Assignment& row = rows[i];
      auto since = CheckDate(row.since, i, "since");
      if (!since.ok()) return since.status();
      auto customer = ResolveCustomer(row.customer_id, options, i);
      if (!customer.ok()) return customer.status();
      auto rep = ResolveRep(row.rep_id, options, i, /*required=*/true);
      if (!rep.ok()) return rep.status();
      AppendAssignmentUnchecked(*customer, *rep, *since, row.reason);
    }
    return absl::OkStatus();
  });
}

absl::Status Portfolio::InternCustomers(std::span<const std::string_view> ids,
                                        std::span<CustomerIndex> out) {
  if (out.size() != ids.size()) {
    return absl::InvalidArgumentError("InternCustomers: output span length differs from ids");
  }
  return Atomically([&]() -> absl::Status {
    // One reservation instead of a rehash every time the map doubles.
    const size_t most = customers_.size() + ids.size();
    customer_index_.reserve(most);
    customers_.created_at.reserve(most);
    customers_.key_account.reserve(most);
    customers_.delinquent.reserve(most);
    for (size_t i = 0; i < ids.size(); ++i) {
      if (ids[i].empty()) return RowError(i, "customer_id", "is empty");
      out[i] = EnsureCustomer(ids[i]);
    }
    return absl::OkStatus();
  });
}

absl::Status Portfolio::AppendCustomers(const CustomerColumns& in) {
  const size_t n = in.id.size();
  auto check_len = [n](size_t len, std::string_view field) -> absl::Status {
    if (len != 0 && len != n) {
      return absl::InvalidArgumentError(
          StrCat("column ", field, " has ", len, " rows but customer_id has ", n));
    }
    return absl::OkStatus();
  };
  for (auto [len, field] : {std::pair<size_t, std::string_view>{in.name.size(), "name"},
                            {in.document.size(), "document"},
                            {in.email.size(), "email"},
                            {in.phone.size(), "phone"},
                            {in.city.size(), "city"},
                            {in.state.size(), "state"},
                            {in.region.size(), "region"},
                            {in.segment.size(), "segment"},
                            {in.created_at.size(), "created_at"},
                            {in.key_account.size(), "key_account"},
                            {in.delinquent.size(), "delinquent"}}) {
    if (auto s = check_len(len, field); !s.ok()) return s;
  }
  auto at = [](std::span<const std::string_view> col, size_t i) {
    return col.empty() ? std::string_view() : col[i];
  };
  return Atomically([&]() -> absl::Status {
    auto& c = customers_;
    const size_t base = c.size();
    customer_index_.reserve(base + n);
    c.created_at.reserve(base + n);
    c.key_account.reserve(base + n);
    c.delinquent.reserve(base + n);
    for (size_t i = 0; i < n; ++i) {
      const std::string_view id = in.id[i];
      if (id.empty()) return RowError(i, "customer_id", "is empty");
      if (!in.created_at.empty() && in.created_at[i] != kNoDay && !DayInRange(in.created_at[i])) {
        return RowError(i, "created_at", "outside the accepted years");
      }
      const auto index = static_cast<CustomerIndex>(c.size());
      if (FindCustomerAlias(id) || !customer_index_.emplace(std::string(id), index).second) {
        return Duplicate(i, "customer_id", "customer", id);
      }
      c.id.Append(id);
      c.name.Append(at(in.name, i));
      c.document.Append(at(in.document, i));
      c.email.Append(at(in.email, i));
      c.phone.Append(at(in.phone, i));
      c.city.Append(at(in.city, i));
      c.state.Append(at(in.state, i));
      c.region.Append(at(in.region, i));
      c.segment.Append(at(in.segment, i));
      c.created_at.push_back(in.created_at.empty() ? kNoDay : in.created_at[i]);
      c.key_account.push_back(in.key_account.empty() ? 0 : in.key_account[i] != 0);
      c.delinquent.push_back(in.delinquent.empty() ? 0 : in.delinquent[i] != 0);
    }
    c.attributes.Fill(c.size());
    return absl::OkStatus();
  });
}

absl::Status Portfolio::AppendTransactions(const TransactionColumns& in) {
  const size_t n = in.customer.size();
  if (in.date.size() != n || in.amount.size() != n) {
    return absl::InvalidArgumentError(StrCat("transaction columns differ in length: customer ",
                                                   n, ", date ", in.date.size(), ", amount ",
                                                   in.amount.size()));
  }
  if ((!in.order_id.empty() && in.order_id.size() != n) || (!in.rep.empty() && in.rep.size() != n) ||
      (!in.category.empty() && in.category.size() != n)) {
    return absl::InvalidArgumentError(
        "optional transaction columns (order_id, rep, category) must be empty or as long as "
        "customer");
  }
  // Validate everything before touching the tables: the common case appends
  // with bulk inserts, no per-row bookkeeping.
  const auto customer_count = static_cast<CustomerIndex>(customers_.size());
  const DayNumber min_day = DaysFromCivil(kMinYear, 1, 1);
  const DayNumber max_day = DaysFromCivil(kMaxYear, 12, 31);
  const auto rep_count = static_cast<RepIndex>(reps_.size());
  size_t bad = n;
  for (size_t i = 0; i < n; ++i) {
    const bool ok = (in.customer[i] < customer_count) & (in.date[i] >= min_day) &
                    (in.date[i] <= max_day);
    if (!ok) {
      bad = i;
      break;
    }
  }
  if (bad != n) {
    if (in.customer[bad] >= customer_count) {
      return RowError(bad, "customer_index", StrCat("index ", in.customer[bad], " is not below ",
                                                    customer_count, " customers"));
    }
    return RowError(bad, "date", StrCat("day ", in.date[bad], " outside the accepted years"));
  }
  for (size_t i = 0; i < in.rep.size(); ++i) {
    if (in.rep[i] < kNoRep || in.rep[i] >= rep_count) {
      return RowError(i, "rep_index", StrCat("index ", in.rep[i], " is not a rep"));
    }
  }
  return Atomically([&]() -> absl::Status {
    auto& t = transactions_;
    const size_t base = t.size();
    t.customer.insert(t.customer.end(), in.customer.begin(), in.customer.end());
    t.date.insert(t.date.end(), in.date.begin(), in.date.end());
    t.amount.insert(t.amount.end(), in.amount.begin(), in.amount.end());
    if (in.order_id.empty()) {
      t.order_id.AppendEmpty(n);
    } else {
      for (size_t i = 0; i < n; ++i) {
        const std::string_view order = in.order_id[i];
        if (!order.empty() &&
            !order_index_.emplace(std::string(order), static_cast<std::uint32_t>(base + i)).second) {
          return Duplicate(i, "order_id", "order", order);
        }
        t.order_id.Append(order);
      }
    }
    if (in.rep.empty()) {
      t.rep.AppendNone(n);
    } else {
      for (const RepIndex r : in.rep) t.rep.Append(r);
    }
    if (in.category.empty()) {
      t.category.AppendNone(n);
    } else {
      for (const std::string_view cat : in.category) t.category.Append(categories_.Intern(cat));
    }
    t.attributes.Fill(t.size());
    return absl::OkStatus();
  });
}

namespace {

// Checks that every optional column is empty or `n` long and every required
// one is `n` long; names the first that is not.
absl::Status CheckLengths(size_t n, std::initializer_list<std::pair<size_t, std::string_view>> required,
                          std::initializer_list<std::pair<size_t, std::string_view>> optional) {
  for (const auto& [len, field] : required) {
    if (len != n) {
      return absl::InvalidArgumentError(
          StrCat("column ", field, " has ", len, " rows, expected ", n));
    }
  }
  for (const auto& [len, field] : optional) {
    if (len != 0 && len != n) {
      return absl::InvalidArgumentError(
          StrCat("column ", field, " has ", len, " rows, expected 0 or ", n));
    }
  }
  return absl::OkStatus();
}

template <typename T>
T At(std::span<const T> column, size_t i, T fallback) {
  return column.empty() ? fallback : column[i];
}

}  // namespace

absl::Status Portfolio::AppendReps(const RepColumns& in) {
  const size_t n = in.id.size();
  if (auto s = CheckLengths(n, {}, {{in.name.size(), "name"}, {in.region.size(), "region"},
                                    {in.segments.size(), "segments"}, {in.team.size(), "team"},
                                    {in.capacity.size(), "capacity"}, {in.active.size(), "active"}});
      !s.ok()) {
    return s;
  }
  std::vector<Rep> rows(n);
  for (size_t i = 0; i < n; ++i) {
    Rep& r = rows[i];
    r.id = std::string(in.id[i]);
    r.name = std::string(At(in.name, i, std::string_view()));
    r.region = std::string(At(in.region, i, std::string_view()));
    r.team = std::string(At(in.team, i, std::string_view()));
    const std::string_view segments = At(in.segments, i, std::string_view());
    for (size_t from = 0; from < segments.size();) {
      const size_t bar = std::min(segments.find('|', from), segments.size());
      if (bar > from) r.segments.emplace_back(segments.substr(from, bar - from));
      from = bar + 1;
    }
    r.capacity = At(in.capacity, i, std::int32_t{0});
    r.active = At(in.active, i, std::uint8_t{1}) != 0;
  }
  return AddReps(rows);
}

absl::Status Portfolio::AppendContracts(const ContractColumns& in) {
  const size_t n = in.customer.size();
  if (auto s = CheckLengths(n, {{in.start.size(), "start"}, {in.end.size(), "end"}},
                            {{in.contract_id.size(), "contract_id"}, {in.value.size(), "value"},
                             {in.auto_renew.size(), "auto_renew"}});
      !s.ok()) {
    return s;
  }
  const auto customers = static_cast<CustomerIndex>(customers_.size());
  for (size_t i = 0; i < n; ++i) {
    if (in.customer[i] >= customers) return RowError(i, "customer_index", "is not a customer index");
    if (!DayInRange(in.start[i])) return RowError(i, "start", "outside the accepted years");
    if (!DayInRange(in.end[i])) return RowError(i, "end", "outside the accepted years");
    if (in.end[i] < in.start[i]) return RowError(i, "end", "is before start");
  }
  return Atomically([&]() -> absl::Status {
    for (size_t i = 0; i < n; ++i) {
      AppendContractUnchecked(in.customer[i], At(in.contract_id, i, std::string_view()), in.start[i],
                              in.end[i], At(in.value, i, MinorUnits{0}),
                              At(in.auto_renew, i, std::uint8_t{0}) != 0);
    }
    return absl::OkStatus();
  });
}

absl::Status Portfolio::AppendInteractions(const InteractionColumns& in) {
  const size_t n = in.customer.size();
  if (auto s = CheckLengths(n, {{in.date.size(), "date"}},
                            {{in.rep.size(), "rep_index"}, {in.channel.size(), "channel"},
                             {in.outcome.size(), "outcome"}});
      !s.ok()) {
    return s;
  }
  const auto customers = static_cast<CustomerIndex>(customers_.size());
  const auto reps = static_cast<RepIndex>(reps_.size());
  for (size_t i = 0; i < n; ++i) {
    if (in.customer[i] >= customers) return RowError(i, "customer_index", "is not a customer index");
    if (!DayInRange(in.date[i])) return RowError(i, "date", "outside the accepted years");
    const RepIndex r = At(in.rep, i, kNoRep);
    if (r < kNoRep || r >= reps) return RowError(i, "rep_index", "is not a rep index");
  }
  return Atomically([&]() -> absl::Status {
    for (size_t i = 0; i < n; ++i) {
      AppendInteractionUnchecked(in.customer[i], At(in.rep, i, kNoRep), in.date[i],
                                 At(in.channel, i, std::string_view()),
                                 At(in.outcome, i, std::string_view()));
    }
    return absl::OkStatus();
  });
}

absl::Status Portfolio::AppendSurveyAnswers(const SurveyColumns& in) {
  const size_t n = in.customer.size();
  if (auto s = CheckLengths(n, {{in.date.size(), "date"}, {in.score.size(), "score"}}, {});
      !s.ok()) {
    return s;
  }
  const auto customers = static_cast<CustomerIndex>(customers_.size());
  for (size_t i = 0; i < n; ++i) {
    if (in.customer[i] >= customers) return RowError(i, "customer_index", "is not a customer index");
    if (!DayInRange(in.date[i])) return RowError(i, "date", "outside the accepted years");
    if (in.score[i] < 0 || in.score[i] > 10) return RowError(i, "score", "is not 0..10");
  }
  return Atomically([&]() -> absl::Status {
    for (size_t i = 0; i < n; ++i) AppendSurveyUnchecked(in.customer[i], in.date[i], in.score[i]);
    return absl::OkStatus();
  });
}

absl::Status Portfolio::AppendAssignments(const AssignmentColumns& in) {
  const size_t n = in.customer.size();
  if (auto s = CheckLengths(n, {{in.rep.size(), "rep_index"}, {in.since.size(), "since"}},
                            {{in.reason.size(), "reason"}});
      !s.ok()) {
    return s;
  }
  const auto customers = static_cast<CustomerIndex>(customers_.size());
  const auto reps = static_cast<RepIndex>(reps_.size());
  for (size_t i = 0; i < n; ++i) {
    if (in.customer[i] >= customers) return RowError(i, "customer_index", "is not a customer index");
    if (in.rep[i] < 0 || in.rep[i] >= reps) return RowError(i, "rep_index", "is not a rep index");
    if (!DayInRange(in.since[i])) return RowError(i, "since", "outside the accepted years");
  }
  return Atomically([&]() -> absl::Status {
    for (size_t i = 0; i < n; ++i) {
      AppendAssignmentUnchecked(in.customer[i], in.rep[i], in.since[i],
                                At(in.reason, i, std::string_view()));
    }
    return absl::OkStatus();
  });
}

absl::Status Portfolio::InternReps(std::span<const std::string_view> ids, std::span<RepIndex> out) {
  if (out.size() != ids.size()) {
    return absl::InvalidArgumentError("InternReps: output span length differs from ids");
  }
  return Atomically([&]() -> absl::Status {
    for (size_t i = 0; i < ids.size(); ++i) {
      if (ids[i].empty()) return RowError(i, "rep_id", "is empty");
      out[i] = EnsureRep(ids[i]);
    }
    return absl::OkStatus();
  });
}

Customer CustomerRecord(const CustomerTable& t, size_t i) {
  Customer c;
  c.id = std::string(t.id[i]);
  c.name = std::string(t.name[i]);
  c.document = std::string(t.document[i]);
  c.email = std::string(t.email[i]);
  c.phone = std::string(t.phone[i]);
  c.city = std::string(t.city[i]);
  c.state = std::string(t.state[i]);
  c.region = std::string(t.region[i]);
  c.segment = std::string(t.segment[i]);
  if (t.created_at[i] != kNoDay) c.created_at = ToDate(t.created_at[i]);
  c.key_account = t.key_account[i] != 0;
  c.delinquent = t.delinquent[i] != 0;
  for (size_t a = 0; a < t.attributes.names().size(); ++a) {
    const std::string_view v = t.attributes.column(a)[i];
    if (!v.empty()) c.attributes.push_back({t.attributes.names()[a], std::string(v)});
  }
  return c;
}

}  // namespace carteira
