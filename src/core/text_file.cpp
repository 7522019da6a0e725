#include "carteira/core/text_file.h"

#include <fstream>
#include <sstream>

#include "carteira/core/strings.h"
#include "absl/strings/str_cat.h"

namespace carteira {

absl::StatusOr<std::string> ReadTextFile(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat(path, ": cannot open ", what));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return absl::InternalError(StrCat(path, ": error reading ", what));
  std::string out = std::move(text).str();
  if (out.rfind("\xEF\xBB\xBF", 0) == 0) out.erase(0, 3);
  return out;
}

}  // namespace carteira
