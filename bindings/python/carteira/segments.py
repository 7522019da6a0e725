"""Segments (docs/segments.md): RFM scores 1-5 by quintiles, named segments
from an ordered segment map (with its check), and ABC classes by revenue.

Portfolio.segments(as_of) returns one row per customer with a purchase on or
before the date: a pandas DataFrame indexed by customer_index (a dict of
numpy arrays without pandas) with customer_id, r, f, m, rfm ("545"),
segment, abc ("A", "B", "C", or None without positive revenue in the ABC
period), recency_days, frequency, monetary and abc_revenue (int64 minor
units). The frame's ``attrs`` hold as_of, abc_from, the rows per segment and
the ABC totals.
"""

from __future__ import annotations

import ctypes
from typing import NamedTuple

import numpy as np

from . import _lib
from ._arrays import integer_array, pointer
from ._native import NativeObject
from .dates import date_to_days, days_to_date

try:
    import pandas as _pd
except ImportError:  # pandas is optional
    _pd = None

__all__ = ["SegmentMap", "SegmentRule", "SegmentMapCheck", "quintile_scores", "abc_classify",
           "abc_class_name", "segments"]


def _decode(raw) -> str:
    return raw.decode("utf-8") if raw else ""


class SegmentRule(NamedTuple):
    name: str
    r: tuple[int, int]   # inclusive score ranges; (1, 5) = any
    f: tuple[int, int]
    m: tuple[int, int]
    fm: tuple[int, int]
    # The conditions on customer fields and summary figures, joined by " and "
    # ('region in ["Sul", "Sudeste"] and monetary >= 1500.00'); "" for none.
    where: str = ""


class SegmentMapCheck(NamedTuple):
    ok: bool
    r_f_m_grid: bool                       # False: the 5x5 R x FM grid
    shadowed: list[tuple[int, list[int]]]  # (rule, earlier rules taking all its cells)
    uncovered: list[tuple[int, int, int]]  # (r, fm, 0) or (r, f, m)
    fallback: str
    description: str                       # one line per problem; "" when ok


