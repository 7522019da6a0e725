"""The loader: version, library discovery, and a declaration for every C function."""

import ctypes
import re
import shutil
import subprocess

import pytest

import carteira
from carteira import _lib, _version


def _version_macros(repo):
    # carteira.h includes "carteira/version.h", which lives in include/.
    text = (repo / "capi" / ".." / "include" / "carteira" / "version.h").read_text()
    return {
        part: int(re.search(rf"#define CARTEIRA_VERSION_{part}\s+(\d+)", text).group(1))
        for part in ("MAJOR", "MINOR", "PATCH")
    }


def test_version_matches_the_header_macros(repo):
    v = _version_macros(repo)
    assert carteira.version() == f"{v['MAJOR']}.{v['MINOR']}.{v['PATCH']}"
    assert carteira.version_number() == v["MAJOR"] * 10000 + v["MINOR"] * 100 + v["PATCH"]


def test_binding_major_is_the_library_major(repo):
    assert _version.MAJOR == _version_macros(repo)["MAJOR"]
    assert carteira.__version__.split(".")[0] == str(_version.MAJOR)


def test_check_major_refuses_another_major_and_accepts_any_minor():
    _lib.check_major(_version.MAJOR * 10000 + 99 * 100 + 7)
    with pytest.raises(ImportError, match="major"):
        _lib.check_major((_version.MAJOR + 1) * 10000)


def test_locate_library_takes_the_environment_variable_first(tmp_path):
    explicit = tmp_path / "custom.so"
    explicit.write_bytes(b"")
    packaged = tmp_path / "pkg"
    packaged.mkdir()
    (packaged / "libcarteira.so.0").write_bytes(b"")
    found = _lib.locate_library({"CARTEIRA_LIBRARY": str(explicit)}, str(packaged))
    assert found == str(explicit)


def test_locate_library_rejects_a_missing_explicit_path(tmp_path):
    with pytest.raises(ImportError, match="CARTEIRA_LIBRARY"):
        _lib.locate_library({"CARTEIRA_LIBRARY": str(tmp_path / "nope.so")}, str(tmp_path))


def test_locate_library_finds_a_copy_in_the_package_directory(tmp_path):
    (tmp_path / "libcarteira.so.0").write_bytes(b"")
    assert _lib.locate_library({}, str(tmp_path)) == str(tmp_path / "libcarteira.so.0")


# ---- every function in carteira.h is declared, with the header's types ------------


def _header_functions(repo):
    text = (repo / "capi" / "include" / "carteira" / "carteira.h").read_text()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    decl = re.compile(
        r"CARTEIRA_API\s+(?:CARTEIRA_MUST_USE\s+)?([\w\s\*]+?)\s*\b(carteira_\w+)\s*\(([^)]*)\)\s*;")
    out = {}
    for ret, name, params in decl.findall(text):
        params = " ".join(params.split())
        args = [] if params in ("", "void") else [p.strip() for p in params.split(",")]
        # Drop the parameter name, keep the type ("const char* const* ids" -> "const char* const*").
        types = [re.sub(r"\s*\b\w+$", "", a) if not a.endswith("*") else a for a in args]
        out[name] = (" ".join(ret.split()), types)
    return out


