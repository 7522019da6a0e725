"""The portfolio report: one self-contained HTML file (docs/report.md)."""

from __future__ import annotations

import ctypes
import os

from . import _lib
from .dates import date_to_days
from .status import _text

_LANGUAGES = {"pt-br": _lib.REPORT_PT_BR, "pt_br": _lib.REPORT_PT_BR, "pt": _lib.REPORT_PT_BR,
              "en": _lib.REPORT_EN, "en-us": _lib.REPORT_EN, "en_us": _lib.REPORT_EN}


def _language(lang: str) -> int:
    if not isinstance(lang, str) or lang.lower() not in _LANGUAGES:
        raise ValueError(f"lang {lang!r}: use 'pt-BR' or 'en'")
    return _LANGUAGES[lang.lower()]


def _path(path) -> bytes:
    data = os.fsencode(path)
    if b"\0" in data:
        raise ValueError("path contains a NUL character")
    return data


def write_report(portfolio, path, *, as_of=None, from_=None, lang: str = "pt-BR", currency: str | None = None,
                 title: str | None = None, policy=None, segment_map=None) -> None:
    """Writes the portfolio's report to `path`, atomically (a temporary file
    next to it, then a rename; nothing is left behind on failure).

    as_of: the report's date (statuses, segments and books as of it, the
    period's end); None = the last transaction date. from_: the period's
    first day; None = the 365 days ending at as_of. lang: 'pt-BR'
    (1.234,56; dd/mm/yyyy) or 'en' (1,234.56; yyyy-mm-dd). currency: before
    every amount (None = 'R$', '' = none). title: None = the default.
    policy: a StatusPolicy; segment_map: a SegmentMap (None = the defaults).
    Raises carteira.Error (NotFoundError for a missing directory, the
    message naming the path)."""
    options = _lib.ReportOptions(language=_language(lang))
    if as_of is not None:
        options.as_of = date_to_days(as_of)
    if from_ is not None:
        setattr(options, "from", date_to_days(from_))
    # Keep the encoded strings referenced for the call.
    currency_bytes = None if currency is None else _text(currency, "currency")
    title_bytes = None if title is None else _text(title, "title")
    options.currency = currency_bytes
    options.title = title_bytes
    if policy is not None:
        options.policy = policy._handle
    if segment_map is not None:
        options.segment_map = segment_map._handle
    _lib._check(_lib.lib.carteira_report_write(portfolio._handle, ctypes.byref(options), _path(path)))
