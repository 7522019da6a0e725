// Every function of capi/include/carteira/carteira.h, one to one, and the C
// structs they take. Nothing here is public: the idiomatic API is built on it.
//
// Rules kept throughout:
// - Strings going in are marshalled as UTF-8 (StringMarshalling.Utf8).
// - [LibraryImport] is .NET 7+: for netstandard2.0, Carteira.Generators
//   (DownlevelLibraryImportGenerator) writes each method as a [DllImport]
//   with the same signature and the same explicit marshalling.
// - `const char*` coming back is static or owned by a handle, so it is
//   returned as byte* and decoded without freeing (a `string` return would
//   make the source generator free the library's memory).
// - Structs are blittable mirrors of the C ones, field for field; the
//   tests compare their sizes and offsets with the C compiler's.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

#if NET7_0_OR_GREATER
// Only blittable calls: every marshalling step is in source (or generated).
// netstandard2.0 keeps runtime marshalling, which its DllImports rely on
// for `out` parameters and SafeHandles.
[assembly: DisableRuntimeMarshalling]
#endif

namespace Carteira;

internal static unsafe partial class NativeMethods
{
    internal const string Library = LibraryLoader.LibraryName;

    // An explicit static constructor runs before the first call of any
    // method below, so the resolver is in place before the runtime first
    // looks for "carteira".
    static NativeMethods() => LibraryLoader.Register(typeof(NativeMethods).Assembly);

    // ---- Version and errors ---------------------------------------------

    [LibraryImport(Library)]
    internal static partial int carteira_version_number();

    [LibraryImport(Library)]
    internal static partial byte* carteira_version_string();

    [LibraryImport(Library)]
    internal static partial byte* carteira_last_error_message();

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_last_error_code();

    // ---- Values -----------------------------------------------------------

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_parse_date(string text, out int outDay);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_parse_money(string text, out long outMinor);

    // ---- Portfolio ----------------------------------------------------------

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_portfolio_create(out PortfolioHandle outPortfolio);

    [LibraryImport(Library)]
    internal static partial void carteira_portfolio_destroy(nint portfolio);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_portfolio_get_counts(
        PortfolioHandle portfolio, NativePortfolioCounts* outCounts);

    // Not called by the binding, which fills struct_size and the _INIT
    // defaults itself; declared so that the whole C ABI is reachable.
    [LibraryImport(Library)]
    internal static partial void carteira_customer_columns_init(NativeCustomerColumns* columns, nuint structSize);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_portfolio_append_customers(
        PortfolioHandle portfolio, NativeCustomerColumns* columns);

    [LibraryImport(Library)]
    internal static partial void carteira_transaction_columns_init(NativeTransactionColumns* columns, nuint structSize);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_portfolio_append_transactions(
        PortfolioHandle portfolio, NativeTransactionColumns* columns);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_portfolio_intern_customers(
        PortfolioHandle portfolio, byte** ids, nuint count, uint* outIndex);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_portfolio_find_customer(
        PortfolioHandle portfolio, string id, out uint outIndex);

    // A raw pointer, not the handle: status engines call it too, for a
    // portfolio they keep alive after its Portfolio was disposed (see
    // PortfolioLease). Callers hold a reference on the handle meanwhile.
    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_portfolio_rep_ids(
        nint portfolio, int* indices, nuint count, byte* buffer, nuint capacity,
        ulong* outOffsets, out nuint outNeeded);

    [LibraryImport(Library, EntryPoint = "carteira_portfolio_get_counts")]
    internal static partial CarteiraStatus carteira_portfolio_get_counts_leased(
        nint portfolio, NativePortfolioCounts* outCounts);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_portfolio_customer_ids(
        nint portfolio, uint* indices, nuint count, byte* buffer, nuint capacity,
        ulong* outOffsets, out nuint outNeeded);

    // ---- Reps, contracts, interactions, surveys, assignments ---------------

    [LibraryImport(Library)]
    internal static partial void carteira_rep_columns_init(NativeRepColumns* columns, nuint structSize);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_portfolio_append_reps(
        PortfolioHandle portfolio, NativeRepColumns* columns);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_portfolio_intern_reps(
        PortfolioHandle portfolio, byte** ids, nuint count, int* outIndex);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_portfolio_find_rep(
        PortfolioHandle portfolio, string id, out int outIndex);

    [LibraryImport(Library)]
    internal static partial void carteira_contract_columns_init(NativeContractColumns* columns, nuint structSize);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_portfolio_append_contracts(
        PortfolioHandle portfolio, NativeContractColumns* columns);

    [LibraryImport(Library)]
    internal static partial void carteira_interaction_columns_init(NativeInteractionColumns* columns, nuint structSize);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_portfolio_append_interactions(
        PortfolioHandle portfolio, NativeInteractionColumns* columns);

    [LibraryImport(Library)]
    internal static partial void carteira_survey_columns_init(NativeSurveyColumns* columns, nuint structSize);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_portfolio_append_surveys(
        PortfolioHandle portfolio, NativeSurveyColumns* columns);

    [LibraryImport(Library)]
    internal static partial void carteira_assignment_columns_init(NativeAssignmentColumns* columns, nuint structSize);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_portfolio_append_assignments(
        PortfolioHandle portfolio, NativeAssignmentColumns* columns);

    // ---- CSV import -------------------------------------------------------

    [LibraryImport(Library)]
    internal static partial void carteira_import_options_init(NativeImportOptions* options, nuint structSize);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_import_directory(
        PortfolioHandle portfolio, string directory, NativeImportOptions* options,
        out ImportReportHandle outReport);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_import_file(
        PortfolioHandle portfolio, string entity, string path, NativeImportOptions* options,
        out ImportReportHandle outReport);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_import_text(
        PortfolioHandle portfolio, string entity, byte* text, nuint length, string? name,
        NativeImportOptions* options, out ImportReportHandle outReport);

    [LibraryImport(Library)]
    internal static partial void carteira_import_report_destroy(nint report);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_import_report_counts(
        ImportReportHandle report, string entity, NativeImportCounts* outCounts);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_import_report_issue_count(
        ImportReportHandle report, out nuint outKept, out long outTotal);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_import_report_applied(
        ImportReportHandle report, out int outApplied);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_import_report_issue(
        ImportReportHandle report, nuint index, NativeImportIssue* outIssue);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_import_report_text(
        ImportReportHandle report, out byte* outText);

    // ---- Customer summary ---------------------------------------------------

    [LibraryImport(Library)]
    internal static partial void carteira_summary_options_init(NativeSummaryOptions* options, nuint structSize);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_summary_compute(
        PortfolioHandle portfolio, NativeSummaryOptions* options, out SummaryHandle outSummary);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_summary_recompute(
        SummaryHandle summary, PortfolioHandle portfolio, NativeSummaryOptions* options);

