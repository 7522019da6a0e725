#include "carteira/io/csv_reader.h"

#include <fstream>
#include <sstream>

#include "carteira/core/strings.h"

namespace carteira {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

char DetectDelimiter(std::string_view first_line) {
  bool comma = false, semicolon = false, tab = false, in_quotes = false;
  for (const char c : first_line) {
    if (c == '"') in_quotes = !in_quotes;
    if (in_quotes) continue;
    semicolon |= c == ';';
    tab |= c == '\t';
    comma |= c == ',';
  }
  // ';' first: Brazilian files use it precisely because amounts hold commas.
  if (semicolon) return ';';
  if (tab) return '\t';
  if (comma) return ',';
  return kWhitespaceDelimiter;
}

}  // namespace

absl::StatusOr<CsvReader> CsvReader::Open(const std::string& path, const CsvOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat(path, ": cannot open file"));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return absl::DataLossError(StrCat(path, ": read error"));
  return FromString(std::move(buffer).str(), path, options);
}

absl::StatusOr<CsvReader> CsvReader::FromString(std::string text, std::string name,
                                                const CsvOptions& options) {
  CsvReader reader;
  reader.name_ = std::move(name);
  reader.text_ = std::move(text);
  reader.Init(options);
  if (options.has_header) {
    CsvRecord header;
    std::string error;
    if (reader.Next(&header, &error) && !error.empty()) {
      return absl::InvalidArgumentError(StrCat(reader.name_, ":", error));
    }
    for (std::string_view field : header.fields) reader.header_.emplace_back(Trim(field));
  }
  return reader;
}

void CsvReader::Init(const CsvOptions& options) {
  if (text_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;
  if (options.delimiter != 0) {
    delimiter_ = options.delimiter;
  } else {
    const size_t eol = text_.find('\n', pos_);
    delimiter_ = DetectDelimiter(
        std::string_view(text_).substr(pos_, eol == std::string::npos ? std::string::npos : eol - pos_));
  }
}

bool CsvReader::Next(CsvRecord* record, std::string* error) {
  error->clear();
  record->fields.clear();
  unescaped_.clear();
  return delimiter_ == kWhitespaceDelimiter ? NextWhitespace(record)
                                            : NextDelimited(record, error);
}

bool CsvReader::NextWhitespace(CsvRecord* record) {
  const std::string_view text(text_);
  while (pos_ < text.size()) {
    const size_t eol = text.find('\n', pos_);
    const size_t end = eol == std::string_view::npos ? text.size() : eol;
    std::string_view line = text.substr(pos_, end - pos_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    record->line = line_;
    pos_ = end == text.size() ? end : end + 1;
    ++line_;
    size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && IsBlank(line[i])) ++i;
      const size_t start = i;
      while (i < line.size() && !IsBlank(line[i])) ++i;
      if (i > start) record->fields.push_back(line.substr(start, i - start));
    }
    if (!record->fields.empty()) return true;
  }
  return false;
}

bool CsvReader::NextDelimited(CsvRecord* record, std::string* error) {
  const std::string_view text(text_);
  // Skip blank lines, counting them.
  while (pos_ < text.size()) {
    size_t i = pos_;
    while (i < text.size() && (IsBlank(text[i]) || text[i] == '\r')) ++i;
    if (i < text.size() && text[i] == '\n') {
      pos_ = i + 1;
      ++line_;
      continue;
    }
    if (i == text.size()) pos_ = i;
    break;
  }
  if (pos_ >= text.size()) return false;

  record->line = line_;
  size_t i = pos_;
  int column = 1;
  auto finish_line = [&](size_t next) {
    pos_ = next;
    ++line_;
  };
  while (true) {
    // Start of a field.
    while (i < text.size() && IsBlank(text[i]) && text[i] != delimiter_) ++i;
    if (i < text.size() && text[i] == '"') {
      std::string value;
      ++i;
      bool closed = false;
      while (i < text.size()) {
        const char c = text[i];
        if (c == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            value.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        if (c == '\n') ++line_;
        value.push_back(c);
        ++i;
      }
      if (!closed) {
        *error = StrCat(record->line, ":", column, ": unterminated quoted field");
        pos_ = text.size();
        return true;
      }
      while (i < text.size() && (IsBlank(text[i]) || text[i] == '\r') && text[i] != delimiter_) ++i;
      if (i < text.size() && text[i] != delimiter_ && text[i] != '\n') {
        *error = StrCat(line_, ":", column, ": unexpected character after closing quote");
        const size_t eol = text.find('\n', i);
        finish_line(eol == std::string_view::npos ? text.size() : eol + 1);
        return true;
      }
      unescaped_.push_back(std::move(value));
      record->fields.emplace_back(unescaped_.back());
    } else {
      const size_t start = i;
      while (i < text.size() && text[i] != delimiter_ && text[i] != '\n') ++i;
      std::string_view field = text.substr(start, i - start);
      if (!field.empty() && field.back() == '\r') field.remove_suffix(1);
      record->fields.push_back(Trim(field));
    }
    if (i < text.size() && text[i] == delimiter_) {
      ++i;
      ++column;
      continue;
    }
    // End of record: newline or end of input.
    finish_line(i < text.size() ? i + 1 : text.size());
    return true;
  }
}

}  // namespace carteira
