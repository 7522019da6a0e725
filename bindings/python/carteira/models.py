"""Customer models ("buy 'til you die"): one carteira_model handle per Model.

BG/NBD, MBG/NBD and Pareto/NBD (purchases in continuous time), BG/BB
(transactions in discrete opportunities) and Gamma-Gamma (spend), fitted by
maximum likelihood or made from known parameters, with every prediction
vectorised over customers into numpy arrays.

Units are explicit: data carry theirs (``unit``: "days", "weeks" or
"months"; months are 365.25 / 12 days) and horizons carry theirs
(``horizon_unit``); the library converts both into the model's unit. A
prediction never assumes the model's unit for your data, except for BG/BB
(opportunities, no unit) and Gamma-Gamma (no time at all).
"""

from __future__ import annotations

import ctypes
import dataclasses
import enum
from collections.abc import Mapping

import numpy as np

from . import _lib
from ._native import NativeObject
from ._arrays import pointer
from .dates import date_to_days

__all__ = ["ModelKind", "PARAM_NAMES", "TIME_UNITS", "FitInfo", "Model"]

_INT32 = np.iinfo(np.int32)


class ModelKind(enum.IntEnum):
    """carteira_model_kind. Member names are the names Model accepts."""

    bgnbd = _lib.MODEL_BGNBD  # r, alpha, a, b
    mbgnbd = _lib.MODEL_MBGNBD  # r, alpha, a, b
    paretonbd = _lib.MODEL_PARETONBD  # r, alpha, s, beta
    bgbb = _lib.MODEL_BGBB  # alpha, beta, gamma, delta (discrete opportunities)
    gammagamma = _lib.MODEL_GAMMAGAMMA  # p, q, gamma (spend)


PARAM_NAMES = {
    "bgnbd": ("r", "alpha", "a", "b"),
    "mbgnbd": ("r", "alpha", "a", "b"),
    "paretonbd": ("r", "alpha", "s", "beta"),
    "bgbb": ("alpha", "beta", "gamma", "delta"),
    "gammagamma": ("p", "q", "gamma"),
}

TIME_UNITS = ("days", "weeks", "months")
_UNIT_CODES = {
    "days": _lib.DAYS, "day": _lib.DAYS,
    "weeks": _lib.WEEKS, "week": _lib.WEEKS,
    "months": _lib.MONTHS, "month": _lib.MONTHS,
}
# Kinds whose predictions read no time unit: BG/BB counts opportunities,
# Gamma-Gamma only spend.
_UNITLESS = (ModelKind.bgbb, ModelKind.gammagamma)


def _kind(kind) -> ModelKind:
    if isinstance(kind, ModelKind):
        return kind
    if isinstance(kind, str):
        try:
            return ModelKind[kind.lower()]
        except KeyError:
            pass
    elif isinstance(kind, (int, np.integer)) and not isinstance(kind, (bool, np.bool_)):
        try:
            return ModelKind(int(kind))
        except ValueError:
            pass
    raise ValueError(f"model kind: expected one of {', '.join(PARAM_NAMES)}, got {kind!r}")


def _unit(unit, what: str) -> int:
    if unit is None:
        raise TypeError(f"{what} is required: 'days', 'weeks' or 'months'")
    try:
        return _UNIT_CODES[unit.lower()]
    except (KeyError, AttributeError):
        raise ValueError(f"{what}: expected 'days', 'weeks' or 'months', got {unit!r}") from None


def _scalar(value, name: str) -> float:
    if isinstance(value, (bool, np.bool_)) or np.ndim(value) != 0:
        raise TypeError(f"{name}: expected one number, got {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: expected a number, got {value!r}") from None


def _int32(value, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name}: expected an integer, got {value!r}")
    if not _INT32.min <= value <= _INT32.max:
        raise OverflowError(f"{name}: {value} does not fit int32")
    return int(value)


def _float_column(values, name: str) -> np.ndarray:
    """A float64 array (0-d or 1-d) from numbers, numpy arrays or pandas Series."""
    if values is None:
        raise TypeError(f"{name} is required")
    dtype = getattr(values, "dtype", None)
    if dtype is not None and not isinstance(values, np.ndarray) and hasattr(values, "to_numpy"):
        # pandas, nullable dtypes included (a missing value becomes NaN,
        # which the library refuses naming the row).
        if dtype.kind not in "iuf":
            raise TypeError(f"{name}: expected numbers, got {dtype}")
        arr = values.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        arr = np.asarray(values)
        if arr.dtype.kind not in "iuf":
            raise TypeError(f"{name}: expected numbers, got {arr.dtype}")
    if arr.ndim > 1:
        raise ValueError(f"{name}: expected a 1-D array, got {arr.ndim} dimensions")
    return arr.astype(np.float64, copy=False)


