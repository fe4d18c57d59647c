"""Load the protocol's data files (TOML, shipped in the package) into validated models."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from hipflex.domain.assessment import ExtensionResult, ThomasResult
from hipflex.domain.errors import HipflexError
from hipflex.domain.protocol import (
    Content,
    Exercise,
    ExerciseId,
    FaqEntry,
    FindingText,
    Guidelines,
    Mechanism,
    MuscleInfo,
    RedFlag,
    RedFlagAdvice,
    RedFlagInfo,
    SelfTest,
    SelfTestId,
    Sign,
    SignInfo,
    SittingBand,
    SittingBandInfo,
    Topic,
    WorkplaceTip,
    WorkplaceTipId,
)
from hipflex.domain.urgency import PROTOCOL_URGENCY, Urgency, at_least_as_urgent

M = TypeVar("M", bound=BaseModel)

#: Words one of which every hip-flexor stretch's cues must use (PROTOCOL.md 3.2, the key cue).
TILT_CUE_WORDS = ("tailbone", "pelvic tilt")

#: Result ids that findings.toml must explain, per group.
REQUIRED_FINDINGS: Mapping[str, Iterable[str]] = {
    "thomas": [r.value for r in ThomasResult],
    "hip_extension": [r.value for r in ExtensionResult],
    "sitting": [b.value for b in SittingBand],
    "signs": ["none", "some"],
    "overall": ["red_flags", "tight", "clear_high_sitting", "clear", "untested"],
}


#: The placeholders finding texts may use, with sample values for checking them.
FINDING_PLACEHOLDERS = {"side": "left", "knee_floor": "80", "extension_floor": "10"}


class ContentError(HipflexError):
    """A data file is broken; the message names the file, the key and the reason."""


def _where(loc: tuple[int | str, ...], items: list[Any] | None, label: str) -> str:
    parts: list[str] = []
    for i, part in enumerate(loc):
        if i == 0 and isinstance(part, int) and items is not None:
            ident = items[part].get("id") if isinstance(items[part], dict) else None
            parts.append(f"{label}[{part}]" + (f" ({ident})" if ident else ""))
        elif isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + part)
    return "".join(parts).replace(".[", "[") or label


class _File:
    """One data file: read once, its errors reported with its name."""

    def __init__(self, name: str, text: str) -> None:
        import tomllib  # on use: a process with the content cached parses no TOML

        self.name = name
        try:
            self.data: dict[str, Any] = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ContentError(f"{name}: not valid TOML: {exc}") from None

    def fail(self, key: str, reason: str) -> ContentError:
        return ContentError(f"{self.name}: {key}: {reason}")

    def raw(self, key: str) -> Any:
        if key not in self.data:
            raise self.fail(key, "missing")
        return self.data[key]

    def text(self, key: str) -> str:
        value = self.raw(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be non-empty text")
        return value.strip()

    def one(self, key: str, model: type[M]) -> M:
        try:
            return model.model_validate(self.raw(key))
        except ValidationError as exc:
            raise self._explain(exc, key, None) from None

    def many(self, key: str, model: type[M]) -> list[M]:
        items = self.raw(key)
        if not isinstance(items, list) or not items:
            raise self.fail(key, f"must be a non-empty list of [[{key}]] tables")
        try:
            parsed = TypeAdapter(list[model]).validate_python(items)  # type: ignore[valid-type]
        except ValidationError as exc:
            raise self._explain(exc, key, items) from None
        ids = [getattr(item, "id", None) for item in parsed]
        dupes = sorted({str(i) for i in ids if i is not None and ids.count(i) > 1})
        if dupes:
            raise self.fail(key, f"duplicate id {', '.join(dupes)}")
        return parsed

    def _explain(self, exc: ValidationError, key: str, items: list[Any] | None) -> ContentError:
        first = exc.errors()[0]
        where = _where(tuple(first["loc"]), items, key)
        if items is None:
            where = f"{key}.{where}" if where != key else key
        return self.fail(where, first["msg"])


def _require_all(file: _File, key: str, have: Iterable[object], want: Iterable[object]) -> None:
    missing = sorted(str(w) for w in set(want) - set(have))
    if missing:
        raise file.fail(key, f"missing {', '.join(missing)}")


def _by_id(items: Iterable[Any]) -> dict[Any, Any]:
    return {item.id: item for item in items}


def _check_tilt_cues(file: _File, exercises: Iterable[Exercise]) -> None:
    for exercise in exercises:
        if exercise.is_hip_flexor_stretch and not any(
            word in cue.lower() for cue in exercise.cues for word in TILT_CUE_WORDS
        ):
            raise file.fail(
                f"exercise ({exercise.id}).cues",
                "a hip-flexor stretch needs the posterior pelvic tilt cue (tuck the tailbone)",
            )


def _check_holds_at_top(file: _File, exercises: Iterable[Exercise]) -> None:
    """A picture's position held "at the top" takes its time from the dosage, so the
    dosage must have one (the number lives in one place)."""
    for exercise in exercises:
        if exercise.dosage.hold_at_top_seconds is None and any(
            p.at_top for p in exercise.picture.positions
        ):
            raise file.fail(
                f"exercise ({exercise.id}).picture",
                "a position is held at the top but the dosage has no hold_at_top_seconds",
            )


def _urgency_advice(file: _File, flags: Iterable[RedFlagInfo]) -> dict[Urgency, RedFlagAdvice]:
    """Advice for every level, and each flag at least as urgent as PROTOCOL.md section 4."""
    try:
        advice = TypeAdapter(dict[Urgency, RedFlagAdvice]).validate_python(file.raw("advice"))
    except ValidationError as exc:
        raise file._explain(exc, "advice", None) from None
    _require_all(file, "advice", advice, Urgency)
    for flag in flags:
        floor = PROTOCOL_URGENCY.get(flag.id)
        if floor is not None and not at_least_as_urgent(flag.urgency, floor):
            reason = f"must be {floor.value} or more urgent (PROTOCOL.md section 4)"
            raise file.fail(f"red_flag ({flag.id}).urgency", reason)
    return advice


def _findings(file: _File) -> dict[str, dict[str, FindingText]]:
    adapter = TypeAdapter(dict[str, FindingText])
    findings: dict[str, dict[str, FindingText]] = {}
    for group, wanted in REQUIRED_FINDINGS.items():
        try:
            findings[group] = adapter.validate_python(file.raw(group))
        except ValidationError as exc:
            raise file._explain(exc, group, None) from None
        _require_all(file, group, findings[group], wanted)
        for key, finding in findings[group].items():
            for field in ("title", "text"):
                try:
                    getattr(finding, field).format(**FINDING_PLACEHOLDERS)
                except (KeyError, IndexError, ValueError) as exc:
                    allowed = ", ".join("{" + name + "}" for name in FINDING_PLACEHOLDERS)
                    reason = f"bad placeholder {exc} (allowed: {allowed})"
                    raise file.fail(f"{group}.{key}.{field}", reason) from None
    return findings


def build_content(read: Callable[[str], str]) -> Content:
    """Build the content from a reader of data files by name (tests pass broken files)."""
    files = {
        name: _File(name, read(name))
        for name in (
            "exercises.toml",
            "self_tests.toml",
            "signs.toml",
            "red_flags.toml",
            "sitting.toml",
            "workplace.toml",
            "faq.toml",
            "education.toml",
            "guidelines.toml",
            "findings.toml",
        )
    }
    ex = files["exercises.toml"]
    exercises = ex.many("exercise", Exercise)
    _require_all(ex, "exercise", (e.id for e in exercises), ExerciseId)
    _check_tilt_cues(ex, exercises)
    _check_holds_at_top(ex, exercises)

    tests = files["self_tests.toml"]
    self_tests = tests.many("test", SelfTest)
    _require_all(tests, "test", (t.id for t in self_tests), SelfTestId)

    sg = files["signs.toml"]
    signs = sg.many("sign", SignInfo)
    _require_all(sg, "sign", (s.id for s in signs), Sign)

    rf = files["red_flags.toml"]
    red_flags = rf.many("red_flag", RedFlagInfo)
    _require_all(rf, "red_flag", (r.id for r in red_flags), RedFlag)

    st = files["sitting.toml"]
    bands = st.many("band", SittingBandInfo)
    _require_all(st, "band", (b.id for b in bands), SittingBand)

    edu = files["education.toml"]
    muscles = edu.many("muscle", MuscleInfo)
    topics = edu.many("topic", Topic)

    wp = files["workplace.toml"]
    tips = wp.many("tip", WorkplaceTip)
    _require_all(wp, "tip", (t.id for t in tips), WorkplaceTipId)

    guide = files["guidelines.toml"]
    return Content(
        exercises=_by_id(exercises),
        self_tests=_by_id(self_tests),
        signs=_by_id(signs),
        red_flags=_by_id(red_flags),
        urgency_advice=_urgency_advice(rf, red_flags),
        sitting_bands=_by_id(bands),
        sitting_note=st.text("note"),
        workplace=_by_id(tips),
        faq=tuple(files["faq.toml"].many("faq", FaqEntry)),
        muscles=_by_id(muscles),
        mechanisms=tuple(edu.many("mechanism", Mechanism)),
        topics=_by_id(topics),
        guidelines=guide.one("guidelines", Guidelines),
        findings=_findings(files["findings.toml"]),
        disclaimer=files["findings.toml"].text("disclaimer"),
    )


def read_packaged(name: str) -> str:
    from importlib import resources

    return resources.files("hipflex.content").joinpath("data", name).read_text(encoding="utf-8")


def reader_for(directory: Path) -> Callable[[str], str]:
    """A reader over a folder of data files (used by tests and by content authors)."""
    return lambda name: (directory / name).read_text(encoding="utf-8")


@cache
def load_content() -> Content:
    """The packaged content, validated once (hipflex.content.cache keeps it between
    processes until a data file or the code that builds it changes)."""
    from hipflex.content.cache import cached_content

    return cached_content(lambda: build_content(read_packaged))
