"""The allowed functions: their names, arities and batched implementations.

Layer: expressions (private). Imports the standard library and autograd.

Every implementation works on one array whose axis 0 is the batch when
``batched`` is true, acts on each example's own axes only, and is built from
``autograd.numpy`` primitives so that nested differentiation works.
"""

from types import MappingProxyType

import autograd.numpy as anp


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


def _flat_entries(value, batched):
    """Split each example into its entries: a list of arrays of shape ``(B,)`` (or ``()``)."""
    axes = example_axes(value, batched)
    size = 1
    for axis in axes:
        size *= value.shape[axis]
    flat = anp.reshape(value, (value.shape[0], size) if batched else (size,))
    return [flat[:, k] if batched else flat[k] for k in range(size)]


def _sum(value, batched):
    return anp.sum(value, axis=example_axes(value, batched))


def _prod(value, batched):
    # A product of columns, not anp.prod: autograd's prod divides by the entries,
    # which gives nan derivatives as soon as one entry is 0.
    entries = _flat_entries(value, batched)
    result = anp.ones(value.shape[:1] if batched else (), dtype=value.dtype)
    for entry in entries:
        result = result * entry
    return result


def _mean(value, batched):
    return anp.mean(value, axis=example_axes(value, batched))


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
