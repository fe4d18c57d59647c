"""Bad input on the command line, through the real entry point: one line on stderr, exit
status 1 or 2, never a traceback, and nothing saved on a refusal."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli.entry import assert_one_line_refusal, run, stored

#: Values no option takes as a good one, as a user (or a script) might type them.
BAD_VALUES = [
    "nan",
    "NaN",
    "inf",
    "-inf",
    "1e309",
    "1e3",
    "1_0",
    "\u0661\u0660",  # 10 in Arabic-Indic digits: int() reads it
    "0x10",
    "",
    "9" * 5000,
    "2147483648",
    "9223372036854775808",
    "-9223372036854775809",
    "0001-01-01 00:00",
    "9999-12-31 23:59",
    "yesterday 25:00",
    "a\udcffb",  # bytes that were not UTF-8, as Python hands them over
    "a\x00b",
    "true",
]
values = (
    st.sampled_from(BAD_VALUES)
    | st.text(max_size=12)
    | st.integers(min_value=-(2**70), max_value=2**70).map(str)
    | st.floats().map(str)
)

#: Every command that takes a value, with its value-taking options (run with one bad).
COMMANDS: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (("log", "pain"), ("", "--when")),
    (("log", "sitting"), ("", "--date")),
    (("log", "note"), ("",)),
    (("log", "break"), ("", "--when")),
    (("log", "checked"), ("",)),
    (
        ("log", "session"),
        ("--slot", "--skipped", "--sharp-pain", "--pain-before", "--pain-after", "--when"),
    ),
    (("log", "session", "--note"), ("",)),
    (
        ("assess", "--json", "--no-red-flags"),
        (
            "--thigh-angle-left",
            "--knee-left",
            "--knee-right",
            "--extension-left",
            "--sitting-hours",
            "--sign",
            "--thomas-left",
        ),
    ),
    (("assess", "--json"), ("--red-flag",)),
    (
        ("settings",),
        (
            "--sessions-per-day",
            "--block-weeks",
            "--break-minutes",
            "--work-days",
            "--work-hours",
            "--timezone",
        ),
    ),
    (("plan", "--json"), ("--week",)),
    (("history", "--json"), ("--limit",)),
]
#: A good value for an argument where one is needed besides the bad one.
GOOD = {("log", "pain"): "3", ("log", "sitting"): "6", ("log", "break"): "done"}


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(command=st.sampled_from(COMMANDS), value=values, data_=st.data())
def test_no_bad_value_is_a_traceback_or_saves_anything(
    assessed: None,
    capsys: pytest.CaptureFixture[str],
    command: tuple[tuple[str, ...], tuple[str, ...]],
    value: str,
    data_: st.DataObject,
):
    words, options = command
    option = data_.draw(st.sampled_from(options), label="option")
    if option == "":
        args = [*words, "--", value]  # the argument itself (even one like -1)
    else:
        good = GOOD.get(words)
        args = [*words, *([good] if good else []), f"{option}={value}"]
    before = stored()
    code, _, err = run(capsys, *args)
    if code != 0:
        assert_one_line_refusal(code, err)
        assert stored() == before


@pytest.mark.parametrize(
    "args",
    [
        ("log", "pain", "1_0"),
        ("log", "pain", "nan"),
        ("log", "sitting", "nan"),
        ("log", "sitting", "1e309"),
        ("log", "sitting", "inf"),
        ("log", "session", "--pain-before", "1_0"),
        ("log", "pain", "3", "--when", "0001-01-01 00:00"),
        ("log", "pain", "3", "--when", "9999-12-31 23:59"),
        ("log", "note", "a\udcffb"),
        ("log", "note", "a\x00b"),
        ("assess", "--json", "--no-red-flags"),
        ("assess", "--json", "--sitting-hours", "nan", "--no-red-flags"),
    ],
)
def test_each_known_bad_input_is_one_line_and_saves_nothing(
    database: str, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
):
    code, out, err = run(capsys, *args)
    assert_one_line_refusal(code, err)
    assert code == 2
    assert out == ""
    assert stored().empty


def test_an_empty_assessment_is_refused_and_starts_no_block(
    assessed: None, capsys: pytest.CaptureFixture[str]
):
    before = stored()
    code, _, err = run(capsys, "assess", "--json", "--no-red-flags")
    assert_one_line_refusal(code, err)
    assert "nothing to save" in err
    assert stored() == before


@pytest.mark.parametrize(
    "refused",
    [
        ("log", "session", "--pain-before", "11"),
        ("log", "session", "--pain-after", "-1"),
        ("log", "session", "--when", "9999-12-31 23:59"),
        ("log", "session", "--note", "a\x00b"),
        ("plan", "--json", "--week", "9"),
    ],
)
def test_a_refusal_does_not_start_a_new_assessments_block(
    assessed: None, capsys: pytest.CaptureFixture[str], refused: tuple[str, ...]
):
    """Found by the fuzz test above: a new baseline's block starts when its plan is first
    read, and these commands read it before checking the rest, so a refusal left a
    started block behind."""
    tight = ("--thomas-left", "raised", "--knee-left", "70", "--extension-left", "5")
    code, _, err = run(capsys, "assess", "--json", "--no-red-flags", *tight)
    assert code == 0, err
    before = stored()
    code, _, err = run(capsys, *refused)
    assert_one_line_refusal(code, err)
    assert stored() == before
