// `carteira loyalty [balance|history|expiring]`: each customer's points
// balance, tier and the points expiring soon, the customers with points
// expiring, or one customer's ledger, as of a date. The ledger is the
// host's file (loyalty.csv in the data directory, or --ledger), the store's
// (--db), or, without one, earned from the purchases with a rules file
// (docs/actions.md).
#include <algorithm>
#include <filesystem>
#include <optional>
#include <ostream>

#include "absl/strings/str_format.h"
#include "carteira/actions/loyalty.h"
#include "carteira/actions/loyalty_file.h"
#include "carteira/core/strings.h"
#include "carteira/store/store.h"
#include "src/cli/commands.h"
#include "src/cli/summary_output.h"

namespace carteira::cli {
namespace {

// Earns from the purchases and writes off expired points month by month up
// to `as_of`, so that each expire entry is dated at the end of the month in
// which its lot expired (or on the as-of date), as a monthly batch would
// have written it; the balances do not depend on the stepping.
// With a ledger file, only expiry: the file holds the earnings.
absl::Status BringUpTo(const Portfolio& portfolio, DayNumber as_of, bool earn, LoyaltyLedger& ledger) {
  const TransactionTable& tx = portfolio.transactions();
  DayNumber first = kNoDay;
  for (size_t i = 0; i < tx.size(); ++i) {
    if (tx.date[i] <= as_of && (first == kNoDay || tx.date[i] < first)) first = tx.date[i];
  }
  if (first == kNoDay) return absl::OkStatus();
  // A ledger read back from the store may be earned up to a later day already.
  auto earn_to = [&](DayNumber day) { return earn && (ledger.earned_until() == kNoDay || day >= ledger.earned_until()); };
  for (DayNumber month_end = ToDayNumber(ToDate(first).end_of_month()); month_end < as_of;
       month_end = ToDayNumber((ToDate(month_end) + boost::gregorian::days(1)).end_of_month())) {
    if (earn_to(month_end)) {
      if (auto s = ledger.EarnFromTransactions(month_end); !s.ok()) return s.status();
    }
    if (auto s = ledger.ExpireUntil(month_end); !s.ok()) return s.status();
  }
  if (earn_to(as_of)) {
    if (auto s = ledger.EarnFromTransactions(as_of); !s.ok()) return s.status();
  }
  if (auto s = ledger.ExpireUntil(as_of); !s.ok()) return s.status();
  return absl::OkStatus();
}

std::string TierName(const LoyaltyRules& rules, std::int32_t tier) {
  return tier >= 0 ? rules.tiers[tier].name : std::string();
}

std::string JsonTier(const LoyaltyRules& rules, std::int32_t tier) {
  return tier >= 0 ? JsonString(rules.tiers[tier].name) : std::string("null");
}

// "Ouro (1234.00 to go)", "at the top", or "" without tiers.
std::string NextTier(const LoyaltyRules& rules, const TierStanding& t) {
  if (rules.tiers.empty()) return std::string();
  if (t.next < 0) return "at the top";
  return StrCat(rules.tiers[t.next].name, " (", FormatMoney(t.to_next), " to go)");
}

}  // namespace

int RunLoyalty(const LoadFlags& load, const LoyaltyFlags& flags, std::ostream& out, std::ostream& err) {
  auto fail = [&err](const absl::Status& s) {
    err << "carteira loyalty: " << s.message() << "\n";
    return ExitCodeFor(s);
  };
  if (flags.view != "balance" && flags.view != "history" && flags.view != "expiring") {
    return fail(absl::InvalidArgumentError(StrCat("'", flags.view, "': expected balance, history or expiring")));
  }
  if (flags.view == "history" && flags.customer.empty()) {
    return fail(absl::InvalidArgumentError("history: give --customer ID"));
  }
  // The rules first: a mistake in them is reported before the data is read.
  absl::StatusOr<LoyaltyRules> rules = LoyaltyRules{};
  if (!flags.rules_file.empty()) rules = LoyaltyRules::FromFile(flags.rules_file);
  if (!rules.ok()) return fail(rules.status());
  // The host's ledger: --ledger, or loyalty.csv in the data directory.
  std::string ledger_file = flags.ledger_file;
  if (ledger_file.empty() && !load.data_dir.empty()) {
    std::error_code ec;
    const std::string candidate = (std::filesystem::path(load.data_dir) / "loyalty.csv").string();
    if (std::filesystem::is_regular_file(candidate, ec)) ledger_file = candidate;
  }
  // With --db (and no --ledger), the store's ledger.
  const bool from_store = ledger_file.empty() && !load.db_file.empty();
  if (ledger_file.empty() && flags.rules_file.empty() && !from_store) {
    return fail(absl::InvalidArgumentError(
        "give --rules FILE (to earn from the purchases) or a ledger: loyalty.csv in the data directory or --ledger FILE"));
  }
  Portfolio portfolio;
  std::optional<Store> store;
  std::optional<absl::StatusOr<LoyaltyLedger>> stored_ledger;
  if (from_store) {
    if (!load.data_dir.empty()) return fail(absl::InvalidArgumentError("give --db or --data, not both"));
    StoreOptions options;
    options.create = false;
    options.read_only = true;
    auto opened = Store::Open(load.db_file, options);
    if (!opened.ok()) return fail(opened.status());
    store.emplace(*std::move(opened));
    // The portfolio and its ledger from one snapshot: a writer committing
    // between two reads would pair the ledger with another portfolio.
    absl::Status loaded = store->Snapshot([&](Store& st) -> absl::Status {
      if (auto s = st.LoadInto(portfolio); !s.ok()) return s;
      stored_ledger.emplace(st.LoadLoyalty(portfolio, *std::move(rules)));
      return absl::OkStatus();
    });
    if (!loaded.ok()) return fail(loaded);
  } else if (auto s = LoadPortfolio(load, portfolio, err); !s.ok()) {
    return fail(s);
  }
  auto as_of = ResolveAsOf(flags.as_of, portfolio);
  if (!as_of.ok()) return fail(as_of.status());
  std::optional<CustomerIndex> only;
  if (!flags.customer.empty()) {
    only = portfolio.FindCustomer(flags.customer);
    if (!only) return fail(absl::NotFoundError(StrCat("--customer ", flags.customer, ": no such customer")));
  }
  const bool have_rules = !flags.rules_file.empty();
  absl::StatusOr<LoyaltyLedger> ledger =
      from_store ? std::move(*stored_ledger) : LoyaltyLedger::Create(portfolio, *std::move(rules));
  if (!ledger.ok()) return fail(ledger.status());
  if (!ledger_file.empty()) {
    auto replayed = ReplayLoyaltyFile(ledger_file, portfolio, *ledger);
    if (!replayed.ok()) return fail(replayed.status());
  }
  // A ledger file holds the earnings; without one, they come from the
  // purchases. A stored ledger goes on earning where it was earned to (one
  // earned by Carteira); one imported from the host's file holds its
  // earnings; an empty one earns with --rules, as without a store.
  bool earn = ledger_file.empty();
  if (from_store) {
    const bool stored = !ledger->entries().empty() || ledger->earned_until() != kNoDay;
    if (!stored && !have_rules) {
      return fail(absl::FailedPreconditionError(StrCat(
          load.db_file, ": the store holds no loyalty ledger; give --rules FILE to earn from the purchases, or "
          "import the host's loyalty.csv (carteira db import|append DIR)")));
    }
    earn = stored ? ledger->earned_until() != kNoDay : true;
  }
  // In memory only: a view never writes to the store.
  if (auto s = BringUpTo(portfolio, *as_of, earn, *ledger); !s.ok()) return fail(s);
  const LoyaltyRules& r = ledger->rules();
  const CustomerTable& customers = portfolio.customers();
  const DayNumber day = *as_of;

  if (only) {
    const CustomerIndex c = *only;
    const TierStanding t = ledger->Tier(c, day);
    const std::int64_t balance = ledger->Balance(c, day);
    const std::int64_t expiring = ledger->ExpiringWithin(c, day, flags.within_days);
    const std::vector<LedgerEntry> history = ledger->History(c, day);
    if (flags.format == "json") {
      out << "{\"as_of\": " << JsonString(FormatDate(day)) << ", \"customer_id\": " << JsonString(flags.customer)
          << ", \"balance\": " << balance << ", \"tier\": " << JsonTier(r, t.tier) << ", \"spend\": "
          << FormatMoney(t.spend) << ", \"next_tier\": " << JsonTier(r, t.next) << ", \"to_next\": "
          << (t.next >= 0 ? FormatMoney(t.to_next) : std::string("null")) << ", \"expiring_days\": " << flags.within_days << ", \"expiring\": " << expiring
          << ",\n \"entries\": [";
      for (size_t i = 0; i < history.size(); ++i) {
        const LedgerEntry& e = history[i];
        out << (i ? ",\n  " : "\n  ") << "{\"id\": " << e.id << ", \"day\": " << JsonString(FormatDate(e.day))
            << ", \"kind\": " << JsonString(std::string(LedgerKindName(e.kind))) << ", \"points\": " << e.points
            << ", \"expires\": " << (e.expires == kNoDay ? std::string("null") : JsonString(FormatDate(e.expires)))
            << ", \"reverses\": " << (e.reverses == 0 ? std::string("null") : StrCat(e.reverses))
            << ", \"reference\": " << JsonString(e.reference) << ", \"note\": " << JsonString(e.note) << "}";
      }
      out << (history.empty() ? "]" : "\n ]") << "}\n";
      return kExitOk;
    }
    out << "Customer " << flags.customer << " as of " << FormatDate(day) << ": " << balance << " points";
    if (t.tier >= 0) out << ", tier " << TierName(r, t.tier);
    out << "\n  spend in the last 365 days: " << FormatMoney(t.spend);
    if (const std::string next = NextTier(r, t); !next.empty()) out << "; next: " << next;
    out << "\n  expiring by " << FormatDate(day + flags.within_days) << ": " << expiring << " points\n";
    out << absl::StrFormat("  %6s %-10s %-7s %8s %-10s %-10s %s\n", "entry", "day", "kind", "points", "expires",
                           "reference", "note");
    for (const LedgerEntry& e : history) {
      out << absl::StrFormat("  %6d %-10s %-7s %8d %-10s %-10s %s\n", e.id, FormatDate(e.day), LedgerKindName(e.kind),
                             e.points, FormatDate(e.expires), e.reference, e.note);
    }
    return kExitOk;
  }

  // Every customer with a ledger entry (expiring: with points expiring), by id.
  const std::int32_t within = flags.within_days;
  std::vector<CustomerIndex> shown;
  for (CustomerIndex c = 0; c < customers.size(); ++c) {
    if (ledger->History(c, day).empty()) continue;
    if (flags.view == "expiring" && ledger->ExpiringWithin(c, day, within) <= 0) continue;
    shown.push_back(c);
  }
  std::sort(shown.begin(), shown.end(),
            [&](CustomerIndex a, CustomerIndex b) { return customers.id[a] < customers.id[b]; });
  std::int64_t total_balance = 0, total_expiring = 0;
  struct Row {
    CustomerIndex customer;
    std::int64_t balance, expiring;
    TierStanding tier;
  };
  std::vector<Row> rows;
  rows.reserve(shown.size());
  for (CustomerIndex c : shown) {
    rows.push_back({c, ledger->Balance(c, day), ledger->ExpiringWithin(c, day, within), ledger->Tier(c, day)});
    total_balance += rows.back().balance;
    total_expiring += rows.back().expiring;
  }
  if (flags.format == "json") {
    out << "{\"as_of\": " << JsonString(FormatDate(day)) << ", \"expiring_days\": " << within
        << ", \"balance\": " << total_balance << ", \"expiring\": " << total_expiring << ",\n \"customers\": [";
    for (size_t i = 0; i < rows.size(); ++i) {
      const Row& row = rows[i];
      out << (i ? ",\n  " : "\n  ") << "{\"customer_id\": " << JsonString(std::string(customers.id[row.customer]))
          << ", \"balance\": " << row.balance << ", \"tier\": " << JsonTier(r, row.tier.tier)
          << ", \"spend\": " << FormatMoney(row.tier.spend) << ", \"next_tier\": " << JsonTier(r, row.tier.next)
          << ", \"to_next\": " << (row.tier.next >= 0 ? FormatMoney(row.tier.to_next) : std::string("null"))
          << ", \"expiring\": " << row.expiring << "}";
    }
    out << (rows.empty() ? "]" : "\n ]") << "}\n";
    return kExitOk;
  }
  out << "Loyalty as of " << FormatDate(day) << ": " << rows.size() << " customers, " << total_balance
      << " points, " << total_expiring << " expiring by " << FormatDate(day + within) << "\n";
  out << absl::StrFormat("  %-12s %9s %-10s %12s %9s  %s\n", "customer", "points", "tier", "spend 365d", "expiring",
                         "next tier");
  for (const Row& row : rows) {
    out << absl::StrFormat("  %-12s %9d %-10s %12s %9d  %s\n", customers.id[row.customer], row.balance,
                           TierName(r, row.tier.tier), FormatMoney(row.tier.spend), row.expiring,
                           NextTier(r, row.tier));
  }
  return kExitOk;
}

}  // namespace carteira::cli
