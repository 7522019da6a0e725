#include "carteira/io/import.h"

#include <exception>
#include <filesystem>
#include <new>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "carteira/core/strings.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "carteira/io/csv_reader.h"
#include "src/io/utf8.h"

namespace carteira {
namespace {

constexpr std::string_view kCustomerColumns[] = {
    "customer_id", "name",   "document", "email",      "phone",       "city",
    "state",       "region", "segment",  "created_at", "key_account", "delinquent"};
constexpr std::string_view kRepColumns[] = {"rep_id",   "name",   "region", "segments",
                                            "capacity", "active", "team"};
constexpr std::string_view kAssignmentColumns[] = {"customer_id", "rep_id", "since", "reason"};
constexpr std::string_view kTransactionColumns[] = {"customer_id", "date",   "amount",
                                                    "order_id",    "rep_id", "category"};
constexpr std::string_view kContractColumns[] = {"customer_id", "contract_id", "start",
                                                 "end",         "value",       "auto_renew"};
constexpr std::string_view kInteractionColumns[] = {"customer_id", "rep_id", "date", "channel",
                                                    "outcome"};
constexpr std::string_view kSurveyColumns[] = {"customer_id", "date", "score"};

constexpr std::string_view kEntityNames[] = {"customers",    "reps",      "assignments",
                                             "transactions", "contracts", "interactions",
                                             "surveys"};

// Columns a file of each entity must have.
std::span<const std::string_view> RequiredColumns(Entity e) {
  static constexpr std::string_view kCustomerId[] = {"customer_id"};
  static constexpr std::string_view kRepId[] = {"rep_id"};
  static constexpr std::string_view kAssignment[] = {"customer_id", "rep_id", "since"};
  static constexpr std::string_view kTransaction[] = {"customer_id", "date", "amount"};
  static constexpr std::string_view kContract[] = {"customer_id", "start", "end"};
  static constexpr std::string_view kInteraction[] = {"customer_id", "date"};
  static constexpr std::string_view kSurvey[] = {"customer_id", "date", "score"};
  switch (e) {
    case Entity::kCustomers: return kCustomerId;
    case Entity::kReps: return kRepId;
    case Entity::kAssignments: return kAssignment;
    case Entity::kTransactions: return kTransaction;
    case Entity::kContracts: return kContract;
    case Entity::kInteractions: return kInteraction;
    case Entity::kSurveys: return kSurvey;
  }
  return {};
}

// Entities whose extra columns are kept as attributes.
// ParseDate/ParseMoney say "date 'x': why" so that they stand alone; in a
// report the field and value are already shown, so keep only the why.
std::string Reason(const absl::Status& status) {
  const absl::string_view message = status.message();
  const size_t quote_colon = message.find("': ");
  return std::string(quote_colon == std::string_view::npos ? message
                                                            : message.substr(quote_colon + 3));
}

bool KeepsAttributes(Entity e) {
  return e == Entity::kCustomers || e == Entity::kReps || e == Entity::kTransactions;
}

absl::StatusOr<bool> ParseBool(std::string_view text) {
  const std::string v = absl::AsciiStrToLower(AsAbsl(text));
  if (v.empty() || v == "0" || v == "false" || v == "n" || v == "no" || v == "nao" ||
      v == "n\xc3\xa3o" || v == "n\xc3\x83o" || v == "f") {
    return false;
  }
  if (v == "1" || v == "true" || v == "s" || v == "sim" || v == "y" || v == "yes" || v == "x" ||
      v == "t") {
    return true;
  }
  return absl::InvalidArgumentError("is not a yes/no value (sim/não, true/false, 1/0)");
}

// One file's column layout: where each canonical field sits (-1 = absent)
// and which other columns become attributes.
struct Layout {
  std::vector<int> field_column;  // per canonical field, 0-based source column
  std::vector<std::pair<int, std::string>> attributes;  // source column, attribute name
  size_t expected_fields = 0;  // header width; 0 without header
};

struct LoadedFile {
  std::string name;
  Entity entity;
  std::string path;       // read from disk when `text` is empty
  std::string text;
  bool from_text = false;
};

class Importer {
 public:
  Importer(Portfolio& portfolio, const ImportOptions& options, ImportReport* report)
      : portfolio_(portfolio), options_(options), report_(report != nullptr ? *report : own_report_) {}

  void set_aliases_path(std::string path) { aliases_path_ = std::move(path); }

