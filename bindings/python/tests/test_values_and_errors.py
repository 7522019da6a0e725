"""parse_date / parse_money, the date helpers, and status -> exception mapping."""

import datetime

import numpy as np
import pytest

import carteira
from carteira import _lib
from carteira.errors import error_class


@pytest.mark.parametrize("text", ["2025-12-31", "31/12/2025", "20251231"])
def test_parse_date_reads_the_three_formats(text):
    assert carteira.parse_date(text) == datetime.date(2025, 12, 31)


def test_bad_date_raises_invalid_argument_naming_the_text():
    with pytest.raises(carteira.InvalidArgumentError) as info:
        carteira.parse_date("31/02/2025x")
    err = info.value
    assert isinstance(err, carteira.Error)
    assert err.code == 3
    assert "31/02/2025x" in str(err)
    # The message came from the thread's last error, which is still set.
    assert _lib.lib.carteira_last_error_message().decode() == err.message
    assert _lib.lib.carteira_last_error_code() == 3


def test_a_successful_call_clears_the_last_error():
    with pytest.raises(carteira.InvalidArgumentError):
        carteira.parse_date("not a date")
    carteira.parse_date("2024-01-01")
    assert _lib.lib.carteira_last_error_message() == b""
    assert _lib.lib.carteira_last_error_code() == 0


@pytest.mark.parametrize("text, minor", [
    ("R$ 1.234,56", 123456),
    ("1234.56", 123456),
    ("1.234,56", 123456),
    ("-10,00", -1000),
    ("0,01", 1),
])
def test_parse_money_is_exact_in_minor_units(text, minor):
    assert carteira.parse_money(text) == minor


def test_bad_money_raises_invalid_argument():
    with pytest.raises(carteira.InvalidArgumentError, match="12,3x"):
        carteira.parse_money("12,3x")


def test_every_status_code_maps_to_its_own_error_subclass():
    seen = set()
    for code in range(1, 17):
        cls = error_class(code)
        assert issubclass(cls, carteira.Error) and cls is not carteira.Error
        assert cls.code == code
        seen.add(cls)
    assert len(seen) == 16
    assert error_class(3) is carteira.InvalidArgumentError
    assert error_class(5) is carteira.NotFoundError
    assert error_class(11) is carteira.OutOfRangeError
    assert error_class(999) is carteira.Error


def test_check_turns_the_native_status_into_the_exception():
    # A NULL out-pointer is refused by the library's argument check.
    status = _lib.lib.carteira_parse_date(b"2024-01-01", None)
    with pytest.raises(carteira.InvalidArgumentError, match="NULL"):
        _lib._check(status)


def test_date_helpers_round_trip():
    d = datetime.date(2024, 2, 29)
    days = carteira.date_to_days(d)
    assert days == (d - datetime.date(1970, 1, 1)).days
    assert carteira.days_to_date(days) == d
    assert carteira.date_to_days(np.datetime64("2024-02-29")) == days
    assert carteira.date_to_days("29/02/2024") == days
    assert carteira.days_to_date(carteira.NO_DAY) is None


def test_to_days_converts_datetime64_and_dates_with_missing_values():
    arr = np.array(["1970-01-01", "2024-02-29", "NaT"], dtype="datetime64[D]")
    days = carteira.to_days(arr)
    assert days.dtype == np.int32
    assert days.tolist() == [0, 19782, carteira.NO_DAY]
    assert carteira.to_days([datetime.date(2024, 2, 29), None]).tolist() == [19782, carteira.NO_DAY]
    assert carteira.to_days(["2024-02-29"]).tolist() == [19782]
    back = carteira.from_days(days)
    assert back.dtype == np.dtype("datetime64[D]")
    assert back[1] == np.datetime64("2024-02-29") and np.isnat(back[2])


def test_to_days_does_not_copy_an_int32_contiguous_array():
    days = np.arange(10, dtype=np.int32)
    assert np.shares_memory(carteira.to_days(days), days)
    strided = days[::2]
    assert carteira.to_days(strided).flags.c_contiguous


def test_to_days_refuses_floats():
    with pytest.raises(TypeError):
        carteira.to_days(np.array([1.5, 2.0]))