class SegmentMap(NativeObject):
    """An ordered list of rules on the R, F, M (or FM) scores, each optionally
    with conditions on customer fields and summary figures ("where" in the
    JSON, docs/segments.md); the first match names a customer's segment.
    SegmentMap() is the default map."""

    _name = "carteira.SegmentMap"
    _destroy = "carteira_segment_map_destroy"

    def __init__(self):
        self._ptr = None
        self._ptr = self._create(_lib.lib.carteira_segment_map_default)

    @staticmethod
    def _create(call, *args):
        handle = _lib.segment_map_p()
        _lib._check(call(*args, ctypes.byref(handle)))
        return handle

    @classmethod
    def _make(cls, call, *args) -> "SegmentMap":
        m = cls.__new__(cls)
        m._ptr = None
        m._ptr = cls._create(call, *args)
        return m

    @classmethod
    def default(cls) -> "SegmentMap":
        return cls()

    @classmethod
    def from_json(cls, text) -> "SegmentMap":
        """Parses a map document; errors name the place ("segments[3].fm: ...",
        "segments[2] 'vip': where[0] 'region': ...")."""
        if isinstance(text, str):
            text = text.encode("utf-8")
        return cls._make(_lib.lib.carteira_segment_map_from_json, bytes(text))

    @classmethod
    def from_file(cls, path) -> "SegmentMap":
        return cls._make(_lib.lib.carteira_segment_map_from_file, str(path).encode("utf-8"))

    def to_json(self) -> str:
        out = ctypes.c_char_p()
        _lib._check(_lib.lib.carteira_segment_map_to_json(self._handle, ctypes.byref(out)))
        return _decode(out.value)

    def _report(self):
        report = _lib.SegmentMapReport()
        _lib._check(_lib.lib.carteira_segment_map_check(self._handle, ctypes.byref(report)))
        return report

    @property
    def rules(self) -> list[SegmentRule]:
        handle = self._handle
        out = []
        rule = _lib.SegmentRule()
        conditions = ctypes.c_char_p()
        for i in range(self._report().rule_count):
            _lib._check(_lib.lib.carteira_segment_map_rule(handle, i, ctypes.byref(rule)))
            _lib._check(_lib.lib.carteira_segment_map_rule_conditions(handle, i, None, ctypes.byref(conditions)))
            out.append(SegmentRule(_decode(rule.name), (rule.r_lo, rule.r_hi), (rule.f_lo, rule.f_hi),
                                   (rule.m_lo, rule.m_hi), (rule.fm_lo, rule.fm_hi), _decode(conditions.value)))
        return out

    def check(self) -> SegmentMapCheck:
        """Rules that can never match and cells no rule covers; the description
        ends with a note on the cells only rules with conditions reach."""
        handle = self._handle
        report = self._report()
        shadowed = []
        rule, covered, count = ctypes.c_size_t(), ctypes.POINTER(ctypes.c_uint32)(), ctypes.c_size_t()
        for i in range(report.shadowed_count):
            _lib._check(_lib.lib.carteira_segment_map_shadowed(
                handle, i, ctypes.byref(rule), ctypes.byref(covered), ctypes.byref(count)))
            shadowed.append((rule.value, [covered[k] for k in range(count.value)]))
        cells = np.zeros(3 * report.uncovered_count, dtype=np.uint8)
        _lib._check(_lib.lib.carteira_segment_map_uncovered(
            handle, pointer(cells, ctypes.c_uint8) if cells.size else None, cells.size))
        uncovered = [tuple(int(v) for v in cells[3 * i:3 * i + 3]) for i in range(report.uncovered_count)]
        return SegmentMapCheck(bool(report.ok), bool(report.r_f_m_grid), shadowed, uncovered,
                               _decode(report.fallback), _decode(report.description))

    def __repr__(self) -> str:
        if self.closed:
            return "<carteira.SegmentMap closed>"
        return f"<carteira.SegmentMap {len(self.rules)} rules>"


def quintile_scores(values, higher_is_better: bool = True) -> np.ndarray:
    """Scores 1-5 by the RFM quintile rule (ties share a score), as uint8."""
    arr = integer_array(values, np.int64, "values")
    out = np.zeros(arr.size, dtype=np.uint8)
    _lib._check(_lib.lib.carteira_quintile_scores(
        pointer(arr, ctypes.c_int64), arr.size, 1 if higher_is_better else 0, pointer(out, ctypes.c_uint8)))
    return out


def abc_class_name(value: int) -> str | None:
    """'A', 'B', 'C'; None for no class (0)."""
    raw = _lib.lib.carteira_abc_class_name(int(value))
    if raw is None:
        raise ValueError(f"{value} is not an ABC class (0..3)")
    return raw.decode() or None


def abc_classify(revenue, a_share: float = 0.80, b_share: float = 0.15) -> np.ndarray:
    """ABC classes of revenues (int minor units): an object array of 'A', 'B',
    'C' or None (no positive revenue)."""
    arr = integer_array(revenue, np.int64, "revenue")
    out = np.zeros(arr.size, dtype=np.uint8)
    _lib._check(_lib.lib.carteira_abc_classify(
        pointer(arr, ctypes.c_int64), arr.size, float(a_share), float(b_share), pointer(out, ctypes.c_uint8)))
    return np.array([(None, "A", "B", "C")[k] for k in out], dtype=object)


_INT_COLUMNS = (
    ("r", _lib.SEGMENTS_R, np.uint8),
    ("f", _lib.SEGMENTS_F, np.uint8),
    ("m", _lib.SEGMENTS_M, np.uint8),
    ("recency_days", _lib.SEGMENTS_RECENCY_DAYS, np.int64),
    ("frequency", _lib.SEGMENTS_FREQUENCY, np.int64),
    ("monetary", _lib.SEGMENTS_MONETARY, np.int64),
    ("abc_revenue", _lib.SEGMENTS_ABC_REVENUE, np.int64),
)

