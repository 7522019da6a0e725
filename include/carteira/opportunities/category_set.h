// The categories of a portfolio in one fixed order (byte order of their
// names, so that results and tie-breaks do not depend on the order the data
// was loaded in), and every customer's set of bought categories as a bitset
// in that order. Shared by the mix, the cross-sell model and the ICP.
#ifndef CARTEIRA_OPPORTUNITIES_CATEGORY_SET_H_
#define CARTEIRA_OPPORTUNITIES_CATEGORY_SET_H_

#include <bit>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "carteira/core/date.h"
#include "carteira/portfolio/portfolio.h"

namespace carteira {

// Slot s is the s-th category by name; code is the portfolio's dictionary
// code (Portfolio::categories()).
struct CategoryOrder {
  std::vector<std::int32_t> code;  // by slot
  std::vector<std::int32_t> slot;  // by dictionary code
  size_t size() const { return code.size(); }
};

CategoryOrder OrderCategories(const Portfolio& portfolio);

// Which categories each customer bought (a purchase: amount >= 0) in
// [from, to] (kNoDay for an open end), one bit per slot.
class CategorySets {
 public:
  static CategorySets Build(const Portfolio& portfolio, const CategoryOrder& order, DayNumber from,
                            DayNumber to);

  size_t customers() const { return words_ == 0 ? 0 : bits_.size() / words_; }
  size_t words() const { return words_; }
  std::span<const std::uint64_t> of(CustomerIndex customer) const {
    return {bits_.data() + customer * words_, words_};
  }
  bool has(CustomerIndex customer, size_t slot) const {
    return (bits_[customer * words_ + slot / 64] >> (slot % 64)) & 1u;
  }
  int count(CustomerIndex customer) const {
    int n = 0;
    for (std::uint64_t w : of(customer)) n += std::popcount(w);
    return n;
  }
  // Calls f(slot) for every category of the customer, in slot order.
  template <typename F>
  void ForEach(CustomerIndex customer, F&& f) const {
    const std::uint64_t* w = bits_.data() + customer * words_;
    for (size_t k = 0; k < words_; ++k) {
      for (std::uint64_t b = w[k]; b != 0; b &= b - 1) f(k * 64 + static_cast<size_t>(std::countr_zero(b)));
    }
  }

 private:
  size_t words_ = 0;
  std::vector<std::uint64_t> bits_;
};

// The error every category-based engine returns when no transaction has a
// category: it names the column the host has to fill.
absl::Status NoCategoriesError(std::string_view what);

}  // namespace carteira

#endif  // CARTEIRA_OPPORTUNITIES_CATEGORY_SET_H_