  absl::Status Run(std::vector<LoadedFile> files) {
    report_ = ImportReport();
    for (const auto& f : files) {
      report_.files.push_back(f.name);
      if (f.entity == Entity::kCustomers) customers_file_ = true;
      if (f.entity == Entity::kReps) reps_file_ = true;
    }
    const Portfolio::Checkpoint checkpoint = portfolio_.MakeCheckpoint();
    absl::Status status;
    try {
      for (auto& f : files) {
        status = LoadFile(f);
        if (!status.ok()) break;
        // Past merges, right after the customers: rows of the other files
        // that still carry a merged customer's id find the survivor.
        if (f.entity == Entity::kCustomers && !aliases_path_.empty()) {
          status = LoadAliases();
          if (!status.ok()) break;
        }
      }
    } catch (const std::bad_alloc&) {
      status = absl::ResourceExhaustedError("out of memory during import");
    } catch (const std::exception& e) {
      status = absl::InternalError(StrCat("import failed: ", e.what()));
    }
    if (status.ok() && options_.mode == ImportMode::kStrict && report_.issue_count > 0) {
      std::int64_t bad_rows = 0;
      for (const auto& c : report_.counts) bad_rows += c.rows_rejected;
      // Issues can outnumber rows (two bad fields in a row) or stand for a
      // whole file (a missing column).
      const std::string what =
          bad_rows == 0 ? StrCat(report_.issue_count, " problem(s)")
          : report_.issue_count == bad_rows
              ? StrCat(bad_rows, " bad row(s)")
              : StrCat(bad_rows, " bad row(s), ", report_.issue_count, " problems");
      status = absl::InvalidArgumentError(StrCat(what, "; nothing was imported. First: ",
                                                 report_.issues.front().ToString()));
    }
    if (!status.ok()) {
      portfolio_.RollbackTo(checkpoint);
      for (auto& c : report_.counts) c.rows_added = 0;
      report_.applied = false;
      return status;
    }
    for (const auto& c : report_.counts) report_.applied |= c.rows_added > 0;
    return absl::OkStatus();
  }

 private:
  void AddIssue(const std::string& file, std::int64_t line, int column, std::string_view field,
                std::string_view value, std::string message) {
    ++report_.issue_count;
    if (report_.issues.size() >= options_.max_issues) return;
    report_.issues.push_back(ImportIssue{file, line, column, std::string(field),
                                         std::string(value), std::move(message)});
  }

  absl::StatusOr<Layout> ResolveLayout(const CsvReader& reader, Entity entity) {
    const auto canonical = CanonicalColumns(entity);
    Layout layout;
    layout.field_column.assign(canonical.size(), -1);
    std::vector<std::string> header;
    for (const auto& h : reader.header()) header.push_back(absl::AsciiStrToLower(h));
    layout.expected_fields = header.size();
    auto find_header = [&](std::string_view name) -> int {
      const std::string lower = absl::AsciiStrToLower(AsAbsl(name));
      for (size_t i = 0; i < header.size(); ++i) {
        if (header[i] == lower) return static_cast<int>(i);
      }
      return -1;
    };
    const auto mapping_it = options_.column_mapping.find(entity);
    for (size_t f = 0; f < canonical.size(); ++f) {
      std::optional<std::string> source;
      if (mapping_it != options_.column_mapping.end()) {
        auto m = mapping_it->second.find(std::string(canonical[f]));
        if (m != mapping_it->second.end()) source = m->second;
      }
      int position = 0;
      if (source && absl::SimpleAtoi(*source, &position)) {
        if (position < 1) {
          return absl::InvalidArgumentError(
              StrCat("column mapping ", canonical[f], "=", *source, ": positions are 1-based"));
        }
        layout.field_column[f] = position - 1;
      } else if (source) {
        layout.field_column[f] = find_header(*source);
        if (layout.field_column[f] < 0) {
          return absl::InvalidArgumentError(StrCat("column mapping ", canonical[f], "=",
                                                         *source, ": no such column in the header"));
        }
      } else if (!header.empty()) {
        layout.field_column[f] = find_header(canonical[f]);
      } else if (mapping_it == options_.column_mapping.end()) {
        // Header-less without a mapping: canonical order. With a mapping,
        // only the mapped fields are read.
        layout.field_column[f] = static_cast<int>(f);
      }
    }
    for (const std::string_view required : RequiredColumns(entity)) {
      for (size_t f = 0; f < canonical.size(); ++f) {
        if (canonical[f] == required && layout.field_column[f] < 0) {
          return absl::InvalidArgumentError(
              StrCat("required column '", required, "' is missing; the header has: ",
                           absl::StrJoin(reader.header(), ", ")));
        }
      }
    }
    auto used = [&](int column) {
      for (const int c : layout.field_column) {
        if (c == column) return true;
      }
      return false;
    };
    for (size_t i = 0; i < header.size(); ++i) {
      if (used(static_cast<int>(i))) continue;
      if (KeepsAttributes(entity)) {
        layout.attributes.emplace_back(static_cast<int>(i), reader.header()[i]);
      } else {
        report_.notes.push_back(StrCat(reader.name(), ": column '", reader.header()[i],
                                             "' is not a ", EntityName(entity),
                                             " field and was not imported"));
      }
    }
    return layout;
  }

