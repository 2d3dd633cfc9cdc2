"""plot_linear_map and linear_map_geometry: the Jacobian as a local linear map.

References are independent of jacviz: the polar map and its Jacobian are
written out by hand in plain numpy (``J = [[cos θ, −r sin θ], [sin θ, r cos θ]]``,
``det J = r``), and the plotted line data are checked against them.
"""

import io
import warnings

import autograd.numpy as anp
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.image import imread

from jacviz.plotting import png_bytes
from jacviz.views import LinearMapView, linear_map_geometry, plot_linear_map

X = np.array([[1.0, 0.3], [2.0, 1.1], [0.5, -2.0]])
A = np.array([[2.0, -1.0], [0.5, 3.0]])
SHIFT = np.array([0.25, -4.0])


def polar(x):
    r, theta = x[:, 0], x[:, 1]
    return anp.stack([r * anp.cos(theta), r * anp.sin(theta)], axis=1)


def polar_numpy(u):
    """The same map on any (..., 2) array, for the reference."""
    return np.stack([u[..., 0] * np.cos(u[..., 1]), u[..., 0] * np.sin(u[..., 1])], axis=-1)


def polar_jacobian(r, theta):
    return np.array([[np.cos(theta), -r * np.sin(theta)], [np.sin(theta), r * np.cos(theta)]])


def affine(x):
    return anp.dot(x, A.T) + SHIFT


def _line_data(ax, gid):
    """(L, P, 2) from the Line2Ds tagged ``gid``, in drawing order."""
    lines = [line for line in ax.lines if line.get_gid() == gid]
    return np.stack([np.column_stack(line.get_data()) for line in lines])


@pytest.mark.parametrize("example", [0, 1, 2])
def test_plotted_images_match_f_and_the_linearisation(example):
    fig = plot_linear_map(polar, X, example=example, radius=0.4)
    ax_in, ax_out = fig.axes
    u = _line_data(ax_in, "input")
    x0 = X[example]
    jac = polar_jacobian(*x0)
    np.testing.assert_allclose(_line_data(ax_out, "image"), polar_numpy(u), atol=1e-12)
    linear = polar_numpy(x0) + np.einsum("ij,lpj->lpi", jac, u - x0)
    np.testing.assert_allclose(_line_data(ax_out, "linear"), linear, atol=1e-12)


def test_input_curves_are_a_grid_and_circle_around_the_example():
    fig = plot_linear_map(polar, X, example=1, radius=0.3)
    u = _line_data(fig.axes[0], "input")
    x0 = X[1]
    np.testing.assert_allclose(np.linalg.norm(u[-1] - x0, axis=-1), 0.3)
    np.testing.assert_allclose(u[:-1].min(axis=(0, 1)), x0 - 0.3)
    np.testing.assert_allclose(u[:-1].max(axis=(0, 1)), x0 + 0.3)
    levels = np.linspace(-0.3, 0.3, 9)  # num = 9 lines per direction, 41 points each
    t = np.linspace(-0.3, 0.3, 41)
    assert u.shape == (19, 41, 2)
    along_first, along_second, circle = u[:9], u[9:18], u[18]
    np.testing.assert_allclose(along_first[..., 0], np.broadcast_to(x0[0] + t, (9, 41)))
    np.testing.assert_allclose(along_first[..., 1], np.repeat(x0[1] + levels[:, None], 41, 1))
    np.testing.assert_allclose(along_second[..., 1], np.broadcast_to(x0[1] + t, (9, 41)))
    np.testing.assert_allclose(along_second[..., 0], np.repeat(x0[0] + levels[:, None], 41, 1))
    angle = np.arctan2(circle[:, 1] - x0[1], circle[:, 0] - x0[0])
    np.testing.assert_allclose(np.unwrap(angle), np.linspace(0.0, 2 * np.pi, 41), atol=1e-12)


