// `carteira opportunities`, `carteira mix` and `carteira icp`: what to offer
// each customer and when, the product mix of a period, and the ideal
// customer profile (docs/opportunities.md).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <ostream>
#include <string>
#include <string_view>

#include "absl/strings/str_format.h"
#include "carteira/core/strings.h"
#include "carteira/opportunities/cross_sell.h"
#include "carteira/opportunities/icp.h"
#include "carteira/opportunities/mix.h"
#include "carteira/opportunities/next_purchase.h"
#include "carteira/models/rfm_data.h"
#include "carteira/summary/customer_summary.h"
#include "src/cli/commands.h"
#include "src/cli/summary_output.h"

namespace carteira::cli {
namespace {

int Fail(std::ostream& err, std::string_view command, const absl::Status& s) {
  err << "carteira " << command << ": " << s.message() << "\n";
  return ExitCodeFor(s);
}

std::string DateOrNull(DayNumber d) { return d == kNoDay ? std::string("null") : JsonString(FormatDate(d)); }

std::string Fixed(double v, int decimals) { return absl::StrFormat("%.*f", decimals, v); }

absl::StatusOr<DayNumber> ParseFlagDate(std::string_view flag, const std::string& text) {
  auto day = ParseDate(text);
  if (!day.ok()) return absl::InvalidArgumentError(StrCat(flag, ": ", day.status().message()));
  return *day;
}

}  // namespace

int RunOpportunities(const LoadFlags& load, const OpportunitiesFlags& flags, std::ostream& out, std::ostream& err) {
  constexpr std::string_view kCommand = "opportunities";
  auto format = ParseOutputFormat(flags.format);
  if (!format.ok()) return Fail(err, kCommand, format.status());
  if (flags.top < 1 || flags.top > kMaxCrossSellTopK) {
    return Fail(err, kCommand,
                absl::InvalidArgumentError(StrCat("--top: between 1 and ", kMaxCrossSellTopK, ", got ", flags.top)));
  }
  Portfolio portfolio;
  if (auto s = LoadPortfolio(load, portfolio, err); !s.ok()) return Fail(err, kCommand, s);
  auto as_of = ResolveAsOf(flags.as_of, portfolio);
  if (!as_of.ok()) return Fail(err, kCommand, as_of.status());
  std::optional<DayNumber> week;
  if (!flags.week.empty()) {
    auto day = ParseFlagDate("--week", flags.week);
    if (!day.ok()) return Fail(err, kCommand, day.status());
    week = *day;
  }

  auto next = EstimateNextPurchase(portfolio, {.as_of = *as_of});
  if (!next.ok()) return Fail(err, kCommand, next.status());
  const bool with_model = !flags.p_alive_model.empty();
  if (with_model) {
    // Fitted in weeks on the summary as of the same date, as the status
    // engine's P(alive) rule does.
    const auto kind = models::ParseModelKind(flags.p_alive_model);
    if (!kind) {
      return Fail(err, kCommand,
                  absl::InvalidArgumentError(StrCat("--p-alive-model ", flags.p_alive_model, ": unknown model")));
    }
    SummaryOptions options;
    options.as_of = ToDate(*as_of);
    options.unit = TimeUnit::kWeeks;
    auto summary = Summarize(portfolio, options);
    if (!summary.ok()) return Fail(err, kCommand, summary.status());
    auto model = models::Model::Fit(*kind, models::RfmFromSummary(*summary));
    if (!model.ok()) {
      return Fail(err, kCommand,
                  absl::Status(model.status().code(), StrCat("--p-alive-model: ", model.status().message())));
    }
    if (model->fit() && !model->fit()->converged) {
      err << "carteira opportunities: warning: the " << flags.p_alive_model
          << " fit did not converge: " << model->fit()->reason << "\n";
    }
    if (auto s = AddModelView(portfolio, *model, flags.expected_horizon_days, &*next); !s.ok()) {
      return Fail(err, kCommand, s);
    }
  }
  auto model_figures = [&](CustomerIndex c, bool json) {
    if (!with_model) return std::string();
    const double p = next->p_alive[c], e = next->expected_purchases[c];
    if (json) {
      return StrCat(", \"p_alive\": ", std::isnan(p) ? "null" : FormatDouble(p),
                    ", \"expected_purchases\": ", std::isnan(e) ? "null" : FormatDouble(e));
    }
    return StrCat(",", std::isnan(p) ? "" : FormatDouble(p), ",", std::isnan(e) ? "" : FormatDouble(e));
  };
  // The customers listed: every one with a purchase by as_of, or those
  // whose window opens in --week.
  std::vector<CustomerIndex> listed;
  if (week) {
    listed = EnteringWindow(*next, *week);
  } else {
    for (size_t c = 0; c < next->size(); ++c) {
      if (next->basis[c] != NextPurchaseBasis::kNoPurchase) listed.push_back(static_cast<CustomerIndex>(c));
    }
  }
  CrossSellOptions options;
  options.as_of = *as_of;
  options.top_k = flags.top;
  options.min_pair_customers = flags.min_pair_customers;
  auto model = BuildCrossSell(portfolio, options);
  CrossSellSuggestions suggestions;
  if (model.ok()) {
    if (!model->note.empty()) err << "carteira opportunities: note: " << model->note << "\n";
    suggestions = SuggestCrossSell(*model, flags.top, listed);
  } else if (model.status().code() == absl::StatusCode::kFailedPrecondition) {
    // No categories: the moment to call still stands.
    err << "carteira opportunities: note: " << model.status().message() << "; listing the next purchase only\n";
  } else {
    return Fail(err, kCommand, model.status());
  }
  // Rows of each listed customer's suggestions: [first[i], first[i+1]).
  std::vector<size_t> first(listed.size() + 1, 0);
  {
    size_t r = 0;
    for (size_t i = 0; i < listed.size(); ++i) {
      first[i] = r;
      while (r < suggestions.size() && suggestions.customer[r] == listed[i]) ++r;
    }
    first[listed.size()] = r;
  }
  const CustomerTable& customers = portfolio.customers();
  switch (*format) {
    case OutputFormat::kJson: {
      out << "{\"as_of\": " << JsonString(FormatDate(*as_of)) << ", \"customers\": [";
      for (size_t i = 0; i < listed.size(); ++i) {
        const CustomerIndex c = listed[i];
        out << (i ? ",\n  " : "\n  ") << "{\"customer_id\": " << JsonString(std::string(customers.id[c]))
            << ", \"recommendations\": [";
        for (size_t r = first[i]; r < first[i + 1]; ++r) {
          out << (r > first[i] ? ", " : "") << "{\"category\": "
              << JsonString(std::string(portfolio.categories()[suggestions.category[r]]))
              << ", \"score\": " << FormatDouble(suggestions.score[r])
              << ", \"reason\": " << JsonString(SuggestionReason(portfolio, suggestions, r)) << "}";
        }
        out << "], \"next_purchase\": {\"expected\": " << DateOrNull(next->expected[c])
            << ", \"from\": " << DateOrNull(next->from[c]) << ", \"to\": " << DateOrNull(next->to[c])
            << ", \"basis\": " << JsonString(std::string(NextPurchaseBasisName(next->basis[c])))
            << model_figures(c, true) << "}}";
      }
      out << (listed.empty() ? "]}\n" : "\n]}\n");
      break;
    }
    case OutputFormat::kCsv: {
      out << "customer_id,rank,category,score,reason,expected,from,to" << (with_model ? ",p_alive,expected_purchases" : "")
          << "\n";
      for (size_t i = 0; i < listed.size(); ++i) {
        const CustomerIndex c = listed[i];
        const std::string tail = StrCat(",", FormatDate(next->expected[c]), ",", FormatDate(next->from[c]), ",",
                                        FormatDate(next->to[c]), model_figures(c, false), "\n");
        const std::string id = CsvQuote(std::string(customers.id[c]));
        if (first[i] == first[i + 1]) out << id << ",,,,"<< tail;
        for (size_t r = first[i]; r < first[i + 1]; ++r) {
          out << id << "," << suggestions.rank[r] << ","
              << CsvQuote(std::string(portfolio.categories()[suggestions.category[r]])) << ","
              << FormatDouble(suggestions.score[r]) << "," << CsvQuote(SuggestionReason(portfolio, suggestions, r))
              << tail;
        }
      }
      break;
    }
    case OutputFormat::kTable: {
      out << "Opportunities as of " << FormatDate(*as_of) << ": " << listed.size() << " customers";
      if (week) out << " whose window opens in the week of " << FormatDate(*week);
      out << "\n";
      for (size_t i = 0; i < listed.size(); ++i) {
        const CustomerIndex c = listed[i];
        out << Pad(customers.id[c], 10) << Pad(customers.name[c], 36);
        if (next->basis[c] == NextPurchaseBasis::kRhythm) {
          out << "next purchase " << FormatDate(next->expected[c]) << " (window " << FormatDate(next->from[c])
              << " to " << FormatDate(next->to[c]);
          if (const int late = next->overdue_days(c); late > 0) out << ", " << late << " days overdue";
          out << ")";
        } else {
          out << "no rhythm yet (one purchase, " << FormatDate(next->last[c]) << ")";
        }
        if (with_model) {
          out << "; P(alive) " << Fixed(next->p_alive[c], 2) << ", " << Fixed(next->expected_purchases[c], 1)
              << " purchases expected in " << next->expected_horizon_days << " days";
        }
        out << "\n";
        for (size_t r = first[i]; r < first[i + 1]; ++r) {
          out << "    " << suggestions.rank[r] << ". "
              << Pad(portfolio.categories()[suggestions.category[r]], 16) << Fixed(suggestions.score[r], 3) << "  "
              << SuggestionReason(portfolio, suggestions, r) << "\n";
        }
      }
      break;
    }
  }
  return kExitOk;
}

int RunMix(const LoadFlags& load, const MixFlags& flags, std::ostream& out, std::ostream& err) {
  constexpr std::string_view kCommand = "mix";
  auto format = ParseOutputFormat(flags.format);
  if (!format.ok()) return Fail(err, kCommand, format.status());
  MixGrouping by = MixGrouping::kNone;
  if (!flags.by.empty()) {
    auto parsed = ParseMixGrouping(flags.by);
    if (!parsed) {
      return Fail(err, kCommand, absl::InvalidArgumentError(StrCat("--by: rep or segment, got '", flags.by, "'")));
    }
    by = *parsed;
  }
  auto from = ParseFlagDate("--from", flags.from);
  if (!from.ok()) return Fail(err, kCommand, from.status());
  auto to = ParseFlagDate("--to", flags.to);
  if (!to.ok()) return Fail(err, kCommand, to.status());
  Portfolio portfolio;
  if (auto s = LoadPortfolio(load, portfolio, err); !s.ok()) return Fail(err, kCommand, s);
  auto mix = ComputeMix(portfolio, *from, *to, by);
  if (!mix.ok()) return Fail(err, kCommand, mix.status());
  const Dictionary& names = portfolio.categories();
  const size_t slots = mix->order.size();
  auto group_name = [](const MixGroup& g, std::string_view none) {
    return g.unassigned ? std::string(none) : g.group;
  };
  const std::string_view none = by == MixGrouping::kRep ? "(no rep)" : "(no segment)";
  switch (*format) {
    case OutputFormat::kCsv: {
      // One row per group and category.
      out << "group,category,customers,buyers,average_breadth,category_buyers,share,revenue\n";
      auto rows = [&](const MixGroup& g, const std::string& name) {
        for (size_t s = 0; s < slots; ++s) {
          const auto share = g.share(s);
          out << CsvQuote(name) << "," << CsvQuote(std::string(names[mix->order.code[s]])) << "," << g.customers
              << "," << g.buyers << "," << (g.average_breadth ? FormatDouble(*g.average_breadth) : "") << ","
              << g.category_buyers[s] << "," << (share ? FormatDouble(*share) : "") << ","
              << FormatMoney(g.category_revenue[s]) << "\n";
        }
      };
      rows(mix->overall, "(all)");
      for (const MixGroup& g : mix->groups) rows(g, group_name(g, none));
      break;
    }
    case OutputFormat::kJson: {
      auto group = [&](const MixGroup& g) {
        std::string s = StrCat("{\"group\": ", g.unassigned ? "null" : JsonString(g.group),
                               ", \"customers\": ", g.customers, ", \"buyers\": ", g.buyers,
                               ", \"average_breadth\": ", g.average_breadth ? FormatDouble(*g.average_breadth) : "null",
                               ", \"categories\": {");
        for (size_t k = 0; k < slots; ++k) {
          const auto share = g.share(k);
          StrAppend(&s, k ? ", " : "", JsonString(std::string(names[mix->order.code[k]])), ": {\"buyers\": ",
                    g.category_buyers[k], ", \"share\": ", share ? FormatDouble(*share) : "null",
                    ", \"revenue\": ", FormatMoney(g.category_revenue[k]), "}");
        }
        return s + "}}";
      };
      out << "{\"from\": " << JsonString(FormatDate(*from)) << ", \"to\": " << JsonString(FormatDate(*to))
          << ", \"by\": " << (flags.by.empty() ? "null" : JsonString(flags.by)) << ",\n \"overall\": "
          << group(mix->overall) << ",\n \"groups\": [";
      for (size_t g = 0; g < mix->groups.size(); ++g) out << (g ? ",\n  " : "\n  ") << group(mix->groups[g]);
      out << (mix->groups.empty() ? "]" : "\n ]") << ",\n \"by_segment\": [";
      for (size_t g = 0; g < mix->by_segment.size(); ++g) {
        out << (g ? ",\n  " : "\n  ") << group(mix->by_segment[g]);
      }
      out << (mix->by_segment.empty() ? "]" : "\n ]") << ",\n \"customers\": [";
      const CustomerMixRows& r = mix->rows;
      for (size_t i = 0; i < r.size(); ++i) {
        out << (i ? ",\n  " : "\n  ") << "{\"customer_id\": "
            << JsonString(std::string(portfolio.customers().id[r.customer[i]])) << ", \"category\": "
            << JsonString(std::string(names[r.category[i]])) << ", \"purchases\": " << r.purchases[i]
            << ", \"revenue\": " << FormatMoney(r.revenue[i]) << "}";
      }
      out << (r.size() ? "\n ]}\n" : "]}\n");
      break;
    }
    case OutputFormat::kTable: {
      out << "Product mix " << FormatDate(*from) << " to " << FormatDate(*to) << " (positivação de mix)\n";
      // Categories as columns: buyers' share in percent.
      auto header = [&](std::string_view first) {
        out << Pad(first, 22) << absl::StrFormat("%9s %7s %8s", "customers", "buyers", "avg mix");
        for (size_t s = 0; s < slots; ++s) out << " " << absl::StrFormat("%12s", Pad(names[mix->order.code[s]], 12));
        out << "\n";
      };
      auto line = [&](const MixGroup& g, const std::string& name) {
        out << Pad(name, 22) << absl::StrFormat("%9d %7d %8s", g.customers, g.buyers,
                                                g.average_breadth ? Fixed(*g.average_breadth, 2) : "-");
        for (size_t s = 0; s < slots; ++s) {
          const auto share = g.share(s);
          out << " " << absl::StrFormat("%11s%%", share ? Fixed(100 * *share, 1) : "-");
        }
        out << "\n";
      };
      header(by == MixGrouping::kRep ? "rep" : by == MixGrouping::kSegment ? "segment" : "");
      line(mix->overall, "all customers");
      for (const MixGroup& g : mix->groups) line(g, group_name(g, none));
      if (by != MixGrouping::kSegment) {
        out << "\nCategory by segment (share of the segment's buyers)\n";
        header("segment");
        for (const MixGroup& g : mix->by_segment) line(g, group_name(g, "(no segment)"));
      }
      out << "Shares: customers who bought the category / customers with a purchase in the period.\n";
      break;
    }
  }
  return kExitOk;
}

int RunIcp(const LoadFlags& load, const IcpFlags& flags, std::ostream& out, std::ostream& err) {
  constexpr std::string_view kCommand = "icp";
  auto format = ParseOutputFormat(flags.format);
  if (!format.ok()) return Fail(err, kCommand, format.status());
  Portfolio portfolio;
  if (auto s = LoadPortfolio(load, portfolio, err); !s.ok()) return Fail(err, kCommand, s);
  auto as_of = ResolveAsOf(flags.as_of, portfolio);
  if (!as_of.ok()) return Fail(err, kCommand, as_of.status());
  auto icp = ComputeIcp(portfolio, {.as_of = *as_of, .best_share = flags.best_share});
  if (!icp.ok()) return Fail(err, kCommand, icp.status());
  const CustomerTable& customers = portfolio.customers();
  // Everyone not yet best, closest first (ties by index): whom to develop.
  std::vector<CustomerIndex> closest;
  for (size_t c = 0; c < customers.size(); ++c) {
    if (!icp->is_best[c]) closest.push_back(static_cast<CustomerIndex>(c));
  }
  std::stable_sort(closest.begin(), closest.end(),
                   [&](CustomerIndex a, CustomerIndex b) { return icp->score[a] > icp->score[b]; });
  switch (*format) {
    case OutputFormat::kCsv:
      out << "customer_id,score,best,revenue,drivers\n";
      for (size_t c = 0; c < customers.size(); ++c) {
        out << CsvQuote(std::string(customers.id[c])) << "," << FormatDouble(icp->score[c]) << ","
            << (icp->is_best[c] ? "true" : "false") << "," << FormatMoney(icp->revenue[c]) << ","
            << CsvQuote(IcpDriversText(*icp, static_cast<CustomerIndex>(c))) << "\n";
      }
      break;
    case OutputFormat::kJson: {
      out << "{\"as_of\": " << JsonString(FormatDate(*as_of)) << ", \"buyers\": " << icp->buyers
          << ", \"best\": " << icp->best << ", \"best_threshold\": " << FormatMoney(icp->best_threshold)
          << ", \"base_rate\": " << FormatDouble(icp->base_rate) << ",\n \"profile\": [";
      for (size_t k = 0; k < icp->profile.size(); ++k) {
        const IcpValue& v = icp->profile[k];
        out << (k ? ",\n  " : "\n  ") << "{\"attribute\": " << JsonString(v.attribute)
            << ", \"value\": " << JsonString(v.value) << ", \"customers\": " << v.customers
            << ", \"best\": " << v.best << ", \"share_of_best\": " << FormatDouble(v.share_of_best)
            << ", \"lift\": " << FormatDouble(v.lift) << "}";
      }
      out << "\n ],\n \"customers\": [";
      for (size_t c = 0; c < customers.size(); ++c) {
        out << (c ? ",\n  " : "\n  ") << "{\"customer_id\": " << JsonString(std::string(customers.id[c]))
            << ", \"score\": " << FormatDouble(icp->score[c]) << ", \"best\": " << (icp->is_best[c] ? "true" : "false")
            << ", \"drivers\": " << JsonString(IcpDriversText(*icp, static_cast<CustomerIndex>(c))) << "}";
      }
      out << (customers.size() ? "\n ]}\n" : "]}\n");
      break;
    }
    case OutputFormat::kTable: {
      out << "Ideal customer profile as of " << FormatDate(*as_of) << ": the " << icp->best
          << " best customers (top " << Fixed(100 * flags.best_share, 0) << "% by revenue, at least "
          << FormatMoney(icp->best_threshold) << ") of " << icp->buyers << " with a purchase\n";
      out << Pad("attribute", 15) << Pad("value", 20) << absl::StrFormat("%9s %6s %9s %6s\n", "customers", "best",
                                                                        "of best", "lift");
      std::string last;
      int shown = 0;
      for (const IcpValue& v : icp->profile) {
        if (v.attribute != last) {
          last = v.attribute;
          shown = 0;
        }
        if (++shown > 4) continue;  // the values that describe the best customers most
        out << Pad(v.attribute, 15) << Pad(v.value, 20)
            << absl::StrFormat("%9d %6d %8s%% %6s\n", v.customers, v.best, Fixed(100 * v.share_of_best, 1),
                               Fixed(v.lift, 2));
      }
      out << "\nClosest to the profile, not yet best (score = estimated chance of being a best customer)\n";
      for (size_t k = 0; k < std::min<size_t>(static_cast<size_t>(flags.top), closest.size()); ++k) {
        const CustomerIndex c = closest[k];
        out << Pad(customers.id[c], 10) << Pad(customers.name[c], 36) << Fixed(icp->score[c], 3) << "  "
            << IcpDriversText(*icp, c) << "\n";
      }
      break;
    }
  }
  return kExitOk;
}

}  // namespace carteira::cli
