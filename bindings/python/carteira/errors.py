"""Exceptions raised for a failed carteira_* call: one class per status code.

Every class derives from :class:`Error`, which carries the numeric ``code``
(the same numbers as ``absl::StatusCode``) and the native message taken from
``carteira_last_error_message()``.
"""

from __future__ import annotations

__all__ = [
    "Error",
    "CancelledError",
    "UnknownError",
    "InvalidArgumentError",
    "DeadlineExceededError",
    "NotFoundError",
    "AlreadyExistsError",
    "PermissionDeniedError",
    "ResourceExhaustedError",
    "FailedPreconditionError",
    "AbortedError",
    "OutOfRangeError",
    "UnimplementedError",
    "InternalError",
    "UnavailableError",
    "DataLossError",
    "UnauthenticatedError",
    "error_class",
]


class Error(Exception):
    """A carteira_* call failed. ``code`` is its carteira_status."""

    code = 2  # CARTEIRA_UNKNOWN unless a subclass says otherwise

    def __init__(self, message: str, code: int | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        # Set by the import functions: the report of the failed import.
        self.report = None


class CancelledError(Error):
    code = 1


class UnknownError(Error):
    code = 2


class InvalidArgumentError(Error):
    code = 3


class DeadlineExceededError(Error):
    code = 4


class NotFoundError(Error):
    code = 5


class AlreadyExistsError(Error):
    code = 6


class PermissionDeniedError(Error):
    code = 7


class ResourceExhaustedError(Error):
    code = 8


class FailedPreconditionError(Error):
    code = 9


class AbortedError(Error):
    code = 10


class OutOfRangeError(Error):
    code = 11


class UnimplementedError(Error):
    code = 12


class InternalError(Error):
    code = 13


class UnavailableError(Error):
    code = 14


class DataLossError(Error):
    code = 15


class UnauthenticatedError(Error):
    code = 16


_BY_CODE = {
    cls.code: cls
    for cls in (
        CancelledError,
        UnknownError,
        InvalidArgumentError,
        DeadlineExceededError,
        NotFoundError,
        AlreadyExistsError,
        PermissionDeniedError,
        ResourceExhaustedError,
        FailedPreconditionError,
        AbortedError,
        OutOfRangeError,
        UnimplementedError,
        InternalError,
        UnavailableError,
        DataLossError,
        UnauthenticatedError,
    )
}


def error_class(code: int) -> type[Error]:
    """The exception class for a status code (plain Error for codes we do not know)."""
    return _BY_CODE.get(code, Error)
