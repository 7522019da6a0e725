"""Data hygiene: CPF/CNPJ (the alphanumeric CNPJ too), phones, e-mails and
names one value at a time, the hygiene report of a portfolio (problems,
counts, duplicate clusters) and the lossless merge of customers.

Every check takes one value (a str) and returns a named tuple, or an
iterable of values (a list, a numpy array, a pandas Series) and returns a
pandas DataFrame (a list of named tuples without pandas).
"""

from __future__ import annotations

import ctypes
import datetime
from typing import NamedTuple

from . import _lib
from .dates import date_to_days
from .status import _text  # refuses a NUL, which would cut a C string short

try:
    import pandas as _pd
except ImportError:  # pandas is optional
    _pd = None

__all__ = [
    "TaxId", "Phone", "Email", "DuplicateCluster", "HygieneReport",
    "check_tax_id", "check_phone", "check_email", "display_name", "fold_key", "hygiene_report",
]


class TaxId(NamedTuple):
    valid: bool
    kind: str        # "cpf", "cnpj", "unknown"
    problem: str     # "none", "wrong_length", "bad_character", "repeated_digits", "check_digit_mismatch"
    position: int    # 1-based: the bad character, or the wrong check digit; 0 otherwise
    canonical: str   # significant characters, upper-case
    formatted: str   # "12.ABC.345/01DE-35" when valid, else ""


class Phone(NamedTuple):
    valid: bool
    problem: str     # "none", "too_short", "invalid_number", ...
    type: str        # "mobile", "fixed_line", ...
    e164: str        # "+5511987654321" when valid, else ""
    suggestion: str  # an old 8-digit mobile with the ninth digit, else ""


class Email(NamedTuple):
    valid: bool
    problem: str     # "none", "missing_at", "dot_placement", ...
    position: int    # 1-based byte of a bad character; 0 otherwise
    normalized: str  # trimmed, domain lower-cased, when valid
    suggestion: str  # the likely intended address when the domain looks like a typo


class DuplicateCluster(NamedTuple):
    customer_index: list[int]  # ascending
    customer_ids: list[str]
    reasons: tuple[str, ...]   # shared keys: "document", "email", "phone", "name_city"
    score: float               # the weakest link's score


def _decode(raw) -> str:
    return raw.decode("utf-8") if raw else ""


def _many(values, check, fields):
    """check() over an iterable: a DataFrame (or a list without pandas)."""
    if isinstance(values, (bytes, bytearray)) or not hasattr(values, "__iter__"):
        raise TypeError(f"value: expected str or an iterable of str, got {type(values).__name__}")
    results = [check(v) for v in values]
    if _pd is None:
        return results
    frame = _pd.DataFrame(results, columns=list(fields))
    if isinstance(values, _pd.Series):
        frame.index = values.index  # a Series' checks line up with it
    return frame


def check_tax_id(value):
    """Validates a CPF or CNPJ, with or without punctuation."""
    if not isinstance(value, str):
        return _many(value, check_tax_id, TaxId._fields)
    out = _lib.TaxIdResult()
    _lib._check(_lib.lib.carteira_check_tax_id(_text(value, "value"), ctypes.byref(out)))
    return TaxId(bool(out.valid), _decode(out.kind), _decode(out.problem), out.position,
                 _decode(out.canonical), _decode(out.formatted))


def check_phone(value, region: str = "BR"):
    """Validates a phone number (libphonenumber; `region` for numbers without
    +country), with E.164 and the line type."""
    if not isinstance(value, str):
        return _many(value, lambda v: check_phone(v, region), Phone._fields)
    out = _lib.PhoneResult()
    _lib._check(_lib.lib.carteira_check_phone(_text(value, "value"), _text(region, "region"),
                                              ctypes.byref(out)))
    return Phone(bool(out.valid), _decode(out.problem), _decode(out.type), _decode(out.e164),
                 _decode(out.suggestion))


def check_email(value):
    """Checks an e-mail address's syntax; suggests the likely intended
    address for a typo of a common provider (never applied)."""
    if not isinstance(value, str):
        return _many(value, check_email, Email._fields)
    out = _lib.EmailResult()
    _lib._check(_lib.lib.carteira_check_email(_text(value, "value"), ctypes.byref(out)))
    return Email(bool(out.valid), _decode(out.problem), out.position, _decode(out.normalized),
                 _decode(out.suggestion))


def _text_call(function, text: str) -> str:
    raw = _text(text, "text")
    length = ctypes.c_size_t()
    _lib._check(function(raw, None, 0, ctypes.byref(length)))
    buffer = ctypes.create_string_buffer(length.value + 1)
    _lib._check(function(raw, buffer, len(buffer), ctypes.byref(length)))
    return buffer.raw[:length.value].decode("utf-8")


