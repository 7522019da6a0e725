"""The one place that loads libcarteira and describes its C ABI to ctypes.

Every function of carteira.h gets both ``argtypes`` and ``restype`` here (a
missing declaration makes ctypes pass Python ints as C ``int`` and read
results as ``int``, which silently truncates int64 and pointers). The structs
mirror the header field for field; fields are only ever appended there, so
they are only ever appended here. Keep this file in step with
capi/include/carteira/carteira.h.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import glob
import os
from ctypes import (
    POINTER,
    Structure,
    c_char,
    c_char_p,
    c_double,
    c_int32,
    c_int64,
    c_size_t,
    c_uint8,
    c_uint32,
    c_uint64,
    c_void_p,
)

from . import _version
from .errors import Error, error_class

ENV_VAR = "CARTEIRA_LIBRARY"
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
# Names a library copied into the package directory may have.
_PACKAGED_PATTERNS = ("libcarteira.so*", "libcarteira*.dylib", "carteira.dll")

# ---- Constants (carteira.h) ---------------------------------------------------

OK = 0
FAILED_PRECONDITION = 9
OUT_OF_RANGE = 11
INTERNAL = 13
NO_DAY = -(2**31)  # CARTEIRA_NO_DAY = INT32_MIN

IMPORT_STRICT = 0
IMPORT_LENIENT = 1

# carteira_time_unit (months are 365.25 / 12 days)
DAYS = 0
WEEKS = 1
MONTHS = 2

SUMMARY_CUSTOMER_INDEX = 0
SUMMARY_FIRST_PURCHASE = 1
SUMMARY_LAST_PURCHASE = 2
SUMMARY_PURCHASE_DAYS = 3
SUMMARY_X = 4
SUMMARY_T_X = 5
SUMMARY_T = 6
SUMMARY_REVENUE = 7
SUMMARY_AVERAGE_TICKET = 8
SUMMARY_ZBAR = 9
SUMMARY_MEDIAN_GAP_DAYS = 10
SUMMARY_DAYS_SINCE_LAST = 11

# carteira_lifecycle
LIFECYCLE_PROSPECT = 0
LIFECYCLE_NEW = 1
LIFECYCLE_ACTIVE = 2
LIFECYCLE_AT_RISK = 3
LIFECYCLE_INACTIVE = 4
LIFECYCLE_LOST = 5
LIFECYCLE_REACTIVATED = 6
LIFECYCLE_COUNT = 7

# carteira_model_kind
MODEL_BGNBD = 0
MODEL_MBGNBD = 1
MODEL_PARETONBD = 2
MODEL_BGBB = 3
MODEL_GAMMAGAMMA = 4

FLAG_RENEWAL_DUE = 1
FLAG_DELINQUENT = 2
FLAG_KEY_ACCOUNT = 4

# carteira_status_column
STATUS_COL_STATUS = 0
STATUS_COL_FLAGS = 1
STATUS_COL_RULE = 2  # rule id: built-in 0..6, plugins from 16
STATUS_COL_DAYS_SINCE_LAST = 3
STATUS_COL_PURCHASE_DAYS = 4
STATUS_COL_LAST_PURCHASE = 5
STATUS_COL_EVENT_DAY = 6
STATUS_COL_COMEBACK_GAP_DAYS = 7
STATUS_COL_CONTRACT = 8
STATUS_COL_RENEWAL_CONTRACT = 9
STATUS_COL_SCOPE = 10
STATUS_COL_MEDIAN_GAP_DAYS = 11  # double
STATUS_COL_THRESHOLD_DAYS = 12  # double

# Segments and KPIs
NO_MONEY = -(2**63)  # CARTEIRA_NO_MONEY = INT64_MIN
ABC_NONE, ABC_A, ABC_B, ABC_C = 0, 1, 2, 3
SEGMENTS_CUSTOMER_INDEX = 0
SEGMENTS_R = 1
SEGMENTS_F = 2
SEGMENTS_M = 3
SEGMENTS_RFM = 4
SEGMENTS_SEGMENT = 5
SEGMENTS_ABC = 6
SEGMENTS_RECENCY_DAYS = 7
SEGMENTS_FREQUENCY = 8
SEGMENTS_MONETARY = 9
SEGMENTS_ABC_REVENUE = 10
KPI_BY_NONE, KPI_BY_REP, KPI_BY_SEGMENT, KPI_BY_REGION = 0, 1, 2, 3

# carteira_status is a C enum: int-sized on every platform we build for.
status_t = ctypes.c_int


# ---- Structs (carteira.h) ------------------------------------------------------


class _SizedStruct(Structure):
    """A struct whose first field is struct_size, set on construction (the _INIT macro)."""

    def __init__(self, **fields):
        super().__init__(struct_size=ctypes.sizeof(self), **fields)


class PortfolioCounts(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("customers", c_int64),
        ("reps", c_int64),
        ("transactions", c_int64),
        ("contracts", c_int64),
        ("interactions", c_int64),
        ("surveys", c_int64),
        ("assignments", c_int64),
    ]


class CustomerColumns(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("count", c_size_t),
        ("id", POINTER(c_char_p)),
        ("name", POINTER(c_char_p)),
        ("document", POINTER(c_char_p)),
        ("email", POINTER(c_char_p)),
        ("phone", POINTER(c_char_p)),
        ("city", POINTER(c_char_p)),
        ("state", POINTER(c_char_p)),
        ("region", POINTER(c_char_p)),
        ("segment", POINTER(c_char_p)),
        ("created_at", POINTER(c_int32)),
        ("key_account", POINTER(c_uint8)),
        ("delinquent", POINTER(c_uint8)),
    ]


class TransactionColumns(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("count", c_size_t),
        ("customer_index", POINTER(c_uint32)),
        ("date", POINTER(c_int32)),
        ("amount", POINTER(c_int64)),
        ("order_id", POINTER(c_char_p)),
        ("rep_index", POINTER(c_int32)),
        ("category", POINTER(c_char_p)),
    ]


class RepColumns(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("count", c_size_t),
        ("id", POINTER(c_char_p)),
        ("name", POINTER(c_char_p)),
        ("region", POINTER(c_char_p)),
        ("segments", POINTER(c_char_p)),
        ("capacity", POINTER(c_int32)),
        ("active", POINTER(c_uint8)),
        ("team", POINTER(c_char_p)),
    ]


class ContractColumns(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("count", c_size_t),
        ("customer_index", POINTER(c_uint32)),
        ("contract_id", POINTER(c_char_p)),
        ("start", POINTER(c_int32)),
        ("end", POINTER(c_int32)),
        ("value", POINTER(c_int64)),
        ("auto_renew", POINTER(c_uint8)),
    ]


class InteractionColumns(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("count", c_size_t),
        ("customer_index", POINTER(c_uint32)),
        ("rep_index", POINTER(c_int32)),
        ("date", POINTER(c_int32)),
        ("channel", POINTER(c_char_p)),
        ("outcome", POINTER(c_char_p)),
    ]


class SurveyColumns(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("count", c_size_t),
        ("customer_index", POINTER(c_uint32)),
        ("date", POINTER(c_int32)),
        ("score", POINTER(c_int32)),
    ]


class AssignmentColumns(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("count", c_size_t),
        ("customer_index", POINTER(c_uint32)),
        ("rep_index", POINTER(c_int32)),
        ("since", POINTER(c_int32)),
        ("reason", POINTER(c_char_p)),
    ]


class ImportOptions(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("mode", c_int32),
        ("delimiter", c_char),
        ("has_header", c_int32),
        ("decimal", c_int32),
        ("unknown_customers", c_int32),
        ("unknown_reps", c_int32),
        ("column_mapping", c_char_p),
        ("max_issues", c_uint32),
    ]

    def __init__(self, **fields):
        fields.setdefault("has_header", 1)  # as CARTEIRA_IMPORT_OPTIONS_INIT
        super().__init__(**fields)


class ImportCounts(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("rows_read", c_int64),
        ("rows_added", c_int64),
        ("rows_rejected", c_int64),
    ]


class ImportIssue(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("file", c_char_p),
        ("line", c_int64),
        ("column", c_int32),
        ("field", c_char_p),
        ("value", c_char_p),
        ("message", c_char_p),
    ]


class SummaryOptions(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("as_of", c_int32),
        ("unit", c_int32),
    ]

    def __init__(self, **fields):
        fields.setdefault("as_of", NO_DAY)  # as CARTEIRA_SUMMARY_OPTIONS_INIT
        fields.setdefault("unit", DAYS)
        super().__init__(**fields)


class StatusFacts(_SizedStruct):
    """carteira_status_facts: written by the library, read during a rule's apply."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("customer_index", c_uint32),
        ("customer_id", c_char_p),
        ("segment", c_char_p),
        ("as_of", c_int32),
        ("purchase_days", c_int32),
        ("purchase_day_list", POINTER(c_int32)),
        ("days_since_last", c_int32),
        ("median_gap_days", c_double),
        ("status", c_int32),
        ("flags", c_uint32),
    ]


