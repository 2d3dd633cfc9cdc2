"""The app's kernel: an IPython kernel whose address space is limited.

``python -m jacviz.app.kernel --memory-limit MB -f CONNECTION_FILE`` sets
``RLIMIT_AS`` to ``MB`` megabytes (0: no limit), then starts ipykernel in this
process. An allocation past the limit raises ``MemoryError`` in the kernel --
the explorer shows it in its error area and keeps the last picture -- instead
of the machine swapping for the whole class; a ``MemoryError`` in a cell says
which limit it hit. The kernel spec of ``jacviz app`` runs this module.

The kernel loads ipywidgets as an IPython extension (``--ext=ipywidgets``) at
start, which registers the ``jupyter.widget.control`` comm target. ipywidgets
registers it by itself when imported inside a running IPython, but this module
imports :mod:`jacviz` (and with it ipywidgets) before the kernel exists, so
without the extension the target is missing: Voila's page then asks for the
widgets' states one ``request_state`` message per widget instead of one
``request_states`` on the control comm: 485 WebSocket frames until the first
picture instead of 18 (``benchmarks/bench_classroom.py --students 1``), and a
class of thirty pages opened at once saw no picture.

Imports ipykernel (inside :func:`main`), which the ``app`` extra installs.
"""

import argparse
import resource

__all__ = ["KERNEL_OPTIONS", "limit_memory", "main", "memory_message"]

#: What the kernel adds to ipykernel's own arguments: the widgets' control comm target.
KERNEL_OPTIONS = ("--ext=ipywidgets",)


def limit_memory(limit_mb):
    """Limit this process's address space (``RLIMIT_AS``) to ``limit_mb`` megabytes.

    Parameters
    ----------
    limit_mb : int
        The limit in MB (2**20 bytes); 0 leaves the limit as it is.

    Returns
    -------
    int or None
        The limit now in force, in bytes (None when unchanged).

    Raises
    ------
    ValueError
        If the limit is above the hard limit already in force.

    Examples
    --------
    >>> limit_memory(0) is None
    True
    """
    if not limit_mb:
        return None
    limit = limit_mb * 2**20
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return limit


def memory_message(error, limit_mb):
    """Say that ``error`` (a ``MemoryError``) hit the kernel's memory limit.

    Parameters
    ----------
    error : MemoryError
        What the allocation raised.
    limit_mb : int
        The kernel's limit in MB.

    Returns
    -------
    str

    Examples
    --------
    >>> print(memory_message(MemoryError("Unable to allocate 8 GiB"), 2048))
    Unable to allocate 8 GiB -- this kernel may use at most 2048 MB
    (jacviz app --memory-limit); try a smaller batch or formula
    """
    return (
        f"{error} -- this kernel may use at most {limit_mb} MB "
        "(jacviz app --memory-limit); try a smaller batch or formula"
    )


def main(argv=None):
    """Limit the memory, then run an IPython kernel in this process until it is shut down.

    Parameters
    ----------
    argv : list of str, optional
        ``--memory-limit MB`` and ipykernel's own arguments (``-f FILE``);
        ``sys.argv[1:]`` when omitted.
    """
    parser = argparse.ArgumentParser(prog="python -m jacviz.app.kernel")
    parser.add_argument("--memory-limit", type=int, default=0, metavar="MB")
    args, kernel_args = parser.parse_known_args(argv)
    limit_memory(args.memory_limit)

    from ipykernel.kernelapp import IPKernelApp

    kernel = IPKernelApp.instance()
    kernel.initialize([*kernel_args, *KERNEL_OPTIONS])
    if args.memory_limit:
        kernel.shell.set_custom_exc((MemoryError,), _explain_memory_errors(args.memory_limit))
    kernel.start()


def _explain_memory_errors(limit_mb):
    """Return an IPython custom-exception handler that names the memory limit."""

    def explain(shell, etype, value, tb, tb_offset=None):
        error = MemoryError(memory_message(value, limit_mb))
        shell.showtraceback((etype, error, tb), tb_offset=tb_offset)

    return explain


if __name__ == "__main__":
    main()