@pytest.mark.parametrize("example", [0, 1, 2])
def test_det_is_the_area_scaling_of_the_jacobian(example):
    geometry = linear_map_geometry(polar, X, example=example, radius=0.1)
    expected = np.linalg.det(polar_jacobian(*X[example]))
    r = X[example, 0]  # by hand: det J = cos θ · r cos θ + r sin θ · sin θ = r
    np.testing.assert_allclose(geometry.det, r, rtol=1e-12)
    np.testing.assert_allclose(geometry.det, expected, rtol=1e-12)
    # the image of a disc of radius ρ has area ∫∫ r dr dθ = r·πρ² exactly; the sampled
    # polygons (41 points) agree to the chord error, a few 1e-5
    np.testing.assert_allclose(geometry.area_ratio, r, rtol=1e-4)
    np.testing.assert_allclose(geometry.jac, polar_jacobian(*X[example]), atol=1e-12)
    title = plot_linear_map(polar, X, example=example, radius=0.1).axes[1].get_title()
    assert f"det J[{example}] = {expected:.3g}" in title


def test_det_sign_reports_a_flip():
    def mirror(x):
        return anp.stack([x[:, 1], x[:, 0]], axis=1)

    geometry = linear_map_geometry(mirror, X, radius=0.2)
    assert geometry.det == pytest.approx(-1.0)
    assert geometry.area_ratio == pytest.approx(-1.0)
    title = plot_linear_map(mirror, X, radius=0.2).axes[1].get_title()
    assert "flipped" in title


@pytest.mark.parametrize("radius", [0.4, 0.2, 0.1])
def test_linearisation_error_shrinks_like_radius_squared(radius):
    error = linear_map_geometry(polar, X, example=1, radius=radius).max_error
    half = linear_map_geometry(polar, X, example=1, radius=radius / 2).max_error
    assert error > 1e-4
    assert error / half == pytest.approx(4.0, rel=0.1)


def test_linearisation_is_exact_for_an_affine_map():
    geometry = linear_map_geometry(affine, X, example=2, radius=3.0)
    assert geometry.max_error < 1e-12
    np.testing.assert_allclose(geometry.jac, A, atol=1e-14)
    # a linear map scales the area of the sampled circle polygon by exactly det A
    np.testing.assert_allclose(geometry.area_ratio, np.linalg.det(A), rtol=1e-12)


def test_area_of_the_image_tends_to_det():
    far = linear_map_geometry(polar, X, example=1, radius=0.8, samples=400)
    near = linear_map_geometry(polar, X, example=1, radius=0.05, samples=400)
    assert abs(near.area_ratio - near.det) < abs(far.area_ratio - far.det) / 50 + 1e-4
    assert near.area_ratio == pytest.approx(near.det, rel=1e-3)


def cube_first(x):
    return anp.stack([x[:, 0] ** 3, x[:, 1]], axis=1)


@pytest.mark.parametrize("radius", [0.4, 0.2, 0.1, 0.05])
def test_area_ratio_converges_to_det_like_radius_squared(radius):
    """f = (u₀³, u₁): det J = 3u₀², whose mean over a disc of radius ρ around a is 3a² + ¾ρ².

    So the image of the disc has area ratio det J(a) + ¾ρ²: halving the radius
    divides the gap to det J by 4 (the sampled polygons follow it to round-off).
    """
    x = [[1.5, 0.3]]
    geometry = linear_map_geometry(cube_first, x, radius=radius)
    half = linear_map_geometry(cube_first, x, radius=radius / 2)
    assert geometry.det == pytest.approx(3 * 1.5**2, rel=1e-14)
    assert geometry.area_ratio - geometry.det == pytest.approx(0.75 * radius**2, rel=1e-8)
    gap, half_gap = geometry.area_ratio - geometry.det, half.area_ratio - half.det
    assert gap / half_gap == pytest.approx(4.0, rel=1e-6)


def test_formula_text_gives_the_same_curves_as_the_callable():
    from_text = linear_map_geometry("[x[0] * cos(x[1]), x[0] * sin(x[1])]", X, example=1)
    from_callable = linear_map_geometry(polar, X, example=1)
    np.testing.assert_allclose(from_text.y, from_callable.y, atol=1e-12)
    np.testing.assert_allclose(from_text.jac, from_callable.jac, atol=1e-12)


def test_formula_constants_are_passed_to_the_language():
    geometry = linear_map_geometry("a * x", X, constants={"a": 3.0}, radius=0.1)
    np.testing.assert_allclose(geometry.jac, 3.0 * np.eye(2))


