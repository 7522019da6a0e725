#include "carteira/actions/loyalty.h"

#include <algorithm>
#include <numeric>

#include "absl/container/inlined_vector.h"

#include "carteira/core/strings.h"

namespace carteira {
namespace {

constexpr std::string_view kKindNames[] = {"earn", "redeem", "expire", "adjust", "reverse"};

DayNumber AddMonths(DayNumber day, std::int32_t months) {
  return ToDayNumber(ToDate(day) + boost::gregorian::months(months));
}

template <typename Entry>  // LedgerEntry, or the ledger's Step
bool IsLot(const Entry& e) {
  return e.kind == LedgerKind::kEarn || (e.kind == LedgerKind::kAdjust && e.points > 0) ||
         (e.kind == LedgerKind::kReverse && e.points > 0);
}

// A customer's lots while replaying: a few dozen at most in practice, so
// on the stack (Balance for every customer would otherwise allocate and
// free twice per customer).
using LotBuffer = absl::InlinedVector<PointsLot, 16>;

// Takes `points` from the lots usable on `day`, closest to expiry first.
template <typename Lots>
void Consume(Lots& lots, DayNumber day, std::int64_t points) {
  for (PointsLot& lot : lots) {  // kept in expiry order
    if (points == 0) break;
    if (lot.expires <= day || lot.remaining == 0) continue;
    const std::int64_t take = std::min(points, lot.remaining);
    lot.remaining -= take;
    points -= take;
  }
}

template <typename Lots>
void InsertLot(Lots& lots, PointsLot lot) {
  auto before = [](const PointsLot& a, const PointsLot& b) {
    if (a.expires != b.expires) return a.expires < b.expires;
    return a.entry < b.entry;
  };
  // Lots are earned in date order and expire in that order too, so the new
  // one nearly always goes last: no search, no shifting.
  if (lots.empty() || !before(lot, lots.back())) {
    lots.push_back(lot);
    return;
  }
  lots.insert(std::upper_bound(lots.begin(), lots.end(), lot, before), lot);
}

// Replays a customer's entries (its steps, in order) up to `day`: the lots
// left, expired ones included, in expiry order.
template <typename Steps, typename Lots>
void ReplayLots(const Steps& steps, DayNumber day, Lots& lots) {
  for (const auto& e : steps) {
    if (e.day > day) break;
    if (IsLot(e)) {
      InsertLot(lots, PointsLot{std::uint64_t{e.pos} + 1, e.day, e.expires, e.points});
      continue;
    }
    switch (e.kind) {
      case LedgerKind::kRedeem:
      case LedgerKind::kAdjust:
        Consume(lots, e.day, -e.points);
        break;
      case LedgerKind::kExpire:
      case LedgerKind::kReverse:  // of a lot: take it from that lot
        for (PointsLot& lot : lots) {
          if (lot.entry == e.reverses) lot.remaining += e.points;
        }
        break;
      case LedgerKind::kEarn:
        break;
    }
  }
}

// The points of the lots usable on `day` that expire on or before `last`.
std::int64_t UsablePoints(const LotBuffer& lots, DayNumber day, std::int64_t last) {
  std::int64_t sum = 0;
  for (const PointsLot& lot : lots) {
    if (lot.expires > day && lot.remaining > 0 && lot.expires <= last) sum += lot.remaining;
  }
  return sum;
}

}  // namespace

std::string_view LedgerKindName(LedgerKind kind) { return kKindNames[static_cast<int>(kind)]; }

absl::Status LoyaltyRules::Validate() const {
  if (points_per_unit < 0) return absl::InvalidArgumentError("loyalty: points_per_unit must be >= 0");
  if (unit <= 0) return absl::InvalidArgumentError("loyalty: unit must be > 0 (minor units)");
  if (expiry_months < 1) return absl::InvalidArgumentError("loyalty: expiry_months must be >= 1");
  for (const auto& [segment, percent] : segment_multiplier_percent) {
    if (percent < 0) return absl::InvalidArgumentError(StrCat("loyalty: segment ", segment, ": multiplier < 0"));
  }
  for (size_t i = 0; i < tiers.size(); ++i) {
    if (tiers[i].multiplier_percent < 0) {
      return absl::InvalidArgumentError(StrCat("loyalty: tier ", tiers[i].name, ": multiplier < 0"));
    }
    if (i > 0 && tiers[i].min_spend <= tiers[i - 1].min_spend) {
      return absl::InvalidArgumentError(StrCat("loyalty: tier ", tiers[i].name,
                                               ": thresholds must ascend (", tiers[i - 1].name, " has ",
                                               FormatMoney(tiers[i - 1].min_spend), ")"));
    }
  }
  for (const LoyaltyCampaign& c : campaigns) {
    if (c.from == kNoDay || c.to == kNoDay || c.to < c.from) {
      return absl::InvalidArgumentError(StrCat("loyalty: campaign ", c.name, ": needs from <= to"));
    }
    if (c.multiplier_percent < 0) {
      return absl::InvalidArgumentError(StrCat("loyalty: campaign ", c.name, ": multiplier < 0"));
    }
  }
  return absl::OkStatus();
}

LoyaltyLedger::LoyaltyLedger(const Portfolio& portfolio, LoyaltyRules rules)
    : portfolio_(&portfolio), rules_(std::move(rules)), by_customer_(portfolio.customers().size()),
      purchases_(portfolio.customers().size()) {
  const TransactionTable& tx = portfolio.transactions();
  for (size_t i = 0; i < tx.size(); ++i) purchases_[tx.customer[i]].push_back({tx.date[i], tx.amount[i]});
  for (auto& list : purchases_) std::sort(list.begin(), list.end());
}

absl::StatusOr<LoyaltyLedger> LoyaltyLedger::Create(const Portfolio& portfolio, LoyaltyRules rules) {
  if (auto s = rules.Validate(); !s.ok()) return s;
  return LoyaltyLedger(portfolio, std::move(rules));
}

absl::StatusOr<LoyaltyLedger> LoyaltyLedger::Restore(const Portfolio& portfolio, LoyaltyRules rules,
                                                     std::vector<LedgerEntry> entries, DayNumber earned_until) {
  if (auto s = rules.Validate(); !s.ok()) return s;
  LoyaltyLedger ledger(portfolio, std::move(rules));
  const size_t customers = portfolio.customers().size();
  for (size_t i = 0; i < entries.size(); ++i) {
    LedgerEntry& e = entries[i];
    auto bad = [&](std::string_view why) {
      return absl::DataLossError(StrCat("loyalty ledger: entry ", i + 1, ": ", why));
    };
    if (e.id != i + 1) return bad(StrCat("its id is ", e.id, " (entries are numbered 1, 2, ... in order)"));
    if (e.customer >= customers) return bad(StrCat("customer index ", e.customer, " is not in the portfolio"));
    if (e.day == kNoDay) return bad("it has no day");
    const auto& mine = ledger.by_customer_[e.customer];
    if (!mine.empty() && mine.back().day > e.day) {
      return bad(StrCat("dated ", FormatDate(e.day), ", before the customer's entry of ",
                        FormatDate(mine.back().day)));
    }
    if (e.kind == LedgerKind::kReverse || e.kind == LedgerKind::kExpire) {
      if (e.reverses == 0 || e.reverses > i || ledger.entries_[e.reverses - 1].customer != e.customer) {
        return bad(StrCat("it names entry ", e.reverses, ", which is not an earlier entry of the same customer"));
      }
    }
    ledger.Append(std::move(e));
  }
  ledger.earned_until_ = earned_until;
  return ledger;
}

absl::Status LoyaltyLedger::CheckAppend(CustomerIndex customer, DayNumber day) const {
  if (customer >= by_customer_.size()) {
    return absl::OutOfRangeError(StrCat("loyalty: customer index ", customer, " is not in the portfolio"));
  }
  if (day == kNoDay) return absl::InvalidArgumentError("loyalty: the entry needs a day");
  const auto& mine = by_customer_[customer];
  if (!mine.empty() && mine.back().day > day) {
    return absl::FailedPreconditionError(
        StrCat("loyalty: customer ", portfolio_->customers().id[customer], ": an entry on ", FormatDate(day),
               " would come before its entry of ", FormatDate(mine.back().day),
               " (entries are dated in order; date a correction today)"));
  }
  return absl::OkStatus();
}

std::uint64_t LoyaltyLedger::Append(LedgerEntry entry) {
  entry.id = entries_.size() + 1;
  by_customer_[entry.customer].push_back(Step{entry.points, static_cast<std::uint32_t>(entries_.size()), entry.day,
                                              entry.expires, static_cast<std::uint32_t>(entry.reverses), entry.kind});
  entries_.push_back(std::move(entry));
  return entries_.back().id;
}

std::vector<PointsLot> LoyaltyLedger::Replay(CustomerIndex customer, DayNumber day) const {
  std::vector<PointsLot> lots;
  ReplayLots(by_customer_[customer], day, lots);
  return lots;
}

std::int64_t LoyaltyLedger::Balance(CustomerIndex customer, DayNumber day) const {
  if (customer >= by_customer_.size()) return 0;
  LotBuffer lots;
  ReplayLots(by_customer_[customer], day, lots);
  return UsablePoints(lots, day, INT64_MAX);
}

std::vector<PointsLot> LoyaltyLedger::Lots(CustomerIndex customer, DayNumber day) const {
  if (customer >= by_customer_.size()) return {};
  std::vector<PointsLot> out;
  for (const PointsLot& lot : Replay(customer, day)) {
    if (lot.expires > day && lot.remaining > 0) out.push_back(lot);
  }
  return out;
}

std::int64_t LoyaltyLedger::ExpiringWithin(CustomerIndex customer, DayNumber day, std::int32_t days) const {
  if (customer >= by_customer_.size()) return 0;
  LotBuffer lots;
  ReplayLots(by_customer_[customer], day, lots);
  return UsablePoints(lots, day, static_cast<std::int64_t>(day) + days);
}

MinorUnits LoyaltyLedger::SpendBefore(CustomerIndex customer, DayNumber first, DayNumber last) const {
  MinorUnits sum = 0;
  for (const auto& [d, amount] : purchases_[customer]) {
    if (d > last) break;
    if (d >= first) sum += amount;
  }
  return sum;
}

std::int32_t LoyaltyLedger::TierOn(CustomerIndex customer, DayNumber day) const {
  const MinorUnits spend = SpendBefore(customer, day - 365, day - 1);
  std::int32_t tier = -1;
  for (size_t i = 0; i < rules_.tiers.size(); ++i) {
    if (spend >= rules_.tiers[i].min_spend) tier = static_cast<std::int32_t>(i);
  }
  return tier;
}

TierStanding LoyaltyLedger::Tier(CustomerIndex customer, DayNumber day) const {
  TierStanding t;
  if (customer >= purchases_.size()) return t;
  t.spend = SpendBefore(customer, day - 364, day);
  for (size_t i = 0; i < rules_.tiers.size(); ++i) {
    if (t.spend >= rules_.tiers[i].min_spend) t.tier = static_cast<std::int32_t>(i);
  }
  if (t.tier + 1 < static_cast<std::int32_t>(rules_.tiers.size())) {
    t.next = t.tier + 1;
    t.to_next = rules_.tiers[t.next].min_spend - t.spend;
  }
  return t;
}

std::vector<LedgerEntry> LoyaltyLedger::History(CustomerIndex customer, DayNumber day) const {
  std::vector<LedgerEntry> out;
  if (customer >= by_customer_.size()) return out;
  for (const Step& step : by_customer_[customer]) {
    if (step.day > day) break;
    out.push_back(entries_[step.pos]);
  }
  return out;
}

absl::StatusOr<size_t> LoyaltyLedger::EarnFromTransactions(DayNumber up_to) {
  if (earned_until_ != kNoDay && up_to < earned_until_) {
    return absl::FailedPreconditionError(StrCat("loyalty: already earned up to ", FormatDate(earned_until_)));
  }
  const TransactionTable& tx = portfolio_->transactions();
  const CustomerTable& customers = portfolio_->customers();
  std::vector<std::uint32_t> rows;
  for (size_t i = 0; i < tx.size(); ++i) {
    if (tx.date[i] <= up_to && (earned_until_ == kNoDay || tx.date[i] > earned_until_)) {
      rows.push_back(static_cast<std::uint32_t>(i));
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [&](std::uint32_t a, std::uint32_t b) { return tx.date[a] < tx.date[b]; });
  // All or nothing: no customer may have an entry dated after its purchases.
  for (std::uint32_t i : rows) {
    if (auto s = CheckAppend(tx.customer[i], tx.date[i]); !s.ok()) return s;
  }
  size_t appended = 0;
  for (std::uint32_t i : rows) {
    const CustomerIndex c = tx.customer[i];
    const DayNumber day = tx.date[i];
    const std::string order(tx.order_id[i]);
    if (tx.amount[i] < 0) {
      // A return: its amount's points at the base rate, up to the balance.
      const std::int64_t back = static_cast<std::int64_t>(static_cast<__int128>(-tx.amount[i]) *
                                                          rules_.points_per_unit / rules_.unit);
      const std::int64_t take = std::min(back, Balance(c, day));
      if (take <= 0) continue;
      LedgerEntry e;
      e.customer = c;
      e.day = day;
      e.kind = LedgerKind::kAdjust;
      e.points = -take;
      e.reference = order;
      e.note = StrCat("return of ", FormatMoney(-tx.amount[i]),
                      take < back ? StrCat(" (", back, " points, ", take, " left to take)") : std::string());
      Append(std::move(e));
      ++appended;
      continue;
    }
    __int128 points = static_cast<__int128>(tx.amount[i]) * rules_.points_per_unit;
    __int128 divisor = rules_.unit;
    std::vector<std::string> why;
    for (const auto& [segment, percent] : rules_.segment_multiplier_percent) {
      if (customers.segment[c] == segment) {
        points *= percent;
        divisor *= 100;
        why.push_back(StrCat("segment ", segment, " ", percent, "%"));
      }
    }
    const std::int32_t tier = TierOn(c, day);
    if (tier >= 0) {
      points *= rules_.tiers[tier].multiplier_percent;
      divisor *= 100;
      why.push_back(StrCat("tier ", rules_.tiers[tier].name, " ", rules_.tiers[tier].multiplier_percent, "%"));
    }
    for (const LoyaltyCampaign& k : rules_.campaigns) {
      if (day < k.from || day > k.to || (!k.segment.empty() && customers.segment[c] != k.segment)) continue;
      points *= k.multiplier_percent;
      divisor *= 100;
      why.push_back(StrCat("campaign ", k.name, " ", k.multiplier_percent, "%"));
    }
    const std::int64_t earned = static_cast<std::int64_t>(points / divisor);
    if (earned <= 0) continue;
    LedgerEntry e;
    e.customer = c;
    e.day = day;
    e.kind = LedgerKind::kEarn;
    e.points = earned;
    e.expires = AddMonths(day, rules_.expiry_months);
    e.reference = order;
    e.note = StrCat("purchase of ", FormatMoney(tx.amount[i]));
    for (const std::string& w : why) StrAppend(&e.note, "; ", w);
    Append(std::move(e));
    ++appended;
  }
  earned_until_ = up_to;
  return appended;
}

absl::StatusOr<std::uint64_t> LoyaltyLedger::Earn(CustomerIndex customer, DayNumber day, std::int64_t points,
                                                  std::string reference) {
  if (auto s = CheckAppend(customer, day); !s.ok()) return s;
  if (points <= 0) return absl::InvalidArgumentError("loyalty: an earn entry takes a positive number of points");
  LedgerEntry e;
  e.customer = customer;
  e.day = day;
  e.kind = LedgerKind::kEarn;
  e.points = points;
  e.expires = AddMonths(day, rules_.expiry_months);
  e.reference = std::move(reference);
  return Append(std::move(e));
}

absl::StatusOr<std::uint64_t> LoyaltyLedger::Redeem(CustomerIndex customer, DayNumber day, std::int64_t points,
                                                    std::string reference) {
  if (auto s = CheckAppend(customer, day); !s.ok()) return s;
  if (points <= 0) return absl::InvalidArgumentError("loyalty: a redemption takes a positive number of points");
  const std::int64_t balance = Balance(customer, day);
  if (points > balance) {
    return absl::FailedPreconditionError(StrCat("loyalty: customer ", portfolio_->customers().id[customer],
                                                ": redeeming ", points, " points exceeds the balance of ", balance,
                                                " on ", FormatDate(day)));
  }
  LedgerEntry e;
  e.customer = customer;
  e.day = day;
  e.kind = LedgerKind::kRedeem;
  e.points = -points;
  e.reference = std::move(reference);
  return Append(std::move(e));
}

absl::StatusOr<std::uint64_t> LoyaltyLedger::Adjust(CustomerIndex customer, DayNumber day, std::int64_t points,
                                                    std::string note) {
  if (auto s = CheckAppend(customer, day); !s.ok()) return s;
  if (points == 0) return absl::InvalidArgumentError("loyalty: an adjustment of 0 points");
  if (points < 0 && -points > Balance(customer, day)) {
    return absl::FailedPreconditionError(StrCat("loyalty: customer ", portfolio_->customers().id[customer],
                                                ": taking ", -points, " points exceeds the balance of ",
                                                Balance(customer, day), " on ", FormatDate(day)));
  }
  LedgerEntry e;
  e.customer = customer;
  e.day = day;
  e.kind = LedgerKind::kAdjust;
  e.points = points;
  if (points > 0) e.expires = AddMonths(day, rules_.expiry_months);
  e.note = std::move(note);
  return Append(std::move(e));
}

absl::StatusOr<std::uint64_t> LoyaltyLedger::Reverse(std::uint64_t entry, DayNumber day, std::string note) {
  if (entry == 0 || entry > entries_.size()) {
    return absl::NotFoundError(StrCat("loyalty: no ledger entry ", entry));
  }
  const LedgerEntry original = entries_[entry - 1];
  if (auto s = CheckAppend(original.customer, day); !s.ok()) return s;
  // A reversal is its entry's customer's: look among that customer's entries only.
  for (const Step& step : by_customer_[original.customer]) {
    if (step.kind == LedgerKind::kReverse && step.reverses == entry) {
      return absl::FailedPreconditionError(
          StrCat("loyalty: entry ", entry, " is already reversed by entry ", step.pos + 1));
    }
  }
  LedgerEntry e;
  e.customer = original.customer;
  e.day = day;
  e.kind = LedgerKind::kReverse;
  e.reverses = entry;
  e.note = std::move(note);
  if (IsLot(original)) {
    // The lot leaves: only what is left of it can.
    std::int64_t left = 0;
    for (const PointsLot& lot : Replay(original.customer, day)) {
      if (lot.entry == entry) left = lot.remaining;
    }
    if (left < original.points) {
      return absl::FailedPreconditionError(
          StrCat("loyalty: entry ", entry, ": ", original.points - left, " of its ", original.points,
                 " points were already used or expired; correct with an adjustment"));
    }
    e.points = -original.points;
  } else if (original.kind == LedgerKind::kRedeem || original.kind == LedgerKind::kAdjust) {
    // The points come back as a lot, valid for expiry_months from today.
    e.points = -original.points;
    e.expires = AddMonths(day, rules_.expiry_months);
  } else {
    return absl::InvalidArgumentError(
        StrCat("loyalty: entry ", entry, " is a ", LedgerKindName(original.kind), " entry, which is not reversed"));
  }
  return Append(std::move(e));
}

absl::StatusOr<size_t> LoyaltyLedger::ExpireUntil(DayNumber day) {
  size_t appended = 0;
  for (CustomerIndex c = 0; c < by_customer_.size(); ++c) {
    const auto& mine = by_customer_[c];
    if (mine.empty() || mine.back().day > day) continue;  // expired on a later run
    for (const PointsLot& lot : Replay(c, day)) {
      if (lot.expires > day || lot.remaining <= 0) continue;
      LedgerEntry e;
      e.customer = c;
      e.day = day;
      e.kind = LedgerKind::kExpire;
      e.points = -lot.remaining;
      e.reverses = lot.entry;
      e.note = StrCat("earned ", FormatDate(lot.earned), ", expired ", FormatDate(lot.expires));
      Append(std::move(e));
      ++appended;
    }
  }
  return appended;
}

}  // namespace carteira
