#include "carteira/segments/segment_map.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "carteira/core/strings.h"

namespace carteira {
namespace {

using Json = nlohmann::json;

absl::Status Bad(std::string_view path, std::string_view what) {
  return absl::InvalidArgumentError(StrCat(path, ": ", what));
}

std::string Shown(const Json& value) {
  std::string text = value.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

absl::Status ReadScore(const Json& item, std::string_view path, std::uint8_t* out) {
  if (!item.is_number_integer()) return Bad(path, StrCat("expected a score 1 to 5, got ", Shown(item)));
  const std::int64_t v = item.get<std::int64_t>();
  if (v < 1 || v > kRfmLevels) return Bad(path, StrCat("a score is 1 to 5, got ", v));
  *out = static_cast<std::uint8_t>(v);
  return absl::OkStatus();
}

// A range is a score (5) or an inclusive pair ([3, 5]).
absl::Status ReadRange(const Json& rule, std::string_view path, const char* key, ScoreRange* out) {
  const auto it = rule.find(key);
  if (it == rule.end()) return absl::OkStatus();
  const std::string where = StrCat(path, ".", key);
  if (it->is_array()) {
    if (it->size() != 2) return Bad(where, StrCat("expected [low, high], got ", Shown(*it)));
    if (auto s = ReadScore((*it)[0], where, &out->lo); !s.ok()) return s;
    if (auto s = ReadScore((*it)[1], where, &out->hi); !s.ok()) return s;
    if (out->lo > out->hi) {
      return Bad(where, StrCat("low ", int{out->lo}, " is above high ", int{out->hi}));
    }
    return absl::OkStatus();
  }
  if (auto s = ReadScore(*it, where, &out->lo); !s.ok()) return s;
  out->hi = out->lo;
  return absl::OkStatus();
}

Json RangeToJson(const ScoreRange& r) {
  if (r.lo == r.hi) return r.lo;
  return Json::array({r.lo, r.hi});
}

SegmentRule Rule(std::string name, ScoreRange r, ScoreRange fm) {
  SegmentRule rule;
  rule.name = std::move(name);
  rule.r = r;
  rule.fm = fm;
  return rule;
}

}  // namespace

SegmentMap SegmentMap::Default() {
  // The classic R x F map of the RFM literature, read on R x FM, with
  // `lost` carved out of hibernating's worst cell. It is a partition of the
  // 25 cells: CheckSegmentMap finds nothing (a test proves it).
  SegmentMap map;
  map.rules = {
      Rule("champions", {5, 5}, {4, 5}),
      Rule("loyal", {3, 4}, {4, 5}),
      Rule("potential_loyalist", {4, 5}, {2, 3}),
      Rule("new", {5, 5}, {1, 1}),
      Rule("promising", {4, 4}, {1, 1}),
      Rule("need_attention", {3, 3}, {3, 3}),
      Rule("about_to_sleep", {3, 3}, {1, 2}),
      Rule("cant_lose", {1, 2}, {5, 5}),
      Rule("at_risk", {1, 2}, {3, 4}),
      Rule("lost", {1, 1}, {1, 1}),
      Rule("hibernating", {1, 2}, {1, 2}),
  };
  return map;
}

absl::StatusOr<SegmentMap> SegmentMap::FromJson(std::string_view json, std::string_view source) {
  Json doc;
  try {
    doc = Json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/true,
                      /*ignore_comments=*/true);
  } catch (const Json::exception& e) {  // parse_error, and out_of_range for a number overflow
    return absl::InvalidArgumentError(StrCat(source, ": not valid JSON: ", e.what()));
  }
  auto located = [source](const absl::Status& s) {
    return absl::InvalidArgumentError(StrCat(source, ": ", s.message()));
  };
  if (!doc.is_object()) return located(Bad("map", StrCat("expected an object, got ", Shown(doc))));
  for (const auto& [key, value] : doc.items()) {
    if (key != "version" && key != "fallback" && key != "segments") {
      return located(Bad(key, "unknown key (expected one of: version, fallback, segments)"));
    }
  }
  if (const auto it = doc.find("version"); it != doc.end()) {
    if (!it->is_number_integer() || it->get<std::int64_t>() != 1) {
      return located(Bad("version", StrCat("unsupported map version ", Shown(*it), " (this library reads 1)")));
    }
  }
  SegmentMap map;
  if (const auto it = doc.find("fallback"); it != doc.end()) {
    if (!it->is_string()) return located(Bad("fallback", StrCat("expected a name, got ", Shown(*it))));
    map.fallback = it->get<std::string>();
  }
  const auto segments = doc.find("segments");
  if (segments == doc.end()) return located(Bad("segments", "missing (the ordered list of rules)"));
  if (!segments->is_array()) {
    return located(Bad("segments", StrCat("expected a list of rules, got ", Shown(*segments))));
  }
  for (size_t i = 0; i < segments->size(); ++i) {
    const Json& item = (*segments)[i];
    const std::string path = StrCat("segments[", i, "]");
    if (!item.is_object()) return located(Bad(path, StrCat("expected an object, got ", Shown(item))));
    for (const auto& [key, value] : item.items()) {
      if (key != "name" && key != "r" && key != "f" && key != "m" && key != "fm") {
        return located(Bad(StrCat(path, ".", key), "unknown key (expected one of: name, r, f, m, fm)"));
      }
    }
    SegmentRule rule;
    const auto name = item.find("name");
    if (name == item.end() || !name->is_string()) {
      return located(Bad(StrCat(path, ".name"), "missing or not a string"));
    }
    rule.name = name->get<std::string>();
    for (auto [key, range] : {std::pair{"r", &rule.r}, std::pair{"f", &rule.f},
                              std::pair{"m", &rule.m}, std::pair{"fm", &rule.fm}}) {
      if (auto s = ReadRange(item, path, key, range); !s.ok()) return located(s);
    }
    map.rules.push_back(std::move(rule));
  }
  if (auto s = map.Validate(); !s.ok()) return located(s);
  return map;
}

absl::StatusOr<SegmentMap> SegmentMap::FromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat(path, ": cannot open the segment map file"));
  std::ostringstream text;
  text << in.rdbuf();
  std::string json = text.str();
  if (json.rfind("\xEF\xBB\xBF", 0) == 0) json.erase(0, 3);
  return FromJson(json, path);
}

