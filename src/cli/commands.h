// Shared pieces of the `carteira` subcommands: loading a portfolio from the
// command line's options and mapping failures to exit codes.
#ifndef CARTEIRA_SRC_CLI_COMMANDS_H_
#define CARTEIRA_SRC_CLI_COMMANDS_H_

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "carteira/core/date.h"
#include "carteira/io/import.h"
#include "carteira/portfolio/portfolio.h"
#include "carteira/status/status_engine.h"
#include "carteira/status/status_policy.h"

namespace carteira::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

// Exit code for a failed status: 2 when the input is at fault.
int ExitCodeFor(const absl::Status& status);

struct LoadFlags {
  std::string db_file;  // the global --db: read the portfolio from this store
  std::string data_dir;
  std::string transactions_file;
  bool lenient = false;
  std::string delimiter;  // "", ",", ";", "tab", "space"
  bool no_header = false;
  std::vector<std::string> mappings;  // [entity:]field=source
};

// Loads the portfolio the flags name, printing the import report's problems
// to `err`. Fills `report` when given.
absl::Status LoadPortfolio(const LoadFlags& flags, Portfolio& portfolio, std::ostream& err,
                           ImportReport* report = nullptr);

// The as-of date: the flag's value, or the last transaction date (so that a
// run is reproducible and does not depend on today's date).
absl::StatusOr<DayNumber> ResolveAsOf(const std::string& flag, const Portfolio& portfolio);

// Where the embedded sample portfolio lives (source tree or installed copy).
std::string SampleDirectory();

struct StatusFlags {
  std::string policy_file;
  std::string as_of;
  std::optional<int> at_risk_after, inactive_after, lost_after;
  std::string format = "table";
  bool counts = false;
  std::vector<std::string> only;  // status names
  // The P(alive) rule: a model fitted on the portfolio as of the date
  // (bgnbd, mbgnbd, paretonbd; empty = none), its thresholds, and the
  // horizon in days of the expected purchases it reports.
  std::string p_alive_model;
  double p_alive_at_risk = 0.5, p_alive_inactive = 0.2;
  int expected_horizon_days = 90;
};

// The policy the flags describe: --policy FILE, or the defaults; the
// threshold flags alone mean exactly those fixed thresholds, and with a
// policy file they replace its thresholds everywhere (global and segments).
absl::StatusOr<StatusPolicy> ResolvePolicy(const StatusFlags& flags);

// Fits flags.p_alive_model on the portfolio as of `as_of` (in weeks) and
// registers the P(alive) rule on `engine` (status, plan).
absl::Status AddPAliveRule(const Portfolio& portfolio, DayNumber as_of, const StatusFlags& flags,
                           StatusEngine& engine, std::ostream& err);

int RunStatus(const LoadFlags& load, const StatusFlags& flags, std::ostream& out, std::ostream& err);
int RunTransitions(const LoadFlags& load, const StatusFlags& flags, const std::string& from,
                   const std::string& to, std::ostream& out, std::ostream& err);

struct ModelFlags {
  std::string model;
  std::string unit = "weeks";  // days, weeks, months
  std::string format;          // fit: table|json; predict: csv|json
  std::string calibration_end;
  std::string summary_file;  // fit: x,t_x,T[,zbar][,weight]
  std::string params_json;   // predict: {"r": ..., ...}
  std::string fit_from;      // predict: a transactions file to fit on and predict for
  double horizon = 0;
  double discount_rate = 0;  // per year, for the CLV
  double margin = 1;
};

int RunFit(const LoadFlags& load, const ModelFlags& flags, std::ostream& out, std::ostream& err);
int RunPredict(const LoadFlags& load, const ModelFlags& flags, std::ostream& out, std::ostream& err);

// Data hygiene (hygiene_command.cpp, merge_command.cpp). check-doc and
// check-phone exit 1 when any value is invalid.
int RunCheckDoc(const std::vector<std::string>& values, std::ostream& out);
int RunCheckPhone(const std::vector<std::string>& values, const std::string& region,
                  std::ostream& out);
