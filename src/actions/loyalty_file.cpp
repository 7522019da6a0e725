// Replays a host's loyalty.csv into a LoyaltyLedger (loyalty_file.h).
#include "carteira/actions/loyalty_file.h"

#include <array>
#include <charconv>
#include <optional>
#include <string_view>
#include <vector>

#include "carteira/core/strings.h"
#include "carteira/io/csv_reader.h"

namespace carteira {
namespace {

constexpr std::array<std::string_view, 5> kColumns = {"customer_id", "date", "kind", "points", "reference"};

std::optional<std::int64_t> ParsePoints(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

absl::StatusOr<LoyaltyFileReport> Replay(CsvReader& reader, const Portfolio& portfolio, LoyaltyLedger& ledger) {
  // Columns by header name (reference may be absent).
  std::array<int, kColumns.size()> at;
  at.fill(-1);
  const std::vector<std::string>& header = reader.header();
  for (size_t i = 0; i < header.size(); ++i) {
    for (size_t k = 0; k < kColumns.size(); ++k) {
      if (header[i] == kColumns[k]) at[k] = static_cast<int>(i);
    }
  }
  for (size_t k = 0; k < 4; ++k) {
    if (at[k] < 0) {
      return absl::InvalidArgumentError(StrCat(reader.name(), ":1: no column '", kColumns[k],
                                               "' (expected customer_id, date, kind, points, reference)"));
    }
  }
  LoyaltyFileReport report;
  CsvRecord record;
  std::string error;
  while (reader.Next(&record, &error)) {
    const std::string where = StrCat(reader.name(), ":", record.line);
    if (!error.empty()) return absl::InvalidArgumentError(error);
    auto field = [&](size_t k) -> std::string_view {
      return at[k] >= 0 && static_cast<size_t>(at[k]) < record.fields.size() ? record.fields[at[k]]
                                                                              : std::string_view();
    };
    const std::string_view id = field(0);
    const std::optional<CustomerIndex> customer = portfolio.FindCustomer(id);
    if (!customer) {
      return absl::NotFoundError(StrCat(where, ": customer_id '", id, "' is not in the portfolio"));
    }
    auto day = ParseDate(field(1));
    if (!day.ok()) return absl::InvalidArgumentError(StrCat(where, ": date: ", day.status().message()));
    const std::optional<std::int64_t> points = ParsePoints(field(3));
    if (!points) {
      return absl::InvalidArgumentError(StrCat(where, ": points '", field(3), "' is not a whole number"));
    }
    const std::string reference(field(4));
    const std::string_view kind = field(2);
    absl::Status status;
    if (kind == "earn") {
      status = ledger.Earn(*customer, *day, *points, reference).status();
    } else if (kind == "redeem") {
      status = ledger.Redeem(*customer, *day, *points < 0 ? -*points : *points, reference).status();
    } else if (kind == "adjust") {
      status = ledger.Adjust(*customer, *day, *points, reference).status();
    } else if (kind == "reverse") {
      // The customer's latest earlier entry with that reference, not reversed yet.
      const std::vector<LedgerEntry> history = ledger.History(*customer, *day);
      std::uint64_t target = 0;
      for (auto it = history.rbegin(); it != history.rend() && target == 0; ++it) {
        if (it->reference != reference || it->kind == LedgerKind::kReverse || it->kind == LedgerKind::kExpire) {
          continue;
        }
        bool reversed = false;
        for (const LedgerEntry& e : history) reversed = reversed || (e.kind == LedgerKind::kReverse && e.reverses == it->id);
        if (!reversed) target = it->id;
      }
      if (target == 0) {
        return absl::NotFoundError(StrCat(where, ": reverse: customer ", id, " has no entry with reference '",
                                          reference, "' to reverse"));
      }
      status = ledger.Reverse(target, *day, StrCat("reverses ", reference)).status();
    } else if (kind == "expire") {
      ++report.expired;
      continue;
    } else {
      return absl::InvalidArgumentError(
          StrCat(where, ": kind '", kind, "' (expected earn, redeem, adjust, reverse or expire)"));
    }
    if (!status.ok()) return absl::Status(status.code(), StrCat(where, ": ", status.message()));
    ++report.rows;
  }
  return report;
}

}  // namespace

absl::StatusOr<LoyaltyFileReport> ReplayLoyaltyFile(const std::string& path, const Portfolio& portfolio,
                                                    LoyaltyLedger& ledger) {
  auto reader = CsvReader::Open(path);
  if (!reader.ok()) return reader.status();
  return Replay(*reader, portfolio, ledger);
}

absl::StatusOr<LoyaltyFileReport> ReplayLoyaltyText(std::string text, const std::string& name,
                                                    const Portfolio& portfolio, LoyaltyLedger& ledger) {
  auto reader = CsvReader::FromString(std::move(text), name);
  if (!reader.ok()) return reader.status();
  return Replay(*reader, portfolio, ledger);
}

}  // namespace carteira
