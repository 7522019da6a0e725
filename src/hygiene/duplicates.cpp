#include "carteira/hygiene/duplicates.h"

#include <algorithm>
#include <numeric>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/ascii.h"
#include "carteira/core/strings.h"
#include "carteira/hygiene/email.h"
#include "carteira/hygiene/phone.h"
#include "carteira/hygiene/similarity.h"
#include "carteira/hygiene/tax_id.h"
#include "carteira/hygiene/text.h"

namespace carteira::hygiene {
namespace {

struct PairReason {
  std::uint64_t pair;  // a << 32 | b, a < b
  std::uint8_t reason;
};

// Adds a PairReason for every two customers whose key is equal, block by
// block, skipping (and reporting) blocks larger than max_block.
void Block(const std::vector<std::string>& keys, MatchReason reason, size_t max_block,
           std::vector<PairReason>& pairs, std::vector<CrowdedKey>& crowded) {
  std::vector<std::pair<std::uint64_t, CustomerIndex>> entries;
  entries.reserve(keys.size());
  const absl::Hash<absl::string_view> hash;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!keys[i].empty()) entries.emplace_back(hash(keys[i]), static_cast<CustomerIndex>(i));
  }
  // Sorting hashes, not strings: one cache-friendly pass; equal hashes are
  // then split by the keys themselves, so a collision cannot make a pair.
  std::sort(entries.begin(), entries.end());
  std::vector<CustomerIndex> run;
  for (size_t from = 0; from < entries.size();) {
    size_t to = from + 1;
    while (to < entries.size() && entries[to].first == entries[from].first) ++to;
    if (to - from > 1) {
      run.clear();
      for (size_t k = from; k < to; ++k) run.push_back(entries[k].second);
      std::stable_sort(run.begin(), run.end(),
                       [&](CustomerIndex x, CustomerIndex y) { return keys[x] < keys[y]; });
      for (size_t s = 0; s < run.size();) {
        size_t e = s + 1;
        while (e < run.size() && keys[run[e]] == keys[run[s]]) ++e;
        if (e - s > max_block) {
          crowded.push_back(CrowdedKey{reason, keys[run[s]], e - s});
        } else {
          for (size_t x = s; x < e; ++x) {
            for (size_t y = x + 1; y < e; ++y) {
              const CustomerIndex a = std::min(run[x], run[y]);
              const CustomerIndex b = std::max(run[x], run[y]);
              pairs.push_back(PairReason{(std::uint64_t{a} << 32) | b, reason});
            }
          }
        }
        s = e;
      }
    }
    from = to;
  }
}

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  CustomerIndex Find(CustomerIndex x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  // The smaller index becomes the root, so roots do not depend on the
  // order links arrive in.
  void Join(CustomerIndex a, CustomerIndex b) {
    a = Find(a);
    b = Find(b);
    if (a == b) return;
    if (b < a) std::swap(a, b);
    parent_[b] = a;
  }

 private:
  std::vector<CustomerIndex> parent_;
};

double Score(std::uint8_t reasons, double name_similarity, bool has_names,
             const DuplicateOptions& o) {
  double none = 1.0;  // probability-like "no evidence of identity"
  if (reasons & kSameDocument) none *= 1.0 - o.document_weight;
  if (reasons & kSameEmail) none *= 1.0 - o.email_weight;
  if (reasons & kSamePhone) none *= 1.0 - o.phone_weight;
  if (has_names && name_similarity > o.name_floor) {
    none *= 1.0 - o.name_weight * (name_similarity - o.name_floor) / (1.0 - o.name_floor);
  }
  return 1.0 - none;
}

}  // namespace

std::vector<std::string_view> MatchReasonNames(std::uint8_t reasons) {
  std::vector<std::string_view> names;
  if (reasons & kSameDocument) names.push_back("document");
  if (reasons & kSameEmail) names.push_back("email");
  if (reasons & kSamePhone) names.push_back("phone");
  if (reasons & kSameNameAndCity) names.push_back("name_city");
  return names;
}

