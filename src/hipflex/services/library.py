"""The education library: topics to learn from, and the exercise cards."""

from __future__ import annotations

from dataclasses import dataclass

from hipflex.content import load_content
from hipflex.domain.errors import BadInput
from hipflex.domain.protocol import Content, Exercise, ExerciseId

#: Topics built from structured content rather than a page of text.
EXTRA_TOPICS = {
    "tests": "The two self-tests",
    "signs": "Signs of tight hip flexors",
    "sitting": "Sitting time and what it does",
    "faq": "Questions people ask",
}


@dataclass(frozen=True)
class TopicEntry:
    id: str
    title: str


def topics() -> list[TopicEntry]:
    content = load_content()
    listed = [TopicEntry(t.id, t.title) for t in content.topics.values()]
    return listed + [TopicEntry(key, title) for key, title in EXTRA_TOPICS.items()]


def find_topic(name: str) -> TopicEntry:
    wanted = name.strip().lower().replace("_", "-")
    for entry in topics():
        if entry.id == wanted or entry.id.replace("_", "-") == wanted:
            return entry
    choices = ", ".join(entry.id for entry in topics())
    msg = f"unknown topic '{name}' (choose from: {choices})"
    raise BadInput(msg)


def library() -> Content:
    return load_content()


def find_exercise(name: str) -> Exercise:
    key = name.strip().lower().replace("-", "_")
    try:
        return load_content().exercise(key)
    except ValueError:
        choices = ", ".join(e.value for e in ExerciseId)
        msg = f"unknown exercise '{name}' (choose from: {choices})"
        raise BadInput(msg) from None
