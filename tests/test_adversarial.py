"""The hostile corpus of issue #11: every case is refused with a clear message or evaluated.

The whole corpus (``tests/adversarial_corpus.py``, also timed by
``benchmarks/bench_adversarial.py``) runs once in a subprocess under an
address-space cap (``RLIMIT_AS``), so a case that blew up memory would fail
here instead of taking the test runner with it. For each case: no exception
escaped, the user reads the expected message (or none), and the explorer still
renders a good formula afterwards. No timing is asserted here.
"""

import json
import pathlib
import subprocess
import sys

import pytest
from adversarial_corpus import ENTRIES, OVER, corpus

HERE = pathlib.Path(__file__).resolve().parent
CAP_MB = 3000  # the explorer's imports take ~200 MB RSS, far more address space

RUNNER = f"""
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({CAP_MB} * 2**20, {CAP_MB} * 2**20))
sys.path.insert(0, {str(HERE)!r})
from adversarial_corpus import corpus, run_case
print(json.dumps([list(run_case(case)) for case in corpus()]))
"""

CASES = corpus()


@pytest.fixture(scope="module")
def outcomes():
    """Run every case in one capped subprocess: ``{name: Outcome as a list}``."""
    done = subprocess.run(
        [sys.executable, "-c", RUNNER], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    return {case.name: result for case, result in zip(CASES, results, strict=True)}


def test_the_corpus_is_large_and_names_are_unique():
    assert len(CASES) >= 60
    assert len({case.name for case in CASES}) == len(CASES)
    assert {case.kind for case in CASES} >= {"explorer", "api", "state", "paste", "python"}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_case_is_refused_clearly_or_evaluated(outcomes, case):
    message, _, escaped, renders, _, raised = outcomes[case.name]
    assert escaped == ""
    assert "internal error" not in message
    if case.expect:
        assert case.expect in message
    else:
        assert message == ""
    assert renders  # a good formula typed next still draws
    if case.kind == "api" and case.expect:  # the engine's refusals are ExpressionErrors
        assert raised == "ExpressionError"


@pytest.mark.parametrize(
    ("name", "shape"),
    [
        ("broadcast 3^8 order 1", (16, *[3] * 8, 8)),  # evaluated: 6561 outputs, windowed
        ("broadcast 2^12 order 1", (16, *[2] * 12, 8)),  # the rank-12 literal
        ("199-entry literal order 2", (16, 199, 8, 8)),
        ("API full of rank-8 broadcast, x (4, 4)", (4, *[3] * 8, 4, 4)),  # 3 s before
        ("API Jacobian x**3 at 10**5 x 4", (100_000, 4, 4)),  # big honest batches still work
    ],
)
def test_accepted_cases_give_the_whole_result(outcomes, name, shape):
    assert tuple(outcomes[name][1]) == shape


def test_refusals_name_the_size_the_limit_and_what_to_reduce(outcomes):
    entries, *_ = outcomes["broadcast 3^8 order full"]
    assert entries.startswith("the full Jacobian of 16 examples has 13,436,928 entries")
    assert "(at most 2,000,000): use fewer outputs per example" in entries
    work, *_ = outcomes["40 sines of 3^6 broadcast order 2"]
    assert work.startswith("the Hessian of 16 examples would compute about 3.34e+08 numbers")
    assert "(at most 2e+08)" in work and work.endswith("or order 1")


def test_a_refused_request_keeps_the_last_picture(outcomes):
    # the explorer started on x**3 at order "full": its result stays while the error shows
    message, shape, *_ = outcomes["broadcast 3^8 order full"]
    assert ENTRIES in message and tuple(shape) == (16, 8, 16, 8)
    message, shape, *_ = outcomes["40 sines of 3^6 broadcast order 2"]
    assert OVER in message and tuple(shape) == (16, 8, 8, 8)


def test_a_python_function_is_judged_by_its_output(outcomes):
    message, shape, *_ = outcomes["Python function, 80000 outputs"]
    assert message.startswith("the Jacobian of 16 examples has 10,240,000 entries")
    assert tuple(shape) == (16, 8, 8)  # the last good picture's
    assert tuple(outcomes["Python function, 800 outputs, full"][1]) == (16, 800, 16, 8)