def display_name(text: str) -> str:
    """A name or address tidied for display ("MARIA DAS GRAÇAS" -> "Maria das Graças")."""
    return _text_call(_lib.lib.carteira_display_name, text)


def fold_key(text: str) -> str:
    """The accent- and case-folded key for matching ("José D'Ávila" -> "jose d avila")."""
    return _text_call(_lib.lib.carteira_fold_key, text)


class HygieneReport:
    """What carteira_hygiene_check found, copied out of the library.

    problems: a DataFrame (a dict of lists without pandas) with
    customer_index, customer_id, field, value, problem, detail, suggestion;
    counts: {"field.problem": n, ..., "duplicates.clusters": n};
    clusters: a list of DuplicateCluster.
    """

    def __init__(self, problems, counts, clusters):
        self.problems = problems
        self.counts = counts
        self.clusters = clusters

    def __repr__(self) -> str:
        n = len(self.problems["customer_id"])
        return f"<carteira.HygieneReport {n} problems, {len(self.clusters)} duplicate clusters>"


_PROBLEM_FIELDS = ("customer_index", "customer_id", "field", "value", "problem", "detail", "suggestion")


def hygiene_report(portfolio, *, region: str = "BR", find_duplicates: bool = True,
                   link_threshold: float | None = None, as_frame: bool | None = None) -> HygieneReport:
    """Checks every customer record of `portfolio` (document, e-mail, phone,
    name, city) and finds duplicate customers; changes nothing."""
    handle = portfolio._handle
    options = _lib.HygieneOptions(default_region=_text(region, "region"),
                                  find_duplicates=1 if find_duplicates else 0,
                                  link_threshold=0.0 if link_threshold is None else float(link_threshold))
    report = _lib.hygiene_report_p()
    _lib._check(_lib.lib.carteira_hygiene_check(handle, ctypes.byref(options), ctypes.byref(report)))
    try:
        lib = _lib.lib
        n = ctypes.c_size_t()
        _lib._check(lib.carteira_hygiene_report_problem_count(report, ctypes.byref(n)))
        columns = {name: [] for name in _PROBLEM_FIELDS}
        problem = _lib.HygieneProblem()
        for i in range(n.value):
            _lib._check(lib.carteira_hygiene_report_problem(report, i, ctypes.byref(problem)))
            columns["customer_index"].append(problem.customer_index)
            for name in _PROBLEM_FIELDS[1:]:
                columns[name].append(_decode(getattr(problem, name)))
        _lib._check(lib.carteira_hygiene_report_count_size(report, ctypes.byref(n)))
        counts = {}
        name = ctypes.c_char_p()
        count = ctypes.c_uint64()
        for i in range(n.value):
            _lib._check(lib.carteira_hygiene_report_count(report, i, ctypes.byref(name), ctypes.byref(count)))
            counts[_decode(name.value)] = count.value
        _lib._check(lib.carteira_hygiene_report_cluster_count(report, ctypes.byref(n)))
        clusters = []
        cluster = _lib.DuplicateCluster()
        for i in range(n.value):
            _lib._check(lib.carteira_hygiene_report_cluster(report, i, ctypes.byref(cluster)))
            members = [cluster.members[k] for k in range(cluster.member_count)]
            reasons = tuple(r for r in _decode(cluster.reasons).split(",") if r)
            clusters.append(DuplicateCluster(members, [], reasons, cluster.score))
    finally:
        _lib.lib.carteira_hygiene_report_destroy(report)
    if clusters:
        all_ids = portfolio.customer_ids(sorted({m for c in clusters for m in c.customer_index}))
        by_index = dict(zip(sorted({m for c in clusters for m in c.customer_index}), all_ids))
        clusters = [c._replace(customer_ids=[by_index[m] for m in c.customer_index]) for c in clusters]
    if as_frame is None:
        as_frame = _pd is not None
    if as_frame:
        if _pd is None:
            raise ImportError("as_frame=True needs pandas")
        problems = _pd.DataFrame(columns, columns=list(_PROBLEM_FIELDS))
    else:
        problems = columns
    return HygieneReport(problems, counts, clusters)


def merge_customers(portfolio, into: str, merged, *, merged_by: str, merged_at=None) -> None:
    """Merges the customers `merged` (ids) into `into`: their history moves
    to it, their ids become aliases that still find it, and the merge is
    recorded (merged_by: who asks for it; merged_at: a date, default today).
    All or nothing. Customer indices change: summaries, engines and tables
    taken before are void."""
    handle = portfolio._handle
    if isinstance(merged, str):
        merged = [merged]
    ids = [_text(m, "merged") for m in merged]
    array = (ctypes.c_char_p * max(len(ids), 1))(*ids)
    day = date_to_days(merged_at if merged_at is not None else datetime.date.today())
    _lib._check(_lib.lib.carteira_portfolio_merge_customers(
        handle, _text(into, "into"), array, len(ids), day, _text(merged_by, "merged_by")))
