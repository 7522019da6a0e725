// rebalance by weighted load, exactly, as an integer program per region.
//
// Customers of a region that may move (not locked, not moved by an earlier
// policy) fall into classes of interchangeable customers: same holder,
// segment, reps in cooldown and weight. With x[k][b] the number of class k
// placed with rep b (b = the holder means they stay):
//   every class placed:     sum_b x[k][b] = size_k
//   load band of rep b:     lo_b <= fixed_load_b + sum_k weight_k x[k][b] <= hi_b
//   capacity of rep b:      fixed_count_b + sum_k x[k][b] <= capacity_b
//   fewest moves:           minimise sum_k sum_{b != holder_k} x[k][b]
//   least moved value:      minimise sum_k sum_r cost_kr z[k][r], where z[k][r] in
//                           [0, size of run r] counts the class's r-th run of equal
//                           value moved and sum_r z[k][r] = the class's moves.
// Costs ascend within a class, so for any number of moves the cheapest
// runs fill first and the z need not be integer. GLPK's branch and cut
// (presolver, cuts, mip gap 0) proves the optimum; the classes keep the
// program small. The search is bounded by a count of nodes: a region it
// cannot close gets the best plan found and a note with the gap.
#include "rebalance_weighted.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <tuple>

#include <glpk.h>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"
#include "carteira/core/strings.h"
#include "eligibility.h"

namespace carteira::redistribution_internal {
namespace {

// The search stops after this many branch-and-bound nodes (a count, not a
// clock, so that the same input gives the same plan on every machine).
constexpr int kMaxNodes = 2000;

struct DeleteProblem {
  void operator()(glp_prob* p) const { glp_delete_prob(p); }
};
class GlpkProblem {
 public:
  GlpkProblem() : p_(glp_create_prob()) {}
  glp_prob* get() const { return p_.get(); }

