#include "carteira/actions/agenda.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>

#include "carteira/core/strings.h"
#include "carteira/kpi/kpi.h"
#include "carteira/opportunities/cross_sell.h"
#include "carteira/opportunities/next_purchase.h"
#include "carteira/segments/abc.h"
#include "src/core/radix_sort.h"

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

// Per customer: its last purchase, last interaction, last visit and last
// survey answer on or before the date, and the revenue of the last year.
struct Facts {
  std::vector<DayNumber> last_purchase, last_interaction, last_visit, last_survey;
  std::vector<MinorUnits> revenue_year;
};

Facts Gather(const Portfolio& p, const AgendaOptions& o) {
  const size_t n = p.customers().size();
  Facts f;
  f.last_purchase.assign(n, kNoDay);
  f.last_interaction.assign(n, kNoDay);
  f.last_visit.assign(n, kNoDay);
  f.last_survey.assign(n, kNoDay);
  f.revenue_year.assign(n, 0);
  const TransactionTable& tx = p.transactions();
  for (size_t i = 0; i < tx.size(); ++i) {
    const DayNumber d = tx.date[i];
    if (d > o.as_of) continue;
    const CustomerIndex c = tx.customer[i];
    if (d > o.as_of - 365) f.revenue_year[c] += tx.amount[i];
    if (tx.amount[i] >= 0 && d > f.last_purchase[c]) f.last_purchase[c] = d;
  }
  const InteractionTable& it = p.interactions();
  std::vector<std::int32_t> visits;
  for (const std::string& name : o.visit_channels) {
    if (const std::int32_t code = p.channels().Find(name); code != Dictionary::kNone) visits.push_back(code);
  }
  for (size_t i = 0; i < it.size(); ++i) {
    const DayNumber d = it.date[i];
    if (d > o.as_of) continue;
    const CustomerIndex c = it.customer[i];
    f.last_interaction[c] = std::max(f.last_interaction[c], d);
    if (std::find(visits.begin(), visits.end(), it.channel[i]) != visits.end()) {
      f.last_visit[c] = std::max(f.last_visit[c], d);
    }
  }
  const SurveyTable& sv = p.surveys();
  for (size_t i = 0; i < sv.size(); ++i) {
    if (sv.date[i] <= o.as_of) f.last_survey[sv.customer[i]] = std::max(f.last_survey[sv.customer[i]], sv.date[i]);
  }
  return f;
}

