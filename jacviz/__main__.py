"""``python -m jacviz``: the ``jacviz`` command (see :mod:`jacviz.cli`)."""

from jacviz.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
