// Dense codes for the values of a string column (a customer's segment or
// region), for the engines that group or filter by them: 0 for an empty
// cell, k for the k-th distinct value in order of first appearance.
//
// Written by hand because hashing every cell with absl::flat_hash_map cost
// ~20 ms a million cells (the string hash and a memcmp a cell), a third of
// all the KPIs by segment: these columns hold few, short values, so each
// cell's exact fingerprint (length and up to 16 bytes, read in place) is
// looked up in a small table with no hash of the bytes and no memcmp for
// values of up to 16 bytes.
#ifndef CARTEIRA_SRC_PORTFOLIO_STRING_CODES_H_
#define CARTEIRA_SRC_PORTFOLIO_STRING_CODES_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "carteira/portfolio/string_column.h"

namespace carteira::internal {

// Writes code[row * stride] for every row (0 for an empty cell, k for
// the k-th distinct value) and returns the distinct non-empty values in
// order of first appearance. The stride lets a caller interleave several
// columns' codes. The values point into the column, which must outlive
// them unchanged.
std::vector<std::string_view> CodeStrings(const StringColumn& column, std::uint32_t* code, size_t stride = 1);

}  // namespace carteira::internal

#endif  // CARTEIRA_SRC_PORTFOLIO_STRING_CODES_H_