class RfmColumns(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("count", c_size_t),
        ("x", POINTER(c_double)),
        ("t_x", POINTER(c_double)),
        ("T", POINTER(c_double)),
        ("weight", POINTER(c_double)),
        ("zbar", POINTER(c_double)),
        ("unit", c_int32),
    ]

    def __init__(self, **fields):
        fields.setdefault("unit", WEEKS)  # as CARTEIRA_RFM_COLUMNS_INIT
        super().__init__(**fields)


class FitOptions(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("l2_penalty", c_double),
        ("max_evaluations", c_int32),
        ("initial", POINTER(c_double)),
        ("initial_count", c_size_t),
    ]


class FitInfo(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("kind", c_int32),
        ("unit", c_int32),
        ("fitted", c_int32),
        ("converged", c_int32),
        ("evaluations", c_int32),
        ("log_likelihood", c_double),
        ("n_customers", c_double),
        ("gradient_norm", c_double),
        ("aic", c_double),
        ("bic", c_double),
        ("param_count", c_size_t),
    ]


# Opaque handles: distinct pointer types so that ctypes refuses to pass one
# kind of handle where another is expected.
class _Portfolio(Structure):
    pass


class _ImportReport(Structure):
    pass


class _Summary(Structure):
    pass


class _StatusPolicy(Structure):
    pass


class _StatusEngine(Structure):
    pass


class _StatusDecision(Structure):
    pass


class _StatusTable(Structure):
    pass


class _StatusTransitions(Structure):
    pass


class _Model(Structure):
    pass


portfolio_p = POINTER(_Portfolio)
import_report_p = POINTER(_ImportReport)
summary_p = POINTER(_Summary)
status_policy_p = POINTER(_StatusPolicy)
status_engine_p = POINTER(_StatusEngine)
status_decision_p = POINTER(_StatusDecision)
status_table_p = POINTER(_StatusTable)
status_transitions_p = POINTER(_StatusTransitions)
model_p = POINTER(_Model)

# carteira_status_rule_vtable's function pointers. apply returns int32_t (a
# carteira_status code); user_data arrives as a Python int (None for NULL).
STATUS_RULE_APPLY = ctypes.CFUNCTYPE(c_int32, c_void_p, POINTER(StatusFacts), status_decision_p)
STATUS_RULE_DESTROY = ctypes.CFUNCTYPE(None, c_void_p)


class SegmentRule(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("name", c_char_p),
        ("r_lo", c_uint8), ("r_hi", c_uint8),
        ("f_lo", c_uint8), ("f_hi", c_uint8),
        ("m_lo", c_uint8), ("m_hi", c_uint8),
        ("fm_lo", c_uint8), ("fm_hi", c_uint8),
    ]


class SegmentMapReport(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("ok", c_int32),
        ("r_f_m_grid", c_int32),
        ("rule_count", c_size_t),
        ("shadowed_count", c_size_t),
        ("uncovered_count", c_size_t),
        ("fallback", c_char_p),
        ("description", c_char_p),
    ]


class _SegmentMap(Structure):
    pass


class _Segments(Structure):
    pass


class _Kpi(Structure):
    pass


class _RepDashboard(Structure):
    pass


segment_map_p = POINTER(_SegmentMap)
segments_p = POINTER(_Segments)
kpi_p = POINTER(_Kpi)
rep_dashboard_p = POINTER(_RepDashboard)


class SegmentsOptions(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("as_of", c_int32),
        ("map", segment_map_p),
        ("abc_a_share", c_double),
        ("abc_b_share", c_double),
        ("abc_from", c_int32),
    ]

    def __init__(self, **fields):
        fields.setdefault("as_of", NO_DAY)
        fields.setdefault("abc_from", NO_DAY)
        super().__init__(**fields)


class SegmentsInfo(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("as_of", c_int32),
        ("abc_from", c_int32),
        ("abc_total", c_int64),
        ("customers_none", c_int64),
        ("customers_a", c_int64),
        ("customers_b", c_int64),
        ("customers_c", c_int64),
        ("revenue_a", c_int64),
        ("revenue_b", c_int64),
        ("revenue_c", c_int64),
    ]


class KpiOptions(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("from", c_int32),  # a Python keyword: getattr(o, "from")
        ("to", c_int32),
        ("by", c_int32),
        ("active_window_days", c_int32),
        ("active_by_status", c_int32),
        ("policy", status_policy_p),
        ("lifetime_model", model_p),
    ]

    def __init__(self, **fields):
        fields.setdefault("from", NO_DAY)
        fields.setdefault("to", NO_DAY)
        super().__init__(**fields)


# carteira_kpi_values after struct_size, unassigned and group: (name, type).
KPI_VALUE_FIELDS = [
    ("customers", c_int64),
    ("active_start", c_int64),
    ("active", c_int64),
    ("new_customers", c_int64),
    ("new_active", c_int64),
    ("retained", c_int64),
    ("churned", c_int64),
    ("lapsed_start", c_int64),
    ("reactivated", c_int64),
    ("buyers", c_int64),
    ("purchases", c_int64),
    ("revenue", c_int64),
    ("retention_rate", c_double),
    ("churn_rate", c_double),
    ("reactivation_rate", c_double),
    ("average_ticket", c_int64),
    ("revenue_per_customer", c_int64),
    ("purchase_frequency", c_double),
    ("lifetime_observed_days", c_double),
    ("lifetime_from_churn_days", c_double),
    ("lifetime_model_days", c_double),
    ("answers", c_int64),
    ("promoters", c_int64),
    ("passives", c_int64),
    ("detractors", c_int64),
    ("nps", c_double),
    ("positivacao", c_double),
    ("book_at_start", c_int64),
    ("moved", c_int64),
    ("giro", c_double),
    ("top20_share", c_double),
    ("gini", c_double),
]


class KpiValues(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("unassigned", c_int32),
        ("group", c_char_p),
    ] + KPI_VALUE_FIELDS


class RepDashboardOptions(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("from", c_int32),  # a Python keyword: getattr(o, "from")
        ("to", c_int32),
        ("policy", status_policy_p),
    ]

    def __init__(self, **fields):
        fields.setdefault("from", NO_DAY)
        fields.setdefault("to", NO_DAY)
        super().__init__(**fields)