def test_f_is_evaluated_on_all_curve_points_as_one_batch():
    batch_sizes = []

    def counting_polar(x):
        batch_sizes.append(np.shape(x)[0])
        return polar(x)

    linear_map_geometry(counting_polar, X, radius=0.2, num=5, samples=11)
    assert (2 * 5 + 1) * 11 in batch_sizes
    assert len(batch_sizes) <= 6  # never one call per point


@pytest.mark.parametrize(
    ("f", "x", "shapes"),
    [
        ("x", np.ones((4, 3)), "x (4, 3) and f(x) (4, 3)"),
        ("sum(x)", np.ones((4, 2)), "x (4, 2) and f(x) (4,)"),
        ("[x[0], x[1], x[0]]", np.ones((4, 2)), "x (4, 2) and f(x) (4, 3)"),
    ],
)
def test_wrong_shapes_are_named(f, x, shapes):
    with pytest.raises(ValueError, match=r"2 inputs and 2 outputs") as info:
        plot_linear_map(f, x)
    assert shapes in str(info.value)


def test_bad_options_are_rejected():
    with pytest.raises(IndexError, match="out of range for a batch of 3"):
        linear_map_geometry(polar, X, example=3)
    with pytest.raises(ValueError, match="radius must be > 0"):
        linear_map_geometry(polar, X, radius=0.0)
    with pytest.raises(TypeError, match="formula text only"):
        linear_map_geometry(polar, X, constants={"a": 1.0})


def _png_pixels(fig):
    return imread(io.BytesIO(png_bytes(fig)))


@pytest.mark.parametrize(
    ("f", "example", "radius"), [(polar, 1, 0.2), (polar, 2, 1.5), (affine, 0, 0.5)]
)
def test_a_view_moved_to_new_curves_draws_what_a_fresh_one_draws(f, example, radius):
    """Curves, titles, legend and axis limits all follow: the very pixels of a fresh build."""
    view = LinearMapView(Figure(dpi=50), linear_map_geometry(polar, X), 0, 0.5)
    lines = [line for ax in view.figure.axes for line in ax.lines]
    legend = view.ax_out.get_legend()
    geometry = linear_map_geometry(f, X, example=example, radius=radius)
    assert view.show(geometry, example, radius)
    fresh = LinearMapView(Figure(dpi=50), geometry, example, radius)
    for moved, built in zip(view.figure.axes, fresh.figure.axes, strict=True):
        assert moved.get_title() == built.get_title()
        np.testing.assert_allclose(moved.get_xlim(), built.get_xlim())
        np.testing.assert_allclose(moved.get_ylim(), built.get_ylim())
    np.testing.assert_array_equal(_png_pixels(view.figure), _png_pixels(fresh.figure))
    np.testing.assert_allclose(_line_data(view.ax_out, "image"), geometry.y)
    assert [line for ax in view.figure.axes for line in ax.lines] == lines  # moved, not rebuilt
    assert view.ax_out.get_legend() is legend


def test_a_view_declines_curves_of_another_shape():
    view = LinearMapView(None, linear_map_geometry(polar, X), 0, 0.5)
    title = view.ax_out.get_title()
    assert not view.show(linear_map_geometry(polar, X, example=1, samples=9), 1, 0.5)
    assert view.ax_out.get_title() == title  # left as it was


def test_png_bytes_are_the_pixels_savefig_writes():
    fig = plot_linear_map(polar, X)
    fig.set_dpi(40)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=40)
    np.testing.assert_array_equal(_png_pixels(fig), imread(io.BytesIO(buffer.getvalue())))


def test_given_figure_is_reused_and_replaced():
    fig = Figure()
    assert plot_linear_map(polar, X, fig=fig) is fig
    assert plot_linear_map(polar, X, example=1, fig=fig) is fig
    assert len(fig.axes) == 2
    assert "x[1]" in fig.axes[0].get_title()


@pytest.mark.parametrize("radius", [1e-5, 1e-6, 1e-7, 1e-8])
def test_area_ratio_keeps_its_precision_at_small_radii(radius):
    """Polar at r = 20: det J = r = 20, and the image of a disc has area exactly r·πρ²."""
    geometry = linear_map_geometry(polar, [[20.0, 10.3]], radius=radius)
    assert geometry.area_ratio == pytest.approx(20.0, rel=1e-6)


