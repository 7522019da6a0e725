"""Dates across the ABI: int32 days since 1970-01-01 (numpy's datetime64[D] epoch).

Missing dates are CARTEIRA_NO_DAY (INT32_MIN) in C and NaT / None in Python.
"""

from __future__ import annotations

import ctypes
import datetime

import numpy as np

from . import _lib

__all__ = [
    "NO_DAY",
    "parse_date",
    "date_to_days",
    "days_to_date",
    "to_days",
    "from_days",
]

NO_DAY = _lib.NO_DAY
_EPOCH = datetime.date(1970, 1, 1)
_INT32 = np.iinfo(np.int32)


def _parse_days(text: str) -> int:
    if not isinstance(text, str):
        raise TypeError(f"parse_date expects str, got {type(text).__name__}")
    day = ctypes.c_int32()
    _lib._check(_lib.lib.carteira_parse_date(text.encode("utf-8"), ctypes.byref(day)))
    return day.value


def parse_date(text: str) -> datetime.date:
    """Parses YYYY-MM-DD, dd/mm/yyyy or YYYYMMDD (carteira_parse_date)."""
    return days_to_date(_parse_days(text))


def date_to_days(value) -> int:
    """Days since 1970-01-01 of a datetime.date (or datetime), numpy.datetime64, text or int."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError("a date cannot be a bool")
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, str):
        return _parse_days(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return (value - _EPOCH).days
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return NO_DAY
        return int(value.astype("datetime64[D]").astype(np.int64))
    if hasattr(value, "to_datetime64"):  # pandas.Timestamp, without importing pandas
        return date_to_days(value.to_datetime64())
    raise TypeError(f"cannot read a date from {type(value).__name__}")


def days_to_date(days: int) -> datetime.date | None:
    """The datetime.date of a day number; None for NO_DAY."""
    days = int(days)
    if days == NO_DAY:
        return None
    return _EPOCH + datetime.timedelta(days=days)


def to_days(values, name: str = "dates") -> np.ndarray:
    """An int32 day array from datetime64 values, datetime.date / None items, ISO
    text or integers.

    An int32 C-contiguous array is returned as is (no copy). NaT and None
    become NO_DAY.
    """
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D sequence")
    if arr.dtype == np.int32:
        return np.ascontiguousarray(arr)
    if arr.size == 0:
        return np.empty(0, dtype=np.int32)
    if arr.dtype.kind in "OUS":
        # Python dates / datetimes / None / pandas.NaT / ISO text: numpy
        # converts, None and NaT read as NaT.
        arr = arr.astype("datetime64[D]")
    if arr.dtype.kind == "M":
        day = arr.astype("datetime64[D]")
        nat = np.isnat(day)
        ints = day.view(np.int64)
        valid = ints[~nat]
        if valid.size and (valid.min() < _INT32.min + 1 or valid.max() > _INT32.max):
            raise OverflowError(f"{name}: a date lies outside the int32 day range")
        out = ints.astype(np.int32)
        out[nat] = NO_DAY
        return out
    if arr.dtype.kind in "iu":
        from ._arrays import integer_array

        return integer_array(arr, np.int32, name)
    raise TypeError(f"{name}: cannot read dates from {arr.dtype}")


def from_days(days) -> np.ndarray:
    """datetime64[D] values of integer day numbers; NO_DAY becomes NaT."""
    arr = np.asarray(days)
    if arr.size and arr.dtype.kind not in "iu":
        raise TypeError(f"from_days expects integer day numbers, got {arr.dtype}")
    out = arr.astype(np.int64).view("datetime64[D]")  # astype copies: arr is untouched
    out[arr == NO_DAY] = np.datetime64("NaT")
    return out