class RepDashboardRow(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("rep_index", c_int32),
        ("rep_id", c_char_p),
        ("rep_name", c_char_p),
        ("book", c_int64),
        ("status_prospect", c_int64),
        ("status_new", c_int64),
        ("status_active", c_int64),
        ("status_at_risk", c_int64),
        ("status_inactive", c_int64),
        ("status_lost", c_int64),
        ("status_reactivated", c_int64),
        ("revenue", c_int64),
        ("buyers", c_int64),
        ("positivacao", c_double),
        ("answers", c_int64),
        ("promoters", c_int64),
        ("passives", c_int64),
        ("detractors", c_int64),
        ("nps", c_double),
        ("last_contact", c_int32),
        ("days_since_last_contact", c_int32),
        ("at_risk", c_int64),
        ("at_risk_value", c_int64),
    ]


# carteira_report_language
REPORT_PT_BR = 0
REPORT_EN = 1


class ReportOptions(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("as_of", c_int32),
        ("from", c_int32),  # a Python keyword: getattr(o, "from")
        ("language", c_int32),
        ("currency", c_char_p),
        ("title", c_char_p),
        ("policy", status_policy_p),
        ("segment_map", segment_map_p),
    ]

    def __init__(self, **fields):
        fields.setdefault("as_of", NO_DAY)
        fields.setdefault("from", NO_DAY)
        super().__init__(**fields)


class StatusRuleVtable(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("apply", STATUS_RULE_APPLY),
        ("destroy", STATUS_RULE_DESTROY),
    ]


class TaxIdResult(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("valid", c_int32),
        ("kind", c_char_p),
        ("problem", c_char_p),
        ("position", c_int32),
        ("canonical", ctypes.c_char * 16),
        ("formatted", ctypes.c_char * 24),
    ]


class PhoneResult(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("valid", c_int32),
        ("problem", c_char_p),
        ("type", c_char_p),
        ("e164", ctypes.c_char * 24),
        ("suggestion", ctypes.c_char * 24),
    ]


class EmailResult(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("valid", c_int32),
        ("problem", c_char_p),
        ("position", c_int32),
        ("normalized", ctypes.c_char * 256),
        ("suggestion", ctypes.c_char * 256),
    ]


class HygieneOptions(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("default_region", c_char_p),
        ("find_duplicates", c_int32),
        ("link_threshold", c_double),
    ]


class HygieneProblem(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("customer_index", c_uint32),
        ("customer_id", c_char_p),
        ("field", c_char_p),
        ("value", c_char_p),
        ("problem", c_char_p),
        ("detail", c_char_p),
        ("suggestion", c_char_p),
    ]


class DuplicateCluster(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("member_count", c_size_t),
        ("members", POINTER(c_uint32)),
        ("reasons", c_char_p),
        ("score", c_double),
    ]


class _HygieneReport(Structure):
    pass


hygiene_report_p = POINTER(_HygieneReport)


class StoreOptions(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("create", c_int32),
        ("read_only", c_int32),
        ("busy_timeout_ms", c_int32),
        ("durable", c_int32),
        ("max_bytes", c_int64),  # since 0.2
        ("checkpoint_thread", c_int32),  # since 0.2
    ]


class StoreAppendReport(_SizedStruct):
    _fields_ = [("struct_size", c_uint32)] + [
        (name, c_int64) for name in (
            "customers_added", "customers_updated", "reps_added", "reps_updated", "transactions",
            "contracts", "interactions", "surveys", "assignments", "affected_customers")
    ]


class StatusEvent(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("customer_id", c_char_p),
        ("as_of", c_int32),
        ("from", c_int32),  # a keyword: read with getattr
        ("to", c_int32),
        ("from_flags", c_uint32),
        ("to_flags", c_uint32),
        ("first", c_int32),
    ]


class RefreshInfo(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("as_of", c_int32),
        ("previous_as_of", c_int32),
        ("policy_changed", c_int32),
        ("customers_checked", c_int64),
    ]


class _Store(Structure):
    pass


class _StatusEvents(Structure):
    pass


store_p = POINTER(_Store)
status_events_p = POINTER(_StatusEvents)


# ---- Redistribution plans (carteira.h) ---------------------------------------------


class _PlanPipeline(Structure):
    pass


class _Plan(Structure):
    pass


class _PlanState(Structure):
    pass


plan_pipeline_p = POINTER(_PlanPipeline)
plan_p = POINTER(_Plan)
plan_state_p = POINTER(_PlanState)

# carteira_policy_vtable's function pointers. run returns int32_t (a
# carteira_status code); user_data arrives as a Python int (None for NULL).
POLICY_RUN = ctypes.CFUNCTYPE(c_int32, c_void_p, portfolio_p, plan_state_p)
POLICY_DESTROY = ctypes.CFUNCTYPE(None, c_void_p)


class PolicyVtable(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("run", POLICY_RUN),
        ("destroy", POLICY_DESTROY),
    ]


class PlanCustomer(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("holder", c_int32),
        ("status", c_int32),
        ("locked", c_int32),
        ("moved", c_int32),
        ("days_since_last", c_int32),
        ("holder_last_touch", c_int32),
        ("value", c_int64),
        ("weight", c_int64),
    ]


class PlanInfo(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("id", c_char_p),
        ("as_of", c_int32),
        ("move_count", c_size_t),
        ("unplaced_count", c_size_t),
        ("infeasible_count", c_size_t),
        ("round_robin_cursor", c_char_p),
    ]


class PlanMove(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("customer", c_uint32),
        ("from", c_int32),  # a Python keyword: getattr(m, "from")
        ("to", c_int32),
        ("effective", c_int32),
        ("until", c_int32),
        ("policy", c_char_p),
        ("reason", c_char_p),
        ("explanation", c_char_p),
    ]


class PlanUnplaced(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("customer", c_uint32),
        ("holder", c_int32),
        ("policy", c_char_p),
        ("constraint", c_char_p),
        ("explanation", c_char_p),
    ]


class RepFigures(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("customers", c_int64),
        ("load", c_int64),
        ("at_risk", c_int64),
        ("at_risk_value", c_int64),
    ]


class Fairness(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("reps", c_int64),
        ("min_load", c_int64),
        ("max_load", c_int64),
        ("max_min_ratio", c_double),
        ("gini", c_double),
    ]


# ---- Retention actions (carteira.h) ----------------------------------------------------

TASK_RENEWAL, TASK_REACTIVATION, TASK_VISIT, TASK_NPS_SURVEY, TASK_FOLLOW_UP = 0, 1, 2, 3, 4
TASK_PURCHASE_WINDOW = 5
TASK_TYPE_COUNT = 6
TASK_TYPES_DEFAULT = 0x1F  # the first five: purchase windows are asked for
TASK_TYPES_ALL = 0x3F
LEDGER_EARN, LEDGER_REDEEM, LEDGER_EXPIRE, LEDGER_ADJUST, LEDGER_REVERSE = 0, 1, 2, 3, 4
EVENT_TRANSITION, EVENT_NEW_TASK, EVENT_TIER_CHANGE = 0, 1, 2