    [LibraryImport(Library)]
    internal static partial void carteira_summary_destroy(nint summary);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_summary_size(SummaryHandle summary, out nuint outRows);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_summary_get_int64(
        SummaryHandle summary, int column, long* outValues, nuint capacity);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_summary_get_double(
        SummaryHandle summary, int column, double* outValues, nuint capacity);

    // ---- Lifecycle status -------------------------------------------------

    [LibraryImport(Library)]
    internal static partial byte* carteira_lifecycle_name(int status);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_lifecycle_parse(string name, out int outStatus);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_policy_default(out StatusPolicyHandle outPolicy);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_status_policy_from_json(string json, out StatusPolicyHandle outPolicy);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_status_policy_from_file(string path, out StatusPolicyHandle outPolicy);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_policy_fixed(
        int atRiskAfter, int inactiveAfter, int lostAfter, out StatusPolicyHandle outPolicy);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_policy_to_json(StatusPolicyHandle policy, out byte* outJson);

    [LibraryImport(Library)]
    internal static partial void carteira_status_policy_destroy(nint policy);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_engine_create(
        PortfolioHandle portfolio, StatusPolicyHandle policy, out StatusEngineHandle outEngine);

    [LibraryImport(Library)]
    internal static partial void carteira_status_engine_destroy(nint engine);

    // The decision is only valid during a rule's apply callback, so it stays
    // a raw pointer (no handle owns it).
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_status_decision_override(nint decision, int status, string? reason);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_status_decision_veto(nint decision, int status, string? reason);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_status_decision_add_reason(nint decision, string reason);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_decision_get_status(nint decision, out int outStatus);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_status_decision_set_error(nint decision, string message);

    // name is passed pinned (not marshalled) so that nothing can throw between
    // handing over user_data and the call, which then owns it.
    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_engine_add_rule(
        StatusEngineHandle engine, byte* name, NativeStatusRuleVtable* vtable, void* userData);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_classify(
        StatusEngineHandle engine, int asOf, out StatusTableHandle outTable);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_classify_summary(
        StatusEngineHandle engine, SummaryHandle summary, out StatusTableHandle outTable);

    [LibraryImport(Library)]
    internal static partial void carteira_status_table_destroy(nint table);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_table_size(StatusTableHandle table, out nuint outRows);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_table_counts(
        StatusTableHandle table, long* outCounts, nuint capacity);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_table_get_int64(
        StatusTableHandle table, int column, long* outValues, nuint capacity);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_table_get_double(
        StatusTableHandle table, int column, double* outValues, nuint capacity);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_table_field_count(StatusTableHandle table, out nuint outCount);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_table_field_name(
        StatusTableHandle table, nuint field, out byte* outName);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_table_get_field(
        StatusTableHandle table, nuint field, double* outValues, nuint capacity);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_table_rule_name(
        StatusTableHandle table, nuint row, out byte* outName);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_table_reason(
        StatusTableHandle table, nuint row, byte* buffer, nuint capacity, out nuint outLength);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_history(
        StatusEngineHandle engine, int* dates, nuint dateCount, byte* outStatus, byte* outFlags, nuint capacity);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_transitions_compute(
        StatusEngineHandle engine, int from, int to, out StatusTransitionsHandle outTransitions);

    [LibraryImport(Library)]
    internal static partial void carteira_status_transitions_destroy(nint transitions);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_transitions_size(
        StatusTransitionsHandle transitions, out nuint outCount);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_transitions_get(
        StatusTransitionsHandle transitions, uint* outCustomer, int* outFrom, int* outTo, int* outDate,
        int* outRule, nuint capacity);

    // ---- Customer models ------------------------------------------------------

    [LibraryImport(Library)]
    internal static partial void carteira_fit_options_init(NativeFitOptions* options, nuint structSize);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_model_fit(
        int kind, NativeRfmColumns* data, NativeFitOptions* options, out ModelHandle outModel);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_model_fit_portfolio(
        int kind, PortfolioHandle portfolio, int calibrationEnd, int unit, NativeFitOptions* options,
        out ModelHandle outModel);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_model_create(
        int kind, double* parameters, nuint count, int unit, out ModelHandle outModel);

    [LibraryImport(Library)]
    internal static partial void carteira_model_destroy(nint model);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_model_get_fit_info(ModelHandle model, NativeFitInfo* outInfo);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_model_get_params(
        ModelHandle model, double* parameters, double* stdErrors, nuint capacity);

    // Static storage: decoded, never freed.
    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_model_param_name(ModelHandle model, nuint index, out byte* outName);

    // Owned by the model: decoded while the handle is held.
    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_model_fit_reason(ModelHandle model, out byte* outReason);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_model_p_alive(
        ModelHandle model, NativeRfmColumns* data, double* output, nuint capacity);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_model_expected_purchases(
        ModelHandle model, NativeRfmColumns* data, double horizon, int horizonUnit, double* output, nuint capacity);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_model_expected_spend(
        ModelHandle model, NativeRfmColumns* data, double* output, nuint capacity);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_model_unconditional_expected_purchases(
        ModelHandle model, double t, int unit, out double output);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_model_probability_of_purchases(
        ModelHandle model, int n, double t, int unit, out double output);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_model_lifetime_value(
        ModelHandle model, ModelHandle spend, NativeRfmColumns* data, double horizon, int horizonUnit,
        double period, int periodUnit, double discountRate, double margin, double* output, nuint capacity);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_engine_add_p_alive_rule(
        StatusEngineHandle engine, ModelHandle model, double atRiskBelow, double inactiveBelow, double horizon,
        int horizonUnit);

    // ---- Store --------------------------------------------------------------

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_store_open(
        string path, NativeStoreOptions* options, out StoreHandle outStore);

    [LibraryImport(Library)]
    internal static partial void carteira_store_close(nint store);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_store_schema_version(StoreHandle store, out int outVersion);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_store_checkpoint(StoreHandle store);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_store_save(StoreHandle store, PortfolioHandle portfolio, int replace);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_store_load(StoreHandle store, PortfolioHandle portfolio);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_store_append(
        StoreHandle store, PortfolioHandle delta, NativeStoreAppendReport* outReport);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_store_refresh_statuses(
        StoreHandle store, int asOf, nint policy, out nint outEvents);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_store_history(StoreHandle store, int from, int to, out nint outEvents);

    [LibraryImport(Library)]
    internal static partial void carteira_status_events_destroy(nint events);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_events_size(nint events, out nuint outCount);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_events_get(nint events, nuint index, NativeStatusEvent* outEvent);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_store_statuses(StoreHandle store, out nint outEvents);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_store_last_transaction_date(StoreHandle store, out int outDay);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_store_last_refresh_date(StoreHandle store, out int outDay);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_store_count(StoreHandle store, string table, out long outRows);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_store_check(
        StoreHandle store, byte* buffer, nuint capacity, out nuint outLength, out nuint outProblems);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_status_events_refresh_info(nint events, NativeRefreshInfo* outInfo);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_store_merge_customers(
        StoreHandle store, string into, byte** merged, nuint mergedCount, int mergedAt, string mergedBy);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_store_apply_plan(
        StoreHandle store, PlanHandle plan, int appliedAt, string appliedBy, string? note);
    // ---- Segments and KPIs ------------------------------------------------

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_quintile_scores(
        long* values, nuint count, int higherIsBetter, byte* output);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_quintile_thresholds(
        long* values, nuint count, int higherIsBetter, long* outThresholds);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_quintile_scores_with_thresholds(
        long* values, nuint count, int higherIsBetter, long* thresholds, byte* output);

