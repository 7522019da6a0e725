// `carteira kpi` (portfolio KPIs over a period, overall or by rep, segment
// or region, with the cohort matrix) and `carteira reps` (the per-rep
// dashboard). Definitions in docs/kpi.md. Undefined ratios (no
// denominator) are null in JSON and "-" in tables, never NaN.
#include <ostream>

#include "absl/strings/str_format.h"
#include "carteira/core/strings.h"
#include "carteira/kpi/cohort.h"
#include "carteira/kpi/kpi.h"
#include "carteira/kpi/lifetime.h"
#include "carteira/kpi/rep_dashboard.h"
#include "carteira/models/model.h"
#include "carteira/models/rfm_data.h"
#include "carteira/status/status_engine.h"
#include "src/cli/commands.h"
#include "src/cli/summary_output.h"

namespace carteira::cli {
namespace {

std::string Num(const std::optional<double>& v) { return v ? FormatDouble(*v) : std::string("null"); }
std::string Money(const std::optional<MinorUnits>& v) { return v ? FormatMoney(*v) : std::string("null"); }
std::string Cell(const std::optional<double>& v, const char* fmt = "%.4f") {
  return v ? absl::StrFormat(fmt, *v) : std::string("-");
}
std::string Cell(const std::optional<MinorUnits>& v) { return v ? FormatMoney(*v) : std::string("-"); }

absl::StatusOr<DayNumber> DateFlag(const char* flag, const std::string& text) {
  auto day = ParseDate(text);
  if (!day.ok()) return absl::InvalidArgumentError(StrCat(flag, ": ", day.status().message()));
  return *day;
}

std::string KpiJson(const KpiRow& r) {
  std::string out;
  StrAppend(&out, "\"customers\": ", r.customers, ", \"active_start\": ", r.active_start, ", \"active\": ", r.active,
            ", \"new\": ", r.new_customers, ", \"new_active\": ", r.new_active, ", \"retained\": ", r.retained,
            ", \"churned\": ", r.churned, ", \"lapsed_start\": ", r.lapsed_start, ", \"reactivated\": ", r.reactivated,
            ", \"buyers\": ", r.buyers, ", \"purchases\": ", r.purchases, ", \"revenue\": ", FormatMoney(r.revenue));
  StrAppend(&out, ", \"retention_rate\": ", Num(r.retention_rate), ", \"churn_rate\": ", Num(r.churn_rate),
            ", \"reactivation_rate\": ", Num(r.reactivation_rate), ", \"average_ticket\": ", Money(r.average_ticket),
            ", \"purchase_frequency\": ", Num(r.purchase_frequency),
            ", \"revenue_per_customer\": ", Money(r.revenue_per_customer));
  StrAppend(&out, ", \"lifetime_observed_days\": ", Num(r.lifetime_observed_days),
            ", \"lifetime_from_churn_days\": ", Num(r.lifetime_from_churn_days),
            ", \"lifetime_model_days\": ", Num(r.lifetime_model_days));
  StrAppend(&out, ", \"nps\": ", Num(r.nps), ", \"answers\": ", r.answers, ", \"promoters\": ", r.promoters,
            ", \"passives\": ", r.passives, ", \"detractors\": ", r.detractors);
  StrAppend(&out, ", \"positivacao\": ", Num(r.positivacao), ", \"book_at_start\": ", r.book_at_start,
            ", \"moved\": ", r.moved, ", \"giro\": ", Num(r.giro), ", \"top20_share\": ", Num(r.top20_share),
            ", \"gini\": ", Num(r.gini));
  return out;
}

void WriteKpiTable(std::ostream& out, const KpiRow& r) {
  auto line = [&out](const char* name, const std::string& value, const char* note) {
    out << absl::StrFormat("  %-26s %16s  %s\n", name, value, note);
  };
  line("customers", StrCat(r.customers), "customers that exist by the end");
  line("active_start (S)", StrCat(r.active_start), "active on the eve of the period");
  line("active (E)", StrCat(r.active), "active at the end");
  line("new", StrCat(r.new_customers), StrCat("first purchase in the period (", r.new_active, " still active)").c_str());
  line("retained / churned", StrCat(r.retained, " / ", r.churned), "of S");
  line("reactivated", StrCat(r.reactivated), StrCat("of ", r.lapsed_start, " lapsed at the start").c_str());
  line("retention_rate", Cell(r.retention_rate), "(E - N) / S");
  line("churn_rate", Cell(r.churn_rate), "churned / S");
  line("reactivation_rate", Cell(r.reactivation_rate), "reactivated / lapsed at the start");
  line("revenue", FormatMoney(r.revenue), StrCat(r.purchases, " purchases by ", r.buyers, " buyers").c_str());
  line("average_ticket", Cell(r.average_ticket), "revenue / purchases");
  line("purchase_frequency", Cell(r.purchase_frequency), "purchases / buyers");
  line("revenue_per_customer", Cell(r.revenue_per_customer), "revenue / buyers");
  line("lifetime_observed_days", Cell(r.lifetime_observed_days, "%.1f"), "mean last - first purchase, not active at the end");
  line("lifetime_from_churn_days", Cell(r.lifetime_from_churn_days, "%.1f"), "period days / churn_rate");
  line("lifetime_model_days", Cell(r.lifetime_model_days, "%.1f"), "from the fitted model (--lifetime-model)");
  line("nps", Cell(r.nps, "%.1f"), StrCat(r.promoters, " promoters, ", r.passives, " passives, ", r.detractors,
                                          " detractors").c_str());
  line("positivacao", Cell(r.positivacao), "buyers / customers");
  line("giro", Cell(r.giro), StrCat(r.moved, " of ", r.book_at_start, " customers with a rep moved").c_str());
  line("top20_share", Cell(r.top20_share), "revenue share of the top 20% of customers");
  line("gini", Cell(r.gini), "revenue concentration");
}

std::string GroupJson(const KpiRow& r) { return r.unassigned ? "null" : JsonString(r.group); }

}  // namespace

int RunKpi(const LoadFlags& load, const KpiFlags& flags, std::ostream& out, std::ostream& err) {
  auto fail = [&err](const absl::Status& s) {
    err << "carteira kpi: " << s.message() << "\n";
    return ExitCodeFor(s);
  };
  auto from = DateFlag("--from", flags.from);
  if (!from.ok()) return fail(from.status());
  auto to = DateFlag("--to", flags.to);
  if (!to.ok()) return fail(to.status());
  if (*to < *from) {
    return fail(absl::InvalidArgumentError(
        StrCat("--to ", FormatDate(*to), " is before --from ", FormatDate(*from), ": the period ends before it starts")));
  }
  KpiGrouping by = KpiGrouping::kNone;
  if (!flags.by.empty()) {
    auto parsed = ParseKpiGrouping(flags.by);
    if (!parsed) return fail(absl::InvalidArgumentError(StrCat("--by ", flags.by, ": use rep, segment or region")));
    by = *parsed;
  }
  if (flags.active_by != "status" && !flags.policy_file.empty()) {
    return fail(absl::InvalidArgumentError("--policy applies with --active-by status"));
  }
  Portfolio portfolio;
  if (auto s = LoadPortfolio(load, portfolio, err); !s.ok()) return fail(s);
  auto activity = ScanPeriod(portfolio, *from, *to);
  if (!activity.ok()) return fail(activity.status());
  KpiOptions options;
  options.active_window_days = flags.active_window;
  std::optional<StatusTable> start_status, end_status;
  if (flags.active_by == "status") {
    StatusFlags status_flags;
    status_flags.policy_file = flags.policy_file;
    auto policy = ResolvePolicy(status_flags);
    if (!policy.ok()) return fail(policy.status());
    auto engine = StatusEngine::Create(portfolio, *std::move(policy));
    if (!engine.ok()) return fail(engine.status());
    auto s = engine->Classify(*from - 1);
    auto e = engine->Classify(*to);
    if (!s.ok()) return fail(s.status());
    if (!e.ok()) return fail(e.status());
    start_status = std::move(*s);
    end_status = std::move(*e);
    options.status_at_start = &*start_status;
    options.status_at_end = &*end_status;
  }
  if (!flags.lifetime_model.empty()) {
    const auto kind = models::ParseModelKind(flags.lifetime_model);
    if (!kind) return fail(absl::InvalidArgumentError(StrCat("--lifetime-model ", flags.lifetime_model, ": unknown model")));
    SummaryOptions so;
    so.as_of = ToDate(*to);
    so.unit = TimeUnit::kWeeks;
    auto summary = Summarize(portfolio, so);
    if (!summary.ok()) return fail(summary.status());
    auto model = models::Model::Fit(*kind, models::RfmFromSummary(*summary));
    if (!model.ok()) return fail(absl::Status(model.status().code(), StrCat("--lifetime-model: ", model.status().message())));
    auto days = ExpectedLifetimeDays(*model);
    if (days.ok()) {
      options.model_lifetime_days = *days;
    } else {
      err << "carteira kpi: note: --lifetime-model: " << days.status().message() << "; lifetime_model_days is null\n";
    }
  }
  auto report = ComputeKpis(portfolio, *activity, options, by);
  if (!report.ok()) return fail(report.status());
  auto cohorts = CohortRetention(*activity);
  const std::string definition =
      report->active_by_status ? std::string("status new, active, at_risk or reactivated (status engine)")
                               : StrCat("a purchase within ", report->active_window_days, " days");
  if (flags.format == "json") {
    out << "{\"from\": " << JsonString(FormatDate(report->from)) << ", \"to\": " << JsonString(FormatDate(report->to))
        << ", \"days\": " << activity->days() << ",\n \"active_definition\": " << JsonString(definition)
        << ",\n \"overall\": {" << KpiJson(report->overall) << "}";
    if (by != KpiGrouping::kNone) {
      const std::string key(KpiGroupingName(by));
      out << ",\n \"by\": " << JsonString(key) << ",\n \"groups\": [";
      for (size_t g = 0; g < report->groups.size(); ++g) {
        out << (g ? ",\n  " : "\n  ") << "{" << JsonString(key) << ": " << GroupJson(report->groups[g]) << ", "
            << KpiJson(report->groups[g]) << "}";
      }
      out << (report->groups.empty() ? "]" : "\n ]");
    }
    out << ",\n \"cohorts\": ";
    if (!cohorts.ok()) {
      out << "null";
    } else {
      out << "[";
      for (size_t c = 0; c < cohorts->month.size(); ++c) {
        out << (c ? ",\n  " : "\n  ") << "{\"month\": " << JsonString(FormatDate(cohorts->month[c]).substr(0, 7))
            << ", \"size\": " << cohorts->size[c] << ", \"buyers\": [";
        for (size_t k = 0; k < cohorts->buyers[c].size(); ++k) out << (k ? ", " : "") << cohorts->buyers[c][k];
        out << "], \"retention\": [";
        for (size_t k = 0; k < cohorts->buyers[c].size(); ++k) out << (k ? ", " : "") << Num(cohorts->Retention(c, k));
        out << "]}";
      }
      out << (cohorts->month.empty() ? "]" : "\n ]");
    }
    out << "}\n";
    return kExitOk;
  }
  out << "KPIs " << FormatDate(report->from) << " to " << FormatDate(report->to) << " (" << activity->days()
      << " days); active = " << definition << "\n";
  WriteKpiTable(out, report->overall);
  if (by != KpiGrouping::kNone) {
    out << "\nBy " << KpiGroupingName(by) << ":\n";
    out << absl::StrFormat("  %-16s %8s %8s %9s %8s %8s %12s %7s %7s %7s %7s %7s %7s\n", KpiGroupingName(by),
                           "customers", "active", "retention", "churn", "reactiv", "ticket", "freq", "nps",
                           "positiv", "giro", "top20", "gini");
    for (const KpiRow& r : report->groups) {
      out << "  " << Pad(r.unassigned ? "(none)" : r.group, 17)
          << absl::StrFormat("%8d %8d %9s %8s %8s %12s %7s %7s %7s %7s %7s %7s\n", r.customers, r.active,
                             Cell(r.retention_rate), Cell(r.churn_rate), Cell(r.reactivation_rate),
                             Cell(r.average_ticket), Cell(r.purchase_frequency, "%.2f"), Cell(r.nps, "%.1f"),
                             Cell(r.positivacao), Cell(r.giro), Cell(r.top20_share), Cell(r.gini));
    }
  }
  if (flags.cohort) {
    if (!cohorts.ok()) {
      out << "\nNo cohort matrix: " << cohorts.status().message() << "\n";
    } else {
      out << "\nCohort retention by first-purchase month (share buying in month +k):\n  month     size";
      for (size_t k = 0; k < cohorts->month.size(); ++k) out << absl::StrFormat(" %6s", StrCat("+", k));
      out << "\n";
      for (size_t c = 0; c < cohorts->month.size(); ++c) {
        out << "  " << FormatDate(cohorts->month[c]).substr(0, 7) << absl::StrFormat(" %6d", cohorts->size[c]);
        for (size_t k = 0; k < cohorts->buyers[c].size(); ++k) out << absl::StrFormat(" %6s", Cell(cohorts->Retention(c, k), "%.3f"));
        out << "\n";
      }
    }
  }
  return kExitOk;
}

int RunReps(const LoadFlags& load, const RepsFlags& flags, std::ostream& out, std::ostream& err) {
  auto fail = [&err](const absl::Status& s) {
    err << "carteira reps: " << s.message() << "\n";
    return ExitCodeFor(s);
  };
  auto format = ParseOutputFormat(flags.format);
  if (!format.ok()) return fail(format.status());
  Portfolio portfolio;
  if (auto s = LoadPortfolio(load, portfolio, err); !s.ok()) return fail(s);
  auto as_of = ResolveAsOf(flags.as_of, portfolio);
  if (!as_of.ok()) return fail(as_of.status());
  DayNumber from = *as_of - 364;
  if (!flags.from.empty()) {
    auto day = DateFlag("--from", flags.from);
    if (!day.ok()) return fail(day.status());
    from = *day;
  }
  if (*as_of < from) {
    return fail(absl::InvalidArgumentError(StrCat("--from ", FormatDate(from), " is after --as-of ", FormatDate(*as_of),
                                                  ": the period ends before it starts")));
  }
  StatusFlags status_flags;
  status_flags.policy_file = flags.policy_file;
  auto policy = ResolvePolicy(status_flags);
  if (!policy.ok()) return fail(policy.status());
  auto engine = StatusEngine::Create(portfolio, *std::move(policy));
  if (!engine.ok()) return fail(engine.status());
  auto status = engine->Classify(*as_of);
  if (!status.ok()) return fail(status.status());
  auto activity = ScanPeriod(portfolio, from, *as_of);
  if (!activity.ok()) return fail(activity.status());
  auto rows = RepDashboard(portfolio, *activity, *status);
  if (!rows.ok()) return fail(rows.status());
  const RepTable& reps = portfolio.reps();
  auto id = [&reps](const RepDashboardRow& r) { return r.rep == kNoRep ? std::string() : std::string(reps.id[r.rep]); };
  auto name = [&reps](const RepDashboardRow& r) { return r.rep == kNoRep ? std::string() : std::string(reps.name[r.rep]); };
  switch (*format) {
    case OutputFormat::kCsv:
      out << "rep_id,name,book";
      for (int s = 0; s < kStatusCount; ++s) out << "," << StatusName(static_cast<Status>(s));
      out << ",revenue,buyers,positivacao,nps,answers,promoters,passives,detractors,last_contact,"
             "days_since_last_contact,at_risk_value\n";
      for (const RepDashboardRow& r : *rows) {
        out << CsvQuote(id(r)) << "," << CsvQuote(name(r)) << "," << r.book;
        for (int s = 0; s < kStatusCount; ++s) out << "," << r.status[s];
        out << "," << FormatMoney(r.revenue) << "," << r.buyers << ","
            << (r.positivacao ? FormatDouble(*r.positivacao) : "") << "," << (r.nps ? FormatDouble(*r.nps) : "") << ","
            << r.answers << "," << r.promoters << "," << r.passives << "," << r.detractors << ","
            << (r.last_contact == kNoDay ? std::string() : FormatDate(r.last_contact)) << ","
            << (r.days_since_last_contact ? StrCat(*r.days_since_last_contact) : std::string()) << ","
            << FormatMoney(r.at_risk_value) << "\n";
      }
      break;
    case OutputFormat::kJson:
      out << "{\"from\": " << JsonString(FormatDate(from)) << ", \"to\": " << JsonString(FormatDate(*as_of))
          << ",\n \"reps\": [";
      for (size_t i = 0; i < rows->size(); ++i) {
        const RepDashboardRow& r = (*rows)[i];
        out << (i ? ",\n  " : "\n  ") << "{\"rep_id\": " << (r.rep == kNoRep ? "null" : JsonString(id(r)))
            << ", \"name\": " << (r.rep == kNoRep ? "null" : JsonString(name(r))) << ", \"book\": " << r.book
            << ", \"status\": {";
        for (int s = 0; s < kStatusCount; ++s) {
          out << (s ? ", " : "") << JsonString(std::string(StatusName(static_cast<Status>(s)))) << ": " << r.status[s];
        }
        out << "}, \"revenue\": " << FormatMoney(r.revenue) << ", \"buyers\": " << r.buyers
            << ", \"positivacao\": " << Num(r.positivacao) << ", \"nps\": " << Num(r.nps) << ", \"answers\": " << r.answers
            << ", \"promoters\": " << r.promoters << ", \"passives\": " << r.passives << ", \"detractors\": " << r.detractors
            << ", \"last_contact\": " << (r.last_contact == kNoDay ? std::string("null") : JsonString(FormatDate(r.last_contact)))
            << ", \"days_since_last_contact\": "
            << (r.days_since_last_contact ? StrCat(*r.days_since_last_contact) : std::string("null"))
            << ", \"at_risk\": " << r.at_risk << ", \"at_risk_value\": " << FormatMoney(r.at_risk_value) << "}";
      }
      out << (rows->empty() ? "]}\n" : "\n ]}\n");
      break;
    case OutputFormat::kTable:
      out << "Reps as of " << FormatDate(*as_of) << " (period " << FormatDate(from) << " to " << FormatDate(*as_of) << ")\n";
      out << absl::StrFormat("  %-8s %-22s %6s %6s %6s %6s %6s %14s %8s %6s %8s %14s\n", "rep", "name", "book", "active",
                             "at_risk", "inact", "lost", "revenue", "positiv", "nps", "contact", "at_risk_value");
      for (const RepDashboardRow& r : *rows) {
        const std::int64_t active = r.status[static_cast<int>(Status::kActive)] + r.status[static_cast<int>(Status::kNew)] +
                                    r.status[static_cast<int>(Status::kReactivated)];
        out << "  " << Pad(r.rep == kNoRep ? "(none)" : id(r), 9) << Pad(name(r), 23)
            << absl::StrFormat("%6d %6d %6d %6d %6d %14s %8s %6s %8s %14s\n", r.book, active,
                               r.status[static_cast<int>(Status::kAtRisk)], r.status[static_cast<int>(Status::kInactive)],
                               r.status[static_cast<int>(Status::kLost)], FormatMoney(r.revenue), Cell(r.positivacao),
                               Cell(r.nps, "%.1f"),
                               r.days_since_last_contact ? StrCat(*r.days_since_last_contact, "d") : std::string("-"),
                               FormatMoney(r.at_risk_value));
      }
      break;
  }
  return kExitOk;
}

}  // namespace carteira::cli