absl::Status SegmentMap::Validate() const {
  if (rules.empty()) return Bad("segments", "the map has no rule");
  // Segment indices are 16-bit in the assignment.
  if (rules.size() > 1000) return Bad("segments", StrCat(rules.size(), " rules; at most 1000"));
  if (fallback.empty()) return Bad("fallback", "must not be empty");
  for (size_t i = 0; i < rules.size(); ++i) {
    const SegmentRule& rule = rules[i];
    const std::string path = StrCat("segments[", i, "]");
    if (rule.name.empty()) return Bad(StrCat(path, ".name"), "must not be empty");
    for (auto [key, range] : {std::pair{"r", &rule.r}, std::pair{"f", &rule.f},
                              std::pair{"m", &rule.m}, std::pair{"fm", &rule.fm}}) {
      if (range->lo < 1 || range->hi > kRfmLevels || range->lo > range->hi) {
        return Bad(StrCat(path, ".", key), StrCat("invalid range [", int{range->lo}, ", ", int{range->hi}, "]"));
      }
    }
  }
  return absl::OkStatus();
}

std::string SegmentMap::ToJson() const {
  Json list = Json::array();
  for (const SegmentRule& rule : rules) {
    Json item{{"name", rule.name}};
    if (!rule.r.Any()) item["r"] = RangeToJson(rule.r);
    if (!rule.f.Any()) item["f"] = RangeToJson(rule.f);
    if (!rule.m.Any()) item["m"] = RangeToJson(rule.m);
    if (!rule.fm.Any()) item["fm"] = RangeToJson(rule.fm);
    list.push_back(std::move(item));
  }
  Json doc{{"version", 1}, {"fallback", fallback}, {"segments", std::move(list)}};
  return doc.dump(2);
}

bool SegmentMap::UsesFandM() const {
  for (const SegmentRule& rule : rules) {
    if (!rule.f.Any() || !rule.m.Any()) return true;
  }
  return false;
}

std::vector<std::string> SegmentMap::Names() const {
  std::vector<std::string> names;
  auto add = [&names](const std::string& name) {
    for (const auto& n : names) {
      if (n == name) return;
    }
    names.push_back(name);
  };
  for (const SegmentRule& rule : rules) add(rule.name);
  // The fallback only when some scores reach it.
  bool uncovered = false;
  for (int r = 1; r <= kRfmLevels && !uncovered; ++r) {
    for (int f = 1; f <= kRfmLevels && !uncovered; ++f) {
      for (int m = 1; m <= kRfmLevels && !uncovered; ++m) {
        bool hit = false;
        for (const SegmentRule& rule : rules) hit = hit || rule.Matches(r, f, m);
        uncovered = !hit;
      }
    }
  }
  if (uncovered) add(fallback);
  return names;
}