    [LibraryImport(Library)]
    internal static partial byte* carteira_abc_class_name(int abcClass);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_abc_classify(
        long* revenue, nuint count, double aShare, double bShare, byte* output);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_segment_map_default(out SegmentMapHandle outMap);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_segment_map_from_json(string json, out SegmentMapHandle outMap);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_segment_map_from_file(string path, out SegmentMapHandle outMap);

    [LibraryImport(Library)]
    internal static partial void carteira_segment_map_destroy(nint map);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_segment_map_to_json(SegmentMapHandle map, out byte* outJson);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_segment_map_check(
        SegmentMapHandle map, NativeSegmentMapReport* outReport);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_segment_map_rule(
        SegmentMapHandle map, nuint index, NativeSegmentRule* outRule);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_segment_map_rule_conditions(
        SegmentMapHandle map, nuint index, nuint* outCount, byte** outText);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_segment_map_shadowed(
        SegmentMapHandle map, nuint index, out nuint outRule, out uint* outCoveredBy, out nuint outCoveredCount);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_segment_map_uncovered(
        SegmentMapHandle map, byte* output, nuint capacity);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_segments_compute(
        PortfolioHandle portfolio, NativeSegmentsOptions* options, out nint outSegments);

    [LibraryImport(Library)]
    internal static partial void carteira_segments_destroy(nint segments);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_segments_size(nint segments, out nuint outRows);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_segments_get_int64(
        nint segments, int column, long* output, nuint capacity);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_segments_name_count(nint segments, out nuint outCount);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_segments_name(
        nint segments, nuint index, out byte* outName, out long outRows);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_segments_get_info(nint segments, NativeSegmentsInfo* outInfo);

    // ---- Sales opportunities (docs/opportunities.md) ---------------------

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_opportunities_compute(
        PortfolioHandle portfolio, NativeOpportunitiesOptions* options, out nint outOpportunities);

    [LibraryImport(Library)]
    internal static partial void carteira_opportunities_destroy(nint opportunities);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_opportunities_note(nint opportunities, out byte* outNote);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_opportunities_category_count(nint opportunities, out nuint outCount);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_opportunities_category(
        nint opportunities, nuint index, out byte* outName);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_opportunities_suggestion_count(nint opportunities, out nuint outRows);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_opportunities_suggestion_int64(
        nint opportunities, int column, long* output, nuint capacity);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_opportunities_suggestion_double(
        nint opportunities, int column, double* output, nuint capacity);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_opportunities_reasons(
        nint opportunities, nuint first, nuint count, byte* buffer, nuint capacity, ulong* outOffsets,
        out nuint outNeeded);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_opportunities_next_purchase(
        nint opportunities, int* basis, int* last, int* expected, int* windowFrom, int* windowTo, nuint capacity);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_opportunities_entering_window(
        nint opportunities, int weekStart, uint* output, nuint capacity, out nuint outCount);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_cross_sell_evaluate(
        PortfolioHandle portfolio, int cutoff, int to, int k, long minPairCustomers,
        NativeCrossSellEvaluation* output);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_mix_compute(
        PortfolioHandle portfolio, int from, int to, int by, out nint outMix);

    [LibraryImport(Library)]
    internal static partial void carteira_mix_destroy(nint mix);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_mix_category_count(nint mix, out nuint outCount);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_mix_category(nint mix, nuint index, out byte* outName);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_mix_group_count(nint mix, out nuint outCount);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_mix_group_get(nint mix, nuint index, NativeMixGroup* output);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_mix_group_categories(
        nint mix, nuint index, long* buyers, long* revenue, nuint capacity);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_mix_breadth(nint mix, int* output, nuint capacity);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_icp_compute(
        PortfolioHandle portfolio, NativeIcpOptions* options, out nint outIcp);

    [LibraryImport(Library)]
    internal static partial void carteira_icp_destroy(nint icp);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_icp_get_info(nint icp, NativeIcpInfo* output);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_icp_profile_count(nint icp, out nuint outCount);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_icp_profile_get(nint icp, nuint index, NativeIcpValue* output);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_icp_scores(
        nint icp, double* score, byte* isBest, long* revenue, int* drivers, nuint capacity);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_model_expected_lifetime_days(ModelHandle model, out double outDays);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_kpi_compute(
        PortfolioHandle portfolio, NativeKpiOptions* options, out nint outKpi);

    [LibraryImport(Library)]
    internal static partial void carteira_kpi_destroy(nint kpi);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_kpi_overall(nint kpi, NativeKpiValues* outValues);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_kpi_group_count(nint kpi, out nuint outCount);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_kpi_group(nint kpi, nuint index, NativeKpiValues* outValues);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_kpi_cohort_count(nint kpi, out nuint outMonths);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_kpi_cohort_months(
        nint kpi, int* outMonth, long* outSize, nuint capacity);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_kpi_cohort_matrix(
        nint kpi, long* outBuyers, double* outRetention, nuint capacity);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_rep_dashboard_compute(
        PortfolioHandle portfolio, NativeRepDashboardOptions* options, out nint outDashboard);

    [LibraryImport(Library)]
    internal static partial void carteira_rep_dashboard_destroy(nint dashboard);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_rep_dashboard_size(nint dashboard, out nuint outRows);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_rep_dashboard_row_get(
        nint dashboard, nuint index, NativeRepDashboardRow* outRow);

    // ---- The HTML report ----------------------------------------------------

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_report_write(
        PortfolioHandle portfolio, NativeReportOptions* options, string path);

    // ---- Data hygiene -----------------------------------------------------

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_check_tax_id(string value, NativeTaxIdResult* outResult);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_check_phone(
        string value, string? defaultRegion, NativePhoneResult* outResult);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_check_email(string value, NativeEmailResult* outResult);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_display_name(
        string text, byte* buffer, nuint capacity, out nuint outLength);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_fold_key(
        string text, byte* buffer, nuint capacity, out nuint outLength);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_hygiene_check(
        PortfolioHandle portfolio, NativeHygieneOptions* options, out nint outReport);

    [LibraryImport(Library)]
    internal static partial void carteira_hygiene_report_destroy(nint report);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_hygiene_report_problem_count(nint report, out nuint outCount);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_hygiene_report_problem(
        nint report, nuint index, NativeHygieneProblem* outProblem);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_hygiene_report_count_size(nint report, out nuint outSize);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_hygiene_report_count(
        nint report, nuint index, out byte* outName, out ulong outCount);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_hygiene_report_cluster_count(nint report, out nuint outCount);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_hygiene_report_cluster(
        nint report, nuint index, NativeDuplicateCluster* outCluster);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_portfolio_merge_customers(
        PortfolioHandle portfolio, string into, byte** merged, nuint mergedCount, int mergedAt, string mergedBy);

