"""Customer models through the binding: fits against the published values
(Fader, Hardie & Lee on CDNOW and the donations data), predictions and their
units, errors, and the handle's lifetime.

Data: the C++ tests' copies in tests/data/cdnow and tests/data/donations.
"""

import ctypes
import math
import re

import numpy as np
import pandas as pd
import pytest

import carteira
from carteira import Model, ModelKind, _lib

CDNOW_BG = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}  # Fader, Hardie & Lee (2005)
DAYS_PER_MONTH = 365.25 / 12


@pytest.fixture(scope="module")
def cdnow(cdnow_dir):
    # ID, x, t_x, T (weeks), zbar; CRLF line ends.
    return pd.read_csv(cdnow_dir / "cdnow_customers_summary_with_transactions.csv")


@pytest.fixture(scope="module")
def donations(repo):
    # frequency, recency, periods, weights: 22 groups of 11,104 donors, 6 opportunities.
    return pd.read_csv(repo / "tests" / "data" / "donations" / "donations.csv")


@pytest.fixture(scope="module")
def bg_cdnow(cdnow):
    with Model.fit_frame("bgnbd", cdnow, unit="weeks") as m:
        yield m


@pytest.fixture
def bg_published():
    with Model.from_params("bgnbd", CDNOW_BG, unit="weeks") as m:
        yield m


@pytest.fixture
def gg_published():
    with Model.from_params("gammagamma", {"p": 6.25, "q": 3.74, "gamma": 15.44}) as m:
        yield m


def _near(got: dict, want: dict, tol: float):
    assert list(got) == list(want)
    for name, value in want.items():
        assert abs(got[name] - value) <= tol, (name, got[name], value)


# ---- the structs ------------------------------------------------------------------


def test_fit_options_init_matches_the_python_defaults():
    native = _lib.FitOptions(l2_penalty=3.0, max_evaluations=7, initial_count=2)
    _lib.lib.carteira_fit_options_init(ctypes.byref(native), ctypes.sizeof(native))
    assert bytes(native) == bytes(_lib.FitOptions())
    assert (native.struct_size, native.l2_penalty, native.max_evaluations, native.initial_count) == (
        ctypes.sizeof(native), 0.0, 0, 0)
    columns = _lib.RfmColumns()  # as CARTEIRA_RFM_COLUMNS_INIT
    assert (columns.struct_size, columns.count, columns.unit) == (ctypes.sizeof(columns), 0, _lib.WEEKS)
    assert not columns.x and not columns.weight and not columns.zbar


# ---- fits against the published values --------------------------------------------


def test_bgnbd_on_cdnow_reproduces_fader_hardie_lee(bg_cdnow, cdnow):
    m = bg_cdnow
    assert (m.kind, m.unit) == ("bgnbd", "weeks")
    _near(m.params, CDNOW_BG, 0.0005)
    assert abs(m.log_likelihood - (-9582.4)) <= 0.05
    info = m.info
    assert info.fitted and info.converged and m.converged
    assert info.n_customers == len(cdnow) == 2357 and info.param_count == 4
    assert 0 < info.evaluations <= 5000 and info.gradient_norm < 1e-2
    assert info.reason == m.reason and m.reason  # why the optimiser stopped
    assert m.aic == pytest.approx(2 * 4 - 2 * m.log_likelihood)
    assert m.bic == pytest.approx(4 * math.log(2357) - 2 * m.log_likelihood)
    errors = m.std_errors
    assert list(errors) == ["r", "alpha", "a", "b"]
    assert all(0 < e < v for e, v in zip(errors.values(), m.params.values()))
    assert "bgnbd (weeks) r=0.2426" in repr(m) and "converged" in repr(m)


