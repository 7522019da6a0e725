#include "carteira/opportunities/icp.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "carteira/core/strings.h"
#include "carteira/opportunities/category_set.h"
#include "carteira/summary/purchase_history.h"

namespace carteira {

absl::Status IcpOptions::Validate() const {
  if (as_of == kNoDay) return absl::InvalidArgumentError("ICP: the as-of date is required");
  if (!(best_share > 0 && best_share < 1)) {
    return absl::InvalidArgumentError(StrCat("ICP: best_share must be above 0 and below 1, got ", best_share));
  }
  if (!(smoothing >= 0) || !std::isfinite(smoothing)) {
    return absl::InvalidArgumentError(StrCat("ICP: smoothing must be a number >= 0, got ", smoothing));
  }
  return absl::OkStatus();
}

namespace {

constexpr int kAttributes = 6;
constexpr const char* kAttributeNames[kAttributes] = {"segment", "region", "state",
                                                      "breadth", "rhythm", "main_category"};

std::string_view RhythmName(std::span<const DayNumber> days) {
  if (days.size() < 2) return "one_purchase";
  std::vector<std::int32_t> gaps;
  for (size_t i = 1; i < days.size(); ++i) gaps.push_back(days[i] - days[i - 1]);
  std::sort(gaps.begin(), gaps.end());
  const size_t g = gaps.size();
  const double m = g % 2 == 1 ? gaps[g / 2] : (gaps[g / 2 - 1] + gaps[g / 2]) / 2.0;
  if (m <= 10) return "weekly";
  if (m <= 20) return "biweekly";
  if (m <= 45) return "monthly";
  if (m <= 120) return "quarterly";
  return "sparse";
}

double Logit(double p) { return std::log(p / (1 - p)); }

}  // namespace

absl::StatusOr<IcpResult> ComputeIcp(const Portfolio& portfolio, const IcpOptions& options) {
  if (auto s = options.Validate(); !s.ok()) return s;
  const size_t n = portfolio.customers().size();
  const TransactionTable& t = portfolio.transactions();
  IcpResult r;
  r.as_of = options.as_of;
  r.revenue.assign(n, 0);
  // Revenue, and revenue by category (gathered by customer) for the main
  // category.
  const CategoryOrder order = OrderCategories(portfolio);
  const bool has_categories = order.size() > 0;
  std::vector<std::uint32_t> start(n + 1, 0);
  for (size_t i = 0; i < t.size(); ++i) {
    if (t.date[i] > options.as_of) continue;
    r.revenue[t.customer[i]] += t.amount[i];
    if (has_categories && t.category[i] >= 0) ++start[t.customer[i] + 1];
  }
  for (size_t c = 0; c < n; ++c) start[c + 1] += start[c];
  std::vector<std::uint32_t> rows(start[n]);
  {
    std::vector<std::uint32_t> next(start.begin(), start.end() - 1);
    for (size_t i = 0; i < t.size(); ++i) {
      if (t.date[i] <= options.as_of && has_categories && t.category[i] >= 0) {
        rows[next[t.customer[i]]++] = static_cast<std::uint32_t>(i);
      }
    }
  }
  const PurchaseHistory history = PurchaseHistory::Build(portfolio);
  // Each customer's value of every attribute ("" = unknown).
  std::vector<std::array<std::string, kAttributes>> values(n);
  std::vector<std::uint8_t> buyer(n, 0);
  std::vector<MinorUnits> by_slot(order.size(), 0);
  std::vector<std::uint8_t> bought(order.size(), 0);
  const CustomerTable& ct = portfolio.customers();
  for (size_t c = 0; c < n; ++c) {
    auto& v = values[c];
    v[0] = ct.segment[c];
    v[1] = ct.region[c];
    v[2] = ct.state[c];
    const auto days = history.days_until(static_cast<CustomerIndex>(c), options.as_of);
    if (days.empty()) continue;
    buyer[c] = 1;
    ++r.buyers;
    v[4] = RhythmName(days);
    if (!has_categories) continue;
    int breadth = 0;
    for (std::uint32_t k = start[c]; k < start[c + 1]; ++k) {
      const auto s = static_cast<size_t>(order.slot[t.category[rows[k]]]);
      by_slot[s] += t.amount[rows[k]];
      if (t.amount[rows[k]] >= 0 && !bought[s]) {
        bought[s] = 1;
        ++breadth;
      }
    }
    size_t main = order.size();
    for (std::uint32_t k = start[c]; k < start[c + 1]; ++k) {
      const auto s = static_cast<size_t>(order.slot[t.category[rows[k]]]);
      if (bought[s] && (main == order.size() || by_slot[s] > by_slot[main] || (by_slot[s] == by_slot[main] && s < main))) {
        main = s;
      }
    }
    for (std::uint32_t k = start[c]; k < start[c + 1]; ++k) {
      const auto s = static_cast<size_t>(order.slot[t.category[rows[k]]]);
      by_slot[s] = 0;
      bought[s] = 0;
    }
    if (breadth > 0) {
      v[3] = breadth >= 5 ? "5+" : std::to_string(breadth);
      v[5] = portfolio.categories()[order.code[main]];
    }
  }
  // The best customers.
  std::vector<MinorUnits> positive;
  for (size_t c = 0; c < n; ++c) {
    if (r.revenue[c] > 0) positive.push_back(r.revenue[c]);
  }
  if (positive.empty()) {
    return absl::FailedPreconditionError(
        StrCat("ICP: no customer has a positive net revenue on or before ", FormatDate(options.as_of),
               ", so there are no best customers to describe"));
  }
  std::sort(positive.begin(), positive.end(), std::greater<>());
  const auto count = static_cast<size_t>(std::ceil(options.best_share * static_cast<double>(positive.size())));
  r.best_threshold = positive[std::max<size_t>(count, 1) - 1];
  r.is_best.assign(n, 0);
  for (size_t c = 0; c < n; ++c) {
    if (buyer[c] && r.revenue[c] > 0 && r.revenue[c] >= r.best_threshold) {
      r.is_best[c] = 1;
      ++r.best;
    }
  }
  r.base_rate = static_cast<double>(r.best) / static_cast<double>(r.buyers);
  const double p0 = r.base_rate;
  // The profile: per attribute, value -> (buyers, best).
  std::array<std::map<std::string, std::pair<std::int64_t, std::int64_t>>, kAttributes> tallies;
  for (size_t c = 0; c < n; ++c) {
    if (!buyer[c]) continue;
    for (int a = 0; a < kAttributes; ++a) {
      if (values[c][a].empty()) continue;
      auto& tally = tallies[a][values[c][a]];
      ++tally.first;
      tally.second += r.is_best[c];
    }
  }
  std::array<std::map<std::string, std::int32_t>, kAttributes> row_of;
  std::vector<double> contribution;
  for (int a = 0; a < kAttributes; ++a) {
    const size_t first = r.profile.size();
    for (const auto& [value, tally] : tallies[a]) {
      IcpValue v;
      v.attribute = kAttributeNames[a];
      v.value = value;
      v.customers = tally.first;
      v.best = tally.second;
      v.share_of_best = static_cast<double>(v.best) / static_cast<double>(r.best);
      v.probability = (static_cast<double>(v.best) + options.smoothing * p0) /
                      (static_cast<double>(v.customers) + options.smoothing);
      v.lift = v.probability / p0;
      r.profile.push_back(std::move(v));
    }
    std::stable_sort(r.profile.begin() + static_cast<std::ptrdiff_t>(first), r.profile.end(),
                     [](const IcpValue& x, const IcpValue& y) { return x.lift > y.lift; });
    for (size_t k = first; k < r.profile.size(); ++k) row_of[a][r.profile[k].value] = static_cast<std::int32_t>(k);
  }
  // logit p(v) - logit p0, clamped away from 0 and 1 (every buyer of a
  // value best, with smoothing 0).
  auto clamp = [](double p) { return std::clamp(p, 1e-9, 1 - 1e-9); };
  contribution.resize(r.profile.size());
  const double logit0 = Logit(clamp(p0));
  for (size_t k = 0; k < r.profile.size(); ++k) contribution[k] = Logit(clamp(r.profile[k].probability)) - logit0;
  r.score.assign(n, 0);
  r.drivers.assign(n, {-1, -1, -1});
  for (size_t c = 0; c < n; ++c) {
    double z = logit0;
    auto& top = r.drivers[c];
    for (int a = 0; a < kAttributes; ++a) {
      if (values[c][a].empty()) continue;
      const auto it = row_of[a].find(values[c][a]);
      if (it == row_of[a].end()) continue;  // a prospect's value no buyer has
      const std::int32_t row = it->second;
      z += contribution[row];
      if (contribution[row] <= 0) continue;
      // Insert into the top drivers (largest first, earlier row on a tie).
      for (int d = 0; d < kIcpDrivers; ++d) {
        if (top[d] < 0 || contribution[row] > contribution[top[d]]) {
          for (int e = kIcpDrivers - 1; e > d; --e) top[e] = top[e - 1];
          top[d] = row;
          break;
        }
      }
    }
    r.score[c] = 1 / (1 + std::exp(-z));
  }
  return r;
}

std::string IcpDriversText(const IcpResult& icp, CustomerIndex customer) {
  std::string out;
  for (std::int32_t row : icp.drivers[customer]) {
    if (row < 0) break;
    const IcpValue& v = icp.profile[static_cast<size_t>(row)];
    char lift[32];
    std::snprintf(lift, sizeof lift, "%.1f", v.lift);
    StrAppend(&out, out.empty() ? "" : "; ", v.attribute, " ", v.value, " (lift ", lift, ")");
  }
  return out;
}

}  // namespace carteira
