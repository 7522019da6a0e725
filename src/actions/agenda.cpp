#include "carteira/actions/agenda.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>

#include "carteira/core/strings.h"
#include "carteira/kpi/kpi.h"
#include "carteira/opportunities/cross_sell.h"
#include "carteira/opportunities/next_purchase.h"
#include "carteira/segments/abc.h"
#include "src/core/huge_pages.h"
#include "src/core/parallel.h"
#include "src/core/prefetch.h"
#include "src/core/radix_sort.h"
#include "src/portfolio/string_order.h"
#include "src/kpi/revenue_ranking.h"

namespace carteira {
namespace {

constexpr std::string_view kTypeNames[kTaskTypeCount] = {"renewal",    "reactivation", "visit",
                                                         "nps_survey", "follow_up",    "purchase_window"};

double RiskWeight(Status s) {
  switch (s) {
    case Status::kAtRisk: return 1.0;
    case Status::kInactive: return 0.8;
    case Status::kReactivated: return 0.6;
    case Status::kNew: return 0.5;
    case Status::kActive: return 0.4;
    case Status::kLost: return 0.2;
    case Status::kProspect: return 0.1;
  }
  return 0.1;
}

// Per customer, what the rules read besides the status table (which has
// the last purchase): the revenue of the last 365 days (its own array: the
// scan of every transaction writes nothing else), and the last
// interaction, visit and survey answer on or before the date.
struct Contacts {
  DayNumber last_interaction = kNoDay;
  DayNumber last_visit = kNoDay;
  DayNumber last_survey = kNoDay;
};
struct Facts {
  std::vector<MinorUnits> revenue_year;
  std::vector<Contacts> contacts;
};

Facts Gather(const Portfolio& p, const AgendaOptions& o) {
  const size_t n = p.customers().size();
  Facts f;
  internal::ReserveOnHugePages(f.revenue_year, n);
  f.revenue_year.assign(n, 0);
  internal::ReserveOnHugePages(f.contacts, n);
  f.contacts.resize(n);
  const TransactionTable& tx = p.transactions();
  const DayNumber year_start = o.as_of - 365;
  MinorUnits* revenue = f.revenue_year.data();
  const size_t rows = tx.size();
  for (size_t i = 0; i < rows; ++i) {
    if (i + internal::kPrefetchAhead < rows) {
      internal::PrefetchForWrite(&revenue[tx.customer[i + internal::kPrefetchAhead]]);
    }
    // Without a branch: which rows fall in the year is unpredictable.
    const DayNumber d = tx.date[i];
    revenue[tx.customer[i]] += d <= o.as_of && d > year_start ? tx.amount[i] : 0;
  }
  const InteractionTable& it = p.interactions();
  // Channel codes that count as visits, as a table by code.
  std::vector<std::uint8_t> is_visit(p.channels().size() + 1, 0);
  for (const std::string& name : o.visit_channels) {
    if (const std::int32_t code = p.channels().Find(name);
        code != Dictionary::kNone && code >= 0 && static_cast<size_t>(code) < is_visit.size()) {
      is_visit[static_cast<size_t>(code)] = 1;
    }
  }
  for (size_t i = 0; i < it.size(); ++i) {
    if (i + internal::kPrefetchAhead < it.size()) {
      internal::PrefetchForWrite(&f.contacts[it.customer[i + internal::kPrefetchAhead]]);
    }
    const DayNumber d = it.date[i];
    if (d > o.as_of) continue;
    Contacts& c = f.contacts[it.customer[i]];
    c.last_interaction = std::max(c.last_interaction, d);
    const std::int32_t channel = it.channel[i];
    if (channel >= 0 && static_cast<size_t>(channel) < is_visit.size() && is_visit[static_cast<size_t>(channel)]) {
      c.last_visit = std::max(c.last_visit, d);
    }
  }
  const SurveyTable& sv = p.surveys();
  for (size_t i = 0; i < sv.size(); ++i) {
    Contacts& c = f.contacts[sv.customer[i]];
    if (sv.date[i] <= o.as_of) c.last_survey = std::max(c.last_survey, sv.date[i]);
  }
  return f;
}

// What priorities and visits rank by: each customer's rank by value among
// the customers with a positive one, 0..1 (ties share the rank of their
// group's top; customers without value get 0), and the ABC classes of the
// year's revenue. Without expected values both come from one ranking of
// the revenue.
struct Ranking {
  std::vector<double> value_rank;
  AbcTable abc;
};

// Ranks by `expected` (doubles): a positive double's bits, read as an
// unsigned integer, order as the double does, so the radix sort takes them.
std::vector<double> RankExpected(std::span<const double> expected) {
  const size_t n = expected.size();
  std::vector<std::uint64_t> keys;
  std::vector<CustomerIndex> positive;
  for (size_t c = 0; c < n; ++c) {
    if (expected[c] > 0) {  // NaN and negatives: no value
      keys.push_back(std::bit_cast<std::uint64_t>(expected[c]));
      positive.push_back(static_cast<CustomerIndex>(c));
    }
  }
  const std::vector<std::uint64_t> value = keys;  // the sort permutes keys
  std::vector<std::uint32_t> order;
  internal::SortRowsByKey(keys, order);
  std::vector<double> rank(n, 0.0);
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && value[order[j]] == value[order[i]]) ++j;
    const double r = static_cast<double>(j) / static_cast<double>(order.size());
    for (size_t k = i; k < j; ++k) rank[positive[order[k]]] = r;
    i = j;
  }
  return rank;
}

