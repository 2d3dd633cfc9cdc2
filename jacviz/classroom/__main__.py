"""``python -m jacviz.classroom``: the class server, as ``jacviz app --server solara`` starts it.

Options on the command line; the token in ``$JACVIZ_APP_TOKEN`` (other users of
the machine can read command lines); the Solara settings in the environment
(:func:`jacviz.classroom.solara_environment`).
"""

import argparse
import os

from jacviz.app import TOKEN_ENV, solara_environment


def main(argv=None):
    """Parse the options and serve until stopped; return 0."""
    parser = argparse.ArgumentParser(prog="python -m jacviz.classroom")
    parser.add_argument("--ip", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--base-url", default="/")
    parser.add_argument("--max-sessions", type=int, default=0)
    parser.add_argument("--cull-after", type=int, default=120)
    args = parser.parse_args(argv)
    os.environ.update(solara_environment(args.cull_after))
    from jacviz.classroom._server import run  # imports solara: after the environment is set

    token = os.environ.get(TOKEN_ENV) or None
    return run(args.ip, args.port, token, args.max_sessions, args.base_url)


if __name__ == "__main__":
    raise SystemExit(main())
