"""How large a lesson's figures show their text, measured in the lesson's own kernel.

``HOOK`` is a cell run first: it wraps IPython's display formatter so that every
matplotlib figure a cell shows records, as it is formatted, the width it is
shown at (CSS pixels) and the size of each visible text in it -- titles, tick
labels, legends and jacviz's cell values -- in CSS pixels at that width.
``REPORT`` is a cell run last whose result is those records as JSON;
:func:`records` reads them back from the executed notebook.

A PNG shows at its pixel width (the width its header states) unless its metadata
gives a width (jacviz's figures carry their CSS size, the pixels being twice as
many), and a browser
scales a picture wider than the output area down to it: :func:`shown` applies
that to a record.
"""

import ast
import json

import nbformat
from notebook_claims import INJECTED

HOOK = """\
import json as _legibility_json
from base64 import b64decode as _legibility_b64decode
from matplotlib.figure import Figure as _Figure
from matplotlib.text import Text as _Text
from jacviz.plotting._fast._cells import CellValues as _CellValues

_legibility = []
_legibility_format = get_ipython().display_formatter.format


def _legibility_sizes(fig, scale):
    texts = [t for t in fig.findobj(_Text) if t.get_visible() and t.get_text().strip()]
    sizes = [(t.get_fontsize() * scale, t.get_text()[:40]) for t in texts]
    values = [v for v in fig.findobj(_CellValues) if v.drawn_size()]
    return sizes + [(v.drawn_size() * scale, "cell values") for v in values]


def _legibility_measured(obj, *args, **kwargs):
    data, meta = _legibility_format(obj, *args, **kwargs)
    if isinstance(obj, _Figure) and "image/png" in data:
        png = data["image/png"]
        png = png if isinstance(png, bytes) else _legibility_b64decode(png)
        width = (meta.get("image/png") or {}).get("width") or int.from_bytes(png[16:20], "big")
        px_per_pt = obj.dpi / 72  # CSS px per point: jacviz's metadata and the inline PNG agree
        _legibility.append({
            "width": width,
            "texts": sorted(_legibility_sizes(obj, px_per_pt)),
        })
    return data, meta


get_ipython().display_formatter.format = _legibility_measured
"""

REPORT = "_legibility_json.dumps(_legibility)"


def instrumented(nb):
    """Return ``nb`` with the hook first and the report last, both tagged as injected."""
    tags = {"tags": [INJECTED]}
    cells = [nbformat.v4.new_code_cell(HOOK, metadata=tags), *nb.cells]
    nb.cells = [*cells, nbformat.v4.new_code_cell(REPORT, metadata=tags)]
    return nb


def records(nb):
    """Return the figures the executed ``nb`` showed: dicts of widths and text sizes."""
    (result,) = [out for out in nb.cells[-1].outputs if out.output_type == "execute_result"]
    return json.loads(ast.literal_eval(result.data["text/plain"]))


def shown(record, area_width):
    """Return ``(shown width, [(text px, text)])`` of a record in an area ``area_width`` wide."""
    width = record["width"]
    scale = min(1.0, area_width / width)
    return min(width, area_width), [(size * scale, text) for size, text in record["texts"]]
