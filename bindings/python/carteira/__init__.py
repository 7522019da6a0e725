"""Carteira: customer-portfolio management, a thin ctypes binding over libcarteira.

The shared library is found through $CARTEIRA_LIBRARY, a copy inside this
package, or the system loader (see carteira._lib).
"""

from ._version import __version__
from .dates import NO_DAY, date_to_days, days_to_date, from_days, parse_date, to_days
from . import errors as _errors
from .errors import *  # noqa: F401,F403  (one class per status code)
from . import hygiene
from .hygiene import (
    DuplicateCluster,
    HygieneReport,
    check_email,
    check_phone,
    check_tax_id,
    display_name,
    fold_key,
)
from . import kpi, opportunities, report, segments
from .import_options import ENTITIES
from .kpi import KPI_COLUMNS, KpiReport, expected_lifetime_days
from .segments import SegmentMap, SegmentMapCheck, SegmentRule, abc_classify, quintile_scores
from .import_report import ImportIssue, ImportReport
from .library import library_path, version, version_number
from .models import PARAM_NAMES, TIME_UNITS, FitInfo, Model, ModelKind
from .money import parse_money
from .portfolio import Portfolio
from .report import write_report
from . import redistribution
from .redistribution import Fairness, Plan, PlanCustomer, PlanPipeline, PlanRep, PlanState
from . import actions
from .actions import (
    AGENDA_COLUMNS,
    AgendaTask,
    Automation,
    AutomationFailure,
    AutomationReport,
    LoyaltyLedger,
    StatusChange,
    TierChange,
    TierStanding,
    build_agenda,
)
from .store import STORE_TABLES, Store
from .status import (
    BUILTIN_RULES,
    STATUS_COLUMNS,
    Lifecycle,
    StatusDecision,
    StatusEngine,
    StatusFacts,
    StatusFlag,
    StatusPolicy,
    StatusTable,
    flag_names,
    lifecycle_name,
    parse_lifecycle,
)
from .summary import COLUMNS as SUMMARY_COLUMNS

__all__ = [
    "__version__",
    "version",
    "version_number",
    "library_path",
    "parse_date",
    "parse_money",
    "date_to_days",
    "days_to_date",
    "to_days",
    "from_days",
    "NO_DAY",
    "Portfolio",
    "ImportReport",
    "ImportIssue",
    "ENTITIES",
    "SUMMARY_COLUMNS",
    "Lifecycle",
    "StatusFlag",
    "lifecycle_name",
    "parse_lifecycle",
    "flag_names",
    "BUILTIN_RULES",
    "STATUS_COLUMNS",
    "StatusPolicy",
    "StatusEngine",
    "StatusTable",
    "StatusFacts",
    "StatusDecision",
    "Model",
    "ModelKind",
    "FitInfo",
    "PARAM_NAMES",
    "TIME_UNITS",
    "hygiene",
    "check_tax_id",
    "check_phone",
    "check_email",
    "display_name",
    "fold_key",
    "HygieneReport",
    "DuplicateCluster",
    "Store",
    "STORE_TABLES",
    "segments",
    "kpi",
    "opportunities",
    "SegmentMap",
    "SegmentRule",
    "SegmentMapCheck",
    "quintile_scores",
    "abc_classify",
    "KpiReport",
    "KPI_COLUMNS",
    "expected_lifetime_days",
    "report",
    "write_report",
    "redistribution",
    "PlanPipeline",
    "PlanState",
    "PlanCustomer",
    "PlanRep",
    "Plan",
    "Fairness",
    "actions",
    "AGENDA_COLUMNS",
    "build_agenda",
    "LoyaltyLedger",
    "TierStanding",
    "Automation",
    "AutomationReport",
    "AutomationFailure",
    "StatusChange",
    "AgendaTask",
    "TierChange",
]
__all__ += [name for name in _errors.__all__ if name != "error_class"]