  // customer_merges.csv (written by `carteira merge`): merged_id, into_id,
  // merged_at, merged_by; further columns are the merge's own record.
  absl::Status LoadAliases() {
    CsvOptions csv;
    auto reader = CsvReader::Open(aliases_path_, csv);
    if (!reader.ok()) return reader.status();
    report_.files.push_back(aliases_path_);
    int column[4] = {-1, -1, -1, -1};
    constexpr std::string_view kNames[4] = {"merged_id", "into_id", "merged_at", "merged_by"};
    for (size_t i = 0; i < reader->header().size(); ++i) {
      for (int k = 0; k < 4; ++k) {
        if (absl::AsciiStrToLower(reader->header()[i]) == kNames[k]) column[k] = static_cast<int>(i);
      }
    }
    for (int k = 0; k < 3; ++k) {
      if (column[k] < 0) {
        return absl::InvalidArgumentError(
            StrCat(aliases_path_, ": missing column ", kNames[k]));
      }
    }
    std::vector<CustomerAlias> rows;
    CsvRecord record;
    std::string error;
    while (reader->Next(&record, &error)) {
      auto field = [&](int k) {
        return column[k] >= 0 && static_cast<size_t>(column[k]) < record.fields.size()
                   ? record.fields[column[k]]
                   : std::string_view();
      };
      auto day = ParseDate(field(2));
      if (!error.empty() || !day.ok()) {
        return absl::InvalidArgumentError(StrCat(aliases_path_, ":", record.line, ": ",
                                                 error.empty() ? day.status().message() : error));
      }
      rows.push_back(CustomerAlias{std::string(field(0)), std::string(field(1)), ToDate(*day),
                                   std::string(field(3))});
    }
    if (auto s = portfolio_.AddCustomerAliases(rows); !s.ok()) {
      return absl::InvalidArgumentError(StrCat(aliases_path_, ": ", s.message()));
    }
    return absl::OkStatus();
  }

  absl::Status LoadFile(LoadedFile& file) {
    CsvOptions csv;
    csv.delimiter = options_.delimiter;
    csv.has_header = options_.has_header;
    absl::StatusOr<CsvReader> reader =
        file.from_text ? CsvReader::FromString(std::move(file.text), file.name, csv)
                       : CsvReader::Open(file.path, csv);
    if (!reader.ok()) {
      if (absl::IsNotFound(reader.status())) return reader.status();
      AddIssue(file.name, 1, 0, "", "", std::string(reader.status().message()));
      return absl::OkStatus();
    }
    absl::StatusOr<Layout> layout = ResolveLayout(*reader, file.entity);
    if (!layout.ok()) {
      AddIssue(file.name, 1, 0, "", "", std::string(layout.status().message()));
      return absl::OkStatus();
    }
    ambiguous_ = options_.decimal != DecimalSeparator::kAuto ? options_.decimal
                 : reader->delimiter() == ';'                 ? DecimalSeparator::kComma
                                                              : DecimalSeparator::kPoint;
    EntityCounts& counts = report_.counts[static_cast<int>(file.entity)];
    CsvRecord record;
    std::string error;
    while (reader->Next(&record, &error)) {
      ++counts.rows_read;
      if (!error.empty()) {
        ++counts.rows_rejected;
        AddIssue(file.name, record.line, 0, "", "", error);
        continue;
      }
      Row row{file.name, record, *layout, CanonicalColumns(file.entity), {}};
      if (layout->expected_fields > 0 && record.fields.size() > layout->expected_fields) {
        row.Fail(static_cast<int>(layout->expected_fields) + 1, "", "",
                 StrCat("row has ", record.fields.size(), " fields but the header has ",
                              layout->expected_fields));
      } else {
        LoadRow(file.entity, row);
      }
      if (row.errors.empty()) {
        ++counts.rows_added;
      } else {
        ++counts.rows_rejected;
        for (auto& e : row.errors) {
          AddIssue(file.name, record.line, e.column, e.field, e.value, std::move(e.message));
        }
      }
    }
    return absl::OkStatus();
  }

