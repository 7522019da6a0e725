// rebalance: brings every available rep's customer count within a tolerance
// of its region's mean with the fewest moves (or the least moved value),
// solved exactly as a min-cost flow with LEMON's network simplex.
//
// The network, per region (docs/redistribution.md, "rebalance"):
//   class k (movable customers with the same holder, segment and reps in
//   cooldown) --stay, cost 0--> its holder
//   class k --move, cost 1 (or value + 1 per customer)--> hub (segment, E)
//   hub (segment, E) --cost 0--> every rep serving the segment, not in E
//   rep b --[lo_b - fixed_b, hi_b - fixed_b]--> sink
// where E is the one rep in cooldown for the class (classes with two or
// more go to the reps directly) and fixed_b the customers b keeps for sure
// (locked, or moved by an earlier policy). Classes keep the network small:
// a region of 100,000 customers and 100 reps has a few thousand nodes.
//
// An optimal flow never sends a class of holder b through a hub that feeds
// b (cancelling the pair would be cheaper), so matching a hub's inflows to
// its outflows in any order yields real moves at the flow's cost.
//
// That is for customer counts (every customer of the region weighs 1).
// With other weights the loads make it bin packing, which no flow can
// express: rebalance_weighted.cpp solves those regions as an integer program.
#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include "carteira/core/strings.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "eligibility.h"
#include "rebalance_weighted.h"

namespace carteira {
namespace {

using namespace redistribution_internal;
using Graph = lemon::SmartDigraph;
using Simplex = lemon::NetworkSimplex<Graph, std::int64_t, std::int64_t>;

struct CustomerClass {
  RepIndex holder = kNoRep;
  std::int32_t segment = Dictionary::kNone;
  std::vector<RepIndex> excluded;  // reps in cooldown (not the holder)
  std::vector<CustomerIndex> members;
};

class Rebalance : public Policy {
 public:
  explicit Rebalance(RebalanceOptions options) : options_(std::move(options)) {}
  std::string_view name() const override { return "rebalance"; }

