// Lifecycle statuses and flags of a customer, with their snake_case names
// (the names every output uses: CLI, JSON, C ABI, bindings).
#ifndef CARTEIRA_STATUS_STATUS_H_
#define CARTEIRA_STATUS_STATUS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace carteira {

// The values are part of the C ABI (carteira_status_t): append only.
enum class Status : std::uint8_t {
  kProspect = 0,     // no purchase yet
  kNew = 1,          // first purchase within the policy's new window
  kActive = 2,       // buying within the thresholds
  kAtRisk = 3,       // próximo da inativação
  kInactive = 4,     // inativo
  kLost = 5,         // perdido
  kReactivated = 6,  // bought again after being inactive, recently
};
inline constexpr int kStatusCount = 7;

std::string_view StatusName(Status status);
std::optional<Status> ParseStatus(std::string_view name);

// Orthogonal flags, a bit each (also part of the C ABI).
enum StatusFlag : std::uint8_t {
  kFlagRenewalDue = 1u << 0,  // a contract ends inside the renewal window
  kFlagDelinquent = 1u << 1,  // inadimplente (the customer's debt flag)
  kFlagKeyAccount = 1u << 2,  // conta-chave
};
inline constexpr int kFlagCount = 3;

std::string_view FlagName(StatusFlag flag);
std::optional<StatusFlag> ParseFlag(std::string_view name);
// "renewal_due,delinquent" (in bit order), or "" for none.
std::string FlagNames(std::uint8_t flags, std::string_view separator = ",");

// How severe a recency status is, for "the stricter of two verdicts" and for
// vetoes (a vetoed status falls back one step milder). prospect, new,
// active and reactivated all count as active here.
int Severity(Status status);

}  // namespace carteira

#endif  // CARTEIRA_STATUS_STATUS_H_
