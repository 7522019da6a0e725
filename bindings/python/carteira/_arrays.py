"""Turning Python and numpy inputs into the C arrays the bulk calls take.

Numeric columns go across as pointers into numpy arrays: an array that
already has the C type and is C-contiguous is passed as is (no copy); others
are converted once. String columns become ``char*[]`` of UTF-8 bytes; the
returned holder keeps the bytes alive and must stay referenced for the call.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterable

import numpy as np

__all__ = ["integer_array", "string_array", "pointer", "bool_array"]


def integer_array(values, dtype, name: str) -> np.ndarray:
    """A C-contiguous 1-D array of the integer `dtype`, copied only when needed.

    Accepts any integer input whose values fit `dtype`; refuses floats, since
    a silent cast would truncate (amounts are integer minor units).
    """
    dtype = np.dtype(dtype)
    arr = np.asarray(values)
    if arr.ndim != 1:
        if arr.ndim == 0:
            raise TypeError(f"{name}: expected a 1-D sequence, got a scalar")
        raise ValueError(f"{name}: expected a 1-D array, got {arr.ndim} dimensions")
    if arr.dtype == dtype:
        return np.ascontiguousarray(arr)  # no copy when already contiguous
    if arr.size == 0:
        return np.empty(0, dtype=dtype)
    if arr.dtype.kind == "b" or arr.dtype.kind not in "iu":
        raise TypeError(f"{name}: expected integers ({dtype}), got {arr.dtype}")
    info = np.iinfo(dtype)
    lo, hi = arr.min(), arr.max()
    if lo < info.min or hi > info.max:
        raise OverflowError(f"{name}: values must lie in [{info.min}, {info.max}] for {dtype}")
    return np.ascontiguousarray(arr, dtype=dtype)


def bool_array(values, name: str) -> np.ndarray:
    """0/1 bytes (uint8) from booleans or 0/1 integers."""
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D sequence")
    if arr.dtype == np.uint8:
        return np.ascontiguousarray(arr)
    if arr.size and arr.dtype.kind not in "biu":
        raise TypeError(f"{name}: expected booleans, got {arr.dtype}")
    return np.ascontiguousarray(arr.astype(bool), dtype=np.uint8)


def pointer(arr: np.ndarray | None, ctype):
    """A ctypes pointer to the first element of `arr` (NULL for None).

    The caller keeps `arr` referenced for as long as C may read it.
    """
    if arr is None:
        return None
    return arr.ctypes.data_as(ctypes.POINTER(ctype))


def _encode(value, name: str, index: int, allow_none: bool) -> bytes | None:
    if value is None:
        if allow_none:
            return None
        raise ValueError(f"{name}[{index}] is None")
    if isinstance(value, bytes):
        data = value
    elif isinstance(value, str):
        data = value.encode("utf-8")
    else:
        data = str(value).encode("utf-8")
    if b"\0" in data:
        # C strings stop at the first NUL: refuse rather than truncate.
        raise ValueError(f"{name}[{index}] contains a NUL character")
    return data


def string_array(values: Iterable, name: str, allow_none: bool = True):
    """(ctypes char*[] array, count) of UTF-8 strings; None cells become NULL.

    A NaN (pandas' missing value) also becomes NULL.
    """
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name}: expected a sequence of strings, not a single string")
    if isinstance(values, np.ndarray) and values.dtype == object:
        # The common bulk case (ids from pandas): every cell a str. One
        # encode a cell and one NUL check over all of them; anything else
        # (None, NaN, bytes, numbers, a NUL) takes the general path below,
        # which names the cell.
        try:
            encoded = [v.encode("utf-8") for v in values.tolist()]
        except AttributeError:
            encoded = None
        if encoded is not None and b"\0" not in b"".join(encoded):
            return (ctypes.c_char_p * len(encoded))(*encoded), len(encoded)
    encoded = []
    for i, v in enumerate(values):
        if isinstance(v, float) and v != v:  # NaN: a missing cell from pandas
            v = None
        encoded.append(_encode(v, name, i, allow_none))
    array = (ctypes.c_char_p * len(encoded))(*encoded)
    return array, len(encoded)