  absl::Status Run(const Portfolio& portfolio, PlanningState& state) const override {
    if (!(options_.tolerance >= 0 && options_.tolerance < 1)) {
      return absl::InvalidArgumentError("tolerance must be in [0, 1)");
    }
    if (options_.cooldown_days < 0) {
      return absl::InvalidArgumentError("cooldown_days must be >= 0");
    }
    const PlanningInput& in = state.input();
    // Available reps by region, regions by name (no region last).
    std::map<std::string, std::vector<RepIndex>> regions;
    std::vector<RepIndex> no_region;
    for (RepIndex r : AvailableRepsById(in)) {
      if (in.rep_region[r] == Dictionary::kNone) {
        no_region.push_back(r);
      } else {
        regions[std::string(in.regions[in.rep_region[r]])].push_back(r);
      }
    }
    // Customers by holder, once.
    std::vector<std::vector<CustomerIndex>> book(in.reps());
    for (CustomerIndex c = 0; c < in.customers(); ++c) {
      if (state.holder(c) != kNoRep) book[state.holder(c)].push_back(c);
    }
    for (const auto& [region, reps] : regions) {
      if (auto s = Region(portfolio, state, region, reps, book); !s.ok()) return s;
    }
    if (!no_region.empty()) {
      if (auto s = Region(portfolio, state, "(no region)", no_region, book); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

 private:
  absl::Status Region(const Portfolio& portfolio, PlanningState& state, const std::string& region,
                      const std::vector<RepIndex>& reps,
                      const std::vector<std::vector<CustomerIndex>>& book) const {
    const PlanningInput& in = state.input();
    const size_t n = reps.size();
    if (n < 2) return absl::OkStatus();
    absl::flat_hash_map<RepIndex, size_t> slot;  // rep -> position in `reps`
    for (size_t i = 0; i < n; ++i) slot[reps[i]] = i;

    std::int64_t total = 0;
    std::vector<std::int64_t> fixed(n, 0), count(n, 0);
    bool unit_weights = true;
    for (size_t i = 0; i < n; ++i) {
      for (CustomerIndex c : book[reps[i]]) {
        ++count[i];
        if (state.fixed(c)) ++fixed[i];
        if (in.weight[c] != 1) unit_weights = false;
      }
      total += count[i];
    }
    if (!unit_weights) {  // a bin-packing problem: an integer program, not a flow
      return RebalanceWeightedRegion(portfolio, state, options_, name(), region, reps, book);
    }
    // The band around the mean, then each rep's own bounds.
    const double mean = static_cast<double>(total) / static_cast<double>(n);
    std::int64_t lo = static_cast<std::int64_t>(std::ceil(mean * (1 - options_.tolerance) - 1e-9));
    std::int64_t hi = static_cast<std::int64_t>(std::floor(mean * (1 + options_.tolerance) + 1e-9));
    if (lo > hi) {
      lo = static_cast<std::int64_t>(std::floor(mean));
      hi = static_cast<std::int64_t>(std::ceil(mean));
    }
    std::vector<std::int64_t> lo_b(n), hi_b(n);
    std::int64_t room = 0;
    for (size_t i = 0; i < n; ++i) {
      const RepIndex r = reps[i];
      hi_b[i] = hi;
      if (in.rep_capacity[r] > 0) hi_b[i] = std::min(hi_b[i], in.rep_capacity[r]);
      if (in.rep_max_load[r] > 0) hi_b[i] = std::min(hi_b[i], in.rep_max_load[r]);
      lo_b[i] = std::min(lo, hi_b[i]);
      room += hi_b[i];
      if (fixed[i] > hi_b[i]) {
        state.AddInfeasible(StrCat("region ", region, ": rep ", RepId(portfolio, r), " keeps ",
                                         Thousands(fixed[i]),
                                         " locked or already moved customers, above its bound ",
                                         Thousands(hi_b[i]), "; rebalance skipped the region"));
        return absl::OkStatus();
      }
    }
    const std::string band = absl::StrFormat("band %d-%d customers (mean %.1f +/- %g%%)", lo, hi,
                                             mean, options_.tolerance * 100);
    if (room < total) {
      state.AddInfeasible(StrCat("region ", region, ": ", Thousands(total), " customers, capacity ",
                                       Thousands(room), " within the ", band,
                                       " and the reps' capacities; rebalance skipped the region"));
      return absl::OkStatus();
    }
    bool balanced = true;
    for (size_t i = 0; i < n; ++i) balanced = balanced && count[i] >= lo_b[i] && count[i] <= hi_b[i];
    if (balanced) return absl::OkStatus();

    // Classes of interchangeable movable customers, in customer order.
    std::vector<CustomerClass> classes;
    absl::flat_hash_map<std::tuple<RepIndex, std::int32_t, RepIndex>, size_t> class_of;
    std::vector<RepIndex> excluded;
    for (size_t i = 0; i < n; ++i) {
      for (CustomerIndex c : book[reps[i]]) {
        if (state.fixed(c)) continue;
        CooldownReps(in, c, reps[i], slot, options_.cooldown_days, excluded);
        if (excluded.size() >= 2) {  // rare: a class of its own
          classes.push_back({reps[i], in.segment[c], excluded, {c}});
          continue;
        }
        const RepIndex e = excluded.empty() ? kNoRep : excluded.front();
        auto [it, inserted] = class_of.try_emplace({reps[i], in.segment[c], e}, classes.size());
        if (inserted) classes.push_back({reps[i], in.segment[c], excluded, {}});
        classes[it->second].members.push_back(c);
      }
    }
    const bool by_value = options_.objective == RebalanceObjective::kLeastValue;
    auto cost_of = [&](CustomerIndex c) -> std::int64_t {
      return by_value ? std::max<MinorUnits>(in.value[c], 0) + 1 : 1;
    };
    // Cheapest first: these are the ones a class gives up.
    const CustomerTable& customers = portfolio.customers();
    for (CustomerClass& k : classes) {
      std::sort(k.members.begin(), k.members.end(), [&](CustomerIndex a, CustomerIndex b) {
        if (in.value[a] != in.value[b]) return in.value[a] < in.value[b];
        return customers.id[a] < customers.id[b];
      });
    }

    Graph g;
    Graph::ArcMap<std::int64_t> cost(g), lower(g), upper(g);
    Graph::NodeMap<std::int64_t> supply(g);
    auto arc = [&](Graph::Node from, Graph::Node to, std::int64_t c, std::int64_t lo_cap,
                   std::int64_t hi_cap) {
      Graph::Arc a = g.addArc(from, to);
      cost[a] = c;
      lower[a] = lo_cap;
      upper[a] = hi_cap;
      return a;
    };
    std::vector<Graph::Node> rep_node(n);
    for (size_t i = 0; i < n; ++i) rep_node[i] = g.addNode();
    const Graph::Node sink = g.addNode();
    std::vector<Graph::Arc> rep_arc(n);
    for (size_t i = 0; i < n; ++i) {
      rep_arc[i] = arc(rep_node[i], sink, 0, std::max<std::int64_t>(0, lo_b[i] - fixed[i]),
                       hi_b[i] - fixed[i]);
    }
    // Hubs by (segment, excluded rep), made on first use.
    std::map<std::pair<std::int32_t, RepIndex>, Graph::Node> hubs;
    struct HubArc {
      Graph::Node hub;
      size_t rep;  // slot
      Graph::Arc arc;
    };
    std::vector<HubArc> hub_arcs;
    auto hub = [&](std::int32_t segment, RepIndex e) {
      auto [it, inserted] = hubs.try_emplace({segment, e});
      if (inserted) {
        it->second = g.addNode();
        for (size_t i = 0; i < n; ++i) {
          if (reps[i] != e && in.Serves(reps[i], segment)) {
            hub_arcs.push_back({it->second, i, arc(it->second, rep_node[i], 0, 0, total)});
          }
        }
      }
      return it->second;
    };
    struct ClassArcs {
      std::vector<std::pair<Graph::Arc, std::int64_t>> move;  // (arc, its cost group's size)
      Graph::Node out;
      std::vector<std::pair<size_t, Graph::Arc>> direct;  // (rep slot, arc) for |E| >= 2
    };
    std::vector<ClassArcs> class_arcs(classes.size());
    std::int64_t movable = 0;
    for (size_t k = 0; k < classes.size(); ++k) {
      const CustomerClass& cls = classes[k];
      const std::int64_t size = static_cast<std::int64_t>(cls.members.size());
      movable += size;
      const Graph::Node node = g.addNode();
      supply[node] = size;
      arc(node, rep_node[slot[cls.holder]], 0, 0, size);
      ClassArcs& ca = class_arcs[k];
      ca.out = g.addNode();
      // One move arc per run of equal cost (members are cheapest first).
      for (size_t j = 0; j < cls.members.size();) {
        size_t end = j;
        const std::int64_t c = cost_of(cls.members[j]);
        while (end < cls.members.size() && cost_of(cls.members[end]) == c) ++end;
        const std::int64_t run = static_cast<std::int64_t>(end - j);
        ca.move.push_back({arc(node, ca.out, c, 0, run), run});
        j = end;
      }
      if (cls.excluded.size() <= 1) {
        arc(ca.out, hub(cls.segment, cls.excluded.empty() ? kNoRep : cls.excluded.front()), 0, 0,
            size);
      } else {
        for (size_t i = 0; i < n; ++i) {
          const RepIndex r = reps[i];
          if (r == cls.holder || !in.Serves(r, cls.segment) ||
              std::binary_search(cls.excluded.begin(), cls.excluded.end(), r)) {
            continue;
          }
          ca.direct.push_back({i, arc(ca.out, rep_node[i], 0, 0, size)});
        }
      }
    }
    supply[sink] = -movable;

    Simplex simplex(g);
    simplex.costMap(cost).lowerMap(lower).upperMap(upper).supplyMap(supply);
    const Simplex::ProblemType result = simplex.run();
    if (result != Simplex::OPTIMAL) {
      state.AddInfeasible(StrCat(
          "region ", region, ": no assignment puts every rep within the ", band,
          " while respecting segments served, locks and the ", options_.cooldown_days,
          "-day cooldown; rebalance skipped the region"));
      return absl::OkStatus();
    }

    // How many each class gives up: its cheapest members.
    std::vector<std::vector<CustomerIndex>> leaving(classes.size());
    for (size_t k = 0; k < classes.size(); ++k) {
      size_t begin = 0;
      for (const auto& [a, run] : class_arcs[k].move) {
        const std::int64_t f = simplex.flow(a);
        for (std::int64_t j = 0; j < f; ++j) leaving[k].push_back(classes[k].members[begin + j]);
        begin += static_cast<size_t>(run);
      }
    }
    // Destinations: direct arcs, then each hub's outflow matched to its
    // inflows in class order.
    std::vector<std::pair<CustomerIndex, size_t>> moves;  // (customer, rep slot)
    std::vector<size_t> taken(classes.size(), 0);
    for (size_t k = 0; k < classes.size(); ++k) {
      for (const auto& [i, a] : class_arcs[k].direct) {
        for (std::int64_t j = simplex.flow(a); j > 0; --j) moves.push_back({leaving[k][taken[k]++], i});
      }
    }
    std::map<int, std::vector<size_t>> classes_of_hub;  // hub id -> classes
    for (size_t k = 0; k < classes.size(); ++k) {
      if (classes[k].excluded.size() <= 1) {
        const RepIndex e = classes[k].excluded.empty() ? kNoRep : classes[k].excluded.front();
        classes_of_hub[g.id(hubs.at({classes[k].segment, e}))].push_back(k);
      }
    }
    for (const HubArc& ha : hub_arcs) {
      std::vector<size_t>& ks = classes_of_hub[g.id(ha.hub)];
      std::int64_t f = simplex.flow(ha.arc);
      for (size_t idx = 0; f > 0 && idx < ks.size(); ++idx) {
        const size_t k = ks[idx];
        while (f > 0 && taken[k] < leaving[k].size()) {
          moves.push_back({leaving[k][taken[k]++], ha.rep});
          --f;
        }
      }
    }
    // Counts after, for the explanations.
    std::vector<std::int64_t> after = count;
    for (const auto& [c, i] : moves) {
      if (reps[i] == state.holder(c)) {  // impossible in an optimal flow (see the top)
        return absl::InternalError(StrCat("region ", region,
                                                ": a move back to the holder"));
      }
      --after[slot[state.holder(c)]];
      ++after[i];
    }
    std::sort(moves.begin(), moves.end(), [&](const auto& a, const auto& b) {
      return customers.id[a.first] < customers.id[b.first];
    });
    for (const auto& [c, i] : moves) {
      const size_t from = slot[state.holder(c)];
      auto bound = [&](size_t j) {
        return hi_b[j] < hi ? StrCat(" (capacity ", Thousands(hi_b[j]), ")") : std::string();
      };
      std::string explanation = StrCat(
          "region ", region, ", ", band, ": ", RepId(portfolio, reps[from]), " ",
          Thousands(count[from]), " -> ", Thousands(after[from]), bound(from), ", ",
          RepId(portfolio, reps[i]), " ", Thousands(count[i]), " -> ", Thousands(after[i]), bound(i),
          by_value ? StrCat("; value moved ", FormatMoney(in.value[c])) : std::string());
      state.MoveCustomer(c, reps[i], name(), "load_balance", std::move(explanation));
    }
    return absl::OkStatus();
  }

  RebalanceOptions options_;
};

}  // namespace

std::unique_ptr<Policy> MakeRebalance(RebalanceOptions options) {
  return std::make_unique<Rebalance>(std::move(options));
}

}  // namespace carteira
