// Data hygiene through the C ABI: documents, phones, e-mails and names one
// value at a time; the hygiene report of a portfolio (problems, counts,
// duplicate clusters); and the lossless merge of customers.
#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "capi/src/api_guard.h"
#include "capi/src/checks.h"
#include "capi/src/handles.h"
#include "capi/src/struct_size.h"
#include "carteira/core/strings.h"
#include "carteira/hygiene/email.h"
#include "carteira/hygiene/phone.h"
#include "carteira/hygiene/report.h"
#include "carteira/hygiene/tax_id.h"
#include "carteira/hygiene/text.h"

struct carteira_hygiene_report {
  carteira::hygiene::HygieneReport impl;
  // What the C structs point into, built once.
  std::vector<std::pair<std::string, std::uint64_t>> counts;
  std::vector<std::vector<std::uint32_t>> cluster_members;
  std::vector<std::string> cluster_reasons;
};

namespace {

using carteira::capi::CheckStructSize;
using carteira::capi::SetLastError;
namespace hygiene = carteira::hygiene;

// The first released size of each struct (STYLE.md rule 10).
constexpr size_t kTaxIdResultV1 = sizeof(carteira_tax_id_result);
constexpr size_t kPhoneResultV1 = sizeof(carteira_phone_result);
constexpr size_t kEmailResultV1 = sizeof(carteira_email_result);
constexpr size_t kHygieneOptionsV1 = sizeof(carteira_hygiene_options);
constexpr size_t kHygieneProblemV1 = sizeof(carteira_hygiene_problem);
constexpr size_t kDuplicateClusterV1 = sizeof(carteira_duplicate_cluster);

// Copies `value` NUL-terminated into a fixed field, or "" when it does not
// fit (the fields are sized for every value that can be valid).
template <size_t N>
void CopyField(char (&field)[N], std::string_view value) {
  if (value.size() >= N) value = {};
  // An empty view may have a null data(): memcpy must not see it.
  if (!value.empty()) std::memcpy(field, value.data(), value.size());
  field[value.size()] = '\0';
}

// The size-query-then-fill protocol of text outputs.
carteira_status CopyText(const std::string& text, char* buffer, size_t capacity, size_t* out_length) {
  *out_length = text.size();
  if (buffer == nullptr && capacity == 0) return CARTEIRA_OK;  // a size query
  if (buffer == nullptr) return SetLastError(CARTEIRA_INVALID_ARGUMENT, "buffer is NULL");
  if (capacity < text.size() + 1) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE, carteira::StrCat("the text needs ", text.size() + 1,
                                                                " bytes with its NUL, the buffer has ", capacity));
  }
  std::memcpy(buffer, text.c_str(), text.size() + 1);
  return CARTEIRA_OK;
}

std::string ReasonsText(std::uint8_t reasons) {
  std::string out;
  for (std::string_view name : hygiene::MatchReasonNames(reasons)) {
    if (!out.empty()) out += ',';
    out.append(name);
  }
  return out;
}

}  // namespace

