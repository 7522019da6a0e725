// `carteira demo`: the main job on the embedded sample portfolio: load it,
// summarise it, classify every customer (status counts and the most
// valuable customers slipping away), and write the HTML report next to the
// demo store. Later stages (redistribution) add their sections here.
#include <algorithm>
#include <array>
#include <filesystem>
#include <numeric>
#include <ostream>

#include "carteira/core/strings.h"
#include "absl/strings/str_format.h"
#include "carteira/opportunities/cross_sell.h"
#include "carteira/opportunities/next_purchase.h"
#include "carteira/redistribution/planner.h"
#include "carteira/report/report.h"
#include "carteira/status/status_engine.h"
#include "carteira/store/store.h"
#include "carteira/summary/customer_summary.h"
#include "src/cli/commands.h"
#include "src/cli/summary_output.h"

namespace carteira::cli {
namespace {

// "R$ 1.234.567,89": how the sample's users read money.
std::string Brl(MinorUnits amount) {
  const bool negative = amount < 0;
  const unsigned long long magnitude =
      negative ? 0ULL - static_cast<unsigned long long>(amount) : static_cast<unsigned long long>(amount);
  const std::string digits = std::to_string(magnitude / kMinorPerMajor);
  std::string whole;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) whole.push_back('.');
    whole.push_back(digits[i]);
  }
  return absl::StrFormat("%sR$ %s,%02d", negative ? "-" : "", whole,
                         static_cast<int>(magnitude % kMinorPerMajor));
}

}  // namespace

namespace {

// The demo's store: created from the sample on first use, reused after.
absl::Status LoadDemoStore(const std::string& path, Portfolio& portfolio, std::string& origin,
                           ImportReport& report, std::ostream& err) {
  auto store = Store::Open(path);
  if (!store.ok()) return store.status();
  auto empty = store->Empty();
  if (!empty.ok()) return empty.status();
  origin = "existing";
  if (*empty) {
    LoadFlags sample;
    sample.data_dir = SampleDirectory();
    Portfolio loaded;
    if (auto s = LoadPortfolio(sample, loaded, err); !s.ok()) return s;
    absl::Status saved = store->Save(loaded);
    // Another demo may have filled it meanwhile: then use what it wrote.
    if (!saved.ok() && saved.code() != absl::StatusCode::kFailedPrecondition) return saved;
    if (saved.ok()) origin = StrCat("created from the sample ", sample.data_dir);
  }
  if (auto s = store->LoadInto(portfolio); !s.ok()) return s;
  const size_t sizes[kEntityCount] = {
      portfolio.customers().size(),    portfolio.reps().size(),
      portfolio.assignments().size(),  portfolio.transactions().size(),
      portfolio.contracts().size(),    portfolio.interactions().size(),
      portfolio.surveys().size()};
  for (int i = 0; i < kEntityCount; ++i) {
    report.counts[i].rows_read = report.counts[i].rows_added = static_cast<std::int64_t>(sizes[i]);
  }
  return absl::OkStatus();
}

// The report goes next to the store: demo.db -> demo-report.html.
std::string ReportPathFor(const std::string& store) {
  std::filesystem::path path(store);
  path.replace_filename(StrCat(path.stem().string(), "-report.html"));
  return path.string();
}

}  // namespace