    // ---- Redistribution plans ---------------------------------------------

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_plan_pipeline_from_json(
        string json, out PlanPipelineHandle outPipeline);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_plan_pipeline_from_file(
        string path, out PlanPipelineHandle outPipeline);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_plan_pipeline_create(out PlanPipelineHandle outPipeline);

    [LibraryImport(Library)]
    internal static partial void carteira_plan_pipeline_destroy(nint pipeline);

    // name is passed pinned (not marshalled) so that nothing can throw between
    // handing over user_data and the call, which then owns it.
    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_plan_pipeline_add_policy(
        PlanPipelineHandle pipeline, byte* name, NativePolicyVtable* vtable, void* userData);

    // The state functions take the carteira_plan_state* a policy's run gets:
    // valid only during that run, so never wrapped in a SafeHandle.
    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_plan_state_as_of(nint state, out int outDay);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_plan_state_customer(
        nint state, uint customer, NativePlanCustomer* outCustomer);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_plan_state_rep(
        nint state, int rep, out long outCustomers, out long outLoad, out int outAvailable);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_plan_state_move(
        nint state, uint customer, int toRep, string reason, string explanation);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_plan_state_unplace(
        nint state, uint customer, string constraint, string explanation);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_plan_state_set_error(nint state, string message);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_plan_build(
        PortfolioHandle portfolio, StatusTableHandle status, PlanPipelineHandle pipeline, out PlanHandle outPlan);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_plan_from_json(
        PortfolioHandle portfolio, string json, out PlanHandle outPlan);

    [LibraryImport(Library)]
    internal static partial void carteira_plan_destroy(nint plan);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_plan_info_get(PlanHandle plan, NativePlanInfo* outInfo);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_plan_move_get(PlanHandle plan, nuint index, NativePlanMove* outMove);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_plan_unplaced_get(
        PlanHandle plan, nuint index, NativePlanUnplaced* outUnplaced);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_plan_infeasible_get(PlanHandle plan, nuint index, out byte* outText);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_plan_rep_figures(
        PlanHandle plan, int after, int rep, NativeRepFigures* outFigures);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_plan_fairness(PlanHandle plan, int after, NativeFairness* outFairness);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_plan_to_json(PlanHandle plan, out byte* outJson);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_plan_apply(PortfolioHandle portfolio, PlanHandle plan);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_plan_inverse(PlanHandle plan, int effective, out PlanHandle outPlan);

    // ---- Retention actions ------------------------------------------------

    [LibraryImport(Library)]
    internal static partial byte* carteira_task_type_name(int type);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_task_type_parse(string name, out int outType);

    [LibraryImport(Library)]
    internal static partial void carteira_agenda_options_init(NativeAgendaOptions* options, nuint structSize);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_agenda_build(
        StatusEngineHandle engine, NativeAgendaOptions* options, out AgendaHandle outAgenda);

    [LibraryImport(Library)]
    internal static partial void carteira_agenda_destroy(nint agenda);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_agenda_size(AgendaHandle agenda, out nuint outCount);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_agenda_task_get(AgendaHandle agenda, nuint index, NativeTask* outTask);

    [LibraryImport(Library)]
    internal static partial byte* carteira_ledger_kind_name(int kind);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_loyalty_ledger_create(
        PortfolioHandle portfolio, string? rulesJson, out LoyaltyLedgerHandle outLedger);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_loyalty_ledger_create_from_file(
        PortfolioHandle portfolio, string path, out LoyaltyLedgerHandle outLedger);

    [LibraryImport(Library)]
    internal static partial void carteira_loyalty_ledger_destroy(nint ledger);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_loyalty_earn_from_transactions(
        LoyaltyLedgerHandle ledger, int upTo, out nuint outAppended);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_loyalty_redeem(
        LoyaltyLedgerHandle ledger, uint customer, int day, long points, string reference, out ulong outEntry);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_loyalty_adjust(
        LoyaltyLedgerHandle ledger, uint customer, int day, long points, string note, out ulong outEntry);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_loyalty_reverse(
        LoyaltyLedgerHandle ledger, ulong entry, int day, string note, out ulong outEntry);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_loyalty_expire_until(LoyaltyLedgerHandle ledger, int day, out nuint outAppended);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_loyalty_balance(
        LoyaltyLedgerHandle ledger, uint customer, int day, out long outPoints);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_loyalty_expiring_within(
        LoyaltyLedgerHandle ledger, uint customer, int day, int days, out long outPoints);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_loyalty_balances(
        LoyaltyLedgerHandle ledger, int day, long* outPoints, nuint count);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_loyalty_tier(
        LoyaltyLedgerHandle ledger, uint customer, int day, NativeTierStanding* outStanding);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_loyalty_entry_count(LoyaltyLedgerHandle ledger, out nuint outCount);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_loyalty_entry_get(
        LoyaltyLedgerHandle ledger, nuint index, NativeLedgerEntry* outEntry);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_store_save_loyalty(StoreHandle store, LoyaltyLedgerHandle ledger);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_store_load_loyalty(
        StoreHandle store, PortfolioHandle portfolio, string? rulesJson, out LoyaltyLedgerHandle outLedger);

    // The call handle a handler gets: valid only during that call.
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CarteiraStatus carteira_automation_call_set_error(nint call, string message);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_automation_create(out AutomationHandle outAutomation);

    [LibraryImport(Library)]
    internal static partial void carteira_automation_destroy(nint automation);

    // name is passed pinned (not marshalled) so that nothing can throw between
    // handing over user_data and the call, which then owns it.
    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_automation_add_handler(
        AutomationHandle automation, byte* name, NativeAutomationVtable* vtable, void* userData);

    // ledger is a raw carteira_loyalty_ledger* (0 = none): the caller keeps its handle alive.
    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_automation_run(
        AutomationHandle automation, StatusEngineHandle engine, nint ledger, int from, int to, byte** knownTaskKeys,
        nuint knownCount, NativeAgendaOptions* agenda, out AutomationReportHandle outReport);

    [LibraryImport(Library)]
    internal static partial void carteira_automation_report_destroy(nint report);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_automation_report_counts(
        AutomationReportHandle report, NativeAutomationCounts* outCounts);

    [LibraryImport(Library)]
    internal static partial CarteiraStatus carteira_automation_report_failure(
        AutomationReportHandle report, nuint index, NativeAutomationFailure* outFailure);
}

/// <summary>carteira_portfolio_counts.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativePortfolioCounts
{
    public uint StructSize;
    public long Customers;
    public long Reps;
    public long Transactions;
    public long Contracts;
    public long Interactions;
    public long Surveys;
    public long Assignments;

    public static unsafe NativePortfolioCounts Init() => new() { StructSize = (uint)sizeof(NativePortfolioCounts) };
}