class _Data:
    """carteira_rfm_columns over float64 arrays that it keeps alive.

    Scalars broadcast against the columns; columns must have one length.
    ``like`` is the first argument, whose shape (and pandas index) the
    results take.
    """

    def __init__(self, unit: int, like=None, **columns):
        arrays = {k: _float_column(v, k) for k, v in columns.items() if v is not None}
        lengths = {k: len(a) for k, a in arrays.items() if a.ndim == 1}
        if len(set(lengths.values())) > 1:
            raise ValueError("columns of different lengths: "
                             + ", ".join(f"{k} {n}" for k, n in lengths.items()))
        self.scalar = not lengths
        n = 1 if self.scalar else next(iter(lengths.values()))
        self.count = n
        self.arrays = {k: np.ascontiguousarray(np.broadcast_to(a, (n,))) for k, a in arrays.items()}
        self.struct = _lib.RfmColumns(count=n, unit=unit)
        for k, a in self.arrays.items():
            setattr(self.struct, k, pointer(a, ctypes.c_double))
        self.index = getattr(like, "index", None) if hasattr(like, "to_numpy") else None
        self.name = getattr(like, "name", None) if self.index is not None else None

    def ref(self):
        return ctypes.byref(self.struct)

    def result(self, out: np.ndarray, name: str):
        if self.scalar:
            return float(out[0])
        if self.index is not None:
            import pandas as pd  # the input was pandas

            return pd.Series(out, index=self.index, name=name)
        return out


def _fit_options(l2_penalty, max_evaluations, initial, kind: ModelKind):
    """(FitOptions, the array it points into)."""
    options = _lib.FitOptions()
    _lib.lib.carteira_fit_options_init(ctypes.byref(options), ctypes.sizeof(options))
    options.l2_penalty = _scalar(l2_penalty, "l2_penalty")
    options.max_evaluations = _int32(max_evaluations, "max_evaluations")
    keep = None
    if initial is not None:
        keep = _params_array(kind, initial, "initial")
        options.initial = pointer(keep, ctypes.c_double)
        options.initial_count = len(keep)
    return options, keep


def _params_array(kind: ModelKind, params, what: str) -> np.ndarray:
    """Parameters in the model's order from a dict by name or a sequence."""
    names = PARAM_NAMES[kind.name]
    if isinstance(params, Mapping):
        unknown = [k for k in params if k not in names]
        missing = [k for k in names if k not in params]
        if unknown or missing:
            raise ValueError(
                f"{what}: {kind.name} takes {', '.join(names)}"
                + (f"; unknown {', '.join(map(str, unknown))}" if unknown else "")
                + (f"; missing {', '.join(missing)}" if missing else ""))
        params = [params[k] for k in names]
    arr = _float_column(params, what)
    if arr.ndim != 1:
        raise TypeError(f"{what}: expected a sequence or a dict of {', '.join(names)}")
    return np.ascontiguousarray(arr)


@dataclasses.dataclass(frozen=True)
class FitInfo:
    """carteira_fit_info with the optimiser's reason. For a model made from
    known parameters fitted is False and the rest is zero."""

    kind: str
    unit: str
    fitted: bool
    converged: bool
    evaluations: int
    log_likelihood: float  # total, in the data's own unit
    n_customers: float  # sum of weights
    gradient_norm: float
    aic: float
    bic: float
    param_count: int
    reason: str  # why the optimiser stopped ("" for known parameters)


