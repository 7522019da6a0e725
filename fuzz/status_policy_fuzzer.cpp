// libFuzzer target: the status policy parser (JSON) on arbitrary bytes.
// Invariant: a policy that parses writes JSON that parses back to the same
// JSON (the round trip is stable).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "carteira/status/status_policy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto policy = carteira::StatusPolicy::FromJson(text);
  if (!policy.ok()) return 0;
  const std::string json = policy->ToJson();
  auto again = carteira::StatusPolicy::FromJson(json);
  if (!again.ok() || again->ToJson() != json) std::abort();
  return 0;
}