/// <summary>carteira_customer_columns.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeCustomerColumns
{
    public uint StructSize;
    public nuint Count;
    public byte** Id;
    public byte** Name;
    public byte** Document;
    public byte** Email;
    public byte** Phone;
    public byte** City;
    public byte** State;
    public byte** Region;
    public byte** Segment;
    public int* CreatedAt;
    public byte* KeyAccount;
    public byte* Delinquent;

    public static NativeCustomerColumns Init() => new() { StructSize = (uint)sizeof(NativeCustomerColumns) };
}

/// <summary>carteira_transaction_columns.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeTransactionColumns
{
    public uint StructSize;
    public nuint Count;
    public uint* CustomerIndex;
    public int* Date;
    public long* Amount;
    public byte** OrderId;
    public int* RepIndex;
    public byte** Category;

    public static NativeTransactionColumns Init() => new() { StructSize = (uint)sizeof(NativeTransactionColumns) };
}

/// <summary>carteira_rep_columns.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeRepColumns
{
    public uint StructSize;
    public nuint Count;
    public byte** Id;
    public byte** Name;
    public byte** Region;
    public byte** Segments;
    public int* Capacity;
    public byte* Active;
    public byte** Team;

    public static NativeRepColumns Init() => new() { StructSize = (uint)sizeof(NativeRepColumns) };
}

/// <summary>carteira_contract_columns.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeContractColumns
{
    public uint StructSize;
    public nuint Count;
    public uint* CustomerIndex;
    public byte** ContractId;
    public int* Start;
    public int* End;
    public long* Value;
    public byte* AutoRenew;

    public static NativeContractColumns Init() => new() { StructSize = (uint)sizeof(NativeContractColumns) };
}

/// <summary>carteira_interaction_columns.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeInteractionColumns
{
    public uint StructSize;
    public nuint Count;
    public uint* CustomerIndex;
    public int* RepIndex;
    public int* Date;
    public byte** Channel;
    public byte** Outcome;

    public static NativeInteractionColumns Init() => new() { StructSize = (uint)sizeof(NativeInteractionColumns) };
}

/// <summary>carteira_survey_columns.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeSurveyColumns
{
    public uint StructSize;
    public nuint Count;
    public uint* CustomerIndex;
    public int* Date;
    public int* Score;

    public static NativeSurveyColumns Init() => new() { StructSize = (uint)sizeof(NativeSurveyColumns) };
}

/// <summary>carteira_assignment_columns.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeAssignmentColumns
{
    public uint StructSize;
    public nuint Count;
    public uint* CustomerIndex;
    public int* RepIndex;
    public int* Since;
    public byte** Reason;

    public static NativeAssignmentColumns Init() => new() { StructSize = (uint)sizeof(NativeAssignmentColumns) };
}

/// <summary>carteira_import_options.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeImportOptions
{
    public uint StructSize;
    public int Mode;
    public byte Delimiter; // C `char`, one byte (a C# char is two)
    public int HasHeader;
    public int Decimal;
    public int UnknownCustomers;
    public int UnknownReps;
    public byte* ColumnMapping;
    public uint MaxIssues;

    // CARTEIRA_IMPORT_OPTIONS_INIT
    public static NativeImportOptions Init() => new() { StructSize = (uint)sizeof(NativeImportOptions), HasHeader = 1 };
}

/// <summary>carteira_import_counts.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeImportCounts
{
    public uint StructSize;
    public long RowsRead;
    public long RowsAdded;
    public long RowsRejected;

    public static unsafe NativeImportCounts Init() => new() { StructSize = (uint)sizeof(NativeImportCounts) };
}

/// <summary>carteira_import_issue.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeImportIssue
{
    public uint StructSize;
    public byte* File;
    public long Line;
    public int Column;
    public byte* Field;
    public byte* Value;
    public byte* Message;

    public static NativeImportIssue Init() => new() { StructSize = (uint)sizeof(NativeImportIssue) };
}

/// <summary>carteira_summary_options.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeSummaryOptions
{
    public uint StructSize;
    public int AsOf;
    public int Unit;

    // CARTEIRA_SUMMARY_OPTIONS_INIT
    public static unsafe NativeSummaryOptions Init() =>
        new() { StructSize = (uint)sizeof(NativeSummaryOptions), AsOf = Dates.NoDay, Unit = (int)TimeUnit.Days };
}

/// <summary>carteira_summary_column.</summary>
internal enum SummaryColumn
{
    CustomerIndex = 0,
    FirstPurchase = 1,
    LastPurchase = 2,
    PurchaseDays = 3,
    X = 4,
    TX = 5,
    T = 6,
    Revenue = 7,
    AverageTicket = 8,
    Zbar = 9,
    MedianGapDays = 10,
    DaysSinceLast = 11,
}

/// <summary>carteira_status_facts: what a plugin rule sees (library-owned, read only).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeStatusFacts
{
    public uint StructSize;
    public uint CustomerIndex;
    public byte* CustomerId;
    public byte* Segment;
    public int AsOf;
    public int PurchaseDays;
    public int* PurchaseDayList;
    public int DaysSinceLast;
    public double MedianGapDays;
    public int Status;
    public uint Flags;
}

/// <summary>carteira_status_rule_vtable.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeStatusRuleVtable
{
    public uint StructSize;
    public delegate* unmanaged[Cdecl]<void*, NativeStatusFacts*, nint, int> Apply;
    public delegate* unmanaged[Cdecl]<void*, void> Destroy;

    // CARTEIRA_STATUS_RULE_VTABLE_INIT
    public static NativeStatusRuleVtable Init() => new() { StructSize = (uint)sizeof(NativeStatusRuleVtable) };
}

/// <summary>carteira_rfm_columns.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeRfmColumns
{
    public uint StructSize;
    public nuint Count;
    public double* X;
    public double* TX;
    public double* T;
    public double* Weight;
    public double* Zbar;
    public int Unit;

    // CARTEIRA_RFM_COLUMNS_INIT
    public static NativeRfmColumns Init() =>
        new() { StructSize = (uint)sizeof(NativeRfmColumns), Unit = (int)TimeUnit.Weeks };
}

/// <summary>carteira_fit_options.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeFitOptions
{
    public uint StructSize;
    public double L2Penalty;
    public int MaxEvaluations;
    public double* Initial;
    public nuint InitialCount;

    // CARTEIRA_FIT_OPTIONS_INIT
    public static NativeFitOptions Init() => new() { StructSize = (uint)sizeof(NativeFitOptions) };
}

/// <summary>carteira_fit_info.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeFitInfo
{
    public uint StructSize;
    public int Kind;
    public int Unit;
    public int Fitted;
    public int Converged;
    public int Evaluations;
    public double LogLikelihood;
    public double NCustomers;
    public double GradientNorm;
    public double Aic;
    public double Bic;
    public nuint ParamCount;

    // CARTEIRA_FIT_INFO_INIT
    public static unsafe NativeFitInfo Init() => new() { StructSize = (uint)sizeof(NativeFitInfo) };
}

