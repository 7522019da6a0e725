// `carteira agenda`: what each rep should do as of a date (renewals,
// reactivations, visits, NPS surveys, follow-ups, and when asked the calls
// before a purchase window opens), due date, priority and
// reason (docs/actions.md).
#include <ostream>

#include "absl/strings/str_format.h"
#include "carteira/actions/agenda.h"
#include "carteira/core/strings.h"
#include "carteira/status/status_engine.h"
#include "src/cli/commands.h"
#include "src/cli/summary_output.h"

namespace carteira::cli {

int RunAgenda(const LoadFlags& load, const AgendaFlags& flags, std::ostream& out, std::ostream& err) {
  auto fail = [&err](const absl::Status& s) {
    err << "carteira agenda: " << s.message() << "\n";
    return ExitCodeFor(s);
  };
  AgendaOptions options;
  options.horizon_days = flags.horizon_days;
  if (!flags.types.empty()) {
    options.types.clear();
    for (const std::string& name : flags.types) {
      auto type = ParseTaskType(name);
      if (!type) {
        return fail(absl::InvalidArgumentError(
            StrCat("--type ", name, ": use renewal, reactivation, visit, nps_survey, follow_up or purchase_window")));
      }
      options.types.push_back(*type);
    }
  }
  Portfolio portfolio;
  if (auto s = LoadPortfolio(load, portfolio, err); !s.ok()) return fail(s);
  auto as_of = ResolveAsOf(flags.as_of, portfolio);
  if (!as_of.ok()) return fail(as_of.status());
  options.as_of = *as_of;
  RepIndex only_rep = kNoRep;
  if (!flags.rep.empty()) {
    auto r = portfolio.FindRep(flags.rep);
    if (!r) return fail(absl::NotFoundError(StrCat("--rep ", flags.rep, ": no such rep")));
    only_rep = *r;
  }
  StatusFlags status_flags;
  status_flags.policy_file = flags.policy_file;
  auto policy = ResolvePolicy(status_flags);
  if (!policy.ok()) return fail(policy.status());
  auto engine = StatusEngine::Create(portfolio, *std::move(policy));
  if (!engine.ok()) return fail(engine.status());
  auto tasks = BuildAgenda(portfolio, *engine, options);
  if (!tasks.ok()) return fail(tasks.status());
  std::vector<const Task*> shown;
  for (const Task& t : *tasks) {
    if (only_rep == kNoRep || t.rep == only_rep) shown.push_back(&t);
  }
  const CustomerTable& customers = portfolio.customers();
  auto rep_id = [&](RepIndex r) { return r == kNoRep ? std::string() : std::string(portfolio.reps().id[r]); };
  if (flags.format == "json") {
    out << "{\"as_of\": " << JsonString(FormatDate(*as_of)) << ", \"horizon_days\": " << options.horizon_days
        << ",\n \"tasks\": [";
    for (size_t i = 0; i < shown.size(); ++i) {
      const Task& t = *shown[i];
      out << (i ? ",\n  " : "\n  ") << "{\"key\": " << JsonString(tasks->Key(t))
          << ", \"customer_id\": " << JsonString(std::string(customers.id[t.customer]))
          << ", \"rep\": " << (t.rep == kNoRep ? std::string("null") : JsonString(rep_id(t.rep)))
          << ", \"type\": " << JsonString(std::string(TaskTypeName(t.type)))
          << ", \"due\": " << JsonString(FormatDate(t.due)) << ", \"overdue\": " << (t.overdue ? "true" : "false")
          << ", \"priority\": " << t.priority << ", \"reason\": " << JsonString(tasks->Reason(t)) << "}";
    }
    out << (shown.empty() ? "]" : "\n ]") << "}\n";
    return kExitOk;
  }
  if (flags.format == "csv") {
    out << "key,customer_id,rep_id,type,due,overdue,priority,reason\n";
    auto csv = [](const std::string& v) {
      if (v.find_first_of(",\"\n") == std::string::npos) return v;
      std::string q = "\"";
      for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
      return q + "\"";
    };
    for (const Task* t : shown) {
      out << csv(tasks->Key(*t)) << "," << csv(std::string(customers.id[t->customer])) << "," << csv(rep_id(t->rep)) << ","
          << TaskTypeName(t->type) << "," << FormatDate(t->due) << "," << (t->overdue ? 1 : 0) << ","
          << t->priority << "," << csv(tasks->Reason(*t)) << "\n";
    }
    return kExitOk;
  }
  out << "Agenda as of " << FormatDate(*as_of) << " (tasks due up to " << FormatDate(*as_of + options.horizon_days)
      << "): " << shown.size() << " tasks\n";
  out << absl::StrFormat("  %-10s %-8s %-6s %-12s %-15s %4s  %s\n", "due", "", "rep", "customer", "type", "prio",
                         "why");
  for (const Task* t : shown) {
    out << absl::StrFormat("  %-10s %-8s %-6s %-12s %-15s %4d  %s\n", FormatDate(t->due),
                           t->overdue ? "overdue" : "", rep_id(t->rep), customers.id[t->customer],
                           TaskTypeName(t->type), t->priority, tasks->Reason(*t));
  }
  return kExitOk;
}

}  // namespace carteira::cli
