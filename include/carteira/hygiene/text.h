// Names and addresses: a tidy form for display and a folded key for matching.
// Unicode work (case mapping, accents) is ICU's; nothing here keeps its own
// table of accented letters.
#ifndef CARTEIRA_HYGIENE_TEXT_H_
#define CARTEIRA_HYGIENE_TEXT_H_

#include <string>
#include <string_view>

namespace carteira::hygiene {

// Trims, and turns every run of Unicode white space (tabs, no-break spaces,
// line breaks) into one ASCII space.
std::string CollapseSpaces(std::string_view text);

// For display: spaces collapsed and Title Case in Portuguese ("MARIA DAS
// GRAÇAS  d'ávila" -> "Maria das Graças D'Ávila"). The particles da, de, do,
// das, dos, e stay lower-case unless they open the text; each part of a
// hyphenated word is capitalised; company-form acronyms (S/A, S.A., ME, EPP,
// EIRELI, MEI, LTDA as "Ltda") keep their customary spelling.
std::string DisplayName(std::string_view text);

// For matching: accents removed, case folded, compatibility forms unified,
// punctuation turned into spaces, spaces collapsed ("  José  D'Ávila-Gonçalves"
// -> "jose d avila goncalves"). Equal keys mean "the same name as typed
// differently", not "the same person".
std::string FoldKey(std::string_view text);

// The same into a caller's string (its capacity reused: no allocation per
// call once it is large enough).
void DisplayNameTo(std::string_view text, std::string& out);
void FoldKeyTo(std::string_view text, std::string& out);

namespace detail {
// ICU per character over the whole text: what DisplayName and FoldKey
// answer, without their table-driven fast path. For tests.
std::string DisplayNameReference(std::string_view text);
std::string FoldKeyReference(std::string_view text);
}  // namespace detail

}  // namespace carteira::hygiene

#endif  // CARTEIRA_HYGIENE_TEXT_H_
