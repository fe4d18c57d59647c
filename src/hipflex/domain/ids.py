"""The ids of the protocol's things: a public contract (plans, logs, exports and scripts
refer to them). Plain enums with no imports of their own, so the command line's help can
list them without loading the content models."""

from __future__ import annotations

from enum import StrEnum


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"


class ExerciseId(StrEnum):
    HALF_KNEELING_HIP_FLEXOR = "half_kneeling_hip_flexor"
    COUCH_STRETCH = "couch_stretch"
    STANDING_QUAD_HIP_FLEXOR = "standing_quad_hip_flexor"
    PIGEON_POSE = "pigeon_pose"
    GLUTE_BRIDGE = "glute_bridge"
    CLAMSHELL = "clamshell"
    DEAD_BUG = "dead_bug"
    BIRD_DOG = "bird_dog"
    PLANK = "plank"


class ExerciseKind(StrEnum):
    STRETCH = "stretch"
    STRENGTH = "strength"
    CORE = "core"


class Intensity(StrEnum):
    GENTLE = "gentle"
    MODERATE = "moderate"
    INTENSE = "intense"


class Place(StrEnum):
    DESK = "desk"
    WALL = "wall"
    FLOOR = "floor"


class Position(StrEnum):
    """Where the body is in an exercise: getting down to the floor, or up from it, takes
    longer than moving between two standing or sitting exercises."""

    STANDING = "standing"
    SITTING = "sitting"
    KNEELING = "kneeling"
    LYING = "lying"

    @property
    def on_floor(self) -> bool:
        return self in (Position.KNEELING, Position.LYING)


class Muscle(StrEnum):
    ILIOPSOAS = "iliopsoas"
    RECTUS_FEMORIS = "rectus_femoris"
    SARTORIUS = "sartorius"
    TENSOR_FASCIAE_LATAE = "tensor_fasciae_latae"
    QUADRICEPS = "quadriceps"
    GLUTEUS_MAXIMUS = "gluteus_maximus"
    GLUTEUS_MEDIUS = "gluteus_medius"
    HIP_ROTATORS = "hip_rotators"
    ABDOMINALS = "abdominals"
    BACK_EXTENSORS = "back_extensors"


#: The hip flexors of PROTOCOL.md section 1; a stretch aimed at any of them needs the tilt cue.
HIP_FLEXORS = frozenset(
    {Muscle.ILIOPSOAS, Muscle.RECTUS_FEMORIS, Muscle.SARTORIUS, Muscle.TENSOR_FASCIAE_LATAE}
)


class Sign(StrEnum):
    """The six common signs of hip-flexor tightness (PROTOCOL.md 2.3)."""

    WORSE_AFTER_SITTING = "worse_after_sitting"
    PAIN_STANDING_UP = "pain_standing_up"
    CANT_STAND_UPRIGHT = "cant_stand_upright"
    EASES_BENDING_FORWARD = "eases_bending_forward"
    TIGHT_FRONT_HIPS = "tight_front_hips"
    SWAYBACK = "swayback"


class RedFlag(StrEnum):
    """Low-back-pain red flags that stop everything (PROTOCOL.md 2.5)."""

    SADDLE_NUMBNESS = "saddle_numbness"
    BLADDER_BOWEL = "bladder_bowel"
    LEG_WEAKNESS = "leg_weakness"
    TRAUMA = "trauma"
    SYSTEMIC = "systemic"
    NIGHT_PAIN = "night_pain"


class SittingBand(StrEnum):
    """Daily sitting bands (PROTOCOL.md 2.4)."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    VERY_HIGH = "very_high"


class SelfTestId(StrEnum):
    THOMAS = "thomas"
    HIP_EXTENSION = "hip_extension"


class WorkplaceTipId(StrEnum):
    """Workplace changes (PROTOCOL.md 3.4)."""

    SIT_STAND_DESK = "sit_stand_desk"
    PERCH_SITTING = "perch_sitting"
    SEAT_WEDGE = "seat_wedge"
    LUMBAR_SUPPORT = "lumbar_support"
    WALK_BREAKS = "walk_breaks"
    DESK_STRETCH = "desk_stretch"
    SEATED_GLUTE_SQUEEZE = "seated_glute_squeeze"
    WALKING_MEETINGS = "walking_meetings"
    NO_CROSSED_LEGS = "no_crossed_legs"
    FEET_FLAT = "feet_flat"
    PERCH_ON_EDGE = "perch_on_edge"
    KNEELING_CHAIR = "kneeling_chair"


class WorkplaceCategory(StrEnum):
    SETUP = "setup"
    MOVEMENT = "movement"
    POSITIONING = "positioning"


#: The named points of a photo measurement (a points file, the web's photo control, the
#: pose model's output): body points that come in a left and a right (`knee` alone means
#: the side asked for), and every name a points file may use.
SIDED_POINTS = ("shoulder", "hip", "knee", "ankle", "toe")
POINT_NAMES = (
    *(f"{name}_{side.value}" for name in SIDED_POINTS for side in Side),
    "nose",
    "table_a",
    "table_b",
)
