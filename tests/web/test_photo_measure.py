"""The wizard's photo goniometer in a real Chromium: points placed by mouse and by
keyboard on a stick figure drawn with Pillow, the angles from the server, "Use these
results" filling the step's answers, and the assessment saved with them; the automatic
points when the pose model finds a person, and what the page says when it cannot; a
phone's 375 px screen; axe. Then the page's pieces without a browser."""

from __future__ import annotations

import io
import re
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw
from playwright.sync_api import expect
from starlette.datastructures import FormData

from hipflex.domain.goniometry import SIDED_POINTS, Facing, Landmarks, measure
from hipflex.domain.ids import Side
from hipflex.domain.protocol import RedFlag
from hipflex.services.photo_points import GUIDES
from hipflex.web.pages_assess import measured_how
from tests.photos import KNEELING, photo_path, require_pose
from tests.web.conftest import SCREENSHOTS, LiveServer, context_of
from tests.web.journey import (
    answer_safety,
    fill_sitting,
    fill_tight_extension,
    next_step,
)
from tests.web.test_accessibility import check_page

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

STATIC_JS = files("hipflex.web") / "static" / "js"
WIDTH, HEIGHT = 600, 450
#: A Thomas test from the side: the table top's edge at y=250, the trunk flat on it, the
#: left thigh rising from the hip to the knee, the shin hanging from the knee.
TABLE = ((40, 250), (560, 250))
FIGURE = {"shoulder": (120, 235), "hip": (330, 235), "knee": (470, 215), "ankle": (500, 360)}


def stick_figure_png() -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 250, 580, 300), fill=(170, 170, 170))  # the table
    draw.line(list(FIGURE.values()), fill="black", width=8)
    draw.ellipse((60, 200, 110, 250), outline="black", width=6)  # the head
    for x, y in FIGURE.values():
        draw.ellipse((x - 7, y - 7, x + 7, y + 7), fill=(200, 30, 30))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def choose_photo(page: Page, test: str, side: str | None = "left") -> None:
    if not page.locator(f"#photo-{test}").evaluate("(details) => details.open"):
        page.click(f"#photo-{test}-open")
    if side is not None:
        page.check(f"#photo-{test}-side-{side}")
    page.set_input_files(
        f"#photo-{test}-file",
        files=[{"name": "side-on.png", "mimeType": "image/png", "buffer": stick_figure_png()}],
    )
    expect(page.locator(f"#photo-{test}-work")).to_be_visible()


