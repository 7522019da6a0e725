"""The outcome of a CSV import, copied out of the native report.

The report is read completely when the import returns and its handle freed
at once, so an ImportReport is a plain Python value with no native lifetime.
"""

from __future__ import annotations

import ctypes
from typing import NamedTuple

from . import _lib
from .import_options import ENTITIES

__all__ = ["ImportIssue", "ImportReport"]


def _text(raw: bytes | None) -> str:
    return "" if raw is None else raw.decode("utf-8", "replace")


class ImportIssue(NamedTuple):
    """One rejected row. line 0 = the whole file; column 0 = no single column."""

    file: str
    line: int
    column: int
    field: str
    value: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.field} {self.value!r}: {self.message}"


class ImportReport:
    """What an import read, added and rejected.

    Attributes: ``applied`` (the portfolio changed), ``issues`` (the kept
    ImportIssue list), ``issue_total`` (all bad rows, also those past the
    cap), ``text`` (the native report for people, also ``str(report)``).
    """

    __slots__ = ("applied", "issues", "issue_total", "text", "_counts")

    def __init__(self, applied, issues, issue_total, text, counts):
        self.applied: bool = applied
        self.issues: list[ImportIssue] = issues
        self.issue_total: int = issue_total
        self.text: str = text
        self._counts: dict[str, dict[str, int]] = counts

    def counts(self, entity: str) -> dict[str, int]:
        """{"rows_read", "rows_added", "rows_rejected"} for one entity."""
        try:
            return dict(self._counts[entity])
        except KeyError:
            raise ValueError(f"unknown entity {entity!r} (one of {ENTITIES})") from None

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        read = {e: c["rows_read"] for e, c in self._counts.items() if c["rows_read"]}
        return f"<ImportReport applied={self.applied} read={read} issues={self.issue_total}>"

    @classmethod
    def _from_handle(cls, handle) -> "ImportReport":
        """Copies everything out of a carteira_import_report (which the caller destroys)."""
        lib, check = _lib.lib, _lib._check
        applied = ctypes.c_int32()
        check(lib.carteira_import_report_applied(handle, ctypes.byref(applied)))
        kept, total = ctypes.c_size_t(), ctypes.c_int64()
        check(lib.carteira_import_report_issue_count(handle, ctypes.byref(kept), ctypes.byref(total)))
        issues = []
        raw = _lib.ImportIssue()
        for i in range(kept.value):
            check(lib.carteira_import_report_issue(handle, i, ctypes.byref(raw)))
            issues.append(
                ImportIssue(
                    _text(raw.file), raw.line, raw.column, _text(raw.field), _text(raw.value),
                    _text(raw.message),
                )
            )
        counts = {}
        c = _lib.ImportCounts()
        for entity in ENTITIES:
            check(lib.carteira_import_report_counts(handle, entity.encode(), ctypes.byref(c)))
            counts[entity] = {
                "rows_read": c.rows_read,
                "rows_added": c.rows_added,
                "rows_rejected": c.rows_rejected,
            }
        text = ctypes.c_char_p()
        check(lib.carteira_import_report_text(handle, ctypes.byref(text)))
        return cls(bool(applied.value), issues, total.value, _text(text.value), counts)
