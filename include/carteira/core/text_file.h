// Reads a whole configuration file (a policy, a segment map, a plan) as
// UTF-8 text, dropping a leading byte-order mark (Windows editors add one).
#ifndef CARTEIRA_CORE_TEXT_FILE_H_
#define CARTEIRA_CORE_TEXT_FILE_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace carteira {

// NOT_FOUND naming the path and `what` ("the policy file") when it cannot
// be opened; a read error is INTERNAL.
absl::StatusOr<std::string> ReadTextFile(const std::string& path, std::string_view what);

}  // namespace carteira

#endif  // CARTEIRA_CORE_TEXT_FILE_H_