def to_screen(page: Page, test: str, x: float, y: float) -> tuple[float, float]:
    """Where a pixel of the photo is on the screen (the photo scrolled into view)."""
    canvas = page.locator(f"#photo-{test}-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    return box["x"] + x * box["width"] / WIDTH, box["y"] + y * box["height"] / HEIGHT


def placed(page: Page, test: str) -> dict[str, tuple[float, float]]:
    """The points as the page holds them (the centres of the marks it drew)."""
    found: dict[str, list[str]] = page.evaluate(
        """(test) => Object.fromEntries([...document.querySelectorAll(
             `#photo-${test}-canvas [data-point]`)].map((mark) => {
               const dot = mark.querySelector('.dot');
               return [mark.dataset.point, [dot.getAttribute('cx'), dot.getAttribute('cy')]];
             }))""",
        test,
    )
    return {name: (float(x), float(y)) for name, (x, y) in found.items()}


def left_side(points: dict[str, tuple[float, float]]) -> Landmarks:
    return Landmarks({(f"{n}_left" if n in SIDED_POINTS else n): p for n, p in points.items()})


def panel_shot(page: Page, test: str, name: str) -> None:
    """Keep a screenshot of the photo control as a test artefact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(f"#photo-{test}").screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def to_thomas_step(page: Page, url: str) -> None:
    page.goto(url)
    answer_safety(page)
    next_step(page, "step-sitting")
    fill_sitting(page)
    next_step(page, "step-thomas")


def scale(page: Page, test: str) -> float:
    """Screen pixels per pixel of the photo."""
    box = page.locator(f"#photo-{test}-canvas").bounding_box()
    assert box is not None
    return box["width"] / WIDTH


def finger_drag(page: Page, start: tuple[float, float], by: tuple[float, float]) -> None:
    """One finger down at `start`, moved by `by` in small steps, then lifted."""
    cdp = page.context.new_cdp_session(page)

    def touch(kind: str, x: float, y: float) -> None:
        points = [] if kind == "touchEnd" else [{"x": x, "y": y, "id": 1}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", *start)
    for step in range(1, 6):
        touch("touchMove", start[0] + by[0] * step / 5, start[1] + by[1] * step / 5)
    touch("touchEnd", *start)
    cdp.detach()


def review_rows(page: Page) -> dict[str, str]:
    """The review step's answers, term to detail."""
    rows: dict[str, str] = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('#review-list dt')].map(
             (term) => [term.textContent, term.nextElementSibling.textContent]))"""
    )
    return rows


def press(page: Page, key: str, times: int) -> None:
    for _ in range(times):
        page.keyboard.press(key)


def test_points_placed_by_mouse_and_keyboard_fill_the_thomas_test_and_are_saved(
    live_server: LiveServer, page: Page, no_pose_extra: None
):
    to_thomas_step(page, f"{live_server.url}/assess")
    choose_photo(page, "thomas")
    status = page.locator("#photo-thomas-status")
    # The pose extra is not installed (503): no fault, the page asks for the points by hand.
    expect(status).to_contain_text("please place them by hand, one after another")
    expect(status).to_contain_text("Table edge: a point on the edge of the table top")
    expect(page.locator("#photo-thomas-error")).to_be_empty()
    expect(page.locator("#photo-thomas-point-table_a")).to_be_checked()

    # By mouse: a click places the selected point and selects the next one.
    for x, y in (*TABLE, FIGURE["hip"]):
        page.mouse.click(*to_screen(page, "thomas", x, y))
    expect(page.locator("#photo-thomas-point-knee")).to_be_checked()
    expect(page.locator("#photo-thomas-point-hip-state")).to_have_text("(placed)")
    # Drag the hip 10 px to the right: it moves with the pointer, without jumping.
    start = to_screen(page, "thomas", 332, 237)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(start[0] + 5, start[1], steps=2)
    page.mouse.move(start[0] + 10, start[1], steps=2)
    page.mouse.up()
    assert placed(page, "thomas")["hip"] == pytest.approx((340, 235), abs=0.6)

    # By keyboard: select the knee, then on the photo the first arrow puts it in the
    # middle and the next ones move it (Shift: 10 px).
    page.focus("#photo-thomas-point-knee")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "photo-thomas-canvas"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineWidth") == "3px"
    page.keyboard.press("ArrowRight")
    assert placed(page, "thomas")["knee"] == (WIDTH / 2, HEIGHT / 2)
    press(page, "Shift+ArrowRight", 17)
    page.keyboard.press("Shift+ArrowUp")
    # The ankle: back to the points (an arrow key picks the next), then the photo again.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#photo-thomas-point-ankle")).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    press(page, "Shift+ArrowRight", 20)
    press(page, "Shift+ArrowDown", 13)
    press(page, "ArrowDown", 5)
    points = placed(page, "thomas")
    assert points["knee"] == (470, 215)
    assert points["ankle"] == (500, 360)

    # The angles come from the server, as the domain computes them for these points.
    angles = measure(left_side(points))
    thigh = round(angles.thigh_angle_deg[Side.LEFT] or 0, 1)
    knee = round(angles.knee_flexion_deg[Side.LEFT] or 0, 1)
    shown = page.locator("#photo-thomas-angles")
    expect(shown).to_contain_text(f"Thigh angle (A){thigh}°")
    expect(shown).to_contain_text(f"Knee bend (B){knee}°")
    expect(shown).to_contain_text("Iliopsoas looks tight")
    expect(page.locator("#photo-thomas-warnings")).not_to_contain_text("table edge")
    panel_shot(page, "thomas", "photo-thomas-marked")

    page.click("#photo-thomas-use")
    expect(page.locator("#thomas_left_thigh-angle")).to_be_checked()
    expect(page.locator("#thomas_left_angle")).to_have_value(f"{thigh:g}")
    expect(page.locator("#thomas_left_knee")).to_have_value(f"{knee:g}")
    # How the side was measured, posted with it: a photo, without the trunk (no shoulder).
    expect(page.locator("#thomas_left_method")).to_have_value("photo")
    expect(page.locator("#thomas_left_pelvis_checked")).to_have_value("no")
    expect(page.locator("#thomas_left_photo-note")).to_be_visible()
    expect(page.locator("#thomas_left_pelvis-note")).to_be_visible()
    expect(status).to_contain_text("left leg")

    # The right leg by hand, the extension test by hand, then save.
    page.check("#thomas_right_thigh-raised")
    page.fill("#thomas_right_knee", "72")
    expect(page.locator("#thomas_right_method")).to_have_value("self")
    expect(page.locator("#thomas_right_photo-note")).to_be_hidden()
    next_step(page, "step-extension")
    fill_tight_extension(page)
    next_step(page, "step-review")
    rows = review_rows(page)
    assert rows["Thomas test, left"] == f"thigh at {thigh:g}°, knee bent {knee:g}° (from a photo)"
    assert rows["Thomas test, right"] == "thigh raised, knee bent 72°"
    page.click("#wizard-submit")
    page.wait_for_url(f"{live_server.url}/plan")

    (recorded,) = live_server.context.store.assessments()
    left = recorded.assessment.answers.thomas[Side.LEFT]
    assert left.thigh_angle_deg == thigh
    assert left.knee_flexion_deg == knee
    assert recorded.assessment.sides[Side.LEFT].thomas.result.value == "tight_iliopsoas"


@pytest.fixture
def pose_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stand-in for the pose extra (the live server runs in this process): a person
    standing side on, facing right, the right side nearer the camera, the right leg back
    15 degrees behind an upright trunk."""

    def detect(image: Any) -> Landmarks:
        width, height = image.size
        assert (width, height) == (WIDTH, HEIGHT)
        points = {
            "nose": (330.0, 60.0),
            "shoulder_right": (300.0, 110.0),
            "hip_right": (300.0, 250.0),
            "knee_right": (300.0 - 160 * 0.258819, 250.0 + 160 * 0.965926),
            "shoulder_left": (305.0, 112.0),
            "hip_left": (305.0, 252.0),
            "knee_left": (305.0, 412.0),
        }
        return Landmarks(points, Facing.RIGHT, near_side=Side.RIGHT)

    monkeypatch.setattr("hipflex.pose.detect", detect)


