"""Determinism: the same inputs give byte-identical output.

Across processes with different hash seeds (set and dict order of text
would differ), and whatever order the roster and the months come in.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import jointbonus
from strategies import examples, payable, plan_specs

EXAMPLE_PLAN = Path(__file__).parents[2] / "examples" / "digital_manufacturing" / "plan.toml"
HASH_SEEDS = ("0", "1", "2")

RUN_PLAN = """
import sys
import jointbonus
plan = jointbonus.load_plan(sys.argv[1])
document = jointbonus.result_document(jointbonus.run(plan))
sys.stdout.buffer.write(jointbonus.render_json(document).encode("utf-8"))
"""


def json_of(plan: jointbonus.Plan) -> str:
    return jointbonus.render_json(jointbonus.result_document(jointbonus.run(plan)))


def outputs_by_hash_seed(plan_file: Path) -> dict[str, bytes]:
    """The JSON document of ``plan_file`` computed by one process per hash seed, in parallel."""
    processes = {}
    for seed in HASH_SEEDS:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        processes[seed] = subprocess.Popen(
            [sys.executable, "-c", RUN_PLAN, str(plan_file)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
    outputs = {}
    for seed, process in processes.items():
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode("utf-8", "replace")
        outputs[seed] = out
    return outputs


def test_example_plan_json_is_byte_identical_across_hash_seeds():
    outputs = outputs_by_hash_seed(EXAMPLE_PLAN)
    in_process = json_of(jointbonus.load_plan(EXAMPLE_PLAN)).encode("utf-8")
    assert set(outputs.values()) == {in_process}


@examples(10)
@given(plan_specs(max_members=20))
def test_generated_plan_json_is_byte_identical_across_hash_seeds(spec):
    spec = payable(spec)
    with tempfile.TemporaryDirectory() as folder:
        plan_file = spec.write(Path(folder))
        outputs = outputs_by_hash_seed(plan_file)
        in_process = json_of(jointbonus.load_plan(plan_file)).encode("utf-8")
    assert set(outputs.values()) == {in_process}


@given(plan_specs(), st.randoms(use_true_random=False))
def test_json_is_identical_whatever_the_order_of_roster_and_months(spec, random):
    spec = payable(spec)
    members = list(spec.members)
    random.shuffle(members)
    shuffled = spec.kwargs(members)
    for name in ("targets", "actuals"):
        items = list(shuffled[name].items())
        random.shuffle(items)
        shuffled[name] = dict(items)
    assert json_of(jointbonus.build_plan(**shuffled)) == json_of(spec.build())


@examples(4)
@given(plan_specs())
def test_plan_file_gives_the_json_the_python_api_gives(spec):
    spec = payable(spec)
    with tempfile.TemporaryDirectory() as folder:
        loaded = jointbonus.load_plan(spec.write(Path(folder)))
    assert json_of(loaded) == json_of(spec.build())
