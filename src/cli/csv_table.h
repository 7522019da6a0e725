// A data file read and written back as text (cells as strings), for the
// commands that rewrite a data directory in place (merge, apply): whatever
// they do not change (date and amount formats, extra columns, column order,
// delimiter) stays as it was.
#ifndef CARTEIRA_SRC_CLI_CSV_TABLE_H_
#define CARTEIRA_SRC_CLI_CSV_TABLE_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace carteira::cli {

struct Table {
  char delimiter = ',';
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// A cell quoted when it holds the delimiter, a quote, a line break or
// leading/trailing spaces.
std::string Quote(std::string_view field, char delimiter);
// One record, cells quoted as needed, ending in '\n'.
std::string Line(const std::vector<std::string>& fields, char delimiter);
// The data file of `stem` in `dir` (.csv, then .txt), as ImportDirectory
// finds it; empty when there is none.
std::string FindFile(const std::string& dir, std::string_view stem);
// Reads a file whole; `delimiter` 0 = detect. Whitespace-separated files
// cannot be rewritten (FAILED_PRECONDITION).
absl::StatusOr<Table> ReadTable(const std::string& path, char delimiter);
// The position of the column named `name` (case-insensitive), or -1.
int Column(const Table& t, std::string_view name);

}  // namespace carteira::cli

#endif  // CARTEIRA_SRC_CLI_CSV_TABLE_H_
