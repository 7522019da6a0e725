"""carteira.Portfolio: one carteira_portfolio handle and the calls on it."""

from __future__ import annotations

import ctypes
import os

import numpy as np

from . import _lib
from ._native import NativeObject
from ._arrays import bool_array, integer_array, pointer, string_array
from .dates import to_days
from .import_options import make_options
from .import_report import ImportReport
from .summary import compute_summary

__all__ = ["Portfolio"]


class Portfolio(NativeObject):
    """Customers, reps and their history, held by the native library.

    Use as a context manager, or call close(); the handle is also freed when
    the object is collected. Closing twice is harmless; any other call on a
    closed portfolio raises ValueError.
    """

    _name = "carteira.Portfolio"
    _destroy = "carteira_portfolio_destroy"

    def __init__(self):
        handle = _lib.portfolio_p()
        _lib._check(_lib.lib.carteira_portfolio_create(ctypes.byref(handle)))
        self._ptr = handle
        # The native summary kept between summary() calls, which recompute
        # it in place (its memory and scratch are reused).
        self._summary_ptr = None
        self._summary_as_of = None  # its as-of day while it holds a result

    # ---- lifetime --------------------------------------------------------

    def close(self) -> None:
        """Frees the native portfolio (and the summary it keeps); later calls
        raise ValueError."""
        summary, self._summary_ptr = getattr(self, "_summary_ptr", None), None
        self._summary_as_of = None
        if summary:
            _lib.lib.carteira_summary_destroy(summary)
        super().close()

    def __repr__(self) -> str:
        if self.closed:
            return "<carteira.Portfolio closed>"
        c = self.counts()
        return f"<carteira.Portfolio {c['customers']} customers, {c['transactions']} transactions>"

    # ---- contents --------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per entity: customers, reps, transactions, contracts, ..."""
        out = _lib.PortfolioCounts()
        _lib._check(_lib.lib.carteira_portfolio_get_counts(self._handle, ctypes.byref(out)))
        return {name: getattr(out, name) for name, _ in _lib.PortfolioCounts._fields_[1:]}

    # ---- CSV import ------------------------------------------------------

    def _import(self, call, **options) -> ImportReport:
        opts, keep_alive = make_options(**options)
        report = _lib.import_report_p()
        status = call(ctypes.byref(opts), ctypes.byref(report))
        del keep_alive
        # Read the error first: every later carteira_ call clears it.
        error = _lib.error_from_status(status) if status != _lib.OK else None
        result = None
        if report:
            try:
                result = ImportReport._from_handle(report)
            finally:
                _lib.lib.carteira_import_report_destroy(report)
        if error is not None:
            error.report = result
            raise error
        return result

    def import_directory(self, path, **options) -> ImportReport:
        """Imports every canonical file (customers.csv, transactions.csv, ...) in `path`.

        Options: lenient=False, delimiter=None (detect; 'whitespace' = runs of
        blanks), has_header=True, decimal=None ('.' or ','), column_mapping=None
        ({field: column} or {entity: {field: column}}), unknown_customers /
        unknown_reps=None ('create', 'reject'), max_issues=0 (default cap).
        Raises a carteira.Error with ``.report`` if the import fails; the
        portfolio is then unchanged.
        """
        handle, directory = self._handle, os.fsencode(path)
        return self._import(
            lambda o, r: _lib.lib.carteira_import_directory(handle, directory, o, r), **options)

    def import_file(self, entity: str, path, **options) -> ImportReport:
        """Imports one file as `entity` ("customers", "transactions", ...); see import_directory."""
        handle, entity_b, path_b = self._handle, _entity(entity), os.fsencode(path)
        return self._import(
            lambda o, r: _lib.lib.carteira_import_file(handle, entity_b, path_b, o, r), **options)

    def import_text(self, entity: str, text, name: str = "<text>", **options) -> ImportReport:
        """Imports CSV text (str or UTF-8 bytes); `name` stands for the file in messages."""
        handle, entity_b = self._handle, _entity(entity)
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        name_b = name.encode("utf-8")
        return self._import(
            lambda o, r: _lib.lib.carteira_import_text(
                handle, entity_b, data, len(data), name_b, o, r),
            **options)

    # ---- bulk appends ----------------------------------------------------

    def append_customers(self, ids, name=None, document=None, email=None, phone=None,
                         city=None, state=None, region=None, segment=None,
                         created_at=None, key_account=None, delinquent=None) -> None:
        """Appends customers, all or nothing (a duplicate id fails the call).

        Text columns are sequences of str (None cells = empty); created_at
        takes dates (datetime64, datetime.date, int32 days; None/NaT =
        unknown); key_account and delinquent take booleans.
        """
        handle = self._handle
        id_array, n = string_array(ids, "ids", allow_none=False)
        columns = _lib.CustomerColumns(count=n, id=id_array)
        keep = [id_array]

        def check_len(column, field):
            if len(column) != n:
                raise ValueError(f"{field}: {len(column)} values for {n} ids")

        text_columns = {
            "name": name, "document": document, "email": email, "phone": phone, "city": city,
            "state": state, "region": region, "segment": segment,
        }
        for field, values in text_columns.items():
            if values is not None:
                array, count = string_array(values, field)
                check_len(array, field)
                setattr(columns, field, array)
                keep.append(array)
        if created_at is not None:
            days = to_days(created_at, "created_at")
            check_len(days, "created_at")
            columns.created_at = pointer(days, ctypes.c_int32)
            keep.append(days)
        for field, values in (("key_account", key_account), ("delinquent", delinquent)):
            if values is not None:
                flags = bool_array(values, field)
                check_len(flags, field)
                setattr(columns, field, pointer(flags, ctypes.c_uint8))
                keep.append(flags)
        _lib._check(_lib.lib.carteira_portfolio_append_customers(handle, ctypes.byref(columns)))
        del keep  # referenced until here: C read the arrays during the call

    def append_transactions(self, customer_index, date, amount, order_id=None,
                            rep_index=None, category=None) -> None:
        """Appends transactions, all or nothing.

        customer_index: uint32 (see intern_customers); date: int32 days or
        datetime64; amount: int64 minor units (< 0 = return); rep_index:
        int32, -1 = none. Arrays that already have these dtypes and are
        C-contiguous are passed without copying.
        """
        handle = self._handle
        customers = integer_array(customer_index, np.uint32, "customer_index")
        days = to_days(date, "date")
        amounts = integer_array(amount, np.int64, "amount")
        n = len(customers)
        if len(days) != n or len(amounts) != n:
            raise ValueError(
                f"column lengths differ: customer_index {n}, date {len(days)}, amount {len(amounts)}")
        columns = _lib.TransactionColumns(
            count=n,
            customer_index=pointer(customers, ctypes.c_uint32),
            date=pointer(days, ctypes.c_int32),
            amount=pointer(amounts, ctypes.c_int64),
        )
        keep = [customers, days, amounts]
        for field, values in (("order_id", order_id), ("category", category)):
            if values is not None:
                array, count = string_array(values, field)
                if count != n:
                    raise ValueError(f"{field}: {count} values for {n} transactions")
                setattr(columns, field, array)
                keep.append(array)
        if rep_index is not None:
            reps = integer_array(rep_index, np.int32, "rep_index")
            if len(reps) != n:
                raise ValueError(f"rep_index: {len(reps)} values for {n} transactions")
            columns.rep_index = pointer(reps, ctypes.c_int32)
            keep.append(reps)
        _lib._check(_lib.lib.carteira_portfolio_append_transactions(handle, ctypes.byref(columns)))
        del keep

    def append_reps(self, ids, name=None, region=None, segments=None, capacity=None,
                    active=None, team=None) -> None:
        """Appends reps, all or nothing (a duplicate id raises AlreadyExistsError).

        Text columns are sequences of str (None cells = empty); segments has,
        per rep, a list of segment names or one str already joined with '|';
        capacity: int32 customers (0 = not limited); active: booleans
        (omitted = all active).
        """
        handle = self._handle
        id_array, n = string_array(ids, "ids", allow_none=False)
        columns = _lib.RepColumns(count=n, id=id_array)
        keep = [id_array]
        for field, values in (("name", name), ("region", region), ("team", team)):
            keep.append(_set_strings(columns, field, values, n))
        if segments is not None:
            if isinstance(segments, (str, bytes)):
                raise TypeError("segments: expected one entry per rep, not a single string")
            keep.append(_set_strings(columns, "segments",
                                     [_join_segments(s, i) for i, s in enumerate(segments)], n))
        keep.append(_set_integers(columns, "capacity", capacity, np.int32, ctypes.c_int32, n))
        keep.append(_set_flags(columns, "active", active, n))
        _lib._check(_lib.lib.carteira_portfolio_append_reps(handle, ctypes.byref(columns)))
        del keep

    def append_contracts(self, customer_index, start, end, contract_id=None, value=None,
                         auto_renew=None) -> None:
        """Appends contracts, all or nothing.

        customer_index: uint32; start, end (inclusive): dates; contract_id:
        str; value: int64 minor units; auto_renew: booleans.
        """
        handle = self._handle
        columns, n, keep = _indexed(_lib.ContractColumns, customer_index)
        keep.append(_set_dates(columns, "start", start, n))
        keep.append(_set_dates(columns, "end", end, n))
        keep.append(_set_strings(columns, "contract_id", contract_id, n))
        keep.append(_set_integers(columns, "value", value, np.int64, ctypes.c_int64, n))
        keep.append(_set_flags(columns, "auto_renew", auto_renew, n))
        _lib._check(_lib.lib.carteira_portfolio_append_contracts(handle, ctypes.byref(columns)))
        del keep

    def append_interactions(self, customer_index, date, rep_index=None, channel=None,
                            outcome=None) -> None:
        """Appends interactions (visits, calls, ...), all or nothing.

        customer_index: uint32; date: dates; rep_index: int32, -1 = none
        (see intern_reps); channel, outcome: str.
        """
        handle = self._handle
        columns, n, keep = _indexed(_lib.InteractionColumns, customer_index)
        keep.append(_set_dates(columns, "date", date, n))
        keep.append(_set_integers(columns, "rep_index", rep_index, np.int32, ctypes.c_int32, n))
        keep.append(_set_strings(columns, "channel", channel, n))
        keep.append(_set_strings(columns, "outcome", outcome, n))
        _lib._check(_lib.lib.carteira_portfolio_append_interactions(handle, ctypes.byref(columns)))
        del keep

    def append_surveys(self, customer_index, date, score) -> None:
        """Appends NPS answers (score 0..10), all or nothing."""
        handle = self._handle
        columns, n, keep = _indexed(_lib.SurveyColumns, customer_index)
        keep.append(_set_dates(columns, "date", date, n))
        keep.append(_set_integers(columns, "score", score, np.int32, ctypes.c_int32, n))
        _lib._check(_lib.lib.carteira_portfolio_append_surveys(handle, ctypes.byref(columns)))
        del keep

    def append_assignments(self, customer_index, rep_index, since, reason=None) -> None:
        """Appends assignment history rows (from `since` on, the rep holds the
        customer), all or nothing. rep_index: int32 (see intern_reps)."""
        handle = self._handle
        columns, n, keep = _indexed(_lib.AssignmentColumns, customer_index)
        keep.append(_set_integers(columns, "rep_index", rep_index, np.int32, ctypes.c_int32, n))
        keep.append(_set_dates(columns, "since", since, n))
        keep.append(_set_strings(columns, "reason", reason, n))
        _lib._check(_lib.lib.carteira_portfolio_append_assignments(handle, ctypes.byref(columns)))
        del keep

    # ---- customer ids <-> indices ------------------------------------------

    def intern_customers(self, ids) -> np.ndarray:
        """uint32 indices of `ids`, creating bare customers for unknown ids."""
        handle = self._handle
        array, n = string_array(ids, "ids", allow_none=False)
        out = np.empty(n, dtype=np.uint32)
        _lib._check(_lib.lib.carteira_portfolio_intern_customers(
            handle, array, n, pointer(out, ctypes.c_uint32)))
        return out

    def find_customer(self, customer_id: str) -> int:
        """The index of a customer id; NotFoundError if there is none."""
        handle = self._handle
        index = ctypes.c_uint32()
        _lib._check(_lib.lib.carteira_portfolio_find_customer(
            handle, str(customer_id).encode("utf-8"), ctypes.byref(index)))
        return index.value

    def customer_ids(self, indices) -> list[str]:
        """The ids of customers by index (query the size, then fill)."""
        return self._ids(_lib.lib.carteira_portfolio_customer_ids, indices, np.uint32, ctypes.c_uint32)

    def rep_ids(self, indices) -> list[str]:
        """The ids of reps by index (query the size, then fill)."""
        return self._ids(_lib.lib.carteira_portfolio_rep_ids, indices, np.int32, ctypes.c_int32)

    def _ids(self, native, indices, dtype, ctype) -> list[str]:
        handle = self._handle
        idx = integer_array(indices, dtype, "indices")
        n = len(idx)
        idx_p = pointer(idx, ctype)
        needed = ctypes.c_size_t()
        _lib._check(native(handle, idx_p, n, None, 0, None, ctypes.byref(needed)))
        # At least one byte: a NULL buffer would be read as another size query.
        buffer = np.empty(max(needed.value, 1), dtype=np.uint8)
        offsets = np.empty(n + 1, dtype=np.uint64)
        _lib._check(native(handle, idx_p, n, buffer.ctypes.data, len(buffer),
                           pointer(offsets, ctypes.c_uint64), ctypes.byref(needed)))
        raw = buffer.tobytes()
        bounds = offsets.tolist()
        return [raw[bounds[i]:bounds[i + 1]].decode("utf-8") for i in range(n)]

    # ---- rep ids <-> indices -----------------------------------------------

    def intern_reps(self, ids) -> np.ndarray:
        """int32 indices of rep `ids`, creating bare reps for unknown ids."""
        handle = self._handle
        array, n = string_array(ids, "ids", allow_none=False)
        out = np.empty(n, dtype=np.int32)
        _lib._check(_lib.lib.carteira_portfolio_intern_reps(
            handle, array, n, pointer(out, ctypes.c_int32)))
        return out

    def find_rep(self, rep_id: str) -> int:
        """The index of a rep id; NotFoundError if there is none."""
        handle = self._handle
        index = ctypes.c_int32()
        _lib._check(_lib.lib.carteira_portfolio_find_rep(
            handle, str(rep_id).encode("utf-8"), ctypes.byref(index)))
        return index.value

    # ---- engines ---------------------------------------------------------

    def hygiene(self, *, region: str = "BR", find_duplicates: bool = True,
                link_threshold: float | None = None, as_frame: bool | None = None):
        """The hygiene report of every customer record (carteira.hygiene.hygiene_report):
        problems with their suggested fixes, counts per problem, duplicate clusters."""
        from .hygiene import hygiene_report

        return hygiene_report(self, region=region, find_duplicates=find_duplicates,
                              link_threshold=link_threshold, as_frame=as_frame)

    def merge_customers(self, into: str, merged, *, merged_by: str, merged_at=None) -> None:
        """Merges customers (ids) into `into`, losing nothing; their ids become
        aliases of it (carteira.hygiene.merge_customers). Drops the summary
        this portfolio keeps: customer indices change."""
        from .hygiene import merge_customers

        merge_customers(self, into, merged, merged_at=merged_at, merged_by=merged_by)
        self._summary_as_of = None

    def segments(self, as_of, *, segment_map=None, abc=(0.80, 0.15), abc_from=None,
                 as_frame: bool | None = None):
        """RFM scores, named segment and ABC class of every customer with a
        purchase on or before `as_of` (carteira.segments.segments): columns
        customer_id, r, f, m, rfm, segment, abc, recency_days, frequency,
        monetary, abc_revenue."""
        from .segments import segments

        return segments(self, as_of, segment_map=segment_map, abc=abc, abc_from=abc_from,
                        as_frame=as_frame)

    def kpi_report(self, from_, to, by: str | None = None, **options):
        """The KPIs, their groups and the cohort matrix (carteira.kpi.kpi_report)."""
        from .kpi import kpi_report

        return kpi_report(self, from_, to, by, **options)

    def kpi(self, from_, to, by: str | None = None, **options):
        """KPIs over [from_, to] as a DataFrame indexed by group (`by`: "rep",
        "segment", "region"; None for the customers without one); without
        `by`, the overall row alone (index "overall"). Columns as in `carteira
        kpi --format json`; NaN (<NA> for amounts) where undefined. The
        overall row is also in ``frame.attrs["overall"]`` (None where
        undefined). Options: active_window, active_by_status, policy,
        lifetime_model, as_frame."""
        report = self.kpi_report(from_, to, by, **options)
        frame = report.frame
        if hasattr(frame, "attrs"):
            frame.attrs["overall"] = report.overall
        return frame

    def cohorts(self, from_, to, *, as_frame: bool | None = None):
        """Cohort retention by first-purchase month over [from_, to]: index
        month, columns size and +0, +1, ... (NaN past the period's end)."""
        from .kpi import kpi_report

        report = kpi_report(self, from_, to, as_frame=as_frame)
        if report.cohorts is None:
            raise ValueError("the cohort matrix covers at most 64 months")
        return report.cohorts

    def rep_dashboard(self, to, from_=None, *, policy=None, as_frame: bool | None = None):
        """One row per rep as of `to` (carteira.kpi.rep_dashboard)."""
        from .kpi import rep_dashboard

        return rep_dashboard(self, to, from_, policy=policy, as_frame=as_frame)

    def write_report(self, path, *, as_of=None, from_=None, lang: str = "pt-BR", currency=None, title=None,
                     policy=None, segment_map=None) -> None:
        """Writes the HTML report to `path` atomically (carteira.report.write_report):
        status, RFM segments, cohorts, revenue concentration and reps over the
        365 days ending at `as_of` (default the last transaction date), in
        `lang` 'pt-BR' or 'en'."""
        from .report import write_report

        write_report(self, path, as_of=as_of, from_=from_, lang=lang, currency=currency, title=title,
                     policy=policy, segment_map=segment_map)

    def plan(self, status, pipeline):
        """A redistribution plan: `pipeline` (a PlanPipeline, or the policy
        file's JSON as str or dict) run on this portfolio with its status
        table (carteira.redistribution.Plan.build). A dry run until
        plan.apply()."""
        from .redistribution import Plan

        return Plan.build(self, status, pipeline)

    def summary(self, as_of, unit: str = "days", *, as_frame: bool | None = None):
        """Per-customer summary as of a date (inclusive), one row per customer
        with a purchase on or before it.

        as_of: datetime.date, numpy.datetime64, ISO/dd/mm/yyyy text or int
        days. unit ('days', 'weeks' or 'months' of 365.25 / 12 days)
        applies to t_x and T. Returns a
        pandas.DataFrame indexed by customer_index when pandas is importable
        (as_frame=None), else a dict of numpy arrays. Columns: customer_id,
        first_purchase, last_purchase (datetime64[D]), purchase_days, x, t_x,
        T, revenue, average_ticket (int64 minor units), zbar (major units),
        median_gap_days (NaN below two purchase-days), days_since_last.
        """
        self._handle
        return compute_summary(self, as_of, unit, as_frame)


