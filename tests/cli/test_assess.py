"""`hipflex assess`: the command-line contract, bad input, saving, and the wizard."""

from __future__ import annotations

import os
import pty
import sys
from pathlib import Path
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion

from tests.cli.conftest import Cli

TESTS = [
    "--thomas-left", "raised", "--knee-left", "85",
    "--thomas-right", "flat", "--knee-right", "75",
    "--extension-left", "8", "--extension-right", "12", "--compensated-right",
    "--sitting-hours", "7", "--sign", "swayback", "--sign", "tight_front_hips",
]  # fmt: skip
#: The tests' answers with the safety questions answered "none of them".
FULL = [*TESTS, "--no-red-flags"]


def test_json_contract(cli: Cli):
    out = cli.json("assess", "--json", *FULL)
    assert out["thomas"]["left"]["result"] == "tight_iliopsoas"
    assert out["thomas"]["right"]["result"] == "tight_rectus_femoris"
    assert out["hip_extension"]["left"] == {
        "result": "tight",
        "degrees": 8.0,
        "compensated": False,
        "method": "self",
        "pelvis_checked": None,
    }
    assert out["hip_extension"]["right"] == {
        "result": "tight",
        "degrees": 12.0,
        "compensated": True,
        "method": "self",
        "pelvis_checked": None,
    }
    assert {out["thomas"][side]["method"] for side in ("left", "right")} == {"self"}
    assert {out["thomas"][side]["pelvis_checked"] for side in ("left", "right")} == {None}
    assert out["sitting"] == {"hours": 7.0, "band": "high"}
    assert out["signs"] == {"present": ["tight_front_hips", "swayback"], "count": 2}
    assert out["red_flags"] == []
    assert out["safe_to_exercise"] is True
    assert out["sides"]["left"]["tight_muscles"] == ["iliopsoas"]
    assert out["sides"]["right"]["tight_muscles"] == ["rectus_femoris"]
    assert out["outcome"] == "tight"
    assert out["recorded"]["id"] == 1
    assert out["recorded"]["kind"] == "baseline"


def test_json_with_nothing_given_says_not_tested(cli: Cli):
    out = cli.json("assess", "--json", "--no-save", "--no-red-flags")
    for test in ("thomas", "hip_extension"):
        for side in ("left", "right"):
            assert out[test][side]["result"] == "not_tested"
    assert out["sitting"] == {"hours": None, "band": None}
    assert out["recorded"] is None


def test_measured_thigh_angle(cli: Cli):
    out = cli.json(
        "assess", "--json", "--thigh-angle-left", "5", "--knee-left", "80", "--no-red-flags"
    )
    assert out["thomas"]["left"]["result"] == "tight_iliopsoas"
    assert out["thomas"]["left"]["thigh"] == "raised"
    out = cli.json(
        "assess", "--json", "--thigh-angle-left", "0", "--knee-left", "79.9", "--no-red-flags"
    )
    assert out["thomas"]["left"]["result"] == "tight_rectus_femoris"