/// <summary>carteira_tax_id_result.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeTaxIdResult
{
    public uint StructSize;
    public int Valid;
    public byte* Kind;
    public byte* Problem;
    public int Position;
    public fixed byte Canonical[16];
    public fixed byte Formatted[24];

    // CARTEIRA_TAX_ID_RESULT_INIT
    public static NativeTaxIdResult Init() => new() { StructSize = (uint)sizeof(NativeTaxIdResult) };
}

/// <summary>carteira_phone_result.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativePhoneResult
{
    public uint StructSize;
    public int Valid;
    public byte* Problem;
    public byte* Type;
    public fixed byte E164[24];
    public fixed byte Suggestion[24];

    // CARTEIRA_PHONE_RESULT_INIT
    public static NativePhoneResult Init() => new() { StructSize = (uint)sizeof(NativePhoneResult) };
}

/// <summary>carteira_email_result.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeEmailResult
{
    public uint StructSize;
    public int Valid;
    public byte* Problem;
    public int Position;
    public fixed byte Normalized[256];
    public fixed byte Suggestion[256];

    // CARTEIRA_EMAIL_RESULT_INIT
    public static NativeEmailResult Init() => new() { StructSize = (uint)sizeof(NativeEmailResult) };
}

/// <summary>carteira_hygiene_options.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeHygieneOptions
{
    public uint StructSize;
    public byte* DefaultRegion;
    public int FindDuplicates;
    public double LinkThreshold;

    // CARTEIRA_HYGIENE_OPTIONS_INIT
    public static NativeHygieneOptions Init() =>
        new() { StructSize = (uint)sizeof(NativeHygieneOptions), FindDuplicates = 1 };
}

/// <summary>carteira_hygiene_problem.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeHygieneProblem
{
    public uint StructSize;
    public uint CustomerIndex;
    public byte* CustomerId;
    public byte* Field;
    public byte* Value;
    public byte* Problem;
    public byte* Detail;
    public byte* Suggestion;

    // CARTEIRA_HYGIENE_PROBLEM_INIT
    public static NativeHygieneProblem Init() => new() { StructSize = (uint)sizeof(NativeHygieneProblem) };
}

/// <summary>carteira_duplicate_cluster.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeDuplicateCluster
{
    public uint StructSize;
    public nuint MemberCount;
    public uint* Members;
    public byte* Reasons;
    public double Score;

    // CARTEIRA_DUPLICATE_CLUSTER_INIT
    public static NativeDuplicateCluster Init() => new() { StructSize = (uint)sizeof(NativeDuplicateCluster) };
}

/// <summary>carteira_store_options.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeStoreOptions
{
    public uint StructSize;
    public int Create;
    public int ReadOnly;
    public int BusyTimeoutMs;
    public int Durable;
    public long MaxBytes; // since 0.2
    public int CheckpointThread; // since 0.2

    // CARTEIRA_STORE_OPTIONS_INIT
    public static unsafe NativeStoreOptions Init() => new()
    {
        StructSize = (uint)sizeof(NativeStoreOptions), Create = 1, BusyTimeoutMs = 2000, Durable = 1,
        CheckpointThread = 1,
    };
}

/// <summary>carteira_refresh_info.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeRefreshInfo
{
    public uint StructSize;
    public int AsOf;
    public int PreviousAsOf;
    public int PolicyChanged;
    public long CustomersChecked;

    // CARTEIRA_REFRESH_INFO_INIT
    public static unsafe NativeRefreshInfo Init() => new() { StructSize = (uint)sizeof(NativeRefreshInfo) };
}

/// <summary>carteira_store_append_report.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeStoreAppendReport
{
    public uint StructSize;
    public long CustomersAdded, CustomersUpdated, RepsAdded, RepsUpdated;
    public long Transactions, Contracts, Interactions, Surveys, Assignments;
    public long AffectedCustomers;

    // CARTEIRA_STORE_APPEND_REPORT_INIT
    public static unsafe NativeStoreAppendReport Init() => new() { StructSize = (uint)sizeof(NativeStoreAppendReport) };
}

/// <summary>carteira_status_event.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeStatusEvent
{
    public uint StructSize;
    public byte* CustomerId;
    public int AsOf;
    public int From;
    public int To;
    public uint FromFlags;
    public uint ToFlags;
    public int First;

    // CARTEIRA_STATUS_EVENT_INIT
    public static NativeStatusEvent Init() => new() { StructSize = (uint)sizeof(NativeStatusEvent) };
}

/// <summary>carteira_segment_rule.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeSegmentRule
{
    public uint StructSize;
    public byte* Name;
    public byte RLo, RHi, FLo, FHi, MLo, MHi, FmLo, FmHi;

    // CARTEIRA_SEGMENT_RULE_INIT
    public static NativeSegmentRule Init() => new() { StructSize = (uint)sizeof(NativeSegmentRule) };
}

/// <summary>carteira_segment_map_report.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeSegmentMapReport
{
    public uint StructSize;
    public int Ok;
    public int RFMGrid;
    public nuint RuleCount;
    public nuint ShadowedCount;
    public nuint UncoveredCount;
    public byte* Fallback;
    public byte* Description;

    // CARTEIRA_SEGMENT_MAP_REPORT_INIT
    public static NativeSegmentMapReport Init() => new() { StructSize = (uint)sizeof(NativeSegmentMapReport) };
}

/// <summary>carteira_segments_options.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeSegmentsOptions
{
    public uint StructSize;
    public int AsOf;
    public nint Map;
    public double AbcAShare;
    public double AbcBShare;
    public int AbcFrom;

    // CARTEIRA_SEGMENTS_OPTIONS_INIT
    public static NativeSegmentsOptions Init() => new()
    {
        StructSize = (uint)sizeof(NativeSegmentsOptions), AsOf = Dates.NoDay, AbcFrom = Dates.NoDay,
    };
}

/// <summary>carteira_segments_info.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeSegmentsInfo
{
    public uint StructSize;
    public int AsOf;
    public int AbcFrom;
    public long AbcTotal;
    public long CustomersNone, CustomersA, CustomersB, CustomersC;
    public long RevenueA, RevenueB, RevenueC;

    // CARTEIRA_SEGMENTS_INFO_INIT
    public static NativeSegmentsInfo Init() => new() { StructSize = (uint)sizeof(NativeSegmentsInfo) };
}

/// <summary>carteira_opportunities_options.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeOpportunitiesOptions
{
    public uint StructSize;
    public int AsOf;
    public int TopK;
    public int MaxGaps;
    public long MinPairCustomers;

    // CARTEIRA_OPPORTUNITIES_OPTIONS_INIT
    public static NativeOpportunitiesOptions Init() => new()
    {
        StructSize = (uint)sizeof(NativeOpportunitiesOptions), AsOf = Dates.NoDay,
    };
}

