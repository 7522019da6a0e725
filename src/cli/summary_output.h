// Writes a CustomerSummary as an aligned table, CSV or JSON.
#ifndef CARTEIRA_SRC_CLI_SUMMARY_OUTPUT_H_
#define CARTEIRA_SRC_CLI_SUMMARY_OUTPUT_H_

#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "carteira/portfolio/portfolio.h"
#include "carteira/summary/customer_summary.h"

namespace carteira::cli {

enum class OutputFormat { kTable, kCsv, kJson };

absl::StatusOr<OutputFormat> ParseOutputFormat(const std::string& name);

// Shortest text that reads back as the same double ("38.857142857142854"),
// so outputs are exact and identical on every run; "" for NaN.
std::string FormatDouble(double value);

// A CSV field, quoted when it holds a comma, quote or line break.
std::string CsvQuote(const std::string& value);
// Left-aligns UTF-8 text in `width` columns, cutting long text with "…".
std::string Pad(std::string_view text, size_t width);
// A JSON string literal (UTF-8 passes through).
std::string JsonString(const std::string& value);

void WriteSummary(std::ostream& out, const Portfolio& portfolio, const CustomerSummary& summary,
                  OutputFormat format);

}  // namespace carteira::cli

#endif  // CARTEIRA_SRC_CLI_SUMMARY_OUTPUT_H_