absl::StatusOr<Ranking> Rank(std::span<const MinorUnits> revenue, std::span<const double> expected, bool want_abc) {
  const size_t n = revenue.size();
  Ranking out;
  if (!expected.empty()) {
    out.value_rank = RankExpected(expected);
    if (!want_abc) return out;
  }
  std::vector<RankedRevenue> ranked;
  internal::ReserveOnHugePages(ranked, n);
  for (size_t c = 0; c < n; ++c) {
    if (revenue[c] > 0) ranked.push_back({static_cast<CustomerIndex>(c), revenue[c]});
  }
  internal::RankByRevenue(ranked);  // largest first, ties in index order
  if (want_abc) {
    auto abc = ClassifyAbc(n, ranked);
    if (!abc.ok()) return abc.status();
    out.abc = *std::move(abc);
  }
  if (!expected.empty()) return out;
  // A group at [i, j) of the m ranked, largest first, sits at [m - j, m - i)
  // in ascending order: its rank is (m - i) / m.
  out.value_rank.assign(n, 0.0);
  const size_t m = ranked.size();
  for (size_t i = 0; i < m;) {
    size_t j = i + 1;
    while (j < m && ranked[j].revenue == ranked[i].revenue) ++j;
    const double r = static_cast<double>(m - i) / static_cast<double>(m);
    for (size_t k = i; k < j; ++k) out.value_rank[ranked[k].customer] = r;
    i = j;
  }
  return out;
}

// Makes tasks into one part of the agenda, with their priorities.
class Builder {
 public:
  Builder(const AgendaOptions& o, const StatusTable& status, std::span<const RepIndex> rep,
          std::span<const double> value_rank, std::vector<Task>* tasks)
      : o_(o), status_(status), rep_(rep), value_rank_(value_rank), tasks_(*tasks) {}

  // Keys are unique without a check: each task type adds at most one task
  // per customer, and the key holds the type and the customer's id.
  void Add(CustomerIndex c, TaskType type, DayNumber due, DayNumber anchor, DayNumber since, std::int32_t detail,
           std::uint8_t stage, bool urgent = false) {
    if (due > o_.as_of + o_.horizon_days) return;
    double urgency = 1.0;
    if (!urgent && due > o_.as_of) {
      urgency = 1.0 - static_cast<double>(due - o_.as_of) / static_cast<double>(o_.horizon_days + 1);
    }
    const double score =
        0.5 * value_rank_[c] + 0.3 * RiskWeight(status_.status[c]) + 0.2 * std::clamp(urgency, 0.0, 1.0);
    Task& t = tasks_.emplace_back();
    t.customer = c;
    t.rep = rep_[c];
    t.due = due;
    t.anchor = anchor;
    t.since = since;
    t.detail = detail;
    t.type = type;
    t.overdue = due < o_.as_of;
    t.stage = stage;
    t.priority = static_cast<std::int16_t>(std::lround(100 * score));
  }

