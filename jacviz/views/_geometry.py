"""The linear-map view's maths: curves around ``x[b]``, their images, ``det J[b]``.

Layer: ``views``. Imports numpy, ``jacviz._validate`` and the engine (``jacviz.jacobians``) only.
"""

import math
from typing import NamedTuple

import numpy as np

from jacviz._validate import batch_array, check_callable, is_real, is_whole, whole
from jacviz.jacobians import batch_jacobian


class LinearMapGeometry(NamedTuple):
    """Curves around one example and their images under ``f`` and its linearisation.

    The curves are ``L = 2·num + 1`` polylines of ``P`` points each: ``num``
    lines along ``u₀`` (``u₁`` fixed), ``num`` lines along ``u₁`` (``u₀``
    fixed), then the circle of the given radius (last row, closed).

    Attributes
    ----------
    x0 : numpy.ndarray, shape (2,)
        The centre ``x[b]``.
    y0 : numpy.ndarray, shape (2,)
        ``f(x[b])``.
    jac : numpy.ndarray, shape (2, 2)
        ``J[b] = ∂f(x)[b] / ∂x[b]``.
    det : float
        ``det J[b]``: the factor by which ``f`` scales small areas near ``x[b]``
        (negative when it flips orientation).
    u : numpy.ndarray, shape (L, P, 2)
        The curves in input space.
    y : numpy.ndarray, shape (L, P, 2)
        Their image under ``f``.
    y_linear : numpy.ndarray, shape (L, P, 2)
        Their image under the linearisation ``y0 + jac @ (u − x0)``.
    max_error : float
        ``max |y − y_linear|`` over all points; ``O(radius²)`` for smooth ``f``.
    area_ratio : float
        Signed area of the circle's image under ``f`` divided by the area of
        the circle (both as sampled polygons, shoelace formula): exactly
        ``det`` for a linear ``f``, and tends to ``det`` as the radius shrinks.
    """

    x0: np.ndarray
    y0: np.ndarray
    jac: np.ndarray
    det: float
    u: np.ndarray
    y: np.ndarray
    y_linear: np.ndarray
    max_error: float
    area_ratio: float


def _as_callable(f, constants):
    """Turn formula text into a callable; reject ``constants`` for callables."""
    if isinstance(f, str):
        from jacviz.expressions import parse_function

        return parse_function(f, constants=constants)
    if constants is not None:
        raise TypeError("constants apply to formula text only; bind them in your callable")
    check_callable(f)
    return f


def _plane_error(x_shape, y_shape):
    """Build the ``ValueError`` for a map that is not ``(B, 2) → (B, 2)``."""
    output = "" if y_shape is None else f" and f(x) {tuple(y_shape)}"
    return ValueError(
        "the linear-map view needs 2 inputs and 2 outputs per example: "
        f"x of shape (B, 2) and f(x) of shape (B, 2), got x {x_shape}{output}"
    )


def _shape_if_any(f, x):
    """``f(x).shape`` to name in a message, or ``None`` when ``f`` cannot take this ``x``."""
    try:
        return np.shape(f(x))
    except (ValueError, TypeError, IndexError, ArithmeticError):
        return None


def _check_plane_map(f, x):
    """Raise unless ``x`` and ``f(x)`` both have shape ``(B, 2)``; ``x`` is checked first."""
    if x.ndim != 2 or x.shape[1] != 2:
        raise _plane_error(x.shape, _shape_if_any(f, x) if x.ndim == 2 else None)
    y_shape = np.shape(f(x))
    if tuple(y_shape) != x.shape:
        raise _plane_error(x.shape, y_shape)


def _evaluate(f, rows, x_shape):
    """Evaluate ``f`` on rows ``(R, 2)`` other than ``x``: a clear error if it needs ``B`` rows."""
    try:
        with np.errstate(all="ignore"):
            y = np.asarray(f(rows))
    except (ValueError, TypeError, IndexError) as error:
        raise _batch_size_error(x_shape, rows.shape, f"{type(error).__name__}: {error}") from error
    if y.shape != rows.shape:
        raise _batch_size_error(x_shape, rows.shape, f"it returned shape {y.shape}")
    return y


def _batch_size_error(x_shape, rows_shape, what):
    """Build the ``ValueError`` for an ``f`` that works at the batch size of ``x`` only."""
    return ValueError(
        f"f works on x of shape {x_shape} but fails on a batch of shape {rows_shape} "
        f"({what}). The view evaluates f on x[b] alone and on all curve points as one "
        "batch, so f must accept a batch of any size: write f per example, broadcasting "
        "over axis 0 (e.g. x * w with w of shape (2,), not (B, 1))."
    )


def _check_options(radius, num, samples):
    """Raise for a radius that is not a positive finite number, or too few lines/points."""
    if not is_real(radius):
        raise TypeError(
            f"radius must be a real number (the size of the neighbourhood), "
            f"got {radius!r} ({type(radius).__name__})"
        )
    if not (radius > 0 and math.isfinite(radius)):
        raise ValueError(f"radius must be > 0 and finite, got {radius}")
    whole(num, "num", minimum=2, meaning="grid lines per direction")
    whole(
        samples,
        "samples",
        minimum=4,
        meaning="points per curve; the circle's first and last coincide",
    )


def _check_example(example, B):
    """Raise unless ``example`` is an index into a batch of ``B``."""
    if not is_whole(example):
        raise TypeError(
            f"example must be an int, the index b of one example of the batch, "
            f"got {example!r} ({type(example).__name__})"
        )
    if not 0 <= example < B:
        raise IndexError(f"example {example} is out of range for a batch of {B}")