  struct FieldError {
    int column;
    std::string field, value, message;
  };

  // Field access for one record, collecting every error of the row.
  struct Row {
    const std::string& file;
    const CsvRecord& record;
    const Layout& layout;
    std::span<const std::string_view> canonical;
    std::vector<FieldError> errors;

    int Index(std::string_view field) const {
      for (size_t f = 0; f < canonical.size(); ++f) {
        if (canonical[f] == field) return layout.field_column[f];
      }
      return -1;
    }
    int Column(std::string_view field) const { return Index(field) + 1; }
    std::string_view Get(std::string_view field) const {
      const int i = Index(field);
      if (i < 0 || static_cast<size_t>(i) >= record.fields.size()) return {};
      return record.fields[static_cast<size_t>(i)];
    }
    void Fail(int column, std::string_view field, std::string_view value, std::string message) {
      errors.push_back(FieldError{column, std::string(field), std::string(value), std::move(message)});
    }
    void Fail(std::string_view field, std::string message) {
      Fail(Column(field), field, Get(field), std::move(message));
    }
    // Text field: must be valid UTF-8; `required` ones must be non-empty.
    std::string_view Text(std::string_view field, bool required = false) {
      const std::string_view v = Get(field);
      if (required && v.empty()) {
        Fail(field, "is required");
      } else if (!internal::IsValidUtf8(v)) {
        Fail(field, "is not valid UTF-8 (save the file as UTF-8, not Latin-1/Windows-1252)");
      }
      return v;
    }
    DayNumber Date(std::string_view field, bool required) {
      const std::string_view v = Get(field);
      if (v.empty()) {
        if (required) Fail(field, "is required");
        return kNoDay;
      }
      auto d = ParseDate(v);
      if (!d.ok()) {
        Fail(field, Reason(d.status()));
        return kNoDay;
      }
      return *d;
    }
    MinorUnits Money(std::string_view field, bool required, DecimalSeparator ambiguous) {
      const std::string_view v = Get(field);
      if (v.empty()) {
        if (required) Fail(field, "is required");
        return 0;
      }
      auto m = ParseMoney(v, ambiguous);
      if (!m.ok()) {
        Fail(field, Reason(m.status()));
        return 0;
      }
      return *m;
    }
    bool Bool(std::string_view field, bool default_value) {
      const std::string_view v = Get(field);
      if (v.empty()) return default_value;
      auto b = ParseBool(v);
      if (!b.ok()) {
        Fail(field, std::string(b.status().message()));
        return default_value;
      }
      return *b;
    }
    std::vector<Attribute> Attributes() {
      std::vector<Attribute> out;
      for (const auto& [column, name] : layout.attributes) {
        if (static_cast<size_t>(column) >= record.fields.size()) continue;
        const std::string_view v = record.fields[static_cast<size_t>(column)];
        if (!internal::IsValidUtf8(v)) {
          Fail(column + 1, name, v, "is not valid UTF-8");
        } else if (!v.empty()) {
          out.push_back(Attribute{name, std::string(v)});
        }
      }
      return out;
    }
  };

  bool CreateCustomers() const {
    switch (options_.unknown_customers) {
      case UnknownReference::kCreate: return true;
      case UnknownReference::kReject: return false;
      case UnknownReference::kAuto: return !customers_file_;
    }
    return true;
  }
  bool CreateReps() const {
    switch (options_.unknown_reps) {
      case UnknownReference::kCreate: return true;
      case UnknownReference::kReject: return false;
      case UnknownReference::kAuto: return !reps_file_;
    }
    return true;
  }

