#include "src/cli/commands.h"

#include <algorithm>
#include <filesystem>
#include <ostream>

#include "carteira/core/strings.h"
#include "absl/strings/str_split.h"
#include "carteira/io/csv_reader.h"
#include "carteira/store/store.h"

namespace carteira::cli {

int ExitCodeFor(const absl::Status& status) {
  if (status.ok()) return kExitOk;
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return kExitBadInput;
    default:
      return kExitFailure;
  }
}

namespace {

absl::Status ApplyMapping(const std::string& text, Entity default_entity, ImportOptions& options) {
  // [entity:]field=source, e.g. "transactions:customer_id=cliente" or "date=3".
  std::string_view rest = text;
  Entity entity = default_entity;
  if (const size_t colon = rest.find(':'); colon != std::string_view::npos) {
    const auto parsed = EntityFromName(rest.substr(0, colon));
    if (!parsed) {
      return absl::InvalidArgumentError(
          StrCat("--map ", text, ": unknown entity '", rest.substr(0, colon), "'"));
    }
    entity = *parsed;
    rest.remove_prefix(colon + 1);
  }
  const std::vector<std::string> parts = absl::StrSplit(AsAbsl(rest), absl::MaxSplits('=', 1));
  if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
    return absl::InvalidArgumentError(StrCat("--map ", text, ": expected field=column"));
  }
  bool known = false;
  for (const auto column : CanonicalColumns(entity)) known |= column == parts[0];
  if (!known) {
    return absl::InvalidArgumentError(StrCat("--map ", text, ": '", parts[0],
                                                   "' is not a ", EntityName(entity), " field"));
  }
  options.column_mapping[entity][parts[0]] = parts[1];
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ImportOptions> ImportOptionsFrom(const LoadFlags& flags) {
  ImportOptions options;
  options.mode = flags.lenient ? ImportMode::kLenient : ImportMode::kStrict;
  options.has_header = !flags.no_header;
  if (flags.delimiter == "tab") {
    options.delimiter = '\t';
  } else if (flags.delimiter == "space" || flags.delimiter == "whitespace") {
    options.delimiter = kWhitespaceDelimiter;
  } else if (flags.delimiter.size() == 1) {
    options.delimiter = flags.delimiter[0];
  } else if (!flags.delimiter.empty()) {
    return absl::InvalidArgumentError(
        StrCat("--delimiter '", flags.delimiter, "': use one character, tab or space"));
  }
  const Entity default_entity = Entity::kTransactions;
  for (const auto& m : flags.mappings) {
    if (auto s = ApplyMapping(m, default_entity, options); !s.ok()) return s;
  }
  return options;
}

absl::Status LoadPortfolio(const LoadFlags& flags, Portfolio& portfolio, std::ostream& err,
                           ImportReport* report_out) {
  if (!flags.db_file.empty()) {
    if (!flags.data_dir.empty() || !flags.transactions_file.empty()) {
      return absl::InvalidArgumentError("give --db or --data/--transactions, not both");
    }
    StoreOptions store_options;
    store_options.create = false;
    store_options.read_only = true;
    auto store = Store::Open(flags.db_file, store_options);
    if (!store.ok()) return store.status();
    return store->LoadInto(portfolio);
  }
  auto parsed = ImportOptionsFrom(flags);
  if (!parsed.ok()) return parsed.status();
  const ImportOptions& options = *parsed;
  ImportReport report;
  absl::Status status;
  if (!flags.data_dir.empty() && !flags.transactions_file.empty()) {
    return absl::InvalidArgumentError("give --data or --transactions, not both");
  } else if (!flags.data_dir.empty()) {
    status = ImportDirectory(portfolio, flags.data_dir, options, &report);
  } else if (!flags.transactions_file.empty()) {
    status = ImportFile(portfolio, Entity::kTransactions, flags.transactions_file, options, &report);
  } else {
    return absl::InvalidArgumentError("give --data DIR, --transactions FILE or --db FILE");
  }
  for (const auto& note : report.notes) err << "note: " << note << "\n";
  // A terminal is no place for ten thousand lines: show the first ones and
  // the count (`carteira import` prints the whole report).
  constexpr size_t kShown = 50;
  const size_t shown = std::min(kShown, report.issues.size());
  for (size_t i = 0; i < shown; ++i) err << report.issues[i].ToString() << "\n";
  if (report.issue_count > static_cast<std::int64_t>(shown)) {
    err << "... and " << report.issue_count - static_cast<std::int64_t>(shown)
        << " more bad rows\n";
  }
  if (report_out) *report_out = std::move(report);
  return status;
}

absl::StatusOr<DayNumber> ResolveAsOf(const std::string& flag, const Portfolio& portfolio) {
  if (!flag.empty()) {
    auto day = ParseDate(flag);
    if (!day.ok()) {
      return absl::InvalidArgumentError(StrCat("--as-of: ", day.status().message()));
    }
    return *day;
  }
  const auto& dates = portfolio.transactions().date;
  if (dates.empty()) {
    return absl::InvalidArgumentError("no transactions, so no default --as-of; give one");
  }
  return *std::max_element(dates.begin(), dates.end());
}

std::string SampleDirectory() {
  std::error_code ec;
  if (std::filesystem::is_directory(CARTEIRA_SAMPLE_DIR, ec)) return CARTEIRA_SAMPLE_DIR;
  return CARTEIRA_INSTALLED_SAMPLE_DIR;
}

}  // namespace carteira::cli
