#include "carteira/opportunities/mix.h"

#include <algorithm>
#include <map>

#include "carteira/core/strings.h"
#include "carteira/kpi/kpi.h"

namespace carteira {

std::optional<MixGrouping> ParseMixGrouping(std::string_view name) {
  if (name == "rep") return MixGrouping::kRep;
  if (name == "segment") return MixGrouping::kSegment;
  return std::nullopt;
}

namespace {

// Group index of every customer by segment (byte order, none last), and
// the groups.
std::vector<std::int32_t> SegmentGroups(const Portfolio& p, size_t slots, std::vector<MixGroup>& groups) {
  std::map<std::string_view, std::int32_t> index;
  const CustomerTable& c = p.customers();
  bool none = false;
  for (size_t i = 0; i < c.size(); ++i) {
    const std::string_view s = c.segment[i];
    if (s.empty()) {
      none = true;
    } else {
      index.emplace(s, 0);
    }
  }
  groups.clear();
  for (auto& [name, g] : index) {
    g = static_cast<std::int32_t>(groups.size());
    groups.push_back({std::string(name), false, 0, 0, std::nullopt, std::vector<std::int64_t>(slots, 0),
                      std::vector<MinorUnits>(slots, 0)});
  }
  const auto none_group = static_cast<std::int32_t>(groups.size());
  if (none) {
    groups.push_back({"", true, 0, 0, std::nullopt, std::vector<std::int64_t>(slots, 0), std::vector<MinorUnits>(slots, 0)});
  }
  std::vector<std::int32_t> of(c.size());
  for (size_t i = 0; i < c.size(); ++i) {
    const std::string_view s = c.segment[i];
    of[i] = s.empty() ? none_group : index.find(s)->second;
  }
  return of;
}

std::vector<std::int32_t> RepGroups(const Portfolio& p, DayNumber to, size_t slots, std::vector<MixGroup>& groups) {
  const std::vector<RepIndex> rep = RepsOn(p, to);
  groups.clear();
  for (size_t r = 0; r < p.reps().size(); ++r) {
    groups.push_back({std::string(p.reps().id[r]), false, 0, 0, std::nullopt, std::vector<std::int64_t>(slots, 0),
                      std::vector<MinorUnits>(slots, 0)});
  }
  const auto none_group = static_cast<std::int32_t>(groups.size());
  std::vector<std::int32_t> of(rep.size());
  bool none = false;
  for (size_t i = 0; i < rep.size(); ++i) {
    of[i] = rep[i] == kNoRep ? none_group : rep[i];
    none |= rep[i] == kNoRep;
  }
  if (none) {
    groups.push_back({"", true, 0, 0, std::nullopt, std::vector<std::int64_t>(slots, 0), std::vector<MinorUnits>(slots, 0)});
  }
  return of;
}

}  // namespace

absl::StatusOr<MixReport> ComputeMix(const Portfolio& portfolio, DayNumber from, DayNumber to, MixGrouping by) {
  if (from == kNoDay || to == kNoDay || to < from) {
    return absl::InvalidArgumentError(StrCat("mix: the period [", FormatDate(from), ", ", FormatDate(to),
                                             "] is empty or open; give both dates, 'to' on or after 'from'"));
  }
  if (portfolio.categories().size() == 0) return NoCategoriesError("mix");
  MixReport r;
  r.from = from;
  r.to = to;
  r.by = by;
  r.order = OrderCategories(portfolio);
  const size_t slots = r.order.size();
  const size_t n = portfolio.customers().size();
  // Per customer: purchases and revenue by slot, gathered by customer
  // (counting sort of the period's transactions).
  const TransactionTable& t = portfolio.transactions();
  std::vector<std::uint32_t> start(n + 1, 0);
  for (size_t i = 0; i < t.size(); ++i) {
    if (t.date[i] >= from && t.date[i] <= to) ++start[t.customer[i] + 1];
  }
  for (size_t c = 0; c < n; ++c) start[c + 1] += start[c];
  std::vector<std::uint32_t> rows(start[n]);
  {
    std::vector<std::uint32_t> next(start.begin(), start.end() - 1);
    for (size_t i = 0; i < t.size(); ++i) {
      if (t.date[i] >= from && t.date[i] <= to) rows[next[t.customer[i]]++] = static_cast<std::uint32_t>(i);
    }
  }
  std::vector<MixGroup> segment_groups;
  const std::vector<std::int32_t> segment_of = SegmentGroups(portfolio, slots, segment_groups);
  std::vector<std::int32_t> group_of;
  if (by == MixGrouping::kRep) group_of = RepGroups(portfolio, to, slots, r.groups);
  if (by == MixGrouping::kSegment) {
    group_of = segment_of;
    r.groups = segment_groups;
  }
  r.overall.category_buyers.assign(slots, 0);
  r.overall.category_revenue.assign(slots, 0);
  r.breadth.assign(n, 0);
  std::vector<std::int32_t> purchases(slots, 0);
  std::vector<MinorUnits> revenue(slots, 0);
  std::vector<std::uint8_t> touched(slots, 0);
  std::int64_t breadth_sum = 0;
  std::vector<std::int64_t> group_breadth(r.groups.size(), 0), segment_breadth(segment_groups.size(), 0);
  for (size_t c = 0; c < n; ++c) {
    MixGroup* groups[3] = {&r.overall, &segment_groups[segment_of[c]],
                           group_of.empty() ? nullptr : &r.groups[group_of[c]]};
    for (MixGroup* g : groups) {
      if (g) ++g->customers;
    }
    bool bought = false;
    for (std::uint32_t k = start[c]; k < start[c + 1]; ++k) {
      const size_t i = rows[k];
      bought |= t.amount[i] >= 0;
      const std::int32_t code = t.category[i];
      if (code < 0) continue;
      const auto s = static_cast<size_t>(r.order.slot[code]);
      touched[s] = 1;
      purchases[s] += t.amount[i] >= 0 ? 1 : 0;
      revenue[s] += t.amount[i];
    }
    std::int32_t breadth = 0;
    for (size_t s = 0; s < slots; ++s) {
      if (!touched[s]) continue;
      r.rows.customer.push_back(static_cast<CustomerIndex>(c));
      r.rows.category.push_back(r.order.code[s]);
      r.rows.purchases.push_back(purchases[s]);
      r.rows.revenue.push_back(revenue[s]);
      for (MixGroup* g : groups) {
        if (!g) continue;
        g->category_revenue[s] += revenue[s];
        g->category_buyers[s] += purchases[s] > 0 ? 1 : 0;
      }
      breadth += purchases[s] > 0 ? 1 : 0;
      touched[s] = 0;
      purchases[s] = 0;
      revenue[s] = 0;
    }
    r.breadth[c] = breadth;
    if (!bought) continue;
    breadth_sum += breadth;
    segment_breadth[segment_of[c]] += breadth;
    if (!group_of.empty()) group_breadth[group_of[c]] += breadth;
    for (MixGroup* g : groups) {
      if (g) ++g->buyers;
    }
  }
  auto average = [](MixGroup& g, std::int64_t sum) {
    if (g.buyers > 0) g.average_breadth = static_cast<double>(sum) / static_cast<double>(g.buyers);
  };
  average(r.overall, breadth_sum);
  for (size_t g = 0; g < r.groups.size(); ++g) average(r.groups[g], group_breadth[g]);
  for (size_t g = 0; g < segment_groups.size(); ++g) average(segment_groups[g], segment_breadth[g]);
  r.by_segment = std::move(segment_groups);
  if (by == MixGrouping::kSegment) r.groups = r.by_segment;
  return r;
}

}  // namespace carteira
