"""The course notes show what their code prints.

In ``docs/course-notes.md`` a ```` ```python ```` block followed directly by a
```` ```text ```` block is a claim: running the code prints the text. Each such pair
is run here and compared line by line, so a table in the notes cannot drift from
what jacviz computes.
"""

import contextlib
import io
import re
from pathlib import Path

import pytest

NOTES = Path(__file__).resolve().parent.parent / "docs" / "course-notes.md"
PAIR = re.compile(
    r"```python\n(?P<code>(?:(?!```).)*)```\n\n```text\n(?P<text>(?:(?!```).)*)```", re.DOTALL
)


def pairs():
    """Return ``(code, printed text)`` for every python block followed by a text block."""
    return [(m.group("code"), m.group("text")) for m in PAIR.finditer(NOTES.read_text())]


def test_the_notes_show_at_least_one_run():
    assert len(pairs()) >= 1


@pytest.mark.parametrize(("code", "text"), pairs())
def test_a_code_block_prints_the_text_block_after_it(code, text):
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, str(NOTES), "exec"), {})  # the notes' own example, not user input
    assert printed.getvalue().splitlines() == text.splitlines()
