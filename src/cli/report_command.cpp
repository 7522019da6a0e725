// `carteira report`: the portfolio report as one self-contained HTML file
// (docs/report.md), written atomically.
#include <ostream>

#include "carteira/core/strings.h"
#include "carteira/report/report.h"
#include "carteira/segments/segment_map.h"
#include "src/cli/commands.h"

namespace carteira::cli {
namespace {

absl::StatusOr<DayNumber> OptionalDate(const char* flag, const std::string& text) {
  if (text.empty()) return kNoDay;
  auto day = ParseDate(text);
  if (!day.ok()) return absl::InvalidArgumentError(StrCat(flag, ": ", day.status().message()));
  return *day;
}

}  // namespace

int RunReport(const LoadFlags& load, const ReportFlags& flags, std::ostream& out, std::ostream& err) {
  auto fail = [&err](const absl::Status& s) {
    err << "carteira report: " << s.message() << "\n";
    return ExitCodeFor(s);
  };
  ReportOptions options;
  const auto language = ParseReportLanguage(flags.lang);
  if (!language) return fail(absl::InvalidArgumentError(StrCat("--lang ", flags.lang, ": use pt-BR or en")));
  options.language = *language;
  options.currency = flags.currency;
  options.title = flags.title;
  auto as_of = OptionalDate("--as-of", flags.as_of);
  if (!as_of.ok()) return fail(as_of.status());
  auto from = OptionalDate("--from", flags.from);
  if (!from.ok()) return fail(from.status());
  auto to = OptionalDate("--to", flags.to);
  if (!to.ok()) return fail(to.status());
  // The report has one date: the end of its period is its as-of date.
  if (*as_of != kNoDay && *to != kNoDay && *as_of != *to) {
    return fail(absl::InvalidArgumentError(StrCat("--as-of ", FormatDate(*as_of), " and --to ", FormatDate(*to),
                                                  " differ: the report's period ends on its as-of date")));
  }
  options.as_of = *to != kNoDay ? *to : *as_of;
  options.from = *from;
  if (options.as_of != kNoDay && options.from != kNoDay && options.as_of < options.from) {
    return fail(absl::InvalidArgumentError(StrCat("--from ", FormatDate(options.from), " is after ",
                                                  FormatDate(options.as_of), ": the period ends before it starts")));
  }
  StatusFlags status_flags;
  status_flags.policy_file = flags.policy_file;
  std::optional<StatusPolicy> policy;
  if (!flags.policy_file.empty()) {
    auto resolved = ResolvePolicy(status_flags);
    if (!resolved.ok()) return fail(resolved.status());
    policy = std::move(*resolved);
    options.policy = &*policy;
  }
  std::optional<SegmentMap> map;
  if (!flags.map_file.empty()) {
    auto loaded = SegmentMap::FromFile(flags.map_file);
    if (!loaded.ok()) return fail(loaded.status());
    map = std::move(*loaded);
    options.segment_map = &*map;
  }

  Portfolio portfolio;
  if (auto s = LoadPortfolio(load, portfolio, err); !s.ok()) return fail(s);
  auto data = ComputeReport(portfolio, options);
  if (!data.ok()) return fail(data.status());
  if (auto s = WriteReportFile(*data, options, flags.out); !s.ok()) return fail(s);
  out << "Report written to " << flags.out << " (as of " << FormatDate(data->as_of) << ", period "
      << FormatDate(data->from) << " to " << FormatDate(data->as_of) << ", " << ReportLanguageTag(options.language)
      << ")\n";
  return kExitOk;
}

}  // namespace carteira::cli
