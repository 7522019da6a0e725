// CSV import of every entity, one file each, or a data directory holding any
// of the canonical files. Every rejected row is reported with file, line,
// column, field and reason. Strict mode adds nothing if any row is bad;
// lenient mode adds the good rows and lists the bad ones. Either way an
// import never half-applies: on failure the portfolio is as before.
#ifndef CARTEIRA_IO_IMPORT_H_
#define CARTEIRA_IO_IMPORT_H_

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "carteira/core/money.h"
#include "carteira/portfolio/portfolio.h"

namespace carteira {

enum class Entity : int {
  kCustomers = 0,
  kReps,
  kAssignments,
  kTransactions,
  kContracts,
  kInteractions,
  kSurveys,
};
inline constexpr int kEntityCount = 7;

// "customers", "reps", ... (also the file stem: customers.csv).
std::string_view EntityName(Entity entity);
std::optional<Entity> EntityFromName(std::string_view name);
// The canonical columns, in canonical order (positions for header-less files).
std::span<const std::string_view> CanonicalColumns(Entity entity);

enum class ImportMode { kStrict, kLenient };

// What to do with a row that names a customer (or rep) not in the portfolio.
enum class UnknownReference {
  kAuto,    // create it, unless this import also loads the customers (reps) file
  kCreate,  // create a bare customer (rep)
  kReject,  // the row is an error
};

struct ImportOptions {
  ImportMode mode = ImportMode::kStrict;
  char delimiter = 0;       // 0 = detect per file
  bool has_header = true;   // false: columns by position (canonical order or mapping)
  // How an ambiguous amount such as "1.234" reads; kAuto = decimal comma in
  // ';'-separated files (Brazilian exports), decimal point otherwise.
  DecimalSeparator decimal = DecimalSeparator::kAuto;
  UnknownReference unknown_customers = UnknownReference::kAuto;
  UnknownReference unknown_reps = UnknownReference::kAuto;
  // Per entity: canonical column -> the file's header name or a 1-based
  // position ("3"). Unmapped canonical columns are found by their own name.
  std::map<Entity, std::map<std::string, std::string>> column_mapping;
  // Cap on the issues kept in the report (all are still counted).
  size_t max_issues = 10000;
};

struct ImportIssue {
  std::string file;
  std::int64_t line = 0;  // 1-based; 0 when the problem is the whole file
  int column = 0;         // 1-based; 0 when no single column
  std::string field;      // canonical field name
  std::string value;      // the offending text, if any
  std::string message;

  // "file:line:column: field 'value': message"
  std::string ToString() const;
};

struct EntityCounts {
  std::int64_t rows_read = 0;
  std::int64_t rows_added = 0;
  std::int64_t rows_rejected = 0;
};

struct ImportReport {
  std::vector<std::string> files;    // files read, in load order
  std::vector<ImportIssue> issues;   // bad rows (capped at max_issues)
  std::vector<std::string> notes;    // not errors: columns that were not imported
  std::int64_t issue_count = 0;      // all bad rows, also those past the cap
  std::array<EntityCounts, kEntityCount> counts{};
  bool applied = false;              // true if the portfolio was changed

  const EntityCounts& count(Entity e) const { return counts[static_cast<int>(e)]; }
  // One line per entity read plus the issues, for people.
  std::string Summary() const;
};

// Loads every canonical file present in `directory` (customers, reps,
// assignments, transactions, contracts, interactions, surveys; .csv or .txt)
// as one atomic import. NotFound if the directory holds none of them.
// `report` (may be null) receives the counts and the issues.
absl::Status ImportDirectory(Portfolio& portfolio, const std::string& directory,
                             const ImportOptions& options, ImportReport* report);

// Loads one file as `entity`.
absl::Status ImportFile(Portfolio& portfolio, Entity entity, const std::string& path,
                        const ImportOptions& options, ImportReport* report);

// Loads CSV text held in memory; `name` stands for the file in messages.
absl::Status ImportText(Portfolio& portfolio, Entity entity, std::string text,
                        const std::string& name, const ImportOptions& options,
                        ImportReport* report);

}  // namespace carteira

#endif  // CARTEIRA_IO_IMPORT_H_