 private:
  const AgendaOptions& o_;
  const StatusTable& status_;
  std::span<const RepIndex> rep_;
  std::span<const double> value_rank_;
  std::vector<Task>& tasks_;
};

absl::Status Validate(const Portfolio& p, const AgendaOptions& o) {
  if (o.as_of == kNoDay) return absl::InvalidArgumentError("agenda: the as-of date is required");
  auto nonneg = [](std::int32_t v, const char* name) -> absl::Status {
    if (v < 0) return absl::InvalidArgumentError(StrCat("agenda: ", name, " must be >= 0, got ", v));
    return absl::OkStatus();
  };
  for (auto [v, name] : {std::pair{o.horizon_days, "horizon_days"}, {o.renewal_lead_days, "renewal_lead_days"},
                         {o.renewal_urgent_days, "renewal_urgent_days"},
                         {o.reactivation_window_days, "reactivation_window_days"},
                         {o.nps_after_purchase_days, "nps_after_purchase_days"},
                         {o.nps_min_interval_days, "nps_min_interval_days"},
                         {o.nps_max_age_days, "nps_max_age_days"},
                         {o.follow_up_after_days, "follow_up_after_days"},
                         {o.follow_up_max_age_days, "follow_up_max_age_days"},
                         {o.purchase_window_lead_days, "purchase_window_lead_days"},
                         {o.purchase_window_max_age_days, "purchase_window_max_age_days"}}) {
    if (auto s = nonneg(v, name); !s.ok()) return s;
  }
  if (o.renewal_urgent_days > o.renewal_lead_days) {
    return absl::InvalidArgumentError("agenda: renewal_urgent_days is longer than renewal_lead_days");
  }
  for (int k = 0; k < 3; ++k) {
    if (o.visit_days[k] < 1) return absl::InvalidArgumentError("agenda: visit_days must be >= 1");
  }
  if (!o.expected_value.empty() && o.expected_value.size() != p.customers().size()) {
    return absl::InvalidArgumentError(StrCat("agenda: expected_value has ", o.expected_value.size(),
                                             " entries, the portfolio ", p.customers().size(), " customers"));
  }
  return absl::OkStatus();
}

// The customers in id order; empty when they are in that order already.
std::vector<CustomerIndex> IdOrder(const CustomerTable& customers) {
  const std::vector<std::uint32_t> order = internal::StringOrder(customers.id);
  return std::vector<CustomerIndex>(order.begin(), order.end());
}

