// The photo goniometer on the wizard's self-test steps. The photo is opened and shown in
// this page; the pose model on the server finds the points when it is installed (the
// page sends a smaller copy drawn on a canvas, which leaves the photo's EXIF and location
// behind), else the user places them by hand: click or tap, drag, or the arrow keys.
// No geometry here: after each change the points go to POST /api/v1/measurements, and
// the server says the angles, the test's result and the answers to fill in. Which points
// each test needs, and their words, come from the page's #photo-guide block.
import { csrfToken, problemText, say, send } from "./api.js";

const SVG = "http://www.w3.org/2000/svg";
const DEBOUNCE_MS = 250; // ask the server once the pointer or the keys pause
const BIG_STEP = 10; // Shift + an arrow key moves this many screen pixels
const MARK_RADIUS = 7; // screen pixels
const HIT_RADIUS = 18; // screen pixels: a finger finds a point to drag
const JPEG_QUALITIES = [0.9, 0.8, 0.7, 0.6];
const ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
// The angles each test's panel shows (the server sends them all).
const SHOWN = {
  thomas: [["thigh_angle_deg", "Thigh angle (A)"], ["knee_flexion_deg", "Knee bend (B)"]],
  extension: [["hip_extension_deg", "Hip extension (A)"], ["trunk_lean_deg", "Trunk lean"]],
};

function svg(name, attributes = {}) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

function sentence(text) {
  const first = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

const degrees = (value) => `${value}°`;

/** The photo as a JPEG no larger than the upload allows, upright, without EXIF. */
async function shrink(file, upload) {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  try {
    let scale = Math.min(1, upload.upload_long_side_px / Math.max(bitmap.width, bitmap.height));
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const width = Math.max(1, Math.round(bitmap.width * scale));
      const height = Math.max(1, Math.round(bitmap.height * scale));
      const canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = height;
      canvas.getContext("2d").drawImage(bitmap, 0, 0, width, height);
      for (const quality of JPEG_QUALITIES) {
        const blob = await new Promise((done) => canvas.toBlob(done, "image/jpeg", quality));
        if (blob && blob.size <= upload.upload_max_bytes) return { blob, width, height };
      }
      scale *= 0.75;
    }
  } finally {
    bitmap.close();
  }
  throw new Error("the photo stays too large");
}

