"""``jacviz html NOTEBOOK -o OUT.html``: a notebook as one offline page, explorers frozen.

What :func:`jacviz.notes.export_html` does: run the notebook, put each
explorer's last frame where its controls were, draw the Markdown maths as
inline SVG, and write one HTML file that opens from disk with no kernel and no
network. ``--slides`` writes a reveal.js deck instead
(:func:`jacviz.notes.export_slides`), which needs reveal.js: from ``--reveal-url``
(a local copy) or, by default, from nbconvert's CDN copy -- the network. Needs
nbconvert (the ``app`` extra).
"""

import pathlib
import sys
import warnings

from jacviz.app import require_extra
from jacviz.notes import MathsLeftAsTeX, export_html, export_slides

NAME = "html"
HELP = (
    "run a notebook and write it as one offline HTML page (or a reveal.js deck: --slides), "
    "each explorer at its last frame"
)


def add_arguments(parser):
    """Add ``NOTEBOOK``, ``-o``, ``--no-execute``, ``--mathjax-url``, ``--slides`` and more."""
    parser.add_argument("notebook", type=pathlib.Path, metavar="NOTEBOOK")
    parser.add_argument(
        "-o",
        "--output",
        type=pathlib.Path,
        metavar="OUT.html",
        help="default: NOTEBOOK.html (NOTEBOOK.slides.html with --slides)",
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
    parser.add_argument(
        "--slides",
        action="store_true",
        help=(
            "write a reveal.js deck for 1280x800: a slide per heading (or the notebook's own "
            "slide types), each picture on a sub-slide, explorer pictures at most 440 px high"
        ),
    )
    parser.add_argument(
        "--reveal-url",
        default="",
        metavar="URL",
        help=(
            "with --slides: a local copy of reveal.js 4 (the folder holding dist/ and plugin/). "
            "Without it the deck loads reveal.js from nbconvert's CDN copy and needs the "
            "network for it (pictures and maths are inline)"
        ),
    )
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell (default 300)")


def run(args):
    """Write the page (or deck), say where; return 0 (2 for --reveal-url without --slides)."""
    if args.reveal_url and not args.slides:
        print("jacviz html: --reveal-url is for --slides only", file=sys.stderr)
        return 2
    require_extra("nbconvert", "nbconvert", "jacviz html")
    suffix = ".slides.html" if args.slides else ".html"
    output = args.output or args.notebook.with_suffix(suffix)
    options = {"reveal_url": args.reveal_url} if args.slides else {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", MathsLeftAsTeX)
        page = (export_slides if args.slides else export_html)(
            args.notebook,
            output,
            execute=not args.no_execute,
            mathjax_url=args.mathjax_url,
            timeout=args.timeout,
            **options,
        )
    print(f"jacviz html: wrote {page}")
    if args.slides and not args.reveal_url:
        print("jacviz html: the deck loads reveal.js from a CDN (--reveal-url: a local copy)")
    for warning in caught:
        if issubclass(warning.category, MathsLeftAsTeX):
            print(f"jacviz html: note: {warning.message}", file=sys.stderr)
        else:  # anyone else's: shown as Python shows it
            warnings.showwarning(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    return 0
