#include "carteira/redistribution/plan_json.h"

#include <nlohmann/json.hpp>

#include "carteira/core/strings.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace carteira {
namespace {

using Json = nlohmann::json;



// Invalid UTF-8 (possible in ids given through the C ABI) is replaced, not
// thrown on.
std::string Quote(std::string_view text) {
  return Json(std::string(text)).dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string RepJson(const Portfolio& portfolio, RepIndex r) {
  return r == kNoRep ? std::string("null") : Quote(portfolio.reps().id[r]);
}

std::string DayJson(DayNumber day) { return day == kNoDay ? "null" : Quote(FormatDate(day)); }

std::string Ratio(double value) { return absl::StrFormat("%.6f", value); }

std::string FiguresJson(const Portfolio& portfolio, const std::vector<RepFigures>& figures) {
  std::vector<RepIndex> order(figures.size());
  for (size_t r = 0; r < order.size(); ++r) order[r] = static_cast<RepIndex>(r);
  std::sort(order.begin(), order.end(),
            [&](RepIndex a, RepIndex b) { return portfolio.reps().id[a] < portfolio.reps().id[b]; });
  std::string out = "{";
  for (size_t i = 0; i < order.size(); ++i) {
    const RepFigures& f = figures[order[i]];
    StrAppend(&out, i ? ",\n    " : "\n    ", Quote(portfolio.reps().id[order[i]]),
              ": {\"customers\": ", f.customers, ", \"load\": ", f.load, ", \"at_risk\": ", f.at_risk,
              ", \"at_risk_value\": ", FormatMoney(f.at_risk_value), "}");
  }
  StrAppend(&out, order.empty() ? "}" : "\n  }");
  return out;
}

std::string FairnessJson(const Fairness& f) {
  return StrCat("{\"reps\": ", f.reps, ", \"min_load\": ", f.min_load, ", \"max_load\": ", f.max_load,
                ", \"max_min_ratio\": ", f.max_min_ratio ? Ratio(*f.max_min_ratio) : "null",
                ", \"gini\": ", Ratio(f.gini), "}");
}

}  // namespace

std::string PlanToJson(const Portfolio& portfolio, const Plan& plan) {
  const CustomerTable& customers = portfolio.customers();
  std::string out = StrCat("{\"id\": ", Quote(plan.id), ",\n \"as_of\": ", DayJson(plan.as_of),
                           ",\n \"moves\": [");
  for (size_t i = 0; i < plan.moves.size(); ++i) {
    const Move& m = plan.moves[i];
    StrAppend(&out, i ? ",\n  " : "\n  ", "{\"customer_id\": ", Quote(customers.id[m.customer]),
              ", \"from\": ", RepJson(portfolio, m.from), ", \"to\": ", RepJson(portfolio, m.to),
              ", \"policy\": ", Quote(m.policy), ", \"reason\": ", Quote(m.reason),
              ", \"effective\": ", DayJson(m.effective));
    if (m.until != kNoDay) StrAppend(&out, ", \"until\": ", DayJson(m.until));
    StrAppend(&out, ", \"explanation\": ", Quote(m.explanation), "}");
  }
  StrAppend(&out, plan.moves.empty() ? "]" : "\n ]", ",\n \"unassigned\": [");
  for (size_t i = 0; i < plan.unplaced.size(); ++i) {
    const Unplaced& u = plan.unplaced[i];
    StrAppend(&out, i ? ",\n  " : "\n  ", "{\"customer_id\": ", Quote(customers.id[u.customer]),
              ", \"stays_with\": ", RepJson(portfolio, u.holder), ", \"policy\": ", Quote(u.policy),
              ", \"constraint\": ", Quote(u.constraint), ", \"explanation\": ",
              Quote(u.explanation), "}");
  }
  StrAppend(&out, plan.unplaced.empty() ? "]" : "\n ]", ",\n \"infeasible\": [");
  for (size_t i = 0; i < plan.infeasible.size(); ++i) {
    StrAppend(&out, i ? ",\n  " : "\n  ", Quote(plan.infeasible[i]));
  }
  StrAppend(&out, plan.infeasible.empty() ? "]" : "\n ]",
            ",\n \"before\": ", FiguresJson(portfolio, plan.before),
            ",\n \"after\": ", FiguresJson(portfolio, plan.after),
            ",\n \"fairness\": {\"before\": ", FairnessJson(plan.fairness_before),
            ",\n              \"after\": ", FairnessJson(plan.fairness_after), "}",
            ",\n \"round_robin_cursor\": ",
            plan.round_robin_cursor.empty() ? "null" : Quote(plan.round_robin_cursor), "}\n");
  return out;
}

absl::StatusOr<Plan> PlanFromJson(const Portfolio& portfolio, std::string_view json,
                                  std::string_view origin) {
  Json doc;
  try {
    doc = Json::parse(json.begin(), json.end());
  } catch (const Json::exception& e) {  // parse_error, and out_of_range for a number overflow
    return absl::InvalidArgumentError(StrCat(origin, ": not valid JSON: ", e.what()));
  }
  auto bad = [&](std::string_view where, std::string_view what) {
    return absl::InvalidArgumentError(StrCat(origin, ": ", where, ": ", what));
  };
  if (!doc.is_object() || !doc.contains("moves") || !doc["moves"].is_array()) {
    return bad("plan", "expected an object with a \"moves\" array");
  }
  Plan plan;
  if (auto it = doc.find("id"); it != doc.end() && it->is_string()) plan.id = it->get<std::string>();
  auto day = [&](const Json& v, std::string_view where, bool required) -> absl::StatusOr<DayNumber> {
    if (v.is_null() && !required) return kNoDay;
    if (!v.is_string()) return bad(where, StrCat("expected a date, got ", v.dump()));
    auto d = ParseDate(v.get<std::string>());
    if (!d.ok()) return bad(where, std::string(d.status().message()));
    return *d;
  };
  if (auto it = doc.find("as_of"); it != doc.end()) {
    auto d = day(*it, "as_of", false);
    if (!d.ok()) return d.status();
    plan.as_of = *d;
  }
  const Json& moves = doc["moves"];
  for (size_t i = 0; i < moves.size(); ++i) {
    const Json& m = moves[i];
    const std::string where = StrCat("moves[", i, "]");
    if (!m.is_object()) return bad(where, "expected an object");
    auto text = [&](std::string_view key, bool nullable) -> absl::StatusOr<std::string> {
      auto it = m.find(key);
      if (it == m.end() || (nullable && it->is_null())) {
        if (nullable) return std::string();
        return bad(StrCat(where, ".", key), "is missing");
      }
      if (!it->is_string()) return bad(StrCat(where, ".", key), StrCat("expected a string, got ", it->dump()));
      return it->get<std::string>();
    };
    auto customer = text("customer_id", false);
    auto from = text("from", true);
    auto to = text("to", false);
    auto policy = text("policy", false);
    auto reason = text("reason", true);
    auto explanation = text("explanation", true);
    for (auto* s : {&customer, &from, &to, &policy, &reason, &explanation}) {
      if (!s->ok()) return s->status();
    }
    Move move;
    auto c = portfolio.FindCustomer(*customer);
    if (!c) return bad(StrCat(where, ".customer_id"), StrCat("customer ", *customer, " is not in the portfolio"));
    move.customer = *c;
    if (!from->empty()) {
      auto r = portfolio.FindRep(*from);
      if (!r) return bad(StrCat(where, ".from"), StrCat("rep ", *from, " is not in the portfolio"));
      move.from = *r;
    }
    auto r = portfolio.FindRep(*to);
    if (!r) return bad(StrCat(where, ".to"), StrCat("rep ", *to, " is not in the portfolio"));
    move.to = *r;
    move.policy = *policy;
    move.reason = *reason;
    move.explanation = *explanation;
    auto effective = day(m.contains("effective") ? m["effective"] : Json(), StrCat(where, ".effective"),
                         plan.as_of == kNoDay);
    if (!effective.ok()) return effective.status();
    move.effective = *effective == kNoDay ? plan.as_of : *effective;
    auto until = day(m.contains("until") ? m["until"] : Json(), StrCat(where, ".until"), false);
    if (!until.ok()) return until.status();
    move.until = *until;
    if (move.until != kNoDay && move.until <= move.effective) {
      return bad(StrCat(where, ".until"), "is not after the effective date");
    }
    plan.moves.push_back(std::move(move));
  }
  return plan;
}

}  // namespace carteira