function setUp(root, guide, upload, onUse) {
  const test = root.dataset.test;
  const spec = guide.tests[test];
  const byId = (suffix) => document.getElementById(`photo-${test}-${suffix}`);
  const status = byId("status");
  const alarm = byId("error");
  const work = byId("work");
  const stage = byId("stage");
  const canvas = byId("canvas");
  const anglesBox = byId("angles");
  const warningsBox = byId("warnings");
  const useButton = byId("use");
  const state = {
    width: 0, height: 0, url: null, blob: null, points: new Map(), selected: spec.points[0].name,
    found: null, result: null, asked: 0, timer: 0, drag: null,
  };
  const image = svg("image", { x: 0, y: 0, preserveAspectRatio: "none" });
  const overlay = svg("g", { class: "photo-marks" });
  canvas.append(image, overlay);
  image.setAttribute("aria-hidden", "true");
  overlay.setAttribute("aria-hidden", "true");

  const pointSpec = (name) => spec.points.find((point) => point.name === name);
  const side = () => {
    const box = root.querySelector(`input[name="photo_${test}_side"]:checked`);
    return box ? box.value : null;
  };
  /** Progress and guidance (a polite live region); a problem goes to the alert region. */
  const tell = (text) => {
    say(status, "ok", text);
    alarm.textContent = "";
  };
  const warn = (text) => {
    alarm.textContent = text;
  };

  /** Image pixels per screen pixel, as the photo is shown now. */
  function scale() {
    const shown = canvas.getBoundingClientRect().width;
    return shown > 0 && state.width ? state.width / shown : 1;
  }

  function prompt(name) {
    const point = pointSpec(name);
    const optional = point.optional ? " (optional)" : "";
    const where = state.points.has(name) ? "Drag it, or use the arrow keys, to move it" : "Click or tap it on the photo";
    return `${point.label}${optional}: ${point.hint}. ${where}.`;
  }

  function select(name, announce) {
    state.selected = name;
    const radio = byId(`point-${name}`);
    if (radio) radio.checked = true;
    draw();
    if (announce) tell(prompt(name));
  }

  function nextUnplaced(after) {
    const names = spec.points.map((point) => point.name);
    const start = names.indexOf(after);
    const order = [...names.slice(start + 1), ...names.slice(0, start + 1)];
    return order.find((name) => !state.points.has(name)) || null;
  }

  function draw() {
    overlay.replaceChildren();
    const unit = scale();
    for (const [from, to] of spec.segments) {
      const a = state.points.get(from);
      const b = state.points.get(to);
      if (a && b) {
        const table = from.startsWith("table");
        overlay.append(svg("line", { x1: a[0], y1: a[1], x2: b[0], y2: b[1], class: table ? "segment reference" : "segment" }));
      }
    }
    spec.points.forEach((point, index) => {
      const at = state.points.get(point.name);
      if (!at) return;
      const mark = svg("g", { class: point.name === state.selected ? "mark selected" : "mark", "data-point": point.name });
      mark.append(
        svg("circle", { cx: at[0], cy: at[1], r: HIT_RADIUS * unit, class: "hit" }),
        svg("circle", { cx: at[0], cy: at[1], r: MARK_RADIUS * unit, class: "dot" }),
      );
      if (point.name === state.selected) mark.append(svg("circle", { cx: at[0], cy: at[1], r: (MARK_RADIUS + 5) * unit, class: "ring" }));
      const label = svg("text", { x: at[0] + (MARK_RADIUS + 3) * unit, y: at[1] - (MARK_RADIUS + 3) * unit, "font-size": 15 * unit, class: "mark-label" });
      label.textContent = String(index + 1);
      mark.append(label);
      overlay.append(mark);
    });
    for (const point of spec.points) {
      const words = byId(`point-${point.name}-state`);
      if (words) words.textContent = state.points.has(point.name) ? "(placed)" : "(not placed)";
    }
  }

  function place(name, x, y) {
    const clamp = (value, high) => Math.round(Math.min(Math.max(value, 0), high) * 10) / 10;
    state.points.set(name, [clamp(x, state.width), clamp(y, state.height)]);
    draw();
    schedule();
  }

  function schedule() {
    clearTimeout(state.timer);
    state.timer = setTimeout(measure, DEBOUNCE_MS);
  }

  function showResult(data, leg) {
    const list = document.createElement("dl");
    for (const [key, words] of SHOWN[test]) {
      const value = data.angles[key][leg];
      if (value === null) continue;
      const term = document.createElement("dt");
      term.textContent = words;
      const detail = document.createElement("dd");
      detail.textContent = degrees(value);
      list.append(term, detail);
    }
    const found = test === "thomas" ? data.thomas[leg] : data.hip_extension[leg];
    const verdict = document.createElement("p");
    verdict.className = "photo-verdict";
    if (found) verdict.textContent = `Your ${leg} leg, measured from the photo: ${found.title}.`;
    else verdict.textContent = data.problem ? `Not measured yet: ${data.problem}.` : "Not measured yet.";
    anglesBox.replaceChildren(...(list.childElementCount ? [list] : []), verdict);
    warningsBox.replaceChildren(...data.warnings.map((text) => {
      const item = document.createElement("li");
      item.textContent = sentence(text);
      return item;
    }));
    useButton.disabled = !found;
  }

  function forget() {
    state.result = null;
    useButton.disabled = true;
    anglesBox.replaceChildren();
    warningsBox.replaceChildren();
  }

  async function measure() {
    const leg = side();
    if (!state.url || !state.points.size) { forget(); return; }
    if (!leg) {
      forget();
      anglesBox.textContent = "Say which leg the photo measures, above, to see its angles.";
      return;
    }
    const asked = (state.asked += 1);
    const body = { points: Object.fromEntries(state.points), width: state.width, height: state.height, side: leg, test };
    if (state.found && state.found.facing) body.facing = state.found.facing; // the model's
    // The model's nose, not a point to mark, tells the server which way the person faces
    // (else it goes by the toe, which a foot lying back on the floor gets wrong).
    if (state.found && state.found.points.nose) body.points.nose = state.found.points.nose;
    const answer = await send("POST", "/api/v1/measurements", body);
    if (asked !== state.asked) return; // a newer change has been sent since
    if (!answer.ok) {
      forget();
      warn(`The angles could not be worked out: ${answer.message}`);
      return;
    }
    alarm.textContent = "";
    state.result = { data: answer.data, leg };
    showResult(answer.data, leg);
  }

  function useFound(leg) {
    if (!state.found) return 0;
    let count = 0;
    for (const point of spec.points) {
      const at = state.found.points[`${point.name}_${leg}`] || state.found.points[point.name];
      if (at) {
        state.points.set(point.name, at);
        count += 1;
      }
    }
    return count;
  }

  async function findPoints() {
    const form = new FormData();
    form.append("photo", state.blob, "photo.jpg");
    let response = null;
    let data = null;
    try {
      response = await fetch(upload.url, { method: "POST", body: form, headers: { "X-CSRF-Token": csrfToken() }, credentials: "same-origin" });
      try { data = await response.json(); } catch { data = null; }
    } catch {
      response = null;
    }
    const first = nextUnplaced(spec.points[spec.points.length - 1].name) || spec.points[0].name;
    if (!response || !response.ok) {
      select(first, false);
      if (response && response.status === 503) {
        // Not a fault: the optional pose extra is not installed on this computer.
        tell(`hipflex can't find the points by itself here (that needs its optional pose extra), so please place them by hand, one after another: it only takes a moment. ${prompt(first)}`);
        return;
      }
      const why = !response ? "hipflex could not be reached to find the points." : problemText(data, response.status);
      tell(`Place the points by hand, one after another. ${prompt(first)}`);
      warn(why);
      return;
    }
    if (data.width !== state.width || data.height !== state.height) {
      tell(`Place the points by hand. ${prompt(first)}`);
      return;
    }
    state.found = data;
    if (!side() && data.near_side) byId(`side-${data.near_side}`).checked = true;
    const leg = side();
    const count = leg ? useFound(leg) : 0;
    const next = nextUnplaced(spec.points[spec.points.length - 1].name);
    select(next || spec.points[0].name, false);
    schedule();
    const rest = next ? ` Then place the rest. ${prompt(next)}` : "";
    tell(`hipflex found ${count} of the points: check each one and drag any that is off.${rest}`);
  }

  async function open(file) {
    if (!file) return;
    forget();
    tell("Opening your photo…");
    let shrunk;
    try {
      shrunk = await shrink(file, upload);
    } catch {
      tell("");
      warn("This browser cannot open that file as a photo: choose a JPEG or PNG photo.");
      return;
    }
    if (state.url) URL.revokeObjectURL(state.url);
    Object.assign(state, { ...shrunk, url: URL.createObjectURL(shrunk.blob), found: null });
    state.points.clear();
    canvas.setAttribute("viewBox", `0 0 ${state.width} ${state.height}`);
    canvas.style.aspectRatio = `${state.width} / ${state.height}`;
    stage.style.maxWidth = `min(100%, ${state.width}px, calc(70vh * ${state.width} / ${state.height}))`;
    image.setAttribute("width", state.width);
    image.setAttribute("height", state.height);
    image.setAttribute("href", state.url);
    work.hidden = false;
    select(spec.points[0].name, false);
    tell("Looking for the points in your photo…");
    await findPoints();
  }

  function imagePoint(event) {
    const matrix = canvas.getScreenCTM();
    if (!matrix) return null;
    const at = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    return [at.x, at.y];
  }

  canvas.addEventListener("pointerdown", (event) => {
    if (!state.url || event.button > 0) return;
    const mark = event.target.closest("[data-point]");
    const name = mark ? mark.dataset.point : state.selected;
    // Select first: should the page above move, the photo's position is read after it.
    if (name !== state.selected) select(name, false);
    const at = imagePoint(event);
    if (!at) return;
    const from = state.points.get(name);
    const placing = !mark;
    // A point is grabbed where the pointer touched it: it does not jump to the pointer.
    const offset = placing || !from ? [0, 0] : [from[0] - at[0], from[1] - at[1]];
    state.drag = { name, offset, placing, id: event.pointerId };
    canvas.setPointerCapture(event.pointerId);
    event.preventDefault();
    canvas.focus({ preventScroll: true });
    if (placing) place(name, at[0], at[1]);
  });
  canvas.addEventListener("pointermove", (event) => {
    const drag = state.drag;
    if (!drag || drag.id !== event.pointerId) return;
    const at = imagePoint(event);
    if (at) place(drag.name, at[0] + drag.offset[0], at[1] + drag.offset[1]);
  });
  const drop = (event) => {
    const drag = state.drag;
    if (!drag || drag.id !== event.pointerId) return;
    state.drag = null;
    const next = drag.placing ? nextUnplaced(drag.name) : null;
    if (next) select(next, true);
    else tell(`${pointSpec(drag.name).label} placed. Drag any point that is off; the angles follow.`);
  };
  canvas.addEventListener("pointerup", drop);
  canvas.addEventListener("pointercancel", drop);

  canvas.addEventListener("keydown", (event) => {
    const step = ARROWS[event.key];
    if (!step || !state.url || !state.selected || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    const at = state.points.get(state.selected);
    if (!at) {
      // The first press puts the point in the middle of the photo; the next ones move it.
      place(state.selected, state.width / 2, state.height / 2);
      tell(`${pointSpec(state.selected).label} placed in the middle of the photo: move it with the arrow keys.`);
      return;
    }
    const size = (event.shiftKey ? BIG_STEP : 1) * scale();
    place(state.selected, at[0] + step[0] * size, at[1] + step[1] * size);
  });

  root.addEventListener("change", (event) => {
    const target = event.target;
    if (target.name === `photo_${test}_point`) select(target.value, true);
    else if (target.name === `photo_${test}_side`) {
      if (state.found) useFound(target.value);
      draw();
      schedule();
    } else if (target.type === "file") {
      open(target.files[0]);
    }
  });

  useButton.addEventListener("click", () => {
    if (!state.result) return;
    const { data, leg } = state.result;
    const found = test === "thomas" ? data.thomas[leg] : data.hip_extension[leg];
    if (!found) return;
    onUse(test, leg, found);
    const other = leg === "left" ? "right" : "left";
    tell(`Done: the answers for your ${leg} leg below now hold these angles. For your ${other} leg, choose its photo.`);
  });

  byId("clear").addEventListener("click", () => {
    state.points.clear();
    forget();
    select(spec.points[0].name, true);
  });

  new ResizeObserver(() => { if (state.url) draw(); }).observe(canvas);
  if (window.matchMedia("(pointer: coarse)").matches) root.querySelector(".photo-camera").hidden = false;
  root.hidden = false;
}

/** Every photo control of the page; `onUse(test, side, found)` fills that side's answers. */
export function setUpPhotoMeasures(onUse) {
  const block = document.getElementById("photo-guide");
  if (!block) return;
  const guide = JSON.parse(block.textContent);
  const upload = { url: "/api/v1/measurements/landmarks", ...guide };
  for (const root of document.querySelectorAll("details.photo-measure")) setUp(root, guide, upload, onUse);
}
