// Replacing a file atomically: write a temporary file next to it, flush it
// to disk, rename it over the target. A reader sees the old file or the
// new one, never half of one; on failure nothing is left behind.
#ifndef CARTEIRA_SRC_REPORT_ATOMIC_FILE_H_
#define CARTEIRA_SRC_REPORT_ATOMIC_FILE_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace carteira {

// Errors name `path` and say why ("cannot write /x/r.html: No such file
// or directory"): NotFound for a missing directory, InvalidArgument for a
// path that is a directory, PermissionDenied, or Internal.
absl::Status WriteFileAtomically(const std::string& path, std::string_view contents);

}  // namespace carteira

#endif  // CARTEIRA_SRC_REPORT_ATOMIC_FILE_H_
