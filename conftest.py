"""pytest's view of the checkout: leave out modules whose optional extra is not installed.

``--doctest-modules`` imports every module under ``jacviz/``. The class server's Solara page
(``jacviz/classroom/_page.py``) needs the ``server`` extra, which an environment without it
(the lowest-versions column, a user's ``pip install jacviz[test]``) does not have; there the
page is not collected rather than failing the whole collection.
"""

from importlib.util import find_spec

collect_ignore = [] if find_spec("solara") else ["jacviz/classroom/_page.py"]
