// String similarity for typo and duplicate detection.
//
// Hand-written: Debian 12 packages no C++ string-similarity library (the
// usual one, rapidfuzz-cpp, is not in bookworm), and both measures are a
// few lines. They work on bytes: callers pass folded keys (FoldKey), which
// are ASCII for Portuguese names once the accents are gone.
#ifndef CARTEIRA_HYGIENE_SIMILARITY_H_
#define CARTEIRA_HYGIENE_SIMILARITY_H_

#include <string_view>

namespace carteira::hygiene {

// Optimal-string-alignment distance: insertions, deletions, substitutions
// and swaps of two neighbours ("gmial" -> "gmail" is 1) each cost 1.
// Stops counting at `limit` + 1 (returns limit + 1 when further apart).
int EditDistance(std::string_view a, std::string_view b, int limit = 1 << 20);

// Jaro-Winkler similarity in [0, 1] (1 = equal), with the usual prefix
// scale 0.1 over at most 4 characters.
double JaroWinkler(std::string_view a, std::string_view b);

}  // namespace carteira::hygiene

#endif  // CARTEIRA_HYGIENE_SIMILARITY_H_
