#include "carteira/status/status_rule.h"

#include "carteira/core/strings.h"

namespace carteira {
namespace {

// One step milder, for vetoes.
Status Milder(Status status) {
  switch (status) {
    case Status::kLost:
      return Status::kInactive;
    case Status::kInactive:
      return Status::kAtRisk;
    default:
      return Status::kActive;
  }
}

}  // namespace

void StatusDecision::BeginRule(std::string_view name, std::span<double> fields) {
  rule_name_ = name;
  changed_ = false;
  fields_ = fields;
}

absl::Status StatusDecision::SetField(size_t index, double value) {
  if (index >= fields_.size()) {
    return absl::OutOfRangeError(StrCat("status rule '", rule_name_, "': field ", index, " not declared (it has ",
                                        fields_.size(), " fields)"));
  }
  fields_[index] = value;
  return absl::OkStatus();
}

void StatusDecision::Note(std::string_view reason) {
  if (reason.empty()) return;
  if (!notes_.empty()) notes_.append("; ");
  StrAppend(&notes_, rule_name_, ": ", reason);
}

void StatusDecision::ApplyVetoes() {
  while ((vetoed_ >> static_cast<int>(status_)) & 1u) status_ = Milder(status_);
}

absl::Status StatusDecision::Override(Status status, std::string_view reason) {
  if (static_cast<int>(status) >= kStatusCount) {
    return absl::InvalidArgumentError(
        StrCat("status rule '", rule_name_, "': ", static_cast<int>(status), " is not a status"));
  }
  const Status before = status_;
  status_ = status;
  ApplyVetoes();
  changed_ = changed_ || status_ != before;
  Note(reason);
  return absl::OkStatus();
}

absl::Status StatusDecision::Veto(Status status, std::string_view reason) {
  if (static_cast<int>(status) >= kStatusCount) {
    return absl::InvalidArgumentError(
        StrCat("status rule '", rule_name_, "': ", static_cast<int>(status), " is not a status"));
  }
  if (status == Status::kActive || status == Status::kProspect) {
    return absl::InvalidArgumentError(
        StrCat("status rule '", rule_name_, "': ", StatusName(status), " cannot be refused"));
  }
  const Status before = status_;
  vetoed_ |= static_cast<std::uint8_t>(1u << static_cast<int>(status));
  ApplyVetoes();
  changed_ = changed_ || status_ != before;
  Note(reason);
  return absl::OkStatus();
}

void StatusDecision::AddReason(std::string_view reason) { Note(reason); }

}  // namespace carteira
