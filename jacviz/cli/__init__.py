"""The ``jacviz`` command: ``jacviz notebooks``, ``jacviz lab``, ``jacviz app``, ``jacviz html``.

Layer: ``cli``, above everything else; imports :mod:`jacviz.app`,
:mod:`jacviz.notes` and the standard library only, so every subcommand's
``--help`` works without the ``app`` extra.

Each subcommand is one module with ``NAME``, ``HELP``, ``add_arguments(parser)``
and ``run(args)`` (returning the exit status), listed once in :data:`COMMANDS`.
A subcommand that hands unknown options on to another program (``jacviz lab``
to JupyterLab) sets ``PASS_THROUGH = True`` and finds them in ``args.passed``.
Adding one is a new module here and one more entry in :data:`COMMANDS`.
"""

import argparse

from jacviz import __version__
from jacviz.cli import _app, _html, _lab, _notebooks

__all__ = ["COMMANDS", "build_parser", "main"]

COMMANDS = (_notebooks, _lab, _app, _html)


def build_parser():
    """Build the parser of ``jacviz``: one subparser per module of :data:`COMMANDS`.

    Returns
    -------
    argparse.ArgumentParser

    Examples
    --------
    >>> args = build_parser().parse_args(["notebooks", "course"])
    >>> args.command, str(args.folder)
    ('notebooks', 'course')
    """
    parser = argparse.ArgumentParser(
        prog="jacviz",
        description="Batch Jacobians for teaching: the notebooks, JupyterLab, the explorer app, "
        "offline course notes.",
    )
    parser.add_argument("--version", action="version", version=f"jacviz {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        subparser = subparsers.add_parser(command.NAME, help=command.HELP, description=command.HELP)
        command.add_arguments(subparser)
        subparser.set_defaults(
            run=command.run, pass_through=getattr(command, "PASS_THROUGH", False)
        )
    return parser


def main(argv=None):
    """Run ``jacviz COMMAND ...`` (``argv``: ``sys.argv[1:]`` when omitted).

    Returns the command's exit status; a usage error exits with status 2.
    """
    parser = build_parser()
    args, passed = parser.parse_known_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if passed and not args.pass_through:
        parser.error(f"unrecognized arguments: {' '.join(passed)}")
    args.passed = passed
    return args.run(args)
