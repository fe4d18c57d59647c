"""The one way in and out of the database: domain objects in, domain objects out."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from typing import TypeVar

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from hipflex.domain.assessment import (
    Assessment,
    AssessmentInput,
    AssessmentKind,
    ExtensionFinding,
    ExtensionInput,
    ExtensionResult,
    RecordedAssessment,
    SideFindings,
    ThighPosition,
    ThomasFinding,
    ThomasInput,
    ThomasResult,
    Thresholds,
)
from hipflex.domain.plan import Block
from hipflex.domain.preferences import Preferences, format_weekdays, parse_weekdays
from hipflex.domain.protocol import RedFlag, Side, Sign, SittingBand
from hipflex.store.db import WRITE_OPTION, make_engine
from hipflex.store.logs import LogStore
from hipflex.store.migrate import upgrade_if_needed
from hipflex.store.models import (
    AssessmentRow,
    AssessmentSideRow,
    Base,
    BlockRow,
    PreferencesRow,
)

PREFERENCES_ID = 1

T = TypeVar("T")


def _optional(kind: Callable[[str], T], value: str | None) -> T | None:
    return None if value is None else kind(value)


class Store(LogStore):
    """hipflex's data; every write is one short transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(
            engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    @classmethod
    def open(cls, url: str) -> Store:
        """Open (creating and migrating as needed) the store at a SQLAlchemy URL."""
        engine = make_engine(url)
        upgrade_if_needed(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        with self._write.begin() as session:
            yield session

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        with self._read() as session:
            yield session

    # Assessments

    def add_assessment(
        self,
        assessment: Assessment,
        *,
        at: datetime,
        kind: AssessmentKind,
        block_id: int | None = None,
        block_week: int | None = None,
    ) -> RecordedAssessment:
        row = _assessment_row(assessment, at=at, kind=kind)
        row.block_id = block_id
        row.block_week = block_week
        with self._writing() as session:
            session.add(row)
            session.flush()
            row_id = row.id
        return RecordedAssessment(row_id, at, kind, assessment, block_id, block_week)

    def assessments(
        self, *, limit: int | None = None, kind: AssessmentKind | None = None
    ) -> list[RecordedAssessment]:
        """Newest first, optionally of one kind only."""
        query = (
            select(AssessmentRow)
            .options(selectinload(AssessmentRow.sides))
            .order_by(AssessmentRow.recorded_at.desc(), AssessmentRow.id.desc())
            .limit(limit)
        )
        if kind is not None:
            query = query.where(AssessmentRow.kind == kind.value)
        with self._read() as session:
            return [_recorded(row) for row in session.scalars(query)]

    def latest_assessment(self, kind: AssessmentKind | None = None) -> RecordedAssessment | None:
        found = self.assessments(limit=1, kind=kind)
        return found[0] if found else None

    def assessment(self, assessment_id: int) -> RecordedAssessment | None:
        with self._read() as session:
            row = session.get(AssessmentRow, assessment_id)
            return None if row is None else _recorded(row)

    # Preferences

    def preferences(self) -> Preferences:
        with self._read() as session:
            row = session.get(PreferencesRow, PREFERENCES_ID)
            if row is None:
                return Preferences()
            return Preferences(
                sessions_per_day=row.sessions_per_day,
                block_weeks=row.block_weeks,
                break_minutes=row.break_minutes,
                work_days=parse_weekdays(row.work_days),
                work_start=time.fromisoformat(row.work_start),
                work_end=time.fromisoformat(row.work_end),
                floor_at_work=row.floor_at_work,
                sit_stand_desk=row.sit_stand_desk,
                timezone=row.timezone,
            )

    def save_preferences(self, preferences: Preferences, *, at: datetime) -> None:
        values = {
            "sessions_per_day": preferences.sessions_per_day,
            "block_weeks": preferences.block_weeks,
            "break_minutes": preferences.break_minutes,
            "work_days": format_weekdays(preferences.work_days),
            "work_start": preferences.work_start.strftime("%H:%M"),
            "work_end": preferences.work_end.strftime("%H:%M"),
            "floor_at_work": preferences.floor_at_work,
            "sit_stand_desk": preferences.sit_stand_desk,
            "timezone": preferences.timezone,
            "updated_at": at,
        }
        with self._writing() as session:
            row = session.get(PreferencesRow, PREFERENCES_ID)
            if row is None:
                session.add(PreferencesRow(id=PREFERENCES_ID, **values))
            else:
                for key, value in values.items():
                    setattr(row, key, value)

    # Programme blocks

    def latest_block(self) -> Block | None:
        query = select(BlockRow).order_by(BlockRow.created_at.desc(), BlockRow.id.desc()).limit(1)
        with self._read() as session:
            row = session.scalars(query).first()
            return None if row is None else Block(row.id, row.started_on, row.assessment_id)

    def blocks(self) -> list[Block]:
        """Oldest first."""
        query = select(BlockRow).order_by(BlockRow.created_at, BlockRow.id)
        with self._read() as session:
            return [Block(r.id, r.started_on, r.assessment_id) for r in session.scalars(query)]

    def erase_all(self) -> None:
        """Delete every row of every table (the schema stays), in one transaction."""
        with self._writing() as session:
            for table in reversed(Base.metadata.sorted_tables):
                session.execute(table.delete())

    def start_block(self, *, assessment_id: int, started_on: date, at: datetime) -> Block:
        row = BlockRow(started_on=started_on, assessment_id=assessment_id, created_at=at)
        with self._writing() as session:
            session.add(row)
            session.flush()
            return Block(row.id, row.started_on, row.assessment_id)


def _assessment_row(assessment: Assessment, *, at: datetime, kind: AssessmentKind) -> AssessmentRow:
    answers = assessment.answers
    limits = assessment.thresholds
    row = AssessmentRow(
        recorded_at=at,
        kind=kind.value,
        sitting_hours=assessment.sitting_hours,
        sitting_band=None if assessment.sitting_band is None else assessment.sitting_band.value,
        signs=sorted(s.value for s in assessment.signs),
        red_flags=sorted(r.value for r in assessment.red_flags),
        safe_to_exercise=assessment.safe_to_exercise,
        knee_floor_deg=limits.knee_floor_deg,
        thigh_tolerance_deg=limits.thigh_tolerance_deg,
        extension_floor_deg=limits.extension_floor_deg,
    )
    for side, found in assessment.sides.items():
        given = answers.thomas.get(side, ThomasInput())
        row.sides.append(
            AssessmentSideRow(
                side=side.value,
                thomas_thigh_given=None if given.thigh is None else given.thigh.value,
                thomas_thigh_angle_deg=given.thigh_angle_deg,
                thomas_knee_flexion_deg=given.knee_flexion_deg,
                thomas_thigh=None if found.thomas.thigh is None else found.thomas.thigh.value,
                thomas_result=found.thomas.result.value,
                extension_deg=found.extension.degrees,
                extension_compensated=found.extension.compensated,
                extension_result=found.extension.result.value,
            )
        )
    return row


def _recorded(row: AssessmentRow) -> RecordedAssessment:
    thomas: dict[Side, ThomasInput] = {}
    extension: dict[Side, ExtensionInput] = {}
    sides: dict[Side, SideFindings] = {}
    for side_row in row.sides:
        side = Side(side_row.side)
        thomas[side] = ThomasInput(
            thigh=_optional(ThighPosition, side_row.thomas_thigh_given),
            thigh_angle_deg=side_row.thomas_thigh_angle_deg,
            knee_flexion_deg=side_row.thomas_knee_flexion_deg,
        )
        extension[side] = ExtensionInput(side_row.extension_deg, side_row.extension_compensated)
        sides[side] = SideFindings(
            side=side,
            thomas=ThomasFinding(
                result=ThomasResult(side_row.thomas_result),
                thigh=_optional(ThighPosition, side_row.thomas_thigh),
                thigh_angle_deg=side_row.thomas_thigh_angle_deg,
                knee_flexion_deg=side_row.thomas_knee_flexion_deg,
            ),
            extension=ExtensionFinding(
                ExtensionResult(side_row.extension_result),
                side_row.extension_deg,
                side_row.extension_compensated,
            ),
        )
    signs = frozenset(Sign(s) for s in row.signs)
    red_flags = frozenset(RedFlag(r) for r in row.red_flags)
    answers = AssessmentInput(
        thomas=thomas,
        extension=extension,
        sitting_hours=row.sitting_hours,
        signs=signs,
        red_flags=red_flags,
    )
    assessment = Assessment(
        answers=answers,
        sides=dict(sorted(sides.items(), key=lambda item: list(Side).index(item[0]))),
        sitting_hours=row.sitting_hours,
        sitting_band=_optional(SittingBand, row.sitting_band),
        signs=signs,
        red_flags=red_flags,
        thresholds=Thresholds(row.knee_floor_deg, row.thigh_tolerance_deg, row.extension_floor_deg),
    )
    return RecordedAssessment(
        row.id, row.recorded_at, AssessmentKind(row.kind), assessment, row.block_id, row.block_week
    )
