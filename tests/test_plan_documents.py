"""Plans as documents: a dict, JSON text or TOML text; strict types; the schema as strict
as the loader; no recursion a document can drive."""

from __future__ import annotations

import copy
import json
import tomllib
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import jointbonus
from jointbonus import gainsharing
from jointbonus.cli import gainsharing as gainsharing_cli
from jointbonus.cli import shared as shared_cli
from jointbonus.errors import ArgumentError, PlanError, Problem
from jointbonus.io.reading import MAX_DEPTH, too_deep

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "digital_manufacturing" / "plan.toml"
SCANLON = ROOT / "examples" / "gainsharing" / "scanlon.toml"
PLANS = sorted((ROOT / "examples").rglob("plan.toml"))
GAINSHARING_PLANS = sorted((ROOT / "examples" / "gainsharing").glob("*.toml"))


def table(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)


def as_json(value: Any) -> Any:
    """TOML settings as a JSON document holds them: dates and times as text."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def problems_of(load: Callable[[], object]) -> tuple[Problem, ...]:
    with pytest.raises(PlanError) as caught:
        load()
    return caught.value.problems


# -- the same plan from a file, a dict, JSON text and TOML text --------------------------


def test_a_dict_json_text_and_toml_text_give_the_plan_the_file_gives() -> None:
    from_file = jointbonus.load_plan(EXAMPLE)
    text = EXAMPLE.read_text(encoding="utf-8")
    settings = table(EXAMPLE)
    as_json = json.dumps(settings, default=str)  # Decimals as text, which the plan takes
    folder = EXAMPLE.parent
    assert jointbonus.load_plan_document(settings, base_dir=folder) == from_file
    assert jointbonus.load_plan_document(text, format="toml", base_dir=folder) == from_file
    assert jointbonus.load_plan_document(text.encode(), format="toml", base_dir=folder) == (
        from_file
    )
    assert jointbonus.load_plan_document(as_json, format="json", base_dir=folder) == from_file
    document = jointbonus.load_plan_document(settings, base_dir=folder, source="hr-system")
    assert document.provenance is not None
    assert document.provenance.plan_file == "hr-system"


def test_a_gainsharing_document_gives_the_plan_its_file_gives() -> None:
    from_file = gainsharing.load_plan(SCANLON)
    folder = SCANLON.parent
    assert gainsharing.load_plan_document(table(SCANLON), base_dir=folder) == from_file
    text = SCANLON.read_text(encoding="utf-8")
    assert gainsharing.load_plan_document(text, format="toml", base_dir=folder) == from_file


def test_a_document_naming_files_needs_a_base_dir() -> None:
    found = problems_of(lambda: jointbonus.load_plan_document(table(EXAMPLE)))
    assert [p.field for p in found] == ["roster.file", "shared.file", "history.file"]
    assert all("base_dir" in p.expected and p.file == "plan document" for p in found)
    found = problems_of(lambda: gainsharing.load_plan_document(table(SCANLON)))
    assert {p.field for p in found} == {"roster.file", "gainsharing.file"}


def test_a_base_dir_that_is_not_a_folder_is_refused(tmp_path: Path) -> None:
    found = problems_of(
        lambda: jointbonus.load_plan_document(table(EXAMPLE), base_dir=tmp_path / "nowhere")
    )
    assert found[0].field == "base_dir"
    assert found[0].expected == "an existing folder"


def test_document_paths_stay_inside_base_dir() -> None:
    settings = table(EXAMPLE)
    settings["roster"]["file"] = "../../pyproject.toml"
    found = problems_of(lambda: jointbonus.load_plan_document(settings, base_dir=EXAMPLE.parent))
    assert [(p.field, p.value) for p in found] == [("roster.file", "../../pyproject.toml")]
    assert "inside the plan's folder" in found[0].expected


def test_problems_are_located_by_their_path_in_the_document() -> None:
    settings = table(EXAMPLE)
    settings["teams"]["sales"]["goals"][1]["weight"] = "1.5"
    found = problems_of(
        lambda: jointbonus.load_plan_document(settings, base_dir=EXAMPLE.parent, source="hr")
    )
    assert [(p.file, p.line, p.field, p.value) for p in found] == [
        ("hr", None, "teams.sales.goals[1].weight", "1.5")
    ]
    text = EXAMPLE.read_text(encoding="utf-8").replace("weight = 1\n", "weight = 1.5\n")
    found = problems_of(
        lambda: jointbonus.load_plan_document(text, format="toml", base_dir=EXAMPLE.parent)
    )
    line = text.splitlines().index("weight = 1.5") + 1
    assert [(p.line, p.field) for p in found] == [(line, "teams.marketing.goals[0].weight")]


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ('{\n  "name": "x",\n  "currency": "USD",\n}', 4, "valid JSON"),
        ('{"months": NaN}', None, "NaN is not a number JSON allows"),
        ('{"months": 12, "months": 13}', None, "given twice"),
        ("[1, 2]", 1, "one JSON object of settings"),
        ("[" * 100_000 + "]" * 100_000, None, "nested so deeply"),
    ],
)
def test_bad_json_text_is_located(text: str, line: int | None, expected: str) -> None:
    found = problems_of(lambda: jointbonus.load_plan_document(text, format="json"))
    assert len(found) == 1
    assert found[0].line == line
    assert expected in found[0].expected


@pytest.mark.parametrize(
    ("document", "kwargs", "field"),
    [
        ("name = 'x'", {}, "format"),
        ({"name": "x"}, {"format": "json"}, "format"),
        (b"name = '\xff'", {"format": "toml"}, "encoding"),
        ("name = '\x00'", {"format": "toml"}, "encoding"),
    ],
)
def test_a_document_of_the_wrong_form_is_refused(
    document: object, kwargs: dict[str, str], field: str
) -> None:
    found = problems_of(lambda: jointbonus.load_plan_document(document, **kwargs))  # type: ignore[arg-type]
    assert [p.field for p in found] == [field]


@pytest.mark.parametrize(
    ("arguments", "phrase"),
    [
        ({"document": 42}, "document: got int 42, expected a dict of settings, or JSON or TOML"),
        ({"format": "yaml"}, 'format: got str \'yaml\', expected None (a dict), "json" or "toml"'),
        ({"base_dir": 5}, "base_dir: got int 5, expected a path"),
        ({"source": None}, "source: got None, expected a name for the document"),
    ],
)
def test_an_argument_of_the_wrong_kind_is_named(arguments: dict[str, Any], phrase: str) -> None:
    with pytest.raises(ArgumentError) as caught:
        jointbonus.load_plan_document(**{"document": "name = 'x'", **arguments})
    assert phrase in str(caught.value)


# -- nesting: no recursion a document can drive ------------------------------------------


def test_a_thousand_level_dotted_header_is_a_located_problem(tmp_path: Path) -> None:
    folder = tmp_path / "plan"
    folder.mkdir()
    header = "[" + ".".join(["a"] * 1000) + "]\n"
    (folder / "plan.toml").write_text('name = "x"\n' + header, encoding="utf-8")
    assert len(header) > 1999  # the 2.5 KB file of the report
    found = problems_of(lambda: jointbonus.load_plan(folder / "plan.toml"))
    assert len(found) == 1
    assert (found[0].file, found[0].line) == ("plan.toml", 2)
    assert found[0].field == "a.a.a.a..."
    assert f"at most {MAX_DEPTH} deep" in found[0].expected
    assert "nested" in str(PlanError(found))


def test_deep_and_self_containing_dicts_are_refused_without_recursion() -> None:
    deep: dict[str, Any] = {}
    inner = deep
    for _ in range(5000):
        inner["a"] = {}
        inner = inner["a"]
    looped: dict[str, Any] = {"name": "x"}
    looped["teams"] = looped
    nested: list[Any] = [1]
    for _ in range(MAX_DEPTH):
        nested = [nested]
    for document in (deep, looped, {"versions": nested}):
        found = problems_of(lambda document=document: jointbonus.load_plan_document(document))
        assert len(found) == 1
        assert "deep" in found[0].expected
        assert "..." in found[0].field


def test_depth_is_measured_to_the_limit_and_no_further() -> None:
    assert too_deep({"a": [{"b": [1]}]}) is None
    assert too_deep([[1]], limit=1) == (0,)
    assert too_deep({"a": {"b": {}}}, limit=2) == ("a", "b")
    assert too_deep(table(EXAMPLE)) is None


# -- strict types --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("months = 12", "months = 12.0", "months", "not a number with a decimal point"),
        ("months = 12", 'months = "12"', "months", "not text in quotes"),
        ("months = 12", "months = true", "months", "not true or false"),
        ("months = 12", "months = 12\nminor_unit = true", "minor_unit", "not true or false"),
        ("months = 12", "months = 12\nminor_unit = 2.0", "minor_unit", "a decimal point"),
        (
            "pay_leavers_for_exit_month = false",
            'pay_leavers_for_exit_month = "no"',
            "roster.pay_leavers_for_exit_month",
            "true or false, written without quotes (not text in quotes)",
        ),
        (
            "pay_leavers_for_exit_month = false",
            "pay_leavers_for_exit_month = 0",
            "roster.pay_leavers_for_exit_month",
            "(not a value of type int)",
        ),
    ],
)
def test_counts_and_flags_take_their_own_type_only(
    old: str, new: str, field: str, words: str
) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    bad = text.replace(old, new, 1)
    found = problems_of(
        lambda: jointbonus.load_plan_document(bad, format="toml", base_dir=EXAMPLE.parent)
    )
    assert [p.field for p in found] == [field]
    assert words in found[0].expected
    lines = [
        n
        for n, line in enumerate(bad.splitlines(), 1)
        if line.startswith(new.rsplit("\n", maxsplit=1)[-1])
    ]
    assert [found[0].line] == lines


def test_every_example_plan_still_loads_and_fits_the_schema() -> None:
    shared = jsonschema.Draft202012Validator(shared_cli.schema())
    for path in PLANS:
        jointbonus.load_plan(path)
        assert not list(shared.iter_errors(as_json(table(path)))), path
    sharing = jsonschema.Draft202012Validator(gainsharing_cli.schema())
    for path in GAINSHARING_PLANS:
        gainsharing.load_plan(path)
        assert not list(sharing.iter_errors(as_json(table(path)))), path


# -- the schema refuses what the loader refuses --------------------------------------------

DELETE = object()

#: (setting path, a value the loader refuses). Each is set in the example's settings,
#: loaded, and checked against the schema.
SHARED_REFUSALS: list[tuple[tuple[str | int, ...], object]] = [
    (("currency",), "usd"),
    (("currency",), "US"),
    (("currency",), 840),
    (("currency",), "XYZ"),  # unknown, without minor_unit
    (("minor_unit",), True),
    (("minor_unit",), Decimal("2.0")),
    (("minor_unit",), "2"),
    (("minor_unit",), 5),
    (("minor_unit",), -1),
    (("minor_unit",), 1),  # USD has 2 decimals
    (("months",), Decimal("12.0")),
    (("months",), "12"),
    (("months",), True),
    (("months",), 0),
    (("months",), 121),
    (("start",), "2026-13"),
    (("start",), "2026-00"),
    (("start",), "0000-01"),
    (("start",), "2026-1"),
    (("start",), 202601),
    (("name",), ""),
    (("name",), 5),
    (("bogus",), 1),
    (("roster", "pay_leavers_for_exit_month"), "false"),
    (("roster", "pay_leavers_for_exit_month"), 1),
    (("roster", "file"), DELETE),
    (("shared", "curve", "type"), "cliff"),
    (("shared", "curve", "threshold"), "-5"),
    (("shared", "curve", "threshold"), "0"),
    (("shared", "curve", "threshold"), 0),
    (("shared", "curve", "threshold"), "abc"),
    (("shared", "curve", "threshold"), "1e30"),
    (("shared", "curve", "threshold"), Decimal("1E+30")),
    (("shared", "curve", "threshold"), "1,000"),
    (("shared", "curve", "threshold"), ".95"),  # the grammar: digits before the point
    (("shared", "curve", "threshold"), "1."),
    (("shared", "curve", "points"), [[1, 1]]),  # a step curve takes no points
    (("shared", "period"), "week"),
    (("funding", "style"), "bonus"),
    (("funding", "split"), "all"),
    (("funding", "holdback"), 1),
    (("funding", "holdback"), "1"),
    (("funding", "holdback"), "-0.1"),
    (("funding", "holdback"), Decimal("1.5")),
    (("funding", "target_bonus_multiplier"), "1.5"),  # pool funding
    (("funding", "pool_at_target"), "-5"),
    (("history", "window"), 0),
    (("history", "window"), 121),
    (("history", "window"), Decimal("12.0")),
    (("history", "window"), "12"),
    (("history", "norm"), "median"),
    (("history", "uplift"), "ten"),
    (("calibration", "neutrality"), "fair"),
    (("calibration", "budget"), "-5"),
    (("calibration", "budget"), "lots"),
    (("calibration", "budget"), "from_budget"),
    (("teams", "sales", "expected_shared_split"), "1.5"),
    (("teams", "sales", "expected_shared_split"), Decimal("-0.1")),
    (("teams", "sales", "shared_weight"), "0.5"),  # and expected_shared_split: both
    (("teams", "sales", "goals", 0, "weight"), 0),
    (("teams", "sales", "goals", 0, "weight"), "1.5"),
    (("teams", "sales", "goals", 0, "weight"), Decimal(2)),
    (("teams", "sales", "goals", 0, "metric"), "Bad Name"),
    (("teams", "sales", "goals", 1, "curve", "threshold"), 1),  # a linear curve
    (("teams", "sales", "goals", 1, "curve", "points"), DELETE),
    (("teams", "sales", "goals", 1, "curve", "points"), [[1, 1, 1]]),
    (("teams", "sales", "goals", 0, "gate"), {"metric": "revenue", "attainment": 0}),
    (("caps", "per_month"), "-5"),
    (("caps", "per_month"), "0"),
    (("caps", "per_month"), 0),
    (("caps", "per_year"), "abc"),
    (("gates", "functional_gate"), 0),
    (("gates", "shared_gate"), "-1"),
    (("metrics",), {"leads_accepted": {"figure": "leads_delivered"}}),  # source "file"
    (("metrics",), {"leads_accepted": {"window": 0}}),
    (("metrics",), {"leads_accepted": {"window": True}}),
    (("metrics",), {"leads_accepted": {"source": "crm"}}),
    (("metrics",), {"Leads": {}}),
    (("ledger", "overpayments"), "forgiven"),
    (("ledger", "path"), ""),
]

INDIVIDUAL_REFUSALS: list[tuple[tuple[str | int, ...], object]] = [
    (("funding", "pool_at_target"), "1000"),
    (("funding", "split"), "salary"),
]

GAINSHARING_REFUSALS: list[tuple[tuple[str | int, ...], object]] = [
    (("kind",), "shared"),
    (("currency",), "eur"),
    (("months",), "12"),
    (("roster", "pay_leavers_for_exit_period"), "yes"),
    (("gainsharing", "formula"), "improshare"),
    (("gainsharing", "employee_share"), "1.5"),
    (("gainsharing", "employee_share"), Decimal("-0.5")),
    (("gainsharing", "reserve_share"), 2),
    (("gainsharing", "holdback"), 1),
    (("gainsharing", "base_period", "first"), "2024-13"),
    (("gainsharing", "period"), "week"),
]


def with_value(settings: dict[str, Any], path: tuple[str | int, ...], value: object) -> Any:
    document = copy.deepcopy(settings)
    place: Any = document
    for part in path[:-1]:
        place = place.setdefault(part, {}) if isinstance(place, dict) else place[part]
    if value is DELETE:
        del place[path[-1]]
    else:
        place[path[-1]] = value
    return document


def individual(settings: dict[str, Any]) -> dict[str, Any]:
    document = copy.deepcopy(settings)
    document["funding"] = {"style": "individual"}
    return document


def name(case: tuple[tuple[str | int, ...], object]) -> str:
    return f"{'.'.join(map(str, case[0]))}={case[1]!r}"


@pytest.mark.parametrize("case", SHARED_REFUSALS, ids=name)
def test_the_schema_refuses_what_the_loader_refuses(
    case: tuple[tuple[str | int, ...], object],
) -> None:
    check_refused(table(EXAMPLE), *case, EXAMPLE.parent, shared=True)


@pytest.mark.parametrize("case", INDIVIDUAL_REFUSALS, ids=name)
def test_the_schema_refuses_what_individual_funding_refuses(
    case: tuple[tuple[str | int, ...], object],
) -> None:
    base = individual(table(EXAMPLE))
    jointbonus.load_plan_document(base, base_dir=EXAMPLE.parent)  # the base itself is fine
    check_refused(base, *case, EXAMPLE.parent, shared=True)


@pytest.mark.parametrize("case", GAINSHARING_REFUSALS, ids=name)
def test_the_gainsharing_schema_refuses_what_its_loader_refuses(
    case: tuple[tuple[str | int, ...], object],
) -> None:
    check_refused(table(SCANLON), *case, SCANLON.parent, shared=False)


def check_refused(
    settings: dict[str, Any],
    path: tuple[str | int, ...],
    value: object,
    folder: Path,
    *,
    shared: bool,
) -> None:
    document = with_value(settings, path, value)
    load = jointbonus.load_plan_document if shared else gainsharing.load_plan_document
    found = problems_of(lambda: load(document, base_dir=folder))
    assert found, "the loader must refuse the value"
    schema = shared_cli.schema() if shared else gainsharing_cli.schema()
    assert not list(jsonschema.Draft202012Validator(schema).iter_errors(settings))
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(document))
    assert errors, f"the schema takes {value!r} at {path}; the loader said {found[0]}"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("currency",), " EUR "),
        (("currency",), "XYZ"),  # unknown, given its minor_unit below
        (("start",), " 2026-01 "),
        (("shared", "curve", "threshold"), "0.95"),
        (("shared", "curve", "threshold"), "+1.0"),
        (("funding", "holdback"), "0.2"),
        (("funding", "holdback"), "-0"),
        (("teams", "sales", "expected_shared_split"), "1.000"),
        (("teams", "sales", "goals", 0, "weight"), "0.50"),
        (("calibration", "budget"), "from_history"),
    ],
)
def test_the_schema_takes_what_the_loader_takes(path: tuple[str, ...], value: object) -> None:
    document = with_value(table(EXAMPLE), path, value)
    if value == "XYZ":
        document["minor_unit"] = 2
    jointbonus.load_plan_document(document, base_dir=EXAMPLE.parent)
    assert not list(jsonschema.Draft202012Validator(shared_cli.schema()).iter_errors(document))