int RunHygiene(const LoadFlags& load, const std::string& format, std::ostream& out,
               std::ostream& err);

struct MergeFlags {
  std::vector<std::string> cluster;  // ids; the first is the survivor unless --into
  std::string into;
  std::string by;    // who merges; default: $USER
  std::string date;  // default: today
};
int RunMerge(const LoadFlags& load, const MergeFlags& flags, std::ostream& out, std::ostream& err);

// Segments and KPIs (segments_command.cpp, kpi_command.cpp).
struct SegmentsFlags {
  std::string as_of;
  std::string format = "csv";  // csv, json, table (counts only)
  std::string map_file;        // JSON segment map; default: the built-in one
  std::string abc = "80/15/5";
  std::string abc_from;  // default: as_of - 364 (12 months)
  bool check_map = false;
};
int RunSegments(const LoadFlags& load, const SegmentsFlags& flags, std::ostream& out, std::ostream& err);

struct KpiFlags {
  std::string from, to;
  std::string by;                 // "", rep, segment, region
  std::string format = "table";   // table, json
  int active_window = 180;
  std::string active_by = "purchases";  // purchases, status
  std::string policy_file;        // with --active-by status
  std::string lifetime_model;     // bgnbd, mbgnbd, paretonbd: fitted as of --to
  bool cohort = false;            // table format: also print the cohort matrix
};
int RunKpi(const LoadFlags& load, const KpiFlags& flags, std::ostream& out, std::ostream& err);

struct RepsFlags {
  std::string as_of, from;  // period [from, as_of]; from defaults to as_of - 364
  std::string policy_file;
  std::string format = "table";  // table, csv, json
};
int RunReps(const LoadFlags& load, const RepsFlags& flags, std::ostream& out, std::ostream& err);

// The HTML report (report_command.cpp, docs/report.md).
struct ReportFlags {
  std::string as_of;           // default: --to, else the last transaction date
  std::string from, to;        // period [from, to]; to = as_of, from = to - 364 by default
  std::string out;             // the HTML file
  std::string lang = "pt-BR";  // pt-BR or en
  std::string policy_file;     // status policy (JSON)
  std::string map_file;        // segment map (JSON)
  std::string currency = "R$";
  std::string title;
};
int RunReport(const LoadFlags& load, const ReportFlags& flags, std::ostream& out, std::ostream& err);

// Redistribution plans (plan_command.cpp; docs/redistribution.md).
struct PlanFlags {
  std::string as_of;
  std::string policy_file;         // the pipeline (JSON); else the flags below
  std::string status_policy_file;  // the status policy (JSON; docs/status.md)
  std::string p_alive_model;       // at risk by P(alive) too: bgnbd, mbgnbd, paretonbd
  double p_alive_at_risk = 0.5, p_alive_inactive = 0.2;
  std::string assign_unowned;      // method: round_robin, least_loaded, capacity_weighted
  std::string cursor;              // round robin's cursor from the last plan
  bool rotate_at_risk = false;
  int no_contact_days = 60;
  int cooldown_days = 180;
  int max_moves_per_rep = 0;
  bool rebalance = false;
  double tolerance = 0.10;
  std::string objective = "moves";  // moves, value
  std::string handover;             // rep id
  std::string effective, until;     // handover dates
  std::string format = "table";     // table, json
};
int RunPlan(const LoadFlags& load, const PlanFlags& flags, std::ostream& out, std::ostream& err);

struct ApplyFlags {
  std::string plan_file;
  std::string by;  // who applies (store record); default: $USER
};
int RunApply(const LoadFlags& load, const ApplyFlags& flags, std::ostream& out, std::ostream& err);