// The parts' tasks, each made in (customer id, type) order and the parts
// in id order, stably sorted by (due, -priority) into one vector: the
// agenda's (due, -priority, customer id, type) order. A counting sort (the
// key, days from the earliest due then 100 - priority, spans a few tens of
// thousands of values); each part scatters its own tasks, on its thread.
std::vector<Task> SortByDueAndPriority(std::vector<std::vector<Task>>& parts) {
  size_t total = 0;
  DayNumber first = std::numeric_limits<DayNumber>::max(), last = std::numeric_limits<DayNumber>::min();
  for (const std::vector<Task>& part : parts) {
    total += part.size();
    for (const Task& t : part) {
      first = std::min(first, t.due);
      last = std::max(last, t.due);
    }
  }
  std::vector<Task> sorted;
  internal::ReserveOnHugePages(sorted, total);
  if (total == 0) return sorted;
  auto key = [first](const Task& t) {
    return static_cast<size_t>(static_cast<std::int64_t>(t.due) - first) * 101 + static_cast<size_t>(100 - t.priority);
  };
  const size_t keys = (static_cast<size_t>(static_cast<std::int64_t>(last) - first) + 1) * 101;
  if (keys * parts.size() > 2 * total + (size_t{1} << 16)) {
    // Due days spread far wider than the tasks are many (visits overdue
    // for years): the counting tables would outgrow the tasks. A stable
    // radix sort of the keys instead (src/core/radix_sort.h).
    std::vector<Task> all;
    internal::ReserveOnHugePages(all, total);
    for (const std::vector<Task>& part : parts) all.insert(all.end(), part.begin(), part.end());
    std::vector<std::uint64_t> sort_keys(total);
    for (size_t i = 0; i < total; ++i) sort_keys[i] = key(all[i]);
    std::vector<std::uint32_t> order;
    internal::SortRowsByKey(sort_keys, order);
    for (std::uint32_t i : order) sorted.push_back(all[i]);
    return sorted;
  }
  // at[p][k]: where part p's next task of key k goes (counted by each
  // part's thread, then turned into places).
  std::vector<std::vector<std::uint32_t>> at(parts.size());
  internal::ParallelRanges(parts.size(), parts.size(), [&](size_t, size_t begin, size_t end) {
    for (size_t p = begin; p < end; ++p) {
      at[p].assign(keys, 0);
      for (const Task& t : parts[p]) ++at[p][key(t)];
    }
  });
  std::uint32_t next = 0;
  for (size_t k = 0; k < keys; ++k) {
    for (size_t p = 0; p < parts.size(); ++p) {
      const std::uint32_t count = at[p][k];
      at[p][k] = next;
      next += count;
    }
  }
  sorted.resize(total);
  internal::ParallelRanges(parts.size(), parts.size(), [&](size_t, size_t begin, size_t end) {
    for (size_t p = begin; p < end; ++p) {
      for (const Task& t : parts[p]) sorted[at[p][key(t)]++] = t;
    }
  });
  return sorted;
}

// Each customer's latest-ending contract started on or before the date
// (-1: none).
std::vector<std::int32_t> LatestContracts(const Portfolio& p, DayNumber as_of) {
  const ContractTable& k = p.contracts();
  std::vector<std::int32_t> latest(p.customers().size(), -1);
  for (size_t i = 0; i < k.size(); ++i) {
    if (k.start[i] > as_of) continue;
    std::int32_t& l = latest[k.customer[i]];
    if (l < 0 || k.end[i] > k.end[l]) l = static_cast<std::int32_t>(i);
  }
  return latest;
}

}  // namespace

std::string_view TaskTypeName(TaskType type) { return kTypeNames[static_cast<int>(type)]; }

std::optional<TaskType> ParseTaskType(std::string_view name) {
  for (int k = 0; k < kTaskTypeCount; ++k) {
    if (kTypeNames[k] == name) return static_cast<TaskType>(k);
  }
  return std::nullopt;
}

std::string Agenda::Key(const Task& task) const {
  std::string out;
  AppendKey(task, &out);
  return out;
}

std::string Agenda::Reason(const Task& task) const {
  std::string out;
  AppendReason(task, &out);
  return out;
}

// After a merge the customer indices the tasks hold name other customers
// (or none): say so rather than read them.
constexpr std::string_view kMergedSince = "(the portfolio merged customers after this agenda was made)";

void Agenda::AppendKey(const Task& t, std::string* out) const {
  if (portfolio_->merge_generation() != merge_generation_) {
    out->append(kMergedSince);
    return;
  }
  StrAppend(out, kTypeNames[static_cast<int>(t.type)], ":", portfolio_->customers().id[t.customer], ":",
            FormatDate(t.anchor));
  if (t.type == TaskType::kRenewal) StrAppend(out, t.stage ? ":urgent" : ":early");
}