class Model(NativeObject):
    """A fitted (or given) customer model.

    Make one with Model.fit, Model.fit_frame, Model.fit_portfolio or
    Model.from_params. Use as a context manager, or call close(); the handle
    is also freed when the object is collected. Any call on a closed model
    raises ValueError.
    """

    _name = "carteira.Model"
    _destroy = "carteira_model_destroy"

    def __init__(self, *args, **kwargs):
        raise TypeError("make a carteira.Model with Model.fit, Model.fit_frame, "
                        "Model.fit_portfolio or Model.from_params")

    @classmethod
    def _adopt(cls, call) -> "Model":
        handle = _lib.model_p()
        _lib._check(call(ctypes.byref(handle)))
        self = object.__new__(cls)
        self._ptr = handle
        return self

    # ---- construction ----------------------------------------------------

    @classmethod
    def fit(cls, kind, x, t_x, T, *, weight=None, zbar=None, unit: str = "weeks",
            l2_penalty: float = 0.0, max_evaluations: int = 0, initial=None) -> "Model":
        """Fits `kind` by maximum likelihood on per-customer columns.

        x: repeat purchase-days; t_x, T: from the first purchase, in `unit`
        (the fitted model's unit). weight: rows standing for that many
        identical customers. zbar: mean repeat spend (gammagamma, which uses
        the rows with x > 0). For bgbb: x transactions in T opportunities,
        the last at t_x (unit ignored). initial: starting parameters (dict by
        name or sequence). A fit that stopped without converging is returned
        with converged False and its reason; bad data raise
        InvalidArgumentError naming the row.
        """
        kind = _kind(kind)
        data = _Data(_unit(unit, "unit"), x=x, t_x=t_x, T=T, weight=weight, zbar=zbar)
        options, _keep = _fit_options(l2_penalty, max_evaluations, initial, kind)
        return cls._adopt(lambda out: _lib.lib.carteira_model_fit(
            kind, data.ref(), ctypes.byref(options), out))

    @classmethod
    def fit_frame(cls, kind, frame, *, unit: str = "weeks", x: str = "x", t_x: str = "t_x",
                  T: str = "T", weight: str | None = None, zbar: str | None = None,
                  **options) -> "Model":
        """Model.fit on the columns of a DataFrame (or a dict of arrays, such
        as Portfolio.summary(as_frame=False)). Column names default to x,
        t_x, T; weight and zbar are read from columns "weight" and "zbar"
        when present, or from the columns named. `options` are Model.fit's
        (l2_penalty, max_evaluations, initial)."""
        def column(name, default):
            if name is None:
                return frame[default] if default in frame else None
            return frame[name]

        return cls.fit(kind, frame[x], frame[t_x], frame[T], weight=column(weight, "weight"),
                       zbar=column(zbar, "zbar"), unit=unit, **options)

    @classmethod
    def fit_portfolio(cls, kind, portfolio, calibration_end, unit: str = "weeks", *,
                      l2_penalty: float = 0.0, max_evaluations: int = 0, initial=None) -> "Model":
        """Fits on a portfolio's customers summarised as of `calibration_end`
        (a date, ISO / dd/mm/yyyy text, datetime64 or int days), with t_x and T
        in `unit`. Not for bgbb (it needs discrete opportunities)."""
        kind = _kind(kind)
        unit_code = _unit(unit, "unit")
        day = date_to_days(calibration_end)
        if day == _lib.NO_DAY:
            raise ValueError("calibration_end is required")
        day = _int32(day, "calibration_end")
        options, _keep = _fit_options(l2_penalty, max_evaluations, initial, kind)
        handle = portfolio._handle
        return cls._adopt(lambda out: _lib.lib.carteira_model_fit_portfolio(
            kind, handle, day, unit_code, ctypes.byref(options), out))

    @classmethod
    def from_params(cls, kind, params, unit: str | None = None) -> "Model":
        """A model with known parameters: a dict by name ({"r": 0.243, ...})
        or a sequence in the model's order (see PARAM_NAMES). unit: the
        unit the parameters are in; required except for bgbb and
        gammagamma, which have none."""
        kind = _kind(kind)
        if unit is None and kind in _UNITLESS:
            unit = "weeks"  # ignored by the library for these kinds
        unit_code = _unit(unit, "unit")
        values = _params_array(kind, params, "params")
        return cls._adopt(lambda out: _lib.lib.carteira_model_create(
            kind, pointer(values, ctypes.c_double), len(values), unit_code, out))

    # ---- lifetime --------------------------------------------------------

    def __repr__(self) -> str:
        if self.closed:
            return "<carteira.Model closed>"
        info = self.info
        params = " ".join(f"{k}={v:.4g}" for k, v in self.params.items())
        text = f"<carteira.Model {info.kind} ({info.unit}) {params}"
        if info.fitted:
            text += f", LL {info.log_likelihood:.2f}, {'converged' if info.converged else 'not converged'}"
        return text + ">"

    # ---- the model -------------------------------------------------------

    @property
    def info(self) -> FitInfo:
        """The fit: FitInfo (converged, evaluations, log_likelihood, ...)."""
        handle = self._handle
        raw = _lib.FitInfo()
        _lib._check(_lib.lib.carteira_model_get_fit_info(handle, ctypes.byref(raw)))
        reason = ctypes.c_char_p()
        _lib._check(_lib.lib.carteira_model_fit_reason(handle, ctypes.byref(reason)))
        return FitInfo(
            kind=ModelKind(raw.kind).name,
            unit=TIME_UNITS[raw.unit],
            fitted=bool(raw.fitted),
            converged=bool(raw.converged),
            evaluations=raw.evaluations,
            log_likelihood=raw.log_likelihood,
            n_customers=raw.n_customers,
            gradient_norm=raw.gradient_norm,
            aic=raw.aic,
            bic=raw.bic,
            param_count=raw.param_count,
            reason=(reason.value or b"").decode("utf-8", "replace"),
        )

    @property
    def kind(self) -> str:
        """"bgnbd", "mbgnbd", "paretonbd", "bgbb" or "gammagamma"."""
        return self.info.kind

    @property
    def unit(self) -> str:
        """The unit of the model's time parameters ("days", "weeks", "months");
        meaningless for bgbb and gammagamma."""
        return self.info.unit

    def _params_and_errors(self):
        handle = self._handle
        raw = _lib.FitInfo()
        _lib._check(_lib.lib.carteira_model_get_fit_info(handle, ctypes.byref(raw)))
        n = raw.param_count  # the buffers are sized by the library's own count
        params = np.empty(n, dtype=np.float64)
        errors = np.empty(n, dtype=np.float64)
        _lib._check(_lib.lib.carteira_model_get_params(
            handle, pointer(params, ctypes.c_double), pointer(errors, ctypes.c_double), n))
        names = []
        for i in range(n):
            name = ctypes.c_char_p()
            _lib._check(_lib.lib.carteira_model_param_name(handle, i, ctypes.byref(name)))
            names.append(name.value.decode("utf-8"))
        return names, params, errors

    @property
    def params(self) -> dict[str, float]:
        """The parameters by name, in the model's order."""
        names, params, _ = self._params_and_errors()
        return dict(zip(names, params.tolist()))

    @property
    def std_errors(self) -> dict[str, float]:
        """Standard errors by name (NaN when unknown: known parameters, or a
        singular information matrix)."""
        names, _, errors = self._params_and_errors()
        return dict(zip(names, errors.tolist()))

    # ---- predictions -----------------------------------------------------

    def _data_unit(self, unit) -> int:
        if unit is None and _kind(self.info.kind) in _UNITLESS:
            return _lib.WEEKS  # ignored by the library for these kinds
        return _unit(unit, "unit (of t_x and T)")

    def _horizon_unit(self, unit, what: str) -> int:
        if unit is None and _kind(self.info.kind) == ModelKind.bgbb:
            return _lib.WEEKS  # opportunities: ignored
        return _unit(unit, what)

    def _per_customer(self, call, data: _Data, name: str):
        out = np.empty(data.count, dtype=np.float64)
        _lib._check(call(pointer(out, ctypes.c_double), data.count))
        return data.result(out, name)

    def p_alive(self, x, t_x, T, *, unit: str | None = None):
        """P(alive) per customer; t_x and T in `unit` (required except for
        bgbb). Arrays in, a numpy array out (a Series for a Series x, a float
        for scalars)."""
        handle = self._handle
        data = _Data(self._data_unit(unit), like=x, x=x, t_x=t_x, T=T)
        return self._per_customer(
            lambda out, n: _lib.lib.carteira_model_p_alive(handle, data.ref(), out, n), data, "p_alive")

    def expected_purchases(self, horizon, x, t_x, T, *, horizon_unit: str | None = None,
                           unit: str | None = None):
        """Purchases expected per customer in the next `horizon`, in
        `horizon_unit`; t_x and T in `unit`. Both units are required except
        for bgbb (horizon in opportunities)."""
        handle = self._handle
        horizon = _scalar(horizon, "horizon")
        hu = self._horizon_unit(horizon_unit, "horizon_unit")
        data = _Data(self._data_unit(unit), like=x, x=x, t_x=t_x, T=T)
        return self._per_customer(
            lambda out, n: _lib.lib.carteira_model_expected_purchases(
                handle, data.ref(), horizon, hu, out, n), data, "expected_purchases")

    def expected_spend(self, x, zbar):
        """Gamma-Gamma: E[spend | x, zbar] per customer (the population mean
        for x = 0)."""
        handle = self._handle
        zeros = np.zeros(np.shape(_float_column(x, "x")))
        data = _Data(_lib.WEEKS, like=x, x=x, t_x=zeros, T=zeros, zbar=zbar)
        return self._per_customer(
            lambda out, n: _lib.lib.carteira_model_expected_spend(handle, data.ref(), out, n),
            data, "expected_spend")

    def unconditional_expected_purchases(self, t, unit: str | None = None):
        """E[X(t)] for a customer just acquired, t in `unit` (required except
        for bgbb). Vectorised over t."""
        handle = self._handle
        unit_code = self._horizon_unit(unit, "unit")
        ts = _float_column(t, "t")
        out = np.empty(ts.shape, dtype=np.float64)
        value = ctypes.c_double()
        for i, ti in np.ndenumerate(ts):
            _lib._check(_lib.lib.carteira_model_unconditional_expected_purchases(
                handle, float(ti), unit_code, ctypes.byref(value)))
            out[i] = value.value
        return float(out) if out.ndim == 0 else out

    def probability_of_purchases(self, n, t, unit: str | None = None):
        """P(X(t) = n) for a customer just acquired (bgnbd, mbgnbd, paretonbd); t in
        `unit`. Vectorised over n and t (broadcast)."""
        handle = self._handle
        unit_code = _unit(unit, "unit")
        ns = np.asarray(n)
        if ns.dtype.kind not in "iu":
            raise TypeError(f"n: expected integers, got {ns.dtype}")
        if ns.size and (ns.min() < _INT32.min or ns.max() > _INT32.max):
            raise OverflowError("n: values must fit int32")
        ts = _float_column(t, "t")
        ns, ts = np.broadcast_arrays(ns, ts)
        out = np.empty(ts.shape, dtype=np.float64)
        value = ctypes.c_double()
        for i, ti in np.ndenumerate(ts):
            _lib._check(_lib.lib.carteira_model_probability_of_purchases(
                handle, int(ns[i]), float(ti), unit_code, ctypes.byref(value)))
            out[i] = value.value
        return float(out) if out.ndim == 0 else out

    def lifetime_value(self, spend: "Model", x, t_x, T, zbar, *, horizon, horizon_unit: str,
                       period, period_unit: str, discount_rate: float = 0.0, margin: float = 1.0,
                       unit: str | None = None):
        """Lifetime value per customer over `horizon` (in `horizon_unit`):
        this transaction model's expected purchases per `period` (in
        `period_unit`) x `spend`'s expected spend (a gammagamma Model) x
        margin, discounted by discount_rate per period. t_x and T in `unit`
        (required except for bgbb)."""
        handle = self._handle
        if not isinstance(spend, Model):
            raise TypeError(f"spend: expected a carteira.Model (gammagamma), got {type(spend).__name__}")
        spend_handle = spend._handle
        horizon = _scalar(horizon, "horizon")
        hu = _unit(horizon_unit, "horizon_unit")
        period = _scalar(period, "period")
        pu = _unit(period_unit, "period_unit")
        discount_rate = _scalar(discount_rate, "discount_rate")
        margin = _scalar(margin, "margin")
        data = _Data(self._data_unit(unit), like=x, x=x, t_x=t_x, T=T, zbar=zbar)
        return self._per_customer(
            lambda out, n: _lib.lib.carteira_model_lifetime_value(
                handle, spend_handle, data.ref(), horizon, hu, period, pu, discount_rate, margin,
                out, n), data, "lifetime_value")


def _info_property(field):
    return property(lambda self: getattr(self.info, field), doc=f"FitInfo.{field}.")


for _field in ("fitted", "converged", "evaluations", "log_likelihood", "n_customers",
               "gradient_norm", "aic", "bic", "reason"):
    setattr(Model, _field, _info_property(_field))
del _field
