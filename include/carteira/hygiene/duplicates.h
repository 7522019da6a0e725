// Duplicate customers: candidate pairs by blocking, never all pairs.
//
// A pair is a candidate when the two customers share a block key: the same
// valid CPF/CNPJ, the same valid e-mail (case-insensitive), the same valid
// phone (E.164), or the same folded name in the same folded city. Each
// candidate is scored (see DuplicateOptions); pairs at or above the
// threshold are linked, and linked customers form clusters (union-find).
// Output order depends only on the input order: clusters by their first
// member, members and links by customer index.
#ifndef CARTEIRA_HYGIENE_DUPLICATES_H_
#define CARTEIRA_HYGIENE_DUPLICATES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "carteira/portfolio/portfolio.h"

namespace carteira::hygiene {

class PhoneChecker;

// Bit set of the block keys two customers share.
enum MatchReason : std::uint8_t {
  kSameDocument = 1,
  kSameEmail = 2,
  kSamePhone = 4,
  kSameNameAndCity = 8,
};
// "document", "email", "phone", "name_city" for the bits set, in that order.
std::vector<std::string_view> MatchReasonNames(std::uint8_t reasons);

// The normalised values blocking compares, one entry per customer; an empty
// string means "no usable value" (missing or invalid) and never matches.
struct MatchKeys {
  std::vector<std::string> document;  // canonical valid CPF/CNPJ
  std::vector<std::string> email;     // valid address, lower-cased
  std::vector<std::string> phone;     // valid E.164
  std::vector<std::string> name;      // FoldKey(name)
  std::vector<std::string> city;      // FoldKey(city)
  size_t size() const { return name.size(); }
};

MatchKeys BuildMatchKeys(const Portfolio& portfolio, const PhoneChecker& phones);

struct DuplicateOptions {
  // Evidence of each shared key, combined as independent evidence
  // (1 - product of (1 - e)) with the names' own evidence:
  // name_weight * max(0, (JW - name_floor) / (1 - name_floor)), JW the
  // Jaro-Winkler similarity of the folded names. With the defaults a shared
  // document alone links (0.9); a shared e-mail (0.7) or phone (0.5) links
  // only with alike names; the same name in the same city links (0.8).
  double document_weight = 0.9;
  double email_weight = 0.7;
  double phone_weight = 0.5;
  double name_weight = 0.8;
  double name_floor = 0.7;
  double link_threshold = 0.75;
  // A key shared by more customers than this ("sem@email.com", a
  // switchboard number) is no evidence of identity; its block yields no
  // pairs and is reported in DuplicateReport::crowded_keys instead.
  size_t max_block = 50;
};

struct CandidatePair {
  CustomerIndex a = 0, b = 0;  // a < b
  std::uint8_t reasons = 0;
  double name_similarity = 0;  // Jaro-Winkler of the folded names
  double score = 0;
  bool linked = false;         // score >= threshold
};

struct DuplicateCluster {
  std::vector<CustomerIndex> members;  // ascending
  std::vector<CandidatePair> links;    // the linked pairs inside the cluster
  std::uint8_t reasons = 0;            // union over the links
  double score = 0;                    // the weakest link's score
};

struct CrowdedKey {
  MatchReason reason;
  std::string key;
  size_t customers = 0;
};

struct DuplicateReport {
  std::vector<DuplicateCluster> clusters;
  size_t candidate_pairs = 0;  // scored pairs, linked or not
  std::vector<CrowdedKey> crowded_keys;
};

DuplicateReport FindDuplicates(const MatchKeys& keys, const DuplicateOptions& options = {});

}  // namespace carteira::hygiene

#endif  // CARTEIRA_HYGIENE_DUPLICATES_H_
