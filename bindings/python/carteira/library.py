"""Which libcarteira is loaded, and its version."""

from __future__ import annotations

from . import _lib

__all__ = ["version", "version_number", "library_path"]


def version() -> str:
    """The loaded library's "MAJOR.MINOR.PATCH"."""
    return _lib.lib.carteira_version_string().decode("ascii")


def version_number() -> int:
    """The loaded library's MAJOR * 10000 + MINOR * 100 + PATCH."""
    return int(_lib.lib.carteira_version_number())


def library_path() -> str:
    """The path (or loader name) the library was loaded from."""
    return _lib.library_path
