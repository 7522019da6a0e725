// Versioned option and result structs (STYLE.md rule 10). Each struct's
// first field is struct_size, set by the caller from its own header. Fields
// are only appended, so:
// - an input struct must be at least as large as its first released
//   version; fields beyond the caller's struct_size take their defaults;
// - an output struct gets only the fields that fit in the caller's size.
#ifndef CARTEIRA_CAPI_SRC_STRUCT_SIZE_H_
#define CARTEIRA_CAPI_SRC_STRUCT_SIZE_H_

#include <cstddef>
#include <cstring>
#include <type_traits>

#include "carteira/carteira.h"

namespace carteira::capi {

// Sizes of the first released version (0.1) of each struct. Never change
// these when appending fields; they are what old callers pass.
inline constexpr size_t kCustomerColumnsV1 = sizeof(carteira_customer_columns);
inline constexpr size_t kTransactionColumnsV1 = sizeof(carteira_transaction_columns);
inline constexpr size_t kRepColumnsV1 = sizeof(carteira_rep_columns);
inline constexpr size_t kContractColumnsV1 = sizeof(carteira_contract_columns);
inline constexpr size_t kInteractionColumnsV1 = sizeof(carteira_interaction_columns);
inline constexpr size_t kSurveyColumnsV1 = sizeof(carteira_survey_columns);
inline constexpr size_t kAssignmentColumnsV1 = sizeof(carteira_assignment_columns);
inline constexpr size_t kImportOptionsV1 = sizeof(carteira_import_options);
inline constexpr size_t kSummaryOptionsV1 = sizeof(carteira_summary_options);
inline constexpr size_t kPortfolioCountsV1 = sizeof(carteira_portfolio_counts);
inline constexpr size_t kImportCountsV1 = sizeof(carteira_import_counts);
inline constexpr size_t kImportIssueV1 = sizeof(carteira_import_issue);

// Zeroes the caller's struct (as large as the caller says, up to ours) and
// records that size: the start of every _init function.
template <typename Struct>
void InitStruct(Struct* s, size_t caller_size) {
  const size_t n = caller_size < sizeof(Struct) ? caller_size : sizeof(Struct);
  std::memset(static_cast<void*>(s), 0, n);
  if (n >= sizeof(s->struct_size)) s->struct_size = static_cast<uint32_t>(n);
}

}  // namespace carteira::capi

// True if `field` lies within the caller's struct (for reading an input
// field or writing an output one).
#define CARTEIRA_FIELD_FITS(ptr, field) \
  (offsetof(std::remove_pointer_t<decltype(ptr)>, field) + sizeof((ptr)->field) <= (ptr)->struct_size)

// Writes an output field only if the caller's struct has it.
#define CARTEIRA_SET_FIELD(ptr, field, value) \
  do {                                        \
    if (CARTEIRA_FIELD_FITS(ptr, field)) (ptr)->field = (value); \
  } while (0)

#endif  // CARTEIRA_CAPI_SRC_STRUCT_SIZE_H_
