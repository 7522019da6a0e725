#include "carteira/status/status.h"

#include <array>

namespace carteira {
namespace {

constexpr std::array<std::string_view, kStatusCount> kStatusNames = {
    "prospect", "new", "active", "at_risk", "inactive", "lost", "reactivated"};

constexpr std::array<std::string_view, kFlagCount> kFlagNames = {"renewal_due", "delinquent",
                                                                 "key_account"};

}  // namespace

std::string_view StatusName(Status status) {
  const auto i = static_cast<size_t>(status);
  return i < kStatusNames.size() ? kStatusNames[i] : std::string_view("unknown");
}

std::optional<Status> ParseStatus(std::string_view name) {
  for (size_t i = 0; i < kStatusNames.size(); ++i) {
    if (kStatusNames[i] == name) return static_cast<Status>(i);
  }
  return std::nullopt;
}

std::string_view FlagName(StatusFlag flag) {
  for (int i = 0; i < kFlagCount; ++i) {
    if (flag == (1u << i)) return kFlagNames[i];
  }
  return "unknown";
}

std::optional<StatusFlag> ParseFlag(std::string_view name) {
  for (int i = 0; i < kFlagCount; ++i) {
    if (kFlagNames[i] == name) return static_cast<StatusFlag>(1u << i);
  }
  return std::nullopt;
}

std::string FlagNames(std::uint8_t flags, std::string_view separator) {
  std::string out;
  for (int i = 0; i < kFlagCount; ++i) {
    if ((flags & (1u << i)) == 0) continue;
    if (!out.empty()) out.append(separator);
    out.append(kFlagNames[i]);
  }
  return out;
}

int Severity(Status status) {
  switch (status) {
    case Status::kAtRisk:
      return 1;
    case Status::kInactive:
      return 2;
    case Status::kLost:
      return 3;
    default:
      return 0;
  }
}

}  // namespace carteira
