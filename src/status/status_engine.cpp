#include "carteira/status/status_engine.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "carteira/core/strings.h"
#include "carteira/summary/purchase_history.h"
#include "src/core/huge_pages.h"
#include "src/core/parallel.h"
#include "src/status/change_walk.h"
#include "src/status/decide.h"

namespace carteira {

using status_internal::ContractRef;
using status_internal::CustomerInput;
using status_internal::Decide;
using status_internal::kNever;
using status_internal::MedianGap;
using status_internal::Verdict;
using status_internal::WalkChanges;

struct StatusEngine::Impl {
  const Portfolio* portfolio = nullptr;
  std::uint64_t merge_generation = 0;  // the portfolio's when the engine was made
  size_t transactions = 0;             // the portfolio's transaction rows then
  std::shared_ptr<const StatusPolicy> policy;

  // Customers merged since the engine was made renumber the portfolio: the
  // engine's per-customer arrays no longer match it.
  absl::Status CheckNotMerged() const {
    if (portfolio->merge_generation() == merge_generation) return absl::OkStatus();
    return absl::FailedPreconditionError(
        "status: customers were merged in the portfolio after this engine was made; make a new engine");
  }
  PurchaseHistory history;
  std::vector<std::int16_t> scope;           // per customer: policy segment, -1 = defaults
  std::vector<std::uint8_t> customer_flags;  // per customer: delinquent, key_account
  std::vector<ContractRef> contracts;        // grouped by customer, by start
  std::vector<std::uint32_t> contract_offsets;
  std::vector<std::unique_ptr<StatusRule>> plugins;
  // The plugins' fields: names in registration order, and where each
  // plugin's start (field_start[i] .. field_start[i + 1]).
  std::vector<std::string> field_names;
  std::vector<size_t> field_start{0};
  std::vector<DayNumber> comebacks;  // ComebackDays of each customer, grouped
  std::vector<std::uint64_t> comeback_offsets;
  // The median gap of each customer's whole history: what a classification
  // as of a date after the last purchase (the usual case: as of today)
  // would compute again for every customer.
  std::vector<double> whole_median;

  // MedianGap of `days`, a prefix of customer c's purchase-days.
  double Median(CustomerIndex c, std::span<const DayNumber> days, std::vector<DayNumber>& scratch) const {
    if (days.size() == history.days(c).size()) return whole_median[c];
    return MedianGap(days, scratch);
  }

  const StatusRules& RulesOf(CustomerIndex c) const {
    return scope[c] < 0 ? policy->defaults : policy->segments[static_cast<size_t>(scope[c])].rules;
  }
  std::span<const ContractRef> ContractsOf(CustomerIndex c) const {
    return {contracts.data() + contract_offsets[c], contract_offsets[c + 1] - contract_offsets[c]};
  }
  CustomerInput Input(CustomerIndex c, std::span<const DayNumber> days, double median) const {
    CustomerInput in{days, median, customer_flags[c], &RulesOf(c), ContractsOf(c), true, {}};
    in.comebacks = {comebacks.data() + comeback_offsets[c], comeback_offsets[c + 1] - comeback_offsets[c]};
    return in;
  }

