"""The app notebook (one cell that shows the explorer) and the kernel spec it runs in.

Standard library only.
"""

import json
import pathlib
import sys

KERNEL_NAME = "jacviz-app"


#: The title of the app's page (Voila takes it from the notebook's metadata).
PAGE_TITLE = "jacviz explorer: batch Jacobians"


def app_notebook(function=None, kernel_name="python3"):
    """Build the app notebook (JSON): one code cell that shows the explorer.

    Parameters
    ----------
    function : str, optional
        Initial formula of the explorer; the explorer's default when omitted.
        Written as a Python string literal (``repr``), never as code.
    kernel_name : str, optional
        The kernel spec the notebook asks for.

    Returns
    -------
    dict
        An nbformat-4 notebook.

    Examples
    --------
    >>> nb = app_notebook("sin(x)")
    >>> nb["cells"][0]["source"].splitlines()
    ['import jacviz', '', "jacviz.JacobianExplorer(function='sin(x)')"]
    >>> app_notebook()["cells"][0]["source"].splitlines()[-1]
    'jacviz.JacobianExplorer()'
    """
    arguments = "" if function is None else f"function={function!r}"
    source = f"import jacviz\n\njacviz.JacobianExplorer({arguments})"
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "id": "jacviz-explorer",
        "metadata": {},
        "outputs": [],
        "source": source,
    }
    kernelspec = {"name": kernel_name, "display_name": "Python 3", "language": "python"}
    return {
        "cells": [cell],
        "metadata": {
            "kernelspec": kernelspec,
            "language_info": {"name": "python"},
            "title": PAGE_TITLE,  # the page's <title> in Voila (WCAG 2.4.2)
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def kernel_spec(memory_limit_mb):
    """Build the kernel spec (``kernel.json``) of the app's kernels: this Python, limited.

    Parameters
    ----------
    memory_limit_mb : int
        Address space of each kernel in MB (``RLIMIT_AS``); 0 for no limit.

    Returns
    -------
    dict
        A Jupyter kernel spec whose ``argv`` runs ``python -m jacviz.app.kernel``.

    Examples
    --------
    >>> kernel_spec(2048)["argv"][1:]
    ['-m', 'jacviz.app.kernel', '--memory-limit', '2048', '-f', '{connection_file}']
    """
    argv = [sys.executable, "-m", "jacviz.app.kernel", "--memory-limit", str(memory_limit_mb)]
    return {
        "argv": [*argv, "-f", "{connection_file}"],
        "display_name": "jacviz app",
        "language": "python",
        "metadata": {"debugger": False},
    }


def write_app_files(folder, function, memory_limit_mb):
    """Write the app notebook and its kernel spec into ``folder``.

    Parameters
    ----------
    folder : path-like
        An empty folder; it gets ``jacviz_explorer.ipynb`` and
        ``kernels/jacviz-app/kernel.json`` (put ``folder`` on ``JUPYTER_PATH``).
    function : str or None
        Initial formula of the explorer.
    memory_limit_mb : int
        See :func:`kernel_spec`.

    Returns
    -------
    pathlib.Path
        The notebook.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     write_app_files(folder, "x**2", 1024).name
    'jacviz_explorer.ipynb'
    """
    folder = pathlib.Path(folder)
    spec_folder = folder / "kernels" / KERNEL_NAME
    spec_folder.mkdir(parents=True)
    _write_json(spec_folder / "kernel.json", kernel_spec(memory_limit_mb))
    notebook = folder / "jacviz_explorer.ipynb"
    _write_json(notebook, app_notebook(function, kernel_name=KERNEL_NAME))
    return notebook


def _write_json(path, data):
    """Write ``data`` as indented JSON (UTF-8)."""
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
