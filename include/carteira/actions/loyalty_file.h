// The host's loyalty ledger as a file (loyalty.csv in a data directory):
// one movement per row, `customer_id;date;kind;points;reference`, replayed
// into a LoyaltyLedger in file order (docs/actions.md, "The ledger file").
//   earn     a lot of `points` (> 0), expiring after the rules' expiry_months
//   redeem   `points` taken from the lots closest to expiry (the sign is
//            ignored); refused beyond the balance that day
//   adjust   signed correction (positive: a new lot)
//   reverse  cancels the customer's latest earlier entry whose reference is
//            this row's reference (not already reversed)
//   expire   skipped: expiry is recomputed from the rules (ExpireUntil)
// Delimiter ';', ',' or tab; dates dd/mm/yyyy or ISO; UTF-8 with or without
// BOM. An error names the file, line and field (or the customer) and
// nothing after it is replayed: the caller discards the ledger.
#ifndef CARTEIRA_ACTIONS_LOYALTY_FILE_H_
#define CARTEIRA_ACTIONS_LOYALTY_FILE_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "carteira/actions/loyalty.h"

namespace carteira {

struct LoyaltyFileReport {
  size_t rows = 0;     // movements replayed
  size_t expired = 0;  // expire rows skipped
};

absl::StatusOr<LoyaltyFileReport> ReplayLoyaltyFile(const std::string& path, const Portfolio& portfolio,
                                                    LoyaltyLedger& ledger);
// The same from text (`name` is what errors call it).
absl::StatusOr<LoyaltyFileReport> ReplayLoyaltyText(std::string text, const std::string& name,
                                                    const Portfolio& portfolio, LoyaltyLedger& ledger);

}  // namespace carteira

#endif  // CARTEIRA_ACTIONS_LOYALTY_FILE_H_
