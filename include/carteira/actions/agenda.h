// The agenda ("agenda de ações") as of a date: what each rep should do,
// with a due date, a priority and the reason in words (docs/actions.md).
//
// Task types and when each exists (every rule reads only data on or
// before the as-of date, so the same input gives the same agenda):
//  - renewal: a contract (not auto-renewing) ending within
//    `renewal_lead_days`, and no later-ending contract of the customer
//    ("carteira de renovação"); two stages, the
//    first from `renewal_lead_days` before the end, the second ("urgent")
//    from `renewal_urgent_days` before it. A stage is done once the customer
//    has an interaction on or after the stage's first day.
//  - reactivation: the customer became one of `reactivation_statuses`
//    (at_risk, inactive) within the last `reactivation_window_days`; one
//    task per transition, open until an interaction on or after its date.
//  - visit: field visits by ABC class (revenue over the last 365 days):
//    every `visit_days` (A 30, B 60, C 90) after the last interaction on one
//    of the `visit_channels` ("visit", "visita"); a never-visited customer
//    is due now. Only customers
//    with a rep and a status among new, active, at_risk, reactivated.
//  - nps_survey: `nps_after_purchase_days` after the last purchase, unless
//    the customer answered a survey within `nps_min_interval_days` before
//    that day or since the purchase.
//  - follow_up: `follow_up_after_days` after the last purchase, unless an
//    interaction followed the purchase.
//  - purchase_window (not in the default list, so that existing agendas do
//    not change; ask for it): a sales call `purchase_window_lead_days`
//    before the customer's next purchase window opens (its own rhythm,
//    docs/opportunities.md), offering the top cross-sell suggestion when
//    the transactions have categories. Only customers with status new,
//    active, at_risk or reactivated; done once an interaction falls on or
//    after the due day, or the customer buys. Windows that opened more than
//    `purchase_window_max_age_days` ago are left to the status engine.
// Each task's key (type, customer, anchor day) is stable from day to day,
// so a host can deduplicate across runs; within a run, one task per key.
//
// Priority, 0..100 (documented in docs/actions.md):
//   round(100 x (0.5 x value + 0.3 x risk + 0.2 x urgency))
// value: the customer's rank by value among customers with a positive one
// (0..1; the value is the expected value when given, else the revenue of
// the last 365 days); risk: by status (at_risk 1, inactive 0.8,
// reactivated 0.6, new 0.5, active 0.4, lost 0.2, prospect 0.1); urgency:
// 1 when overdue or due today, falling linearly to 0 at the horizon's end;
// the urgent renewal stage counts as overdue.
#ifndef CARTEIRA_ACTIONS_AGENDA_H_
#define CARTEIRA_ACTIONS_AGENDA_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "carteira/portfolio/portfolio.h"
#include "carteira/status/status_engine.h"