def test_fit_takes_numpy_arrays_series_or_lists_alike(cdnow, bg_cdnow):
    arrays = [cdnow[c].to_numpy() for c in ("x", "t_x", "T")]
    with Model.fit(ModelKind.bgnbd, *arrays, unit="weeks") as m:
        assert m.params == bg_cdnow.params
    with Model.fit("BGNBD", cdnow.x, cdnow.t_x, cdnow["T"], unit="week") as m:
        assert m.params == bg_cdnow.params
    # The same customers measured in days: the model is in days, the same fit.
    with Model.fit("bgnbd", cdnow.x.tolist(), (cdnow.t_x * 7).tolist(), (cdnow["T"] * 7).tolist(),
                   unit="days") as m:
        assert m.unit == "days"
        assert m.params["r"] == pytest.approx(CDNOW_BG["r"], abs=0.0005)
        assert m.params["alpha"] == pytest.approx(bg_cdnow.params["alpha"] * 7, rel=1e-4)
        # The log-likelihood is in the data's own unit: each purchase's rate density is / 7.
        assert m.log_likelihood == pytest.approx(
            bg_cdnow.log_likelihood - math.log(7) * cdnow.x.sum(), abs=1e-3)


def test_paretonbd_and_mbgnbd_on_cdnow(cdnow):
    with Model.fit_frame("paretonbd", cdnow) as m:
        assert m.converged and list(m.params) == ["r", "alpha", "s", "beta"]
        assert abs(m.log_likelihood - (-9595.0)) <= 0.05
    with Model.fit_frame("mbgnbd", cdnow) as m:
        assert m.converged and m.kind == "mbgnbd" and list(m.params) == ["r", "alpha", "a", "b"]


def test_gammagamma_on_cdnow_fits_the_repeat_buyers(cdnow):
    with Model.fit_frame("gammagamma", cdnow) as m:  # all rows: the library keeps x > 0
        assert m.converged
        assert m.n_customers == (cdnow.x > 0).sum() == 946
        got = m.params
        assert abs(got["p"] - 6.25) <= 0.005 and abs(got["q"] - 3.74) <= 0.005
        assert abs(got["gamma"] - 15.44) <= 0.01


def test_bgbb_on_donations_reproduces_fader_hardie_shang(donations):
    with Model.fit_frame("bgbb", donations, x="frequency", t_x="recency", T="periods",
                         weight="weights") as m:
        assert m.converged and m.n_customers == donations.weights.sum() == 11104
        _near(m.params, {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}, 0.0005)
        assert abs(m.log_likelihood - (-33225.6)) <= 0.05
        # Predictions count opportunities: no unit needed.
        alive = m.p_alive(donations.frequency, donations.recency, donations.periods)
        assert isinstance(alive, pd.Series) and alive.between(0, 1).all()
        future = m.expected_purchases(5, donations.frequency, donations.recency, donations.periods)
        assert (future > 0).all() and future.iloc[-1] > future.iloc[0]  # 6 of 6 > 0 of 6
        assert m.unconditional_expected_purchases(6) == pytest.approx(
            (donations.frequency * donations.weights).sum() / 11104, rel=0.01)


def test_fit_options_reach_the_optimiser(cdnow, bg_cdnow):
    with Model.fit_frame("bgnbd", cdnow, max_evaluations=3) as m:
        assert m.fitted and not m.converged
        assert "maximum number of evaluations (3)" in m.reason
    with Model.fit_frame("bgnbd", cdnow, initial={"r": 1, "alpha": 1, "a": 1, "b": 1}) as m:
        _near(m.params, CDNOW_BG, 0.0005)
    with Model.fit_frame("bgnbd", cdnow, l2_penalty=0.1) as m:  # shrinks the parameters
        assert sum(v * v for v in m.params.values()) < sum(v * v for v in bg_cdnow.params.values())
        assert m.log_likelihood < bg_cdnow.log_likelihood
    with pytest.raises(carteira.InvalidArgumentError, match="l2_penalty must be >= 0"):
        Model.fit_frame("bgnbd", cdnow, l2_penalty=-1)
    with pytest.raises(carteira.InvalidArgumentError, match="initial takes 4 parameters"):
        Model.fit_frame("bgnbd", cdnow, initial=[1.0, 2.0])
    with pytest.raises(ValueError, match="missing b"):
        Model.fit_frame("bgnbd", cdnow, initial={"r": 1, "alpha": 1, "a": 1})