@pytest.mark.parametrize("flag", ["saddle_numbness", "night_pain"])
def test_red_flag_is_unsafe_and_shows_the_stop(cli: Cli, flag: str):
    out = cli.json("assess", "--json", *TESTS, "--red-flag", flag)
    assert out["red_flags"] == [flag]
    assert out["safe_to_exercise"] is False
    assert out["outcome"] == "red_flags"
    text = cli("assess", *TESTS, "--red-flag", flag)
    assert text.exit_code == 0
    assert "STOP" in text.output
    assert "clinician" in text.output
    assert "Next step" not in text.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--knee-left", "181", "--thomas-left", "flat"], "knee bend must be between 0 and 180"),
        (["--knee-left", "85"], "flat or rises"),
        (["--thomas-left", "up", "--knee-left", "85"], "unknown --thomas-left value 'up'"),
        (["--extension-right", "61"], "hip extension, right side"),
        (["--sitting-hours", "24.1"], "between 0 and 24"),
        (["--sitting-hours", "-0.1"], "between 0 and 24"),
        (["--sign", "headache"], "unknown sign 'headache'"),
        (["--red-flag", "dizzy"], "unknown red flag 'dizzy'"),
        (
            ["--thomas-left", "flat", "--thigh-angle-left", "10", "--knee-left", "85"],
            "give one or make them agree",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2_and_saves_nothing(cli: Cli, args: list[str], message: str):
    result = cli("assess", "--json", *args, *([] if "--red-flag" in args else ["--no-red-flags"]))
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("hipflex: error: ")
    assert message in lines[0]
    assert "Traceback" not in result.output
    assert cli.json("history", "--json") == []


def test_no_save_stores_nothing_and_save_is_listed_in_history(cli: Cli):
    cli.json("assess", "--json", "--no-save", *FULL)
    assert cli.json("history", "--json") == []
    cli.json("assess", "--json", *FULL)
    cli.json("assess", "--json", "--sitting-hours", "3", "--no-red-flags")
    listed = cli.json("history", "--json")
    assert [entry["sitting"]["hours"] for entry in listed] == [3.0, 7.0]
    assert listed[1]["thomas"]["left"]["knee_flexion_deg"] == 85.0
    table = cli("history")
    assert table.exit_code == 0
    assert "Your assessments" in table.output


def test_text_output_explains_each_finding(cli: Cli):
    result = cli("assess", *FULL)
    assert result.exit_code == 0
    for expected in ("Thomas test", "Iliopsoas looks tight", "Rectus femoris looks tight",
                     "High sitting time", "Next step", "Saved as assessment #1"):  # fmt: skip
        assert expected in result.output


def test_without_answers_or_terminal_it_says_how_to_proceed(cli: Cli):
    result = cli("assess")
    assert result.exit_code == 2
    assert "no answers given" in result.stderr


def _wizard_input(*answers: Any) -> str:
    return "".join(f"{answer}\n" for answer in answers)


NO_FLAGS = ["n"] * 6
NO_SIGNS = ["n"] * 6


def test_wizard_walks_through_and_saves_everything(cli: Cli):
    answers = _wizard_input(
        *NO_FLAGS,
        "7.5",  # sitting hours
        "y", *(["n"] * 5),  # one sign: worse after sitting
        "y", "raised", "85", "flat", "70",  # Thomas test, left then right
        "y", "n", "12", "y", "",  # extension: left 12 upright, right compensated
    )  # fmt: skip
    result = cli("assess", "--interactive", input=answers)
    assert result.exit_code == 0, result.output
    assert "Thomas test" in result.output
    assert "Saved as assessment #1" in result.output
    saved = cli.json("history", "--json")[0]
    assert saved["thomas"]["left"]["result"] == "tight_iliopsoas"
    assert saved["thomas"]["right"]["result"] == "tight_rectus_femoris"
    assert saved["hip_extension"]["left"]["result"] == "normal"
    assert saved["hip_extension"]["right"] == {
        "result": "tight",
        "degrees": None,
        "compensated": True,
        "method": "self",
        "pelvis_checked": None,
    }
    assert saved["sitting"]["band"] == "high"
    assert saved["signs"]["present"] == ["worse_after_sitting"]


def test_wizard_re_asks_bad_answers(cli: Cli):
    answers = _wizard_input(
        *NO_FLAGS,
        "lots", "25", "5",  # not a number, out of range, then fine
        *NO_SIGNS,
        "y", "sideways", "raised", "85",  # not flat/raised, then fine
        "raised", "200", "raised", "90",  # knee out of range, asked again
        "n",  # skip the extension test
    )  # fmt: skip
    result = cli("assess", "--interactive", input=answers)
    assert result.exit_code == 0, result.output
    assert "Please enter a number" in result.output
    assert "must be between 0 and 24" in result.output
    assert "Please answer flat, raised or an angle" in result.output
    assert "must be between 0 and 180" in result.output
    saved = cli.json("history", "--json")[0]
    assert saved["sitting"]["hours"] == 5.0
    assert saved["thomas"]["right"]["knee_flexion_deg"] == 90.0
    assert saved["hip_extension"]["left"]["result"] == "not_tested"


def test_wizard_stops_at_a_red_flag(cli: Cli):
    answers = _wizard_input("n", "y", "n", "n", "n", "n")
    result = cli("assess", "--interactive", input=answers)
    assert result.exit_code == 0, result.output
    assert "STOP" in result.output
    assert "Thomas test" not in result.output  # nothing else is asked
    saved = cli.json("history", "--json")[0]
    assert saved["red_flags"] == ["bladder_bowel"]
    assert saved["safe_to_exercise"] is False


def test_json_snapshot(cli: Cli, snapshot: SnapshotAssertion):
    assert cli.json("assess", "--json", "--no-save", *FULL) == snapshot


def test_in_a_real_terminal_the_wizard_starts_by_itself(tmp_path: Path):
    """A pty, like a person at a keyboard: no options, so the wizard asks."""
    hipflex = str(Path(sys.executable).parent / "hipflex")
    pid, fd = pty.fork()
    if pid == 0:  # the child: becomes hipflex on the pty
        os.environ["COLUMNS"] = "100"
        os.execv(hipflex, [hipflex, "assess"])  # noqa: S606 - a fixed path to our own command
    os.write(fd, b"y\nn\nn\nn\nn\nn\n")  # a red flag: numbness in the saddle area
    output = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the pty
            break
        if not chunk:
            break
        output += chunk
    _, status = os.waitpid(pid, 0)
    text = output.decode(errors="replace")
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert "Safety first" in text
    assert "STOP" in text


# Red flags are an explicit answer (PROTOCOL.md section 4): never answered is never "no".


@pytest.mark.parametrize(
    "args",
    [
        ["--json", "--sitting-hours", "3"],
        ["--json", "--no-save", *TESTS],
        ["--json"],
        [*TESTS],
    ],
    ids=["some answers", "preview", "nothing", "text output"],
)
def test_without_an_answer_to_the_safety_questions_nothing_is_assessed_or_saved(
    cli: Cli, args: list[str]
):
    result = cli("assess", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line == (
        "hipflex: error: answer the safety questions first: give --red-flag ID for each "
        "warning sign you have (repeat it), or --no-red-flags if you have none"
    )
    assert cli.json("history", "--json") == []


def test_red_flags_and_no_red_flags_together_are_refused(cli: Cli):
    result = cli("assess", "--json", *FULL, "--red-flag", "trauma")
    assert result.exit_code == 2
    assert "--red-flag or --no-red-flags, not both" in result.stderr
    assert cli.json("history", "--json") == []


def test_no_red_flags_is_the_answer_none(cli: Cli):
    out = cli.json("assess", "--json", "--no-red-flags", "--sitting-hours", "3")
    assert out["red_flags"] == []
    assert out["safe_to_exercise"] is True


def test_the_wizards_safety_questions_have_no_default(cli: Cli):
    # Enter alone is asked again, never taken as "no"; then a real "no" to each.
    answers = _wizard_input("", "", *NO_FLAGS, "3", *NO_SIGNS, "n", "n")
    result = cli("assess", "--interactive", input=answers)
    assert result.exit_code == 0, result.output
    assert result.output.count("Please answer y (yes) or n (no).") == 2
    saved = cli.json("history", "--json")[0]
    assert saved["red_flags"] == []
