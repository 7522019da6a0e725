#include <cstring>
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "capi/src/api_guard.h"
#include "capi/src/handles.h"
#include "capi/src/struct_size.h"
#include "carteira/core/strings.h"

namespace {

absl::StatusOr<carteira::Entity> EntityArg(const char* name) {
  if (name == nullptr) return absl::InvalidArgumentError("entity is NULL");
  if (auto e = carteira::EntityFromName(name)) return *e;
  return absl::InvalidArgumentError(carteira::StrCat(
      "unknown entity '", name,
      "' (customers, reps, assignments, transactions, contracts, interactions, surveys)"));
}

absl::StatusOr<carteira::ImportOptions> ToOptions(const carteira_import_options* in,
                                                  carteira::Entity default_entity) {
  carteira::ImportOptions out;
  if (in == nullptr) return out;
  if (in->struct_size < carteira::capi::kImportOptionsV1) {
    return absl::InvalidArgumentError("carteira_import_options: struct_size too small");
  }
  if (in->mode != CARTEIRA_IMPORT_STRICT && in->mode != CARTEIRA_IMPORT_LENIENT) {
    return absl::InvalidArgumentError("carteira_import_options.mode: not 0 (strict) or 1 (lenient)");
  }
  out.mode = in->mode == CARTEIRA_IMPORT_LENIENT ? carteira::ImportMode::kLenient
                                                 : carteira::ImportMode::kStrict;
  out.delimiter = in->delimiter;
  out.has_header = in->has_header != 0;
  if (in->decimal < 0 || in->decimal > 2) {
    return absl::InvalidArgumentError("carteira_import_options.decimal: not 0, 1 or 2");
  }
  out.decimal = static_cast<carteira::DecimalSeparator>(in->decimal);
  for (int32_t v : {in->unknown_customers, in->unknown_reps}) {
    if (v < 0 || v > 2) {
      return absl::InvalidArgumentError(
          "carteira_import_options.unknown_customers/unknown_reps: not 0, 1 or 2");
    }
  }
  out.unknown_customers = static_cast<carteira::UnknownReference>(in->unknown_customers);
  out.unknown_reps = static_cast<carteira::UnknownReference>(in->unknown_reps);
  if (in->max_issues > 0) out.max_issues = in->max_issues;
  if (in->column_mapping != nullptr) {
    for (absl::string_view item :
         absl::StrSplit(in->column_mapping, ';', absl::SkipWhitespace())) {
      const absl::string_view trimmed = absl::StripAsciiWhitespace(item);
      std::string_view rest(trimmed.data(), trimmed.size());
      carteira::Entity entity = default_entity;
      if (const size_t colon = rest.find(':'); colon != std::string_view::npos) {
        const auto e = carteira::EntityFromName(rest.substr(0, colon));
        if (!e) {
          return absl::InvalidArgumentError(
              carteira::StrCat("column_mapping '", rest, "': unknown entity"));
        }
        entity = *e;
        rest.remove_prefix(colon + 1);
      }
      const size_t eq = rest.find('=');
      if (eq == std::string_view::npos || eq == 0 || eq + 1 == rest.size()) {
        return absl::InvalidArgumentError(
            carteira::StrCat("column_mapping '", rest, "': expected field=column"));
      }
      out.column_mapping[entity][std::string(rest.substr(0, eq))] = std::string(rest.substr(eq + 1));
    }
  }
  return out;
}

// Runs an import and hands out the report whatever the outcome.
template <typename Run>
carteira_status Import(carteira::Entity default_entity, const carteira_import_options* options,
                       carteira_import_report** out_report, Run&& run) {
  if (out_report != nullptr) *out_report = nullptr;
  auto opts = ToOptions(options, default_entity);
  if (!opts.ok()) return carteira::capi::SetLastError(opts.status());
  auto report = std::make_unique<carteira_import_report>();
  const absl::Status status = run(*opts, &report->impl);
  report->text = report->impl.Summary();
  if (out_report != nullptr) *out_report = report.release();
  return carteira::capi::SetLastError(status);
}

}  // namespace

