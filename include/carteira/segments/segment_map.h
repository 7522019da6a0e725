// Named RFM segments: an ordered list of rules on the R, F, M scores (or on
// R and the combined FM score), each optionally with conditions on the
// customer's fields (region, segment, state, city, key account, delinquent,
// custom attributes) and summary figures (recency, frequency, monetary,
// average ticket, tenure...); the first rule that matches a customer names
// the segment. The default map is the usual one (champions, loyal,
// potential_loyalist, new, promising, need_attention, about_to_sleep,
// at_risk, cant_lose, hibernating, lost) on the R x FM grid; a JSON file
// replaces it (docs/segments.md documents the format).
//
// CheckSegmentMap() finds the two mistakes an ordered map invites: a rule
// that can never match because earlier rules cover all its cells, and
// cells no rule covers (their customers get the map's fallback name). It is
// exact for rules on scores alone; for rules with conditions it proves what
// the scores allow (docs/segments.md, "The check").
#ifndef CARTEIRA_SEGMENTS_SEGMENT_MAP_H_
#define CARTEIRA_SEGMENTS_SEGMENT_MAP_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "carteira/portfolio/portfolio.h"
#include "carteira/segments/rfm.h"
#include "carteira/summary/customer_summary.h"

namespace carteira {

// An inclusive range of scores, 1..5.
struct ScoreRange {
  std::uint8_t lo = 1, hi = 5;
  bool Contains(int score) const { return score >= lo && score <= hi; }
  bool Any() const { return lo == 1 && hi == 5; }
  friend bool operator==(const ScoreRange&, const ScoreRange&) = default;
};

// The comparison of a condition.
enum class CompareOp : std::uint8_t { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kNotIn };
// "=", "!=", "<", "<=", ">", ">=", "in", "not in".
std::string_view CompareOpName(CompareOp op);
std::optional<CompareOp> ParseCompareOp(std::string_view name);

// What a condition reads: a field of the customer record, or a figure of
// the summary the scores come from (docs/segments.md lists them).
enum class SegmentField : std::uint8_t {
  // Text: =, !=, in, not in.
  kRegion,
  kSegment,
  kState,
  kCity,
  kAttribute,  // a custom attribute by name: text, or compared as a number when the value is one
  // Flags: = or != true / false.
  kKeyAccount,
  kDelinquent,
  // Numbers: every comparison.
  kRecencyDays,      // days since the last purchase-day (RFM's recency)
  kFrequency,        // purchase-days (RFM's frequency)
  kMonetary,         // net revenue (RFM's monetary); money
  kAverageTicket,    // revenue / purchase-days; money
  kTenureDays,       // days since the first purchase
  kRepeatPurchases,  // purchase-days after the first
  kMedianGapDays,    // median days between purchase-days; absent below 2 (never matches)
};
// "region", ..., "attribute" (a condition names it "attribute:NAME").
std::string_view SegmentFieldName(SegmentField field);

struct SegmentCondition {
  SegmentField field = SegmentField::kRegion;
  std::string attribute;  // kAttribute: the attribute's name
  CompareOp op = CompareOp::kEq;
  // The value, or the list of in / not in: text (text fields, and an
  // attribute compared as text), or numbers (numbers and money, money in
  // minor units; a flag as 1 or 0; an attribute compared as a number).
  std::vector<std::string> text;
  std::vector<double> number;

  // "region", "attribute:canal".
  std::string FieldName() const;
  // `monetary >= 1500.00`, `region in ["Sul", "Sudeste"]`.
  std::string Describe() const;
  friend bool operator==(const SegmentCondition&, const SegmentCondition&) = default;
};

// Matches when every range holds (a range left at 1..5 matches any score)
// and every condition holds (`where`, combined with AND).
struct SegmentRule {
  std::string name;
  ScoreRange r, f, m, fm;
  std::vector<SegmentCondition> where;

  // The score ranges alone (the conditions need the customer: AssignSegments).
  bool Matches(int r_score, int f_score, int m_score) const {
    return r.Contains(r_score) && f.Contains(f_score) && m.Contains(m_score) &&
           fm.Contains((f_score + m_score + 1) / 2);
  }
  // The conditions joined by " and "; "" without any.
  std::string DescribeConditions() const;
};

struct SegmentMap {
  std::vector<SegmentRule> rules;         // first match wins
  std::string fallback = "unclassified";  // for customers no rule matches

  static SegmentMap Default();
  // Parses a map document; `source` names it in errors (a file path).
  // Errors name the place ("segments[3].fm: ...", "segments[2] 'vip':
  // where[0] 'region': ..."); never half-loaded.
  static absl::StatusOr<SegmentMap> FromJson(std::string_view json,
                                             std::string_view source = "segment map");
  static absl::StatusOr<SegmentMap> FromFile(const std::string& path);
  std::string ToJson() const;
  absl::Status Validate() const;

  // True when a rule reads f or m (the check then works on the 5x5x5
  // R x F x M grid; otherwise on the 5x5 R x FM grid).
  bool UsesFandM() const;
  // True when a rule has conditions (AssignSegments then needs the
  // portfolio and the summary).
  bool HasConditions() const;
  // Segment names: distinct rule names in order of first appearance, then
  // the fallback when some scores reach no rule without conditions (and no
  // rule has its name).
  std::vector<std::string> Names() const;
};

struct SegmentMapCheck {
  bool r_f_m_grid = false;  // false: the R x FM grid
  struct Shadowed {
    size_t rule;                     // index in SegmentMap::rules
    std::vector<size_t> covered_by;  // earlier rules that take its cells
  };
  // Rules that can never match: every cell they match is taken by an
  // earlier rule whose conditions are among theirs (none, for rules on
  // scores alone), or no scores satisfy all their ranges.
  std::vector<Shadowed> shadowed;
  // Cells no rule covers: (r, fm, 0) on the R x FM grid, (r, f, m) otherwise.
  std::vector<std::array<std::uint8_t, 3>> uncovered;
  // Cells only rules with conditions reach: their customers get the
  // fallback when no condition holds. A note, not a problem.
  std::vector<std::array<std::uint8_t, 3>> conditional;
  bool ok() const { return shadowed.empty() && uncovered.empty(); }
  // One line per problem, in plain words ("rule 4 'promising' can never
  // match: rules 1, 2 take all its cells"), then a note for the cells only
  // rules with conditions reach; "" when there is nothing to say.
  std::string Describe(const SegmentMap& map) const;
};

SegmentMapCheck CheckSegmentMap(const SegmentMap& map);

// Each RFM row's segment, as an index into `names` (SegmentMap::Names()).
struct SegmentAssignment {
  std::vector<std::string> names;
  std::vector<std::uint16_t> segment;  // per RfmTable row
  std::vector<std::int64_t> counts;    // per name
};

// For a map without conditions. Fails when the map is invalid or has
// conditions (they need the overload below).
absl::StatusOr<SegmentAssignment> AssignSegments(const RfmTable& rfm, const SegmentMap& map);

// Any map: `summary` is the one `rfm` was scored from (ScoreRfm), of
// `portfolio`. Fails when the map is invalid, when a condition names an
// attribute the portfolio does not have, or when the inputs do not match.
absl::StatusOr<SegmentAssignment> AssignSegments(const RfmTable& rfm, const SegmentMap& map,
                                                 const Portfolio& portfolio, const CustomerSummary& summary);

}  // namespace carteira

#endif  // CARTEIRA_SEGMENTS_SEGMENT_MAP_H_