def test_the_automatic_points_fill_the_extension_test_at_a_retest(
    live_server: LiveServer, page: Page, pose_model: None
):
    live_server.record_tight()  # the first assessment
    to_thomas_step(page, f"{live_server.url}/assess?retest=1")
    page.check("#thomas_skip")
    next_step(page, "step-extension")
    choose_photo(page, "extension", side=None)
    expect(page.locator("#photo-extension-status")).to_contain_text("hipflex found 3 of the points")
    expect(page.locator("#photo-extension-side-right")).to_be_checked()  # the model's near side
    shown = page.locator("#photo-extension-angles")
    expect(shown).to_contain_text("Hip extension (A)15°")
    expect(shown).to_contain_text("Trunk lean0°")
    expect(shown).to_contain_text("Normal hip extension")
    assert set(placed(page, "extension")) == {"shoulder", "hip", "knee"}
    page.click("#photo-extension-use")
    expect(page.locator("#extension_right_degrees")).to_have_value("15")
    expect(page.locator("#extension_right_compensated-no")).to_be_checked()
    expect(page.locator("#extension_right_method")).to_have_value("photo")
    expect(page.locator("#extension_right_pelvis_checked")).to_have_value("yes")
    expect(page.locator("#extension_right_pelvis-note")).to_be_hidden()
    # Changing the leg reads the model's other side.
    page.check("#photo-extension-side-left")
    expect(shown).to_contain_text("Hip extension (A)0°")
    page.click("#photo-extension-use")
    expect(page.locator("#extension_left_degrees")).to_have_value("0")
    next_step(page, "step-review")
    assert review_rows(page)["Hip extension, right"] == (
        "15° back, without arching or leaning (from a photo)"
    )
    page.click("#wizard-submit")
    page.wait_for_url(f"{live_server.url}/plan")

    retest, first = live_server.context.store.assessments()  # newest first
    assert (first.kind.value, retest.kind.value) == ("baseline", "retest")
    answers = retest.assessment.answers
    assert answers.thomas[Side.LEFT].knee_flexion_deg is None  # skipped
    assert (answers.extension[Side.RIGHT].degrees, answers.extension[Side.LEFT].degrees) == (15, 0)
    assert retest.assessment.sides[Side.RIGHT].extension.result.value == "normal"
    assert retest.assessment.sides[Side.LEFT].extension.result.value == "tight"


