// The assessment wizard: one step at a time, friendly checks before moving on, then the
// answers go to POST /api/v1/assessments. The server checks everything again (its 422
// message is shown above the form). Without this script the form posts to /assess.
// At /assess?safety=1 the page holds only the safety step: the answers go to
// POST /api/v1/safety-checks (the questions asked again after a pain rise or sharp pain).
import { say, send } from "./api.js";
import { setUpPhotoMeasures } from "./photo-measure.js";
import * as memory from "./wizard-memory.js";

const form = document.getElementById("assess-form");
const steps = [...form.querySelectorAll(".wizard-step")];
const backButton = document.getElementById("wizard-back");
const nextButton = document.getElementById("wizard-next");
const submitButton = document.getElementById("wizard-submit");
const problem = document.getElementById("assess-error");
const safetyNote = document.getElementById("safety-stop-note");
const SIDES = ["left", "right"];
// The accepted ranges, rendered by the server from hipflex.domain.limits (never a copy here).
const LIMITS = JSON.parse(document.getElementById("hipflex-limits").textContent);
let current = 0;
let reached = 0; // the furthest step whose checks passed: the address may go back to it
const kind = form.elements.namedItem("kind").value;
const safetyOnly = kind === "safety_check";

document.documentElement.classList.add("js");
form.noValidate = true; // the checks below give friendlier messages than the browser's

const field = (name) => form.elements.namedItem(name);
const checked = (name) => {
  const box = form.querySelector(`input[name="${name}"]:checked`);
  return box ? box.value : null;
};
const isSkipped = (test) => document.getElementById(`${test}_skip`).checked;

function setError(key, text) {
  const box = document.getElementById(`${key}-error`);
  if (box) box.textContent = text;
  for (const input of form.querySelectorAll(`[aria-describedby~="${key}-error"]`)) {
    if (text) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }
  return text ? key : null;
}

/** The number in a field, "" when blank, or NaN when it is not a number. */
function numberIn(name) {
  const input = field(name);
  if (input.validity && input.validity.badInput) return Number.NaN;
  const text = input.value.trim();
  return text === "" ? "" : Number(text);
}

function checkNumber(name, what, range, required) {
  const { min, max } = range;
  const value = numberIn(name);
  let text = "";
  if (value === "") text = required ? `Enter ${what}, from ${min} to ${max}.` : "";
  else if (Number.isNaN(value)) text = `That isn't a number: enter ${what}, from ${min} to ${max}.`;
  else if (value < min || value > max) text = `Enter ${what} from ${min} to ${max}; ${value} is outside that range.`;
  return setError(name, text);
}

const checks = {
  "step-safety": () =>
    [...form.querySelectorAll('#step-safety input[value="no"]')].map((radio) => {
      const key = radio.id.replace(/-no$/, "");
      return setError(key, checked(radio.name) ? "" : "Please answer yes or no.");
    }),
  "step-sitting": () => [checkNumber("sitting_hours", "the hours you sit on a typical day", LIMITS.sitting_hours, true)],
  "step-thomas": () => {
    if (isSkipped("thomas")) return SIDES.flatMap((s) => [setError(`thomas_${s}_thigh`, ""), setError(`thomas_${s}_angle`, ""), setError(`thomas_${s}_knee`, "")]);
    return SIDES.flatMap((side) => {
      const thigh = checked(`thomas_${side}_thigh`);
      return [
        setError(`thomas_${side}_thigh`, thigh ? "" : `Choose where your ${side} thigh rested.`),
        thigh === "angle"
          ? checkNumber(`thomas_${side}_angle`, `angle A for the ${side} thigh`, LIMITS.thigh_angle_deg, true)
          : setError(`thomas_${side}_angle`, ""),
        checkNumber(`thomas_${side}_knee`, `the ${side} knee bend in degrees`, LIMITS.knee_flexion_deg, true),
      ];
    });
  },
  "step-extension": () => {
    if (isSkipped("extension")) return SIDES.flatMap((s) => [setError(`extension_${s}_degrees`, ""), setError(`extension_${s}_compensated`, "")]);
    return SIDES.flatMap((side) => {
      const compensated = checked(`extension_${side}_compensated`);
      return [
        setError(`extension_${side}_compensated`, compensated ? "" : "Please answer yes or no."),
        // With compensation the side counts as tight whatever the angle, so it may be blank.
        checkNumber(`extension_${side}_degrees`, `how far your ${side} leg went back`, LIMITS.extension_deg, compensated !== "yes"),
      ];
    });
  },
};

function validate(step) {
  const failed = (checks[step.id] ? checks[step.id]() : []).filter(Boolean);
  if (!failed.length) {
    problem.textContent = "";
    return true;
  }
  say(problem, "error", failed.length === 1 ? "One answer needs a look: see the message below it." : `${failed.length} answers need a look: see the messages below them.`);
  const first = form.querySelector(`[aria-describedby~="${failed[0]}-error"]`);
  if (first) first.focus();
  return false;
}