def test_radius_below_the_float_spacing_is_explained():
    with pytest.raises(ValueError, match=r"radius 1e-300 is too small.*at least 3.6e-12"):
        linear_map_geometry(polar, [[20.0, 10.3]], radius=1e-300)


POLAR_TEXT = "[x[0] * cos(x[1]), x[0] * sin(x[1])]"


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"samples": 3}, ValueError, r"samples must be >= 4 .*got 3"),
        ({"samples": 4.0}, TypeError, r"samples must be an int .*got 4.0 \(float\)"),
        ({"num": 1}, ValueError, r"num must be >= 2 .*got 1"),
        ({"num": True}, TypeError, r"num must be an int .*got True \(bool\)"),
        ({"radius": np.inf}, ValueError, r"radius must be > 0 and finite, got inf"),
        ({"radius": np.nan}, ValueError, r"radius must be > 0 and finite, got nan"),
        ({"radius": -0.1}, ValueError, r"radius must be > 0 and finite, got -0.1"),
        ({"radius": "0.1"}, TypeError, r"radius must be a real number .*got '0.1' \(str\)"),
        ({"radius": None}, TypeError, r"radius must be a real number .*got None \(NoneType\)"),
        ({"example": True}, TypeError, r"example must be an int.*got True \(bool\)"),
        ({"example": 1.0}, TypeError, r"example must be an int.*got 1.0 \(float\)"),
        ({"example": None}, TypeError, r"example must be an int.*got None \(NoneType\)"),
        ({"example": -1}, IndexError, r"example -1 is out of range for a batch of 3"),
    ],
)
@pytest.mark.parametrize("f", [polar, POLAR_TEXT], ids=["callable", "formula"])
def test_bad_option_values_and_types_get_clear_messages(f, options, error, message):
    for function in (linear_map_geometry, plot_linear_map):
        with pytest.raises(error, match=message):
            function(f, X, **options)


def test_numpy_scalars_are_valid_options():
    geometry = linear_map_geometry(
        polar, X, example=np.int64(1), radius=np.float32(0.25), num=np.int32(3), samples=np.int64(5)
    )
    assert geometry.u.shape == (7, 5, 2)
    np.testing.assert_allclose(geometry.x0, X[1])
    np.testing.assert_allclose(np.linalg.norm(geometry.u[-1] - X[1], axis=-1), 0.25, rtol=1e-7)


def test_x_without_a_batch_axis_gets_the_engines_message():
    evaluated = []

    def spy(x):
        evaluated.append(np.shape(x))
        return polar(x)

    for f in (POLAR_TEXT, spy):  # the formula used to fail with "too many indices"
        with pytest.raises(ValueError, match=r"batch axis.*got shape \(2,\).*x\[None\]"):
            linear_map_geometry(f, [1.0, 0.3])
    assert evaluated == []  # x is checked before f is called


def test_f_that_needs_the_real_batch_size_is_explained():
    def fixed_weights(x):
        return x * np.array([[1.0], [2.0], [3.0]])  # works for B = 3 only

    def fixed_reshape(x):
        return anp.reshape(x, (3, 2)) ** 2

    with pytest.raises(ValueError, match=r"x of shape \(3, 2\).*batch of any size") as info:
        linear_map_geometry(fixed_weights, X)
    assert "batch of shape (1, 2) (it returned shape (3, 2))" in str(info.value)
    assert "axis 0" in str(info.value)
    with pytest.raises(ValueError, match=r"x of shape \(3, 2\).*batch of any size") as info:
        linear_map_geometry(fixed_reshape, X)
    assert "(1, 2) (ValueError: cannot reshape array of size 2" in str(info.value)
    assert isinstance(info.value.__cause__, ValueError)  # f's own error, chained


def test_points_outside_the_domain_give_nan_without_warnings():
    def sqrt_first(x):
        return anp.stack([anp.sqrt(x[:, 0]), x[:, 1]], axis=1)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        geometry = linear_map_geometry(sqrt_first, [[1.0, 0.0]], radius=2.0, num=3, samples=9)
        plot_linear_map(sqrt_first, [[1.0, 0.0]], radius=2.0)
    assert np.isnan(geometry.y[..., 0][geometry.u[..., 0] < 0]).all()
    np.testing.assert_allclose(geometry.y[..., 1], geometry.u[..., 1])
    assert np.isnan(geometry.area_ratio)