extern "C" {

carteira_status carteira_check_tax_id(const char* value, carteira_tax_id_result* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(value);
  CARTEIRA_CHECK_ARG(out);
  if (carteira_status s = CheckStructSize(out->struct_size, kTaxIdResultV1, "carteira_tax_id_result"); s) return s;
  const hygiene::TaxIdResult r = hygiene::CheckTaxId(value);
  out->valid = r.valid() ? 1 : 0;
  out->kind = hygiene::TaxIdKindName(r.kind).data();  // literals: NUL-terminated
  out->problem = hygiene::TaxIdProblemName(r.problem).data();
  out->position = r.position;
  CopyField(out->canonical, r.canonical);
  CopyField(out->formatted, r.formatted);
  CARTEIRA_API_END();
}

carteira_status carteira_check_phone(const char* value, const char* default_region, carteira_phone_result* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(value);
  CARTEIRA_CHECK_ARG(out);
  if (carteira_status s = CheckStructSize(out->struct_size, kPhoneResultV1, "carteira_phone_result"); s) return s;
  const hygiene::PhoneChecker checker(default_region == nullptr ? "BR" : default_region);
  const hygiene::PhoneResult r = checker.Check(value);
  out->valid = r.valid() ? 1 : 0;
  out->problem = hygiene::PhoneProblemName(r.problem).data();
  out->type = hygiene::PhoneTypeName(r.type).data();
  CopyField(out->e164, r.e164);
  CopyField(out->suggestion, r.suggestion);
  CARTEIRA_API_END();
}

carteira_status carteira_check_email(const char* value, carteira_email_result* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(value);
  CARTEIRA_CHECK_ARG(out);
  if (carteira_status s = CheckStructSize(out->struct_size, kEmailResultV1, "carteira_email_result"); s) return s;
  const hygiene::EmailResult r = hygiene::CheckEmail(value);
  out->valid = r.valid() ? 1 : 0;
  out->problem = hygiene::EmailProblemName(r.problem).data();
  out->position = r.position;
  CopyField(out->normalized, r.normalized);
  CopyField(out->suggestion, r.suggestion);
  CARTEIRA_API_END();
}

carteira_status carteira_display_name(const char* text, char* buffer, size_t capacity, size_t* out_length) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(text);
  CARTEIRA_CHECK_ARG(out_length);
  if (carteira_status s = CopyText(hygiene::DisplayName(text), buffer, capacity, out_length); s) return s;
  CARTEIRA_API_END();
}

carteira_status carteira_fold_key(const char* text, char* buffer, size_t capacity, size_t* out_length) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(text);
  CARTEIRA_CHECK_ARG(out_length);
  if (carteira_status s = CopyText(hygiene::FoldKey(text), buffer, capacity, out_length); s) return s;
  CARTEIRA_API_END();
}

carteira_status carteira_hygiene_check(const carteira_portfolio* portfolio, const carteira_hygiene_options* options,
                                       carteira_hygiene_report** out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(out);
  *out = nullptr;
  hygiene::HygieneOptions o;
  std::string region = "BR";
  if (options != nullptr) {
    if (carteira_status s = CheckStructSize(options->struct_size, kHygieneOptionsV1, "carteira_hygiene_options"); s) {
      return s;
    }
    if (options->default_region != nullptr) region = options->default_region;
    o.find_duplicates = options->find_duplicates != 0;
    if (options->link_threshold < 0 || options->link_threshold > 1) {
      return SetLastError(CARTEIRA_INVALID_ARGUMENT,
                          carteira::StrCat("carteira_hygiene_options: link_threshold ", options->link_threshold,
                                           " is not within [0, 1] (0 = the default)"));
    }
    if (options->link_threshold > 0) o.duplicates.link_threshold = options->link_threshold;
  }
  const hygiene::PhoneChecker phones(region);
  auto report = std::make_unique<carteira_hygiene_report>();
  report->impl = hygiene::CheckPortfolio(portfolio->impl, phones, o);
  for (const auto& [name, count] : report->impl.counts) report->counts.emplace_back(name, count);
  for (const hygiene::DuplicateCluster& c : report->impl.duplicates.clusters) {
    report->cluster_members.emplace_back(c.members.begin(), c.members.end());
    report->cluster_reasons.push_back(ReasonsText(c.reasons));
  }
  *out = report.release();
  CARTEIRA_API_END();
}

void carteira_hygiene_report_destroy(carteira_hygiene_report* report) { delete report; }

carteira_status carteira_hygiene_report_problem_count(const carteira_hygiene_report* report, size_t* out_count) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(report);
  CARTEIRA_CHECK_ARG(out_count);
  *out_count = report->impl.problems.size();
  CARTEIRA_API_END();
}