def test_no_person_found_is_said_in_an_alert_and_the_points_go_by_hand(
    live_server: LiveServer, page: Page, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr("hipflex.pose.detect", lambda _image: None)
    to_thomas_step(page, f"{live_server.url}/assess")
    choose_photo(page, "thomas")
    expect(page.locator("#photo-thomas-error")).to_have_attribute("role", "alert")
    expect(page.locator("#photo-thomas-error")).to_have_text(
        "No person was found in the photo: the whole body, side on, in good light."
    )
    expect(page.locator("#photo-thomas-status")).to_contain_text("Place the points by hand")
    page.mouse.click(*to_screen(page, "thomas", *TABLE[0]))
    expect(page.locator("#photo-thomas-point-table_b")).to_be_checked()
    expect(page.locator("#photo-thomas-error")).to_be_empty()  # the next step clears it


def test_the_photo_control_on_a_phone(
    live_server: LiveServer, browser: Browser, no_pose_extra: None
):
    context = browser.new_context(
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        reduced_motion="reduce",
    )
    context.set_default_timeout(10_000)
    phone = context.new_page()
    errors: list[str] = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    try:
        to_thomas_step(phone, f"{live_server.url}/assess")
        choose_photo(phone, "thomas")
        expect(phone.locator("#photo-thomas-camera")).to_be_visible()  # a coarse pointer
        for x, y in (*TABLE, FIGURE["hip"], FIGURE["knee"], FIGURE["ankle"]):
            phone.touchscreen.tap(*to_screen(phone, "thomas", x, y))
        expect(phone.locator("#photo-thomas-angles")).to_contain_text("Knee bend (B)")
        points = placed(phone, "thomas")
        assert points["knee"] == pytest.approx(FIGURE["knee"], abs=2)
        # A finger drags the knee 30 px of the photo down (touch events, as a phone sends).
        before = points["knee"]
        finger_drag(phone, to_screen(phone, "thomas", *before), (0, 30 * scale(phone, "thomas")))
        assert placed(phone, "thomas")["knee"] == pytest.approx((before[0], before[1] + 30), abs=2)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375
        box = phone.locator("#photo-thomas-canvas").bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 375
        for control in ("#photo-thomas-use", "#photo-thomas-clear", "#photo-thomas-file"):
            size = phone.locator(control).bounding_box()
            assert size is not None
            assert size["x"] + size["width"] <= 375, control
        panel_shot(phone, "thomas", "photo-thomas-phone")
    finally:
        context.close()
    assert not errors, errors


def test_the_photo_control_is_accessible(live_server: LiveServer, page: Page, no_pose_extra: None):
    page.emulate_media(color_scheme="light")
    to_thomas_step(page, f"{live_server.url}/assess")
    page.click("#photo-thomas-open")
    check_page(page, "/assess Thomas test step, the photo control open")
    choose_photo(page, "thomas")
    for x, y in (*TABLE, FIGURE["hip"], FIGURE["knee"], FIGURE["ankle"]):
        page.mouse.click(*to_screen(page, "thomas", x, y))
    expect(page.locator("#photo-thomas-angles")).to_contain_text("Knee bend (B)")
    check_page(page, "/assess Thomas test step, a photo measured")


def test_the_real_pose_model_finds_the_points_on_a_kneeling_stretch(
    live_server: LiveServer, page: Page
):
    """The pose extra for real (CI installs it) on a fixture photo, used where it lies: the
    near leg is the back leg, its hip in extension, which fills the extension test."""
    require_pose()
    photo = photo_path(KNEELING)
    to_thomas_step(page, f"{live_server.url}/assess")
    page.check("#thomas_skip")
    next_step(page, "step-extension")
    page.click("#photo-extension-open")
    page.set_input_files("#photo-extension-file", str(photo))
    status = page.locator("#photo-extension-status")
    expect(status).to_contain_text("hipflex found 5 of the points", timeout=30_000)
    expect(page.locator("#photo-extension-side-right")).to_be_checked()  # the near side
    assert set(placed(page, "extension")) == {"shoulder", "hip", "knee", "ankle", "toe"}
    expect(page.locator("#photo-extension-use")).to_be_enabled()
    shown = page.locator("#photo-extension-angles")
    found = re.search(r"Hip extension \(A\)(-?[\d.]+)°", shown.text_content() or "")
    assert found, shown.text_content()
    assert float(found.group(1)) > 10  # the back leg's hip well behind the trunk line
    panel_shot(page, "extension", "photo-extension-kneeling")
    page.click("#photo-extension-use")
    expect(page.locator("#extension_right_degrees")).to_have_value(found.group(1))
    expect(page.locator("#extension_right_method")).to_have_value("photo")


# Without a browser


def test_the_wizard_carries_the_guide_and_a_photo_control_per_test(client: TestClient):
    page = client.get("/assess").text
    assert 'id="photo-guide"' in page
    for test, guide in GUIDES.items():
        assert f'id="photo-{test}"' in page
        assert f'id="photo-{test}-privacy"' in page
        assert f'id="photo-{test}-file" accept="image/*"' in page
        assert f'id="photo-{test}-camera" accept="image/*" capture="environment"' in page
        for point in guide.points:
            assert f'id="photo-{test}-point-{point.name}"' in page
    assert "goes no further than your own hipflex and is not stored" in page
    assert 'id="photo-thomas"' in client.get("/assess?retest=1").text
    assert 'id="photo-guide"' not in client.get("/assess?safety=1").text


def test_the_photo_script_does_no_geometry():
    """The angles come from the server: the script only places, draws and sends points."""
    script = (STATIC_JS / "photo-measure.js").read_text(encoding="utf-8")
    assert re.findall(r"Math\.(?:a?sin|a?cos|a?tan2?|hypot|sqrt|PI)\b", script) == []
    assert "/api/v1/measurements" in script
    assert 'getElementById("photo-guide")' in script


def test_each_test_side_carries_how_it_was_measured_in_hidden_fields(client: TestClient):
    page = client.get("/assess").text
    for test in ("thomas", "extension"):
        assert f'id="photo-{test}-error" role="alert"' in page
        assert f'id="photo-{test}-use" disabled>Use these results</button>' in page
        for side in ("left", "right"):
            name = f"{test}_{side}"
            assert (
                f'<input type="hidden" id="{name}_method" name="{name}_method" value="self">'
                in page
            )
            assert (
                f'<input type="hidden" id="{name}_pelvis_checked" '
                f'name="{name}_pelvis_checked" value="">'
            ) in page
            assert f'<p class="photo-note" id="{name}_photo-note" hidden>' in page


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, {"method": "self", "pelvis_checked": None}),
        ({"method": "self", "pelvis_checked": ""}, {"method": "self", "pelvis_checked": None}),
        ({"method": "self", "pelvis_checked": "yes"}, {"method": "self", "pelvis_checked": None}),
        ({"method": "photo", "pelvis_checked": "yes"}, {"method": "photo", "pelvis_checked": True}),
        ({"method": "photo", "pelvis_checked": "no"}, {"method": "photo", "pelvis_checked": False}),
        ({"method": "photo", "pelvis_checked": ""}, {"method": "photo", "pelvis_checked": None}),
        ({"method": "camera"}, {"method": "self", "pelvis_checked": None}),
    ],
)
def test_how_a_side_was_measured_is_read_from_its_hidden_fields(
    fields: dict[str, str], expected: dict[str, object]
):
    form = FormData([(f"thomas_right_{key}", value) for key, value in fields.items()])
    assert measured_how(form, "thomas", Side.RIGHT) == expected
    assert measured_how(form, "extension", Side.RIGHT) == {"method": "self", "pelvis_checked": None}


