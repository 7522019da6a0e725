// `carteira plan` (a redistribution plan as a dry run: moves with reasons,
// customers that could not be placed, each rep's figures before and after)
// and `carteira apply` (writes a reviewed plan's moves into the assignment
// history: assignments.csv of a data directory, atomically, or the store).
// Policies and figures: docs/redistribution.md.
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include "absl/strings/str_format.h"
#include "carteira/core/strings.h"
#include "carteira/core/text_file.h"
#include "carteira/redistribution/apply.h"
#include "carteira/redistribution/plan_json.h"
#include "carteira/redistribution/planner.h"
#include "carteira/status/status_engine.h"
#include "carteira/store/store.h"
#include "src/cli/commands.h"
#include "src/cli/csv_table.h"

namespace carteira::cli {
namespace {

namespace fs = std::filesystem;

// The pipeline the flags describe (docs/redistribution.md, "CLI").
absl::StatusOr<PlanPipeline> PipelineFrom(const PlanFlags& flags) {
  const bool any_flag = flags.rotate_at_risk || flags.rebalance || !flags.handover.empty() ||
                        !flags.assign_unowned.empty();
  if (!flags.policy_file.empty()) {
    if (any_flag) {
      return absl::InvalidArgumentError(
          "--policy FILE describes the whole pipeline: leave out --assign-unowned, "
          "--rotate-at-risk, --rebalance and --handover");
    }
    return LoadPlanPipeline(flags.policy_file);
  }
  PlanPipeline pipeline;
  if (!flags.handover.empty()) {
    HandoverOptions o;
    o.rep = flags.handover;
    if (!flags.effective.empty()) {
      auto day = ParseDate(flags.effective);
      if (!day.ok()) return absl::InvalidArgumentError(StrCat("--effective: ", day.status().message()));
      o.effective = *day;
    }
    if (!flags.until.empty()) {
      auto day = ParseDate(flags.until);
      if (!day.ok()) return absl::InvalidArgumentError(StrCat("--until: ", day.status().message()));
      o.until = *day;
    }
    pipeline.policies.push_back(MakeHandover(o));
  }
  // Without any policy flag: the giro (new customers placed, then the
  // neglected at-risk ones rotated).
  const bool giro = !any_flag;
  if (!flags.assign_unowned.empty() || giro) {
    AssignUnownedOptions o;
    const std::string method = flags.assign_unowned.empty() ? "round_robin" : flags.assign_unowned;
    bool known = false;
    for (AssignMethod m :
         {AssignMethod::kRoundRobin, AssignMethod::kLeastLoaded, AssignMethod::kCapacityWeighted}) {
      if (AssignMethodName(m) == method) {
        o.method = m;
        known = true;
      }
    }
    if (!known) {
      return absl::InvalidArgumentError(
          StrCat("--assign-unowned ", method, ": use round_robin, least_loaded or capacity_weighted"));
    }
    o.cursor = flags.cursor;
    pipeline.policies.push_back(MakeAssignUnowned(o));
  }
  if (flags.rotate_at_risk || giro) {
    RotateAtRiskOptions o;
    o.no_contact_days = flags.no_contact_days;
    o.cooldown_days = flags.cooldown_days;
    o.max_moves_per_rep = flags.max_moves_per_rep;
    pipeline.policies.push_back(MakeRotateAtRisk(o));
  }
  if (flags.rebalance) {
    RebalanceOptions o;
    o.tolerance = flags.tolerance;
    o.cooldown_days = flags.cooldown_days;
    if (flags.objective == "value") {
      o.objective = RebalanceObjective::kLeastValue;
    } else if (flags.objective != "moves") {
      return absl::InvalidArgumentError(StrCat("--objective ", flags.objective, ": use moves or value"));
    }
    if (!(o.tolerance >= 0 && o.tolerance < 1)) {
      return absl::InvalidArgumentError("--tolerance must be in [0, 1)");
    }
    pipeline.policies.push_back(MakeRebalance(o));
  }
  return pipeline;
}

std::string Rep(const Portfolio& p, RepIndex r) {
  return r == kNoRep ? std::string("-") : std::string(p.reps().id[r]);
}

std::string Ratio(const std::optional<double>& v) {
  return v ? absl::StrFormat("%.2f", *v) : std::string("-");
}

void WriteTable(std::ostream& out, const Portfolio& p, const Plan& plan) {
  out << "Plan " << plan.id << " as of " << FormatDate(plan.as_of) << ": " << plan.moves.size()
      << " moves, " << plan.unplaced.size() << " customers not placed\n";
  if (!plan.moves.empty()) {
    out << "\nMoves:\n";
    out << absl::StrFormat("  %-12s %-8s %-8s %-16s %s\n", "customer", "from", "to", "policy",
                           "why");
    for (const Move& m : plan.moves) {
      out << absl::StrFormat("  %-12s %-8s %-8s %-16s %s\n", p.customers().id[m.customer],
                             Rep(p, m.from), Rep(p, m.to), m.policy, m.explanation);
    }
  }
  if (!plan.unplaced.empty()) {
    out << "\nNot placed:\n";
    for (const Unplaced& u : plan.unplaced) {
      out << absl::StrFormat("  %-12s stays with %-8s %-16s %s: %s\n", p.customers().id[u.customer],
                             Rep(p, u.holder), u.policy, u.constraint, u.explanation);
    }
  }
  if (!plan.infeasible.empty()) {
    out << "\nInfeasible:\n";
    for (const std::string& line : plan.infeasible) out << "  " << line << "\n";
  }
  out << "\nReps (before -> after):\n";
  out << absl::StrFormat("  %-8s %17s %17s %15s %27s\n", "rep", "customers", "load", "at_risk",
                         "at_risk_value");
  std::vector<RepIndex> order(p.reps().size());
  for (size_t r = 0; r < order.size(); ++r) order[r] = static_cast<RepIndex>(r);
  std::sort(order.begin(), order.end(),
            [&](RepIndex a, RepIndex b) { return p.reps().id[a] < p.reps().id[b]; });
  for (RepIndex r : order) {
    const RepFigures& b = plan.before[r];
    const RepFigures& a = plan.after[r];
    out << absl::StrFormat("  %-8s %7d -> %-7d %7d -> %-7d %6d -> %-6d %12s -> %-12s\n",
                           p.reps().id[r], b.customers, a.customers, b.load, a.load, b.at_risk,
                           a.at_risk, FormatMoney(b.at_risk_value), FormatMoney(a.at_risk_value));
  }
  auto fairness = [&](const char* label, const Fairness& f) {
    out << absl::StrFormat("  %-7s load min %d, max %d, max/min %s, Gini %.4f (%d available reps)\n",
                           label, f.min_load, f.max_load, Ratio(f.max_min_ratio), f.gini, f.reps);
  };
  out << "\nFairness:\n";
  fairness("before", plan.fairness_before);
  fairness("after", plan.fairness_after);
  if (!plan.round_robin_cursor.empty()) {
    out << "\nRound robin cursor for the next run: " << plan.round_robin_cursor << "\n";
  }
}

int Fail(std::ostream& err, const char* command, const absl::Status& s) {
  err << "carteira " << command << ": " << s.message() << "\n";
  return ExitCodeFor(s);
}

// dd/mm/yyyy when the file's dates are written that way, else ISO.
std::string DateLike(DayNumber day, const Table& t, int since) {
  const std::string iso = FormatDate(day);
  for (const auto& row : t.rows) {
    if (since < static_cast<int>(row.size()) && !row[since].empty()) {
      if (row[since].find('/') == std::string::npos) return iso;
      return StrCat(iso.substr(8, 2), "/", iso.substr(5, 2), "/", iso.substr(0, 4));
    }
  }
  return iso;
}

absl::Status SyncAndRename(const fs::path& temp, const fs::path& target) {
  const int fd = ::open(temp.c_str(), O_RDONLY);
  if (fd < 0 || ::fsync(fd) != 0) {
    if (fd >= 0) ::close(fd);
    return absl::InternalError(StrCat(temp.string(), ": cannot flush to disk"));
  }
  ::close(fd);
  std::error_code ec;
  fs::rename(temp, target, ec);
  if (ec) return absl::InternalError(StrCat(target.string(), ": cannot replace: ", ec.message()));
  const int dir = ::open(target.parent_path().c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return absl::OkStatus();
}

// Appends `rows` to DIR's assignments file as text (its delimiter, date
// style and other columns kept; a reason column added when missing), via a
// temporary file read back and checked before it replaces the old one.
absl::Status AppendToAssignmentsFile(const std::string& data_dir, const Portfolio& portfolio,
                                     const std::vector<Assignment>& rows) {
  std::string path = FindFile(data_dir, "assignments");
  Table table;
  table.delimiter = ';';
  table.header = {"customer_id", "rep_id", "since", "reason"};
  if (!path.empty()) {
    auto read = ReadTable(path, 0);
    if (!read.ok()) return read.status();
    table = std::move(*read);
  } else {
    path = (fs::path(data_dir) / "assignments.csv").string();
  }
  const int customer = Column(table, "customer_id"), rep = Column(table, "rep_id");
  const int since = Column(table, "since");
  int reason = Column(table, "reason");
  if (customer < 0 || rep < 0 || since < 0) {
    return absl::FailedPreconditionError(
        StrCat(path, ": needs the columns customer_id, rep_id and since"));
  }
  if (reason < 0) {
    table.header.push_back("reason");
    reason = static_cast<int>(table.header.size()) - 1;
  }
  const size_t old_rows = table.rows.size();
  for (const Assignment& a : rows) {
    std::vector<std::string> row(table.header.size());
    row[customer] = a.customer_id;
    row[rep] = a.rep_id;
    row[since] = DateLike(ToDayNumber(a.since), table, since);
    row[reason] = a.reason;
    table.rows.push_back(std::move(row));
  }
  const fs::path target(path);
  const fs::path temp = target.parent_path() / StrCat(".", target.filename().string(), ".carteira-apply-", ::getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << Line(table.header, table.delimiter);
    for (const auto& row : table.rows) out << Line(row, table.delimiter);
    out.close();
    if (!out) {
      std::error_code ec;
      fs::remove(temp, ec);
      return absl::InternalError(StrCat(temp.string(), ": cannot write; nothing was changed"));
    }
  }
  // Read the new file back: the old rows, then exactly the plan's.
  {
    Portfolio reread;
    ImportReport report;
    const absl::Status s = ImportFile(reread, Entity::kAssignments, temp.string(), {}, &report);
    bool same = s.ok() && reread.assignments().size() == old_rows + rows.size() &&
                old_rows == portfolio.assignments().size();
    for (size_t i = 0; same && i < rows.size(); ++i) {
      const size_t r = old_rows + i;
      same = reread.customers().id[reread.assignments().customer[r]] == rows[i].customer_id &&
             reread.reps().id[reread.assignments().rep[r]] == rows[i].rep_id &&
             reread.assignments().since[r] == ToDayNumber(rows[i].since);
    }
    if (!same) {
      std::error_code ec;
      fs::remove(temp, ec);
      return absl::InternalError(StrCat(path, ": the rewritten file does not read back as expected",
                                        s.ok() ? "" : StrCat(" (", s.message(), ")"),
                                        "; nothing was changed"));
    }
  }
  if (auto s = SyncAndRename(temp, target); !s.ok()) {
    std::error_code ec;
    fs::remove(temp, ec);
    return s;
  }
  return absl::OkStatus();
}

}  // namespace

int RunPlan(const LoadFlags& load, const PlanFlags& flags, std::ostream& out, std::ostream& err) {
  auto pipeline = PipelineFrom(flags);
  if (!pipeline.ok()) return Fail(err, "plan", pipeline.status());
  Portfolio portfolio;
  if (auto s = LoadPortfolio(load, portfolio, err); !s.ok()) return Fail(err, "plan", s);
  auto as_of = ResolveAsOf(flags.as_of, portfolio);
  if (!as_of.ok()) return Fail(err, "plan", as_of.status());
  StatusFlags status_flags;
  status_flags.policy_file = flags.status_policy_file;
  status_flags.p_alive_model = flags.p_alive_model;
  status_flags.p_alive_at_risk = flags.p_alive_at_risk;
  status_flags.p_alive_inactive = flags.p_alive_inactive;
  auto policy = ResolvePolicy(status_flags);
  if (!policy.ok()) return Fail(err, "plan", policy.status());
  auto engine = StatusEngine::Create(portfolio, *std::move(policy));
  if (!engine.ok()) return Fail(err, "plan", engine.status());
  if (!flags.p_alive_model.empty()) {
    if (auto s = AddPAliveRule(portfolio, *as_of, status_flags, *engine, err); !s.ok()) {
      return Fail(err, "plan", s);
    }
  }
  auto status = engine->Classify(*as_of);
  if (!status.ok()) return Fail(err, "plan", status.status());
  auto plan = BuildPlan(portfolio, *status, *pipeline);
  if (!plan.ok()) return Fail(err, "plan", plan.status());
  if (flags.format == "json") {
    out << PlanToJson(portfolio, *plan);
  } else {
    WriteTable(out, portfolio, *plan);
  }
  return kExitOk;
}

int RunApply(const LoadFlags& load, const ApplyFlags& flags, std::ostream& out, std::ostream& err) {
  auto text = ReadTextFile(flags.plan_file, "the plan file");
  if (!text.ok()) return Fail(err, "apply", text.status());
  Portfolio portfolio;
  if (auto s = LoadPortfolio(load, portfolio, err); !s.ok()) return Fail(err, "apply", s);
  auto plan = PlanFromJson(portfolio, *text, flags.plan_file);
  if (!plan.ok()) return Fail(err, "apply", plan.status());
  auto rows = PlanAssignments(portfolio, *plan);  // refuses a stale plan
  if (!rows.ok()) return Fail(err, "apply", rows.status());
  if (rows->empty()) {
    out << "plan " << plan->id << " has no moves: nothing to apply\n";
    return kExitOk;
  }
  if (!load.db_file.empty()) {
    auto store = Store::Open(load.db_file, StoreOptions{.create = false});
    if (!store.ok()) return Fail(err, "apply", store.status());
    PlanRecord record;
    record.name = plan->id;
    record.applied_at = boost::gregorian::day_clock::local_day();
    const char* user = std::getenv("USER");
    record.applied_by = flags.by.empty() ? (user && *user ? user : "carteira") : flags.by;
    record.note = StrCat(plan->moves.size(), " moves from ", flags.plan_file);
    if (auto s = store->ApplyAssignments(*rows, record); !s.ok()) return Fail(err, "apply", s);
    out << "applied " << plan->id << ": " << plan->moves.size() << " moves (" << rows->size()
        << " assignment rows) in " << store->path() << "\n";
    return kExitOk;
  }
  if (auto s = AppendToAssignmentsFile(load.data_dir, portfolio, *rows); !s.ok()) {
    return Fail(err, "apply", s);
  }
  out << "applied " << plan->id << ": " << plan->moves.size() << " moves (" << rows->size()
      << " assignment rows) appended to the assignment history in " << load.data_dir << "\n";
  return kExitOk;
}

}  // namespace carteira::cli
