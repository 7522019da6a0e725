// The state block format 2 (schema version 4), kept as the tests' own
// encoder: the store only reads it now (src/store/customer_state.cpp), and
// the tests need blocks as version 4 wrote them.
#ifndef CARTEIRA_TESTS_STORE_STATE_FORMAT2_H_
#define CARTEIRA_TESTS_STORE_STATE_FORMAT2_H_

#include <string>

#include "src/store/customer_state.h"

namespace carteira::store_internal {

// `b` decoded (every payload); its segments all written, in order.
inline std::string EncodeFormat2(const StateBlock& b) {
  std::string out;
  auto varint = [&](std::uint64_t v) {
    for (; v >= 0x80; v >>= 7) out += static_cast<char>((v & 0x7f) | 0x80);
    out += static_cast<char>(v);
  };
  auto zigzag = [&](std::int64_t v) {
    varint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
  };
  out += '\x02';
  varint(static_cast<std::uint64_t>(b.merged_run));
  varint(b.segments.size() - 1);
  for (size_t s = 1; s < b.segments.size(); ++s) {
    varint(b.segments[s].size());
    out += b.segments[s];
  }
  varint(b.entries.size());
  for (const StateEntry& e : b.entries) {
    out += static_cast<char>(e.pk - (b.block << kStateBlockShift));
    out += static_cast<char>((e.has_status ? 1 : 0) | (e.key_account ? 2 : 0) | (e.delinquent ? 4 : 0));
    varint(e.segment);
    zigzag(e.revenue);
    const auto days = b.DaysOf(e);
    varint(days.size());
    for (size_t i = 0; i < days.size(); ++i) {
      if (i == 0) {
        zigzag(days[0]);
      } else {
        varint(static_cast<std::uint64_t>(static_cast<std::int64_t>(days[i]) - days[i - 1]));
      }
    }
    if (e.has_status) {
      out += static_cast<char>(e.status);
      out += static_cast<char>(e.flags);
      varint(e.rule);
      zigzag(e.next_check);
    }
  }
  return out;
}

}  // namespace carteira::store_internal

#endif  // CARTEIRA_TESTS_STORE_STATE_FORMAT2_H_