carteira_status carteira_hygiene_report_problem(const carteira_hygiene_report* report, size_t index,
                                                carteira_hygiene_problem* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(report);
  CARTEIRA_CHECK_ARG(out);
  if (carteira_status s = CheckStructSize(out->struct_size, kHygieneProblemV1, "carteira_hygiene_problem"); s) {
    return s;
  }
  if (index >= report->impl.problems.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE,
                        carteira::StrCat("hygiene problem ", index, " of ", report->impl.problems.size()));
  }
  const hygiene::HygieneProblem& p = report->impl.problems[index];
  out->customer_index = p.customer;
  out->customer_id = p.customer_id.c_str();
  out->field = p.field.c_str();
  out->value = p.value.c_str();
  out->problem = p.problem.c_str();
  out->detail = p.detail.c_str();
  out->suggestion = p.suggestion.c_str();
  CARTEIRA_API_END();
}

carteira_status carteira_hygiene_report_count_size(const carteira_hygiene_report* report, size_t* out_size) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(report);
  CARTEIRA_CHECK_ARG(out_size);
  *out_size = report->counts.size();
  CARTEIRA_API_END();
}

carteira_status carteira_hygiene_report_count(const carteira_hygiene_report* report, size_t index,
                                              const char** out_name, uint64_t* out_count) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(report);
  CARTEIRA_CHECK_ARG(out_name);
  CARTEIRA_CHECK_ARG(out_count);
  if (index >= report->counts.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE,
                        carteira::StrCat("hygiene count ", index, " of ", report->counts.size()));
  }
  *out_name = report->counts[index].first.c_str();
  *out_count = report->counts[index].second;
  CARTEIRA_API_END();
}

carteira_status carteira_hygiene_report_cluster_count(const carteira_hygiene_report* report, size_t* out_count) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(report);
  CARTEIRA_CHECK_ARG(out_count);
  *out_count = report->cluster_members.size();
  CARTEIRA_API_END();
}

carteira_status carteira_hygiene_report_cluster(const carteira_hygiene_report* report, size_t index,
                                                carteira_duplicate_cluster* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(report);
  CARTEIRA_CHECK_ARG(out);
  if (carteira_status s = CheckStructSize(out->struct_size, kDuplicateClusterV1, "carteira_duplicate_cluster"); s) {
    return s;
  }
  if (index >= report->cluster_members.size()) {
    return SetLastError(CARTEIRA_OUT_OF_RANGE,
                        carteira::StrCat("duplicate cluster ", index, " of ", report->cluster_members.size()));
  }
  out->member_count = report->cluster_members[index].size();
  out->members = report->cluster_members[index].data();
  out->reasons = report->cluster_reasons[index].c_str();
  out->score = report->impl.duplicates.clusters[index].score;
  CARTEIRA_API_END();
}

carteira_status carteira_portfolio_merge_customers(carteira_portfolio* portfolio, const char* into,
                                                   const char* const* merged, size_t merged_count,
                                                   int32_t merged_at, const char* merged_by) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(into);
  if (merged_count > 0) CARTEIRA_CHECK_ARG(merged);
  CARTEIRA_RETURN_IF_ERROR(carteira::capi::CheckDay(merged_at, "merged_at", /*required=*/true));
  carteira::CustomerMerge merge;
  merge.into = into;
  for (size_t i = 0; i < merged_count; ++i) {
    if (merged[i] == nullptr) {
      return SetLastError(CARTEIRA_INVALID_ARGUMENT, carteira::StrCat("merged[", i, "] is NULL"));
    }
    merge.merged.emplace_back(merged[i]);
  }
  merge.merged_at = carteira::ToDate(merged_at);
  if (merged_by != nullptr) merge.merged_by = merged_by;
  CARTEIRA_RETURN_IF_ERROR(portfolio->impl.MergeCustomers(std::span<const carteira::CustomerMerge>(&merge, 1)));
  CARTEIRA_API_END();
}

}  // extern "C"
