// Shared pieces of the `carteira` subcommands: loading a portfolio from the
// command line's options and mapping failures to exit codes.
#ifndef CARTEIRA_SRC_CLI_COMMANDS_H_
#define CARTEIRA_SRC_CLI_COMMANDS_H_

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "carteira/core/date.h"
#include "carteira/io/import.h"
#include "carteira/portfolio/portfolio.h"

namespace carteira::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

// Exit code for a failed status: 2 when the input is at fault.
int ExitCodeFor(const absl::Status& status);

struct LoadFlags {
  std::string data_dir;
  std::string transactions_file;
  bool lenient = false;
  std::string delimiter;  // "", ",", ";", "tab", "space"
  bool no_header = false;
  std::vector<std::string> mappings;  // [entity:]field=source
};

// Loads the portfolio the flags name, printing the import report's problems
// to `err`. Fills `report` when given.
absl::Status LoadPortfolio(const LoadFlags& flags, Portfolio& portfolio, std::ostream& err,
                           ImportReport* report = nullptr);

// The as-of date: the flag's value, or the last transaction date (so that a
// run is reproducible and does not depend on today's date).
absl::StatusOr<DayNumber> ResolveAsOf(const std::string& flag, const Portfolio& portfolio);

// Where the embedded sample portfolio lives (source tree or installed copy).
std::string SampleDirectory();

int RunDemo(const std::string& data_dir, const std::string& as_of, std::ostream& out,
            std::ostream& err);

}  // namespace carteira::cli

#endif  // CARTEIRA_SRC_CLI_COMMANDS_H_
