// Named RFM segments: an ordered list of rules on the R, F, M scores (or on
// R and the combined FM score); the first rule that matches a customer's
// scores names the segment. The default map is the usual one (champions,
// loyal, potential_loyalist, new, promising, need_attention,
// about_to_sleep, at_risk, cant_lose, hibernating, lost) on the R x FM
// grid; a JSON file replaces it (docs/segments.md documents the format).
//
// CheckSegmentMap() finds the two mistakes an ordered map invites: a rule
// that can never match because earlier rules cover all its cells, and
// cells no rule covers (their customers get the map's fallback name).
#ifndef CARTEIRA_SEGMENTS_SEGMENT_MAP_H_
#define CARTEIRA_SEGMENTS_SEGMENT_MAP_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "carteira/segments/rfm.h"

namespace carteira {

// An inclusive range of scores, 1..5.
struct ScoreRange {
  std::uint8_t lo = 1, hi = 5;
  bool Contains(int score) const { return score >= lo && score <= hi; }
  bool Any() const { return lo == 1 && hi == 5; }
  friend bool operator==(const ScoreRange&, const ScoreRange&) = default;
};

// Matches when every range holds (a range left at 1..5 matches any score).
struct SegmentRule {
  std::string name;
  ScoreRange r, f, m, fm;
  bool Matches(int r_score, int f_score, int m_score) const {
    return r.Contains(r_score) && f.Contains(f_score) && m.Contains(m_score) &&
           fm.Contains((f_score + m_score + 1) / 2);
  }
};

struct SegmentMap {
  std::vector<SegmentRule> rules;         // first match wins
  std::string fallback = "unclassified";  // for cells no rule covers

  static SegmentMap Default();
  // Parses a map document; `source` names it in errors (a file path).
  // Errors name the place ("segments[3].fm: ..."); never half-loaded.
  static absl::StatusOr<SegmentMap> FromJson(std::string_view json,
                                             std::string_view source = "segment map");
  static absl::StatusOr<SegmentMap> FromFile(const std::string& path);
  std::string ToJson() const;
  absl::Status Validate() const;

  // True when a rule reads f or m (the check then works on the 5x5x5
  // R x F x M grid; otherwise on the 5x5 R x FM grid).
  bool UsesFandM() const;
  // Segment names: distinct rule names in order of first appearance, then
  // the fallback when some cell is uncovered (and no rule has its name).
  std::vector<std::string> Names() const;
};

struct SegmentMapCheck {
  bool r_f_m_grid = false;  // false: the R x FM grid
  struct Shadowed {
    size_t rule;                  // index in SegmentMap::rules
    std::vector<size_t> covered_by;  // earlier rules that take its cells
  };
  std::vector<Shadowed> shadowed;
  // Cells no rule covers: (r, fm, 0) on the R x FM grid, (r, f, m) otherwise.
  std::vector<std::array<std::uint8_t, 3>> uncovered;
  bool ok() const { return shadowed.empty() && uncovered.empty(); }
  // One line per problem, in plain words ("rule 4 'promising' can never
  // match: rules 1, 2 take all its cells"), or "" when ok.
  std::string Describe(const SegmentMap& map) const;
};

SegmentMapCheck CheckSegmentMap(const SegmentMap& map);

// Each RFM row's segment, as an index into `names` (SegmentMap::Names()).
struct SegmentAssignment {
  std::vector<std::string> names;
  std::vector<std::uint16_t> segment;  // per RfmTable row
  std::vector<std::int64_t> counts;    // per name
};

// Fails only when the map is invalid.
absl::StatusOr<SegmentAssignment> AssignSegments(const RfmTable& rfm, const SegmentMap& map);

}  // namespace carteira

#endif  // CARTEIRA_SEGMENTS_SEGMENT_MAP_H_