  // Looks the customer up; creation waits until the whole row is known good.
  std::optional<CustomerIndex> Customer(Row& row, std::string_view id, bool* create) {
    *create = false;
    if (auto found = portfolio_.FindCustomer(id)) return found;
    if (CreateCustomers()) {
      *create = true;
      return std::nullopt;
    }
    row.Fail("customer_id", StrCat("unknown customer '", id,
                                         "' (not in the customers file or the portfolio)"));
    return std::nullopt;
  }
  std::optional<RepIndex> RepRef(Row& row, std::string_view id, bool* create) {
    *create = false;
    if (id.empty()) return kNoRep;
    if (auto found = portfolio_.FindRep(id)) return found;
    if (CreateReps()) {
      *create = true;
      return std::nullopt;
    }
    row.Fail("rep_id", StrCat("unknown rep '", id, "' (not in the reps file or the portfolio)"));
    return std::nullopt;
  }

  void LoadRow(Entity entity, Row& row) {
    switch (entity) {
      case Entity::kCustomers: return LoadCustomer(row);
      case Entity::kReps: return LoadRep(row);
      case Entity::kAssignments: return LoadAssignment(row);
      case Entity::kTransactions: return LoadTransaction(row);
      case Entity::kContracts: return LoadContract(row);
      case Entity::kInteractions: return LoadInteraction(row);
      case Entity::kSurveys: return LoadSurvey(row);
    }
  }

  void LoadCustomer(Row& row) {
    carteira::Customer c;
    c.id = std::string(row.Text("customer_id", true));
    c.name = std::string(row.Text("name"));
    c.document = std::string(row.Text("document"));
    c.email = std::string(row.Text("email"));
    c.phone = std::string(row.Text("phone"));
    c.city = std::string(row.Text("city"));
    c.state = std::string(row.Text("state"));
    c.region = std::string(row.Text("region"));
    c.segment = std::string(row.Text("segment"));
    const DayNumber created = row.Date("created_at", false);
    if (created != kNoDay) c.created_at = ToDate(created);
    c.key_account = row.Bool("key_account", false);
    c.delinquent = row.Bool("delinquent", false);
    c.attributes = row.Attributes();
    if (!c.id.empty()) {
      if (auto it = customer_lines_.find(c.id); it != customer_lines_.end()) {
        row.Fail("customer_id", StrCat("duplicate customer_id (first at ", it->second, ")"));
      } else if (portfolio_.FindCustomer(c.id)) {
        row.Fail("customer_id", "customer already in the portfolio");
      }
    }
    if (!row.errors.empty()) return;
    customer_lines_.emplace(c.id, StrCat(row.file, ":", row.record.line));
    portfolio_.AppendCustomerUnchecked(c);
  }

  void LoadRep(Row& row) {
    carteira::Rep r;
    r.id = std::string(row.Text("rep_id", true));
    r.name = std::string(row.Text("name"));
    r.region = std::string(row.Text("region"));
    r.team = std::string(row.Text("team"));
    const std::string_view segments = row.Text("segments");
    for (absl::string_view s :
         absl::StrSplit(AsAbsl(segments), absl::ByAnyChar("|,"), absl::SkipEmpty())) {
      r.segments.emplace_back(absl::StripAsciiWhitespace(s));
    }
    const std::string_view capacity = row.Get("capacity");
    if (!capacity.empty() && (!absl::SimpleAtoi(AsAbsl(capacity), &r.capacity) || r.capacity < 0)) {
      row.Fail("capacity", "is not a whole number >= 0");
    }
    r.active = row.Bool("active", true);
    r.attributes = row.Attributes();
    if (!r.id.empty() && portfolio_.FindRep(r.id)) row.Fail("rep_id", "duplicate rep_id");
    if (!row.errors.empty()) return;
    portfolio_.AppendRepUnchecked(r);
  }

  void LoadAssignment(Row& row) {
    const std::string_view customer_id = row.Text("customer_id", true);
    const std::string_view rep_id = row.Text("rep_id", true);
    const DayNumber since = row.Date("since", true);
    const std::string_view reason = row.Text("reason");
    bool create_customer = false, create_rep = false;
    std::optional<CustomerIndex> customer;
    std::optional<RepIndex> rep;
    if (!customer_id.empty()) customer = Customer(row, customer_id, &create_customer);
    if (!rep_id.empty()) rep = RepRef(row, rep_id, &create_rep);
    if (!row.errors.empty()) return;
    portfolio_.AppendAssignmentUnchecked(
        create_customer ? portfolio_.EnsureCustomer(customer_id) : *customer,
        create_rep ? portfolio_.EnsureRep(rep_id) : *rep, since, reason);
  }