void Agenda::AppendReason(const Task& t, std::string* out) const {
  if (portfolio_->merge_generation() != merge_generation_) {
    out->append(kMergedSince);
    return;
  }
  auto day_or = [](DayNumber d, std::string_view none) { return d == kNoDay ? std::string(none) : FormatDate(d); };
  switch (t.type) {
    case TaskType::kRenewal: {
      const ContractTable& k = portfolio_->contracts();
      const size_t i = static_cast<size_t>(t.detail);
      const std::string_view id = k.contract_id[i];
      StrAppend(out, id.empty() ? std::string("contract") : StrCat("contract ", id), " ends on ",
                FormatDate(t.anchor), " (in ", t.anchor - as_of_, " days), value ", FormatMoney(k.value[i]),
                ", no renewal yet", t.stage ? "; urgent" : "");
      return;
    }
    case TaskType::kReactivation:
      StrAppend(out, "became ", StatusName(static_cast<Status>(t.stage)), " on ", FormatDate(t.anchor), " (was ",
                StatusName(static_cast<Status>(t.detail)), "); last purchase ", day_or(t.since, "never"),
                "; no contact since");
      return;
    case TaskType::kVisit:
      StrAppend(out, "class ", AbcClassName(static_cast<AbcClass>(t.stage)), ": a visit every ", t.detail, " days; ",
                t.since == kNoDay ? std::string("never visited")
                                  : StrCat("last visit ", FormatDate(t.since), " (", as_of_ - t.since, " days ago)"));
      return;
    case TaskType::kNpsSurvey:
      StrAppend(out, "purchase on ", FormatDate(t.anchor), "; last survey answer ", day_or(t.since, "never"));
      return;
    case TaskType::kFollowUp:
      StrAppend(out, "purchase on ", FormatDate(t.anchor), "; no contact since");
      return;
    case TaskType::kPurchaseWindow:
      if (t.detail >= 0 && static_cast<size_t>(t.detail) < notes_.size()) out->append(notes_[t.detail]);
      return;
  }
}