COLUMNS = ("customer_id", "r", "f", "m", "rfm", "segment", "abc", "recency_days", "frequency",
           "monetary", "abc_revenue")


def segments(portfolio, as_of, *, segment_map: SegmentMap | None = None, abc=(0.80, 0.15),
             abc_from=None, as_frame: bool | None = None):
    """RFM scores, named segment and ABC class of every customer with a
    purchase on or before `as_of` (see the module docstring). abc: the A
    and B shares; abc_from: the first day of the ABC period (default
    as_of - 364)."""
    handle = portfolio._handle
    a_share, b_share = abc
    options = _lib.SegmentsOptions(
        as_of=date_to_days(as_of), abc_a_share=float(a_share), abc_b_share=float(b_share),
        abc_from=_lib.NO_DAY if abc_from is None else date_to_days(abc_from))
    if segment_map is not None:
        options.map = segment_map._handle
    result = _lib.segments_p()
    _lib._check(_lib.lib.carteira_segments_compute(handle, ctypes.byref(options), ctypes.byref(result)))
    lib = _lib.lib
    try:
        rows = ctypes.c_size_t()
        _lib._check(lib.carteira_segments_size(result, ctypes.byref(rows)))
        n = rows.value

        def column(code):
            out = np.empty(n, dtype=np.int64)
            _lib._check(lib.carteira_segments_get_int64(result, code, pointer(out, ctypes.c_int64), n))
            return out

        index = column(_lib.SEGMENTS_CUSTOMER_INDEX).astype(np.uint32)
        ints = {name: column(code).astype(dtype, copy=False) for name, code, dtype in _INT_COLUMNS}
        rfm_code = column(_lib.SEGMENTS_RFM)
        segment_index = column(_lib.SEGMENTS_SEGMENT)
        abc_class = column(_lib.SEGMENTS_ABC)
        count = ctypes.c_size_t()
        _lib._check(lib.carteira_segments_name_count(result, ctypes.byref(count)))
        names, counts = [], {}
        name, rows_of = ctypes.c_char_p(), ctypes.c_int64()
        for i in range(count.value):
            _lib._check(lib.carteira_segments_name(result, i, ctypes.byref(name), ctypes.byref(rows_of)))
            names.append(_decode(name.value))
            counts[names[-1]] = rows_of.value
        info = _lib.SegmentsInfo()
        _lib._check(lib.carteira_segments_get_info(result, ctypes.byref(info)))
    finally:
        lib.carteira_segments_destroy(result)

    ids = np.empty(n, dtype=object)
    ids[:] = portfolio.customer_ids(index)
    table = np.array(names, dtype=object)
    abc_names = np.array([None, "A", "B", "C"], dtype=object)
    data = {
        "customer_id": ids,
        "r": ints["r"], "f": ints["f"], "m": ints["m"],
        "rfm": np.array([f"{c:03d}" for c in rfm_code], dtype=object),
        "segment": table[segment_index] if n else np.empty(0, dtype=object),
        "abc": abc_names[abc_class] if n else np.empty(0, dtype=object),
        "recency_days": ints["recency_days"], "frequency": ints["frequency"],
        "monetary": ints["monetary"], "abc_revenue": ints["abc_revenue"],
    }
    attrs = {
        "as_of": days_to_date(info.as_of),
        "abc_from": days_to_date(info.abc_from),
        "segments": counts,
        "abc": {"A": info.customers_a, "B": info.customers_b, "C": info.customers_c,
                "none": info.customers_none},
        "abc_revenue": {"A": info.revenue_a, "B": info.revenue_b, "C": info.revenue_c,
                        "total": info.abc_total},
    }
    if as_frame is None:
        as_frame = _pd is not None
    if not as_frame:
        data["customer_index"] = index
        data["attrs"] = attrs
        return data
    if _pd is None:
        raise ImportError("as_frame=True needs pandas")
    frame = _pd.DataFrame(data, index=_pd.Index(index, name="customer_index"))
    frame.attrs.update(attrs)
    return frame