extern "C" {

void carteira_import_options_init(carteira_import_options* options, size_t struct_size) {
  if (options == nullptr) return;
  carteira::capi::InitStruct(options, struct_size);
  CARTEIRA_SET_FIELD(options, has_header, 1);
}

carteira_status carteira_import_directory(carteira_portfolio* portfolio, const char* directory,
                                          const carteira_import_options* options,
                                          carteira_import_report** out_report) {
  CARTEIRA_API_BEGIN();
  if (out_report != nullptr) *out_report = nullptr;
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(directory);
  return Import(carteira::Entity::kTransactions, options, out_report,
                [&](const carteira::ImportOptions& o, carteira::ImportReport* r) {
                  return carteira::ImportDirectory(portfolio->impl, directory, o, r);
                });
  CARTEIRA_API_END();
}

carteira_status carteira_import_file(carteira_portfolio* portfolio, const char* entity,
                                     const char* path, const carteira_import_options* options,
                                     carteira_import_report** out_report) {
  CARTEIRA_API_BEGIN();
  if (out_report != nullptr) *out_report = nullptr;
  CARTEIRA_CHECK_ARG(portfolio);
  CARTEIRA_CHECK_ARG(path);
  auto e = EntityArg(entity);
  CARTEIRA_RETURN_IF_ERROR(e.status());
  return Import(*e, options, out_report,
                [&](const carteira::ImportOptions& o, carteira::ImportReport* r) {
                  return carteira::ImportFile(portfolio->impl, *e, path, o, r);
                });
  CARTEIRA_API_END();
}

carteira_status carteira_import_text(carteira_portfolio* portfolio, const char* entity,
                                     const char* text, size_t length, const char* name,
                                     const carteira_import_options* options,
                                     carteira_import_report** out_report) {
  CARTEIRA_API_BEGIN();
  if (out_report != nullptr) *out_report = nullptr;
  CARTEIRA_CHECK_ARG(portfolio);
  if (length > 0) CARTEIRA_CHECK_ARG(text);
  auto e = EntityArg(entity);
  CARTEIRA_RETURN_IF_ERROR(e.status());
  std::string owned(text == nullptr ? "" : std::string(text, length));
  const std::string file_name = name == nullptr ? std::string("<text>") : std::string(name);
  return Import(*e, options, out_report,
                [&](const carteira::ImportOptions& o, carteira::ImportReport* r) {
                  return carteira::ImportText(portfolio->impl, *e, std::move(owned), file_name, o, r);
                });
  CARTEIRA_API_END();
}

void carteira_import_report_destroy(carteira_import_report* report) { delete report; }

carteira_status carteira_import_report_counts(const carteira_import_report* report,
                                              const char* entity, carteira_import_counts* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(report);
  CARTEIRA_CHECK_ARG(out);
  if (out->struct_size < sizeof(out->struct_size)) {
    return carteira::capi::SetLastError(CARTEIRA_INVALID_ARGUMENT,
                                        "carteira_import_counts: struct_size not set");
  }
  auto e = EntityArg(entity);
  CARTEIRA_RETURN_IF_ERROR(e.status());
  const carteira::EntityCounts& c = report->impl.count(*e);
  CARTEIRA_SET_FIELD(out, rows_read, c.rows_read);
  CARTEIRA_SET_FIELD(out, rows_added, c.rows_added);
  CARTEIRA_SET_FIELD(out, rows_rejected, c.rows_rejected);
  CARTEIRA_API_END();
}

carteira_status carteira_import_report_issue_count(const carteira_import_report* report,
                                                   size_t* out_kept, int64_t* out_total) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(report);
  if (out_kept) *out_kept = report->impl.issues.size();
  if (out_total) *out_total = report->impl.issue_count;
  CARTEIRA_API_END();
}

carteira_status carteira_import_report_applied(const carteira_import_report* report,
                                               int32_t* out_applied) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(report);
  CARTEIRA_CHECK_ARG(out_applied);
  *out_applied = report->impl.applied ? 1 : 0;
  CARTEIRA_API_END();
}

carteira_status carteira_import_report_issue(const carteira_import_report* report, size_t index,
                                             carteira_import_issue* out) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(report);
  CARTEIRA_CHECK_ARG(out);
  if (out->struct_size < sizeof(out->struct_size)) {
    return carteira::capi::SetLastError(CARTEIRA_INVALID_ARGUMENT,
                                        "carteira_import_issue: struct_size not set");
  }
  if (index >= report->impl.issues.size()) {
    return carteira::capi::SetLastError(
        CARTEIRA_OUT_OF_RANGE, carteira::StrCat("issue ", index, " of ", report->impl.issues.size()));
  }
  const carteira::ImportIssue& issue = report->impl.issues[index];
  CARTEIRA_SET_FIELD(out, file, issue.file.c_str());
  CARTEIRA_SET_FIELD(out, line, issue.line);
  CARTEIRA_SET_FIELD(out, column, issue.column);
  CARTEIRA_SET_FIELD(out, field, issue.field.c_str());
  CARTEIRA_SET_FIELD(out, value, issue.value.c_str());
  CARTEIRA_SET_FIELD(out, message, issue.message.c_str());
  CARTEIRA_API_END();
}

carteira_status carteira_import_report_text(const carteira_import_report* report,
                                            const char** out_text) {
  CARTEIRA_API_BEGIN();
  CARTEIRA_CHECK_ARG(report);
  CARTEIRA_CHECK_ARG(out_text);
  *out_text = report->text.c_str();
  CARTEIRA_API_END();
}

}  // extern "C"
