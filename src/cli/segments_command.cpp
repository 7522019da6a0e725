// `carteira segments`: RFM scores, named segments and ABC classes of every
// customer with a purchase (docs/segments.md).
#include <ostream>
#include <string>
#include <string_view>

#include "absl/strings/str_format.h"
#include "carteira/core/strings.h"
#include "carteira/segments/abc.h"
#include "carteira/segments/rfm.h"
#include "carteira/segments/segment_map.h"
#include "carteira/summary/customer_summary.h"
#include "src/cli/commands.h"
#include "src/cli/summary_output.h"

namespace carteira::cli {
namespace {

int Fail(std::ostream& err, const absl::Status& s) {
  err << "carteira segments: " << s.message() << "\n";
  return ExitCodeFor(s);
}

}  // namespace

int RunSegments(const LoadFlags& load, const SegmentsFlags& flags, std::ostream& out, std::ostream& err) {
  SegmentMap map = SegmentMap::Default();
  if (!flags.map_file.empty()) {
    auto loaded = SegmentMap::FromFile(flags.map_file);
    if (!loaded.ok()) return Fail(err, loaded.status());
    map = std::move(*loaded);
  }
  const SegmentMapCheck check = CheckSegmentMap(map);
  if (flags.check_map) {
    // The map alone: its rules in order, then the problems; exit 1 if any.
    out << "Segment map (" << (check.r_f_m_grid ? "R x F x M grid, 125 cells" : "R x FM grid, 25 cells")
        << "), first matching rule wins:\n";
    for (size_t i = 0; i < map.rules.size(); ++i) {
      const SegmentRule& r = map.rules[i];
      auto range = [](const char* key, const ScoreRange& s) {
        if (s.Any()) return std::string();
        return s.lo == s.hi ? StrCat(" ", key, "=", int{s.lo}) : StrCat(" ", key, "=", int{s.lo}, "-", int{s.hi});
      };
      out << absl::StrFormat("  %2d %-20s", i + 1, r.name) << range("r", r.r) << range("f", r.f)
          << range("m", r.m) << range("fm", r.fm);
      if (!r.where.empty()) out << " where " << r.DescribeConditions();
      out << "\n";
    }
    out << "  fallback: " << map.fallback << "\n";
    if (check.ok()) {
      if (check.conditional.empty()) {
        out << "No problems: every cell is covered and every rule can match.\n";
      } else {
        out << "No problems: every cell has a rule and every rule can match.\n" << check.Describe(map);
      }
      return kExitOk;
    }
    out << check.Describe(map);
    return kExitFailure;
  }
  if (!check.ok()) {
    std::string text = check.Describe(map);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    err << "carteira segments: warning: " << (flags.map_file.empty() ? "the segment map" : flags.map_file)
        << ": " << text << "\n";
  }
  auto abc_options = AbcOptions::Parse(flags.abc);
  if (!abc_options.ok()) return Fail(err, absl::InvalidArgumentError(StrCat("--abc: ", abc_options.status().message())));
  auto format = ParseOutputFormat(flags.format);
  if (!format.ok()) return Fail(err, format.status());

  Portfolio portfolio;
  if (auto s = LoadPortfolio(load, portfolio, err); !s.ok()) return Fail(err, s);
  auto as_of = ResolveAsOf(flags.as_of, portfolio);
  if (!as_of.ok()) return Fail(err, as_of.status());
  DayNumber abc_from = *as_of - 364;
  if (!flags.abc_from.empty()) {
    auto day = ParseDate(flags.abc_from);
    if (!day.ok()) return Fail(err, absl::InvalidArgumentError(StrCat("--abc-from: ", day.status().message())));
    abc_from = *day;
  }
  SummaryOptions options;
  options.as_of = ToDate(*as_of);
  auto summary = Summarize(portfolio, options);
  if (!summary.ok()) return Fail(err, summary.status());
  const RfmTable rfm = ScoreRfm(*summary);
  auto segments = AssignSegments(rfm, map, portfolio, *summary);
  if (!segments.ok()) {
    // A condition on an attribute the customers lack: name the file.
    std::string message(segments.status().message());
    constexpr std::string_view kPrefix = "segment map: ";
    if (!flags.map_file.empty() && message.rfind(kPrefix, 0) == 0) {
      message = StrCat(flags.map_file, ": ", message.substr(kPrefix.size()));
    }
    return Fail(err, absl::Status(segments.status().code(), message));
  }
  auto revenue = PeriodRevenue(portfolio, abc_from, *as_of);
  if (!revenue.ok()) return Fail(err, absl::InvalidArgumentError(StrCat("--abc-from: ", revenue.status().message())));
  auto abc = ClassifyAbc(*revenue, *abc_options);
  if (!abc.ok()) return Fail(err, abc.status());

  const CustomerTable& customers = portfolio.customers();
  auto code = [&rfm](size_t i) { return StrCat(int{rfm.r[i]}, int{rfm.f[i]}, int{rfm.m[i]}); };
  switch (*format) {
    case OutputFormat::kCsv:
      out << "customer_id,r,f,m,rfm,segment,abc,recency_days,frequency,monetary\n";
      for (size_t i = 0; i < rfm.size(); ++i) {
        const CustomerIndex c = rfm.customer[i];
        out << CsvQuote(std::string(customers.id[c])) << "," << int{rfm.r[i]} << "," << int{rfm.f[i]} << ","
            << int{rfm.m[i]} << "," << code(i) << "," << CsvQuote(segments->names[segments->segment[i]]) << ","
            << AbcClassName(abc->klass[c]) << "," << rfm.recency_days[i] << "," << rfm.frequency[i] << ","
            << FormatMoney(rfm.monetary[i]) << "\n";
      }
      break;
    case OutputFormat::kJson: {
      out << "{\"as_of\": " << JsonString(FormatDate(*as_of)) << ",\n \"abc_period\": {\"from\": "
          << JsonString(FormatDate(abc_from)) << ", \"to\": " << JsonString(FormatDate(*as_of))
          << "},\n \"segments\": {";
      for (size_t k = 0; k < segments->names.size(); ++k) {
        out << (k ? ", " : "") << JsonString(segments->names[k]) << ": " << segments->counts[k];
      }
      out << "},\n \"abc\": {\"A\": " << abc->customers[1] << ", \"B\": " << abc->customers[2]
          << ", \"C\": " << abc->customers[3] << ", \"none\": " << abc->customers[0] << "},\n \"customers\": [";
      for (size_t i = 0; i < rfm.size(); ++i) {
        const CustomerIndex c = rfm.customer[i];
        const std::string_view k = AbcClassName(abc->klass[c]);
        out << (i ? ",\n  " : "\n  ") << "{\"customer_id\": " << JsonString(std::string(customers.id[c]))
            << ", \"r\": " << int{rfm.r[i]} << ", \"f\": " << int{rfm.f[i]} << ", \"m\": " << int{rfm.m[i]}
            << ", \"rfm\": " << JsonString(code(i)) << ", \"segment\": "
            << JsonString(segments->names[segments->segment[i]])
            << ", \"abc\": " << (k.empty() ? std::string("null") : JsonString(std::string(k)))
            << ", \"recency_days\": " << rfm.recency_days[i] << ", \"frequency\": " << rfm.frequency[i]
            << ", \"monetary\": " << FormatMoney(rfm.monetary[i]) << "}";
      }
      out << (rfm.size() ? "\n ]}\n" : "]}\n");
      break;
    }
    case OutputFormat::kTable: {
      out << "RFM segments as of " << FormatDate(*as_of) << " (" << rfm.size() << " customers with a purchase)\n";
      for (size_t k = 0; k < segments->names.size(); ++k) {
        out << absl::StrFormat("  %-20s %8d\n", segments->names[k], segments->counts[k]);
      }
      out << "ABC classes by revenue " << FormatDate(abc_from) << " to " << FormatDate(*as_of) << " (total "
          << FormatMoney(abc->total) << ")\n";
      for (int k = 1; k <= 3; ++k) {
        const double share = abc->total > 0 ? 100.0 * static_cast<double>(abc->revenue[k]) / static_cast<double>(abc->total) : 0;
        out << absl::StrFormat("  %-2s %8d customers  %6.2f%% of revenue\n",
                               std::string(AbcClassName(static_cast<AbcClass>(k))), abc->customers[k], share);
      }
      out << absl::StrFormat("  -  %8d customers without positive revenue in the period\n", abc->customers[0]);
      break;
    }
  }
  return kExitOk;
}

}  // namespace carteira::cli
