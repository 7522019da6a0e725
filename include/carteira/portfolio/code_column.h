// An int32 column whose cells default to -1 ("none") and which allocates
// nothing until the first real value: transactions without a rep or a
// category then cost no memory for those fields.
#ifndef CARTEIRA_PORTFOLIO_CODE_COLUMN_H_
#define CARTEIRA_PORTFOLIO_CODE_COLUMN_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace carteira {

class CodeColumn {
 public:
  static constexpr std::int32_t kNone = -1;

  size_t size() const { return size_; }
  bool all_none() const { return values_.empty(); }
  std::int32_t operator[](size_t row) const { return values_.empty() ? kNone : values_[row]; }

  void Append(std::int32_t code) {
    if (values_.empty()) {
      if (code == kNone) {
        ++size_;
        return;
      }
      values_.assign(size_, kNone);
    }
    values_.push_back(code);
    ++size_;
  }
  void AppendNone(size_t count) {
    if (!values_.empty()) values_.insert(values_.end(), count, kNone);
    size_ += count;
  }
  void Truncate(size_t rows) {
    if (rows >= size_) return;
    size_ = rows;
    if (!values_.empty()) values_.resize(rows);
  }
  size_t MemoryBytes() const { return values_.capacity() * sizeof(std::int32_t); }

 private:
  size_t size_ = 0;
  std::vector<std::int32_t> values_;
};

}  // namespace carteira

#endif  // CARTEIRA_PORTFOLIO_CODE_COLUMN_H_
