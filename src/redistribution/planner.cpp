#include "carteira/redistribution/planner.h"

#include <algorithm>
#include <cstdint>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "carteira/core/strings.h"
#include "carteira/core/text_file.h"
#include "src/core/json_reader.h"

namespace carteira {
namespace {

using Json = JsonObjectReader::Json;

// The policy file's readers on top of the shared key reader (src/core/json_reader.h).
class Reader : public JsonObjectReader {
 public:
  using JsonObjectReader::JsonObjectReader;

  absl::Status Int(std::string_view key, std::int32_t* out, std::int64_t min = 0) const {
    const Json* v = Find(key);
    if (v == nullptr) return absl::OkStatus();
    const std::optional<std::int64_t> n = WholeNumber(*v, min, INT32_MAX);
    if (!n) return Error(key, StrCat("expected a whole number >= ", min, ", got ", v->dump()));
    *out = static_cast<std::int32_t>(*n);
    return absl::OkStatus();
  }
  absl::Status Number(std::string_view key, double* out) const {
    const Json* v = Find(key);
    if (v == nullptr) return absl::OkStatus();
    if (!v->is_number()) return Error(key, StrCat("expected a number, got ", v->dump()));
    *out = v->get<double>();
    return absl::OkStatus();
  }
  // Optional: absent or "" leaves *out as it is.
  absl::Status Day(std::string_view key, DayNumber* out) const {
    std::string text;
    if (auto s = Text(key, &text); !s.ok() || text.empty()) return s;
    auto day = ParseDate(text);
    if (!day.ok()) return Error(key, std::string(day.status().message()));
    *out = *day;
    return absl::OkStatus();
  }
  absl::Status Texts(std::string_view key, std::vector<std::string>* out) const {
    const Json* list = Find(key);
    if (list == nullptr) return absl::OkStatus();
    if (!list->is_array()) return Error(key, StrCat("expected an array of strings, got ", list->dump()));
    out->clear();
    for (const Json& v : *list) {
      if (!v.is_string()) return Error(key, StrCat("expected strings, got ", v.dump()));
      out->push_back(v.get<std::string>());
    }
    return absl::OkStatus();
  }
  absl::Status Statuses(std::string_view key, std::vector<Status>* out) const {
    std::vector<std::string> names;
    if (auto s = Texts(key, &names); !s.ok()) return s;
    if (Find(key) == nullptr) return absl::OkStatus();
    out->clear();
    for (const std::string& name : names) {
      auto status = ParseStatus(name);
      if (!status) return Error(key, StrCat("'", name, "' is not a status"));
      out->push_back(*status);
    }
    return absl::OkStatus();
  }
  absl::Status Method(std::string_view key, AssignMethod* out) const {
    std::string text;
    if (auto s = Text(key, &text); !s.ok() || text.empty()) return s;
    for (AssignMethod m :
         {AssignMethod::kRoundRobin, AssignMethod::kLeastLoaded, AssignMethod::kCapacityWeighted}) {
      if (AssignMethodName(m) == text) {
        *out = m;
        return absl::OkStatus();
      }
    }
    return Error(key, StrCat("'", text, "' is not round_robin, least_loaded or capacity_weighted"));
  }
};

absl::StatusOr<std::unique_ptr<Policy>> ParsePolicy(const Json& item, const std::string& where) {
  if (!item.is_object() || !item.contains("policy") || !item["policy"].is_string()) {
    return absl::InvalidArgumentError(
        StrCat(where, ": expected an object with a \"policy\" name, got ", item.dump()));
  }
  const std::string kind = item["policy"].get<std::string>();
  const Reader r(item, StrCat(where, " (", kind, ")"));
  absl::Status s;
  if (kind == "assign_unowned") {
    AssignUnownedOptions o;
    if (!(s = r.Keys({"policy", "method", "cursor"})).ok() || !(s = r.Method("method", &o.method)).ok() ||
        !(s = r.Text("cursor", &o.cursor)).ok()) {
      return s;
    }
    return MakeAssignUnowned(std::move(o));
  }
  if (kind == "rotate_at_risk") {
    RotateAtRiskOptions o;
    if (!(s = r.Keys({"policy", "statuses", "no_contact_days", "cooldown_days",
                      "max_moves_per_rep"}))
             .ok() ||
        !(s = r.Statuses("statuses", &o.statuses)).ok() ||
        !(s = r.Int("no_contact_days", &o.no_contact_days)).ok() ||
        !(s = r.Int("cooldown_days", &o.cooldown_days)).ok() ||
        !(s = r.Int("max_moves_per_rep", &o.max_moves_per_rep)).ok()) {
      return s;
    }
    return MakeRotateAtRisk(std::move(o));
  }
  if (kind == "release_inactive") {
    ReleaseInactiveOptions o;
    if (!(s = r.Keys({"policy", "statuses", "days", "to_rep", "to_team"})).ok() ||
        !(s = r.Statuses("statuses", &o.statuses)).ok() || !(s = r.Int("days", &o.days)).ok() ||
        !(s = r.Text("to_rep", &o.to_rep)).ok() || !(s = r.Text("to_team", &o.to_team)).ok()) {
      return s;
    }
    if (o.to_rep.empty() == o.to_team.empty()) return r.Error("", "give exactly one of to_rep and to_team");
    return MakeReleaseInactive(std::move(o));
  }
  if (kind == "rebalance") {
    RebalanceOptions o;
    std::string objective;
    if (!(s = r.Keys({"policy", "tolerance", "objective", "cooldown_days"})).ok() ||
        !(s = r.Number("tolerance", &o.tolerance)).ok() ||
        !(s = r.Text("objective", &objective)).ok() ||
        !(s = r.Int("cooldown_days", &o.cooldown_days)).ok()) {
      return s;
    }
    if (!(o.tolerance >= 0 && o.tolerance < 1)) return r.Error("tolerance", "must be in [0, 1)");
    if (objective == "value") {
      o.objective = RebalanceObjective::kLeastValue;
    } else if (!objective.empty() && objective != "moves") {
      return r.Error("objective", StrCat("'", objective, "' is not moves or value"));
    }
    return MakeRebalance(std::move(o));
  }
  if (kind == "handover") {
    HandoverOptions o;
    if (!(s = r.Keys({"policy", "rep", "effective", "until", "method"})).ok() ||
        !(s = r.Text("rep", &o.rep)).ok() || !(s = r.Day("effective", &o.effective)).ok() ||
        !(s = r.Day("until", &o.until)).ok() || !(s = r.Method("method", &o.method)).ok()) {
      return s;
    }
    if (o.rep.empty()) return r.Error("rep", "the leaving rep's id is required");
    return MakeHandover(std::move(o));
  }
  return absl::InvalidArgumentError(StrCat(
      where, ": unknown policy '", kind,
      "' (known: assign_unowned, rotate_at_risk, release_inactive, rebalance, handover)"));
}

// FNV-1a, 64 bits: a stable content hash for the plan id.
class Fnv {
 public:
  void Add(std::string_view text) {
    for (unsigned char ch : text) {
      hash_ ^= ch;
      hash_ *= 1099511628211ull;
    }
    Add0();
  }
  void Add(std::int64_t value) {
    for (int i = 0; i < 8; ++i) {
      hash_ ^= static_cast<std::uint8_t>(static_cast<std::uint64_t>(value) >> (8 * i));
      hash_ *= 1099511628211ull;
    }
    Add0();
  }
  std::uint64_t value() const { return hash_; }