#: The wizard's form as a browser without JavaScript posts it, the hidden fields included.
WIZARD_FORM = {
    **{f"red_flag_{flag.value}": "no" for flag in RedFlag},
    "sitting_hours": "8",
    "thomas_left_thigh": "angle",
    "thomas_left_angle": "9",
    "thomas_left_knee": "86",
    "thomas_left_method": "photo",
    "thomas_left_pelvis_checked": "no",
    "thomas_right_thigh": "flat",
    "thomas_right_knee": "90",
    "thomas_right_method": "self",
    "thomas_right_pelvis_checked": "",
    "extension_skip": "yes",
    **{f"extension_{side}_method": "self" for side in ("left", "right")},
    **{f"extension_{side}_pelvis_checked": "" for side in ("left", "right")},
    "kind": "baseline",
}


def test_the_form_post_with_the_hidden_fields_saves_the_answers(client: TestClient):
    saved = client.post("/assess", data=WIZARD_FORM, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    (recorded,) = context_of(client).store.assessments()
    left = recorded.assessment.answers.thomas[Side.LEFT]
    assert (left.thigh_angle_deg, left.knee_flexion_deg) == (9, 86)
    # The method and the pelvis check are not saved yet: POST /assessments does not take
    # them on this branch (pages_assess: TODO(store12)).
