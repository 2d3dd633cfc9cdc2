"""Widget views out, static pictures in: an executed notebook for routes without JavaScript.

Layer: notes (standard library only; a notebook is read as the plain dict nbformat gives).

An explorer's last state is in the notebook's stored widget state
(``metadata.widgets``, written by ``nbclient``/``nbconvert`` with
``store_widget_state=True`` or by JupyterLab on save): its PNG (the
``jacviz-image`` model's ``value`` buffer), its formula line and status line.
:func:`freeze_widgets` puts that last frame where the view was; other widgets'
views give way to the outputs' own static MIME types.
"""

import base64
import html

from jacviz.notes._static import PNG, plain_text, static_bundle

VIEW = "application/vnd.jupyter.widget-view+json"
STATE = "application/vnd.jupyter.widget-state+json"
PREFIX = "IPY_MODEL_"


def _models(notebook):
    """Return model id -> stored model (``model_name``, ``state``, ``buffers``)."""
    stored = notebook.get("metadata", {}).get("widgets", {}).get(STATE, {})
    return stored.get("state", {})


def _classes(model):
    return model.get("state", {}).get("_dom_classes", [])


def _descendants(models, model_id):
    """Yield the models under ``model_id`` (children of boxes, depth first), itself first."""
    model = models.get(model_id)
    if model is None:
        return
    yield model
    for child in model.get("state", {}).get("children", []):
        if isinstance(child, str) and child.startswith(PREFIX):
            yield from _descendants(models, child.removeprefix(PREFIX))


def _first(models, model_id, css_class):
    return next((m for m in _descendants(models, model_id) if css_class in _classes(m)), {})


def _png(image):
    """Return the PNG bytes of a stored ``ImageModel`` (``b""`` when it has none)."""
    for buffer in image.get("buffers", []):
        if buffer.get("path") == ["value"] and buffer.get("encoding") == "base64":
            return base64.b64decode(buffer["data"])
    return b""


def last_frames(notebook):
    """Return the static picture of every explorer in a notebook's stored widget state.

    Parameters
    ----------
    notebook : Mapping
        A notebook as a dict (``nbformat.read`` gives one).

    Returns
    -------
    dict
        Explorer model id -> MIME bundle (:func:`static_bundle`) of its last frame.

    Examples
    --------
    >>> last_frames({"cells": [], "metadata": {}})
    {}
    """
    models = _models(notebook)
    frames = {}
    for model_id, model in models.items():
        if "jacviz-explorer" not in _classes(model):
            continue
        formula = _first(models, model_id, "jacviz-formula-line").get("state", {}).get("value", "")
        status = _first(models, model_id, "jacviz-status").get("state", {}).get("value", "")
        png = _png(_first(models, model_id, "jacviz-image"))
        alt = " ".join(
            part for part in (plain_text(formula).strip("$ "), plain_text(status)) if part
        )
        frames[model_id] = static_bundle(
            png, alt=f"last state: {alt}", formula=formula, status=status
        )
    return frames


def freeze_widgets(notebook, outputs=None):
    """Replace each widget view in ``notebook`` (in place) by a static picture.

    An explorer's view becomes its last frame (:func:`last_frames`); any other
    widget's view is dropped, so the output's next MIME type (its ``image/png``,
    ``text/plain``) shows. A picture whose metadata carries a text alternative
    (a jacviz figure's ``alt``) gets it in an HTML ``<img>`` that HTML and
    Markdown exports show. The stored widget state is removed: the page needs
    no widget JavaScript.

    Parameters
    ----------
    notebook : MutableMapping
        An executed notebook as a dict.
    outputs : MutableMapping, optional
        nbconvert's extracted output files (``resources["outputs"]``, file name ->
        bytes): when the explorer's PNG was already extracted to a file (LaTeX,
        PDF), that file gets the last frame too.

    Returns
    -------
    int
        The number of explorer views replaced by their last frame.

    Examples
    --------
    >>> cell = {"cell_type": "code", "outputs": [
    ...     {"output_type": "display_data", "metadata": {},
    ...      "data": {"text/plain": "IntSlider(value=3)", VIEW: {"model_id": "a1"}}}]}
    >>> notebook = {"cells": [cell], "metadata": {}}
    >>> freeze_widgets(notebook), cell["outputs"][0]["data"]
    (0, {'text/plain': 'IntSlider(value=3)'})
    """
    frames = last_frames(notebook)
    frozen = 0
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if VIEW not in data:
                _describe_picture(output)
                continue
            model_id = data.pop(VIEW).get("model_id")
            if model_id in frames:
                output["data"] = dict(frames[model_id])
                _refresh_extracted(output, outputs)
                frozen += 1
            elif not data:
                data["text/plain"] = "(an interactive widget, shown live only)"
    notebook.get("metadata", {}).pop("widgets", None)
    return frozen


def _describe_picture(output):
    """Give a PNG output whose metadata carries ``alt`` an HTML ``<img>`` with that ``alt``.

    jacviz's figures (``JacvizFigure``) put their text alternative in the PNG's
    metadata, which nbconvert's HTML and Markdown templates do not read: the
    ``text/html`` they prefer carries it, at the size the metadata gives.
    """
    data, meta = output.get("data", {}), output.get("metadata", {}).get(PNG, {})
    if PNG not in data or "text/html" in data or not meta.get("alt"):
        return
    size = "".join(
        f' {key}="{int(meta[key])}"'
        for key in ("width", "height")
        if isinstance(meta.get(key), int)
    )
    png = data[PNG] if isinstance(data[PNG], str) else base64.b64encode(data[PNG]).decode()
    data["text/html"] = (
        f'<img alt="{html.escape(meta["alt"])}"{size} style="max-width: 100%" '
        f'src="data:image/png;base64,{"".join(png.split())}">'
    )


def _refresh_extracted(output, outputs):
    """Write a frozen output's PNG into the file nbconvert extracted it to, if any."""
    name = output.get("metadata", {}).get("filenames", {}).get(PNG)
    if outputs is not None and name and PNG in output["data"]:
        outputs[name] = base64.b64decode(output["data"][PNG])
