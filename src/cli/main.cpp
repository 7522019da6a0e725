// `carteira`: the command-line tool over the core. Exit codes: 0 success,
// 2 bad input (the message names the place), 1 any other failure.
#include <exception>
#include <iostream>
#include <sstream>
#include <string>

#include "CLI/CLI.hpp"
#include "carteira/io/import.h"
#include "carteira/summary/customer_summary.h"
#include "carteira/version.h"
#include "src/cli/commands.h"
#include "src/cli/summary_output.h"

namespace carteira::cli {
namespace {

void AddLoadFlags(CLI::App* cmd, LoadFlags& flags, bool allow_transactions_file) {
  cmd->add_option("--data", flags.data_dir,
                  "Directory holding customers.csv, transactions.csv, reps.csv, ...");
  if (allow_transactions_file) {
    cmd->add_option("--transactions", flags.transactions_file, "A transactions file alone");
  }
  cmd->add_flag("--lenient", flags.lenient,
                "Import the good rows and list the bad ones (default: strict, all or nothing)");
  cmd->add_option("--delimiter", flags.delimiter,
                  "Field delimiter: one character, 'tab' or 'space' (default: detect)");
  cmd->add_flag("--no-header", flags.no_header, "Files have no header row");
  cmd->add_option("--map", flags.mappings,
                  "Column mapping [entity:]field=column, column a header name or 1-based "
                  "position (entity defaults to transactions); repeatable");
}

int RunSummary(const LoadFlags& flags, const std::string& as_of_flag, const std::string& unit,
               const std::string& format_name) {
  auto format = ParseOutputFormat(format_name);
  if (!format.ok()) {
    std::cerr << "carteira summary: " << format.status().message() << "\n";
    return kExitBadInput;
  }
  Portfolio portfolio;
  if (auto s = LoadPortfolio(flags, portfolio, std::cerr); !s.ok()) {
    std::cerr << "carteira summary: " << s.message() << "\n";
    return ExitCodeFor(s);
  }
  auto as_of = ResolveAsOf(as_of_flag, portfolio);
  if (!as_of.ok()) {
    std::cerr << "carteira summary: " << as_of.status().message() << "\n";
    return ExitCodeFor(as_of.status());
  }
  SummaryOptions options;
  options.as_of = ToDate(*as_of);
  options.unit = unit == "weeks" ? TimeUnit::kWeeks : TimeUnit::kDays;
  auto summary = Summarize(portfolio, options);
  if (!summary.ok()) {
    std::cerr << "carteira summary: " << summary.status().message() << "\n";
    return ExitCodeFor(summary.status());
  }
  WriteSummary(std::cout, portfolio, *summary, *format);
  return kExitOk;
}

int RunImport(const LoadFlags& flags) {
  Portfolio portfolio;
  ImportReport report;
  // The full report goes to stdout below; the short stderr listing is dropped.
  std::ostringstream short_listing;
  const absl::Status s = LoadPortfolio(flags, portfolio, short_listing, &report);
  std::cout << report.Summary();
  if (!s.ok()) {
    std::cerr << "carteira import: " << s.message() << "\n";
    return ExitCodeFor(s);
  }
  return kExitOk;
}

int Main(int argc, char** argv) {
  CLI::App app{"Carteira: customer-portfolio management (gestão de carteira de clientes)",
               "carteira"};
  app.set_version_flag("--version", std::string("carteira ") + std::to_string(CARTEIRA_VERSION_MAJOR) +
                                        "." + std::to_string(CARTEIRA_VERSION_MINOR) + "." +
                                        std::to_string(CARTEIRA_VERSION_PATCH));
  app.require_subcommand(1);
  // Global: every command that reads a portfolio reads it from this store.
  // Accepted before or after the subcommand (fallthrough).
  std::string db_file;
  app.add_option("--db", db_file,
                 "A Carteira store (SQLite file) to read the portfolio from instead of --data; "
                 "the store for `carteira db` commands");
  app.fallthrough();

  LoadFlags summary_flags;
  std::string as_of, unit = "days", format = "table";
  CLI::App* summary = app.add_subcommand("summary", "Per-customer summary as of a date");
  AddLoadFlags(summary, summary_flags, /*allow_transactions_file=*/true);
  summary->add_option("--as-of", as_of,
                      "Date (YYYY-MM-DD or dd/mm/yyyy); default: the last transaction date");
  summary->add_option("--unit", unit, "Time unit of t_x and T")
      ->check(CLI::IsMember({"days", "weeks"}));
  summary->add_option("--format", format, "Output format")
      ->check(CLI::IsMember({"table", "csv", "json"}));

  LoadFlags import_flags;
  CLI::App* import = app.add_subcommand("import", "Validate a data directory and print the report");
  AddLoadFlags(import, import_flags, /*allow_transactions_file=*/true);

  LoadFlags status_load;
  StatusFlags status_flags;
  int at_risk_after = 0, inactive_after = 0, lost_after = 0;
  CLI::App* status = app.add_subcommand("status", "Lifecycle status of every customer as of a date");
  AddLoadFlags(status, status_load, /*allow_transactions_file=*/true);
  status->add_option("--policy", status_flags.policy_file, "Status policy (JSON; docs/status.md)");
  status->add_option("--as-of", status_flags.as_of,
                     "Date (YYYY-MM-DD or dd/mm/yyyy); default: the last transaction date");
  CLI::Option* at_risk_flag = status->add_option(
      "--at-risk-after", at_risk_after, "Days without purchase beyond which a customer is at_risk");
  CLI::Option* inactive_flag = status->add_option(
      "--inactive-after", inactive_after, "Days without purchase beyond which a customer is inactive");
  CLI::Option* lost_flag = status->add_option(
      "--lost-after", lost_after, "Days without purchase beyond which a customer is lost");
  status->add_option("--format", status_flags.format, "Output format")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  status->add_flag("--counts", status_flags.counts, "Only the number of customers per status");
  status->add_option("--only", status_flags.only, "Only customers with this status (repeatable)");
  status->add_option("--p-alive-model", status_flags.p_alive_model,
                     "Judge customers by P(alive) from this model fitted on the portfolio as of the date; "
                     "adds the p_alive and expected_purchases_<N>d columns")
      ->check(CLI::IsMember({"bgnbd", "mbgnbd", "paretonbd"}));
  status->add_option("--p-alive-at-risk", status_flags.p_alive_at_risk, "P(alive) below this: at_risk (0.5)");
  status->add_option("--p-alive-inactive", status_flags.p_alive_inactive, "P(alive) below this: inactive (0.2)");
  status->add_option("--expected-horizon", status_flags.expected_horizon_days,
                     "Days ahead for the expected purchases column (90)");

  LoadFlags transitions_load;
  StatusFlags transitions_flags;
  std::string from, to;
  CLI::App* transitions =
      app.add_subcommand("transitions", "Every status change between two dates");
  AddLoadFlags(transitions, transitions_load, /*allow_transactions_file=*/true);
  transitions->add_option("--policy", transitions_flags.policy_file, "Status policy (JSON)");
  transitions->add_option("--from", from, "Start date (the status on it is the starting point)")
      ->required();
  transitions->add_option("--to", to, "End date (inclusive)")->required();
  transitions->add_option("--format", transitions_flags.format, "Output format")
      ->check(CLI::IsMember({"table", "csv", "json"}));

  LoadFlags fit_load;
  ModelFlags fit_flags;
  fit_flags.format = "table";
  CLI::App* fit = app.add_subcommand("fit", "Fit a customer model (BG/NBD, MBG/NBD, Pareto/NBD, BG/BB, Gamma-Gamma)");
  AddLoadFlags(fit, fit_load, /*allow_transactions_file=*/true);
  fit->add_option("--model", fit_flags.model, "bgnbd, mbgnbd, paretonbd, bgbb or gammagamma")
      ->required()
      ->check(CLI::IsMember({"bgnbd", "mbgnbd", "paretonbd", "bgbb", "gammagamma"}));
  fit->add_option("--summary", fit_flags.summary_file,
                  "Summary file: x,t_x,T (frequency,recency,periods for bgbb), optional zbar and weights");
  fit->add_option("--calibration-end", fit_flags.calibration_end,
                  "Summarise the transactions as of this date; default: the last transaction date");
  fit->add_option("--unit", fit_flags.unit, "Time unit of t_x, T and the parameters")
      ->check(CLI::IsMember({"days", "weeks", "months"}));
  fit->add_option("--format", fit_flags.format, "Output format")->check(CLI::IsMember({"table", "json"}));

  LoadFlags predict_load;
  ModelFlags predict_flags;
  predict_flags.format = "csv";
  CLI::App* predict = app.add_subcommand(
      "predict", "Per customer: P(alive), expected purchases, expected spend and lifetime value");
  AddLoadFlags(predict, predict_load, /*allow_transactions_file=*/true);
  predict->add_option("--model", predict_flags.model, "bgnbd, mbgnbd or paretonbd")
      ->required()
      ->check(CLI::IsMember({"bgnbd", "mbgnbd", "paretonbd", "bgbb", "gammagamma"}));
  predict->add_option("--params", predict_flags.params_json,
                      "Known parameters as JSON, e.g. '{\"r\": 0.243, \"alpha\": 4.414, \"a\": 0.793, \"b\": 2.426}'");
  predict->add_option("--fit-from", predict_flags.fit_from, "Transactions file to fit on and predict for");
  predict->add_option("--calibration-end", predict_flags.calibration_end,
                      "The as-of date of the predictions; default: the last transaction date");
  predict->add_option("--horizon", predict_flags.horizon, "How far ahead, in --unit")->required();
  predict->add_option("--unit", predict_flags.unit, "Time unit of the horizon and the parameters")
      ->check(CLI::IsMember({"days", "weeks", "months"}));
  predict->add_option("--discount-rate", predict_flags.discount_rate, "Annual discount rate of the CLV (0.1 = 10%)");
  predict->add_option("--margin", predict_flags.margin, "Margin applied to spend in the CLV (0.3 = 30%)");
  predict->add_option("--format", predict_flags.format, "Output format")->check(CLI::IsMember({"csv", "json"}));

  std::vector<std::string> doc_values;
  CLI::App* check_doc = app.add_subcommand(
      "check-doc", "Validate and format CPF/CNPJ numbers (exit 1 if any is invalid)");
  check_doc->add_option("value", doc_values, "CPF or CNPJ, with or without punctuation")->required();

  std::vector<std::string> phone_values;
  std::string phone_region = "BR";
  CLI::App* check_phone = app.add_subcommand(
      "check-phone", "Validate phone numbers: E.164 and line type (exit 1 if any is invalid)");
  check_phone->add_option("value", phone_values, "Phone number")->required();
  check_phone->add_option("--region", phone_region,
                          "Region of numbers written without +country (ISO code; default BR)");

  LoadFlags hygiene_load;
  std::string hygiene_format = "table";
  CLI::App* hygiene = app.add_subcommand(
      "hygiene", "Problems in the customer records and likely duplicates (changes nothing)");
  AddLoadFlags(hygiene, hygiene_load, /*allow_transactions_file=*/false);
  hygiene->add_option("--format", hygiene_format, "Output format")
      ->check(CLI::IsMember({"table", "json"}));

  LoadFlags merge_load;
  MergeFlags merge_flags;
  CLI::App* merge = app.add_subcommand(
      "merge", "Merge duplicate customers in a data directory (rewrites its files safely)");
  AddLoadFlags(merge, merge_load, /*allow_transactions_file=*/false);
  merge->add_option("--cluster", merge_flags.cluster, "Customer ids to merge, comma-separated")
      ->required()
      ->delimiter(',');
  merge->add_option("--into", merge_flags.into, "The surviving customer (default: the first id)");
  merge->add_option("--by", merge_flags.by, "Who merges, for the record (default: $USER)");
  merge->add_option("--date", merge_flags.date, "Date of the merge, for the record (default: today)");

  LoadFlags segments_load;
  SegmentsFlags segments_flags;
  CLI::App* segments = app.add_subcommand(
      "segments", "RFM scores, named segments and ABC classes of every customer with a purchase");
  AddLoadFlags(segments, segments_load, /*allow_transactions_file=*/true);
  segments->add_option("--as-of", segments_flags.as_of,
                       "Date (YYYY-MM-DD or dd/mm/yyyy); default: the last transaction date");
  segments->add_option("--format", segments_flags.format, "csv or json (one row a customer), table (counts)")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  segments->add_option("--segment-map", segments_flags.map_file, "Segment map (JSON; docs/segments.md)");
  segments->add_flag("--check-map", segments_flags.check_map,
                     "Only check the segment map: rules that never match, cells no rule covers (exit 1 if any)");
  segments->add_option("--abc", segments_flags.abc, "ABC thresholds in percent (default 80/15/5)");
  segments->add_option("--abc-from", segments_flags.abc_from,
                       "Start of the ABC revenue period (default: 364 days before --as-of)");

  LoadFlags kpi_load;
  KpiFlags kpi_flags;
  CLI::App* kpi = app.add_subcommand("kpi", "Portfolio KPIs over a period, overall or by rep, segment or region");
  AddLoadFlags(kpi, kpi_load, /*allow_transactions_file=*/true);
  kpi->add_option("--from", kpi_flags.from, "First day of the period")->required();
  kpi->add_option("--to", kpi_flags.to, "Last day of the period (included)")->required();
  kpi->add_option("--by", kpi_flags.by, "Also by rep, segment or region")
      ->check(CLI::IsMember({"rep", "segment", "region"}));
  kpi->add_option("--format", kpi_flags.format, "Output format")->check(CLI::IsMember({"table", "json"}));
  kpi->add_option("--active-window", kpi_flags.active_window,
                  "Active = a purchase within this many days (default 180)")
      ->check(CLI::Range(0, 36500));
  kpi->add_option("--active-by", kpi_flags.active_by,
                  "purchases (the window) or status (the status engine's verdict)")
      ->check(CLI::IsMember({"purchases", "status"}));
  kpi->add_option("--policy", kpi_flags.policy_file, "Status policy for --active-by status (JSON)");
  kpi->add_option("--lifetime-model", kpi_flags.lifetime_model,
                  "Fit this model as of --to for lifetime_model_days")
      ->check(CLI::IsMember({"bgnbd", "mbgnbd", "paretonbd"}));
  kpi->add_flag("--cohort", kpi_flags.cohort, "Table format: also print the cohort retention matrix");

  LoadFlags reps_load;
  RepsFlags reps_flags;
  CLI::App* reps = app.add_subcommand("reps", "Per-rep dashboard: book, statuses, revenue, positivação, NPS, contact");
  AddLoadFlags(reps, reps_load, /*allow_transactions_file=*/false);
  reps->add_option("--as-of", reps_flags.as_of, "Date; default: the last transaction date");
  reps->add_option("--from", reps_flags.from, "Start of the period (default: 364 days before --as-of)");
  reps->add_option("--policy", reps_flags.policy_file, "Status policy (JSON; docs/status.md)");
  reps->add_option("--format", reps_flags.format, "Output format")->check(CLI::IsMember({"table", "csv", "json"}));

  LoadFlags plan_load;
  PlanFlags plan_flags;
  CLI::App* plan = app.add_subcommand(
      "plan", "A redistribution plan (giro, assignment, rebalance, handover) as a dry run");
  AddLoadFlags(plan, plan_load, /*allow_transactions_file=*/false);
  plan->add_option("--as-of", plan_flags.as_of, "Date; default: the last transaction date");
  plan->add_option("--policy", plan_flags.policy_file,
                   "Pipeline of policies (JSON; docs/redistribution.md) instead of the flags below");
  plan->add_option("--status-policy", plan_flags.status_policy_file, "Status policy (JSON; docs/status.md)");
  plan->add_option("--p-alive-model", plan_flags.p_alive_model,
                   "At risk by P(alive) too: a model fitted as of --as-of (bgnbd, mbgnbd, paretonbd)");
  plan->add_option("--p-alive-at-risk", plan_flags.p_alive_at_risk, "P(alive) below this: at_risk (0.5)");
  plan->add_option("--p-alive-inactive", plan_flags.p_alive_inactive, "P(alive) below this: inactive (0.2)");
  plan->add_option("--assign-unowned", plan_flags.assign_unowned,
                   "Place customers without an active rep: round_robin, least_loaded or capacity_weighted");
  plan->add_option("--cursor", plan_flags.cursor, "Round robin: the rep that last received (from the last plan)");
  plan->add_flag("--rotate-at-risk", plan_flags.rotate_at_risk,
                 "Giro: move neglected at-risk customers to another rep of the territory");
  plan->add_option("--no-contact-days", plan_flags.no_contact_days,
                   "Giro: the rep's silence (no sale, no contact) that triggers a move (60)");
  plan->add_option("--cooldown-days", plan_flags.cooldown_days,
                   "Never back to a rep who held the customer within this many days (180)");
  plan->add_option("--max-moves-per-rep", plan_flags.max_moves_per_rep,
                   "Giro: at most this many moves into and out of any rep (0 = no limit)");
  plan->add_flag("--rebalance", plan_flags.rebalance,
                 "Bring every rep within --tolerance of the region's mean (exact min-cost flow)");
  plan->add_option("--tolerance", plan_flags.tolerance, "Rebalance: share of the mean (0.10)");
  plan->add_option("--objective", plan_flags.objective, "Rebalance: fewest moves or least moved value")
      ->check(CLI::IsMember({"moves", "value"}));
  plan->add_option("--handover", plan_flags.handover, "Distribute this rep's book");
  plan->add_option("--effective", plan_flags.effective, "Handover: from this date (default: --as-of)");
  plan->add_option("--until", plan_flags.until, "Handover: temporary, returning on this date");
  plan->add_option("--format", plan_flags.format, "Output format")->check(CLI::IsMember({"table", "json"}));

  LoadFlags agenda_load;
  AgendaFlags agenda_flags;
  CLI::App* agenda = app.add_subcommand(
      "agenda", "What each rep should do: renewals, reactivations, visits, NPS surveys, follow-ups");
  AddLoadFlags(agenda, agenda_load, /*allow_transactions_file=*/false);
  agenda->add_option("--as-of", agenda_flags.as_of, "Date; default: the last transaction date");
  agenda->add_option("--horizon", agenda_flags.horizon_days, "Tasks due up to this many days ahead (7)");
  agenda->add_option("--rep", agenda_flags.rep, "Only this rep's tasks");
  agenda->add_option("--type", agenda_flags.types,
                     "Only these types (repeatable): renewal, reactivation, visit, nps_survey, follow_up, "
                     "purchase_window (not in the default list)");
  agenda->add_option("--policy", agenda_flags.policy_file, "Status policy (JSON; docs/status.md)");
  agenda->add_option("--format", agenda_flags.format, "Output format")
      ->check(CLI::IsMember({"table", "csv", "json"}));

  LoadFlags opportunities_load;
  OpportunitiesFlags opportunities_flags;
  CLI::App* opportunities = app.add_subcommand(
      "opportunities", "What to offer each customer (cross-sell) and when (the next purchase window)");
  AddLoadFlags(opportunities, opportunities_load, /*allow_transactions_file=*/true);
  opportunities->add_option("--as-of", opportunities_flags.as_of, "Date; default: the last transaction date");
  opportunities->add_option("--top", opportunities_flags.top, "Suggestions per customer (3)")
      ->check(CLI::Range(1, 50));
  opportunities->add_option("--min-pair-customers", opportunities_flags.min_pair_customers,
                            "A pair of categories bought together by fewer customers is no evidence (3)")
      ->check(CLI::Range(1, 1000000000));
  opportunities->add_option("--week", opportunities_flags.week,
                            "Only the customers whose purchase window opens in the week starting on this date");
  opportunities->add_option("--p-alive-model", opportunities_flags.p_alive_model,
                            "Also P(alive) and the expected purchases from this model fitted as of --as-of")
      ->check(CLI::IsMember({"bgnbd", "mbgnbd", "paretonbd"}));
  opportunities->add_option("--expected-horizon", opportunities_flags.expected_horizon_days,
                            "Days of the model's expected purchases (30)")
      ->check(CLI::Range(1, 36500));
  opportunities->add_option("--format", opportunities_flags.format, "Output format")
      ->check(CLI::IsMember({"table", "csv", "json"}));

  LoadFlags mix_load;
  MixFlags mix_flags;
  CLI::App* mix = app.add_subcommand(
      "mix", "Product mix of a period: categories per customer, positivação de mix, category by segment");
  AddLoadFlags(mix, mix_load, /*allow_transactions_file=*/true);
  mix->add_option("--from", mix_flags.from, "First day of the period")->required();
  mix->add_option("--to", mix_flags.to, "Last day of the period (included)")->required();
  mix->add_option("--by", mix_flags.by, "Also by rep (book at --to) or segment")
      ->check(CLI::IsMember({"rep", "segment"}));
  mix->add_option("--format", mix_flags.format, "Output format")->check(CLI::IsMember({"table", "csv", "json"}));

  LoadFlags icp_load;
  IcpFlags icp_flags;
  CLI::App* icp = app.add_subcommand(
      "icp", "Ideal customer profile: what the best customers share, and who is closest to them");
  AddLoadFlags(icp, icp_load, /*allow_transactions_file=*/false);
  icp->add_option("--as-of", icp_flags.as_of, "Date; default: the last transaction date");
  icp->add_option("--best-share", icp_flags.best_share, "Best customers: this top share by revenue (0.2)")
      ->check(CLI::Range(0.001, 0.999));
  icp->add_option("--top", icp_flags.top, "Table: how many customers closest to the profile (15)")
      ->check(CLI::Range(0, 100000));
  icp->add_option("--format", icp_flags.format, "Output format")->check(CLI::IsMember({"table", "csv", "json"}));
  LoadFlags loyalty_load;
  LoyaltyFlags loyalty_flags;
  CLI::App* loyalty = app.add_subcommand(
      "loyalty", "Loyalty points: balances, tiers and points expiring soon, or one customer's history");
  AddLoadFlags(loyalty, loyalty_load, /*allow_transactions_file=*/false);
  loyalty->add_option("view", loyalty_flags.view, "balance (default), history (with --customer) or expiring")
      ->check(CLI::IsMember({"balance", "history", "expiring"}));
  loyalty->add_option("--rules", loyalty_flags.rules_file,
                      "The loyalty rules (JSON; docs/actions.md); without a ledger file, points are earned from "
                      "the purchases with them");
  loyalty->add_option("--ledger", loyalty_flags.ledger_file,
                      "The host's ledger (customer_id;date;kind;points;reference); default: loyalty.csv in --data");
  loyalty->add_option("--within", loyalty_flags.within_days, "Days for 'expiring soon' (30)")
      ->check(CLI::Range(1, 3650));
  loyalty->add_option("--as-of", loyalty_flags.as_of, "Date; default: the last transaction date");
  loyalty->add_option("--customer", loyalty_flags.customer, "One customer's balance, tier and ledger entries");
  loyalty->add_option("--format", loyalty_flags.format, "Output format")->check(CLI::IsMember({"table", "json"}));

  LoadFlags apply_load;
  ApplyFlags apply_flags;
  CLI::App* apply = app.add_subcommand(
      "apply", "Apply a reviewed plan (JSON from `carteira plan`) to the assignment history");
  AddLoadFlags(apply, apply_load, /*allow_transactions_file=*/false);
  apply->add_option("--plan", apply_flags.plan_file, "The plan (JSON)")->required();
  apply->add_option("--by", apply_flags.by, "Who applies it (recorded in a store; default: $USER)");
  LoadFlags report_load;
  ReportFlags report_flags;
  CLI::App* report = app.add_subcommand(
      "report", "The portfolio report: one self-contained HTML file with charts and tables (docs/report.md)");
  AddLoadFlags(report, report_load, /*allow_transactions_file=*/true);
  report->add_option("--out", report_flags.out, "The HTML file to write (replaced atomically)")->required();
  report->add_option("--as-of", report_flags.as_of,
                     "The report's date (statuses, segments, books; the period's end); default: the last "
                     "transaction date");
  report->add_option("--from", report_flags.from, "First day of the period (default: 364 days before the as-of date)");
  report->add_option("--to", report_flags.to, "Last day of the period: the as-of date");
  report->add_option("--lang", report_flags.lang, "pt-BR (1.234,56; dd/mm/yyyy) or en (1,234.56; yyyy-mm-dd)");
  report->add_option("--policy", report_flags.policy_file, "Status policy (JSON; docs/status.md)");
  report->add_option("--segment-map", report_flags.map_file, "Segment map (JSON; docs/segments.md)");
  report->add_option("--currency", report_flags.currency, "Currency symbol before amounts (default R$; '' for none)");
  report->add_option("--title", report_flags.title, "Title of the report");

  DbFlags db_flags;
  LoadFlags db_load;
  CLI::App* db = app.add_subcommand("db", "The embedded store (--db FILE): init, import, append, info, check");
  db->require_subcommand(1);
  db->add_option("--busy-timeout", db_flags.busy_timeout_ms,
                 "Milliseconds to wait for another writer before failing with 'busy' (2000)");
  CLI::App* db_init = db->add_subcommand("init", "Create the store (or check that it is one)");
  CLI::App* db_import = db->add_subcommand("import", "Load a data directory into an empty store");
  db_import->add_option("dir", db_flags.dir, "Data directory (customers.csv, transactions.csv, ...)")->required();
  db_import->add_flag("--replace", db_flags.replace, "Replace what the store holds");
  db_import->add_option("--policy", db_flags.policy_file, "Status policy of the first status run (JSON)");
  db_import->add_option("--loyalty-rules", db_flags.loyalty_rules_file,
                        "Loyalty rules (JSON) for a loyalty.csv in the directory; default: the default rules");
  AddLoadFlags(db_import, db_load, /*allow_transactions_file=*/false);
  CLI::App* db_append = db->add_subcommand(
      "append", "Append the day's files (new transactions, customers, contacts) and report status changes");
  db_append->add_option("dir", db_flags.dir, "Directory of the day's files")->required();
  db_append->add_option("--as-of", db_flags.as_of, "Date of the status refresh; default: the last transaction date");
  db_append->add_option("--policy", db_flags.policy_file, "Status policy (JSON); without it, the last refresh's (kept in the store)");
  db_append->add_option("--format", db_flags.format, "Output format")->check(CLI::IsMember({"table", "json"}));
  db_append->add_option("--loyalty-rules", db_flags.loyalty_rules_file,
                        "Loyalty rules (JSON) for a loyalty.csv in the directory; default: the default rules");
  AddLoadFlags(db_append, db_load, /*allow_transactions_file=*/false);
  CLI::App* db_info = db->add_subcommand("info", "Rows per entity");
  db_info->add_option("--format", db_flags.format, "Output format")->check(CLI::IsMember({"table", "json"}));
  CLI::App* db_check = db->add_subcommand("check", "Check the store's consistency (exit 1 on any problem)");

  std::string demo_dir, demo_as_of;
  CLI::App* demo = app.add_subcommand("demo", "The main job on the embedded sample portfolio");
  demo->add_option("--data", demo_dir,
                   "Use this data directory instead of the demo store (built from the sample)");
  demo->add_option("--as-of", demo_as_of, "Date; default: the last transaction date");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitBadInput;
  }
  for (LoadFlags* flags : {&summary_flags, &import_flags, &status_load, &transitions_load, &fit_load,
                           &predict_load, &hygiene_load, &merge_load, &segments_load, &kpi_load, &reps_load,
                           &plan_load, &apply_load, &report_load, &agenda_load, &opportunities_load,
                           &mix_load, &icp_load, &loyalty_load}) {
    flags->db_file = db_file;
  }
  if (db->parsed()) {
    db_flags.db_file = db_file;
    if (db_file.empty()) {
      std::cerr << "carteira db: --db FILE is required\n";
      return kExitBadInput;
    }
    if (db_init->parsed()) return RunDbInit(db_flags, std::cout, std::cerr);
    if (db_import->parsed()) return RunDbImport(db_flags, db_load, std::cout, std::cerr);
    if (db_append->parsed()) return RunDbAppend(db_flags, db_load, std::cout, std::cerr);
    if (db_info->parsed()) return RunDbInfo(db_flags, std::cout, std::cerr);
    if (db_check->parsed()) return RunDbCheck(db_flags, std::cout, std::cerr);
    return kExitFailure;
  }
  if (summary->parsed()) return RunSummary(summary_flags, as_of, unit, format);
  if (import->parsed()) return RunImport(import_flags);
  if (status->parsed()) {
    if (at_risk_flag->count() > 0) status_flags.at_risk_after = at_risk_after;
    if (inactive_flag->count() > 0) status_flags.inactive_after = inactive_after;
    if (lost_flag->count() > 0) status_flags.lost_after = lost_after;
    return RunStatus(status_load, status_flags, std::cout, std::cerr);
  }
  if (fit->parsed()) return RunFit(fit_load, fit_flags, std::cout, std::cerr);
  if (predict->parsed()) return RunPredict(predict_load, predict_flags, std::cout, std::cerr);
  if (transitions->parsed()) {
    return RunTransitions(transitions_load, transitions_flags, from, to, std::cout, std::cerr);
  }
  if (check_doc->parsed()) return RunCheckDoc(doc_values, std::cout);
  if (check_phone->parsed()) return RunCheckPhone(phone_values, phone_region, std::cout);
  if (hygiene->parsed()) return RunHygiene(hygiene_load, hygiene_format, std::cout, std::cerr);
  if (merge->parsed()) {
    if (merge_load.data_dir.empty() && merge_load.db_file.empty()) {
      std::cerr << "carteira merge: --data DIR or --db FILE is required\n";
      return kExitBadInput;
    }
    return RunMerge(merge_load, merge_flags, std::cout, std::cerr);
  }
  if (segments->parsed()) {
    if (!segments_flags.check_map && segments_load.data_dir.empty() && segments_load.transactions_file.empty() &&
        segments_load.db_file.empty()) {
      std::cerr << "carteira segments: give --data DIR (or --transactions FILE, or --db FILE)\n";
      return kExitBadInput;
    }
    return RunSegments(segments_load, segments_flags, std::cout, std::cerr);
  }
  if (kpi->parsed()) return RunKpi(kpi_load, kpi_flags, std::cout, std::cerr);
  if (reps->parsed()) return RunReps(reps_load, reps_flags, std::cout, std::cerr);
  if (agenda->parsed()) {
    if (agenda_load.data_dir.empty() && agenda_load.db_file.empty()) {
      std::cerr << "carteira agenda: give --data DIR or --db FILE\n";
      return kExitBadInput;
    }
    return RunAgenda(agenda_load, agenda_flags, std::cout, std::cerr);
  }
  if (loyalty->parsed()) {
    if (loyalty_load.data_dir.empty() && loyalty_load.db_file.empty()) {
      std::cerr << "carteira loyalty: give --data DIR or --db FILE\n";
      return kExitBadInput;
    }
    return RunLoyalty(loyalty_load, loyalty_flags, std::cout, std::cerr);
  }
  if (plan->parsed() || apply->parsed()) {
    const LoadFlags& l = plan->parsed() ? plan_load : apply_load;
    if (l.data_dir.empty() && l.db_file.empty()) {
      std::cerr << "carteira " << (plan->parsed() ? "plan" : "apply") << ": give --data DIR or --db FILE\n";
      return kExitBadInput;
    }
    if (plan->parsed()) return RunPlan(plan_load, plan_flags, std::cout, std::cerr);
    return RunApply(apply_load, apply_flags, std::cout, std::cerr);
  }
  if (opportunities->parsed() || mix->parsed() || icp->parsed()) {
    const LoadFlags& l = opportunities->parsed() ? opportunities_load : mix->parsed() ? mix_load : icp_load;
    if (l.data_dir.empty() && l.transactions_file.empty() && l.db_file.empty()) {
      std::cerr << "carteira " << (opportunities->parsed() ? "opportunities" : mix->parsed() ? "mix" : "icp")
                << ": give --data DIR or --db FILE\n";
      return kExitBadInput;
    }
    if (opportunities->parsed()) return RunOpportunities(opportunities_load, opportunities_flags, std::cout, std::cerr);
    if (mix->parsed()) return RunMix(mix_load, mix_flags, std::cout, std::cerr);
    return RunIcp(icp_load, icp_flags, std::cout, std::cerr);
  }
  if (report->parsed()) return RunReport(report_load, report_flags, std::cout, std::cerr);
  if (demo->parsed()) return RunDemo(demo_dir, db_file, demo_as_of, std::cout, std::cerr);
  return kExitFailure;
}

}  // namespace
}  // namespace carteira::cli

int main(int argc, char** argv) {
  try {
    return carteira::cli::Main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "carteira: " << e.what() << "\n";
    return carteira::cli::kExitFailure;
  }
}
