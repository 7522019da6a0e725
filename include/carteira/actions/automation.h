// Automation: the host's handlers told what changed between two days
// (docs/actions.md): status transitions, new agenda tasks and loyalty tier
// changes. Carteira finds the events; the host's handlers act on them
// (send the e-mail, open the CRM ticket, ...).
//
// Order of the calls, the same for the same input:
//  1. every status transition in (from, to], by date, then customer id;
//  2. every task of the agenda on `to` whose key the host did not know,
//     in agenda order (due, priority, customer id, type);
//  3. with a ledger, every customer whose tier on `to` differs from its
//     tier on `from`, by customer id.
// Each event goes to every handler that takes its kind, in registration
// order, before the next event. A handler's error (or exception) stops
// nothing: the other handlers and events still run, and the report lists
// the failed call (kind, customer, handler, message).
#ifndef CARTEIRA_ACTIONS_AUTOMATION_H_
#define CARTEIRA_ACTIONS_AUTOMATION_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "carteira/actions/agenda.h"
#include "carteira/actions/loyalty.h"
#include "carteira/portfolio/portfolio.h"
#include "carteira/status/status_engine.h"
#include "carteira/status/status_table.h"

namespace carteira {

enum class AutomationEvent : std::uint8_t { kTransition = 0, kNewTask, kTierChange };
std::string_view AutomationEventName(AutomationEvent event);  // transition, new_task, tier_change

struct TierChange {
  CustomerIndex customer = 0;
  std::int32_t from_tier = -1;  // index in the rules' tiers on `from`; -1 = none
  std::int32_t to_tier = -1;    // on `to`
  DayNumber from = kNoDay, to = kNoDay;
  MinorUnits spend = 0;  // the 365 days ending on `to`
};

// A new task as handlers receive it, with its key and reason in words;
// valid during the call only (copy what you keep).
struct NewTask {
  const Task& task;
  std::string_view key;
  std::string_view reason;
};

// A host's handler. Each method it overrides receives the events of its
// kind; `handles` says which kinds it takes (the others are not called and
// not counted). Returning an error (or throwing) is reported, not fatal.
class AutomationHandler {
 public:
  virtual ~AutomationHandler() = default;
  virtual std::string_view name() const = 0;
  virtual bool handles(AutomationEvent event) const = 0;
  virtual absl::Status OnTransition(const StatusTransition& transition);
  virtual absl::Status OnNewTask(const NewTask& task);
  virtual absl::Status OnTierChange(const TierChange& change);
};

struct AutomationFailure {
  AutomationEvent kind = AutomationEvent::kTransition;
  CustomerIndex customer = 0;
  std::string handler;
  std::string message;
};

struct AutomationReport {
  DayNumber from = kNoDay, to = kNoDay;
  size_t transitions = 0;   // events found
  size_t new_tasks = 0;
  size_t tier_changes = 0;
  size_t calls = 0;         // handler calls made
  size_t delivered = 0;     // calls that succeeded
  std::vector<AutomationFailure> failures;  // in call order
};

struct AutomationInput {
  DayNumber from = kNoDay;  // the last run's day: events after it
  DayNumber to = kNoDay;    // up to and including this day
  // The keys of the tasks the host already has (any order); a task of the
  // agenda on `to` whose key is not among them is new.
  std::span<const std::string> known_task_keys;
  // The agenda's options; as_of is taken from `to`.
  AgendaOptions agenda;
};

class Automation {
 public:
  // Handlers are called in registration order; names need not be unique.
  void AddHandler(std::unique_ptr<AutomationHandler> handler);
  size_t handler_count() const { return handlers_.size(); }

  // The engine (and the ledger, when given) must be made from `portfolio`.
  // Errors only for bad input (from after to, another portfolio's engine or
  // ledger, the agenda's errors); a handler's error is in the report.
  absl::StatusOr<AutomationReport> Run(const Portfolio& portfolio, const StatusEngine& engine,
                                       const LoyaltyLedger* ledger, const AutomationInput& input) const;

 private:
  std::vector<std::unique_ptr<AutomationHandler>> handlers_;
};

}  // namespace carteira

#endif  // CARTEIRA_ACTIONS_AUTOMATION_H_
