"""The command line through its real entry point, as a shell runs it, and what it stored."""

from __future__ import annotations

import pytest

from hipflex.cli.app import main
from hipflex.services import data
from hipflex.services.context import open_app
from hipflex.services.data import Snapshot


def stored() -> Snapshot:
    app = open_app()
    try:
        return data.snapshot(app)
    finally:
        app.close()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`hipflex ARGS` as a shell runs it: (exit status, stdout, stderr)."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as ended:
        main(list(args))
    out, err = capsys.readouterr()
    code = ended.value.code
    return code if isinstance(code, int) else 0, out, err


def assert_one_line_refusal(code: int, err: str) -> None:
    assert code in (1, 2), err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("hipflex: error: "), err
