"""The app's settings: the command-line options, checked, and the token decision.

Standard library only, so ``jacviz app --help`` works without Voila.
"""

import argparse
import ipaddress
import re
import secrets
from typing import NamedTuple

DEFAULT_IP = "127.0.0.1"
DEFAULT_PORT = 8866
# A class of 30-200 students on one machine: a kernel holds ~120 MB (measured), its
# address space ~1 GB before any work. Voila 0.5 keeps a kernel after its tab is closed or
# reloaded (measured) and a new page never reuses it: culling frees it after 2 minutes.
DEFAULT_MAX_KERNELS = 100
DEFAULT_MEMORY_LIMIT_MB = 2048
DEFAULT_CULL_AFTER = 120
DEFAULT_PREHEAT = 2
#: The engines ``--server`` chooses from: a Voila kernel (a process) per page, or one
#: Solara process with a virtual kernel per page (the ``server`` extra).
SERVERS = ("voila", "solara")
_TOKEN = re.compile(r"[A-Za-z0-9_.~-]{8,256}")
_BASE_URL = re.compile(r"[A-Za-z0-9_.~/-]*")


class AppSettings(NamedTuple):
    """Everything ``jacviz app`` needs to serve the explorer, checked.

    ``token`` is None when the app is open to anyone who can reach it.
    """

    function: str | None = None
    ip: str = DEFAULT_IP
    port: int = DEFAULT_PORT
    base_url: str = "/"
    token: str | None = None
    open_browser: bool = True
    max_kernels: int = DEFAULT_MAX_KERNELS
    memory_limit_mb: int = DEFAULT_MEMORY_LIMIT_MB
    cull_after: int = DEFAULT_CULL_AFTER
    cull_connected: bool = False
    preheat: int = DEFAULT_PREHEAT
    server: str = "voila"


def is_loopback(ip):
    """Return True when ``ip`` is reachable from this machine only.

    Parameters
    ----------
    ip : str
        An address or host name, as given to ``--ip``.

    Returns
    -------
    bool
        True for ``localhost`` and the loopback addresses (``127.0.0.0/8``,
        ``::1``); False for everything else, ``0.0.0.0`` and host names included.

    Examples
    --------
    >>> [is_loopback(ip) for ip in ["127.0.0.1", "localhost", "::1", "0.0.0.0", "lab.example"]]
    [True, True, True, False, False]
    """
    if ip == "localhost":
        return True
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return False


def choose_token(ip, token=None, no_token=False, *, new_token=secrets.token_urlsafe):
    """Return the token the app asks for, or None when it asks for none.

    Off loopback a token is required: the one given, else a new random one,
    unless ``no_token`` says explicitly that anyone who reaches the address
    may use the app.

    Parameters
    ----------
    ip : str
        The address the app listens on.
    token : str, optional
        A token chosen by the user (``--token``).
    no_token : bool, optional
        Serve without a token even off loopback (``--no-token``).
    new_token : callable, optional
        Makes a new token; :func:`secrets.token_urlsafe` by default.

    Returns
    -------
    str or None

    Examples
    --------
    >>> choose_token("127.0.0.1") is None
    True
    >>> choose_token("0.0.0.0", new_token=lambda: "fresh-token")
    'fresh-token'
    >>> choose_token("0.0.0.0", no_token=True) is None
    True
    """
    if token is not None:
        return token
    if no_token or is_loopback(ip):
        return None
    return new_token()


def full_message(max_kernels):
    """Return what a visitor reads when ``max_kernels`` kernels are already live.

    ASCII on one line: it is sent as the HTTP reason phrase and shown on the page.

    Parameters
    ----------
    max_kernels : int
        The cap.

    Returns
    -------
    str

    Examples
    --------
    >>> print(full_message(60))
    The class is full: all 60 explorers this server runs at once are in use.
    Please try again in a minute.
    """
    return (
        f"The class is full: all {max_kernels} explorers this server runs at once are in use. "
        "Please try again in a minute."
    )