function redFlags() {
  return [...form.querySelectorAll('#step-safety input[value="yes"]:checked')].map((radio) =>
    radio.name.replace(/^red_flag_/, ""),
  );
}

function numberOrNull(name) {
  const value = numberIn(name);
  return value === "" || Number.isNaN(value) ? null : value;
}

/** How a side was measured, as the API's fields: {method, pelvis_checked}. */
function measuredHow(test, side) {
  const pelvis = field(`${test}_${side}_pelvis_checked`).value;
  return { method: field(`${test}_${side}_method`).value, pelvis_checked: pelvis === "" ? null : pelvis === "yes" };
}

/** The answers as the API's body (the same mapping as the no-script form post). */
function answers() {
  const body = { thomas: {}, hip_extension: {}, signs: [], red_flags: redFlags(), kind: field("kind").value };
  body.sitting_hours = numberOrNull("sitting_hours");
  body.signs = [...form.querySelectorAll('input[name="signs"]:checked')].map((box) => box.value);
  for (const side of SIDES) {
    if (!isSkipped("thomas")) {
      const thigh = checked(`thomas_${side}_thigh`);
      const entry = { knee_flexion_deg: numberOrNull(`thomas_${side}_knee`) };
      if (thigh === "angle") entry.thigh_angle_deg = numberOrNull(`thomas_${side}_angle`);
      else if (thigh) entry.thigh = thigh;
      body.thomas[side] = Object.assign(entry, measuredHow("thomas", side));
    }
    if (!isSkipped("extension")) {
      body.hip_extension[side] = {
        degrees: numberOrNull(`extension_${side}_degrees`),
        compensated: checked(`extension_${side}_compensated`) === "yes",
        ...measuredHow("extension", side),
      };
    }
  }
  return body;
}

const fromPhoto = (test, side) => (field(`${test}_${side}_method`).value === "photo" ? " (from a photo)" : "");

function labelOf(input) {
  return input.closest("label").textContent.trim();
}

function fillReview() {
  const body = answers();
  const rows = [["Warning signs", body.red_flags.length ? "Yes, at least one" : "None"]];
  rows.push(["Sitting", `${body.sitting_hours} hours on a typical day`]);
  const signs = [...form.querySelectorAll('input[name="signs"]:checked')].map(labelOf);
  rows.push(["Signs you ticked", signs.length ? signs.join(" ") : "None"]);
  for (const side of SIDES) {
    const t = body.thomas[side];
    const thigh = t ? (t.thigh ? `thigh ${t.thigh}` : `thigh at ${t.thigh_angle_deg}°`) : "";
    rows.push([`Thomas test, ${side}`, t ? `${thigh}, knee bent ${t.knee_flexion_deg}°${fromPhoto("thomas", side)}` : "Skipped"]);
  }
  for (const side of SIDES) {
    const e = body.hip_extension[side];
    const how = e ? `${e.degrees === null ? "angle not given" : `${e.degrees}° back`}, ${e.compensated ? "with" : "without"} arching or leaning` : "Skipped";
    rows.push([`Hip extension, ${side}`, e ? `${how}${fromPhoto("extension", side)}` : how]);
  }
  const list = document.getElementById("review-list");
  list.replaceChildren(
    ...rows.flatMap(([term, detail]) => {
      const dt = document.createElement("dt");
      dt.textContent = term;
      const dd = document.createElement("dd");
      dd.textContent = detail;
      return [dt, dd];
    }),
  );
}

function show(index, focus) {
  current = index;
  steps.forEach((step, i) => { step.hidden = i !== index; });
  backButton.hidden = index === 0;
  nextButton.hidden = index === steps.length - 1;
  submitButton.hidden = index !== steps.length - 1;
  if (steps[index].id === "step-review") fillReview();
  if (focus) steps[index].querySelector("h2").focus();
}

async function save(body) {
  submitButton.disabled = nextButton.disabled = true;
  problem.classList.remove("error");
  problem.textContent = "Saving your answers…";
  const result = await send("POST", safetyOnly ? "/api/v1/safety-checks" : "/api/v1/assessments", body);
  if (result.ok) {
    memory.forget(kind);
    window.location.assign(result.data.safe_to_exercise ? "/plan" : "/safety");
    return;
  }
  submitButton.disabled = nextButton.disabled = false;
  say(problem, "error", result.message);
  problem.focus();
}

function goNext() {
  if (!validate(steps[current])) return;
  if (steps[current].id === "step-safety" && redFlags().length) {
    // Safety first: a yes ends the wizard on the safety page; nothing else is asked.
    save({ red_flags: redFlags(), kind: field("kind").value });
    return;
  }
  const next = Math.min(current + 1, steps.length - 1);
  reached = Math.max(reached, next);
  memory.remember(form, kind, reached);
  show(next, true);
  memory.putStepInAddress(next, { push: true });
}