MatchKeys BuildMatchKeys(const Portfolio& portfolio, const PhoneChecker& phones) {
  const CustomerTable& c = portfolio.customers();
  const size_t n = c.size();
  MatchKeys k;
  k.document.resize(n);
  k.email.resize(n);
  k.phone.resize(n);
  k.name.resize(n);
  k.city.resize(n);
  // Few distinct cities: fold each once.
  absl::flat_hash_map<std::string, std::string> folded_cities;
  for (size_t i = 0; i < n; ++i) {
    if (const std::string_view d = c.document[i]; !d.empty()) {
      if (TaxIdResult r = CheckTaxId(d); r.valid()) k.document[i] = std::move(r.canonical);
    }
    if (const std::string_view e = c.email[i]; !e.empty()) {
      if (EmailResult r = CheckEmail(e); r.valid()) {
        k.email[i] = absl::AsciiStrToLower(AsAbsl(r.normalized));
      }
    }
    if (const std::string_view p = c.phone[i]; !p.empty()) {
      if (PhoneResult r = phones.Check(p); r.valid()) k.phone[i] = std::move(r.e164);
    }
    k.name[i] = FoldKey(c.name[i]);
    if (const std::string_view city = c.city[i]; !city.empty()) {
      auto it = folded_cities.find(AsAbsl(city));
      if (it == folded_cities.end()) it = folded_cities.try_emplace(std::string(city), FoldKey(city)).first;
      k.city[i] = it->second;
    }
  }
  return k;
}

DuplicateReport FindDuplicates(const MatchKeys& keys, const DuplicateOptions& options) {
  const size_t n = keys.size();
  DuplicateReport report;
  std::vector<PairReason> pairs;
  Block(keys.document, kSameDocument, options.max_block, pairs, report.crowded_keys);
  Block(keys.email, kSameEmail, options.max_block, pairs, report.crowded_keys);
  Block(keys.phone, kSamePhone, options.max_block, pairs, report.crowded_keys);
  {
    std::vector<std::string> name_city(n);
    for (size_t i = 0; i < n; ++i) {
      if (!keys.name[i].empty() && !keys.city[i].empty()) {
        name_city[i] = StrCat(keys.name[i], "\x1f", keys.city[i]);
      }
    }
    Block(name_city, kSameNameAndCity, options.max_block, pairs, report.crowded_keys);
  }
  std::sort(report.crowded_keys.begin(), report.crowded_keys.end(),
            [](const CrowdedKey& x, const CrowdedKey& y) {
              return std::tie(x.reason, x.key) < std::tie(y.reason, y.key);
            });
  std::sort(pairs.begin(), pairs.end(),
            [](const PairReason& x, const PairReason& y) { return x.pair < y.pair; });

  std::vector<CandidatePair> scored;
  UnionFind sets(n);
  for (size_t from = 0; from < pairs.size();) {
    CandidatePair p;
    p.a = static_cast<CustomerIndex>(pairs[from].pair >> 32);
    p.b = static_cast<CustomerIndex>(pairs[from].pair & 0xFFFFFFFFu);
    size_t to = from;
    while (to < pairs.size() && pairs[to].pair == pairs[from].pair) p.reasons |= pairs[to++].reason;
    const bool has_names = !keys.name[p.a].empty() && !keys.name[p.b].empty();
    p.name_similarity = has_names ? JaroWinkler(keys.name[p.a], keys.name[p.b]) : 0.0;
    p.score = Score(p.reasons, p.name_similarity, has_names, options);
    p.linked = p.score >= options.link_threshold;
    if (p.linked) {
      sets.Join(p.a, p.b);
      scored.push_back(p);
    }
    ++report.candidate_pairs;
    from = to;
  }

  // Clusters in order of their first member (the union-find root is the
  // smallest index); links go to their cluster in pair order.
  absl::flat_hash_map<CustomerIndex, size_t> cluster_of_root;
  for (const CandidatePair& p : scored) {
    const CustomerIndex root = sets.Find(p.a);
    cluster_of_root.try_emplace(root, 0);
  }
  std::vector<CustomerIndex> roots;
  roots.reserve(cluster_of_root.size());
  for (const auto& [root, unused] : cluster_of_root) roots.push_back(root);
  std::sort(roots.begin(), roots.end());
  report.clusters.resize(roots.size());
  for (size_t i = 0; i < roots.size(); ++i) cluster_of_root[roots[i]] = i;
  for (const CandidatePair& p : scored) {
    DuplicateCluster& cluster = report.clusters[cluster_of_root[sets.Find(p.a)]];
    if (cluster.links.empty()) cluster.score = p.score;
    cluster.links.push_back(p);
    cluster.reasons |= p.reasons;
    cluster.score = std::min(cluster.score, p.score);
    cluster.members.push_back(p.a);
    cluster.members.push_back(p.b);
  }
  for (DuplicateCluster& cluster : report.clusters) {
    std::sort(cluster.members.begin(), cluster.members.end());
    cluster.members.erase(std::unique(cluster.members.begin(), cluster.members.end()),
                          cluster.members.end());
  }
  return report;
}

}  // namespace carteira::hygiene