// The agenda (agenda_command.cpp; docs/actions.md).
struct AgendaFlags {
  std::string as_of;
  int horizon_days = 7;
  std::string rep;                 // only this rep's tasks
  std::vector<std::string> types;  // renewal, reactivation, visit, nps_survey, follow_up
  std::string policy_file;         // status policy (JSON)
  std::string format = "table";    // table, csv, json
};
int RunAgenda(const LoadFlags& load, const AgendaFlags& flags, std::ostream& out, std::ostream& err);

// Sales opportunities (opportunities_command.cpp; docs/opportunities.md).
struct OpportunitiesFlags {
  std::string as_of;
  int top = 3;                        // suggestions per customer
  std::int64_t min_pair_customers = 3;
  std::string week;                   // only the customers whose window opens in that week
  std::string p_alive_model;          // bgnbd, mbgnbd, paretonbd: P(alive) and expected purchases too
  int expected_horizon_days = 30;
  std::string format = "table";       // table, csv, json
};
int RunOpportunities(const LoadFlags& load, const OpportunitiesFlags& flags, std::ostream& out, std::ostream& err);

struct MixFlags {
  std::string from, to;
  std::string by;                // "", rep, segment
  std::string format = "table";  // table, csv, json
};
int RunMix(const LoadFlags& load, const MixFlags& flags, std::ostream& out, std::ostream& err);

struct IcpFlags {
  std::string as_of;
  double best_share = 0.2;
  int top = 15;                  // table: customers closest to the profile
  std::string format = "table";  // table, csv, json
};
int RunIcp(const LoadFlags& load, const IcpFlags& flags, std::ostream& out, std::ostream& err);
// The loyalty program (loyalty_command.cpp; docs/actions.md).
struct LoyaltyFlags {
  std::string view = "balance";  // balance, history, expiring
  std::string rules_file;        // the rules (JSON); optional with a ledger file
  std::string ledger_file;       // the host's ledger; default DIR/loyalty.csv when present
  std::int32_t within_days = 30; // "expiring soon"
  std::string as_of;
  std::string customer;          // one customer's history
  std::string format = "table";  // table, json
};
int RunLoyalty(const LoadFlags& load, const LoyaltyFlags& flags, std::ostream& out, std::ostream& err);

// `carteira db ...` and merges on a store (db_command.cpp).
struct DbFlags {
  std::string db_file;
  std::string dir;           // import, append
  bool replace = false;      // import: replace what the store holds
  std::string format = "table";
  std::string as_of;         // append: the refresh date (default: last transaction)
  std::string policy_file;   // append: the status policy of the refresh
  int busy_timeout_ms = 2000;
  std::string loyalty_rules_file;  // import, append: the rules a loyalty.csv in DIR is replayed with
};
int RunDbInit(const DbFlags& flags, std::ostream& out, std::ostream& err);
int RunDbImport(const DbFlags& flags, const LoadFlags& load, std::ostream& out, std::ostream& err);
int RunDbAppend(const DbFlags& flags, const LoadFlags& load, std::ostream& out, std::ostream& err);
int RunDbInfo(const DbFlags& flags, std::ostream& out, std::ostream& err);
int RunDbCheck(const DbFlags& flags, std::ostream& out, std::ostream& err);
int RunStoreMerge(const std::string& db_file, const CustomerMerge& merge, std::ostream& out,
                  std::ostream& err);
// Import options from the CSV flags (delimiter, header, mappings, lenient).
absl::StatusOr<ImportOptions> ImportOptionsFrom(const LoadFlags& flags);

// The demo's store when neither --data nor --db is given:
// $XDG_DATA_HOME/carteira/demo.db, ~/.local/share/carteira/demo.db, or the
// temporary directory when those cannot be written.
std::string DefaultDemoStore();

int RunDemo(const std::string& data_dir, const std::string& db_file, const std::string& as_of,
            std::ostream& out, std::ostream& err);

}  // namespace carteira::cli

#endif  // CARTEIRA_SRC_CLI_COMMANDS_H_