_STRUCTS = {
    "carteira_portfolio": _lib._Portfolio,
    "carteira_import_report": _lib._ImportReport,
    "carteira_summary": _lib._Summary,
    "carteira_portfolio_counts": _lib.PortfolioCounts,
    "carteira_customer_columns": _lib.CustomerColumns,
    "carteira_transaction_columns": _lib.TransactionColumns,
    "carteira_rep_columns": _lib.RepColumns,
    "carteira_contract_columns": _lib.ContractColumns,
    "carteira_interaction_columns": _lib.InteractionColumns,
    "carteira_survey_columns": _lib.SurveyColumns,
    "carteira_assignment_columns": _lib.AssignmentColumns,
    "carteira_import_options": _lib.ImportOptions,
    "carteira_import_counts": _lib.ImportCounts,
    "carteira_import_issue": _lib.ImportIssue,
    "carteira_summary_options": _lib.SummaryOptions,
    "carteira_status_policy": _lib._StatusPolicy,
    "carteira_status_engine": _lib._StatusEngine,
    "carteira_status_decision": _lib._StatusDecision,
    "carteira_status_table": _lib._StatusTable,
    "carteira_status_transitions": _lib._StatusTransitions,
    "carteira_status_facts": _lib.StatusFacts,
    "carteira_status_rule_vtable": _lib.StatusRuleVtable,
    "carteira_model": _lib._Model,
    "carteira_rfm_columns": _lib.RfmColumns,
    "carteira_fit_options": _lib.FitOptions,
    "carteira_fit_info": _lib.FitInfo,
    "carteira_tax_id_result": _lib.TaxIdResult,
    "carteira_phone_result": _lib.PhoneResult,
    "carteira_email_result": _lib.EmailResult,
    "carteira_hygiene_options": _lib.HygieneOptions,
    "carteira_hygiene_report": _lib._HygieneReport,
    "carteira_hygiene_problem": _lib.HygieneProblem,
    "carteira_duplicate_cluster": _lib.DuplicateCluster,
    "carteira_store": _lib._Store,
    "carteira_store_options": _lib.StoreOptions,
    "carteira_store_append_report": _lib.StoreAppendReport,
    "carteira_status_events": _lib._StatusEvents,
    "carteira_status_event": _lib.StatusEvent,
    "carteira_refresh_info": _lib.RefreshInfo,
    "carteira_segment_map": _lib._SegmentMap,
    "carteira_segment_rule": _lib.SegmentRule,
    "carteira_segment_map_report": _lib.SegmentMapReport,
    "carteira_segments": _lib._Segments,
    "carteira_segments_options": _lib.SegmentsOptions,
    "carteira_segments_info": _lib.SegmentsInfo,
    "carteira_kpi": _lib._Kpi,
    "carteira_kpi_options": _lib.KpiOptions,
    "carteira_kpi_values": _lib.KpiValues,
    "carteira_rep_dashboard": _lib._RepDashboard,
    "carteira_rep_dashboard_options": _lib.RepDashboardOptions,
    "carteira_rep_dashboard_row": _lib.RepDashboardRow,
    "carteira_report_options": _lib.ReportOptions,
    "carteira_plan_pipeline": _lib._PlanPipeline,
    "carteira_plan": _lib._Plan,
    "carteira_plan_state": _lib._PlanState,
    "carteira_policy_vtable": _lib.PolicyVtable,
    "carteira_plan_customer": _lib.PlanCustomer,
    "carteira_plan_info": _lib.PlanInfo,
    "carteira_plan_move": _lib.PlanMove,
    "carteira_plan_unplaced": _lib.PlanUnplaced,
    "carteira_rep_figures": _lib.RepFigures,
    "carteira_fairness": _lib.Fairness,
    "carteira_opportunities": _lib._Opportunities,
    "carteira_opportunities_options": _lib.OpportunitiesOptions,
    "carteira_cross_sell_evaluation": _lib.CrossSellEvaluation,
    "carteira_mix": _lib._Mix,
    "carteira_mix_group": _lib.MixGroup,
    "carteira_icp": _lib._Icp,
    "carteira_icp_options": _lib.IcpOptions,
    "carteira_icp_info": _lib.IcpInfo,
    "carteira_icp_value": _lib.IcpValue,
    "carteira_agenda_options": _lib.AgendaOptions,
    "carteira_agenda": _lib._Agenda,
    "carteira_task": _lib.Task,
    "carteira_loyalty_ledger": _lib._LoyaltyLedger,
    "carteira_tier_standing": _lib.TierStanding,
    "carteira_ledger_entry": _lib.LedgerEntry,
    "carteira_transition_event": _lib.TransitionEvent,
    "carteira_tier_change": _lib.TierChange,
    "carteira_automation_call": _lib._AutomationCall,
    "carteira_automation_vtable": _lib.AutomationVtable,
    "carteira_automation": _lib._Automation,
    "carteira_automation_report": _lib._AutomationReport,
    "carteira_automation_counts": _lib.AutomationCounts,
    "carteira_automation_failure": _lib.AutomationFailure,
}
_SCALARS = {
    "int32_t": ctypes.c_int32,
    "int64_t": ctypes.c_int64,
    "uint8_t": ctypes.c_uint8,
    "uint32_t": ctypes.c_uint32,
    "uint64_t": ctypes.c_uint64,
    "size_t": ctypes.c_size_t,
    "double": ctypes.c_double,
    "carteira_status": ctypes.c_int,
    **_STRUCTS,
}