def test_fit_portfolio_on_the_sample_is_the_fit_of_its_summary(portfolio, sample_dir):
    portfolio.import_directory(sample_dir)
    with Model.fit_portfolio("bgnbd", portfolio, "2026-10-31", "weeks") as m:
        # The sample's dropout barely varies across customers: BG/NBD's a and b
        # run along a ridge, which the fit reports instead of claiming convergence.
        assert m.fitted and m.n_customers > 4000
        assert m.converged or "ridge" in m.reason
        assert all(v > 0 for v in m.params.values())
        summary = portfolio.summary("2026-10-31", unit="weeks")
        with Model.fit_frame("bgnbd", summary, unit="weeks") as same:
            assert same.params == m.params and same.log_likelihood == m.log_likelihood
    with pytest.raises(carteira.InvalidArgumentError, match="bgbb needs discrete opportunities"):
        Model.fit_portfolio("bgbb", portfolio, "2026-10-31")
    with pytest.raises(carteira.InvalidArgumentError, match="calibration_end"):
        Model.fit_portfolio("bgnbd", portfolio, 10**9)


# ---- known parameters and predictions -----------------------------------------------


def test_hardies_spreadsheet_value_with_the_horizon_in_weeks_or_days(bg_published):
    m = bg_published
    assert not m.fitted and m.reason == "" and m.log_likelihood == 0
    assert m.params == CDNOW_BG
    assert all(math.isnan(e) for e in m.std_errors.values())
    weeks = m.expected_purchases(39, 2, 30.43, 38.86, horizon_unit="weeks", unit="weeks")
    assert isinstance(weeks, float) and abs(weeks - 1.2260281747671405) < 1e-9
    days = m.expected_purchases(273, 2, 30.43, 38.86, horizon_unit="days", unit="weeks")
    assert abs(days - 1.2260281747671405) < 1e-9
    # The data in days are converted too; months are 365.25 / 12 days.
    data_in_days = m.expected_purchases(39, [2], [30.43 * 7], [38.86 * 7], horizon_unit="weeks",
                                        unit="days")
    assert isinstance(data_in_days, np.ndarray) and abs(data_in_days[0] - 1.2260281747671405) < 1e-9
    months = m.expected_purchases(273 / DAYS_PER_MONTH, 2, 30.43, 38.86, horizon_unit="months",
                                  unit="weeks")
    assert abs(months - 1.2260281747671405) < 1e-9


def test_from_params_by_name_or_in_order(bg_published):
    with Model.from_params(ModelKind.bgnbd, list(CDNOW_BG.values()), "weeks") as m:
        assert m.params == bg_published.params
    with Model.from_params("bgbb", (1.204, 0.750, 0.657, 2.783)) as m:  # no unit: opportunities
        assert m.kind == "bgbb" and m.info.param_count == 4
    with pytest.raises(TypeError, match="unit is required"):
        Model.from_params("bgnbd", CDNOW_BG)
    with pytest.raises(ValueError, match="unknown beta; missing b"):
        Model.from_params("bgnbd", {"r": 1, "alpha": 1, "a": 1, "beta": 1}, "weeks")
    with pytest.raises(carteira.InvalidArgumentError, match="bgnbd takes 4 parameters, got 3"):
        Model.from_params("bgnbd", [1, 1, 1], "weeks")
    with pytest.raises(carteira.InvalidArgumentError, match="parameter b must be a positive number"):
        Model.from_params("bgnbd", [1, 1, 1, -1], "weeks")