def add_arguments(parser):
    """Add the app's options (``--ip``, ``--port``, ``--token``, ...) to ``parser``.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The parser of ``jacviz app`` or ``jacviz-app``.

    Returns
    -------
    argparse.ArgumentParser
        The same parser.

    Examples
    --------
    >>> args = add_arguments(argparse.ArgumentParser()).parse_args(["--port", "9000"])
    >>> args.port, args.ip
    (9000, '127.0.0.1')
    """
    parser.add_argument("--function", help="initial formula, e.g. 'x**3'")
    parser.add_argument(
        "--server",
        choices=SERVERS,
        default="voila",
        help="voila: one kernel process per page (default); solara: every page served from "
        "one Python process, megabytes per student instead of a process each "
        "(needs jacviz[server])",
    )
    where = parser.add_argument_group("where the app listens")
    where.add_argument(
        "--ip",
        default=DEFAULT_IP,
        help=f"address to listen on (default: {DEFAULT_IP}, this machine only); "
        "any other address requires a token",
    )
    where.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, help="TCP port (default: %(default)s)"
    )
    where.add_argument(
        "--base-url", type=_base_url, default="/", help="URL prefix behind a proxy, e.g. /jacviz/"
    )
    where.add_argument(
        "--no-browser", dest="open_browser", action="store_false", help="do not open a browser"
    )
    token = where.add_mutually_exclusive_group()
    token.add_argument(
        "--token",
        type=_token,
        help="the token visitors need (default: a new random one off loopback, none on it)",
    )
    token.add_argument(
        "--no-token",
        action="store_true",
        help="serve without a token even off loopback: anyone who reaches the address may use it",
    )
    kernels = parser.add_argument_group(
        "kernels (one per open page; with --server solara a virtual kernel, a session)"
    )
    kernels.add_argument(
        "--max-kernels",
        type=_count,
        metavar="N",
        default=DEFAULT_MAX_KERNELS,
        help="at most this many live kernels; the next visitor is asked to come back "
        "(default: %(default)s; 0: no cap)",
    )
    kernels.add_argument(
        "--memory-limit",
        type=_count,
        default=DEFAULT_MEMORY_LIMIT_MB,
        metavar="MB",
        help="address space of each kernel, in MB (default: %(default)s; 0: no limit; Voila only)",
    )
    kernels.add_argument(
        "--cull-after",
        type=_count,
        default=DEFAULT_CULL_AFTER,
        metavar="SECONDS",
        help="shut down a kernel idle this long with no page connected "
        "(default: %(default)s; 0: never)",
    )
    kernels.add_argument(
        "--cull-connected",
        action="store_true",
        help="also shut down idle kernels whose page is still open (Voila only)",
    )
    kernels.add_argument(
        "--preheat",
        type=_count,
        default=DEFAULT_PREHEAT,
        metavar="N",
        help="keep N kernels started with the explorer drawn, for the next visitors "
        "(default: %(default)s; 0: off; Voila only)",
    )
    return parser


def settings_from_args(args, *, new_token=secrets.token_urlsafe):
    """Turn parsed options into :class:`AppSettings`, choosing the token.

    Parameters
    ----------
    args : argparse.Namespace
        Options parsed by a parser given :func:`add_arguments`.
    new_token : callable, optional
        Makes a new token (see :func:`choose_token`).

    Returns
    -------
    AppSettings

    Examples
    --------
    >>> parser = add_arguments(argparse.ArgumentParser())
    >>> args = parser.parse_args(["--ip", "0.0.0.0"])
    >>> settings_from_args(args, new_token=lambda: "fresh-token").token
    'fresh-token'
    """
    return AppSettings(
        function=args.function,
        ip=args.ip,
        port=args.port,
        base_url=args.base_url,
        token=choose_token(args.ip, args.token, args.no_token, new_token=new_token),
        open_browser=args.open_browser,
        max_kernels=args.max_kernels,
        memory_limit_mb=args.memory_limit,
        cull_after=args.cull_after,
        cull_connected=args.cull_connected,
        preheat=args.preheat,
        server=args.server,
    )


def _port(text):
    """Argparse type: an int in 1..65535."""
    port = _count(text)
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be in 1..65535, got {port}")
    return port


def _count(text):
    """Argparse type: a whole number >= 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {value}")
    return value


def _token(text):
    """Argparse type: 8 to 256 URL-safe characters, so the printed URL works as it is."""
    if not _TOKEN.fullmatch(text):
        raise argparse.ArgumentTypeError("a token is 8 to 256 characters from A-Z a-z 0-9 _ . ~ -")
    return text


def _base_url(text):
    """Argparse type: a URL path, returned with one leading and one trailing slash."""
    if not _BASE_URL.fullmatch(text) or "//" in text.strip("/"):
        raise argparse.ArgumentTypeError(
            f"a base URL is a path such as /jacviz/ (A-Z a-z 0-9 _ . ~ - /), got {text!r}"
        )
    path = text.strip("/")
    return f"/{path}/" if path else "/"