/// <summary>carteira_cross_sell_evaluation.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeCrossSellEvaluation
{
    public uint StructSize;
    public long Customers;
    public long ModelHits;
    public long BaselineHits;
    public double ModelHitRate;
    public double BaselineHitRate;

    // CARTEIRA_CROSS_SELL_EVALUATION_INIT
    public static NativeCrossSellEvaluation Init() => new() { StructSize = (uint)sizeof(NativeCrossSellEvaluation) };
}

/// <summary>carteira_mix_group.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeMixGroup
{
    public uint StructSize;
    public byte* Group;
    public int Unassigned;
    public long Customers;
    public long Buyers;
    public double AverageBreadth;

    // CARTEIRA_MIX_GROUP_INIT
    public static NativeMixGroup Init() => new() { StructSize = (uint)sizeof(NativeMixGroup) };
}

/// <summary>carteira_icp_options.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeIcpOptions
{
    public uint StructSize;
    public int AsOf;
    public double BestShare;
    public double Smoothing;

    // CARTEIRA_ICP_OPTIONS_INIT
    public static NativeIcpOptions Init() => new()
    {
        StructSize = (uint)sizeof(NativeIcpOptions), AsOf = Dates.NoDay, BestShare = 0.2, Smoothing = 10.0,
    };
}

/// <summary>carteira_icp_info.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeIcpInfo
{
    public uint StructSize;
    public int AsOf;
    public long Buyers;
    public long Best;
    public long BestThreshold;
    public double BaseRate;

    // CARTEIRA_ICP_INFO_INIT
    public static NativeIcpInfo Init() => new() { StructSize = (uint)sizeof(NativeIcpInfo) };
}

/// <summary>carteira_icp_value.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeIcpValue
{
    public uint StructSize;
    public byte* Attribute;
    public byte* Value;
    public long Customers;
    public long Best;
    public double ShareOfBest;
    public double Probability;
    public double Lift;

    // CARTEIRA_ICP_VALUE_INIT
    public static NativeIcpValue Init() => new() { StructSize = (uint)sizeof(NativeIcpValue) };
}

/// <summary>carteira_kpi_options.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeKpiOptions
{
    public uint StructSize;
    public int From;
    public int To;
    public int By;
    public int ActiveWindowDays;
    public int ActiveByStatus;
    public nint Policy;
    public nint LifetimeModel;

    // CARTEIRA_KPI_OPTIONS_INIT
    public static NativeKpiOptions Init() => new()
    {
        StructSize = (uint)sizeof(NativeKpiOptions), From = Dates.NoDay, To = Dates.NoDay,
    };
}

/// <summary>carteira_kpi_values.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeKpiValues
{
    public uint StructSize;
    public int Unassigned;
    public byte* Group;
    public long Customers;
    public long ActiveStart;
    public long Active;
    public long NewCustomers;
    public long NewActive;
    public long Retained;
    public long Churned;
    public long LapsedStart;
    public long Reactivated;
    public long Buyers;
    public long Purchases;
    public long Revenue;
    public double RetentionRate;
    public double ChurnRate;
    public double ReactivationRate;
    public long AverageTicket;
    public long RevenuePerCustomer;
    public double PurchaseFrequency;
    public double LifetimeObservedDays;
    public double LifetimeFromChurnDays;
    public double LifetimeModelDays;
    public long Answers;
    public long Promoters;
    public long Passives;
    public long Detractors;
    public double Nps;
    public double Positivacao;
    public long BookAtStart;
    public long Moved;
    public double Giro;
    public double Top20Share;
    public double Gini;

    // CARTEIRA_KPI_VALUES_INIT
    public static NativeKpiValues Init() => new() { StructSize = (uint)sizeof(NativeKpiValues) };
}

/// <summary>carteira_rep_dashboard_options.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeRepDashboardOptions
{
    public uint StructSize;
    public int From;
    public int To;
    public nint Policy;

    // CARTEIRA_REP_DASHBOARD_OPTIONS_INIT
    public static NativeRepDashboardOptions Init() => new()
    {
        StructSize = (uint)sizeof(NativeRepDashboardOptions), From = Dates.NoDay, To = Dates.NoDay,
    };
}

/// <summary>carteira_report_options.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeReportOptions
{
    public uint StructSize;
    public int AsOf;
    public int From;
    public int Language;
    public byte* Currency;
    public byte* Title;
    public nint Policy;
    public nint SegmentMap;

    // CARTEIRA_REPORT_OPTIONS_INIT
    public static NativeReportOptions Init() => new()
    {
        StructSize = (uint)sizeof(NativeReportOptions), AsOf = Dates.NoDay, From = Dates.NoDay,
    };
}

/// <summary>carteira_rep_dashboard_row.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeRepDashboardRow
{
    public uint StructSize;
    public int RepIndex;
    public byte* RepId;
    public byte* RepName;
    public long Book;
    public long StatusProspect, StatusNew, StatusActive, StatusAtRisk, StatusInactive, StatusLost,
        StatusReactivated;
    public long Revenue;
    public long Buyers;
    public double Positivacao;
    public long Answers, Promoters, Passives, Detractors;
    public double Nps;
    public int LastContact;
    public int DaysSinceLastContact;
    public long AtRisk;
    public long AtRiskValue;

    // CARTEIRA_REP_DASHBOARD_ROW_INIT
    public static NativeRepDashboardRow Init() => new() { StructSize = (uint)sizeof(NativeRepDashboardRow) };
}

/// <summary>carteira_policy_vtable.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativePolicyVtable
{
    public uint StructSize;
    public delegate* unmanaged[Cdecl]<void*, nint, nint, int> Run;
    public delegate* unmanaged[Cdecl]<void*, void> Destroy;

    // CARTEIRA_POLICY_VTABLE_INIT
    public static NativePolicyVtable Init() => new() { StructSize = (uint)sizeof(NativePolicyVtable) };
}

/// <summary>carteira_plan_customer.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativePlanCustomer
{
    public uint StructSize;
    public int Holder;
    public int Status;
    public int Locked;
    public int Moved;
    public int DaysSinceLast;
    public int HolderLastTouch;
    public long Value;
    public long Weight;

    // CARTEIRA_PLAN_CUSTOMER_INIT
    public static NativePlanCustomer Init() => new()
    {
        StructSize = (uint)sizeof(NativePlanCustomer), Holder = -1, DaysSinceLast = -1, HolderLastTouch = Dates.NoDay,
    };
}

/// <summary>carteira_plan_info.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativePlanInfo
{
    public uint StructSize;
    public byte* Id;
    public int AsOf;
    public nuint MoveCount;
    public nuint UnplacedCount;
    public nuint InfeasibleCount;
    public byte* RoundRobinCursor;

    // CARTEIRA_PLAN_INFO_INIT
    public static NativePlanInfo Init() => new() { StructSize = (uint)sizeof(NativePlanInfo), AsOf = Dates.NoDay };
}