class AgendaOptions(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("as_of", c_int32),
        ("horizon_days", c_int32),
        ("task_types", c_uint32),
        ("renewal_lead_days", c_int32),
        ("renewal_urgent_days", c_int32),
        ("reactivation_statuses", c_uint32),
        ("reactivation_window_days", c_int32),
        ("visit_channels", c_char_p),
        ("visit_days_a", c_int32),
        ("visit_days_b", c_int32),
        ("visit_days_c", c_int32),
        ("nps_after_purchase_days", c_int32),
        ("nps_min_interval_days", c_int32),
        ("nps_max_age_days", c_int32),
        ("follow_up_after_days", c_int32),
        ("follow_up_max_age_days", c_int32),
        ("expected_value", POINTER(c_double)),
        ("expected_value_count", c_size_t),
        ("purchase_window_lead_days", c_int32),
        ("purchase_window_max_age_days", c_int32),
    ]

    def __init__(self, **fields):
        # CARTEIRA_AGENDA_OPTIONS_INIT: the core's defaults, not zeros.
        defaults = dict(
            as_of=NO_DAY, horizon_days=7, task_types=TASK_TYPES_DEFAULT, renewal_lead_days=60,
            renewal_urgent_days=15,
            reactivation_statuses=(1 << LIFECYCLE_AT_RISK) | (1 << LIFECYCLE_INACTIVE),
            reactivation_window_days=30, visit_days_a=30, visit_days_b=60, visit_days_c=90,
            nps_after_purchase_days=7, nps_min_interval_days=90, nps_max_age_days=30,
            follow_up_after_days=3, follow_up_max_age_days=14, purchase_window_lead_days=2,
            purchase_window_max_age_days=14)
        defaults.update(fields)
        super().__init__(**defaults)


class Task(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("customer", c_uint32),
        ("rep", c_int32),
        ("type", c_int32),
        ("due", c_int32),
        ("anchor", c_int32),
        ("overdue", c_int32),
        ("priority", c_int32),
        ("key", c_char_p),
        ("reason", c_char_p),
    ]


class TierStanding(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("tier", c_int32),
        ("next", c_int32),
        ("spend", c_int64),
        ("to_next", c_int64),
        ("tier_name", c_char_p),
        ("next_name", c_char_p),
    ]


class LedgerEntry(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("id", c_uint64),
        ("customer", c_uint32),
        ("day", c_int32),
        ("kind", c_int32),
        ("points", c_int64),
        ("expires", c_int32),
        ("reverses", c_uint64),
        ("reference", c_char_p),
        ("note", c_char_p),
    ]


class TransitionEvent(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("customer", c_uint32),
        ("customer_id", c_char_p),
        ("from", c_int32),  # a Python keyword: getattr(e, "from")
        ("to", c_int32),
        ("date", c_int32),
        ("rule", c_int32),
    ]


class TierChange(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("customer", c_uint32),
        ("customer_id", c_char_p),
        ("from_tier", c_int32),
        ("to_tier", c_int32),
        ("from_name", c_char_p),
        ("to_name", c_char_p),
        ("from", c_int32),
        ("to", c_int32),
        ("spend", c_int64),
    ]


class AutomationCounts(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("from", c_int32),
        ("to", c_int32),
        ("transitions", c_size_t),
        ("new_tasks", c_size_t),
        ("tier_changes", c_size_t),
        ("calls", c_size_t),
        ("delivered", c_size_t),
        ("failures", c_size_t),
    ]


class AutomationFailure(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("kind", c_int32),
        ("customer", c_uint32),
        ("customer_id", c_char_p),
        ("handler", c_char_p),
        ("message", c_char_p),
    ]


class _Agenda(Structure):
    pass


class _LoyaltyLedger(Structure):
    pass


class _AutomationCall(Structure):
    pass


class _Automation(Structure):
    pass


class _AutomationReport(Structure):
    pass


agenda_p = POINTER(_Agenda)
loyalty_ledger_p = POINTER(_LoyaltyLedger)
automation_call_p = POINTER(_AutomationCall)
automation_p = POINTER(_Automation)
automation_report_p = POINTER(_AutomationReport)

# carteira_automation_vtable's function pointers; user_data arrives as a
# Python int. A NULL pointer (the field left unset) means "not this kind".
ON_TRANSITION = ctypes.CFUNCTYPE(c_int32, c_void_p, POINTER(TransitionEvent), automation_call_p)
ON_NEW_TASK = ctypes.CFUNCTYPE(c_int32, c_void_p, POINTER(Task), automation_call_p)
ON_TIER_CHANGE = ctypes.CFUNCTYPE(c_int32, c_void_p, POINTER(TierChange), automation_call_p)
HANDLER_DESTROY = ctypes.CFUNCTYPE(None, c_void_p)


class AutomationVtable(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("on_transition", ON_TRANSITION),
        ("on_new_task", ON_NEW_TASK),
        ("on_tier_change", ON_TIER_CHANGE),
        ("destroy", HANDLER_DESTROY),
    ]


# ---- Finding and loading the library -------------------------------------------


def locate_library(environ=None, package_dir: str = PACKAGE_DIR) -> str:
    """The path (or loader name) of the library to load.

    Order: $CARTEIRA_LIBRARY, a libcarteira copied into the package
    directory, then the system loader's search (ctypes.util.find_library).
    """
    environ = os.environ if environ is None else environ
    explicit = environ.get(ENV_VAR)
    if explicit:
        # An explicit choice that does not exist is a mistake to report, not
        # a reason to fall back silently to some other copy.
        if not os.path.isfile(explicit):
            raise ImportError(f"{ENV_VAR}={explicit!r} is not a file")
        return explicit
    for pattern in _PACKAGED_PATTERNS:
        found = sorted(glob.glob(os.path.join(package_dir, pattern)))
        if found:
            return found[0]
    name = ctypes.util.find_library("carteira")
    if name:
        return name
    raise ImportError(
        "libcarteira not found: set CARTEIRA_LIBRARY to the path of libcarteira.so, "
        f"copy the library into {package_dir}, or install it where the system loader finds it"
    )


def check_major(version_number: int) -> None:
    """Refuses a library whose major version differs from the binding's."""
    major = version_number // 10000
    if major != _version.MAJOR:
        raise ImportError(
            f"libcarteira {major}.{version_number // 100 % 100}.{version_number % 100} "
            f"has major version {major}; this binding ({_version.__version__}) "
            f"needs major {_version.MAJOR}"
        )


# ---- Sales opportunities (docs/opportunities.md) --------------------------------

SUGGESTION_CUSTOMER_INDEX = 0
SUGGESTION_RANK = 1
SUGGESTION_CATEGORY = 2
SUGGESTION_BASIS = 3
SUGGESTION_BECAUSE = 4
SUGGESTION_TOGETHER = 5
SUGGESTION_SCORE = 0
SUGGESTION_CONFIDENCE = 1
SUGGESTION_LIFT = 2
MIX_NONE = 0
MIX_BY_REP = 1
MIX_BY_SEGMENT = 2


class _Opportunities(Structure):
    pass


class _Mix(Structure):
    pass


class _Icp(Structure):
    pass


opportunities_p = POINTER(_Opportunities)
mix_p = POINTER(_Mix)
icp_p = POINTER(_Icp)


class OpportunitiesOptions(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("as_of", c_int32),
        ("top_k", c_int32),
        ("max_gaps", c_int32),
        ("min_pair_customers", c_int64),
    ]

    def __init__(self, **fields):
        fields.setdefault("as_of", NO_DAY)
        super().__init__(**fields)


class CrossSellEvaluation(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("customers", c_int64),
        ("model_hits", c_int64),
        ("baseline_hits", c_int64),
        ("model_hit_rate", c_double),
        ("baseline_hit_rate", c_double),
    ]


class MixGroup(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("group", c_char_p),
        ("unassigned", c_int32),
        ("customers", c_int64),
        ("buyers", c_int64),
        ("average_breadth", c_double),
    ]