SegmentMapCheck CheckSegmentMap(const SegmentMap& map) {
  SegmentMapCheck check;
  check.r_f_m_grid = map.UsesFandM();
  // Every cell of the grid as representative (r, f, m) triples: on the
  // R x FM grid, a cell (r, fm) is the triples with that FM, and rules that
  // read only r and fm treat them alike.
  struct Cell {
    std::array<std::uint8_t, 3> name;
    std::vector<std::array<int, 3>> triples;
  };
  std::vector<Cell> cells;
  for (int r = 1; r <= kRfmLevels; ++r) {
    if (check.r_f_m_grid) {
      for (int f = 1; f <= kRfmLevels; ++f) {
        for (int m = 1; m <= kRfmLevels; ++m) {
          cells.push_back({{static_cast<std::uint8_t>(r), static_cast<std::uint8_t>(f), static_cast<std::uint8_t>(m)},
                           {{r, f, m}}});
        }
      }
    } else {
      for (int fm = 1; fm <= kRfmLevels; ++fm) {
        Cell cell{{static_cast<std::uint8_t>(r), static_cast<std::uint8_t>(fm), 0}, {}};
        for (int f = 1; f <= kRfmLevels; ++f) {
          for (int m = 1; m <= kRfmLevels; ++m) {
            if ((f + m + 1) / 2 == fm) cell.triples.push_back({r, f, m});
          }
        }
        cells.push_back(std::move(cell));
      }
    }
  }
  // owner[c]: the first rule matching any triple of cell c (-1 none). A
  // rule is shadowed when none of its triples reaches it first.
  std::vector<bool> reaches(map.rules.size(), false);
  std::vector<std::vector<bool>> takes_from(map.rules.size(), std::vector<bool>(map.rules.size(), false));
  for (const Cell& cell : cells) {
    bool covered = false;
    for (const auto& [r, f, m] : cell.triples) {
      int first = -1;
      for (size_t i = 0; i < map.rules.size(); ++i) {
        if (!map.rules[i].Matches(r, f, m)) continue;
        if (first < 0) {
          first = static_cast<int>(i);
          reaches[i] = true;
        } else {
          takes_from[i][static_cast<size_t>(first)] = true;
        }
      }
      covered = covered || first >= 0;
    }
    if (!covered) check.uncovered.push_back(cell.name);
  }
  for (size_t i = 0; i < map.rules.size(); ++i) {
    if (reaches[i]) continue;
    SegmentMapCheck::Shadowed s{i, {}};
    for (size_t j = 0; j < i; ++j) {
      if (takes_from[i][j]) s.covered_by.push_back(j);
    }
    check.shadowed.push_back(std::move(s));
  }
  return check;
}

std::string SegmentMapCheck::Describe(const SegmentMap& map) const {
  std::string out;
  for (const Shadowed& s : shadowed) {
    StrAppend(&out, "rule ", s.rule + 1, " '", map.rules[s.rule].name, "' can never match: ");
    if (s.covered_by.empty()) {
      StrAppend(&out, "no scores satisfy all its ranges\n");
      continue;
    }
    StrAppend(&out, s.covered_by.size() == 1 ? "rule " : "rules ");
    for (size_t k = 0; k < s.covered_by.size(); ++k) {
      StrAppend(&out, k ? ", " : "", s.covered_by[k] + 1, " '", map.rules[s.covered_by[k]].name, "'");
    }
    StrAppend(&out, s.covered_by.size() == 1 ? " takes" : " take", " all its cells first\n");
  }
  if (!uncovered.empty()) {
    StrAppend(&out, uncovered.size(), uncovered.size() == 1 ? " cell" : " cells",
              " no rule covers (their customers are '", map.fallback, "'):");
    for (const auto& c : uncovered) {
      if (r_f_m_grid) {
        StrAppend(&out, " r", int{c[0]}, "f", int{c[1]}, "m", int{c[2]});
      } else {
        StrAppend(&out, " r", int{c[0]}, "fm", int{c[1]});
      }
    }
    StrAppend(&out, "\n");
  }
  return out;
}

absl::StatusOr<SegmentAssignment> AssignSegments(const RfmTable& rfm, const SegmentMap& map) {
  if (auto s = map.Validate(); !s.ok()) return s;
  SegmentAssignment out;
  out.names = map.Names();
  auto index_of = [&out](const std::string& name) {
    for (size_t k = 0; k < out.names.size(); ++k) {
      if (out.names[k] == name) return static_cast<std::uint16_t>(k);
    }
    return std::uint16_t{0};
  };
  // 125 cells, looked up by score digits: one load a customer.
  std::array<std::uint16_t, 125> cell{};
  const std::uint16_t fallback = index_of(map.fallback);
  for (int r = 1; r <= kRfmLevels; ++r) {
    for (int f = 1; f <= kRfmLevels; ++f) {
      for (int m = 1; m <= kRfmLevels; ++m) {
        std::uint16_t seg = fallback;
        for (const SegmentRule& rule : map.rules) {
          if (rule.Matches(r, f, m)) {
            seg = index_of(rule.name);
            break;
          }
        }
        cell[(r - 1) * 25 + (f - 1) * 5 + (m - 1)] = seg;
      }
    }
  }
  const size_t n = rfm.size();
  out.segment.resize(n);
  out.counts.assign(out.names.size(), 0);
  for (size_t i = 0; i < n; ++i) {
    const std::uint16_t seg = cell[(rfm.r[i] - 1) * 25 + (rfm.f[i] - 1) * 5 + (rfm.m[i] - 1)];
    out.segment[i] = seg;
    ++out.counts[seg];
  }
  return out;
}

}  // namespace carteira
