"""Renderers of one process sharing idle views (``jacviz.plotting.ViewPool``).

The promise a pool keeps: a view taken from it and refilled draws exactly what
a renderer building afresh draws, whatever the view showed before and whoever
showed it; it never holds a view someone still draws, nor one whose refill
failed; it keeps within its bytes.
"""

import io
import threading

import numpy as np
import pytest
from matplotlib.image import imread

from jacviz.plotting import HeatmapGrid, ViewPool
from jacviz.plotting import _live as live_module
from jacviz.plotting._png import encode_png
from jacviz.plotting._pool import look_of
from jacviz.plotting._style import resolve_cmap

RNG = np.random.default_rng(7)
X = np.array([[4.0, 2.0], [1.0, 3.0]])


def lean(pool, **options):
    """A renderer keeping only the view on screen, sharing ``pool``."""
    return HeatmapGrid(dpi=40, pool=pool, cached_views=1, cache_bytes=0, **options)


def lender(pool, **options):
    """A renderer keeping no view between pictures: it borrows one from ``pool`` per picture."""
    return HeatmapGrid(dpi=40, pool=pool, cached_views=0, **options)


def pixels(png):
    return imread(io.BytesIO(png))


def fresh(kind, data, **options):
    """The picture a renderer of its own draws."""
    return HeatmapGrid(dpi=40).render(kind, data, **options)


#: (kind, data, options) pairs of one structure each, drawn by one student, then another.
PICTURES = {
    "jacobian": lambda scale: ("jacobian", scale * RNG.normal(size=(2, 2, 2)), {"x": scale * X}),
    "hessian per output": lambda scale: (
        "hessian",
        scale * RNG.normal(size=(2, 2, 2, 2)),
        {"x": X + scale, "scale": "output"},
    ),
    "full": lambda scale: ("full", scale * RNG.normal(size=(2, 2, 2, 2)), {}),
    "subset shown": lambda scale: (
        "jacobian",
        scale * RNG.normal(size=(9, 1, 1)),
        {"examples": [0, 8]},
    ),
}


@pytest.mark.parametrize("name", PICTURES)
def test_a_view_handed_on_draws_what_a_fresh_renderer_draws(name):
    pool = ViewPool()
    alice, bob = lean(pool), lean(pool)
    kind, data, options = PICTURES[name](1.0)
    data.flat[1] = np.nan  # a note under both pictures (the note's lines are structure)
    alice.render(kind, data, **options)
    alice.render("jacobian", np.ones((5, 3, 3)))  # another structure: hers goes to the pool
    assert len(pool) == 1
    kind, data, options = PICTURES[name](-250.0)  # other values, titles, limits
    data.flat[1] = np.nan
    png = bob.render(kind, data, **options)
    assert bob.redrawn != ["all"] and pool.hits == 1 and len(pool) == 0
    np.testing.assert_array_equal(pixels(png), pixels(fresh(kind, data, **options)))


def test_a_pool_keeps_idle_views_within_its_bytes_dropping_those_given_longest_ago():
    grid = HeatmapGrid(dpi=40, cached_views=1, cache_bytes=0)
    views = []
    for batch in (1, 2, 3):
        grid.render("jacobian", np.ones((batch, 2, 2)))
        views.append(grid._shown)
    pool = ViewPool(max_bytes=views[1].nbytes + views[2].nbytes)
    for batch, view in zip((1, 2, 3), views, strict=True):
        pool.give((batch,), view)
    assert len(pool) == 2 and pool.nbytes == views[1].nbytes + views[2].nbytes
    assert pool.take((1,)) is None and pool.misses == 1  # given first, dropped first
    assert pool.take((3,)) is views[2] and pool.take((3,)) is None
    assert pool.nbytes == views[1].nbytes
    nothing = ViewPool(max_bytes=0)
    nothing.give((1,), views[0])
    assert len(nothing) == 0 and nothing.nbytes == 0
    with pytest.raises(ValueError, match="0 or more"):
        ViewPool(max_bytes=-1)


def test_views_of_another_dpi_or_colormap_are_not_handed_on():
    pool = ViewPool()
    HeatmapGrid(dpi=40, pool=pool, cached_views=1, cache_bytes=0).release()  # nothing kept
    alice = lean(pool)
    alice.render("jacobian", np.ones((2, 2, 2)))
    alice.release()
    assert len(pool) == 1
    for other in (lean(pool, cmap="viridis"), HeatmapGrid(dpi=41, pool=pool)):
        other.render("jacobian", np.ones((2, 2, 2)))
        assert other.redrawn == ["all"]
    assert pool.hits == 0
    assert look_of(40, resolve_cmap("RdBu_r")) == look_of(40.0, resolve_cmap("RdBu_r"))