  void LoadTransaction(Row& row) {
    const std::string_view customer_id = row.Text("customer_id", true);
    const DayNumber date = row.Date("date", true);
    const MinorUnits amount = row.Money("amount", true, ambiguous_);
    const std::string_view order_id = row.Text("order_id");
    const std::string_view rep_id = row.Text("rep_id");
    const std::string_view category = row.Text("category");
    std::vector<Attribute> attributes;
    if (!row.layout.attributes.empty()) attributes = row.Attributes();
    bool create_customer = false, create_rep = false;
    std::optional<CustomerIndex> customer;
    if (!customer_id.empty()) customer = Customer(row, customer_id, &create_customer);
    const std::optional<RepIndex> rep = RepRef(row, rep_id, &create_rep);
    if (!order_id.empty()) {
      if (auto first = portfolio_.FindOrder(order_id)) {
        const size_t local = *first - first_transaction_row_;
        row.Fail("order_id",
                 *first >= first_transaction_row_ && local < transaction_lines_.size()
                     ? StrCat("duplicate order_id (first at ", row.file, ":",
                                    transaction_lines_[local], ")")
                     : std::string("duplicate order_id (already in the portfolio)"));
      }
    }
    if (!row.errors.empty()) return;
    if (transaction_lines_.empty()) first_transaction_row_ = portfolio_.transactions().size();
    transaction_lines_.push_back(row.record.line);
    portfolio_.AppendTransactionUnchecked(
        create_customer ? portfolio_.EnsureCustomer(customer_id) : *customer, date, amount,
        order_id, create_rep ? portfolio_.EnsureRep(rep_id) : *rep, category, attributes);
  }

  void LoadContract(Row& row) {
    const std::string_view customer_id = row.Text("customer_id", true);
    const std::string_view contract_id = row.Text("contract_id");
    const DayNumber start = row.Date("start", true);
    const DayNumber end = row.Date("end", true);
    const MinorUnits value = row.Money("value", false, ambiguous_);
    const bool auto_renew = row.Bool("auto_renew", false);
    if (start != kNoDay && end != kNoDay && end < start) row.Fail("end", "is before start");
    bool create_customer = false;
    std::optional<CustomerIndex> customer;
    if (!customer_id.empty()) customer = Customer(row, customer_id, &create_customer);
    if (!row.errors.empty()) return;
    portfolio_.AppendContractUnchecked(
        create_customer ? portfolio_.EnsureCustomer(customer_id) : *customer, contract_id, start,
        end, value, auto_renew);
  }

  void LoadInteraction(Row& row) {
    const std::string_view customer_id = row.Text("customer_id", true);
    const std::string_view rep_id = row.Text("rep_id");
    const DayNumber date = row.Date("date", true);
    const std::string_view channel = row.Text("channel");
    const std::string_view outcome = row.Text("outcome");
    bool create_customer = false, create_rep = false;
    std::optional<CustomerIndex> customer;
    if (!customer_id.empty()) customer = Customer(row, customer_id, &create_customer);
    const std::optional<RepIndex> rep = RepRef(row, rep_id, &create_rep);
    if (!row.errors.empty()) return;
    portfolio_.AppendInteractionUnchecked(
        create_customer ? portfolio_.EnsureCustomer(customer_id) : *customer,
        create_rep ? portfolio_.EnsureRep(rep_id) : *rep, date, channel, outcome);
  }

  void LoadSurvey(Row& row) {
    const std::string_view customer_id = row.Text("customer_id", true);
    const DayNumber date = row.Date("date", true);
    const std::string_view score_text = row.Get("score");
    int score = -1;
    if (score_text.empty()) {
      row.Fail("score", "is required");
    } else if (!absl::SimpleAtoi(AsAbsl(score_text), &score) || score < 0 || score > 10) {
      row.Fail("score", "is not a whole number 0..10");
    }
    bool create_customer = false;
    std::optional<CustomerIndex> customer;
    if (!customer_id.empty()) customer = Customer(row, customer_id, &create_customer);
    if (!row.errors.empty()) return;
    portfolio_.AppendSurveyUnchecked(
        create_customer ? portfolio_.EnsureCustomer(customer_id) : *customer, date, score);
  }

