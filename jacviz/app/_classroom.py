"""The class server's command line and environment (``jacviz app --server solara``).

Standard library only: the server itself (:mod:`jacviz.classroom`) runs in a
child process, the one Python process that serves every student.
"""

import os
import secrets
import sys

from jacviz.app._options import AppSettings

#: The environment variables the class server reads: the token, the first formula.
TOKEN_ENV = "JACVIZ_APP_TOKEN"
FUNCTION_ENV = "JACVIZ_APP_FUNCTION"
#: What Solara is told before it is imported: our page, no telemetry, local assets, the title.
SOLARA_ENV = {
    "SOLARA_APP": "jacviz.classroom._page:Page",
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",  # no usage reports (and no IP look-up)
    # the page's scripts from the server's own copy (the solara-assets package), not a CDN
    "SOLARA_ASSETS_PROXY": "True",
    "SOLARA_THEME_TITLE": "jacviz explorer",
    "SOLARA_THEME_SHOW_BANNER": "False",
    # a page's messages are queued and sent by the server's event loop every 50 ms, instead
    # of its thread waiting for the loop to send each one: a new page sends ~130
    "SOLARA_EXPERIMENTAL_PERFORMANCE": "True",
}
#: "Never cull" for Solara: ten years.
NEVER = "3650d"


def solara_environment(cull_after, environ=None):
    """Return the ``SOLARA_*`` settings of the class server.

    Parameters
    ----------
    cull_after : int
        Seconds a session's kernel is kept after its page went away; 0 for never.
    environ : mapping, optional
        The environment to start from; ``os.environ`` when omitted.

    Returns
    -------
    dict

    Examples
    --------
    >>> env = solara_environment(120, {})
    >>> env["SOLARA_KERNEL_CULL_TIMEOUT"], env["SOLARA_APP"]
    ('120s', 'jacviz.classroom._page:Page')
    >>> len(env["SOLARA_SESSION_SECRET_KEY"]) > 20
    True
    """
    env = dict(os.environ if environ is None else environ)
    env.update(SOLARA_ENV)
    env["SOLARA_KERNEL_CULL_TIMEOUT"] = f"{cull_after}s" if cull_after else NEVER
    env.setdefault("SOLARA_SESSION_SECRET_KEY", secrets.token_urlsafe(32))
    return env


def classroom_command(settings=None):
    """Build the command line of the class server for :class:`AppSettings`.

    The token is not on it (see :func:`classroom_environment`). ``--memory-limit``
    and ``--preheat`` are Voila's (per kernel) and do not apply.

    Parameters
    ----------
    settings : AppSettings, optional
        Where to listen, the session cap and culling; the defaults when omitted.

    Returns
    -------
    list of str

    Examples
    --------
    >>> classroom_command(AppSettings(port=9000, max_kernels=200))[1:]
    ['-m', 'jacviz.classroom', '--ip', '127.0.0.1', '--port', '9000', '--base-url', '/', \
'--max-sessions', '200', '--cull-after', '120']
    """
    settings = AppSettings() if settings is None else settings
    return [
        sys.executable,
        "-m",
        "jacviz.classroom",
        *("--ip", settings.ip, "--port", str(settings.port), "--base-url", settings.base_url),
        *("--max-sessions", str(settings.max_kernels), "--cull-after", str(settings.cull_after)),
    ]


def classroom_environment(settings, environ=None):
    """Return the class server's environment: the token and the first formula.

    Parameters
    ----------
    settings : AppSettings
    environ : mapping, optional
        The environment to start from; ``os.environ`` when omitted.

    Returns
    -------
    dict

    Examples
    --------
    >>> env = classroom_environment(AppSettings(function="sin(x)", token="s3cret-token"), {})
    >>> env[TOKEN_ENV], env[FUNCTION_ENV]
    ('s3cret-token', 'sin(x)')
    """
    env = dict(os.environ if environ is None else environ)
    for name, value in ((TOKEN_ENV, settings.token), (FUNCTION_ENV, settings.function)):
        env.pop(name, None)
        if value is not None:
            env[name] = value
    return env
