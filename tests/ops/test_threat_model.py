"""docs/threat-model.md points at the code and the tests that enforce each protection:
every file it names exists, and every function or constant it names is in that file (so
a rename cannot leave the page pointing at nothing)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "threat-model.md"
#: `path`, `tests/x.py::test_name`, optionally followed by (`name`, `name`).
REFERENCE = re.compile(r"`([\w./-]+\.(?:py|js))(?:::(\w+))?`(?: \(([^)]*)\))?")
IDENTIFIER = re.compile(r"`(\w+)`")


def _file(path: str) -> Path:
    top = path.split("/", 1)[0]
    return ROOT / path if top in {"tests", "docs", "bench"} else ROOT / "src" / "hipflex" / path


def test_every_file_and_name_the_threat_model_points_at_exists() -> None:
    references = REFERENCE.findall(PAGE.read_text(encoding="utf-8"))
    assert len(references) > 20
    broken = []
    for path, test_name, names in references:
        file = _file(path)
        if not file.is_file():
            broken.append(path)
            continue
        text = file.read_text(encoding="utf-8")
        wanted = ([f"def {test_name}("] if test_name else []) + IDENTIFIER.findall(names)
        broken += [f"{path}: {name}" for name in wanted if name not in text]
    assert broken == []


def test_the_readme_links_the_operators_pages() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in ("docs/deploy.md", "docs/threat-model.md"):
        assert f"]({page})" in readme
        assert (ROOT / page).is_file()
