"""The checks every layer shares (``jacviz._validate``): one contract, one message per mistake."""

import numpy as np
import pytest

from jacviz import batch_jacobian, linear_map_geometry, plot_batch_hessian
from jacviz._validate import (
    batch_array,
    check_callable,
    float_array,
    is_real,
    is_whole,
    real_array,
    whole,
)
from jacviz.widget._batch import as_batch as widget_batch


@pytest.mark.parametrize("value", [0, 3, -2, np.int8(1), np.uint64(7), 2**70])
def test_whole_numbers(value):
    assert is_whole(value)
    assert whole(value, "k") == int(value) and type(whole(value, "k")) is int


@pytest.mark.parametrize("value", [True, np.bool_(False), 1.0, np.float64(2), "1", None, 1j])
def test_not_whole_numbers(value):
    assert not is_whole(value)
    with pytest.raises(TypeError, match=r"^k must be an int \(a count\), got "):
        whole(value, "k", meaning="a count")


def test_whole_below_its_minimum():
    with pytest.raises(ValueError, match=r"^num must be >= 2, got 1$"):
        whole(1, "num", minimum=2)


@pytest.mark.parametrize(
    ("value", "real"), [(0.5, True), (3, True), (np.float32(1), True), (True, False), (1j, False)]
)
def test_real_numbers(value, real):
    assert is_real(value) is real


def test_real_array_keeps_real_dtypes_and_names_the_rest():
    assert real_array([[1, 2]]).dtype.kind == "i"
    assert float_array(np.ones(3, dtype=np.float16)).dtype == np.float16
    np.testing.assert_array_equal(float_array([True, False]), [1.0, 0.0])
    with pytest.raises(TypeError, match=r"^x has complex dtype complex128; .* separate real"):
        real_array([1j])
    with pytest.raises(TypeError, match=r"^w must hold real numbers, not dates"):
        real_array(np.array(["2020-01-01"], dtype="datetime64[D]"), "w")
    with pytest.raises(TypeError, match="not Python objects"):
        real_array(np.array([None, 1], dtype=object))


def test_batch_array_needs_a_batch_axis():
    assert batch_array([[4, 2], [1, 3]]).dtype == np.float64
    with pytest.raises(ValueError, match=r"got shape \(2,\)\. Add one: x\[None\]"):
        batch_array([1.0, 2.0])


def test_check_callable():
    check_callable(np.sin)
    check_callable("x**2")
    with pytest.raises(TypeError, match=r"^f must be a callable, not str$"):
        check_callable("x**2", text_too=False)


def test_every_layer_says_the_same_about_complex_numbers():
    """The engine, the view and the explorer's batch share one message (different advice)."""
    x = np.ones((1, 2)) * 1j
    messages = []
    for call in (
        lambda: batch_jacobian("x", x),
        lambda: linear_map_geometry("x", x),
        lambda: widget_batch(x),
    ):
        with pytest.raises((TypeError, ValueError)) as caught:
            call()
        messages.append(str(caught.value))
    prefix = "has complex dtype complex128; jacviz differentiates real functions only: give"
    assert all(prefix in message for message in messages), messages
    assert messages[0] == messages[1]  # the engine and the view: same argument, same words
    assert messages[2].startswith("the batch has") and messages[2].endswith("(columns)")


def test_the_same_integer_rule_in_plotting_and_views():
    hess = np.zeros((2, 3, 2, 2))
    for bad in (True, 1.0):
        with pytest.raises(TypeError, match="takes integer indices"):
            plot_batch_hessian(hess, outputs=[bad])
        with pytest.raises(TypeError, match="must be an int"):
            linear_map_geometry("x", [[1.0, 2.0]], num=bad)
    plot_batch_hessian(hess, outputs=[np.int64(1)])  # numpy integers are whole numbers