/// <summary>carteira_plan_move.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativePlanMove
{
    public uint StructSize;
    public uint Customer;
    public int From;
    public int To;
    public int Effective;
    public int Until;
    public byte* Policy;
    public byte* Reason;
    public byte* Explanation;

    // CARTEIRA_PLAN_MOVE_INIT
    public static NativePlanMove Init() => new()
    {
        StructSize = (uint)sizeof(NativePlanMove), From = -1, To = -1, Effective = Dates.NoDay, Until = Dates.NoDay,
    };
}

/// <summary>carteira_plan_unplaced.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativePlanUnplaced
{
    public uint StructSize;
    public uint Customer;
    public int Holder;
    public byte* Policy;
    public byte* Constraint;
    public byte* Explanation;

    // CARTEIRA_PLAN_UNPLACED_INIT
    public static NativePlanUnplaced Init() => new() { StructSize = (uint)sizeof(NativePlanUnplaced), Holder = -1 };
}

/// <summary>carteira_rep_figures.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeRepFigures
{
    public uint StructSize;
    public long Customers;
    public long Load;
    public long AtRisk;
    public long AtRiskValue;

    // CARTEIRA_REP_FIGURES_INIT
    public static NativeRepFigures Init() => new() { StructSize = (uint)sizeof(NativeRepFigures) };
}

/// <summary>carteira_fairness.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeFairness
{
    public uint StructSize;
    public long Reps;
    public long MinLoad;
    public long MaxLoad;
    public double MaxMinRatio;
    public double Gini;

    // CARTEIRA_FAIRNESS_INIT
    public static NativeFairness Init() => new() { StructSize = (uint)sizeof(NativeFairness) };
}

/// <summary>carteira_agenda_options.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeAgendaOptions
{
    public uint StructSize;
    public int AsOf;
    public int HorizonDays;
    public uint TaskTypes;
    public int RenewalLeadDays;
    public int RenewalUrgentDays;
    public uint ReactivationStatuses;
    public int ReactivationWindowDays;
    public byte* VisitChannels;
    public int VisitDaysA;
    public int VisitDaysB;
    public int VisitDaysC;
    public int NpsAfterPurchaseDays;
    public int NpsMinIntervalDays;
    public int NpsMaxAgeDays;
    public int FollowUpAfterDays;
    public int FollowUpMaxAgeDays;
    public double* ExpectedValue;
    public nuint ExpectedValueCount;
    public int PurchaseWindowLeadDays;   // since 0.2
    public int PurchaseWindowMaxAgeDays; // since 0.2

    // CARTEIRA_AGENDA_OPTIONS_INIT
    public static NativeAgendaOptions Init() => new()
    {
        StructSize = (uint)sizeof(NativeAgendaOptions), AsOf = Dates.NoDay, HorizonDays = 7, TaskTypes = 0x1F,
        RenewalLeadDays = 60, RenewalUrgentDays = 15,
        ReactivationStatuses = (1u << (int)Lifecycle.AtRisk) | (1u << (int)Lifecycle.Inactive),
        ReactivationWindowDays = 30, VisitDaysA = 30, VisitDaysB = 60, VisitDaysC = 90, NpsAfterPurchaseDays = 7,
        NpsMinIntervalDays = 90, NpsMaxAgeDays = 30, FollowUpAfterDays = 3, FollowUpMaxAgeDays = 14,
        PurchaseWindowLeadDays = 2, PurchaseWindowMaxAgeDays = 14,
    };
}

/// <summary>carteira_task.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeTask
{
    public uint StructSize;
    public uint Customer;
    public int Rep;
    public int Type;
    public int Due;
    public int Anchor;
    public int Overdue;
    public int Priority;
    public byte* Key;
    public byte* Reason;

    // CARTEIRA_TASK_INIT
    public static NativeTask Init() => new()
    {
        StructSize = (uint)sizeof(NativeTask), Rep = -1, Due = Dates.NoDay, Anchor = Dates.NoDay,
    };
}

/// <summary>carteira_tier_standing.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeTierStanding
{
    public uint StructSize;
    public int Tier;
    public int Next;
    public long Spend;
    public long ToNext;
    public byte* TierName;
    public byte* NextName;

    // CARTEIRA_TIER_STANDING_INIT
    public static NativeTierStanding Init() => new() { StructSize = (uint)sizeof(NativeTierStanding), Tier = -1, Next = -1 };
}

/// <summary>carteira_ledger_entry.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeLedgerEntry
{
    public uint StructSize;
    public ulong Id;
    public uint Customer;
    public int Day;
    public int Kind;
    public long Points;
    public int Expires;
    public ulong Reverses;
    public byte* Reference;
    public byte* Note;

    // CARTEIRA_LEDGER_ENTRY_INIT
    public static NativeLedgerEntry Init() => new()
    {
        StructSize = (uint)sizeof(NativeLedgerEntry), Day = Dates.NoDay, Expires = Dates.NoDay,
    };
}

/// <summary>carteira_transition_event.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeTransitionEvent
{
    public uint StructSize;
    public uint Customer;
    public byte* CustomerId;
    public int From;
    public int To;
    public int Date;
    public int Rule;
}

/// <summary>carteira_tier_change.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeTierChange
{
    public uint StructSize;
    public uint Customer;
    public byte* CustomerId;
    public int FromTier;
    public int ToTier;
    public byte* FromName;
    public byte* ToName;
    public int From;
    public int To;
    public long Spend;
}

/// <summary>carteira_automation_vtable.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeAutomationVtable
{
    public uint StructSize;
    public delegate* unmanaged[Cdecl]<void*, NativeTransitionEvent*, nint, int> OnTransition;
    public delegate* unmanaged[Cdecl]<void*, NativeTask*, nint, int> OnNewTask;
    public delegate* unmanaged[Cdecl]<void*, NativeTierChange*, nint, int> OnTierChange;
    public delegate* unmanaged[Cdecl]<void*, void> Destroy;

    // CARTEIRA_AUTOMATION_VTABLE_INIT
    public static NativeAutomationVtable Init() => new() { StructSize = (uint)sizeof(NativeAutomationVtable) };
}

/// <summary>carteira_automation_counts.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeAutomationCounts
{
    public uint StructSize;
    public int From;
    public int To;
    public nuint Transitions;
    public nuint NewTasks;
    public nuint TierChanges;
    public nuint Calls;
    public nuint Delivered;
    public nuint Failures;

    // CARTEIRA_AUTOMATION_COUNTS_INIT
    public static NativeAutomationCounts Init() => new()
    {
        StructSize = (uint)sizeof(NativeAutomationCounts), From = Dates.NoDay, To = Dates.NoDay,
    };
}

/// <summary>carteira_automation_failure.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeAutomationFailure
{
    public uint StructSize;
    public int Kind;
    public uint Customer;
    public byte* CustomerId;
    public byte* Handler;
    public byte* Message;

    // CARTEIRA_AUTOMATION_FAILURE_INIT
    public static NativeAutomationFailure Init() => new() { StructSize = (uint)sizeof(NativeAutomationFailure) };
}