  Portfolio& portfolio_;
  const ImportOptions& options_;
  ImportReport own_report_;  // when the caller wants none
  ImportReport& report_;
  bool customers_file_ = false;
  bool reps_file_ = false;
  std::string aliases_path_;  // customer_merges.csv of a data directory, if any
  DecimalSeparator ambiguous_ = DecimalSeparator::kComma;
  absl::flat_hash_map<std::string, std::string> customer_lines_;  // id -> "file:line"
  size_t first_transaction_row_ = 0;
  // Line of each transaction added by this import (one transactions file per
  // import), to point a duplicate order id at its first occurrence.
  std::vector<std::int64_t> transaction_lines_;
};

}  // namespace

std::string_view EntityName(Entity entity) { return kEntityNames[static_cast<int>(entity)]; }

std::optional<Entity> EntityFromName(std::string_view name) {
  for (int i = 0; i < kEntityCount; ++i) {
    if (kEntityNames[i] == name) return static_cast<Entity>(i);
  }
  return std::nullopt;
}

std::span<const std::string_view> CanonicalColumns(Entity entity) {
  switch (entity) {
    case Entity::kCustomers: return kCustomerColumns;
    case Entity::kReps: return kRepColumns;
    case Entity::kAssignments: return kAssignmentColumns;
    case Entity::kTransactions: return kTransactionColumns;
    case Entity::kContracts: return kContractColumns;
    case Entity::kInteractions: return kInteractionColumns;
    case Entity::kSurveys: return kSurveyColumns;
  }
  return {};
}

std::string ImportIssue::ToString() const {
  std::string out = file;
  if (line > 0) StrAppend(&out, ":", line);
  if (column > 0) StrAppend(&out, ":", column);
  StrAppend(&out, ": ");
  if (!field.empty()) {
    StrAppend(&out, field);
    if (!value.empty()) StrAppend(&out, " '", value, "'");
    StrAppend(&out, ": ");
  }
  StrAppend(&out, message);
  return out;
}

std::string ImportReport::Summary() const {
  std::string out;
  for (int i = 0; i < kEntityCount; ++i) {
    const EntityCounts& c = counts[i];
    if (c.rows_read == 0) continue;
    StrAppend(&out, kEntityNames[i], ": ", c.rows_read, " rows read, ", c.rows_added,
                    " added, ", c.rows_rejected, " rejected\n");
  }
  for (const auto& note : notes) StrAppend(&out, "note: ", note, "\n");
  for (const auto& issue : issues) StrAppend(&out, issue.ToString(), "\n");
  if (issue_count > static_cast<std::int64_t>(issues.size())) {
    StrAppend(&out, "... and ", issue_count - static_cast<std::int64_t>(issues.size()),
                    " more\n");
  }
  StrAppend(&out, applied ? "import applied\n" : "nothing imported\n");
  return out;
}

absl::Status ImportDirectory(Portfolio& portfolio, const std::string& directory,
                             const ImportOptions& options, ImportReport* report) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) {
    return absl::NotFoundError(StrCat(directory, ": not a directory"));
  }
  std::vector<LoadedFile> files;
  for (int i = 0; i < kEntityCount; ++i) {
    for (const char* ext : {".csv", ".txt"}) {
      const fs::path path = fs::path(directory) / StrCat(kEntityNames[i], ext);
      if (fs::is_regular_file(path, ec)) {
        files.push_back(LoadedFile{path.string(), static_cast<Entity>(i), path.string(), {}, false});
        break;
      }
    }
  }
  if (files.empty()) {
    return absl::NotFoundError(StrCat(
        directory, ": no portfolio files (customers.csv, transactions.csv, reps.csv, ...)"));
  }
  Importer importer(portfolio, options, report);
  const fs::path merges = fs::path(directory) / "customer_merges.csv";
  if (fs::is_regular_file(merges, ec) && files.front().entity == Entity::kCustomers) {
    importer.set_aliases_path(merges.string());
  }
  return importer.Run(std::move(files));
}

absl::Status ImportFile(Portfolio& portfolio, Entity entity, const std::string& path,
                        const ImportOptions& options, ImportReport* report) {
  return Importer(portfolio, options, report).Run({LoadedFile{path, entity, path, {}, false}});
}

absl::Status ImportText(Portfolio& portfolio, Entity entity, std::string text,
                        const std::string& name, const ImportOptions& options,
                        ImportReport* report) {
  return Importer(portfolio, options, report)
      .Run({LoadedFile{name, entity, {}, std::move(text), true}});
}

}  // namespace carteira