def test_p_alive_follows_the_shape_of_its_input(bg_published, cdnow):
    m = bg_published
    assert m.p_alive(0, 0, 38.86, unit="weeks") == 1.0  # BG/NBD: no repeat purchase, alive
    alive = m.p_alive(cdnow.x, cdnow.t_x, cdnow["T"], unit="weeks")
    assert isinstance(alive, pd.Series) and alive.index.equals(cdnow.index)
    assert alive.name == "p_alive" and alive.between(0, 1).all()
    as_array = m.p_alive(cdnow.x.to_numpy(), cdnow.t_x.to_numpy(), 38.86 * np.ones(len(cdnow)),
                         unit="weeks")
    assert isinstance(as_array, np.ndarray) and as_array.shape == (2357,)
    # A scalar broadcasts against the columns.
    assert np.array_equal(m.p_alive(cdnow.x.to_numpy(), cdnow.t_x.to_numpy(), 38.86, unit="weeks"),
                          as_array)
    # Longer silence, lower P(alive).
    assert m.p_alive(2, 10.0, 38.86, unit="weeks") < m.p_alive(2, 30.0, 38.86, unit="weeks")


def test_unconditional_expectation_is_the_mean_of_the_distribution(bg_published):
    m = bg_published
    t = np.array([1.0, 39.0, 52.0])
    expected = m.unconditional_expected_purchases(t, "weeks")
    assert isinstance(expected, np.ndarray) and expected.shape == (3,)
    n = np.arange(400)
    for ti, ei in zip(t, expected):
        p = m.probability_of_purchases(n, ti, "weeks")
        assert p.sum() == pytest.approx(1.0, abs=1e-9)
        assert (n * p).sum() == pytest.approx(ei, rel=1e-7)
    assert m.unconditional_expected_purchases(364, "days") == pytest.approx(expected[2], rel=1e-12)
    grid = m.probability_of_purchases(np.arange(3)[:, None], np.array([1.0, 52.0]), "weeks")
    assert grid.shape == (3, 2) and grid[0, 0] > grid[0, 1]
    assert isinstance(m.probability_of_purchases(0, 52, "weeks"), float)
    with pytest.raises(TypeError, match="unit is required"):
        m.unconditional_expected_purchases(52)
    with pytest.raises(TypeError, match="n: expected integers"):
        m.probability_of_purchases(1.5, 52, "weeks")
    with Model.from_params("paretonbd", [0.553, 10.58, 0.606, 11.67], "weeks") as pareto:
        assert pareto.unconditional_expected_purchases(52, "weeks") > 0
    # Fader & Hardie's CDNOW estimates; their closed form (note 012) at 40 digits gives 0.165562947277175.
    with Model.from_params("paretonbd", [0.553, 10.578, 0.606, 11.669], "weeks") as pareto:
        assert pareto.probability_of_purchases(1, 39, "weeks") == pytest.approx(0.16556294727717547759, rel=1e-11)
        assert pareto.probability_of_purchases(1, 273, "days") == pytest.approx(0.16556294727717547759, rel=1e-11)


def test_expected_spend_shrinks_towards_the_population_mean(gg_published):
    p, q, g = 6.25, 3.74, 15.44
    x = np.array([0.0, 1.0, 2.0, 10.0])
    zbar = np.array([0.0, 25.0, 40.0, 30.0])
    got = gg_published.expected_spend(x, zbar)
    want = (g + x * zbar) * p / (p * x + q - 1)  # Fader, Hardie & Lee (2005), eq. 5
    np.testing.assert_allclose(got, want, rtol=1e-12)
    assert got[0] == pytest.approx(p * g / (q - 1))  # no repeat purchase: the population mean