 private:
  void Add0() {
    hash_ ^= 0xff;
    hash_ *= 1099511628211ull;
  }
  std::uint64_t hash_ = 14695981039346656037ull;
};

// The plan id: a hash of the as-of date and the moves. Each move hashes
// on its own (FNV-1a over its ids, dates and policy) and the hashes are
// mixed and summed, visiting the moves in customer order so that reading
// the customer ids streams through memory instead of missing the cache.
std::string PlanId(const Portfolio& portfolio, const Plan& plan) {
  auto rep = [&](RepIndex r) { return r == kNoRep ? std::string_view() : portfolio.reps().id[r]; };
  auto mix = [](std::uint64_t x) {  // splitmix64's finaliser
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
  };
  std::vector<std::uint32_t> order(plan.moves.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return plan.moves[a].customer < plan.moves[b].customer;
  });
  Fnv head;
  head.Add(plan.as_of);
  std::uint64_t sum = mix(head.value());
  for (std::uint32_t i : order) {
    const Move& m = plan.moves[i];
    Fnv h;
    h.Add(portfolio.customers().id[m.customer]);
    h.Add(rep(m.from));
    h.Add(rep(m.to));
    h.Add(m.policy);
    h.Add(m.effective);
    h.Add(m.until);
    sum += mix(h.value());
  }
  return absl::StrFormat("plan-%016x", sum);
}

}  // namespace

absl::StatusOr<PlanPipeline> ParsePlanPipeline(std::string_view json, std::string_view origin) {
  Json doc;
  try {
    doc = Json::parse(json.begin(), json.end(), nullptr, true, /*ignore_comments=*/true);
  } catch (const Json::exception& e) {  // parse_error, and out_of_range for a number overflow
    return absl::InvalidArgumentError(StrCat(origin, ": not valid JSON: ", e.what()));
  }
  if (!doc.is_object()) return absl::InvalidArgumentError(StrCat(origin, ": expected a JSON object"));
  PlanPipeline pipeline;
  const Reader top(doc, std::string(origin));
  absl::Status s;
  if (!(s = top.Keys({"version", "value_window_days", "weight_attribute", "pinned", "policies"}))
           .ok() ||
      !(s = top.Int("value_window_days", &pipeline.input.value_window_days, 1)).ok() ||
      !(s = top.Text("weight_attribute", &pipeline.input.weight_attribute)).ok() ||
      !(s = top.Texts("pinned", &pipeline.input.pinned)).ok()) {
    return s;
  }
  if (auto it = doc.find("version"); it != doc.end() && *it != 1) {
    return top.Error("version", StrCat("unsupported version ", it->dump(), " (this library reads 1)"));
  }
  auto it = doc.find("policies");
  if (it == doc.end() || !it->is_array() || it->empty()) {
    return top.Error("policies", "expected a non-empty array of policies");
  }
  for (size_t i = 0; i < it->size(); ++i) {
    auto policy = ParsePolicy((*it)[i], StrCat(origin, ": policies[", i, "]"));
    if (!policy.ok()) return policy.status();
    pipeline.policies.push_back(std::move(*policy));
  }
  return pipeline;
}

