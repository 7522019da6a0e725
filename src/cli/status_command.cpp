// `carteira status` and `carteira transitions`: the status engine from the
// command line.
#include <algorithm>
#include <cmath>
#include <ostream>

#include "absl/strings/str_format.h"
#include "carteira/core/strings.h"
#include "carteira/models/p_alive_rule.h"
#include "carteira/status/status_engine.h"
#include "src/cli/commands.h"
#include "src/cli/summary_output.h"

namespace carteira::cli {
namespace {

std::string JsonNumberOrNull(double value) {
  const std::string text = FormatDouble(value);
  return text.empty() ? "null" : text;
}

std::string DateOrEmpty(DayNumber day) { return day == kNoDay ? std::string() : FormatDate(day); }

std::string JsonDateOrNull(DayNumber day) {
  return day == kNoDay ? std::string("null") : JsonString(FormatDate(day));
}

std::string JsonFlags(std::uint8_t flags) {
  std::string out = "[";
  for (int i = 0; i < kFlagCount; ++i) {
    if ((flags & (1u << i)) == 0) continue;
    StrAppend(&out, out.size() > 1 ? ", " : "", JsonString(std::string(FlagName(static_cast<StatusFlag>(1u << i)))));
  }
  return out + "]";
}

void WriteCounts(std::ostream& out, const StatusTable& t, std::span<const size_t> rows,
                 OutputFormat format) {
  std::array<size_t, kStatusCount> counts{};
  for (size_t row : rows) ++counts[static_cast<size_t>(t.status[row])];
  switch (format) {
    case OutputFormat::kCsv:
      out << "status,customers\n";
      for (int s = 0; s < kStatusCount; ++s) out << StatusName(static_cast<Status>(s)) << "," << counts[s] << "\n";
      break;
    case OutputFormat::kJson:
      out << "{\"as_of\": " << JsonString(FormatDate(t.as_of)) << ", \"counts\": {";
      for (int s = 0; s < kStatusCount; ++s) {
        out << (s ? ", " : "") << JsonString(std::string(StatusName(static_cast<Status>(s)))) << ": " << counts[s];
      }
      out << "}}\n";
      break;
    case OutputFormat::kTable:
      out << "Status as of " << FormatDate(t.as_of) << "\n";
      for (int s = 0; s < kStatusCount; ++s) {
        out << absl::StrFormat("  %-12s %8d\n", StatusName(static_cast<Status>(s)), counts[s]);
      }
      break;
  }
}

void WriteStatuses(std::ostream& out, const Portfolio& p, const StatusTable& t,
                   std::span<const size_t> rows, OutputFormat format) {
  const CustomerTable& customers = p.customers();
  switch (format) {
    case OutputFormat::kCsv:
      out << "customer_id,status,flags,rule,days_since_last_purchase,last_purchase,purchase_days,"
             "median_gap_days,threshold_days,segment,reason";
      for (const std::string& name : t.field_names) out << "," << CsvQuote(name);
      out << "\n";
      for (size_t c : rows) {
        out << CsvQuote(std::string(customers.id[c])) << "," << StatusName(t.status[c]) << ","
            << FlagNames(t.flags[c], "|") << "," << CsvQuote(std::string(t.RuleName(c))) << ","
            << (t.days_since_last[c] < 0 ? std::string() : StrCat(t.days_since_last[c])) << ","
            << DateOrEmpty(t.last_purchase[c]) << "," << t.purchase_days[c] << ","
            << FormatDouble(t.median_gap_days[c]) << "," << FormatDouble(t.threshold_days[c]) << ","
            << CsvQuote(std::string(customers.segment[c])) << "," << CsvQuote(t.Reason(p, c));
        for (const std::vector<double>& field : t.fields) out << "," << FormatDouble(field[c]);
        out << "\n";
      }
      break;
    case OutputFormat::kJson: {
      std::array<size_t, kStatusCount> counts{};
      for (size_t row : rows) ++counts[static_cast<size_t>(t.status[row])];
      out << "{\"as_of\": " << JsonString(FormatDate(t.as_of)) << ",\n \"counts\": {";
      for (int s = 0; s < kStatusCount; ++s) {
        out << (s ? ", " : "") << JsonString(std::string(StatusName(static_cast<Status>(s)))) << ": " << counts[s];
      }
      out << "},\n \"customers\": [";
      bool first = true;
      for (size_t c : rows) {
        out << (first ? "\n  " : ",\n  ") << "{\"customer_id\": " << JsonString(std::string(customers.id[c]))
            << ", \"status\": " << JsonString(std::string(StatusName(t.status[c])))
            << ", \"flags\": " << JsonFlags(t.flags[c])
            << ", \"rule\": " << JsonString(std::string(t.RuleName(c)))
            << ", \"reason\": " << JsonString(t.Reason(p, c)) << ", \"days_since_last_purchase\": "
            << (t.days_since_last[c] < 0 ? std::string("null") : StrCat(t.days_since_last[c]))
            << ", \"last_purchase\": " << JsonDateOrNull(t.last_purchase[c])
            << ", \"purchase_days\": " << t.purchase_days[c]
            << ", \"median_gap_days\": " << JsonNumberOrNull(t.median_gap_days[c])
            << ", \"threshold_days\": " << JsonNumberOrNull(t.threshold_days[c])
            << ", \"segment\": " << JsonString(std::string(customers.segment[c]));
        for (size_t k = 0; k < t.fields.size(); ++k) {
          out << ", " << JsonString(t.field_names[k]) << ": " << JsonNumberOrNull(t.fields[k][c]);
        }
        out << "}";
        first = false;
      }
      out << (first ? "]}\n" : "\n ]}\n");
      break;
    }
    case OutputFormat::kTable:
      out << Pad("customer_id", 12) << Pad("status", 13) << Pad("flags", 26) << Pad("rule", 18);
      for (const std::string& name : t.field_names) out << Pad(name, name.size() + 2);
      out << "reason\n";
      for (size_t c : rows) {
        out << Pad(customers.id[c], 12) << Pad(StatusName(t.status[c]), 13)
            << Pad(FlagNames(t.flags[c]), 26) << Pad(t.RuleName(c), 18);
        for (size_t k = 0; k < t.fields.size(); ++k) {
          const double v = t.fields[k][c];
          out << Pad(std::isnan(v) ? std::string("-") : absl::StrFormat("%.3f", v), t.field_names[k].size() + 2);
        }
        out << t.Reason(p, c) << "\n";
      }
      break;
  }
}

absl::Status CheckThreshold(const char* flag, int value) {
  if (value < 0) return absl::InvalidArgumentError(StrCat(flag, ": must not be negative, got ", value));
  if (value > 36500) return absl::InvalidArgumentError(StrCat(flag, ": must be at most 36500 days, got ", value));
  return absl::OkStatus();
}

// A policy problem found against the data (a segment no customer has) names
// the policy file.
absl::Status NameThePolicy(const absl::Status& status, const StatusFlags& flags) {
  if (flags.policy_file.empty() || status.message().rfind("policy: ", 0) != 0) return status;
  return absl::Status(status.code(), StrCat(flags.policy_file, ": ", status.message().substr(8)));
}

}  // namespace

// Fits --p-alive-model on the customers as of the date (in weeks, as the
// papers do) and registers the P(alive) rule on the engine.
absl::Status AddPAliveRule(const Portfolio& portfolio, DayNumber as_of, const StatusFlags& flags,
                           StatusEngine& engine, std::ostream& err) {
  const auto kind = models::ParseModelKind(flags.p_alive_model);
  if (!kind) return absl::InvalidArgumentError(StrCat("--p-alive-model ", flags.p_alive_model, ": unknown model"));
  if (flags.expected_horizon_days < 1 || flags.expected_horizon_days > 36500) {
    return absl::InvalidArgumentError(
        StrCat("--expected-horizon: must be 1 to 36500 days, got ", flags.expected_horizon_days));
  }
  SummaryOptions options;
  options.as_of = ToDate(as_of);
  options.unit = TimeUnit::kWeeks;
  auto summary = Summarize(portfolio, options);
  if (!summary.ok()) return summary.status();
  auto model = models::Model::Fit(*kind, models::RfmFromSummary(*summary));
  if (!model.ok()) return absl::Status(model.status().code(), StrCat("--p-alive-model: ", model.status().message()));
  if (model->fit() && !model->fit()->converged) {
    err << "carteira: warning: the " << flags.p_alive_model
        << " fit did not converge: " << model->fit()->reason << "\n";
  }
  models::PAliveRuleOptions rule_options;
  rule_options.at_risk_below = flags.p_alive_at_risk;
  rule_options.inactive_below = flags.p_alive_inactive;
  rule_options.horizon = models::Duration::Days(flags.expected_horizon_days);
  auto rule = models::PAliveRule::Create(*std::move(model), rule_options);
  if (!rule.ok()) return absl::Status(rule.status().code(), StrCat("--p-alive-at-risk/--p-alive-inactive: ",
                                                                    rule.status().message()));
  return engine.AddRule(*std::move(rule));
}

absl::StatusOr<StatusPolicy> ResolvePolicy(const StatusFlags& flags) {
  const bool thresholds = flags.at_risk_after || flags.inactive_after || flags.lost_after;
  StatusPolicy policy;
  if (!flags.policy_file.empty()) {
    auto loaded = StatusPolicy::FromFile(flags.policy_file);
    if (!loaded.ok()) return loaded.status();
    policy = std::move(*loaded);
  } else if (thresholds) {
    policy = StatusPolicy::FixedThresholds(90, 180, 365);
  }
  if (!thresholds) return policy;
  // The flags set the thresholds for every customer: the global ones and
  // each segment's (a policy file's segments were resolved when it was read).
  for (const auto& [flag, value] : {std::pair{"--at-risk-after", flags.at_risk_after},
                                    std::pair{"--inactive-after", flags.inactive_after},
                                    std::pair{"--lost-after", flags.lost_after}}) {
    if (value) {
      if (auto s = CheckThreshold(flag, *value); !s.ok()) return s;
    }
  }
  auto apply = [&flags](RecencyRule& r) {
    if (flags.at_risk_after) r.at_risk_after = *flags.at_risk_after;
    if (flags.inactive_after) r.inactive_after = *flags.inactive_after;
    if (flags.lost_after) r.lost_after = *flags.lost_after;
  };
  apply(policy.defaults.recency);
  for (SegmentRules& segment : policy.segments) apply(segment.rules.recency);
  const RecencyRule& r = policy.defaults.recency;
  if (r.at_risk_after > r.inactive_after) {
    return absl::InvalidArgumentError(StrCat("the at-risk threshold ", r.at_risk_after,
                                             " must not exceed the inactive threshold ", r.inactive_after,
                                             " (--at-risk-after, --inactive-after)"));
  }
  if (r.inactive_after > r.lost_after) {
    return absl::InvalidArgumentError(StrCat("the inactive threshold ", r.inactive_after,
                                             " must not exceed the lost threshold ", r.lost_after,
                                             " (--inactive-after, --lost-after)"));
  }
  if (auto s = policy.Validate(); !s.ok()) return s;
  return policy;
}

int RunStatus(const LoadFlags& load, const StatusFlags& flags, std::ostream& out, std::ostream& err) {
  auto fail = [&err](const absl::Status& s) {
    err << "carteira status: " << s.message() << "\n";
    return ExitCodeFor(s);
  };
  auto format = ParseOutputFormat(flags.format);
  if (!format.ok()) return fail(format.status());
  std::vector<Status> only;
  for (const std::string& name : flags.only) {
    const auto s = ParseStatus(name);
    if (!s) {
      return fail(absl::InvalidArgumentError(
          StrCat("--only ", name, ": unknown status (prospect, new, active, at_risk, inactive, lost, "
                 "reactivated)")));
    }
    only.push_back(*s);
  }
  auto policy = ResolvePolicy(flags);
  if (!policy.ok()) return fail(policy.status());
  Portfolio portfolio;
  if (auto s = LoadPortfolio(load, portfolio, err); !s.ok()) return fail(s);
  auto as_of = ResolveAsOf(flags.as_of, portfolio);
  if (!as_of.ok()) return fail(as_of.status());
  auto engine = StatusEngine::Create(portfolio, *std::move(policy));
  if (!engine.ok()) return fail(NameThePolicy(engine.status(), flags));
  if (!flags.p_alive_model.empty()) {
    if (auto s = AddPAliveRule(portfolio, *as_of, flags, *engine, err); !s.ok()) return fail(s);
  }
  auto table = engine->Classify(*as_of);
  if (!table.ok()) return fail(table.status());
  std::vector<size_t> rows;
  for (size_t c = 0; c < table->size(); ++c) {
    if (only.empty() || std::find(only.begin(), only.end(), table->status[c]) != only.end()) {
      rows.push_back(c);
    }
  }
  if (flags.counts) {
    WriteCounts(out, *table, rows, *format);
  } else {
    WriteStatuses(out, portfolio, *table, rows, *format);
  }
  return kExitOk;
}

int RunTransitions(const LoadFlags& load, const StatusFlags& flags, const std::string& from_flag,
                   const std::string& to_flag, std::ostream& out, std::ostream& err) {
  auto fail = [&err](const absl::Status& s) {
    err << "carteira transitions: " << s.message() << "\n";
    return ExitCodeFor(s);
  };
  auto format = ParseOutputFormat(flags.format);
  if (!format.ok()) return fail(format.status());
  auto from = ParseDate(from_flag);
  if (!from.ok()) return fail(absl::InvalidArgumentError(StrCat("--from: ", from.status().message())));
  auto to = ParseDate(to_flag);
  if (!to.ok()) return fail(absl::InvalidArgumentError(StrCat("--to: ", to.status().message())));
  auto policy = ResolvePolicy(flags);
  if (!policy.ok()) return fail(policy.status());
  Portfolio portfolio;
  if (auto s = LoadPortfolio(load, portfolio, err); !s.ok()) return fail(s);
  auto engine = StatusEngine::Create(portfolio, *std::move(policy));
  if (!engine.ok()) return fail(NameThePolicy(engine.status(), flags));
  auto transitions = engine->Transitions(*from, *to);
  if (!transitions.ok()) return fail(transitions.status());
  const CustomerTable& customers = portfolio.customers();
  auto rule_name = [](std::uint16_t rule) {
    return rule >= kFirstPluginRule ? std::string("plugin") : std::string(BuiltinRuleName(static_cast<BuiltinRule>(rule)));
  };
  switch (*format) {
    case OutputFormat::kCsv:
      out << "customer_id,from,to,date,rule\n";
      for (const StatusTransition& t : *transitions) {
        out << CsvQuote(std::string(customers.id[t.customer])) << "," << StatusName(t.from) << ","
            << StatusName(t.to) << "," << FormatDate(t.date) << "," << rule_name(t.rule) << "\n";
      }
      break;
    case OutputFormat::kJson: {
      out << "{\"from\": " << JsonString(FormatDate(*from)) << ", \"to\": " << JsonString(FormatDate(*to))
          << ",\n \"transitions\": [";
      bool first = true;
      for (const StatusTransition& t : *transitions) {
        out << (first ? "\n  " : ",\n  ") << "{\"customer_id\": " << JsonString(std::string(customers.id[t.customer]))
            << ", \"from\": " << JsonString(std::string(StatusName(t.from)))
            << ", \"to\": " << JsonString(std::string(StatusName(t.to)))
            << ", \"date\": " << JsonString(FormatDate(t.date))
            << ", \"rule\": " << JsonString(rule_name(t.rule)) << "}";
        first = false;
      }
      out << (first ? "]}\n" : "\n ]}\n");
      break;
    }
    case OutputFormat::kTable:
      out << "Status changes after " << FormatDate(*from) << " up to " << FormatDate(*to) << ": "
          << transitions->size() << "\n";
      out << Pad("customer_id", 12) << Pad("from", 13) << Pad("to", 13) << Pad("date", 12) << "rule\n";
      for (const StatusTransition& t : *transitions) {
        out << Pad(customers.id[t.customer], 12) << Pad(StatusName(t.from), 13) << Pad(StatusName(t.to), 13)
            << Pad(FormatDate(t.date), 12) << rule_name(t.rule) << "\n";
      }
      break;
  }
  return kExitOk;
}

}  // namespace carteira::cli