def test_lifetime_value_over_one_period_is_purchases_times_spend(bg_published, gg_published):
    x, t_x, T, zbar = [2.0, 5.0], [30.43, 20.0], [38.86, 36.0], [25.0, 12.5]
    purchases = bg_published.expected_purchases(13, x, t_x, T, horizon_unit="weeks", unit="weeks")
    spend = gg_published.expected_spend(x, zbar)
    one = bg_published.lifetime_value(gg_published, x, t_x, T, zbar, horizon=13, horizon_unit="weeks",
                                      period=13, period_unit="weeks", discount_rate=0.1, margin=0.3,
                                      unit="weeks")
    np.testing.assert_allclose(one, purchases * spend * 0.3 / 1.1, rtol=1e-12)
    # A year by month, undiscounted, is a year's purchases; discounting lowers it.
    year = bg_published.lifetime_value(gg_published, x, t_x, T, zbar, horizon=12, horizon_unit="months",
                                       period=1, period_unit="months", unit="weeks")
    in_year = bg_published.expected_purchases(12, x, t_x, T, horizon_unit="months", unit="weeks")
    np.testing.assert_allclose(year, in_year * spend, rtol=1e-9)
    discounted = bg_published.lifetime_value(gg_published, x, t_x, T, zbar, horizon=12,
                                             horizon_unit="months", period=1, period_unit="months",
                                             discount_rate=0.01, unit="weeks")
    assert (discounted < year).all()
    with pytest.raises(carteira.InvalidArgumentError, match="spend model must be gammagamma"):
        bg_published.lifetime_value(bg_published, x, t_x, T, zbar, horizon=1, horizon_unit="weeks",
                                    period=1, period_unit="weeks", unit="weeks")
    with pytest.raises(TypeError, match="spend: expected a carteira.Model"):
        bg_published.lifetime_value("gammagamma", x, t_x, T, zbar, horizon=1, horizon_unit="weeks",
                                    period=1, period_unit="weeks", unit="weeks")
    with pytest.raises(carteira.InvalidArgumentError, match="period must be positive"):
        bg_published.lifetime_value(gg_published, x, t_x, T, zbar, horizon=1, horizon_unit="weeks",
                                    period=0, period_unit="weeks", unit="weeks")


# ---- errors ------------------------------------------------------------------------


def test_bad_data_errors_name_the_row(bg_published, cdnow):
    with pytest.raises(carteira.InvalidArgumentError, match=r"row 1: t_x = 50: not within \[0, T = 40\]"):
        bg_published.p_alive([1, 2], [3, 50], [40, 40], unit="weeks")
    bad = cdnow.copy()
    bad.loc[5, "t_x"] = bad.loc[5, "T"] + 1
    with pytest.raises(carteira.InvalidArgumentError, match="rfm data row 5: t_x"):
        Model.fit_frame("bgnbd", bad)
    with pytest.raises(carteira.InvalidArgumentError, match="row 0: x = 1.5: not a whole number"):
        bg_published.expected_purchases(1, [1.5], [1], [2], horizon_unit="weeks", unit="weeks")


def test_gammagamma_refuses_non_positive_spend_naming_the_row(cdnow):
    x, zbar = cdnow.x.to_numpy(), cdnow.zbar.to_numpy().copy()
    row = int(np.flatnonzero(x > 0)[3])
    zbar[row] = 0.0
    with pytest.raises(carteira.InvalidArgumentError,
                       match=rf"gamma-gamma: row {row}: zbar = 0 is not a positive amount"):
        Model.fit("gammagamma", x, cdnow.t_x, cdnow["T"], zbar=zbar)
    with pytest.raises(carteira.InvalidArgumentError, match="no zbar"):
        Model.fit("gammagamma", x, cdnow.t_x, cdnow["T"])


def test_predictions_a_model_does_not_make_are_refused(bg_published, gg_published):
    with pytest.raises(carteira.FailedPreconditionError, match="bgnbd: expected spend"):
        bg_published.expected_spend([1], [20.0])
    with pytest.raises(carteira.FailedPreconditionError, match="gammagamma: P\\(alive\\)"):
        gg_published.p_alive([1], [1], [2])


