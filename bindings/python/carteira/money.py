"""Money across the ABI: int64 minor units (centavos), never floats."""

from __future__ import annotations

import ctypes

from . import _lib

__all__ = ["parse_money"]


def parse_money(text: str) -> int:
    """Minor units of "1234.56", "1.234,56" or "R$ 1.234,56", exactly (carteira_parse_money)."""
    if not isinstance(text, str):
        raise TypeError(f"parse_money expects str, got {type(text).__name__}")
    minor = ctypes.c_int64()
    _lib._check(_lib.lib.carteira_parse_money(text.encode("utf-8"), ctypes.byref(minor)))
    return minor.value