// Rank of each customer's value among the positive ones, 0..1 (ties share
// the rank of their group's top; customers without value get 0).
std::vector<double> ValueRank(const Facts& f, std::span<const double> expected) {
  const size_t n = f.revenue_year.size();
  // A positive double's bits, read as an unsigned integer, order as the
  // double does: the radix sort takes them as keys.
  std::vector<std::uint64_t> keys;
  std::vector<CustomerIndex> positive;
  for (size_t c = 0; c < n; ++c) {
    const double v = expected.empty() ? static_cast<double>(f.revenue_year[c]) : expected[c];
    if (v > 0) {  // NaN and negatives: no value
      keys.push_back(std::bit_cast<std::uint64_t>(v));
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

class Builder {
 public:
  Builder(const Portfolio& p, const AgendaOptions& o, const StatusTable& status, std::vector<RepIndex> rep,
          std::vector<double> value_rank)
      : p_(p), o_(o), status_(status), rep_(std::move(rep)), value_rank_(std::move(value_rank)) {}

  void Add(CustomerIndex c, TaskType type, DayNumber due, DayNumber anchor, std::string_view stage,
           std::string reason, bool urgent = false) {
    if (due > o_.as_of + o_.horizon_days) return;
    Task t;
    t.customer = c;
    t.rep = rep_[c];
    t.type = type;
    t.due = due;
    t.anchor = anchor;
    t.overdue = due < o_.as_of;
    t.key = StrCat(kTypeNames[static_cast<int>(type)], ":", p_.customers().id[c], ":", FormatDate(anchor));
    if (!stage.empty()) StrAppend(&t.key, ":", stage);
    // Keys are unique without a check: each task type adds at most one task
    // per customer, and the key holds the type and the customer's id.
    double urgency = 1.0;
    if (!urgent && due > o_.as_of) {
      urgency = 1.0 - static_cast<double>(due - o_.as_of) / static_cast<double>(o_.horizon_days + 1);
    }
    const double score =
        0.5 * value_rank_[c] + 0.3 * RiskWeight(status_.status[c]) + 0.2 * std::clamp(urgency, 0.0, 1.0);
    t.priority = static_cast<int>(std::lround(100 * score));
    t.reason = std::move(reason);
    tasks_.push_back(std::move(t));
  }
  std::vector<Task> Take() { return std::move(tasks_); }

 private:
  const Portfolio& p_;
  const AgendaOptions& o_;
  const StatusTable& status_;
  std::vector<RepIndex> rep_;
  std::vector<double> value_rank_;
  std::vector<Task> tasks_;
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

// (due, -priority, customer id, type) order. A radix sort of the tasks by
// (due, -priority) does most of the work; only tasks equal on both are
// compared by id, through a compact copy of what the comparison reads (the
// tasks themselves are large and moved once, at the end).
void SortTasks(const CustomerTable& customers, std::vector<Task>& tasks) {
  if (tasks.empty()) return;
  std::vector<std::uint64_t> keys(tasks.size());
  for (size_t i = 0; i < tasks.size(); ++i) {
    // The due day's sign bit flipped orders it as unsigned; priority is 0..100.
    const std::uint32_t due = static_cast<std::uint32_t>(tasks[i].due) ^ 0x8000'0000u;
    keys[i] = (std::uint64_t{due} << 8) | static_cast<std::uint64_t>(100 - tasks[i].priority);
  }
  const std::vector<std::uint64_t> key = keys;  // the sort permutes keys
  std::vector<std::uint32_t> order;
  internal::SortRowsByKey(keys, order);
  struct Item {
    std::string_view id;
    TaskType type;
    std::uint32_t task;
  };
  std::vector<Item> items;
  for (size_t i = 0; i < order.size();) {
    size_t j = i + 1;
    while (j < order.size() && key[order[j]] == key[order[i]]) ++j;
    if (j - i > 1) {
      items.clear();
      for (size_t k = i; k < j; ++k) {
        const Task& t = tasks[order[k]];
        items.push_back({customers.id[t.customer], t.type, order[k]});
      }
      std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
        if (a.id != b.id) return a.id < b.id;
        return a.type < b.type;
      });
      for (size_t k = i; k < j; ++k) order[k] = items[k - i].task;
    }
    i = j;
  }
  std::vector<Task> sorted;
  sorted.reserve(tasks.size());
  for (std::uint32_t i : order) sorted.push_back(std::move(tasks[i]));
  tasks = std::move(sorted);
}

}  // namespace

std::string_view TaskTypeName(TaskType type) { return kTypeNames[static_cast<int>(type)]; }

std::optional<TaskType> ParseTaskType(std::string_view name) {
  for (int k = 0; k < kTaskTypeCount; ++k) {
    if (kTypeNames[k] == name) return static_cast<TaskType>(k);
  }
  return std::nullopt;
}

absl::StatusOr<std::vector<Task>> BuildAgenda(const Portfolio& p, const StatusEngine& engine,
                                              const AgendaOptions& o) {
  if (auto s = Validate(p, o); !s.ok()) return s;
  if (&engine.portfolio() != &p) return absl::InvalidArgumentError("agenda: the status engine is of another portfolio");
  auto want = [&](TaskType t) { return std::find(o.types.begin(), o.types.end(), t) != o.types.end(); };
  auto status = engine.Classify(o.as_of);
  if (!status.ok()) return status.status();
  const Facts f = Gather(p, o);
  const std::vector<RepIndex> rep = RepsOn(p, o.as_of);
  Builder out(p, o, *status, rep, ValueRank(f, o.expected_value));
  const CustomerTable& customers = p.customers();

  if (want(TaskType::kRenewal)) {
    const ContractTable& k = p.contracts();
    // Each customer's latest-ending contract started on or before the date.
    std::vector<std::int32_t> latest(customers.size(), -1);
    for (size_t i = 0; i < k.size(); ++i) {
      if (k.start[i] > o.as_of) continue;
      std::int32_t& l = latest[k.customer[i]];
      if (l < 0 || k.end[i] > k.end[l]) l = static_cast<std::int32_t>(i);
    }
    for (CustomerIndex c = 0; c < customers.size(); ++c) {
      const std::int32_t i = latest[c];
      if (i < 0 || k.auto_renew[i] || k.end[i] < o.as_of) continue;
      const DayNumber end = k.end[i];
      const bool urgent_stage = o.as_of + o.horizon_days >= end - o.renewal_urgent_days;
      const DayNumber due = urgent_stage ? end - o.renewal_urgent_days : end - o.renewal_lead_days;
      if (f.last_interaction[c] >= due) continue;  // this stage is done
      const std::string id = k.contract_id[i].empty() ? std::string("contract") : StrCat("contract ", k.contract_id[i]);
      out.Add(c, TaskType::kRenewal, due, end, urgent_stage ? "urgent" : "early",
              StrCat(id, " ends on ", FormatDate(end), " (in ", end - o.as_of, " days), value ",
                     FormatMoney(k.value[i]), ", no renewal yet", urgent_stage ? "; urgent" : ""),
              urgent_stage);
    }
  }

  if (want(TaskType::kReactivation) && o.reactivation_window_days > 0) {
    // Only a customer still in the status it moved to gets a task: ask for
    // those customers' transitions alone.
    std::vector<CustomerIndex> candidates;
    for (CustomerIndex c = 0; c < customers.size(); ++c) {
      if (std::find(o.reactivation_statuses.begin(), o.reactivation_statuses.end(), status->status[c]) !=
          o.reactivation_statuses.end()) {
        candidates.push_back(c);
      }
    }
    auto transitions = engine.Transitions(o.as_of - o.reactivation_window_days, o.as_of, candidates);
    if (!transitions.ok()) return transitions.status();
    // The latest qualifying transition of each customer still in that status.
    std::vector<const StatusTransition*> last(customers.size(), nullptr);
    for (const StatusTransition& t : *transitions) {
      if (std::find(o.reactivation_statuses.begin(), o.reactivation_statuses.end(), t.to) ==
          o.reactivation_statuses.end()) {
        continue;
      }
      if (last[t.customer] == nullptr || t.date >= last[t.customer]->date) last[t.customer] = &t;
    }
    for (CustomerIndex c = 0; c < customers.size(); ++c) {
      const StatusTransition* t = last[c];
      if (t == nullptr || status->status[c] != t->to) continue;
      if (f.last_interaction[c] >= t->date) continue;  // someone already acted
      out.Add(c, TaskType::kReactivation, t->date, t->date, "",
              StrCat("became ", StatusName(t->to), " on ", FormatDate(t->date), " (was ", StatusName(t->from),
                     "); last purchase ", f.last_purchase[c] == kNoDay ? "never" : FormatDate(f.last_purchase[c]),
                     "; no contact since"));
    }
  }

  if (want(TaskType::kVisit)) {
    // f.revenue_year is PeriodRevenue(p, as_of - 364, as_of), already summed.
    auto abc = ClassifyAbc(f.revenue_year);
    if (!abc.ok()) return abc.status();
    for (CustomerIndex c = 0; c < customers.size(); ++c) {
      const Status s = status->status[c];
      if (rep[c] == kNoRep) continue;
      if (s != Status::kNew && s != Status::kActive && s != Status::kAtRisk && s != Status::kReactivated) continue;
      const AbcClass klass = abc->klass[c] == AbcClass::kNone ? AbcClass::kC : abc->klass[c];
      const std::int32_t every = o.visit_days[static_cast<int>(klass) - 1];
      const DayNumber last = f.last_visit[c];
      const DayNumber due = last == kNoDay ? o.as_of : last + every;
      out.Add(c, TaskType::kVisit, due, last == kNoDay ? o.as_of : last, "",
              StrCat("class ", AbcClassName(klass), ": a visit every ", every, " days; ",
                     last == kNoDay ? std::string("never visited")
                                    : StrCat("last visit ", FormatDate(last), " (", o.as_of - last, " days ago)")));
    }
  }

  if (want(TaskType::kNpsSurvey) || want(TaskType::kFollowUp)) {
    for (CustomerIndex c = 0; c < customers.size(); ++c) {
      const DayNumber purchase = f.last_purchase[c];
      if (purchase == kNoDay) continue;
      if (want(TaskType::kNpsSurvey)) {
        const DayNumber due = purchase + o.nps_after_purchase_days;
        const DayNumber survey = f.last_survey[c];
        const bool recent = survey != kNoDay && (survey >= purchase || survey > due - o.nps_min_interval_days);
        if (!recent && due >= o.as_of - o.nps_max_age_days) {
          out.Add(c, TaskType::kNpsSurvey, due, purchase, "",
                  StrCat("purchase on ", FormatDate(purchase), "; last survey answer ",
                         survey == kNoDay ? std::string("never") : FormatDate(survey)));
        }
      }
      if (want(TaskType::kFollowUp)) {
        const DayNumber due = purchase + o.follow_up_after_days;
        if (f.last_interaction[c] < purchase && due >= o.as_of - o.follow_up_max_age_days) {
          out.Add(c, TaskType::kFollowUp, due, purchase, "",
                  StrCat("purchase on ", FormatDate(purchase), "; no contact since"));
        }
      }
    }
  }

  if (want(TaskType::kPurchaseWindow)) {
    auto next = EstimateNextPurchase(p, {.as_of = o.as_of});
    if (!next.ok()) return next.status();
    // What to offer: the top suggestion, when the transactions have
    // categories (without them the call is still worth making).
    CrossSellOptions cross;
    cross.as_of = o.as_of;
    auto model = BuildCrossSell(p, cross);
    std::vector<CustomerIndex> due_customers;
    for (CustomerIndex c = 0; c < customers.size(); ++c) {
      const Status s = status->status[c];
      if (next->basis[c] != NextPurchaseBasis::kRhythm) continue;
      if (s != Status::kNew && s != Status::kActive && s != Status::kAtRisk && s != Status::kReactivated) continue;
      if (next->from[c] < o.as_of - o.purchase_window_max_age_days) continue;
      if (f.last_interaction[c] >= next->from[c] - o.purchase_window_lead_days) continue;  // already called
      due_customers.push_back(c);
    }
    CrossSellSuggestions offer;
    if (model.ok()) offer = SuggestCrossSell(*model, 1, due_customers);
    size_t r = 0;
    for (CustomerIndex c : due_customers) {
      std::string reason = StrCat("next purchase expected ", FormatDate(next->expected[c]), " (window ",
                                  FormatDate(next->from[c]), " to ", FormatDate(next->to[c]), "; a purchase every ",
                                  static_cast<std::int64_t>(std::lround(next->median_gap_days[c])), " days, last ",
                                  FormatDate(next->last[c]), ")");
      for (; r < offer.size() && offer.customer[r] == c; ++r) {
        StrAppend(&reason, "; offer ", p.categories()[offer.category[r]], ": ", SuggestionReason(p, offer, r));
      }
      out.Add(c, TaskType::kPurchaseWindow, next->from[c] - o.purchase_window_lead_days, next->from[c], "",
              std::move(reason));
    }
  }

  std::vector<Task> tasks = out.Take();
  SortTasks(customers, tasks);
  return tasks;
}

}  // namespace carteira