def test_units_are_never_assumed(bg_published):
    m = bg_published
    with pytest.raises(TypeError, match="unit \\(of t_x and T\\) is required"):
        m.p_alive([1], [1], [2])
    with pytest.raises(TypeError, match="horizon_unit is required"):
        m.expected_purchases(39, [1], [1], [2], unit="weeks")
    with pytest.raises(TypeError, match="unit \\(of t_x and T\\) is required"):
        m.expected_purchases(39, [1], [1], [2], horizon_unit="weeks")
    with pytest.raises(ValueError, match="expected 'days', 'weeks' or 'months', got 'fortnights'"):
        m.p_alive([1], [1], [2], unit="fortnights")
    with pytest.raises(TypeError, match="horizon: expected one number"):
        m.expected_purchases([39, 52], [1], [1], [2], horizon_unit="weeks", unit="weeks")


def test_kinds_and_columns_are_checked_before_the_call(bg_published):
    with pytest.raises(ValueError, match="bgnbd, mbgnbd, paretonbd, bgbb, gammagamma"):
        Model.from_params("bg/nbd", CDNOW_BG, "weeks")
    with pytest.raises(ValueError, match="model kind"):
        Model.fit(9, [1], [1], [2])
    with pytest.raises(ValueError, match="different lengths: x 2, t_x 1, T 2"):
        bg_published.p_alive([1, 2], [1], [2, 3], unit="weeks")
    with pytest.raises(TypeError, match="x: expected numbers, got bool"):
        bg_published.p_alive(np.array([True]), [1], [2], unit="weeks")
    with pytest.raises(TypeError, match="t_x: expected numbers"):
        bg_published.p_alive([1], ["1"], [2], unit="weeks")
    with pytest.raises(OverflowError, match="max_evaluations"):
        Model.fit("bgnbd", [1], [1], [2], max_evaluations=2**31)


def test_get_params_and_param_name_bounds_at_the_c_level(bg_published, gg_published):
    # The wrapper sizes its buffers with fit_info's param_count; the library
    # refuses a smaller buffer and an index past the last parameter.
    handle = bg_published._handle
    params = (ctypes.c_double * 4)()
    assert _lib.lib.carteira_model_get_params(handle, params, None, 3) == 11  # OUT_OF_RANGE
    assert "needs 4 entries, the buffer has 3" in _lib.lib.carteira_last_error_message().decode()
    assert _lib.lib.carteira_model_get_params(handle, params, None, 4) == 0
    assert list(params) == list(CDNOW_BG.values())
    name = ctypes.c_char_p()
    assert _lib.lib.carteira_model_param_name(handle, 4, ctypes.byref(name)) == 11
    assert list(gg_published.params) == ["p", "q", "gamma"]  # 3 parameters, not 4
    assert list(gg_published.std_errors) == ["p", "q", "gamma"]


# ---- lifetime ------------------------------------------------------------------------


def test_a_closed_model_refuses_calls():
    m = Model.from_params("bgnbd", CDNOW_BG, "weeks")
    with m as entered:
        assert entered is m and not m.closed
    assert m.closed and repr(m) == "<carteira.Model closed>"
    m.close()  # twice is harmless
    with pytest.raises(ValueError, match="closed carteira.Model"):
        m.params
    with pytest.raises(ValueError, match="closed carteira.Model"):
        m.p_alive([1], [1], [2], unit="weeks")
    with pytest.raises(ValueError, match="closed"):
        with m:
            pass
    with Model.from_params("gammagamma", [6.25, 3.74, 15.44]) as gg:
        pass
    with Model.from_params("bgnbd", CDNOW_BG, "weeks") as bg:
        with pytest.raises(ValueError, match="closed carteira.Model"):
            bg.lifetime_value(gg, [1], [1], [2], [3.0], horizon=1, horizon_unit="weeks", period=1,
                              period_unit="weeks", unit="weeks")
    with pytest.raises(TypeError, match="Model.fit"):
        Model()


