"""The allowed functions: their names, arities and batched implementations.

Layer: expressions (private). Imports the standard library and autograd.

Every implementation works on one array whose axis 0 is the batch when
``batched`` is true, acts on each example's own axes only, and is built from
``autograd.numpy`` primitives so that nested differentiation works.
"""

import math
from types import MappingProxyType

import autograd.numpy as anp

# The numbers a formula may name.
NAMED_NUMBERS = MappingProxyType({"pi": math.pi, "e": math.e})


def _sigmoid(v):
    return 0.5 * (anp.tanh(0.5 * v) + 1.0)


def _relu(v):
    return anp.maximum(v, 0.0)


def _softplus(v):
    return anp.logaddexp(0.0, v)


ELEMENTWISE = MappingProxyType(
    {
        "sin": anp.sin,
        "cos": anp.cos,
        "tan": anp.tan,
        "arcsin": anp.arcsin,
        "arccos": anp.arccos,
        "arctan": anp.arctan,
        "sinh": anp.sinh,
        "cosh": anp.cosh,
        "tanh": anp.tanh,
        "exp": anp.exp,
        "log": anp.log,
        "log1p": anp.log1p,
        "expm1": anp.expm1,
        "sqrt": anp.sqrt,
        "abs": anp.abs,
        "sign": anp.sign,
        "square": anp.square,
        "sigmoid": _sigmoid,
        "relu": _relu,
        "softplus": _softplus,
    }
)


def example_axes(value, batched):
    """Return the axes of ``value`` that belong to one example (all but the batch axis)."""
    return tuple(range(1 if batched else 0, anp.ndim(value)))


def _sum(value, batched):
    return anp.sum(value, axis=example_axes(value, batched))


def _prod(value, batched):
    """Multiply each example's entries pairwise, halving them at each step (log2 steps).

    Not ``anp.prod``: autograd's rule for it divides by the entries, which gives
    nan derivatives as soon as one entry is 0. Products of pairs have exact
    derivatives of every order, and the halving keeps it vectorised.
    """
    flat = _rows(value, batched)
    if flat.shape[-1] == 0:
        return anp.ones(flat.shape[:-1], dtype=value.dtype)
    while flat.shape[-1] > 1:
        if flat.shape[-1] % 2:
            flat = anp.concatenate([flat, anp.ones((*flat.shape[:-1], 1), value.dtype)], -1)
        flat = flat[..., 0::2] * flat[..., 1::2]
    return flat[..., 0]


def _rows(value, batched):
    """Flatten each example: shape ``(B, size)`` if batched, else ``(size,)``."""
    size = 1
    for axis in example_axes(value, batched):
        size *= value.shape[axis]
    return anp.reshape(value, (value.shape[0], size) if batched else (size,))


def _mean(value, batched):
    # The sum over the count, not anp.mean: an empty example gives 0/0 = nan (under the
    # caller's errstate) rather than numpy's "Mean of empty slice" warning.
    axes = example_axes(value, batched)
    count = 1
    for axis in axes:
        count *= value.shape[axis]
    return anp.sum(value, axis=axes) / float(count)


def _max(value, batched):
    return anp.max(value, axis=example_axes(value, batched))


def _min(value, batched):
    return anp.min(value, axis=example_axes(value, batched))


def _norm(value, batched):
    return anp.sqrt(anp.sum(value * value, axis=example_axes(value, batched)))


def _shifted_exp(value, batched):
    """``exp(v - max v)`` per example, and the max that was taken off."""
    top = anp.max(value, axis=example_axes(value, batched), keepdims=True)
    return anp.exp(value - top), top


def _logsumexp(value, batched):
    axes = example_axes(value, batched)
    if not axes:
        return value
    shifted, top = _shifted_exp(value, batched)
    return anp.log(anp.sum(shifted, axis=axes)) + anp.reshape(top, top.shape[:1] if batched else ())


def _softmax(value, batched):
    axes = example_axes(value, batched)
    shifted, _ = _shifted_exp(value, batched)
    return shifted / anp.sum(shifted, axis=axes, keepdims=True)


REDUCTIONS = MappingProxyType(
    {
        "sum": _sum,
        "prod": _prod,
        "mean": _mean,
        "max": _max,
        "min": _min,
        "norm": _norm,
        "logsumexp": _logsumexp,
    }
)

# Functions of the whole example that keep its shape.
SHAPE_KEEPING = MappingProxyType({"softmax": _softmax})

# Functions of the whole example that have no value for an example with no entries.
NEED_ENTRIES = frozenset({"max", "min", "softmax", "logsumexp"})

# Numbers computed per entry of the example, where more than one (for the work budget).
WORK = MappingProxyType({"prod": 2, "norm": 2, "softmax": 5, "logsumexp": 4})

# Elementwise functions of two arguments (with per-example broadcasting).
BINARY = MappingProxyType({"arctan2": anp.arctan2, "max": anp.maximum, "min": anp.minimum})

# Products of two arguments: handled by the compiler's matrix product.
PRODUCTS = ("dot", "outer")

ARITY = MappingProxyType(
    {
        **{name: (1,) for name in ELEMENTWISE},
        **{name: (1,) for name in REDUCTIONS},
        **{name: (1,) for name in SHAPE_KEEPING},
        "arctan2": (2,),
        "max": (1, 2),
        "min": (1, 2),
        "dot": (2,),
        "outer": (2,),
    }
)

ALLOWED_FUNCTIONS = (
    *ELEMENTWISE,
    "arctan2",
    "softmax",
    "logsumexp",
    "sum",
    "prod",
    "mean",
    "max",
    "min",
    "norm",
    "dot",
    "outer",
)