absl::StatusOr<PlanPipeline> LoadPlanPipeline(const std::string& path) {
  auto text = ReadTextFile(path, "the policy file");
  if (!text.ok()) return text.status();
  return ParsePlanPipeline(*text, path);
}

std::vector<RepFigures> ComputeRepFigures(const PlanningInput& input,
                                          const std::vector<RepIndex>& holder) {
  std::vector<RepFigures> out(input.reps());
  for (size_t c = 0; c < holder.size(); ++c) {
    if (holder[c] == kNoRep) continue;
    RepFigures& f = out[holder[c]];
    ++f.customers;
    f.load += input.weight[c];
    if (input.status[c] == Status::kAtRisk) {
      ++f.at_risk;
      f.at_risk_value += input.value[c];
    }
  }
  return out;
}

Fairness ComputeFairness(const PlanningInput& input, const std::vector<RepFigures>& figures) {
  std::vector<std::int64_t> loads;
  for (RepIndex r = 0; r < static_cast<RepIndex>(input.reps()); ++r) {
    if (input.Available(r)) loads.push_back(figures[r].load);
  }
  Fairness f;
  f.reps = static_cast<std::int64_t>(loads.size());
  if (loads.empty()) return f;
  std::sort(loads.begin(), loads.end());
  f.min_load = loads.front();
  f.max_load = loads.back();
  if (f.min_load > 0) f.max_min_ratio = static_cast<double>(f.max_load) / f.min_load;
  // Gini = 2 sum(i * x_(i)) / (n sum x) - (n + 1) / n, ranks from 1.
  long double weighted = 0, sum = 0;
  for (size_t i = 0; i < loads.size(); ++i) {
    weighted += static_cast<long double>(i + 1) * loads[i];
    sum += loads[i];
  }
  const long double n = static_cast<long double>(loads.size());
  if (sum > 0) f.gini = static_cast<double>(2 * weighted / (n * sum) - (n + 1) / n);
  return f;
}

absl::StatusOr<Plan> BuildPlan(const Portfolio& portfolio, const StatusTable& status,
                               const PlanPipeline& pipeline) {
  auto input = MakePlanningInput(portfolio, status, pipeline.input);
  if (!input.ok()) return input.status();
  return BuildPlan(portfolio, *input, pipeline);
}

absl::StatusOr<Plan> BuildPlan(const Portfolio& portfolio, const PlanningInput& input,
                               const PlanPipeline& pipeline) {
  if (input.customers() != portfolio.customers().size() || input.reps() != portfolio.reps().size()) {
    return absl::FailedPreconditionError(
        "the planning input was gathered from another portfolio (or before a change)");
  }
  PlanningState state(input);
  for (const auto& policy : pipeline.policies) {
    if (auto s = policy->Run(portfolio, state); !s.ok()) {
      return absl::Status(s.code(), StrCat("policy ", policy->name(), ": ", s.message()));
    }
  }
  Plan plan;
  plan.as_of = input.as_of;
  plan.moves = state.TakeMoves();
  plan.unplaced = state.TakeUnplaced();
  plan.infeasible = state.infeasible();
  plan.round_robin_cursor = state.round_robin_cursor();
  plan.before = ComputeRepFigures(input, input.holder);
  // After = before with each move's customer carried over (cost by moves).
  plan.after = plan.before;
  for (const Move& m : plan.moves) {
    const bool at_risk = input.status[m.customer] == Status::kAtRisk;
    for (auto [r, sign] : {std::pair{m.from, -1}, std::pair{m.to, 1}}) {
      if (r == kNoRep) continue;
      RepFigures& f = plan.after[r];
      f.customers += sign;
      f.load += sign * input.weight[m.customer];
      if (at_risk) {
        f.at_risk += sign;
        f.at_risk_value += sign * input.value[m.customer];
      }
    }
  }
  plan.fairness_before = ComputeFairness(input, plan.before);
  plan.fairness_after = ComputeFairness(input, plan.after);
  plan.id = PlanId(portfolio, plan);
  return plan;
}

}  // namespace carteira