absl::StatusOr<Agenda> BuildAgenda(const Portfolio& p, const StatusEngine& engine, const AgendaOptions& o) {
  if (auto s = Validate(p, o); !s.ok()) return s;
  if (&engine.portfolio() != &p) return absl::InvalidArgumentError("agenda: the status engine is of another portfolio");
  // The engine gives the statuses and last purchases, the portfolio the
  // rest: both must see the same rows.
  if (engine.customers() != p.customers().size() || engine.transactions() != p.transactions().size()) {
    return absl::FailedPreconditionError(
        StrCat("agenda: the status engine has ", engine.customers(), " customers and ", engine.transactions(),
               " transactions, the portfolio ", p.customers().size(), " and ", p.transactions().size(),
               " (rows appended since the engine was made); make a new engine"));
  }
  auto want = [&](TaskType t) { return std::find(o.types.begin(), o.types.end(), t) != o.types.end(); };
  const bool renewal = want(TaskType::kRenewal);
  const bool reactivation = want(TaskType::kReactivation) && o.reactivation_window_days > 0;
  const bool visit = want(TaskType::kVisit), nps = want(TaskType::kNpsSurvey), follow_up = want(TaskType::kFollowUp);
  const bool purchase_window = want(TaskType::kPurchaseWindow);
  const CustomerTable& customers = p.customers();
  const size_t n = customers.size();
  auto calls_for_reactivation = [&](Status s) {
    return std::find(o.reactivation_statuses.begin(), o.reactivation_statuses.end(), s) !=
           o.reactivation_statuses.end();
  };

  // Two independent halves, side by side where there are two threads
  // (src/core/parallel.h), of about the same cost: the agenda's scans of
  // transactions and contacts and the ranking by value; and the engine's
  // statuses, the transitions of the customers now in a status that calls
  // for reactivation, and the reps, id order and contracts.
  absl::StatusOr<StatusTable> status = absl::UnknownError("agenda: not classified");
  absl::StatusOr<std::vector<StatusTransition>> transitions = std::vector<StatusTransition>{};
  Facts f;
  absl::StatusOr<Ranking> ranking = absl::UnknownError("agenda: not ranked");
  std::vector<RepIndex> rep;
  std::vector<CustomerIndex> by_id;
  std::vector<std::int32_t> latest;
  internal::RunBoth(
      [&] {
        f = Gather(p, o);
        ranking = Rank(f.revenue_year, o.expected_value, visit);
      },
      [&] {
        status = engine.Classify(o.as_of);
        if (status.ok() && reactivation) {
          std::vector<CustomerIndex> candidates;
          for (CustomerIndex c = 0; c < n; ++c) {
            if (calls_for_reactivation(status->status[c])) candidates.push_back(c);
          }
          transitions = engine.Transitions(o.as_of - o.reactivation_window_days, o.as_of, candidates);
        }
        rep = RepsOn(p, o.as_of);
        by_id = IdOrder(customers);
        if (renewal) latest = LatestContracts(p, o.as_of);
      });
  if (!status.ok()) return status.status();
  if (!transitions.ok()) return transitions.status();
  if (!ranking.ok()) return ranking.status();
  const std::vector<Contacts>& contacts = f.contacts;
  const std::vector<DayNumber>& last_purchase = status->last_purchase;
  auto engaged = [&](CustomerIndex c) {  // the statuses visits and purchase windows serve
    const Status s = status->status[c];
    return s == Status::kNew || s == Status::kActive || s == Status::kAtRisk || s == Status::kReactivated;
  };

  // Reactivation: the transition into the status a customer is still in,
  // if it came within the window. Transitions come in customer, then date
  // order: a customer's last one is into its current status.
  std::vector<std::int32_t> reactivated_by;  // per customer: its transition, or -1
  if (reactivation) {
    reactivated_by.assign(n, -1);
    for (size_t i = 0; i < transitions->size(); ++i) {
      const StatusTransition& t = (*transitions)[i];
      if (i + 1 < transitions->size() && (*transitions)[i + 1].customer == t.customer) continue;
      if (status->status[t.customer] == t.to && calls_for_reactivation(t.to)) {
        reactivated_by[t.customer] = static_cast<std::int32_t>(i);
      }
    }
  }

  Agenda agenda(p, o.as_of);
  // Purchase windows: a call before the customer's next window opens, with
  // the top cross-sell suggestion when the transactions have categories
  // (without them the call is still worth making).
  std::vector<std::int32_t> window_note;  // per customer: its reason in agenda.notes_, or -1
  std::optional<NextPurchaseTable> next;
  if (purchase_window) {
    auto estimated = EstimateNextPurchase(p, {.as_of = o.as_of});
    if (!estimated.ok()) return estimated.status();
    next = *std::move(estimated);
    CrossSellOptions cross;
    cross.as_of = o.as_of;
    auto model = BuildCrossSell(p, cross);
    std::vector<CustomerIndex> due_customers;
    for (CustomerIndex c = 0; c < n; ++c) {
      if (next->basis[c] != NextPurchaseBasis::kRhythm || !engaged(c)) continue;
      if (next->from[c] < o.as_of - o.purchase_window_max_age_days) continue;
      if (next->from[c] - o.purchase_window_lead_days > o.as_of + o.horizon_days) continue;  // beyond the horizon
      if (contacts[c].last_interaction >= next->from[c] - o.purchase_window_lead_days) continue;  // already called
      due_customers.push_back(c);
    }
    CrossSellSuggestions offer;
    if (model.ok()) offer = SuggestCrossSell(*model, 1, due_customers);
    window_note.assign(n, -1);
    size_t r = 0;
    for (CustomerIndex c : due_customers) {
      std::string reason = StrCat("next purchase expected ", FormatDate(next->expected[c]), " (window ",
                                  FormatDate(next->from[c]), " to ", FormatDate(next->to[c]), "; a purchase every ",
                                  static_cast<std::int64_t>(std::lround(next->median_gap_days[c])), " days, last ",
                                  FormatDate(next->last[c]), ")");
      for (; r < offer.size() && offer.customer[r] == c; ++r) {
        StrAppend(&reason, "; offer ", p.categories()[offer.category[r]], ": ", SuggestionReason(p, offer, r));
      }
      window_note[c] = static_cast<std::int32_t>(agenda.notes_.size());
      agenda.notes_.push_back(std::move(reason));
    }
  }

  // The customers in id order, each one's tasks in type order, in parts
  // (one per thread): sorting them by (due, -priority) alone, stably,
  // gives the agenda's order.
  const ContractTable& k = p.contracts();
  const size_t parts = internal::PartsFor(n, 50'000);
  std::vector<std::vector<Task>> made(parts);
  internal::ParallelRanges(n, parts, [&](size_t part, size_t begin, size_t end) {
    std::vector<Task>& tasks = made[part];
    internal::ReserveOnHugePages(tasks, (end - begin) + (end - begin) / 2);
    Builder out(o, *status, rep, ranking->value_rank, &tasks);
    for (size_t r = begin; r < end; ++r) {
      const CustomerIndex c = by_id.empty() ? static_cast<CustomerIndex>(r) : by_id[r];
      const Contacts& seen = contacts[c];
      if (renewal && latest[c] >= 0) {
        const std::int32_t i = latest[c];
        const DayNumber contract_end = k.end[i];
        if (!k.auto_renew[i] && contract_end >= o.as_of) {
          const bool urgent_stage = o.as_of + o.horizon_days >= contract_end - o.renewal_urgent_days;
          const DayNumber due =
              urgent_stage ? contract_end - o.renewal_urgent_days : contract_end - o.renewal_lead_days;
          if (seen.last_interaction < due) {  // else this stage is done
            out.Add(c, TaskType::kRenewal, due, contract_end, kNoDay, i, urgent_stage ? 1 : 0, urgent_stage);
          }
        }
      }
      if (reactivation && reactivated_by[c] >= 0) {
        const StatusTransition& t = (*transitions)[static_cast<size_t>(reactivated_by[c])];
        if (seen.last_interaction < t.date) {  // else someone already acted
          out.Add(c, TaskType::kReactivation, t.date, t.date, last_purchase[c], static_cast<std::int32_t>(t.from),
                  static_cast<std::uint8_t>(t.to));
        }
      }
      if (visit && rep[c] != kNoRep && engaged(c)) {
        // Classes of the year's revenue (PeriodRevenue(p, as_of - 364, as_of)).
        const AbcClass klass = ranking->abc.klass[c] == AbcClass::kNone ? AbcClass::kC : ranking->abc.klass[c];
        const std::int32_t every = o.visit_days[static_cast<int>(klass) - 1];
        const DayNumber last = seen.last_visit;
        const DayNumber due = last == kNoDay ? o.as_of : last + every;
        out.Add(c, TaskType::kVisit, due, last == kNoDay ? o.as_of : last, last, every,
                static_cast<std::uint8_t>(klass));
      }
      const DayNumber purchase = last_purchase[c];
      if (nps && purchase != kNoDay) {
        const DayNumber due = purchase + o.nps_after_purchase_days;
        const DayNumber survey = seen.last_survey;
        const bool recent = survey != kNoDay && (survey >= purchase || survey > due - o.nps_min_interval_days);
        if (!recent && due >= o.as_of - o.nps_max_age_days) {
          out.Add(c, TaskType::kNpsSurvey, due, purchase, survey, -1, 0);
        }
      }
      if (follow_up && purchase != kNoDay) {
        const DayNumber due = purchase + o.follow_up_after_days;
        if (seen.last_interaction < purchase && due >= o.as_of - o.follow_up_max_age_days) {
          out.Add(c, TaskType::kFollowUp, due, purchase, kNoDay, -1, 0);
        }
      }
      if (purchase_window && window_note[c] >= 0) {
        out.Add(c, TaskType::kPurchaseWindow, next->from[c] - o.purchase_window_lead_days, next->from[c], kNoDay,
                window_note[c], 0);
      }
    }
  });
  agenda.tasks_ = SortByDueAndPriority(made);
  return agenda;
}

}  // namespace carteira
