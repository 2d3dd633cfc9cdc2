"""``jacviz notebooks [DIR]``: copy the bundled notebooks into a folder.

The notebooks ship inside the wheel as package data (``jacviz/notebooks/``);
in a source checkout they are the repository's ``notebooks/``.
"""

import importlib.resources
import pathlib

NAME = "notebooks"
HELP = "copy the notebooks (the tour, second order, coupled examples, exercises, the app)"
DEFAULT_FOLDER = "jacviz-notebooks"


def add_arguments(parser):
    """Add ``DIR`` and ``--force``."""
    add_folder_argument(parser, "where to copy them")
    parser.add_argument(
        "--force", action="store_true", help="overwrite notebooks of the same name in DIR"
    )


def add_folder_argument(parser, what):
    """Add the optional ``DIR`` (default ``./jacviz-notebooks``), described by ``what``."""
    parser.add_argument(
        "folder",
        nargs="?",
        type=pathlib.Path,
        default=pathlib.Path(DEFAULT_FOLDER),
        metavar="DIR",
        help=f"{what} (default: ./{DEFAULT_FOLDER}; made if missing)",
    )


def run(args):
    """Copy the notebooks, say what was copied; refuse to overwrite without ``--force``."""
    copied = copy_notebooks(args.folder, force=args.force)
    print(f"jacviz notebooks: copied {len(copied)} notebooks to {args.folder}:")
    for path in copied:
        print(f"  {path.name}")
    return 0


def bundled_notebooks():
    """Return the notebooks that ship with jacviz, sorted by name.

    Returns
    -------
    list of importlib.resources.abc.Traversable
        From the installed package (``jacviz/notebooks/``), or the repository's
        ``notebooks/`` in a source checkout.

    Examples
    --------
    >>> [notebook.name for notebook in bundled_notebooks()][:1]
    ['01_batch_jacobian_tour.ipynb']
    """
    packaged = importlib.resources.files("jacviz") / "notebooks"
    checkout = pathlib.Path(__file__).resolve().parents[2] / "notebooks"
    folder = packaged if packaged.is_dir() else checkout
    return sorted(
        (item for item in folder.iterdir() if item.name.endswith(".ipynb")),
        key=lambda item: item.name,
    )


def copy_notebooks(folder, *, force=False, only_missing=False):
    """Copy the bundled notebooks into ``folder``, made if missing.

    Parameters
    ----------
    folder : path-like
        Where the notebooks go.
    force : bool, optional
        Overwrite notebooks of the same name already in ``folder``.
    only_missing : bool, optional
        Copy only the notebooks ``folder`` does not have yet, keeping the others.

    Returns
    -------
    list of pathlib.Path
        The notebooks written.

    Raises
    ------
    SystemExit
        When ``folder`` already has one of them and neither ``force`` nor
        ``only_missing`` is set; nothing is copied then.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [path.name for path in copy_notebooks(folder)][-1]
    'explorer_app.ipynb'
    """
    folder = pathlib.Path(folder)
    targets = [(notebook, folder / notebook.name) for notebook in bundled_notebooks()]
    there = [target for _, target in targets if target.exists()]
    if there and not (force or only_missing):
        names = ", ".join(target.name for target in there)
        raise SystemExit(
            f"jacviz notebooks: {folder} already has {names}; nothing copied.\n"
            "Use --force to overwrite them, or give another folder."
        )
    if only_missing:
        targets = [(notebook, target) for notebook, target in targets if target not in there]
    folder.mkdir(parents=True, exist_ok=True)
    for notebook, target in targets:
        target.write_bytes(notebook.read_bytes())
    return [target for _, target in targets]
