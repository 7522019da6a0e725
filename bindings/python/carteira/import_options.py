"""Keyword arguments of the import functions -> carteira_import_options."""

from __future__ import annotations

from collections.abc import Mapping

from . import _lib

__all__ = ["ENTITIES", "make_options", "format_column_mapping"]

ENTITIES = (
    "customers",
    "reps",
    "assignments",
    "transactions",
    "contracts",
    "interactions",
    "surveys",
)

_DECIMAL = {None: 0, "auto": 0, ".": 1, "point": 1, ",": 2, "comma": 2}
_UNKNOWN = {None: 0, "auto": 0, "create": 1, "reject": 2}


def _item(entity: str | None, field, column) -> str:
    field = str(field)
    column = str(column)
    # The C format has no escaping: ';' separates items, the first ':' ends
    # the entity and the first '=' ends the field.
    for text, what in ((field, "field"), (column, "column")):
        if not text or text.strip() != text:
            raise ValueError(f"column_mapping: {what} {text!r} is empty or has surrounding spaces")
        if ";" in text or ":" in text:
            raise ValueError(f"column_mapping: {what} {text!r} cannot contain ';' or ':'")
    if "=" in field:
        raise ValueError(f"column_mapping: field {field!r} cannot contain '='")
    return f"{entity}:{field}={column}" if entity else f"{field}={column}"


def format_column_mapping(mapping) -> str | None:
    """The C string "[entity:]field=column;..." of a mapping.

    `mapping` is {field: column} for the imported entity, or
    {entity: {field: column}}, or a mix; a column is a header name or a
    1-based position (int or str). A str passes through unchanged.
    """
    if mapping is None:
        return None
    if isinstance(mapping, str):
        return mapping
    if not isinstance(mapping, Mapping):
        raise TypeError("column_mapping: expected a dict or a str")
    items = []
    for key, value in mapping.items():
        if isinstance(value, Mapping):
            if key not in ENTITIES:
                raise ValueError(f"column_mapping: unknown entity {key!r} (one of {ENTITIES})")
            items.extend(_item(key, f, c) for f, c in value.items())
        else:
            items.append(_item(None, key, value))
    return ";".join(items)


def make_options(
    *,
    lenient: bool = False,
    delimiter: str | None = None,
    has_header: bool = True,
    decimal: str | None = None,
    column_mapping=None,
    unknown_customers: str | None = None,
    unknown_reps: str | None = None,
    max_issues: int = 0,
):
    """(carteira_import_options, objects to keep alive while the struct is in use)."""
    if delimiter is None or delimiter == "":
        delim = b"\0"
    elif delimiter in ("whitespace", " "):
        delim = b" "
    elif isinstance(delimiter, str) and len(delimiter.encode("utf-8")) == 1:
        delim = delimiter.encode("ascii")
    else:
        raise ValueError(f"delimiter: expected one ASCII character or 'whitespace', got {delimiter!r}")
    try:
        decimal_code = _DECIMAL[decimal]
    except (KeyError, TypeError):
        raise ValueError(f"decimal: expected None, '.', ',', 'point' or 'comma', got {decimal!r}")
    unknown = []
    for name, value in (("unknown_customers", unknown_customers), ("unknown_reps", unknown_reps)):
        try:
            unknown.append(_UNKNOWN[value])
        except (KeyError, TypeError):
            raise ValueError(f"{name}: expected None, 'auto', 'create' or 'reject', got {value!r}")
    if not 0 <= int(max_issues) < 2**32:
        raise ValueError("max_issues: expected 0 (default) up to 2**32 - 1")
    mapping = format_column_mapping(column_mapping)
    mapping_bytes = None if mapping is None else mapping.encode("utf-8")
    options = _lib.ImportOptions(
        mode=_lib.IMPORT_LENIENT if lenient else _lib.IMPORT_STRICT,
        delimiter=delim,
        has_header=1 if has_header else 0,
        decimal=decimal_code,
        unknown_customers=unknown[0],
        unknown_reps=unknown[1],
        column_mapping=mapping_bytes,
        max_issues=int(max_issues),
    )
    return options, mapping_bytes
