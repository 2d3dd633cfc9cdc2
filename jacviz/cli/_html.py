"""``jacviz html NOTEBOOK -o OUT.html``: a notebook as one offline page, explorers frozen.

What :func:`jacviz.notes.export_html` does: run the notebook, put each
explorer's last frame where its controls were, draw the Markdown maths as
inline SVG, and write one HTML file that opens from disk with no kernel and no
network. Needs nbconvert (the ``app`` extra).
"""

import pathlib
import sys
import warnings

from jacviz.app import require_extra
from jacviz.notes import MathsLeftAsTeX, export_html

NAME = "html"
HELP = "run a notebook and write it as one offline HTML page, each explorer at its last frame"


def add_arguments(parser):
    """Add ``NOTEBOOK``, ``-o``, ``--no-execute``, ``--mathjax-url`` and ``--timeout``."""
    parser.add_argument("notebook", type=pathlib.Path, metavar="NOTEBOOK")
    parser.add_argument(
        "-o", "--output", type=pathlib.Path, metavar="OUT.html", help="default: NOTEBOOK.html"
    )
    parser.add_argument(
        "--no-execute",
        action="store_true",
        help="use the outputs and widget state saved in the notebook instead of running it",
    )
    parser.add_argument(
        "--mathjax-url",
        default="",
        metavar="URL",
        help=(
            "a MathJax 2 URL (local copy or CDN) that typesets the formulas; default: none, "
            "the Markdown maths is drawn as inline SVG (matplotlib's mathtext), no network"
        ),
    )
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell (default 300)")


def run(args):
    """Write the page, say where; return 0."""
    require_extra("nbconvert", "nbconvert", "jacviz html")
    output = args.output or args.notebook.with_suffix(".html")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", MathsLeftAsTeX)
        page = export_html(
            args.notebook,
            output,
            execute=not args.no_execute,
            mathjax_url=args.mathjax_url,
            timeout=args.timeout,
        )
    print(f"jacviz html: wrote {page}")
    for warning in caught:
        if issubclass(warning.category, MathsLeftAsTeX):
            print(f"jacviz html: note: {warning.message}", file=sys.stderr)
        else:  # anyone else's: shown as Python shows it
            warnings.showwarning(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    return 0
