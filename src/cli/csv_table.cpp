#include "src/cli/csv_table.h"

#include <filesystem>

#include "absl/strings/ascii.h"
#include "carteira/core/strings.h"
#include "carteira/io/csv_reader.h"

namespace carteira::cli {

namespace fs = std::filesystem;

std::string Quote(std::string_view field, char delimiter) {
  const bool needs = field.find_first_of(std::string{delimiter, '"', '\n', '\r'}) != std::string_view::npos ||
                     (!field.empty() && (field.front() == ' ' || field.back() == ' '));
  if (!needs) return std::string(field);
  std::string out = "\"";
  for (const char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string Line(const std::vector<std::string>& fields, char delimiter) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) line.push_back(delimiter);
    line += Quote(fields[i], delimiter);
  }
  line.push_back('\n');
  return line;
}

// The data file of `stem` in `dir`, as ImportDirectory finds it.
std::string FindFile(const std::string& dir, std::string_view stem) {
  std::error_code ec;
  for (const char* ext : {".csv", ".txt"}) {
    const fs::path path = fs::path(dir) / StrCat(stem, ext);
    if (fs::is_regular_file(path, ec)) return path.string();
  }
  return {};
}


absl::StatusOr<Table> ReadTable(const std::string& path, char delimiter) {
  CsvOptions options;
  options.delimiter = delimiter;
  auto reader = CsvReader::Open(path, options);
  if (!reader.ok()) return reader.status();
  if (reader->delimiter() == kWhitespaceDelimiter) {
    return absl::FailedPreconditionError(
        StrCat(path, ": whitespace-separated files cannot be rewritten by merge"));
  }
  Table t;
  t.delimiter = reader->delimiter();
  t.header = reader->header();
  CsvRecord record;
  std::string error;
  while (reader->Next(&record, &error)) {
    if (!error.empty()) return absl::InvalidArgumentError(StrCat(path, ": ", error));
    t.rows.emplace_back(record.fields.begin(), record.fields.end());
  }
  return t;
}

int Column(const Table& t, std::string_view name) {
  for (size_t i = 0; i < t.header.size(); ++i) {
    if (absl::AsciiStrToLower(t.header[i]) == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace carteira::cli