def _entity(entity: str) -> bytes:
    # Validated by the library, whose error lists the valid names.
    if not isinstance(entity, str):
        raise TypeError(f"entity: expected str, got {type(entity).__name__}")
    return entity.encode("utf-8")


# ---- column helpers for the bulk appends ---------------------------------------
# Each sets one optional field of a columns struct (nothing for None) after
# checking its length, and returns what must stay referenced during the call.


def _check_len(count: int, n: int, field: str) -> None:
    if count != n:
        raise ValueError(f"{field}: {count} values for {n} rows")


def _indexed(struct, customer_index):
    """A columns struct with count and customer_index (uint32) set."""
    customers = integer_array(customer_index, np.uint32, "customer_index")
    n = len(customers)
    columns = struct(count=n, customer_index=pointer(customers, ctypes.c_uint32))
    return columns, n, [customers]


def _set_strings(columns, field, values, n):
    if values is None:
        return None
    array, count = string_array(values, field)
    _check_len(count, n, field)
    setattr(columns, field, array)
    return array


def _set_integers(columns, field, values, dtype, ctype, n):
    if values is None:
        return None
    arr = integer_array(values, dtype, field)
    _check_len(len(arr), n, field)
    setattr(columns, field, pointer(arr, ctype))
    return arr


def _set_dates(columns, field, values, n):
    days = to_days(values, field)
    _check_len(len(days), n, field)
    setattr(columns, field, pointer(days, ctypes.c_int32))
    return days


def _set_flags(columns, field, values, n):
    if values is None:
        return None
    flags = bool_array(values, field)
    _check_len(len(flags), n, field)
    setattr(columns, field, pointer(flags, ctypes.c_uint8))
    return flags


def _join_segments(value, index: int):
    """One rep's segments: a pre-joined str (or None) as is, a list joined with '|'."""
    if value is None or isinstance(value, (str, bytes)):
        return value
    if isinstance(value, float) and value != value:  # NaN: a missing cell from pandas
        return None
    parts = [p.decode("utf-8") if isinstance(p, bytes) else str(p) for p in value]
    for p in parts:
        if "|" in p:
            raise ValueError(f"segments[{index}]: segment {p!r} contains the separator '|'")
    return "|".join(parts)
