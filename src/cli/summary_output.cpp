#include "src/cli/summary_output.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cmath>
#include <vector>

#include "carteira/core/strings.h"

namespace carteira::cli {
namespace {

constexpr const char* kColumns[] = {
    "customer_id", "first_purchase", "last_purchase", "purchase_days",   "x",
    "t_x",         "T",              "revenue",       "average_ticket", "zbar",
    "median_gap_days", "days_since_last"};
constexpr size_t kColumnCount = sizeof(kColumns) / sizeof(kColumns[0]);

std::vector<std::string> Cells(const Portfolio& portfolio, const CustomerSummary& s, size_t i) {
  return {std::string(portfolio.customers().id[s.customer[i]]),
          FormatDate(s.first_purchase[i]),
          FormatDate(s.last_purchase[i]),
          StrCat(s.purchase_days[i]),
          StrCat(s.x[i]),
          FormatDouble(s.t_x[i]),
          FormatDouble(s.T[i]),
          FormatMoney(s.revenue[i]),
          FormatMoney(s.average_ticket[i]),
          FormatDouble(s.zbar[i]),
          FormatDouble(s.median_gap_days[i]),
          StrCat(s.days_since_last[i])};
}

}  // namespace

std::string CsvQuote(const std::string& v) {
  if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
  std::string out = "\"";
  for (const char c : v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string JsonString(const std::string& v) {
  std::string out = "\"";
  for (const char c : v) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

namespace {

// Display width of UTF-8 text: one column per code point (accented names).
size_t Width(const std::string& s) {
  size_t w = 0;
  for (const char c : s) w += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return w;
}

}  // namespace

absl::StatusOr<OutputFormat> ParseOutputFormat(const std::string& name) {
  if (name == "table") return OutputFormat::kTable;
  if (name == "csv") return OutputFormat::kCsv;
  if (name == "json") return OutputFormat::kJson;
  return absl::InvalidArgumentError(StrCat("unknown format '", name, "' (table, csv, json)"));
}

std::string FormatDouble(double value) {
  if (std::isnan(value)) return "";
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, result.ptr);
}

void WriteSummary(std::ostream& out, const Portfolio& portfolio, const CustomerSummary& s,
                  OutputFormat format) {
  switch (format) {
    case OutputFormat::kCsv: {
      for (size_t c = 0; c < kColumnCount; ++c) out << (c ? "," : "") << kColumns[c];
      out << "\n";
      for (size_t i = 0; i < s.size(); ++i) {
        const auto cells = Cells(portfolio, s, i);
        for (size_t c = 0; c < cells.size(); ++c) out << (c ? "," : "") << CsvQuote(cells[c]);
        out << "\n";
      }
      return;
    }
    case OutputFormat::kJson: {
      out << "[";
      for (size_t i = 0; i < s.size(); ++i) {
        const auto cells = Cells(portfolio, s, i);
        out << (i ? ",\n " : "\n ") << "{";
        for (size_t c = 0; c < cells.size(); ++c) {
          out << (c ? ", " : "") << "\"" << kColumns[c] << "\": ";
          // Ids and dates are strings; empty numbers (NaN) are null.
          if (c <= 2) {
            out << JsonString(cells[c]);
          } else {
            out << (cells[c].empty() ? "null" : cells[c]);
          }
        }
        out << "}";
      }
      out << "\n]\n";
      return;
    }
    case OutputFormat::kTable: {
      std::vector<std::vector<std::string>> rows;
      rows.reserve(s.size() + 1);
      rows.emplace_back(std::begin(kColumns), std::end(kColumns));
      for (size_t i = 0; i < s.size(); ++i) rows.push_back(Cells(portfolio, s, i));
      std::vector<size_t> width(kColumnCount, 0);
      for (const auto& row : rows) {
        for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], Width(row[c]));
      }
      for (const auto& row : rows) {
        for (size_t c = 0; c < row.size(); ++c) {
          const size_t pad = width[c] - Width(row[c]);
          // Text left-aligned, numbers right-aligned.
          if (c == 0) {
            out << row[c] << std::string(pad, ' ');
          } else {
            out << "  " << std::string(pad, ' ') << row[c];
          }
        }
        out << "\n";
      }
      return;
    }
  }
}

// Left-aligns UTF-8 text in `width` columns (one per code point), cutting
// long text with an ellipsis so that the columns stay aligned.
std::string Pad(std::string_view s, size_t width) {
  size_t columns = 0, cut = s.size();
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (columns == width - 2) cut = i;
    ++columns;
  }
  if (columns >= width) return StrCat(s.substr(0, cut), "\u2026 ");
  return StrCat(s, std::string(width - columns, ' '));
}

}  // namespace carteira::cli