def _accepts(c_type, ct):
    """True if ctypes type `ct` is a faithful declaration of C type `c_type`."""
    c_type = re.sub(r"\s*\*", "*", re.sub(r"\bconst\b", "", c_type)).strip()
    if c_type == "void":
        return ct is None
    if c_type == "char*":  # a C string, or a byte buffer passed with its length
        return ct in (ctypes.c_char_p, ctypes.c_void_p)
    if c_type.endswith("*"):
        inner = c_type[:-1].strip()
        if inner == "char":
            return ct in (ctypes.c_char_p, ctypes.c_void_p)
        if inner == "void":  # an opaque pointer (user data)
            return ct is ctypes.c_void_p
        if ct is ctypes.c_void_p and inner != "char*":
            return False
        return isinstance(ct, type) and issubclass(ct, ctypes._Pointer) and _accepts(inner, ct._type_)
    want = _SCALARS[c_type]
    return ct is want or (ctypes.sizeof(ct) == ctypes.sizeof(want)
                          and issubclass(ct, ctypes._SimpleCData) and ct._type_ == want._type_)


def test_every_header_function_is_exported_and_declared(repo):
    functions = _header_functions(repo)
    assert len(functions) >= 30  # the parser found the header's declarations
    for name, (ret, params) in functions.items():
        f = getattr(_lib.lib, name)
        assert f.argtypes is not None, f"{name}: argtypes not declared"
        assert len(f.argtypes) == len(params), f"{name}: {len(f.argtypes)} argtypes, header has {params}"
        for i, (c_type, ct) in enumerate(zip(params, f.argtypes)):
            assert _accepts(c_type, ct), f"{name} argument {i}: {ct} for C {c_type!r}"
        assert _accepts(ret, f.restype), f"{name}: restype {f.restype} for C {ret!r}"


def test_struct_layouts_match_the_header(repo, tmp_path):
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if cc is None:
        pytest.skip("no C compiler to read the header's layout")
    structs = {k: v for k, v in _STRUCTS.items() if getattr(v, "_fields_", None)}
    lines = ["#include <stdio.h>", "#include <stddef.h>", "#include \"carteira/carteira.h\"",
             "int main(void) {"]
    expected = []
    for c_name, py in structs.items():
        lines.append(f'  printf("%zu\\n", sizeof({c_name}));')
        expected.append((f"sizeof {c_name}", ctypes.sizeof(py)))
        for field, _ in py._fields_:
            lines.append(f'  printf("%zu\\n", offsetof({c_name}, {field}));')
            expected.append((f"{c_name}.{field}", getattr(py, field).offset))
    lines += ["  return 0;", "}"]
    source = tmp_path / "layout.c"
    source.write_text("\n".join(lines))
    exe = tmp_path / "layout"
    subprocess.run([cc, "-std=c11", "-I", str(repo / "capi" / "include"), "-I", str(repo / "include"),
                    str(source), "-o", str(exe)], check=True, capture_output=True)
    got = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.split()
    assert [int(g) for g in got] == [e for _, e in expected], [
        (what, e, int(g)) for (what, e), g in zip(expected, got) if e != int(g)]


def test_import_options_default_like_the_init_macro():
    o = _lib.ImportOptions()
    assert (o.struct_size, o.mode, o.delimiter, o.has_header, o.decimal) == (
        ctypes.sizeof(o), 0, b"\0", 1, 0)
    assert o.column_mapping is None and o.max_issues == 0
    native = _lib.ImportOptions(has_header=7, mode=9)
    _lib.lib.carteira_import_options_init(ctypes.byref(native), ctypes.sizeof(native))
    assert bytes(native) == bytes(o)
    s = _lib.SummaryOptions()
    _lib.lib.carteira_summary_options_init(ctypes.byref(s), ctypes.sizeof(s))
    assert (s.struct_size, s.as_of, s.unit) == (ctypes.sizeof(s), carteira.NO_DAY, 0)


def test_pyproject_version_is_the_package_version():
    import pathlib
    import tomllib

    pyproject = pathlib.Path(__file__).resolve().parents[1] / "pyproject.toml"
    assert tomllib.loads(pyproject.read_text())["project"]["version"] == carteira.__version__