int RunDemo(const std::string& data_dir, const std::string& db_file, const std::string& as_of_flag,
            std::ostream& out, std::ostream& err) {
  LoadFlags flags;
  Portfolio portfolio;
  ImportReport report;
  std::string source;
  const std::string store_path = db_file.empty() ? DefaultDemoStore() : db_file;
  if (data_dir.empty()) {
    // By default the demo works as a host would: on the embedded store.
    const std::string& path = store_path;
    std::string origin;
    if (auto s = LoadDemoStore(path, portfolio, origin, report, err); !s.ok()) {
      err << "carteira demo: " << s.message() << "\n";
      return ExitCodeFor(s);
    }
    source = StrCat("store ", path, " (", origin, ")");
  } else {
    flags.data_dir = data_dir;
    source = data_dir;
    if (auto s = LoadPortfolio(flags, portfolio, err, &report); !s.ok()) {
      err << "carteira demo: " << s.message() << "\n";
      return ExitCodeFor(s);
    }
  }
  auto as_of = ResolveAsOf(as_of_flag, portfolio);
  if (!as_of.ok()) {
    err << "carteira demo: " << as_of.status().message() << "\n";
    return ExitCodeFor(as_of.status());
  }
  SummaryOptions options;
  options.as_of = ToDate(*as_of);
  auto summary = Summarize(portfolio, options);
  if (!summary.ok()) {
    err << "carteira demo: " << summary.status().message() << "\n";
    return ExitCodeFor(summary.status());
  }
  const CustomerSummary& s = *summary;
  const CustomerTable& customers = portfolio.customers();

  out << "Carteira demo: " << source << "\n\n";
  out << "Loaded\n";
  for (int i = 0; i < kEntityCount; ++i) {
    const EntityCounts& c = report.counts[i];
    if (c.rows_read == 0) continue;
    out << absl::StrFormat("  %-13s %8d rows\n", EntityName(static_cast<Entity>(i)), c.rows_added);
  }
  out << "\nCustomer summary as of " << FormatDate(*as_of) << "\n";
  const MinorUnits revenue = std::accumulate(s.revenue.begin(), s.revenue.end(), MinorUnits{0});
  const std::int64_t purchase_days =
      std::accumulate(s.purchase_days.begin(), s.purchase_days.end(), std::int64_t{0});
  out << absl::StrFormat("  customers who bought     %8d of %d (%d without a purchase yet)\n",
                         s.size(), customers.size(), customers.size() - s.size());
  out << "  revenue, net of returns  " << Brl(revenue) << "\n";
  out << "  purchase-days            " << purchase_days << "\n";
  if (purchase_days > 0) {
    out << "  average ticket           " << Brl(revenue / purchase_days) << "\n";
  }

  out << "\nDays since the last purchase (a first look at who is slipping away)\n";
  constexpr std::array<int, 5> kEdges = {30, 90, 180, 365, 1 << 30};
  constexpr std::array<const char*, 5> kLabels = {"0-30", "31-90", "91-180", "181-365", "366+"};
  std::array<size_t, 5> buckets{};
  for (const std::int32_t d : s.days_since_last) {
    size_t b = 0;
    while (d > kEdges[b]) ++b;
    ++buckets[b];
  }
  for (size_t b = 0; b < buckets.size(); ++b) {
    const size_t bar = s.size() ? (buckets[b] * 50 + s.size() - 1) / s.size() : 0;
    out << absl::StrFormat("  %-8s %6d  %s\n", kLabels[b], buckets[b], std::string(bar, '#'));
  }

  out << "\nTop 10 customers by revenue\n";
  std::vector<size_t> order(s.size());
  std::iota(order.begin(), order.end(), 0);
  // Ties broken by customer index so that the list is the same on every run.
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return s.revenue[a] != s.revenue[b] ? s.revenue[a] > s.revenue[b] : a < b;
  });
  for (size_t k = 0; k < std::min<size_t>(10, order.size()); ++k) {
    const size_t i = order[k];
    const CustomerIndex c = s.customer[i];
    out << "  " << Pad(customers.id[c], 8) << Pad(customers.name[c], 40)
        << Pad(StrCat(customers.city[c], "/", customers.state[c]), 24)
        << Pad(customers.segment[c], 10)
        << absl::StrFormat("%20s %4d days  last %s\n", Brl(s.revenue[i]), s.purchase_days[i],
                           FormatDate(s.last_purchase[i]));
  }

  // Status: the heart of the job. The summary already holds the median gaps.
  auto engine = StatusEngine::Create(portfolio, StatusPolicy::Default());
  if (!engine.ok()) {
    err << "carteira demo: " << engine.status().message() << "\n";
    return ExitCodeFor(engine.status());
  }
  StatusTable status;
  if (auto st = engine->ClassifyInto(s, &status); !st.ok()) {
    err << "carteira demo: " << st.message() << "\n";
    return ExitCodeFor(st);
  }
  out << "\nStatus as of " << FormatDate(*as_of) << " (default policy: docs/status.md)\n";
  const auto counts = status.Counts();
  for (int k = 0; k < kStatusCount; ++k) {
    const size_t bar = customers.size() ? (counts[k] * 50 + customers.size() - 1) / customers.size() : 0;
    out << absl::StrFormat("  %-12s %6d  %s\n", StatusName(static_cast<Status>(k)), counts[k],
                           std::string(bar, '#'));
  }
  size_t renewal_due = 0, delinquent = 0;
  for (std::uint8_t f : status.flags) {
    renewal_due += (f & kFlagRenewalDue) != 0;
    delinquent += (f & kFlagDelinquent) != 0;
  }
  out << absl::StrFormat("  flags: %d renewal_due, %d delinquent\n", renewal_due, delinquent);

  // Who to call first: at-risk customers, most valuable first.
  std::vector<size_t> revenue_row(customers.size(), s.size());
  for (size_t i = 0; i < s.size(); ++i) revenue_row[s.customer[i]] = i;
  std::vector<CustomerIndex> at_risk;
  for (CustomerIndex c = 0; c < status.size(); ++c) {
    if (status.status[c] == Status::kAtRisk) at_risk.push_back(c);
  }
  std::sort(at_risk.begin(), at_risk.end(), [&](CustomerIndex a, CustomerIndex b) {
    const MinorUnits ra = s.revenue[revenue_row[a]], rb = s.revenue[revenue_row[b]];
    return ra != rb ? ra > rb : a < b;
  });
  out << "\nTop 10 at-risk customers by revenue (próximos da inativação)\n";
  for (size_t k = 0; k < std::min<size_t>(10, at_risk.size()); ++k) {
    const CustomerIndex c = at_risk[k];
    out << "  " << Pad(customers.id[c], 8) << Pad(customers.name[c], 34)
        << absl::StrFormat("%18s  ", Brl(s.revenue[revenue_row[c]])) << status.Reason(portfolio, c)
        << "\n";
  }

  // The giro: neglected at-risk customers to another rep of the territory
  // (docs/redistribution.md), in brief; `carteira plan` gives it whole.
  PlanPipeline giro;
  RotateAtRiskOptions rotate;
  rotate.max_moves_per_rep = 3;
  giro.policies.push_back(MakeRotateAtRisk(rotate));
  auto plan = BuildPlan(portfolio, status, giro);
  if (!plan.ok()) {
    err << "carteira demo: " << plan.status().message() << "\n";
    return ExitCodeFor(plan.status());
  }
  out << "\nGiro de carteira: " << plan->moves.size() << " at-risk customers their rep has not sold to "
      << "nor contacted in 60+ days move to another rep (at most 3 per rep; " << plan->unplaced.size()
      << " wait for room)\n";
  for (size_t k = 0; k < std::min<size_t>(5, plan->moves.size()); ++k) {
    const Move& m = plan->moves[k];
    out << "  " << Pad(customers.id[m.customer], 8) << Pad(portfolio.reps().id[m.from], 4) << "-> "
        << Pad(portfolio.reps().id[m.to], 5) << m.explanation << "\n";
  }
  out << "  full plan: carteira plan --data DIR --rotate-at-risk --max-moves-per-rep 3\n";

  // Sales opportunities (docs/opportunities.md): the most valuable
  // customers whose purchase window opens next week, with what to offer.
  auto next = EstimateNextPurchase(portfolio, {.as_of = *as_of});
  CrossSellOptions cross_sell;
  cross_sell.as_of = *as_of;
  auto model = BuildCrossSell(portfolio, cross_sell);
  if (next.ok() && model.ok()) {
    std::vector<CustomerIndex> due = EnteringWindow(*next, *as_of + 1);
    std::sort(due.begin(), due.end(), [&](CustomerIndex a, CustomerIndex b) {
      const MinorUnits ra = s.revenue[revenue_row[a]], rb = s.revenue[revenue_row[b]];
      return ra != rb ? ra > rb : a < b;
    });
    out << "\nSales opportunities: " << due.size() << " customers enter their purchase window next week; "
        << "the most valuable, with what to offer\n";
    due.resize(std::min<size_t>(5, due.size()));
    const CrossSellSuggestions offer = SuggestCrossSell(*model, 2, due);
    size_t r = 0;
    for (const CustomerIndex c : due) {
      out << "  " << Pad(customers.id[c], 8) << Pad(customers.name[c], 34) << "window "
          << FormatDate(next->from[c]) << " to " << FormatDate(next->to[c]) << "\n";
      for (; r < offer.size() && offer.customer[r] == c; ++r) {
        out << "      offer " << Pad(portfolio.categories()[offer.category[r]], 14)
            << SuggestionReason(portfolio, offer, r) << "\n";
      }
    }
    out << "  all of them: carteira opportunities --data DIR [--week DATE] ; the mix: carteira mix ; "
        << "the ideal customer: carteira icp\n";
  }

  // The whole picture in a browser: the report of the last 365 days.
  ReportOptions report_options;
  report_options.as_of = *as_of;
  const std::string report_path = ReportPathFor(store_path);
  if (auto st = WriteReportFile(portfolio, report_options, report_path); !st.ok()) {
    err << "carteira demo: the report: " << st.message() << "\n";
    return ExitCodeFor(st);
  }
  out << "\nReport (HTML, open it in a browser): " << report_path << "\n";
  return kExitOk;
}

}  // namespace carteira::cli