def test_num_and_samples_set_the_plotted_curves():
    fig = plot_linear_map(polar, X, example=2, radius=0.3, num=3, samples=7)
    u = _line_data(fig.axes[0], "input")
    assert u.shape == (2 * 3 + 1, 7, 2)
    np.testing.assert_allclose(np.unique(u[:3, :, 1]), X[2, 1] + np.array([-0.3, 0.0, 0.3]))
    np.testing.assert_allclose(_line_data(fig.axes[1], "image"), polar_numpy(u), atol=1e-12)


def test_a_pair_of_axes_gets_both_panels_and_the_rest_of_the_figure_is_left_alone():
    fig = Figure()
    ax_other, ax_in, ax_out = fig.subplots(1, 3)
    ax_other.plot([0, 1], [0, 1])
    ax_out.axhline(0.0, color="black")  # the lecturer's own mark: drawn on, not cleared
    assert plot_linear_map(polar, X, example=1, radius=0.2, ax=(ax_in, ax_out)) is fig
    assert fig.axes == [ax_other, ax_in, ax_out]
    assert len(ax_other.lines) == 1
    u = _line_data(ax_in, "input")
    np.testing.assert_allclose(np.linalg.norm(u[-1] - X[1], axis=-1), 0.2)
    np.testing.assert_allclose(_line_data(ax_out, "image"), polar_numpy(u), atol=1e-12)
    assert ax_out.lines[0].get_gid() is None  # the axhline is still there, first
    assert ax_out.get_title().startswith(f"det J[1] = {X[1, 0]:.3g}")


def test_a_single_axes_gets_the_overlaid_image_panel_only():
    fig = Figure()
    axes = fig.subplots(1, 2)  # one row of examples for a course figure, as an ndarray
    for b, ax in enumerate(axes):
        assert plot_linear_map(polar, X, example=b, radius=0.2, num=3, samples=9, ax=ax) is fig
    assert len(fig.axes) == 2
    for b, ax in enumerate(axes):
        assert {line.get_gid() for line in ax.lines} == {"image", "linear", None}
        y, linear = _line_data(ax, "image"), _line_data(ax, "linear")
        assert y.shape == linear.shape == (7, 9, 2)
        # polar's J has orthogonal columns of lengths 1 and r: the circle of radius 0.2
        # goes to (nearly) an ellipse around f(x[b]) with semi-axes 0.2 and 0.2·r
        distance = np.linalg.norm(y[-1] - polar_numpy(X[b]), axis=-1)
        semi_axes = sorted([0.2, 0.2 * X[b, 0]])
        assert distance.min() == pytest.approx(semi_axes[0], rel=0.05)
        assert distance.max() == pytest.approx(semi_axes[1], rel=0.05)
        assert ax.get_title().startswith(f"det J[{b}] = {X[b, 0]:.3g}")


def test_axes_in_a_subfigure_return_the_top_level_figure():
    fig = Figure()
    ax = fig.subfigures(1, 2)[1].subplots()
    assert plot_linear_map(polar, X, ax=ax) is fig


def test_axes_a_pair_in_an_ndarray_is_accepted():
    fig = Figure()
    axes = fig.subplots(2, 2)
    plot_linear_map(polar, X, ax=axes[1])
    assert [len(ax.lines) for ax in axes.ravel()] == [0, 0, 2 * 9 + 2, 2 * (2 * 9 + 1) + 1]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"fig": Figure(), "ax": Figure().subplots()}, ValueError, "not both"),
        ({"ax": "left"}, TypeError, "ax must be a matplotlib Axes"),
        ({"ax": Figure().subplots(1, 3)}, TypeError, "or a pair of Axes"),
        ({"ax": (Figure().subplots(), Figure().subplots())}, ValueError, "same figure"),
    ],
)
def test_bad_axes_are_rejected(kwargs, error, message):
    with pytest.raises(error, match=message):
        plot_linear_map(polar, X, **kwargs)