function goBack() {
  if (memory.cameFromAStep()) {
    window.history.back(); // the popstate below shows it: Back here is the browser's Back
    return;
  }
  show(Math.max(current - 1, 0), true);
  memory.putStepInAddress(current, { push: false });
}

// The browser's Back and Forward: to any step already reached (never past its checks).
window.addEventListener("popstate", () => {
  const asked = memory.stepInAddress();
  show(Math.min(asked === null ? 0 : asked, reached, steps.length - 1), true);
});

/** After a reload: the answers kept in this tab, the measured-how notes, and a note on the
 * safety questions asking you to confirm the answers put back (never silently trusted). */
function restore() {
  const kept = memory.recall(form, kind);
  if (!kept.restored) return;
  reached = Math.min(Math.max(kept.reached, 0), steps.length - 1);
  for (const test of ["thomas", "extension"]) {
    for (const side of SIDES) {
      const method = field(`${test}_${side}_method`);
      if (!method) continue; // the safety questions only
      const pelvis = field(`${test}_${side}_pelvis_checked`).value;
      setMeasuredHow(test, side, method.value, pelvis === "" ? null : pelvis === "yes");
    }
  }
  if (!form.querySelector('#step-safety input[type="radio"]:checked')) return;
  const note = document.createElement("p");
  note.className = "note";
  note.id = "wizard-restored";
  note.textContent =
    "Your answers from before the page reloaded are filled in. Please check your answers to these questions again before you go on.";
  steps[0].querySelector("h2").after(note);
}

function syncConditional() {
  for (const box of form.querySelectorAll("[data-when]")) {
    const [name, value] = box.dataset.when.split("=");
    box.hidden = checked(name) !== value;
  }
  for (const test of ["thomas", "extension"]) {
    const fields = document.getElementById(`${test}-fields`);
    if (!fields) continue; // the safety questions only
    fields.querySelectorAll(":scope > fieldset").forEach((set) => { set.disabled = isSkipped(test); });
  }
  safetyNote.hidden = redFlags().length === 0;
}

/** How a side's answers were measured: the hidden fields `{test}_{side}_method` ("self" or
 * "photo") and `{test}_{side}_pelvis_checked` ("yes"/"no" for a photo, blank for self),
 * and the note under the side's legend. */
function setMeasuredHow(test, side, method, pelvisChecked) {
  field(`${test}_${side}_method`).value = method;
  field(`${test}_${side}_pelvis_checked`).value = pelvisChecked === null ? "" : pelvisChecked ? "yes" : "no";
  document.getElementById(`${test}_${side}_photo-note`).hidden = method !== "photo";
  document.getElementById(`${test}_${side}_pelvis-note`).hidden = pelvisChecked !== false;
}

/** A side's answers measured from a photo (the server's reading of the angles); they count
 * as measured from the photo until one of them is changed by hand. */
function fillFromPhoto(test, side, found) {
  if (test === "thomas") {
    document.getElementById("thomas_skip").checked = false;
    document.getElementById(`thomas_${side}_thigh-angle`).checked = true;
    field(`thomas_${side}_angle`).value = String(found.thigh_angle_deg);
    field(`thomas_${side}_knee`).value = String(found.knee_flexion_deg);
    for (const key of ["thigh", "angle", "knee"]) setError(`thomas_${side}_${key}`, "");
  } else {
    document.getElementById("extension_skip").checked = false;
    field(`extension_${side}_degrees`).value = found.degrees === null ? "" : String(found.degrees);
    document.getElementById(`extension_${side}_compensated-${found.compensated ? "yes" : "no"}`).checked = true;
    for (const key of ["degrees", "compensated"]) setError(`extension_${side}_${key}`, "");
  }
  setMeasuredHow(test, side, "photo", found.pelvis_checked);
  syncConditional();
}

for (const test of ["thomas", "extension"]) {
  for (const side of SIDES) {
    const set = document.getElementById(`${test}-${side}`);
    if (!set) continue; // the safety questions only
    const byHand = () => setMeasuredHow(test, side, "self", null);
    set.addEventListener("input", byHand);
    set.addEventListener("change", byHand);
  }
}

form.addEventListener("change", syncConditional);
for (const type of ["input", "change"]) form.addEventListener(type, () => memory.remember(form, kind, reached));
nextButton.addEventListener("click", goNext);
backButton.addEventListener("click", goBack);
form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (current < steps.length - 1) goNext();
  else if (validate(steps[current])) save(safetyOnly ? { red_flags: redFlags() } : answers());
});

restore();
syncConditional();
const asked = memory.stepInAddress();
const first = Math.min(asked === null ? 0 : asked, reached, steps.length - 1);
show(first, false);
memory.putStepInAddress(first, { push: false });
if (!safetyOnly) setUpPhotoMeasures(fillFromPhoto);