def _curves(x0, radius, num, samples):
    """Grid lines and circle around ``x0``: shape ``(2·num + 1, samples, 2)``."""
    t = np.linspace(-radius, radius, samples)
    levels = np.linspace(-radius, radius, num)
    along_first = np.stack(np.broadcast_arrays(t[None, :], levels[:, None]), axis=-1)
    along_second = along_first[..., ::-1]
    angle = np.linspace(0.0, 2.0 * np.pi, samples)
    circle = radius * np.stack([np.cos(angle), np.sin(angle)], axis=-1)
    return x0 + np.concatenate([along_first, along_second, circle[None]], axis=0)


def _signed_area(polygon):
    """Shoelace area of a closed polyline of shape ``(P, 2)``."""
    px, py = polygon[:, 0], polygon[:, 1]
    with np.errstate(all="ignore"):  # a huge radius overflows to inf: no warning
        return 0.5 * float(np.sum(px * np.roll(py, -1) - np.roll(px, -1) * py))


def _check_resolved(disc, x0, radius):
    """Raise ``ValueError`` when the sampled circle ``u − x0`` has no area (radius too small)."""
    if _signed_area(disc) == 0:
        spacing = np.spacing(np.max(np.abs(x0)))
        raise ValueError(
            f"radius {radius:g} is too small to resolve around x = {x0.tolist()}: the "
            f"circle's points coincide in float64 (spacing {spacing:.2g} there); "
            f"use a radius of at least {1e3 * spacing:.2g}"
        )


def _area_ratio(disc, image):
    """Signed area of ``image`` over that of ``disc``, both relative to their centres.

    Relative coordinates keep the shoelace sum exact to round-off at any radius
    (absolute ones cancel catastrophically: at ``x0 = (20, 10)`` and radius
    ``1e-7`` they lose every digit). ``u − x0`` is computed exactly, since the
    points are close to ``x0``.
    """
    return _signed_area(image) / _signed_area(disc)


def linear_map_geometry(f, x, *, example=0, radius=0.5, num=9, samples=41, constants=None):
    """Curves around ``x[example]`` and their images under ``f`` and its linearisation.

    ``f`` is evaluated once, on all ``L·P`` curve points stacked as one batch
    (and on ``x[b]`` alone), so it must accept a batch of any size and treat
    examples independently, as every batch function should. Points outside
    the domain of ``f`` give ``nan`` in ``y`` (and in ``max_error`` and
    ``area_ratio``), with no NumPy warning.

    Parameters
    ----------
    f : callable or str
        Batch function mapping ``(B, 2)`` to ``(B, 2)``, written with
        ``autograd.numpy``, or formula text in the jacviz language.
    x : array_like, shape (B, 2)
        The batch; only ``x[example]`` is used.
    example : int, optional
        Which example ``b`` to linearise around (numpy integers too).
    radius : float, optional
        Half-width of the grid and radius of the circle: finite, > 0, and
        large enough for the circle's points to differ from ``x[b]`` in
        float64 (a ``ValueError`` says the minimum).
    num : int, optional
        Grid lines per direction, >= 2.
    samples : int, optional
        Points per curve ``P``, >= 4 (the circle's first and last points
        coincide, so 4 samples draw a triangle).
    constants : dict, optional
        Named constants for formula text (see :func:`jacviz.parse_function`).

    Returns
    -------
    LinearMapGeometry
        ``u``, ``y`` and ``y_linear`` of shape ``(2·num + 1, samples, 2)``,
        ``jac`` and ``det`` of example ``b``, ``max_error`` and ``area_ratio``.

    Raises
    ------
    ValueError
        If ``x`` or ``f(x)`` is not of shape ``(B, 2)`` (``x`` is checked
        first, with the engine's message for a missing batch axis), ``f``
        works on ``x`` only and not on other batch sizes, or ``radius``,
        ``num`` or ``samples`` is out of range.
    IndexError
        If ``example`` is not in ``range(B)``.
    TypeError
        If ``radius`` is not a real number, ``example``, ``num`` or
        ``samples`` not an integer (bool and float refused), ``f`` neither a
        callable nor text, or ``constants`` is given with a callable ``f``.

    Examples
    --------
    Polar → Cartesian coordinates stretch areas by ``r``:

    >>> import autograd.numpy as anp
    >>> def polar(x):
    ...     r, theta = x[:, 0], x[:, 1]
    ...     return anp.stack([r * anp.cos(theta), r * anp.sin(theta)], axis=1)
    >>> geometry = linear_map_geometry(polar, [[2.0, 0.0]], radius=0.1)
    >>> geometry.u.shape
    (19, 41, 2)
    >>> round(geometry.det, 6)
    2.0
    >>> bool(geometry.max_error < 0.02)
    True
    """
    _check_options(radius, num, samples)
    f = _as_callable(f, constants)
    x = batch_array(x).astype(float, copy=False)
    _check_example(example, x.shape[0])
    _check_plane_map(f, x)
    x0 = x[example]
    y0 = _evaluate(f, x0[None], x.shape)[0]
    jac = batch_jacobian(f, x0[None])[0]
    u = _curves(x0, radius, num, samples)
    _check_resolved(u[-1] - x0, x0, radius)
    y = _evaluate(f, u.reshape(-1, 2), x.shape).reshape(u.shape)
    with np.errstate(all="ignore"):  # curves leaving f's domain: nan in the values
        y_linear = y0 + (u - x0) @ jac.T
        return LinearMapGeometry(
            x0=x0,
            y0=y0,
            jac=jac,
            det=float(np.linalg.det(jac)),
            u=u,
            y=y,
            y_linear=y_linear,
            max_error=float(np.max(np.linalg.norm(y - y_linear, axis=-1))),
            area_ratio=_area_ratio(u[-1] - x0, y[-1] - y0),
        )
