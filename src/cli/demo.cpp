// `carteira demo`: the main job on the embedded sample portfolio. For now it
// loads the portfolio and shows the customer summary in aggregate; later
// stages (status, segments, KPIs, redistribution) add their sections here.
#include <algorithm>
#include <array>
#include <numeric>
#include <ostream>

#include "carteira/core/strings.h"
#include "absl/strings/str_format.h"
#include "carteira/summary/customer_summary.h"
#include "src/cli/commands.h"

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

// Left-aligns UTF-8 text in `width` columns (one per code point), cutting
// long text with an ellipsis so that the columns stay aligned.
std::string Pad(std::string_view s, size_t width) {
  size_t columns = 0, cut = s.size();
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (columns == width - 2) cut = i;
    ++columns;
  }
  if (columns >= width) return StrCat(s.substr(0, cut), "\u2026 ");
  return StrCat(s, std::string(width - columns, ' '));
}

}  // namespace

int RunDemo(const std::string& data_dir, const std::string& as_of_flag, std::ostream& out,
            std::ostream& err) {
  LoadFlags flags;
  flags.data_dir = data_dir.empty() ? SampleDirectory() : data_dir;
  Portfolio portfolio;
  ImportReport report;
  if (auto s = LoadPortfolio(flags, portfolio, err, &report); !s.ok()) {
    err << "carteira demo: " << s.message() << "\n";
    return ExitCodeFor(s);
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

  out << "Carteira demo: " << flags.data_dir << "\n\n";
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
  return kExitOk;
}

}  // namespace carteira::cli