def test_a_view_whose_refill_failed_is_dropped_not_handed_on(monkeypatch):
    pool = ViewPool()
    grid = lean(pool)
    grid.render("jacobian", np.ones((2, 2, 2)))
    broken = grid._shown

    def fail(self, frame):
        raise RuntimeError("drawing failed half-way")

    with monkeypatch.context() as patch:
        patch.setattr(live_module.LiveView, "update", fail)
        with pytest.raises(RuntimeError, match="half-way"):
            grid.render("jacobian", np.zeros((2, 2, 2)))
    png = grid.render("jacobian", np.zeros((2, 2, 2)))  # built again
    assert grid.redrawn == ["all"] and grid._shown is not broken
    grid.release()
    assert len(pool) == 1 and pool.take(next(iter(pool._tickets))) is not broken
    np.testing.assert_array_equal(pixels(png), pixels(fresh("jacobian", np.zeros((2, 2, 2)))))


def test_release_hands_on_every_kept_view_and_the_next_picture_starts_afresh():
    pool = ViewPool()
    grid = HeatmapGrid(dpi=40, pool=pool)  # the default cache: keeps several
    for batch in (1, 2, 3):
        grid.render("jacobian", np.ones((batch, 2, 2)))
    grid.release()
    assert len(pool) == 3 and not grid.figure.axes
    png = grid.render("jacobian", np.full((2, 2, 2), 3.0))
    assert pool.hits == 1 and len(pool) == 2
    np.testing.assert_array_equal(pixels(png), pixels(fresh("jacobian", np.full((2, 2, 2), 3.0))))
    HeatmapGrid(dpi=40).release()  # no pool: the views are dropped


def test_renderers_on_threads_trading_views_each_draw_their_own_values():
    pool, shapes = ViewPool(), [(2, 2, 2), (3, 2, 2), (2, 2, 2, 2)]
    plans = [[(s, RNG.normal(size=shapes[s])) for s in (t % 3, 0, 1, 2, 0)] for t in range(6)]
    alone = [[fresh(_kind(data), data) for _, data in plan] for plan in plans]
    together, barrier = [None] * len(plans), threading.Barrier(len(plans))

    def student(t):
        grid = lean(pool)
        barrier.wait()
        together[t] = [grid.render(_kind(data), data) for _, data in plans[t]]

    threads = [threading.Thread(target=student, args=(t,)) for t in range(len(plans))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert pool.hits > 0
    for mine, reference in zip(together, alone, strict=True):
        for png, expected in zip(mine, reference, strict=True):
            np.testing.assert_array_equal(pixels(png), pixels(expected))


def _kind(data):
    return "hessian" if data.ndim == 4 else "jacobian"


def test_renderers_keeping_no_view_draw_in_turn_on_one_view_each_their_own_values():
    pool = ViewPool()
    alice, bob = lender(pool), lender(pool)
    drawn = {}
    for turn in range(3):
        for name, grid in (("alice", alice), ("bob", bob)):
            jac = RNG.normal(size=(2, 2, 2)) * (turn + 1)
            drawn[name] = grid.render("jacobian", jac, x=X + turn)
            np.testing.assert_array_equal(
                pixels(drawn[name]), pixels(fresh("jacobian", jac, x=X + turn))
            )
            assert not grid._views and len(pool) == 1  # lent back once encoded
    assert (pool.misses, pool.hits) == (1, 5)  # one view built for both
    assert alice.png() == drawn["alice"]  # her picture, though bob refilled the view since


def test_a_renderer_keeping_no_view_takes_back_the_one_it_gave_before_another():
    pool, jac = ViewPool(), RNG.normal(size=(2, 2, 2))
    alice = lender(pool)
    alice.render("jacobian", jac)
    (hers,) = [view for _, view in pool._idle.values()]
    own = HeatmapGrid(dpi=40, cached_views=1, cache_bytes=0)  # no pool: builds its own
    own.render("jacobian", np.zeros((2, 2, 2)))
    other = own._shown
    pool.give((other.spec, look_of(40, resolve_cmap("RdBu_r"))), other)  # given after hers
    jac[1] += 1.0
    alice.render("jacobian", jac)
    assert alice.redrawn == [("panel", 1), ("text", 1)]  # her own pixels: example 0 stays
    assert [view for _, view in pool._idle.values()] == [other, hers]
    np.testing.assert_array_equal(pixels(alice.png()), pixels(fresh("jacobian", jac)))


def test_the_figure_of_a_renderer_keeping_no_view_shows_its_last_picture():
    pool = ViewPool()
    alice, bob = lender(pool), lender(pool)
    mine = alice.render("jacobian", np.full((2, 2, 2), 3.0), x=X)
    bob.render("jacobian", np.full((2, 2, 2), -7.0), x=-X)  # refills the one view
    redrawn = alice.redrawn
    figure = alice.figure  # borrowed again and refilled with her picture
    assert encode_png(np.asarray(figure.canvas.buffer_rgba())) == mine
    assert len(pool) == 0 and alice.figure is figure and alice.redrawn == redrawn
    alice.render("jacobian", np.ones((2, 2, 2)), x=X)  # the next picture lends it back
    assert len(pool) == 1 and not alice._views