namespace carteira {

enum class TaskType : std::uint8_t { kRenewal = 0, kReactivation, kVisit, kNpsSurvey, kFollowUp, kPurchaseWindow };
inline constexpr int kTaskTypeCount = 6;
std::string_view TaskTypeName(TaskType type);
std::optional<TaskType> ParseTaskType(std::string_view name);

// One task, compact (32 bytes): an agenda of a million customers has over
// a million tasks and a host shows a page of them, so the key and the
// reason are made on demand by the agenda (Agenda::Key, Agenda::Reason)
// from the figures kept here.
struct Task {
  CustomerIndex customer = 0;
  RepIndex rep = kNoRep;      // the customer's rep on the as-of date
  DayNumber due = kNoDay;
  DayNumber anchor = kNoDay;  // contract end, transition, last visit, purchase
  // The day the reason quotes besides the anchor: reactivation, the last
  // purchase; visit, the last visit; nps_survey, the last survey answer
  // (kNoDay: none).
  DayNumber since = kNoDay;
  // renewal: the contract's row; reactivation: the status left; visit: the
  // days between visits; purchase_window: the reason's row in the agenda.
  std::int32_t detail = -1;
  TaskType type = TaskType::kVisit;
  bool overdue = false;  // due before the as-of date
  // renewal: 1 for the urgent stage; reactivation: the status entered;
  // visit: the ABC class.
  std::uint8_t stage = 0;
  std::int16_t priority = 0;  // 0..100
};

class Agenda;

struct AgendaOptions {
  DayNumber as_of = kNoDay;
  std::int32_t horizon_days = 7;  // tasks due up to as_of + horizon
  std::vector<TaskType> types = {TaskType::kRenewal, TaskType::kReactivation, TaskType::kVisit,
                                 TaskType::kNpsSurvey, TaskType::kFollowUp};
  std::int32_t renewal_lead_days = 60;
  std::int32_t renewal_urgent_days = 15;
  std::vector<Status> reactivation_statuses = {Status::kAtRisk, Status::kInactive};
  std::int32_t reactivation_window_days = 30;
  std::vector<std::string> visit_channels = {"visit", "visita"};
  std::int32_t visit_days[3] = {30, 60, 90};  // A, B, C
  std::int32_t nps_after_purchase_days = 7;
  std::int32_t nps_min_interval_days = 90;
  std::int32_t nps_max_age_days = 30;       // do not ask about older purchases
  std::int32_t follow_up_after_days = 3;
  std::int32_t follow_up_max_age_days = 14;  // nor follow up older ones
  std::int32_t purchase_window_lead_days = 2;     // call this long before the window opens
  std::int32_t purchase_window_max_age_days = 14;  // nor for windows open longer than this
  // Per customer (by index) or empty: the value ranking priorities, e.g.
  // the expected lifetime value from a fitted model.
  std::span<const double> expected_value;
};

// The tasks as of a date, in (due, -priority, customer id, type) order.
// The portfolio must outlive the agenda (the words are made from it); after
// it merges customers, Key and Reason say so instead of naming customers.
class Agenda {
 public:
  DayNumber as_of() const { return as_of_; }
  size_t size() const { return tasks_.size(); }
  bool empty() const { return tasks_.empty(); }
  const Task& operator[](size_t i) const { return tasks_[i]; }
  std::vector<Task>::const_iterator begin() const { return tasks_.begin(); }
  std::vector<Task>::const_iterator end() const { return tasks_.end(); }
  std::span<const Task> tasks() const { return tasks_; }
  const Portfolio& portfolio() const { return *portfolio_; }

  // "<type>:<customer id>:<anchor date>[:stage]", stable from day to day
  // (a host deduplicates across runs with it); one task per key in a run.
  std::string Key(const Task& task) const;
  // In words, with the figures (e.g. "contract K-7 ends on 2026-08-09 (in
  // 58 days), value 1.200,00, no renewal yet").
  std::string Reason(const Task& task) const;
  // The same, appended to `out` (no allocation per task when reused).
  void AppendKey(const Task& task, std::string* out) const;
  void AppendReason(const Task& task, std::string* out) const;

 private:
  friend absl::StatusOr<Agenda> BuildAgenda(const Portfolio&, const StatusEngine&, const AgendaOptions&);
  Agenda(const Portfolio& portfolio, DayNumber as_of)
      : portfolio_(&portfolio), merge_generation_(portfolio.merge_generation()), as_of_(as_of) {}

  const Portfolio* portfolio_;
  std::uint64_t merge_generation_;
  DayNumber as_of_;
  std::vector<Task> tasks_;
  std::vector<std::string> notes_;  // purchase_window reasons (Task::detail)
};

// The status engine must be made from `portfolio` after its last append;
// it gives the statuses, last purchases and transitions. The portfolio must
// not change during the call: where there are two threads, the agenda
// reads it on one while the engine (and its plugin rules, on the calling
// thread) classifies on the other.
absl::StatusOr<Agenda> BuildAgenda(const Portfolio& portfolio, const StatusEngine& engine,
                                   const AgendaOptions& options);

}  // namespace carteira

#endif  // CARTEIRA_ACTIONS_AGENDA_H_