  // Runs the plugin rules over a built-in verdict. `notes` receives what
  // they said (empty if nothing); `fields` (field_names.size() values, or
  // empty when not wanted) the figures they set, NaN for the others.
  absl::Status ApplyPlugins(CustomerIndex c, DayNumber as_of, std::span<const DayNumber> days,
                            Verdict& v, std::string* notes, std::span<double> fields = {}) const {
    if (plugins.empty()) return absl::OkStatus();
    const StatusFacts facts{c, as_of, days, v.median_gap, v.days_since_last};
    StatusDecision decision(v.status, v.flags);
    // Rules set their fields whether or not the caller keeps them.
    thread_local std::vector<double> discarded;
    if (fields.empty() && !field_names.empty()) {
      discarded.resize(field_names.size());
      fields = discarded;
    }
    std::fill(fields.begin(), fields.end(), std::numeric_limits<double>::quiet_NaN());
    for (size_t i = 0; i < plugins.size(); ++i) {
      decision.BeginRule(plugins[i]->name(),
                         fields.empty() ? std::span<double>()
                                        : fields.subspan(field_start[i], field_start[i + 1] - field_start[i]));
      absl::Status s;
      try {
        s = plugins[i]->Apply(*portfolio, facts, decision);
      } catch (const std::exception& e) {
        s = absl::InternalError(StrCat("threw: ", e.what()));
      } catch (...) {
        s = absl::InternalError("threw an exception");
      }
      if (!s.ok()) {
        return absl::Status(s.code(), StrCat("status rule '", plugins[i]->name(),
                                             "' failed for customer '",
                                             portfolio->customers().id[c], "': ", s.message()));
      }
      if (decision.changed()) v.rule = static_cast<std::uint16_t>(kFirstPluginRule + i);
    }
    v.status = decision.status();
    if (notes != nullptr) *notes = decision.notes();
    return absl::OkStatus();
  }