 private:
  std::unique_ptr<glp_prob, DeleteProblem> p_;
};

struct Solution {
  bool feasible = false;
  bool optimal = false;
  double gap = 0;  // relative, when not optimal
};

struct SearchLimit {
  int nodes = 0;
  double gap = 0;
};

void CountNodes(glp_tree* tree, void* info) {
  auto* limit = static_cast<SearchLimit*>(info);
  if (glp_ios_reason(tree) != GLP_ISELECT) return;
  limit->gap = glp_ios_mip_gap(tree);
  if (++limit->nodes >= kMaxNodes) glp_ios_terminate(tree);
}

// Branch and cut with GLPK's cuts and heuristics, mip gap 0.
Solution Solve(glp_prob* mip) {
  glp_iocp parm;
  glp_init_iocp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  parm.br_tech = GLP_BR_DTH;
  parm.bt_tech = GLP_BT_BLB;
  parm.gmi_cuts = GLP_ON;
  parm.mir_cuts = GLP_ON;
  parm.cov_cuts = GLP_ON;
  parm.clq_cuts = GLP_ON;
  parm.fp_heur = GLP_ON;
  parm.mip_gap = 0;
  SearchLimit limit;
  parm.cb_func = CountNodes;
  parm.cb_info = &limit;
  // The LP relaxation first (its presolver may prove the region
  // infeasible), then branch and cut from its basis. GLPK's MIP presolver
  // stays off: on the random instances of rebalance_test.cpp it returned a
  // "solution" that broke a load bound.
  parm.presolve = GLP_OFF;
  glp_smcp lp;
  glp_init_smcp(&lp);
  lp.msg_lev = GLP_MSG_OFF;
  lp.presolve = GLP_ON;
  // The cut generators print even with msg_lev off: silence the terminal
  // for the call, then restore the host's setting.
  const int terminal = glp_term_out(GLP_OFF);
  int ret = -1;
  if (glp_simplex(mip, &lp) == 0 && glp_get_status(mip) == GLP_OPT) ret = glp_intopt(mip, &parm);
  glp_term_out(terminal);
  if (ret == -1) return Solution{};
  const int status = glp_mip_status(mip);
  Solution s;
  s.feasible = (ret == 0 || ret == GLP_ESTOP) && (status == GLP_OPT || status == GLP_FEAS);
  s.optimal = ret == 0 && status == GLP_OPT;
  s.gap = limit.gap;
  return s;
}

struct WeightedClass {
  RepIndex holder = kNoRep;
  std::int32_t segment = Dictionary::kNone;
  std::int64_t weight = 1;
  std::vector<RepIndex> excluded;  // reps in cooldown (not the holder)
  std::vector<CustomerIndex> members;
};

}  // namespace

void CooldownReps(const PlanningInput& in, CustomerIndex c, RepIndex holder,
                  const absl::flat_hash_map<RepIndex, size_t>& slot, std::int32_t cooldown_days,
                  std::vector<RepIndex>& out) {
  out.clear();
  if (cooldown_days <= 0) return;
  for (std::uint32_t h = in.history_offset[c]; h < in.history_offset[c + 1]; ++h) {
    const PastHolding& past = in.history[h];
    if (past.rep != holder && slot.contains(past.rep) && past.until >= in.as_of - cooldown_days) {
      out.push_back(past.rep);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

absl::Status RebalanceWeightedRegion(const Portfolio& portfolio, PlanningState& state,
                                     const RebalanceOptions& options, std::string_view policy,
                                     const std::string& region, const std::vector<RepIndex>& reps,
                                     const std::vector<std::vector<CustomerIndex>>& book) {
  const PlanningInput& in = state.input();
  const size_t n = reps.size();
  absl::flat_hash_map<RepIndex, size_t> slot;
  for (size_t i = 0; i < n; ++i) slot[reps[i]] = i;

  std::int64_t total = 0;
  std::vector<std::int64_t> load(n, 0), count(n, 0), fixed_load(n, 0), fixed_count(n, 0);
  for (size_t i = 0; i < n; ++i) {
    for (CustomerIndex c : book[reps[i]]) {
      load[i] += in.weight[c];
      ++count[i];
      if (state.fixed(c)) {
        fixed_load[i] += in.weight[c];
        ++fixed_count[i];
      }
    }
    total += load[i];
  }
  const double mean = static_cast<double>(total) / static_cast<double>(n);
  std::int64_t lo = static_cast<std::int64_t>(std::ceil(mean * (1 - options.tolerance) - 1e-9));
  std::int64_t hi = static_cast<std::int64_t>(std::floor(mean * (1 + options.tolerance) + 1e-9));
  if (lo > hi) {
    lo = static_cast<std::int64_t>(std::floor(mean));
    hi = static_cast<std::int64_t>(std::ceil(mean));
  }
  constexpr std::int64_t kUnlimited = std::numeric_limits<std::int64_t>::max();
  std::vector<std::int64_t> lo_b(n), hi_b(n), cap_b(n);
  std::int64_t room = 0;
  for (size_t i = 0; i < n; ++i) {
    const RepIndex r = reps[i];
    hi_b[i] = in.rep_max_load[r] > 0 ? std::min(hi, in.rep_max_load[r]) : hi;
    lo_b[i] = std::min(lo, hi_b[i]);
    cap_b[i] = in.rep_capacity[r] > 0 ? in.rep_capacity[r] : kUnlimited;
    room += hi_b[i];
    if (fixed_load[i] > hi_b[i] || fixed_count[i] > cap_b[i]) {
      const bool by_load = fixed_load[i] > hi_b[i];
      state.AddInfeasible(StrCat("region ", region, ": rep ", RepId(portfolio, r), " keeps ",
                                 by_load ? StrCat("a load of ", Thousands(fixed_load[i]))
                                         : StrCat(Thousands(fixed_count[i]), " customers"),
                                 " in locked or already moved customers, above its bound ",
                                 Thousands(by_load ? hi_b[i] : cap_b[i]), by_load ? "" : " (capacity)",
                                 "; rebalance skipped the region"));
      return absl::OkStatus();
    }
  }
  const std::string band = absl::StrFormat("band %d-%d load (mean %.1f +/- %g%%)", lo, hi, mean,
                                           options.tolerance * 100);
  if (room < total) {
    state.AddInfeasible(StrCat("region ", region, ": a load of ", Thousands(total), ", room for ",
                               Thousands(room), " within the ", band,
                               " and the reps' maximum loads; rebalance skipped the region"));
    return absl::OkStatus();
  }
  bool balanced = true;
  for (size_t i = 0; i < n; ++i) {
    balanced = balanced && load[i] >= lo_b[i] && load[i] <= hi_b[i] && count[i] <= cap_b[i];
  }
  if (balanced) return absl::OkStatus();

  // Classes of interchangeable movable customers, in customer order.
  std::vector<WeightedClass> classes;
  absl::flat_hash_map<std::tuple<RepIndex, std::int32_t, RepIndex, std::int64_t>, size_t> class_of;
  for (size_t i = 0; i < n; ++i) {
    for (CustomerIndex c : book[reps[i]]) {
      if (state.fixed(c)) continue;
      std::vector<RepIndex> excluded;
      CooldownReps(in, c, reps[i], slot, options.cooldown_days, excluded);
      if (excluded.size() >= 2) {  // rare: a class of its own
        classes.push_back({reps[i], in.segment[c], in.weight[c], std::move(excluded), {c}});
        continue;
      }
      const RepIndex e = excluded.empty() ? kNoRep : excluded.front();
      auto [it, inserted] = class_of.try_emplace({reps[i], in.segment[c], e, in.weight[c]}, classes.size());
      if (inserted) classes.push_back({reps[i], in.segment[c], in.weight[c], std::move(excluded), {}});
      classes[it->second].members.push_back(c);
    }
  }
  const bool by_value = options.objective == RebalanceObjective::kLeastValue;
  const CustomerTable& customers = portfolio.customers();
  for (WeightedClass& k : classes) {  // cheapest first: these are the ones a class gives up
    std::sort(k.members.begin(), k.members.end(), [&](CustomerIndex a, CustomerIndex b) {
      if (in.value[a] != in.value[b]) return in.value[a] < in.value[b];
      return customers.id[a] < customers.id[b];
    });
  }

  if (classes.empty()) {
    state.AddInfeasible(StrCat("region ", region, ": every customer is locked or already moved, so no move "
                               "can bring the reps within the ", band, "; rebalance skipped the region"));
    return absl::OkStatus();
  }
  // Where each class may go: its holder, and every rep serving its segment
  // outside its cooldown.
  std::vector<std::vector<size_t>> targets(classes.size());
  size_t variables = 0;
  for (size_t k = 0; k < classes.size(); ++k) {
    const WeightedClass& cls = classes[k];
    for (size_t i = 0; i < n; ++i) {
      const RepIndex r = reps[i];
      if (r != cls.holder &&
          (!in.Serves(r, cls.segment) || std::binary_search(cls.excluded.begin(), cls.excluded.end(), r))) {
        continue;
      }
      targets[k].push_back(i);
    }
    variables += targets[k].size();
  }
  if (variables > kMaxWeightedVariables) {
    state.AddInfeasible(StrCat("region ", region, ": balancing weighted loads exactly needs ",
                               Thousands(static_cast<std::int64_t>(variables)),
                               " integer variables (", Thousands(static_cast<std::int64_t>(classes.size())),
                               " classes of interchangeable customers x eligible reps), above the limit of ",
                               Thousands(static_cast<std::int64_t>(kMaxWeightedVariables)),
                               "; rebalance skipped the region"));
    return absl::OkStatus();
  }

  // Rows: one per class (every customer placed; for least value, the runs
  // equal the moves: a second row), then per rep the load band and the
  // capacity. Columns: x[k][t] for class k and its t-th target, then the runs.
  GlpkProblem mip;
  glp_set_obj_dir(mip.get(), GLP_MIN);
  std::vector<int> ia{0}, ja{0};  // GLPK's arrays are 1-based
  std::vector<double> ar{0};
  auto entry = [&](int row, int col, double value) {
    ia.push_back(row);
    ja.push_back(col);
    ar.push_back(value);
  };
  auto add_row = [&](int type, double lower, double upper) {
    const int row = glp_add_rows(mip.get(), 1);
    glp_set_row_bnds(mip.get(), row, type, lower, upper);
    return row;
  };
  auto add_col = [&](bool integer, double upper, double cost) {
    const int col = glp_add_cols(mip.get(), 1);
    glp_set_col_bnds(mip.get(), col, upper > 0 ? GLP_DB : GLP_FX, 0, upper);
    if (integer) glp_set_col_kind(mip.get(), col, GLP_IV);
    glp_set_obj_coef(mip.get(), col, cost);
    return col;
  };
  std::vector<int> load_row(n), count_row(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const double lower = static_cast<double>(std::max<std::int64_t>(0, lo_b[i] - fixed_load[i]));
    const double upper = static_cast<double>(hi_b[i] - fixed_load[i]);
    load_row[i] = lower < upper ? add_row(GLP_DB, lower, upper) : add_row(GLP_FX, upper, upper);
    if (cap_b[i] != kUnlimited) count_row[i] = add_row(GLP_UP, 0, static_cast<double>(cap_b[i] - fixed_count[i]));
  }
  std::vector<std::vector<int>> x(classes.size());
  for (size_t k = 0; k < classes.size(); ++k) {
    const WeightedClass& cls = classes[k];
    const double size = static_cast<double>(cls.members.size());
    const int placed = add_row(GLP_FX, size, size);
    const int runs = by_value ? add_row(GLP_FX, 0, 0) : 0;  // sum of runs - moves = 0
    for (size_t i : targets[k]) {
      const bool stays = reps[i] == cls.holder;
      const int col = add_col(/*integer=*/true, size, !by_value && !stays ? 1.0 : 0.0);
      x[k].push_back(col);
      entry(placed, col, 1);
      entry(load_row[i], col, static_cast<double>(cls.weight));
      if (count_row[i] != 0) entry(count_row[i], col, 1);
      if (by_value && !stays) entry(runs, col, -1);
    }
    if (!by_value) continue;
    // One continuous variable per run of equal cost (members cheapest first).
    for (size_t j = 0; j < cls.members.size();) {
      const MinorUnits v = in.value[cls.members[j]];
      size_t end = j;
      while (end < cls.members.size() && in.value[cls.members[end]] == v) ++end;
      const int z = add_col(/*integer=*/false, static_cast<double>(end - j),
                            static_cast<double>(std::max<MinorUnits>(v, 0) + 1));
      entry(runs, z, 1);
      j = end;
    }
  }
  glp_load_matrix(mip.get(), static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());
  const Solution solution = Solve(mip.get());
  if (!solution.feasible) {
    state.AddInfeasible(StrCat("region ", region, ": no assignment puts every rep within the ", band,
                               " while respecting capacities, segments served, locks and the ",
                               options.cooldown_days, "-day cooldown; rebalance skipped the region"));
    return absl::OkStatus();
  }
  if (!solution.optimal) {
    state.AddInfeasible(absl::StrFormat(
        "region %s: the best plan found after %d branch-and-bound nodes is not proven optimal "
        "(within %.2f%% of the best bound); its moves are in the plan",
        region, kMaxNodes, solution.gap * 100));
  }

  // Each class gives up its cheapest members, to the reps in id order.
  std::vector<std::pair<CustomerIndex, size_t>> moves;  // (customer, rep slot)
  for (size_t k = 0; k < classes.size(); ++k) {
    size_t next = 0;
    for (size_t t = 0; t < targets[k].size(); ++t) {
      const size_t i = targets[k][t];
      if (reps[i] == classes[k].holder) continue;
      const auto placed = static_cast<std::int64_t>(std::llround(glp_mip_col_val(mip.get(), x[k][t])));
      for (std::int64_t j = 0; j < placed; ++j) moves.push_back({classes[k].members[next++], i});
    }
  }
  std::vector<std::int64_t> after = load;
  for (const auto& [c, i] : moves) {
    after[slot[state.holder(c)]] -= in.weight[c];
    after[i] += in.weight[c];
  }
  std::sort(moves.begin(), moves.end(),
            [&](const auto& a, const auto& b) { return customers.id[a.first] < customers.id[b.first]; });
  for (const auto& [c, i] : moves) {
    const size_t from = slot[state.holder(c)];
    auto bound = [&](size_t j) {
      return hi_b[j] < hi ? StrCat(" (max load ", Thousands(hi_b[j]), ")") : std::string();
    };
    std::string explanation = StrCat(
        "region ", region, ", ", band, ": ", RepId(portfolio, reps[from]), " load ", Thousands(load[from]),
        " -> ", Thousands(after[from]), bound(from), ", ", RepId(portfolio, reps[i]), " load ",
        Thousands(load[i]), " -> ", Thousands(after[i]), bound(i), "; customer weight ", in.weight[c],
        by_value ? StrCat("; value moved ", FormatMoney(in.value[c])) : std::string());
    state.MoveCustomer(c, reps[i], policy, "load_balance", std::move(explanation));
  }
  return absl::OkStatus();
}

}  // namespace carteira::redistribution_internal
