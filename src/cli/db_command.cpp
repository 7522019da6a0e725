// `carteira db init|import|append|info|check`, merges on a store, and the
// demo's default store. import and append also take a loyalty.csv found in
// the directory into the store's loyalty ledger, in the same transaction.
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>

#include <unistd.h>

#include "absl/strings/str_format.h"
#include "carteira/actions/loyalty.h"
#include "carteira/actions/loyalty_file.h"
#include "carteira/core/strings.h"
#include "carteira/store/store.h"
#include "src/cli/commands.h"
#include "src/cli/summary_output.h"

namespace carteira::cli {
namespace {

int Fail(std::ostream& err, std::string_view command, const absl::Status& s) {
  err << "carteira db " << command << ": " << s.message() << "\n";
  return ExitCodeFor(s);
}

absl::StatusOr<Store> OpenForWriting(const DbFlags& flags, bool create) {
  if (flags.db_file.empty()) return absl::InvalidArgumentError("--db FILE is required");
  StoreOptions options;
  options.create = create;
  options.busy_timeout = std::chrono::milliseconds(flags.busy_timeout_ms);
  return Store::Open(flags.db_file, options);
}

absl::StatusOr<Store> OpenForReading(const DbFlags& flags) {
  if (flags.db_file.empty()) return absl::InvalidArgumentError("--db FILE is required");
  StoreOptions options;
  options.create = false;
  options.read_only = true;
  options.busy_timeout = std::chrono::milliseconds(flags.busy_timeout_ms);
  return Store::Open(flags.db_file, options);
}

// --policy when given; otherwise the policy of the store's last refresh
// (kept with it), so that every run judges by the same rules; the default
// policy for a store that has none.
absl::StatusOr<StatusPolicy> PolicyOf(Store& store, const DbFlags& flags) {
  if (flags.policy_file.empty()) {
    auto stored = store.LastPolicy();
    if (!stored.ok()) return stored.status();
    if (stored->has_value()) {
      return StatusPolicy::FromJson(**stored, StrCat(store.path(), " (the last refresh's policy)"));
    }
  }
  StatusFlags status_flags;
  status_flags.policy_file = flags.policy_file;
  return ResolvePolicy(status_flags);
}

// Reads a directory of CSV files with the import flags.
absl::Status ReadDirectory(const std::string& dir, const LoadFlags& load, bool create_references,
                           Portfolio& portfolio, std::ostream& err) {
  auto options = ImportOptionsFrom(load);
  if (!options.ok()) return options.status();
  if (create_references) {
    // The day's files name customers and reps the store already has.
    options->unknown_customers = UnknownReference::kCreate;
    options->unknown_reps = UnknownReference::kCreate;
  }
  ImportReport report;
  absl::Status s = ImportDirectory(portfolio, dir, *options, &report);
  for (const auto& note : report.notes) err << "note: " << note << "\n";
  constexpr size_t kShown = 50;
  for (size_t i = 0; i < std::min(kShown, report.issues.size()); ++i) {
    err << report.issues[i].ToString() << "\n";
  }
  if (report.issue_count > static_cast<std::int64_t>(kShown)) {
    err << "... and " << report.issue_count - static_cast<std::int64_t>(kShown) << " more bad rows\n";
  }
  return s;
}

// DIR/loyalty.csv when there is one (the host's loyalty ledger), else "".
std::string LoyaltyFileIn(const std::string& dir) {
  std::error_code ec;
  const std::string candidate = (std::filesystem::path(dir) / "loyalty.csv").string();
  return std::filesystem::is_regular_file(candidate, ec) ? candidate : std::string();
}

absl::StatusOr<LoyaltyRules> LoyaltyRulesOf(const DbFlags& flags) {
  if (flags.loyalty_rules_file.empty()) return LoyaltyRules{};
  return LoyaltyRules::FromFile(flags.loyalty_rules_file);
}

void WriteLoyaltyLine(std::ostream& out, const std::string& file, const LoyaltyFileReport& r) {
  out << "loyalty: " << r.rows << " entries from " << file;
  if (r.expired > 0) out << " (" << r.expired << " expire rows skipped: expiry follows the rules)";
  out << "\n";
}

absl::StatusOr<RefreshReport> Refresh(Store& store, const DbFlags& flags) {
  auto policy = PolicyOf(store, flags);
  if (!policy.ok()) return policy.status();
  DayNumber as_of = kNoDay;
  if (!flags.as_of.empty()) {
    auto day = ParseDate(flags.as_of);
    if (!day.ok()) return absl::InvalidArgumentError(StrCat("--as-of: ", day.status().message()));
    as_of = *day;
  } else {
    auto last = store.LastTransactionDate();
    if (!last.ok()) return last.status();
    auto refreshed = store.LastRefreshDate();
    if (!refreshed.ok()) return refreshed.status();
    as_of = std::max(*last, *refreshed);
    if (as_of == kNoDay) return RefreshReport{};  // nothing to judge yet
  }
  return store.RefreshStatuses(as_of, *policy);
}

void WriteEvents(std::ostream& out, const RefreshReport& r, const std::string& format) {
  if (format == "json") {
    out << "{\"as_of\": " << (r.as_of == kNoDay ? "null" : JsonString(FormatDate(r.as_of)))
        << ", \"previous_as_of\": "
        << (r.previous_as_of == kNoDay ? "null" : JsonString(FormatDate(r.previous_as_of)))
        << ", \"customers_checked\": " << r.customers_checked
        << ", \"policy_changed\": " << (r.policy_changed ? "true" : "false") << ", \"events\": [";
    for (size_t i = 0; i < r.events.size(); ++i) {
      const StatusEvent& e = r.events[i];
      out << (i ? ", " : "") << "{\"customer_id\": " << JsonString(e.customer_id) << ", \"from\": "
          << (e.first ? "null" : JsonString(std::string(StatusName(e.from)))) << ", \"to\": "
          << JsonString(std::string(StatusName(e.to))) << ", \"flags\": "
          << JsonString(FlagNames(e.to_flags, "|")) << "}";
    }
    out << "]}\n";
    return;
  }
  if (r.as_of == kNoDay) {
    out << "Statuses: nothing to judge yet (no transactions)\n";
    return;
  }
  if (r.policy_changed) {
    out << "note: the status policy differs from the previous refresh's: every customer was judged "
           "again, and the changes below include the ones the new policy made\n";
  }
  out << "Statuses as of " << FormatDate(r.as_of);
  if (r.previous_as_of != kNoDay) out << " (previous run " << FormatDate(r.previous_as_of) << ")";
  out << ": " << r.customers_checked << " customers recomputed, " << r.events.size()
      << " changes\n";
  std::map<std::pair<std::string, std::string>, size_t> by_change;
  for (const StatusEvent& e : r.events) {
    ++by_change[{e.first ? std::string("(new)") : std::string(StatusName(e.from)),
                 std::string(StatusName(e.to))}];
  }
  for (const auto& [change, n] : by_change) {
    out << absl::StrFormat("  %-12s -> %-12s %8d\n", change.first, change.second, n);
  }
  constexpr size_t kShown = 20;
  for (size_t i = 0; i < std::min(kShown, r.events.size()); ++i) {
    const StatusEvent& e = r.events[i];
    out << "  " << e.customer_id << ": " << (e.first ? "(new)" : StatusName(e.from)) << " -> "
        << StatusName(e.to) << "\n";
  }
  if (r.events.size() > kShown) out << "  ... and " << r.events.size() - kShown << " more\n";
}

}  // namespace

int RunDbInit(const DbFlags& flags, std::ostream& out, std::ostream& err) {
  const bool existed = !flags.db_file.empty() && std::filesystem::exists(flags.db_file);
  auto store = OpenForWriting(flags, /*create=*/true);
  if (!store.ok()) return Fail(err, "init", store.status());
  out << (existed ? "opened " : "created ") << store->path() << " (Carteira store, schema version "
      << store->schema_version() << ")\n";
  return kExitOk;
}

int RunDbImport(const DbFlags& flags, const LoadFlags& load, std::ostream& out, std::ostream& err) {
  Portfolio portfolio;
  // Read and validate everything before the store is touched.
  if (auto s = ReadDirectory(flags.dir, load, /*create_references=*/false, portfolio, err); !s.ok()) {
    return Fail(err, "import", s);
  }
  // The host's loyalty ledger, replayed over the portfolio read: an error in
  // it is found before the store is touched too.
  const std::string loyalty_file = LoyaltyFileIn(flags.dir);
  std::optional<LoyaltyLedger> ledger;
  LoyaltyFileReport replayed;
  if (!loyalty_file.empty()) {
    auto rules = LoyaltyRulesOf(flags);
    if (!rules.ok()) return Fail(err, "import", rules.status());
    auto created = LoyaltyLedger::Create(portfolio, *std::move(rules));
    if (!created.ok()) return Fail(err, "import", created.status());
    ledger.emplace(*std::move(created));
    auto report = ReplayLoyaltyFile(loyalty_file, portfolio, *ledger);
    if (!report.ok()) return Fail(err, "import", report.status());
    replayed = *report;
  }
  auto store = OpenForWriting(flags, /*create=*/true);
  if (!store.ok()) return Fail(err, "import", store.status());
  // The portfolio and its ledger: one transaction.
  absl::Status saved = store->Atomically([&](Store& s) -> absl::Status {
    if (auto st = s.Save(portfolio, flags.replace); !st.ok()) return st;
    return ledger ? s.SaveLoyalty(portfolio, *ledger) : absl::OkStatus();
  });
  if (!saved.ok()) return Fail(err, "import", saved);
  out << "imported " << flags.dir << " into " << store->path() << ": " << portfolio.customers().size()
      << " customers, " << portfolio.reps().size() << " reps, " << portfolio.transactions().size()
      << " transactions\n";
  if (ledger) WriteLoyaltyLine(out, loyalty_file, replayed);
  // The first status run: the baseline the next append's changes are told against.
  auto refreshed = Refresh(*store, flags);
  if (!refreshed.ok()) return Fail(err, "import", refreshed.status());
  WriteEvents(out, *refreshed, "table");
  return kExitOk;
}

int RunDbAppend(const DbFlags& flags, const LoadFlags& load, std::ostream& out, std::ostream& err) {
  Portfolio delta;
  if (auto s = ReadDirectory(flags.dir, load, /*create_references=*/true, delta, err); !s.ok()) {
    return Fail(err, "append", s);
  }
  const std::string loyalty_file = LoyaltyFileIn(flags.dir);
  std::optional<LoyaltyRules> rules;
  if (!loyalty_file.empty()) {
    auto read = LoyaltyRulesOf(flags);
    if (!read.ok()) return Fail(err, "append", read.status());
    rules = *std::move(read);
  }
  auto store = OpenForWriting(flags, /*create=*/false);
  if (!store.ok()) return Fail(err, "append", store.status());
  // The day's rows and the day's loyalty movements: one transaction. The
  // movements are replayed onto the stored ledger over the whole portfolio
  // (the day's customers included), read inside the transaction.
  AppendReport a;
  LoyaltyFileReport replayed;
  // Without loyalty movements the append is one transaction by itself (and,
  // outside a caller's transaction, the store may use its second thread
  // and keep the rows for the refresh: docs/store.md, "Performance").
  absl::Status done = rules ? absl::OkStatus() : [&]() -> absl::Status {
    auto appended = store->Append(delta);
    if (!appended.ok()) return appended.status();
    a = *appended;
    return absl::OkStatus();
  }();
  if (rules) done = store->Atomically([&](Store& s) -> absl::Status {
    auto appended = s.Append(delta);
    if (!appended.ok()) return appended.status();
    a = *appended;
    Portfolio all;
    if (auto st = s.LoadInto(all); !st.ok()) return st;
    auto ledger = s.LoadLoyalty(all, *rules);
    if (!ledger.ok()) return ledger.status();
    auto report = ReplayLoyaltyFile(loyalty_file, all, *ledger);
    if (!report.ok()) return report.status();
    replayed = *report;
    return s.SaveLoyalty(all, *ledger);
  });
  if (!done.ok()) return Fail(err, "append", done);
  if (flags.format != "json") {
    out << "appended " << flags.dir << " to " << store->path() << ": " << a.transactions
        << " transactions, " << a.customers_added << " new customers (" << a.customers_updated
        << " updated), " << a.reps_added << " new reps, " << a.contracts << " contracts, "
        << a.interactions << " interactions, " << a.surveys << " survey answers, " << a.assignments
        << " assignments; " << a.affected_customers << " customers affected\n";
    if (rules) WriteLoyaltyLine(out, loyalty_file, replayed);
  }
  auto refreshed = Refresh(*store, flags);
  if (!refreshed.ok()) return Fail(err, "append", refreshed.status());
  WriteEvents(out, *refreshed, flags.format);
  return kExitOk;
}

int RunDbInfo(const DbFlags& flags, std::ostream& out, std::ostream& err) {
  auto store = OpenForReading(flags);
  if (!store.ok()) return Fail(err, "info", store.status());
  auto counts = store->Counts();
  if (!counts.ok()) return Fail(err, "info", counts.status());
  auto last = store->LastTransactionDate();
  if (!last.ok()) return Fail(err, "info", last.status());
  auto refreshed = store->LastRefreshDate();
  if (!refreshed.ok()) return Fail(err, "info", refreshed.status());
  if (flags.format == "json") {
    out << "{";
    bool first = true;
    for (const auto& [table, n] : *counts) {
      out << (first ? "" : ", ") << JsonString(table) << ": " << n;
      first = false;
    }
    out << ", \"schema_version\": " << store->schema_version() << ", \"last_transaction_date\": "
        << (*last == kNoDay ? "null" : JsonString(FormatDate(*last))) << ", \"last_status_run\": "
        << (*refreshed == kNoDay ? "null" : JsonString(FormatDate(*refreshed))) << "}\n";
    return kExitOk;
  }
  out << "Carteira store " << store->path() << " (schema version " << store->schema_version() << ")\n";
  for (const auto& [table, n] : *counts) out << absl::StrFormat("  %-18s %12d\n", table, n);
  out << "  last transaction   " << (*last == kNoDay ? "-" : FormatDate(*last)) << "\n";
  out << "  last status run    " << (*refreshed == kNoDay ? "-" : FormatDate(*refreshed)) << "\n";
  return kExitOk;
}

int RunDbCheck(const DbFlags& flags, std::ostream& out, std::ostream& err) {
  auto store = OpenForReading(flags);
  if (!store.ok()) return Fail(err, "check", store.status());
  auto report = store->Check();
  if (!report.ok()) return Fail(err, "check", report.status());
  if (report->ok()) {
    out << store->path() << ": ok\n";
    return kExitOk;
  }
  for (const std::string& p : report->problems) out << store->path() << ": " << p << "\n";
  return kExitFailure;
}

int RunStoreMerge(const std::string& db_file, const CustomerMerge& merge, std::ostream& out,
                  std::ostream& err) {
  StoreOptions options;
  options.create = false;
  auto store = Store::Open(db_file, options);
  if (!store.ok()) {
    err << "carteira merge: " << store.status().message() << "\n";
    return ExitCodeFor(store.status());
  }
  if (auto s = store->MergeCustomers(std::span<const CustomerMerge>(&merge, 1)); !s.ok()) {
    err << "carteira merge: --cluster: " << s.message() << "\n";
    return ExitCodeFor(s);
  }
  out << "merged " << merge.merged.size() << " customer(s) into " << merge.into << " in "
      << store->path() << "\n";
  return kExitOk;
}

std::string DefaultDemoStore() {
  namespace fs = std::filesystem;
  std::vector<fs::path> dirs;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) dirs.push_back(fs::path(xdg) / "carteira");
  if (const char* home = std::getenv("HOME"); home && *home) {
    dirs.push_back(fs::path(home) / ".local" / "share" / "carteira");
  }
  std::error_code ec;
  for (const fs::path& dir : dirs) {
    fs::create_directories(dir, ec);
    if (!ec && ::access(dir.c_str(), W_OK) == 0) return (dir / "demo.db").string();
  }
  return (fs::temp_directory_path(ec) / StrCat("carteira-demo-", ::getuid(), ".db")).string();
}

}  // namespace carteira::cli