  // Classifies every customer; medians from `summary` when given.
  absl::Status Classify(DayNumber as_of, const CustomerSummary* summary, StatusTable* out) const;
  // Every change in (from, to], or each customer's first.
  absl::StatusOr<std::vector<StatusTransition>> Transitions(DayNumber from, DayNumber to,
                                                            std::span<const CustomerIndex> customers,
                                                            bool first_only) const;
};

namespace {

// Classifying a customer takes ~0.1 us: below this many per thread, a
// thread costs more than it saves.
constexpr size_t kCustomersPerThread = 50'000;

// Fresh columns go on huge pages: a million customers' table is ~53 MB,
// whose 4 KB page faults cost more than classifying (src/core/huge_pages.h).
void Resize(StatusTable& t, size_t n) {
  t.ForEachColumn([n](auto& column) {
    if (column.capacity() < n) internal::ReserveOnHugePages(column, n);
    column.resize(n);
  });
}

absl::Status CheckDate(DayNumber day, std::string_view what) {
  if (day == kNoDay || day < DaysFromCivil(kMinYear, 1, 1) || day > DaysFromCivil(kMaxYear, 12, 31)) {
    return absl::InvalidArgumentError(StrCat("status: ", what, " is not a date between ", kMinYear,
                                             " and ", kMaxYear));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status StatusEngine::Impl::Classify(DayNumber as_of, const CustomerSummary* summary,
                                          StatusTable* out) const {
  const size_t n = history.customers();
  StatusTable& t = *out;
  t.as_of = as_of;
  t.policy = policy;
  t.plugin_names.clear();
  for (const auto& p : plugins) t.plugin_names.emplace_back(p->name());
  t.plugin_notes.clear();
  Resize(t, n);
  t.field_names = field_names;
  t.fields.assign(field_names.size(), std::vector<double>(n));
  auto write = [&t, this](CustomerIndex c, const Verdict& v) {
    t.status[c] = v.status;
    t.flags[c] = v.flags;
    t.rule[c] = v.rule;
    t.days_since_last[c] = v.days_since_last;
    t.purchase_days[c] = v.purchase_days;
    t.last_purchase[c] = v.last;
    t.median_gap_days[c] = v.median_gap;
    t.threshold_days[c] = v.threshold;
    t.event_day[c] = v.event_day;
    t.comeback_gap_days[c] = v.comeback_gap;
    t.contract[c] = v.contract;
    t.renewal_contract[c] = v.renewal_contract;
    t.scope[c] = scope[c];
  };
  if (plugins.empty() && summary == nullptr) {
    // Built-in rules only: customers are independent, and each part of the
    // range writes its own rows (src/core/parallel.h).
    internal::ParallelRanges(n, internal::PartsFor(n, kCustomersPerThread), [&](size_t, size_t begin, size_t end) {
      std::vector<DayNumber> scratch;
      for (size_t row = begin; row < end; ++row) {
        const auto c = static_cast<CustomerIndex>(row);
        std::span<const DayNumber> days = history.days(c);
        if (!days.empty() && days.back() > as_of) days = history.days_until(c, as_of);
        write(c, Decide(as_of, Input(c, days, Median(c, days, scratch)), false));
      }
    });
    return absl::OkStatus();
  }
  std::vector<double> fields(field_names.size());
  std::vector<DayNumber> scratch;
  std::string notes;
  size_t srow = 0;
  for (CustomerIndex c = 0; c < n; ++c) {
    std::span<const DayNumber> days = history.days(c);
    // Most hosts classify as of their latest data: no search then.
    if (!days.empty() && days.back() > as_of) days = history.days_until(c, as_of);
    double median;
    if (summary != nullptr) {
      const bool present = srow < summary->size() && summary->customer[srow] == c;
      const size_t k = present ? static_cast<size_t>(summary->purchase_days[srow]) : 0;
      if (k != days.size()) {
        return absl::InvalidArgumentError(StrCat(
            "status: the summary does not match the engine's portfolio (customer '",
            portfolio->customers().id[c], "' has ", days.size(), " purchase-days, the summary ", k,
            "); summarise the same portfolio as of the same date"));
      }
      median = present ? summary->median_gap_days[srow++] : std::numeric_limits<double>::quiet_NaN();
    } else {
      median = Median(c, days, scratch);
    }
    Verdict v = Decide(as_of, Input(c, days, median), false);
    if (!plugins.empty()) {
      if (absl::Status s = ApplyPlugins(c, as_of, days, v, &notes, fields); !s.ok()) return s;
      if (!notes.empty()) t.plugin_notes.emplace_back(c, std::move(notes));
      notes.clear();
      for (size_t k = 0; k < fields.size(); ++k) t.fields[k][c] = fields[k];
    }
    write(c, v);
  }
  if (summary != nullptr && srow != summary->size()) {
    return absl::InvalidArgumentError(StrCat(
        "status: the summary has customers the engine does not (", summary->size() - srow,
        " rows past its ", n, " customers); create the engine after the last append"));
  }
  return absl::OkStatus();
}

StatusEngine::StatusEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StatusEngine::StatusEngine(StatusEngine&&) noexcept = default;
StatusEngine& StatusEngine::operator=(StatusEngine&&) noexcept = default;
StatusEngine::~StatusEngine() = default;

absl::StatusOr<StatusEngine> StatusEngine::Create(const Portfolio& portfolio, StatusPolicy policy) {
  if (absl::Status s = policy.Validate(); !s.ok()) return s;
  auto impl = std::make_unique<Impl>();
  impl->portfolio = &portfolio;
  impl->merge_generation = portfolio.merge_generation();
  const CustomerTable& customers = portfolio.customers();
  const size_t n = customers.size();

  // Each customer's scope; every segment the policy names must exist.
  absl::flat_hash_map<std::string, std::int16_t> scope_of;
  for (size_t i = 0; i < policy.segments.size(); ++i) {
    scope_of.emplace(policy.segments[i].segment, static_cast<std::int16_t>(i));
  }
  std::vector<bool> used(policy.segments.size(), false);
  impl->scope.assign(n, -1);
  impl->customer_flags.assign(n, 0);
  std::map<std::string, size_t, std::less<>> segments_seen;  // for the error message
  for (size_t c = 0; c < n; ++c) {
    const std::string_view segment = customers.segment[c];
    if (!scope_of.empty()) {
      if (const auto it = scope_of.find(AsAbsl(segment)); it != scope_of.end()) {
        impl->scope[c] = it->second;
        used[static_cast<size_t>(it->second)] = true;
      }
    }
    if (!segment.empty() && segments_seen.size() < 50) ++segments_seen[std::string(segment)];
    std::uint8_t flags = 0;
    if (c < customers.delinquent.size() && customers.delinquent[c] != 0) flags |= kFlagDelinquent;
    if (c < customers.key_account.size() && customers.key_account[c] != 0) flags |= kFlagKeyAccount;
    impl->customer_flags[c] = flags;
  }
  for (size_t i = 0; i < used.size(); ++i) {
    if (used[i]) continue;
    std::string known;
    for (const auto& [name, count] : segments_seen) StrAppend(&known, known.empty() ? "" : ", ", name);
    return absl::InvalidArgumentError(
        StrCat("policy: segments.", policy.segments[i].segment,
               ": no customer has this segment (the customers' segments: ",
               known.empty() ? "none" : known, ")"));
  }

  // Contracts grouped by customer, by start; a contract is renewed when a
  // later one of the same customer starts after it and ends after it.
  const ContractTable& k = portfolio.contracts();
  impl->contract_offsets.assign(n + 1, 0);
  for (size_t i = 0; i < k.size(); ++i) ++impl->contract_offsets[k.customer[i] + 1];
  for (size_t c = 0; c < n; ++c) impl->contract_offsets[c + 1] += impl->contract_offsets[c];
  impl->contracts.resize(k.size());
  {
    std::vector<std::uint32_t> next(impl->contract_offsets.begin(), impl->contract_offsets.end() - 1);
    for (size_t i = 0; i < k.size(); ++i) {
      impl->contracts[next[k.customer[i]]++] =
          ContractRef{k.start[i], k.end[i], static_cast<std::int32_t>(i),
                      i < k.auto_renew.size() && k.auto_renew[i] != 0, false};
    }
  }
  for (size_t c = 0; c < n; ++c) {
    status_internal::SortContracts(std::span<ContractRef>(impl->contracts.data() + impl->contract_offsets[c],
                                                          impl->contract_offsets[c + 1] - impl->contract_offsets[c]));
  }

  impl->history = PurchaseHistory::Build(portfolio);
  impl->transactions = portfolio.transactions().size();
  impl->policy = std::make_shared<const StatusPolicy>(std::move(policy));
  // Comebacks depend on each customer's history and the policy only: found
  // once here, they make reactivation a lookup when classifying.
  impl->comeback_offsets.assign(n + 1, 0);
  impl->comeback_offsets[0] = 0;
  for (CustomerIndex c = 0; c < n; ++c) {
    CustomerInput in{impl->history.days(c), 0, impl->customer_flags[c], &impl->RulesOf(c), impl->ContractsOf(c), true, {}};
    const std::vector<DayNumber> days = status_internal::ComebackDays(in);
    impl->comebacks.insert(impl->comebacks.end(), days.begin(), days.end());
    impl->comeback_offsets[c + 1] = impl->comebacks.size();
  }
  impl->whole_median.resize(n);
  std::vector<DayNumber> scratch;
  for (CustomerIndex c = 0; c < n; ++c) impl->whole_median[c] = MedianGap(impl->history.days(c), scratch);
  return StatusEngine(std::move(impl));
}

absl::Status StatusEngine::AddRule(std::unique_ptr<StatusRule> rule) {
  if (rule == nullptr) return absl::InvalidArgumentError("status rule: null");
  const std::string_view name = rule->name();
  if (name.empty()) return absl::InvalidArgumentError("status rule: the name is empty");
  for (int b = 0; b < kBuiltinRuleCount; ++b) {
    if (BuiltinRuleName(static_cast<BuiltinRule>(b)) == name) {
      return absl::AlreadyExistsError(StrCat("status rule '", name, "': a built-in rule has this name"));
    }
  }
  for (const auto& p : impl_->plugins) {
    if (p->name() == name) {
      return absl::AlreadyExistsError(StrCat("status rule '", name, "' is already registered"));
    }
  }
  if (impl_->plugins.size() >= std::numeric_limits<std::uint16_t>::max() - kFirstPluginRule) {
    return absl::ResourceExhaustedError("status rule: too many rules");
  }
  const std::vector<std::string> fields = rule->FieldNames();
  for (size_t k = 0; k < fields.size(); ++k) {
    if (fields[k].empty()) return absl::InvalidArgumentError(StrCat("status rule '", name, "': a field name is empty"));
    const bool taken = std::find(impl_->field_names.begin(), impl_->field_names.end(), fields[k]) !=
                           impl_->field_names.end() ||
                       std::find(fields.begin(), fields.begin() + k, fields[k]) != fields.begin() + k;
    if (taken) {
      return absl::AlreadyExistsError(StrCat("status rule '", name, "': field '", fields[k],
                                             "' is already reported by a rule"));
    }
  }
  impl_->field_names.insert(impl_->field_names.end(), fields.begin(), fields.end());
  impl_->field_start.push_back(impl_->field_names.size());
  impl_->plugins.push_back(std::move(rule));
  return absl::OkStatus();
}

const StatusPolicy& StatusEngine::policy() const { return *impl_->policy; }
const Portfolio& StatusEngine::portfolio() const { return *impl_->portfolio; }
size_t StatusEngine::customers() const { return impl_->history.customers(); }
size_t StatusEngine::transactions() const { return impl_->transactions; }

absl::StatusOr<StatusTable> StatusEngine::Classify(DayNumber as_of) const {
  StatusTable table;
  if (absl::Status s = ClassifyInto(as_of, &table); !s.ok()) return s;
  return table;
}

absl::Status StatusEngine::ClassifyInto(DayNumber as_of, StatusTable* out) const {
  if (out == nullptr) return absl::InvalidArgumentError("status: the result is null");
  absl::Status s = impl_->CheckNotMerged();
  if (s.ok()) s = CheckDate(as_of, "as_of");
  if (s.ok()) s = impl_->Classify(as_of, nullptr, out);
  if (!s.ok()) Resize(*out, 0);
  return s;
}

absl::Status StatusEngine::ClassifyInto(const CustomerSummary& summary, StatusTable* out) const {
  if (out == nullptr) return absl::InvalidArgumentError("status: the result is null");
  absl::Status s = impl_->CheckNotMerged();
  if (s.ok()) s = CheckDate(summary.as_of, "the summary's as_of");
  if (s.ok()) s = impl_->Classify(summary.as_of, &summary, out);
  if (!s.ok()) Resize(*out, 0);
  return s;
}

absl::StatusOr<StatusHistory> StatusEngine::History(std::span<const DayNumber> dates) const {
  if (absl::Status s = impl_->CheckNotMerged(); !s.ok()) return s;
  StatusHistory h;
  h.dates.assign(dates.begin(), dates.end());
  for (DayNumber d : h.dates) {
    if (absl::Status s = CheckDate(d, "a history date"); !s.ok()) return s;
  }
  std::sort(h.dates.begin(), h.dates.end());
  h.dates.erase(std::unique(h.dates.begin(), h.dates.end()), h.dates.end());
  const Impl& m = *impl_;
  const size_t n = m.history.customers();
  h.status.assign(h.dates.size(), std::vector<Status>(n));
  h.flags.assign(h.dates.size(), std::vector<std::uint8_t>(n));
  std::vector<DayNumber> scratch;
  // One pass over the customers; each walks its purchase-days once while
  // the dates advance, recomputing the median only when days were added.
  for (CustomerIndex c = 0; c < n; ++c) {
    const std::span<const DayNumber> all = m.history.days(c);
    size_t k = 0;
    size_t median_k = std::numeric_limits<size_t>::max();
    double median = 0;
    for (size_t d = 0; d < h.dates.size(); ++d) {
      const DayNumber date = h.dates[d];
      while (k < all.size() && all[k] <= date) ++k;
      const std::span<const DayNumber> days = all.first(k);
      if (k != median_k) {
        median = m.Median(c, days, scratch);
        median_k = k;
      }
      Verdict v = Decide(date, m.Input(c, days, median), false);
      if (absl::Status s = m.ApplyPlugins(c, date, days, v, nullptr); !s.ok()) return s;
      h.status[d][c] = v.status;
      h.flags[d][c] = v.flags;
    }
  }
  return h;
}

absl::StatusOr<std::vector<StatusTransition>> StatusEngine::Transitions(DayNumber from,
                                                                        DayNumber to) const {
  std::vector<CustomerIndex> all(impl_->history.customers());
  std::iota(all.begin(), all.end(), CustomerIndex{0});
  return impl_->Transitions(from, to, all, /*first_only=*/false);
}

absl::StatusOr<std::vector<StatusTransition>> StatusEngine::Transitions(
    DayNumber from, DayNumber to, std::span<const CustomerIndex> customers) const {
  const size_t n = impl_->history.customers();
  for (size_t i = 0; i < customers.size(); ++i) {
    if (customers[i] >= n || (i > 0 && customers[i] <= customers[i - 1])) {
      return absl::InvalidArgumentError(StrCat("status: transitions: customers[", i, "] = ", customers[i],
                                               customers[i] >= n
                                                   ? StrCat(" is not in the portfolio (", n, " customers)")
                                                   : std::string(" is not above the one before")));
    }
  }
  return impl_->Transitions(from, to, customers, /*first_only=*/false);
}

absl::StatusOr<std::vector<StatusTransition>> StatusEngine::FirstTransitions(DayNumber from,
                                                                             DayNumber to) const {
  std::vector<CustomerIndex> all(impl_->history.customers());
  std::iota(all.begin(), all.end(), CustomerIndex{0});
  return impl_->Transitions(from, to, all, /*first_only=*/true);
}

absl::StatusOr<std::vector<StatusTransition>> StatusEngine::Impl::Transitions(
    DayNumber from, DayNumber to, std::span<const CustomerIndex> customers, bool first_only) const {
  if (absl::Status s = CheckNotMerged(); !s.ok()) return s;
  if (absl::Status s = CheckDate(from, "from"); !s.ok()) return s;
  if (absl::Status s = CheckDate(to, "to"); !s.ok()) return s;
  if (to < from) {
    return absl::InvalidArgumentError(StrCat("status: transitions from ", FormatDate(from),
                                             " to ", FormatDate(to), ": the end is before the start"));
  }
  const Impl& m = *this;
  // One customer's changes in (from, to] appended to `out`.
  auto walk = [&](CustomerIndex c, std::vector<DayNumber>& scratch, std::vector<StatusTransition>& out) -> absl::Status {
    const std::span<const DayNumber> all = m.history.days(c);
    // The median of the gaps changes only with the purchase-days seen.
    size_t median_k = std::numeric_limits<size_t>::max();
    double median = 0;
    auto evaluate = [&](DayNumber date, Verdict* v) -> absl::Status {
      const size_t k = static_cast<size_t>(std::upper_bound(all.begin(), all.end(), date) - all.begin());
      const std::span<const DayNumber> days = all.first(k);
      if (k != median_k) {
        median = m.Median(c, days, scratch);
        median_k = k;
      }
      *v = Decide(date, m.Input(c, days, median), true);
      return m.ApplyPlugins(c, date, days, *v, nullptr);
    };
    return WalkChanges(all, from, to, /*every_day_to=*/!m.plugins.empty(), evaluate,
                       [&](DayNumber date, const Verdict& before, const Verdict& after) {
                         out.push_back({c, before.status, after.status, date, after.rule});
                         return !first_only;
                       });
  };
  std::vector<StatusTransition> out;
  if (plugins.empty()) {
    // Built-in rules only: each part of the customers finds its own
    // changes, joined in part order (src/core/parallel.h).
    const size_t parts = internal::PartsFor(customers.size(), kCustomersPerThread / 4);
    std::vector<std::vector<StatusTransition>> found(parts);
    internal::ParallelRanges(customers.size(), parts, [&](size_t part, size_t begin, size_t end) {
      std::vector<DayNumber> scratch;
      for (size_t i = begin; i < end; ++i) (void)walk(customers[i], scratch, found[part]);  // no plugin: no error
    });
    size_t total = 0;
    for (const auto& f : found) total += f.size();
    out.reserve(total);
    for (const auto& f : found) out.insert(out.end(), f.begin(), f.end());
    return out;
  }
  std::vector<DayNumber> scratch;
  for (const CustomerIndex c : customers) {
    if (absl::Status s = walk(c, scratch, out); !s.ok()) return s;
  }
  return out;
}

}  // namespace carteira
