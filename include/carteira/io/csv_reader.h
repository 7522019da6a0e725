// Reads the delimited text files that ERPs and spreadsheets export: ',' or
// ';' or tab (detected from the first line), or runs of whitespace; quoted
// fields with doubled quotes and embedded delimiters or newlines; UTF-8 with
// or without a byte-order mark; LF or CRLF. Every record carries the line it
// starts on so that errors can name it.
//
// Hand-written because no Debian-packaged C++ CSV library keeps line numbers
// per record and handles the whitespace-separated files (CDNOW) as well.
#ifndef CARTEIRA_IO_CSV_READER_H_
#define CARTEIRA_IO_CSV_READER_H_

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace carteira {

// Delimiter value meaning "fields separated by runs of spaces or tabs".
inline constexpr char kWhitespaceDelimiter = ' ';

struct CsvOptions {
  char delimiter = 0;  // 0 = detect: ';' if the first line has one, else tab, else ',', else whitespace
  bool has_header = true;
};

struct CsvRecord {
  std::int64_t line = 0;  // 1-based line where the record starts
  std::vector<std::string_view> fields;
};

class CsvReader {
 public:
  // Reads the whole file; `name` is what error messages call it.
  static absl::StatusOr<CsvReader> Open(const std::string& path, const CsvOptions& options = {});
  static absl::StatusOr<CsvReader> FromString(std::string text, std::string name,
                                              const CsvOptions& options = {});

  const std::string& name() const { return name_; }
  char delimiter() const { return delimiter_; }
  // Header fields (trimmed, BOM removed); empty when has_header is false.
  const std::vector<std::string>& header() const { return header_; }

  // Reads the next non-blank record. Returns false at the end of the input.
  // A malformed record (unterminated quote, text after a closing quote) sets
  // *error to a message naming line and column and still returns true; the
  // reader then continues at the next line.
  bool Next(CsvRecord* record, std::string* error);

 private:
  CsvReader() = default;
  void Init(const CsvOptions& options);
  bool NextDelimited(CsvRecord* record, std::string* error);
  bool NextWhitespace(CsvRecord* record);

  std::string name_;
  std::string text_;
  size_t pos_ = 0;
  std::int64_t line_ = 1;
  char delimiter_ = ',';
  std::vector<std::string> header_;
  // Quoted fields of the current record, unescaped. A deque because records
  // hold string_views into it, which a vector's reallocation would break.
  std::deque<std::string> unescaped_;
};

}  // namespace carteira

#endif  // CARTEIRA_IO_CSV_READER_H_
