"""The explorer's widgets, made: descriptions, tooltips, CSS hooks -- no behaviour.

Layer: widget (private). Imports ipywidgets only.

Each function returns one new widget, described and given its tooltip and
its ``jacviz-*`` CSS class (the hooks the browser tests look for). The
explorer wires them to its handlers; nothing here observes anything.
"""

import ipywidgets as widgets

#: The order toggle's options: (label, value of ``JacobianExplorer.order``).
ORDER_OPTIONS = (("1st order", 1), ("2nd order", 2), ("full Jacobian", "full"))


def hooked(widget, css_class):
    """Add the CSS class ``css_class`` to ``widget`` and return it.

    Parameters
    ----------
    widget : ipywidgets.DOMWidget
    css_class : str

    Returns
    -------
    ipywidgets.DOMWidget
        ``widget`` itself.

    Examples
    --------
    >>> hooked(widgets.HTML(), "jacviz-status")._dom_classes
    ('jacviz-status',)
    """
    widget.add_class(css_class)
    return widget


def function_text():
    """Return the formula box (applies on Enter or when it loses focus)."""
    box = widgets.Text(
        description="f(x) =",
        placeholder="e.g. x**3, sin(x), [x[0]*x[1], x[0] + x[1]]",
        tooltip="The formula for one example x; press Enter to apply.",
        continuous_update=False,
        layout=widgets.Layout(width="min(100%, 560px)"),
    )
    return hooked(box, "jacviz-function")


def preset_dropdown(names, custom):
    """Return the presets dropdown: ``custom`` first, then ``names``."""
    dropdown = widgets.Dropdown(
        options=[custom, *names],
        value=custom,
        description="preset",
        tooltip="A teaching example: fills the formula, the batch and the constants.",
    )
    return hooked(dropdown, "jacviz-preset")


def order_toggle():
    """Return the toggle between Jacobian, Hessian and full Jacobian."""
    toggle = widgets.ToggleButtons(
        options=ORDER_OPTIONS,
        description="order",
        tooltip="What to draw: per-example Jacobians, Hessians, or the full Jacobian.",
        tooltips=[
            "J[b] = ∂f(x)[b]/∂x[b], one heatmap per example",
            "∂²f_i/∂x_j∂x_k per example and output",
            "all of ∂f(x)/∂x: the batch Jacobian is its block diagonal",
        ],
    )
    return hooked(toggle, "jacviz-order")


def shape_slider(description, tooltip, maximum, css_class):
    """Return an integer slider from 1 to ``maximum`` for one axis of the batch."""
    slider = widgets.IntSlider(
        min=1, max=maximum, description=description, tooltip=tooltip, continuous_update=False
    )
    return hooked(slider, css_class)


def index_slider(description, tooltip, css_class):
    """Return an integer slider from 0 (its maximum set later), hidden until needed."""
    slider = widgets.IntSlider(
        min=0,
        max=0,
        description=description,
        tooltip=tooltip,
        continuous_update=False,
        layout=widgets.Layout(display="none"),
    )
    return hooked(slider, css_class)


def linear_map_toggle():
    """Return the on/off button of the linear-map view (disabled until ``f`` fits it)."""
    toggle = widgets.ToggleButton(
        description="linear map",
        icon="crosshairs",
        tooltip="Show J[b] as the best linear map near x[b] (needs 2 inputs and 2 outputs).",
        disabled=True,
    )
    return hooked(toggle, "jacviz-linear-map")


def radius_slider():
    """Return the slider for the size of the neighbourhood in the linear-map view."""
    slider = widgets.FloatSlider(
        value=0.5,
        min=0.05,
        max=2.0,
        step=0.05,
        description="radius",
        tooltip="Size of the grid and circle around x[b]: the larger, the more f bends away.",
        continuous_update=False,
        readout_format=".2f",
    )
    return hooked(slider, "jacviz-radius")


def checkbox(description, tooltip, css_class):
    """Return an unticked checkbox for an optional part of the view."""
    box = widgets.Checkbox(
        value=False,
        description=description,
        tooltip=tooltip,
        indent=False,
        layout=widgets.Layout(width="auto"),
    )
    return hooked(box, css_class)


def button(description, icon, tooltip):
    """Return a button with an icon (a Font Awesome name)."""
    return widgets.Button(description=description, icon=icon, tooltip=tooltip)


def paste_text():
    """Return the box that takes a pasted batch such as ``[[4, 2], [1, 3]]``."""
    box = widgets.Text(
        description="paste x",
        placeholder="[[4, 2], [1, 3]]",
        tooltip="Paste a batch, e.g. [[4, 2], [1, 3]] or numpy's printed [[4. 2.] [1. 3.]]; Enter.",
        continuous_update=False,
    )
    return hooked(box, "jacviz-paste")


def html(tooltip, css_class=None):
    """Return an empty ``HTML`` widget (status line, error area, note, table)."""
    widget = widgets.HTML("", tooltip=tooltip)
    return hooked(widget, css_class) if css_class else widget


def image():
    """Return the PNG image that shows the heatmaps."""
    # flex-start: a VBox stretches its children, which would blur the PNG by scaling it
    layout = widgets.Layout(max_width="100%", height="auto", align_self="flex-start")
    picture = widgets.Image(format="png", layout=layout)
    return hooked(picture, "jacviz-image")


def values_accordion(table):
    """Return a collapsed accordion holding the values ``table``."""
    accordion = widgets.Accordion(
        children=[table], titles=("values and formulas (table)",), selected_index=None
    )
    return hooked(accordion, "jacviz-values")


def row(children, display=None):
    """Return an ``HBox`` of ``children`` (``display="none"`` hides it until needed)."""
    layout = widgets.Layout(flex_flow="row wrap", display=display)
    return widgets.HBox(children, layout=layout)