# ---- every model function of the C ABI is reachable from the public API ---------------


class _Recorder:
    def __init__(self, lib):
        self._lib = lib
        self.called = set()

    def __getattr__(self, name):
        self.called.add(name)
        return getattr(self._lib, name)


def test_every_model_function_of_the_header_is_called(repo, portfolio, sample_dir, monkeypatch):
    header = (repo / "capi" / "include" / "carteira" / "carteira.h").read_text()
    section = header.split("---- Customer models")[1].split("/* ---- ")[0]
    wanted = set(re.findall(r"CARTEIRA_API[^;(]*?\b(carteira_\w+)\s*\(", section))
    assert len(wanted) == 16
    portfolio.import_directory(sample_dir)
    recorder = _Recorder(_lib.lib)
    monkeypatch.setattr(_lib, "lib", recorder)

    x, t_x, T, zbar = [0, 2, 5], [0, 30.43, 20.0], [38.86, 38.86, 36.0], [0, 25.0, 12.5]
    with Model.fit("bgnbd", x, t_x, T, max_evaluations=20) as fitted, \
            Model.fit_portfolio("bgnbd", portfolio, "2026-10-31", "weeks") as on_portfolio, \
            Model.from_params("bgnbd", CDNOW_BG, "weeks") as bg, \
            Model.from_params("gammagamma", [6.25, 3.74, 15.44]) as gg:
        assert fitted.fitted and on_portfolio.fitted and on_portfolio.n_customers > 4000
        repr(bg), bg.std_errors
        bg.p_alive(x, t_x, T, unit="weeks")
        bg.expected_purchases(39, x, t_x, T, horizon_unit="weeks", unit="weeks")
        gg.expected_spend(x, zbar)
        bg.unconditional_expected_purchases(52, "weeks")
        bg.probability_of_purchases(1, 52, "weeks")
        bg.lifetime_value(gg, x, t_x, T, zbar, horizon=12, horizon_unit="months", period=1,
                          period_unit="months", unit="weeks")
        carteira.StatusEngine(portfolio).add_p_alive_rule(bg)
    assert wanted - recorder.called == set()


def test_p_alive_rule_on_the_status_engine(portfolio, sample_dir):
    portfolio.import_directory(sample_dir)
    engine = carteira.StatusEngine(portfolio)
    with Model.from_params("bgnbd", CDNOW_BG, "weeks") as m:
        engine.add_p_alive_rule(m, at_risk_below=0.5, inactive_below=0.2, horizon=90, horizon_unit="days")
    table = engine.classify("2026-10-31")  # the model was copied: closing it is fine
    decided = [row for row in range(len(table)) if table.rule_name(row) == "p_alive"]
    assert decided
    assert "P(alive) " in table.reason(decided[0])
    assert "purchases in the next 90 days" in table.reason(decided[0])
    # The rule's figures are columns: NaN exactly for the customers without a purchase.
    assert table.field_names == ["p_alive", "expected_purchases_90d"]
    p_alive, expected = table.field("p_alive"), table.field("expected_purchases_90d")
    bought = table.purchase_days > 0
    assert np.isnan(p_alive[~bought]).all() and np.isnan(expected[~bought]).all()
    assert ((p_alive[bought] >= 0) & (p_alive[bought] <= 1)).all() and (expected[bought] >= 0).all()
    assert not p_alive.flags.writeable
    frame = table.to_pandas(reasons=False)
    np.testing.assert_array_equal(frame["p_alive"].to_numpy(), p_alive)
    with pytest.raises(KeyError, match="no status field 'nope'"):
        table.field("nope")
    with Model.from_params("gammagamma", [6.25, 3.74, 15.44]) as gg:
        with pytest.raises(carteira.InvalidArgumentError, match="not a model of dated purchases"):
            engine.add_p_alive_rule(gg)
