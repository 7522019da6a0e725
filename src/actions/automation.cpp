#include "carteira/actions/automation.h"

#include <algorithm>
#include <exception>

#include "absl/container/flat_hash_set.h"
#include "carteira/core/strings.h"

namespace carteira {
namespace {

constexpr std::string_view kEventNames[] = {"transition", "new_task", "tier_change"};

}  // namespace

std::string_view AutomationEventName(AutomationEvent event) { return kEventNames[static_cast<int>(event)]; }

absl::Status AutomationHandler::OnTransition(const StatusTransition&) { return absl::OkStatus(); }
absl::Status AutomationHandler::OnNewTask(const NewTask&) { return absl::OkStatus(); }
absl::Status AutomationHandler::OnTierChange(const TierChange&) { return absl::OkStatus(); }

void Automation::AddHandler(std::unique_ptr<AutomationHandler> handler) {
  if (handler != nullptr) handlers_.push_back(std::move(handler));
}

absl::StatusOr<AutomationReport> Automation::Run(const Portfolio& portfolio, const StatusEngine& engine,
                                                 const LoyaltyLedger* ledger, const AutomationInput& input) const {
  if (&engine.portfolio() != &portfolio) {
    return absl::InvalidArgumentError("automation: the status engine is of another portfolio");
  }
  if (ledger != nullptr && &ledger->portfolio() != &portfolio) {
    return absl::InvalidArgumentError("automation: the loyalty ledger is of another portfolio");
  }
  if (input.from == kNoDay || input.to == kNoDay) {
    return absl::InvalidArgumentError("automation: from and to are required");
  }
  if (input.to < input.from) {
    return absl::InvalidArgumentError(StrCat("automation: to (", FormatDate(input.to), ") is before from (",
                                             FormatDate(input.from), ")"));
  }
  // Every event is found before any handler runs: a bad input fails the
  // run before a handler has acted on part of it.
  auto transitions = engine.Transitions(input.from, input.to);
  if (!transitions.ok()) return transitions.status();
  const CustomerTable& customers = portfolio.customers();
  std::stable_sort(transitions->begin(), transitions->end(),
                   [&](const StatusTransition& a, const StatusTransition& b) {
                     if (a.date != b.date) return a.date < b.date;
                     return customers.id[a.customer] < customers.id[b.customer];
                   });
  AgendaOptions agenda_options = input.agenda;
  agenda_options.as_of = input.to;
  auto agenda = BuildAgenda(portfolio, engine, agenda_options);
  if (!agenda.ok()) return agenda.status();
  const absl::flat_hash_set<std::string_view> known(input.known_task_keys.begin(), input.known_task_keys.end());
  std::vector<const Task*> new_tasks;
  std::string key;
  for (const Task& t : *agenda) {
    key.clear();
    agenda->AppendKey(t, &key);
    if (!known.contains(key)) new_tasks.push_back(&t);
  }
  std::vector<TierChange> tier_changes;
  if (ledger != nullptr) {
    for (CustomerIndex c = 0; c < customers.size(); ++c) {
      const TierStanding before = ledger->Tier(c, input.from);
      const TierStanding after = ledger->Tier(c, input.to);
      if (before.tier != after.tier) {
        tier_changes.push_back({c, before.tier, after.tier, input.from, input.to, after.spend});
      }
    }
    std::sort(tier_changes.begin(), tier_changes.end(), [&](const TierChange& a, const TierChange& b) {
      return customers.id[a.customer] < customers.id[b.customer];
    });
  }

  AutomationReport report;
  report.from = input.from;
  report.to = input.to;
  report.transitions = transitions->size();
  report.new_tasks = new_tasks.size();
  report.tier_changes = tier_changes.size();
  auto deliver = [&](AutomationEvent kind, CustomerIndex customer, auto&& call) {
    for (const auto& handler : handlers_) {
      if (!handler->handles(kind)) continue;
      ++report.calls;
      absl::Status s;
      // A handler is the host's code: whatever it throws is its failure,
      // reported like a returned error, and the run goes on.
      try {
        s = call(*handler);
      } catch (const std::exception& e) {
        s = absl::InternalError(StrCat("exception: ", e.what()));
      } catch (...) {
        s = absl::UnknownError("unknown exception");
      }
      if (s.ok()) {
        ++report.delivered;
      } else {
        std::string message(s.message());
        if (message.empty()) message = StrCat("returned ", absl::StatusCodeToString(s.code()));
        report.failures.push_back({kind, customer, std::string(handler->name()), std::move(message)});
      }
    }
  };
  for (const StatusTransition& t : *transitions) {
    deliver(AutomationEvent::kTransition, t.customer, [&](AutomationHandler& h) { return h.OnTransition(t); });
  }
  for (const Task* t : new_tasks) {
    const std::string task_key = agenda->Key(*t), reason = agenda->Reason(*t);
    const NewTask task{*t, task_key, reason};
    deliver(AutomationEvent::kNewTask, t->customer, [&](AutomationHandler& h) { return h.OnNewTask(task); });
  }
  for (const TierChange& c : tier_changes) {
    deliver(AutomationEvent::kTierChange, c.customer, [&](AutomationHandler& h) { return h.OnTierChange(c); });
  }
  return report;
}

}  // namespace carteira