class IcpOptions(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("as_of", c_int32),
        ("best_share", c_double),
        ("smoothing", c_double),
    ]

    def __init__(self, **fields):
        fields.setdefault("as_of", NO_DAY)
        fields.setdefault("best_share", 0.2)
        fields.setdefault("smoothing", 10.0)
        super().__init__(**fields)


class IcpInfo(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("as_of", c_int32),
        ("buyers", c_int64),
        ("best", c_int64),
        ("best_threshold", c_int64),
        ("base_rate", c_double),
    ]


class IcpValue(_SizedStruct):
    _fields_ = [
        ("struct_size", c_uint32),
        ("attribute", c_char_p),
        ("value", c_char_p),
        ("customers", c_int64),
        ("best", c_int64),
        ("share_of_best", c_double),
        ("probability", c_double),
        ("lift", c_double),
    ]


def _declare(lib: ctypes.CDLL) -> None:
    """argtypes and restype for every function of carteira.h, in header order."""

    def fn(name, restype, *argtypes):
        f = getattr(lib, name)
        f.restype = restype
        f.argtypes = list(argtypes)

    # Version and errors
    fn("carteira_version_number", c_int32)
    fn("carteira_version_string", c_char_p)
    fn("carteira_last_error_message", c_char_p)
    fn("carteira_last_error_code", status_t)
    # Values
    fn("carteira_parse_date", status_t, c_char_p, POINTER(c_int32))
    fn("carteira_parse_money", status_t, c_char_p, POINTER(c_int64))
    # Portfolio
    fn("carteira_portfolio_create", status_t, POINTER(portfolio_p))
    fn("carteira_portfolio_destroy", None, portfolio_p)
    fn("carteira_portfolio_get_counts", status_t, portfolio_p, POINTER(PortfolioCounts))
    fn("carteira_customer_columns_init", None, POINTER(CustomerColumns), c_size_t)
    fn("carteira_portfolio_append_customers", status_t, portfolio_p, POINTER(CustomerColumns))
    fn("carteira_transaction_columns_init", None, POINTER(TransactionColumns), c_size_t)
    fn("carteira_portfolio_append_transactions", status_t, portfolio_p,
       POINTER(TransactionColumns))
    fn("carteira_portfolio_intern_customers", status_t, portfolio_p, POINTER(c_char_p), c_size_t,
       POINTER(c_uint32))
    fn("carteira_portfolio_find_customer", status_t, portfolio_p, c_char_p, POINTER(c_uint32))
    # buffer is a plain pointer: it may be NULL (the size query) or a
    # numpy/ctypes byte buffer without a terminating NUL.
    fn("carteira_portfolio_customer_ids", status_t, portfolio_p, POINTER(c_uint32), c_size_t,
       c_void_p, c_size_t, POINTER(c_uint64), POINTER(c_size_t))
    fn("carteira_portfolio_rep_ids", status_t, portfolio_p, POINTER(c_int32), c_size_t,
       c_void_p, c_size_t, POINTER(c_uint64), POINTER(c_size_t))
    # Reps, contracts, interactions, survey answers, assignments
    fn("carteira_rep_columns_init", None, POINTER(RepColumns), c_size_t)
    fn("carteira_portfolio_append_reps", status_t, portfolio_p, POINTER(RepColumns))
    fn("carteira_portfolio_intern_reps", status_t, portfolio_p, POINTER(c_char_p), c_size_t,
       POINTER(c_int32))
    fn("carteira_portfolio_find_rep", status_t, portfolio_p, c_char_p, POINTER(c_int32))
    fn("carteira_contract_columns_init", None, POINTER(ContractColumns), c_size_t)
    fn("carteira_portfolio_append_contracts", status_t, portfolio_p, POINTER(ContractColumns))
    fn("carteira_interaction_columns_init", None, POINTER(InteractionColumns), c_size_t)
    fn("carteira_portfolio_append_interactions", status_t, portfolio_p,
       POINTER(InteractionColumns))
    fn("carteira_survey_columns_init", None, POINTER(SurveyColumns), c_size_t)
    fn("carteira_portfolio_append_surveys", status_t, portfolio_p, POINTER(SurveyColumns))
    fn("carteira_assignment_columns_init", None, POINTER(AssignmentColumns), c_size_t)
    fn("carteira_portfolio_append_assignments", status_t, portfolio_p,
       POINTER(AssignmentColumns))
    # CSV import
    fn("carteira_import_options_init", None, POINTER(ImportOptions), c_size_t)
    fn("carteira_import_directory", status_t, portfolio_p, c_char_p, POINTER(ImportOptions),
       POINTER(import_report_p))
    fn("carteira_import_file", status_t, portfolio_p, c_char_p, c_char_p, POINTER(ImportOptions),
       POINTER(import_report_p))
    # text is c_void_p, not c_char_p: it is passed with its length and may
    # hold NULs.
    fn("carteira_import_text", status_t, portfolio_p, c_char_p, c_void_p, c_size_t, c_char_p,
       POINTER(ImportOptions), POINTER(import_report_p))
    fn("carteira_import_report_destroy", None, import_report_p)
    fn("carteira_import_report_counts", status_t, import_report_p, c_char_p,
       POINTER(ImportCounts))
    fn("carteira_import_report_issue_count", status_t, import_report_p, POINTER(c_size_t),
       POINTER(c_int64))
    fn("carteira_import_report_applied", status_t, import_report_p, POINTER(c_int32))
    fn("carteira_import_report_issue", status_t, import_report_p, c_size_t,
       POINTER(ImportIssue))
    fn("carteira_import_report_text", status_t, import_report_p, POINTER(c_char_p))
    # Customer summary
    fn("carteira_summary_options_init", None, POINTER(SummaryOptions), c_size_t)
    fn("carteira_summary_compute", status_t, portfolio_p, POINTER(SummaryOptions),
       POINTER(summary_p))
    fn("carteira_summary_recompute", status_t, summary_p, portfolio_p, POINTER(SummaryOptions))
    fn("carteira_summary_destroy", None, summary_p)
    fn("carteira_summary_size", status_t, summary_p, POINTER(c_size_t))
    fn("carteira_summary_get_int64", status_t, summary_p, c_int32, POINTER(c_int64), c_size_t)
    fn("carteira_summary_get_double", status_t, summary_p, c_int32, POINTER(c_double), c_size_t)
    # Lifecycle status
    fn("carteira_lifecycle_name", c_char_p, c_int32)
    fn("carteira_lifecycle_parse", status_t, c_char_p, POINTER(c_int32))
    fn("carteira_status_policy_default", status_t, POINTER(status_policy_p))
    fn("carteira_status_policy_from_json", status_t, c_char_p, POINTER(status_policy_p))
    fn("carteira_status_policy_from_file", status_t, c_char_p, POINTER(status_policy_p))
    fn("carteira_status_policy_fixed", status_t, c_int32, c_int32, c_int32,
       POINTER(status_policy_p))
    fn("carteira_status_policy_to_json", status_t, status_policy_p, POINTER(c_char_p))
    fn("carteira_status_policy_destroy", None, status_policy_p)
    fn("carteira_status_engine_create", status_t, portfolio_p, status_policy_p,
       POINTER(status_engine_p))
    fn("carteira_status_engine_destroy", None, status_engine_p)
    fn("carteira_status_decision_override", status_t, status_decision_p, c_int32, c_char_p)
    fn("carteira_status_decision_veto", status_t, status_decision_p, c_int32, c_char_p)
    fn("carteira_status_decision_add_reason", status_t, status_decision_p, c_char_p)
    fn("carteira_status_decision_get_status", status_t, status_decision_p, POINTER(c_int32))
    fn("carteira_status_decision_set_error", status_t, status_decision_p, c_char_p)
    # user_data is an opaque key (a Python int), never dereferenced by C.
    fn("carteira_status_engine_add_rule", status_t, status_engine_p, c_char_p,
       POINTER(StatusRuleVtable), c_void_p)
    fn("carteira_status_classify", status_t, status_engine_p, c_int32, POINTER(status_table_p))
    fn("carteira_status_classify_summary", status_t, status_engine_p, summary_p,
       POINTER(status_table_p))
    fn("carteira_status_table_destroy", None, status_table_p)
    fn("carteira_status_table_size", status_t, status_table_p, POINTER(c_size_t))
    fn("carteira_status_table_counts", status_t, status_table_p, POINTER(c_int64), c_size_t)
    fn("carteira_status_table_get_int64", status_t, status_table_p, c_int32, POINTER(c_int64),
       c_size_t)
    fn("carteira_status_table_get_double", status_t, status_table_p, c_int32, POINTER(c_double),
       c_size_t)
    fn("carteira_status_table_field_count", status_t, status_table_p, POINTER(c_size_t))
    fn("carteira_status_table_field_name", status_t, status_table_p, c_size_t, POINTER(c_char_p))
    fn("carteira_status_table_get_field", status_t, status_table_p, c_size_t, POINTER(c_double),
       c_size_t)
    fn("carteira_status_table_rule_name", status_t, status_table_p, c_size_t, POINTER(c_char_p))
    # buffer is a plain pointer: NULL for the size query, else a writable buffer.
    fn("carteira_status_table_reason", status_t, status_table_p, c_size_t, c_void_p, c_size_t,
       POINTER(c_size_t))
    fn("carteira_status_history", status_t, status_engine_p, POINTER(c_int32), c_size_t,
       POINTER(c_uint8), POINTER(c_uint8), c_size_t)
    fn("carteira_status_transitions_compute", status_t, status_engine_p, c_int32, c_int32,
       POINTER(status_transitions_p))
    fn("carteira_status_transitions_destroy", None, status_transitions_p)
    fn("carteira_status_transitions_size", status_t, status_transitions_p, POINTER(c_size_t))
    fn("carteira_status_transitions_get", status_t, status_transitions_p, POINTER(c_uint32),
       POINTER(c_int32), POINTER(c_int32), POINTER(c_int32), POINTER(c_int32), c_size_t)
    # Customer models
    fn("carteira_fit_options_init", None, POINTER(FitOptions), c_size_t)
    fn("carteira_model_fit", status_t, c_int32, POINTER(RfmColumns), POINTER(FitOptions),
       POINTER(model_p))
    fn("carteira_model_fit_portfolio", status_t, c_int32, portfolio_p, c_int32, c_int32,
       POINTER(FitOptions), POINTER(model_p))
    fn("carteira_model_create", status_t, c_int32, POINTER(c_double), c_size_t, c_int32,
       POINTER(model_p))
    fn("carteira_model_destroy", None, model_p)
    fn("carteira_model_get_fit_info", status_t, model_p, POINTER(FitInfo))
    fn("carteira_model_get_params", status_t, model_p, POINTER(c_double), POINTER(c_double),
       c_size_t)
    fn("carteira_model_param_name", status_t, model_p, c_size_t, POINTER(c_char_p))
    fn("carteira_model_fit_reason", status_t, model_p, POINTER(c_char_p))
    fn("carteira_model_p_alive", status_t, model_p, POINTER(RfmColumns), POINTER(c_double),
       c_size_t)
    fn("carteira_model_expected_purchases", status_t, model_p, POINTER(RfmColumns), c_double,
       c_int32, POINTER(c_double), c_size_t)
    fn("carteira_model_expected_spend", status_t, model_p, POINTER(RfmColumns),
       POINTER(c_double), c_size_t)
    fn("carteira_model_unconditional_expected_purchases", status_t, model_p, c_double, c_int32,
       POINTER(c_double))
    fn("carteira_model_probability_of_purchases", status_t, model_p, c_int32, c_double, c_int32,
       POINTER(c_double))
    fn("carteira_model_lifetime_value", status_t, model_p, model_p, POINTER(RfmColumns),
       c_double, c_int32, c_double, c_int32, c_double, c_double, POINTER(c_double), c_size_t)
    fn("carteira_status_engine_add_p_alive_rule", status_t, status_engine_p, model_p,
       c_double, c_double, c_double, c_int32)
    # ---- Store
    fn("carteira_store_open", status_t, c_char_p, POINTER(StoreOptions), POINTER(store_p))
    fn("carteira_store_close", None, store_p)
    fn("carteira_store_schema_version", status_t, store_p, POINTER(c_int32))
    fn("carteira_store_checkpoint", status_t, store_p)
    fn("carteira_store_save", status_t, store_p, portfolio_p, c_int32)
    fn("carteira_store_load", status_t, store_p, portfolio_p)
    fn("carteira_store_append", status_t, store_p, portfolio_p, POINTER(StoreAppendReport))
    fn("carteira_store_refresh_statuses", status_t, store_p, c_int32, status_policy_p,
       POINTER(status_events_p))
    fn("carteira_store_history", status_t, store_p, c_int32, c_int32, POINTER(status_events_p))
    fn("carteira_status_events_destroy", None, status_events_p)
    fn("carteira_status_events_size", status_t, status_events_p, POINTER(c_size_t))
    fn("carteira_status_events_get", status_t, status_events_p, c_size_t, POINTER(StatusEvent))
    fn("carteira_store_statuses", status_t, store_p, POINTER(status_events_p))
    fn("carteira_store_last_transaction_date", status_t, store_p, POINTER(c_int32))
    fn("carteira_store_last_refresh_date", status_t, store_p, POINTER(c_int32))
    fn("carteira_store_count", status_t, store_p, c_char_p, POINTER(c_int64))
    fn("carteira_store_check", status_t, store_p, c_void_p, c_size_t, POINTER(c_size_t), POINTER(c_size_t))
    fn("carteira_status_events_refresh_info", status_t, status_events_p, POINTER(RefreshInfo))
    fn("carteira_store_merge_customers", status_t, store_p, c_char_p, POINTER(c_char_p), c_size_t, c_int32,
       c_char_p)
    fn("carteira_store_apply_plan", status_t, store_p, plan_p, c_int32, c_char_p, c_char_p)
    # ---- Segments and KPIs
    fn("carteira_quintile_scores", status_t, POINTER(c_int64), c_size_t, c_int32, POINTER(c_uint8))
    fn("carteira_quintile_thresholds", status_t, POINTER(c_int64), c_size_t, c_int32, POINTER(c_int64))
    fn("carteira_quintile_scores_with_thresholds", status_t, POINTER(c_int64), c_size_t, c_int32,
       POINTER(c_int64), POINTER(c_uint8))
    fn("carteira_abc_class_name", c_char_p, c_int32)
    fn("carteira_abc_classify", status_t, POINTER(c_int64), c_size_t, c_double, c_double,
       POINTER(c_uint8))
    fn("carteira_segment_map_default", status_t, POINTER(segment_map_p))
    fn("carteira_segment_map_from_json", status_t, c_char_p, POINTER(segment_map_p))
    fn("carteira_segment_map_from_file", status_t, c_char_p, POINTER(segment_map_p))
    fn("carteira_segment_map_destroy", None, segment_map_p)
    fn("carteira_segment_map_to_json", status_t, segment_map_p, POINTER(c_char_p))
    fn("carteira_segment_map_check", status_t, segment_map_p, POINTER(SegmentMapReport))
    fn("carteira_segment_map_rule", status_t, segment_map_p, c_size_t, POINTER(SegmentRule))
    fn("carteira_segment_map_rule_conditions", status_t, segment_map_p, c_size_t, POINTER(c_size_t),
       POINTER(c_char_p))
    fn("carteira_segment_map_shadowed", status_t, segment_map_p, c_size_t, POINTER(c_size_t),
       POINTER(POINTER(c_uint32)), POINTER(c_size_t))
    fn("carteira_segment_map_uncovered", status_t, segment_map_p, POINTER(c_uint8), c_size_t)
    fn("carteira_segments_compute", status_t, portfolio_p, POINTER(SegmentsOptions),
       POINTER(segments_p))
    fn("carteira_segments_destroy", None, segments_p)
    fn("carteira_segments_size", status_t, segments_p, POINTER(c_size_t))
    fn("carteira_segments_get_int64", status_t, segments_p, c_int32, POINTER(c_int64), c_size_t)
    fn("carteira_segments_name_count", status_t, segments_p, POINTER(c_size_t))
    fn("carteira_segments_name", status_t, segments_p, c_size_t, POINTER(c_char_p),
       POINTER(c_int64))
    fn("carteira_segments_get_info", status_t, segments_p, POINTER(SegmentsInfo))
    fn("carteira_model_expected_lifetime_days", status_t, model_p, POINTER(c_double))
    fn("carteira_kpi_compute", status_t, portfolio_p, POINTER(KpiOptions), POINTER(kpi_p))
    fn("carteira_kpi_destroy", None, kpi_p)
    fn("carteira_kpi_overall", status_t, kpi_p, POINTER(KpiValues))
    fn("carteira_kpi_group_count", status_t, kpi_p, POINTER(c_size_t))
    fn("carteira_kpi_group", status_t, kpi_p, c_size_t, POINTER(KpiValues))
    fn("carteira_kpi_cohort_count", status_t, kpi_p, POINTER(c_size_t))
    fn("carteira_kpi_cohort_months", status_t, kpi_p, POINTER(c_int32), POINTER(c_int64), c_size_t)
    fn("carteira_kpi_cohort_matrix", status_t, kpi_p, POINTER(c_int64), POINTER(c_double),
       c_size_t)
    fn("carteira_rep_dashboard_compute", status_t, portfolio_p, POINTER(RepDashboardOptions),
       POINTER(rep_dashboard_p))
    fn("carteira_rep_dashboard_destroy", None, rep_dashboard_p)
    fn("carteira_rep_dashboard_size", status_t, rep_dashboard_p, POINTER(c_size_t))
    fn("carteira_rep_dashboard_row_get", status_t, rep_dashboard_p, c_size_t,
       POINTER(RepDashboardRow))
    # ---- The HTML report
    fn("carteira_report_write", status_t, portfolio_p, POINTER(ReportOptions), c_char_p)
    # ---- Data hygiene
    fn("carteira_check_tax_id", status_t, c_char_p, POINTER(TaxIdResult))
    fn("carteira_check_phone", status_t, c_char_p, c_char_p, POINTER(PhoneResult))
    fn("carteira_check_email", status_t, c_char_p, POINTER(EmailResult))
    # buffer is a plain pointer: NULL for the size query, else a writable buffer.
    fn("carteira_display_name", status_t, c_char_p, c_void_p, c_size_t, POINTER(c_size_t))
    fn("carteira_fold_key", status_t, c_char_p, c_void_p, c_size_t, POINTER(c_size_t))
    fn("carteira_hygiene_check", status_t, portfolio_p, POINTER(HygieneOptions),
       POINTER(hygiene_report_p))
    fn("carteira_hygiene_report_destroy", None, hygiene_report_p)
    fn("carteira_hygiene_report_problem_count", status_t, hygiene_report_p, POINTER(c_size_t))
    fn("carteira_hygiene_report_problem", status_t, hygiene_report_p, c_size_t,
       POINTER(HygieneProblem))
    fn("carteira_hygiene_report_count_size", status_t, hygiene_report_p, POINTER(c_size_t))
    fn("carteira_hygiene_report_count", status_t, hygiene_report_p, c_size_t, POINTER(c_char_p),
       POINTER(ctypes.c_uint64))
    fn("carteira_hygiene_report_cluster_count", status_t, hygiene_report_p, POINTER(c_size_t))
    fn("carteira_hygiene_report_cluster", status_t, hygiene_report_p, c_size_t,
       POINTER(DuplicateCluster))
    fn("carteira_portfolio_merge_customers", status_t, portfolio_p, c_char_p, POINTER(c_char_p),
       c_size_t, c_int32, c_char_p)
    # ---- Redistribution plans
    fn("carteira_plan_pipeline_from_json", status_t, c_char_p, POINTER(plan_pipeline_p))
    fn("carteira_plan_pipeline_from_file", status_t, c_char_p, POINTER(plan_pipeline_p))
    fn("carteira_plan_pipeline_create", status_t, POINTER(plan_pipeline_p))
    fn("carteira_plan_pipeline_destroy", None, plan_pipeline_p)
    # user_data is an opaque key (a Python int), never dereferenced by C.
    fn("carteira_plan_pipeline_add_policy", status_t, plan_pipeline_p, c_char_p,
       POINTER(PolicyVtable), c_void_p)
    fn("carteira_plan_state_as_of", status_t, plan_state_p, POINTER(c_int32))
    fn("carteira_plan_state_customer", status_t, plan_state_p, c_uint32, POINTER(PlanCustomer))
    fn("carteira_plan_state_rep", status_t, plan_state_p, c_int32, POINTER(c_int64),
       POINTER(c_int64), POINTER(c_int32))
    fn("carteira_plan_state_move", status_t, plan_state_p, c_uint32, c_int32, c_char_p, c_char_p)
    fn("carteira_plan_state_unplace", status_t, plan_state_p, c_uint32, c_char_p, c_char_p)
    fn("carteira_plan_state_set_error", status_t, plan_state_p, c_char_p)
    fn("carteira_plan_build", status_t, portfolio_p, status_table_p, plan_pipeline_p,
       POINTER(plan_p))
    fn("carteira_plan_from_json", status_t, portfolio_p, c_char_p, POINTER(plan_p))
    fn("carteira_plan_destroy", None, plan_p)
    fn("carteira_plan_info_get", status_t, plan_p, POINTER(PlanInfo))
    fn("carteira_plan_move_get", status_t, plan_p, c_size_t, POINTER(PlanMove))
    fn("carteira_plan_unplaced_get", status_t, plan_p, c_size_t, POINTER(PlanUnplaced))
    fn("carteira_plan_infeasible_get", status_t, plan_p, c_size_t, POINTER(c_char_p))
    fn("carteira_plan_rep_figures", status_t, plan_p, c_int32, c_int32, POINTER(RepFigures))
    fn("carteira_plan_fairness", status_t, plan_p, c_int32, POINTER(Fairness))
    fn("carteira_plan_to_json", status_t, plan_p, POINTER(c_char_p))
    fn("carteira_plan_apply", status_t, portfolio_p, plan_p)
    fn("carteira_plan_inverse", status_t, plan_p, c_int32, POINTER(plan_p))
    # ---- Sales opportunities
    fn("carteira_opportunities_compute", status_t, portfolio_p, POINTER(OpportunitiesOptions),
       POINTER(opportunities_p))
    fn("carteira_opportunities_destroy", None, opportunities_p)
    fn("carteira_opportunities_note", status_t, opportunities_p, POINTER(c_char_p))
    fn("carteira_opportunities_category_count", status_t, opportunities_p, POINTER(c_size_t))
    fn("carteira_opportunities_category", status_t, opportunities_p, c_size_t, POINTER(c_char_p))
    fn("carteira_opportunities_suggestion_count", status_t, opportunities_p, POINTER(c_size_t))
    fn("carteira_opportunities_suggestion_int64", status_t, opportunities_p, c_int32, POINTER(c_int64),
       c_size_t)
    fn("carteira_opportunities_suggestion_double", status_t, opportunities_p, c_int32, POINTER(c_double),
       c_size_t)
    # buffer is a plain pointer: NULL for the size query, else a writable buffer.
    fn("carteira_opportunities_reasons", status_t, opportunities_p, c_size_t, c_size_t, c_void_p, c_size_t,
       POINTER(c_uint64), POINTER(c_size_t))
    fn("carteira_opportunities_next_purchase", status_t, opportunities_p, POINTER(c_int32), POINTER(c_int32),
       POINTER(c_int32), POINTER(c_int32), POINTER(c_int32), c_size_t)
    fn("carteira_opportunities_entering_window", status_t, opportunities_p, c_int32, POINTER(c_uint32),
       c_size_t, POINTER(c_size_t))
    fn("carteira_cross_sell_evaluate", status_t, portfolio_p, c_int32, c_int32, c_int32, c_int64,
       POINTER(CrossSellEvaluation))
    fn("carteira_mix_compute", status_t, portfolio_p, c_int32, c_int32, c_int32, POINTER(mix_p))
    fn("carteira_mix_destroy", None, mix_p)
    fn("carteira_mix_category_count", status_t, mix_p, POINTER(c_size_t))
    fn("carteira_mix_category", status_t, mix_p, c_size_t, POINTER(c_char_p))
    fn("carteira_mix_group_count", status_t, mix_p, POINTER(c_size_t))
    fn("carteira_mix_group_get", status_t, mix_p, c_size_t, POINTER(MixGroup))
    fn("carteira_mix_group_categories", status_t, mix_p, c_size_t, POINTER(c_int64), POINTER(c_int64),
       c_size_t)
    fn("carteira_mix_breadth", status_t, mix_p, POINTER(c_int32), c_size_t)
    fn("carteira_icp_compute", status_t, portfolio_p, POINTER(IcpOptions), POINTER(icp_p))
    fn("carteira_icp_destroy", None, icp_p)
    fn("carteira_icp_get_info", status_t, icp_p, POINTER(IcpInfo))
    fn("carteira_icp_profile_count", status_t, icp_p, POINTER(c_size_t))
    fn("carteira_icp_profile_get", status_t, icp_p, c_size_t, POINTER(IcpValue))
    fn("carteira_icp_scores", status_t, icp_p, POINTER(c_double), POINTER(c_uint8), POINTER(c_int64),
       POINTER(c_int32), c_size_t)
    # ---- Retention actions
    fn("carteira_task_type_name", c_char_p, c_int32)
    fn("carteira_task_type_parse", status_t, c_char_p, POINTER(c_int32))
    fn("carteira_agenda_options_init", None, POINTER(AgendaOptions), c_size_t)
    fn("carteira_agenda_build", status_t, status_engine_p, POINTER(AgendaOptions), POINTER(agenda_p))
    fn("carteira_agenda_destroy", None, agenda_p)
    fn("carteira_agenda_size", status_t, agenda_p, POINTER(c_size_t))
    fn("carteira_agenda_task_get", status_t, agenda_p, c_size_t, POINTER(Task))
    fn("carteira_ledger_kind_name", c_char_p, c_int32)
    fn("carteira_loyalty_ledger_create", status_t, portfolio_p, c_char_p, POINTER(loyalty_ledger_p))
    fn("carteira_loyalty_ledger_create_from_file", status_t, portfolio_p, c_char_p,
       POINTER(loyalty_ledger_p))
    fn("carteira_loyalty_ledger_destroy", None, loyalty_ledger_p)
    fn("carteira_loyalty_earn_from_transactions", status_t, loyalty_ledger_p, c_int32, POINTER(c_size_t))
    fn("carteira_loyalty_redeem", status_t, loyalty_ledger_p, c_uint32, c_int32, c_int64, c_char_p,
       POINTER(c_uint64))
    fn("carteira_loyalty_adjust", status_t, loyalty_ledger_p, c_uint32, c_int32, c_int64, c_char_p,
       POINTER(c_uint64))
    fn("carteira_loyalty_reverse", status_t, loyalty_ledger_p, c_uint64, c_int32, c_char_p,
       POINTER(c_uint64))
    fn("carteira_loyalty_expire_until", status_t, loyalty_ledger_p, c_int32, POINTER(c_size_t))
    fn("carteira_loyalty_balance", status_t, loyalty_ledger_p, c_uint32, c_int32, POINTER(c_int64))
    fn("carteira_loyalty_expiring_within", status_t, loyalty_ledger_p, c_uint32, c_int32, c_int32,
       POINTER(c_int64))
    fn("carteira_loyalty_balances", status_t, loyalty_ledger_p, c_int32, POINTER(c_int64), c_size_t)
    fn("carteira_loyalty_tier", status_t, loyalty_ledger_p, c_uint32, c_int32, POINTER(TierStanding))
    fn("carteira_loyalty_entry_count", status_t, loyalty_ledger_p, POINTER(c_size_t))
    fn("carteira_loyalty_entry_get", status_t, loyalty_ledger_p, c_size_t, POINTER(LedgerEntry))
    fn("carteira_store_save_loyalty", status_t, store_p, loyalty_ledger_p)
    fn("carteira_store_load_loyalty", status_t, store_p, portfolio_p, c_char_p, POINTER(loyalty_ledger_p))
    fn("carteira_automation_call_set_error", status_t, automation_call_p, c_char_p)
    fn("carteira_automation_create", status_t, POINTER(automation_p))
    fn("carteira_automation_destroy", None, automation_p)
    # user_data is an opaque key (a Python int), never dereferenced by C.
    fn("carteira_automation_add_handler", status_t, automation_p, c_char_p, POINTER(AutomationVtable),
       c_void_p)
    fn("carteira_automation_run", status_t, automation_p, status_engine_p, loyalty_ledger_p, c_int32,
       c_int32, POINTER(c_char_p), c_size_t, POINTER(AgendaOptions), POINTER(automation_report_p))
    fn("carteira_automation_report_destroy", None, automation_report_p)
    fn("carteira_automation_report_counts", status_t, automation_report_p, POINTER(AutomationCounts))
    fn("carteira_automation_report_failure", status_t, automation_report_p, c_size_t,
       POINTER(AutomationFailure))


def _load() -> ctypes.CDLL:
    path = locate_library()
    try:
        lib = ctypes.CDLL(path)
    except OSError as e:
        raise ImportError(f"cannot load libcarteira from {path!r}: {e}") from e
    _declare(lib)
    check_major(lib.carteira_version_number())
    return lib


lib = _load()
library_path = lib._name


# ---- Status to exception ---------------------------------------------------------


def error_from_status(status: int) -> Error:
    """The exception for a failed call; call it before any other carteira_ call,
    since each call clears the thread's last error."""
    raw = lib.carteira_last_error_message()
    message = raw.decode("utf-8", "replace") if raw else ""
    if not message:
        message = f"carteira call failed with status {status}"
    return error_class(status)(message, status)


def _check(status: int) -> None:
    """Raises the carteira.Error subclass for a non-OK status."""
    if status != OK:
        raise error_from_status(status)
