// The session page: plays a step script compiled in Python (hipflex.domain.script) with
// player-core.js, the domain player's state machine (proved equal by replayed traces).
// This file has no rules of its own: it feeds the core the clock and the buttons, and
// renders and reacts to what the core says. Each completed hold or set is posted once, as
// it completes. A session stopped in the browser (a reload, a closed tab) is offered to
// resume on the next visit; the server decides which and where.
// ?speed=N makes the clock run N times faster (tests and demos).

import * as core from "./player-core.js";
import { send } from "./api.js";
import * as outbox from "./entry-queue.js";

const root = document.getElementById("player");
const mode = root.dataset.mode; // "session" or "break"
const $ = (id) => document.getElementById(id);
const speed = (() => {
  const asked = Number(new URLSearchParams(window.location.search).get("speed"));
  return Number.isFinite(asked) && asked > 0 ? Math.min(asked, 1000) : 1;
})();
const clock = () => (performance.now() / 1000) * speed;
const exerciseNames = JSON.parse($("exercise-names").textContent);
// the top of the pain scale, as the page's scale has it (from the domain's range)
const PAIN_MAX = Math.max(...[...document.querySelectorAll('input[name="pain_before"]')].map((r) => Number(r.value)));

let script = null;
let logId = null;
let player = null; // player-core's state; null before the start
let timer = null;
let painShown = false; // the sharp-pain advice is on screen, waiting for a choice
let interrupted = null; // the session the server offers to resume
let posting = Promise.resolve();
const posted = new Set(); // step indices already sent: going back never logs a hold twice

// ---- talking to the API -------------------------------------------------------------

function problem(text) {
  const box = $("player-message");
  box.classList.toggle("error", Boolean(text));
  box.textContent = text;
}

function postEntry(step, sharpPain) {
  if (mode === "break" && sharpPain && step.exercise_id) {
    // A break is not logged as a session, but sharp pain in it pauses the stretch.
    posting = posting.then(async () => {
      const body = { exercise_id: step.exercise_id, side: step.side };
      const result = await send("POST", "/api/v1/break/sharp-pain", body);
      if (!result.ok) problem(`The sharp pain was not saved: ${result.message}`);
    });
    return;
  }
  if (mode !== "session" || logId === null || !step.exercise_id) return;
  const body = {
    exercise_id: step.exercise_id,
    side: step.side,
    set_number: step.number || 1,
    sharp_pain: sharpPain,
  };
  if (!sharpPain) {
    if (step.kind === "hold") body.hold_seconds = step.hold_seconds ?? step.seconds;
    else body.reps = step.reps;
  }
  outbox.add(logId, body); // kept in this browser until the server has it
  sendWaiting();
}

// The server away (a restart, a closed laptop lid): the player keeps timing, the entries
// wait in the outbox, and go when it answers again (tried every few seconds, and when
// the browser is back online).
const RETRY_MS = 3000;
let away = false;
let retry = null;

function sendWaiting() {
  window.clearTimeout(retry);
  posting = outbox.flush(send).then(({ left, problems }) => {
    for (const message of problems) problem(`That last entry was not saved: ${message}`);
    if (left && !away) {
      problem("Can't reach hipflex just now. Keep going: what you finish is kept in this browser and sent when it is back.");
    } else if (!left && away && !problems.length) {
      problem("");
    }
    away = Boolean(left);
    root.dataset.outbox = String(left);
    if (left) retry = window.setTimeout(sendWaiting, RETRY_MS);
    return { left, problems };
  });
  return posting;
}
window.addEventListener("online", () => { if (away) sendWaiting(); });

// ---- sound, speech and the screen ---------------------------------------------------

let audio = null;
let wakeLock = null;

function beep(frequency = 740, seconds = 0.12, delay = 0) {
  if (!audio || !$("opt-sound").checked) return;
  const start = audio.currentTime + delay;
  const tone = audio.createOscillator();
  const gain = audio.createGain();
  tone.frequency.value = frequency;
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(0.25, start + 0.01);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + seconds);
  tone.connect(gain).connect(audio.destination);
  tone.start(start);
  tone.stop(start + seconds + 0.02);
}

function speak(text) {
  if (!$("opt-speech").checked || !("speechSynthesis" in window) || speed !== 1) return;
  window.speechSynthesis.cancel();
  window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
}

async function keepScreenOn() {
  if (!("wakeLock" in navigator) || wakeLock || document.visibilityState !== "visible") return;
  try {
    wakeLock = await navigator.wakeLock.request("screen");
    wakeLock.addEventListener("release", () => { wakeLock = null; });
  } catch { wakeLock = null; } // refused (battery saver): the session still plays
}

document.addEventListener("visibilitychange", () => {
  if (player && !player.finished) keepScreenOn();
});

// ---- what the core says -------------------------------------------------------------

function apply(outputs) {
  const steps = script.steps;
  let cue = null;
  let pain = null;
  let end = null;
  for (const output of outputs) {
    const step = steps[output.index];
    if (output.type === "step_started") {
      beep(step.kind === "hold" || step.kind === "set" ? 880 : 620);
    } else if (output.type === "cue_due") {
      // the screen's words for it come with the script ("" when the title says it)
      const found = step.cues.find((c) => c.at === output.at && c.text === output.text);
      cue = { said: output.text, shown: found ? found.shown : output.text };
    } else if (output.type === "step_completed") {
      if (step.records && !posted.has(output.index)) {
        posted.add(output.index);
        postEntry(step, false);
      }
    } else if (output.type === "sharp_pain") {
      pain = output;
      postEntry(step, true);
    } else if (output.type === "finished") {
      end = output;
    }
  }
  root.dataset.step = String(player.index);
  if (cue !== null) showCue(cue); // several at once: the latest is the one that counts
  if (pain) showPainStop(pain);
  else if (end) showFinish(end.quit);
  if (!painShown && !player.finished) render();
  schedule();
}

function showCue({ said, shown }) {
  $("cue").textContent = shown;
  if (said) speak(said);
}

function act(action) {
  if (!player || player.finished) return;
  let outputs;
  [player, outputs] = core.control(player, action, clock());
  apply(outputs);
}

function onTimer() {
  if (!player || player.finished) return;
  let outputs;
  [player, outputs] = core.tick(player, clock());
  apply(outputs);
}

function schedule() {
  window.clearTimeout(timer);
  if (!player || painShown) return;
  const deadline = core.nextDeadline(player);
  if (deadline === null) return; // paused or finished
  const untilSecond = core.remaining(player) % 1 || 1; // the countdown's next change
  const wait = Math.min(deadline, untilSecond);
  timer = window.setTimeout(onTimer, Math.max(15, Math.min(250, (wait * 1000) / speed)));
}

// ---- the screen ---------------------------------------------------------------------

function clockFace(seconds) {
  const whole = Math.max(0, Math.ceil(seconds - core.EPSILON));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

function stepDetail(step) {
  const side = step.side ? `${step.side} side` : "";
  const count = step.number && step.of ? `${step.kind === "hold" ? "hold" : "set"} ${step.number} of ${step.of}` : "";
  const reps = step.kind === "set" && step.reps ? `${step.reps} reps` : "";
  const words = { rest: "Rest", change: "Get into position" }[step.kind] || ""; // a lead-in's title says "Get ready"
  return [words, side, count, reps].filter(Boolean).join(" · ");
}

function render() {
  const steps = script.steps;
  const step = steps[player.index];
  root.dataset.state = player.paused ? "paused" : "playing";
  Object.assign(root.dataset, { exercise: step.exercise_id || "", side: step.side || "" }); // player-pictures.js
  root.classList.toggle("is-paused", player.paused);
  $("player-state").textContent = player.paused ? "Paused. Press Resume (or Space) to go on." : "";
  $("btn-pause").textContent = player.paused ? "Resume" : "Pause";
  $("step-title").textContent = step.title;
  $("step-detail").textContent = stepDetail(step);
  $("countdown").textContent = clockFace(core.remaining(player));
  $("btn-back").disabled = player.index === 0;
  $("btn-sharp-pain").disabled = !step.exercise_id;

  // This exercise: the run of steps sharing its exercise id.
  const exercise = step.exercise_id;
  const order = [...new Set(steps.map((s) => s.exercise_id).filter(Boolean))];
  let first = player.index;
  let last = player.index;
  while (exercise && first > 0 && steps[first - 1].exercise_id === exercise) first -= 1;
  while (exercise && last < steps.length - 1 && steps[last + 1].exercise_id === exercise) last += 1;
  const span = steps.slice(first, last + 1).reduce((sum, s) => sum + s.seconds, 0) || 1;
  const into = steps.slice(first, player.index).reduce((sum, s) => sum + s.seconds, 0) + player.elapsed;
  $("exercise-progress").value = Math.min(1, into / span);
  $("exercise-progress-label").textContent = exercise
    ? `This exercise (${order.indexOf(exercise) + 1} of ${order.length}): ${Math.round((100 * into) / span)}% done`
    : "This exercise";

  const total = script.total_seconds || 1;
  const passed = steps.slice(0, player.index).reduce((sum, s) => sum + s.seconds, 0) + player.elapsed;
  $("session-progress").value = Math.min(1, passed / total);
  $("session-progress-label").textContent =
    `Whole ${mode === "session" ? "session" : "break"}: about ${clockFace(total - passed)} left`;

  $("up-next").textContent = step.up_next; // the domain's words
}

// Sharp pain: the core has stopped that exercise and waits, paused, at the next one (or
// has finished, after the last). The advice stays until you choose.
function showPainStop(output) {
  painShown = true;
  beep(300, 0.3);
  $("btn-continue").textContent = player.finished ? `Finish the ${mode}` : "Go on with the next exercise";
  $("pain-stop-exercise").textContent = exerciseNames[output.exercise_id] || "this exercise";
  $("stage").hidden = true;
  $("pain-stop").hidden = false;
  root.dataset.state = "sharp-pain";
  $("pain-stop-heading").focus();
}

function leavePainStop(action) {
  painShown = false;
  $("pain-stop").hidden = true;
  if (player.finished) {
    showFinish(player.quit);
    return;
  }
  $("stage").hidden = false;
  act(action);
  if (!player.finished) $("step-title").focus();
}

function showFinish(quit) {
  window.clearTimeout(timer);
  if (painShown) return; // the advice first; the finish screen when you leave it
  if (wakeLock) wakeLock.release().catch(() => {});
  beep(880, 0.12);
  beep(1175, 0.2, 0.16);
  root.dataset.state = "finished";
  $("stage").hidden = true;
  $("pain-stop").hidden = true;
  $("finish").hidden = false;
  const what = mode === "session" ? "session" : "break";
  $("finish-heading").textContent = quit ? `You ended the ${what} early` : `${what === "session" ? "Session" : "Break"} complete. Well done!`;
  $("finish-heading").focus();
}

// ---- controls -----------------------------------------------------------------------

function askQuit() {
  if (!player || player.finished) return;
  const wasPaused = player.paused;
  if (!wasPaused) act(core.Control.PAUSE); // the clock stops while you decide
  const dialog = $("quit-dialog");
  dialog.dataset.resume = wasPaused ? "" : "yes";
  dialog.showModal();
  $("quit-cancel").focus();
}

function keepGoing() {
  const dialog = $("quit-dialog");
  if (dialog.open) dialog.close();
  if (dialog.dataset.resume) act(core.Control.RESUME);
  $("btn-quit").focus();
}

function play(index) {
  try { audio = new (window.AudioContext || window.webkitAudioContext)(); } catch { audio = null; }
  keepScreenOn();
  $("before").hidden = true;
  if (mode === "session") $("resume").hidden = true;
  $("stage").hidden = false;
  // resuming: the holds before `index` are in the log already, never posted again
  script.steps.forEach((step, i) => { if (i < index && step.records) posted.add(i); });
  let outputs;
  [player, outputs] = core.start(script, clock(), index);
  apply(outputs);
  if (!player.finished) $("step-title").focus();
}

async function start() {
  const button = $("btn-start");
  button.disabled = true;
  problem("");
  let result;
  if (mode === "session") {
    const chosen = document.querySelector('input[name="pain_before"]:checked');
    result = await send("POST", "/api/v1/sessions", {
      slot: root.dataset.slot || null,
      pain_before: chosen ? Number(chosen.value) : null,
    });
    if (result.ok) {
      logId = result.data.id;
      script = result.data.script;
      try { window.sessionStorage.removeItem(PAIN_KEY); } catch { /* nothing kept */ } // in the log now
    }
  } else {
    result = await send("GET", "/api/v1/break/script");
    if (result.ok) script = result.data;
  }
  if (!result.ok) {
    button.disabled = false;
    problem(`The ${mode} could not start: ${result.message}`);
    return;
  }
  play(0);
}

// ---- resuming a session stopped in the browser --------------------------------------

async function offerResume() {
  const button = $("btn-start");
  button.disabled = true; // until we know whether there is a session to resume
  // a session asked for by name in the address: another one is not offered (as in the
  // terminal); without a name, any stopped session is
  const slot = (new URLSearchParams(window.location.search).get("slot") || "").trim().toLowerCase();
  const query = slot ? `?slot=${encodeURIComponent(slot)}` : "";
  const result = await send("GET", `/api/v1/sessions/interrupted${query}`);
  button.disabled = false;
  if (!result.ok || !result.data || player) return; // nothing to resume: start as usual
  interrupted = result.data;
  const step = interrupted.script.steps[interrupted.resume_at];
  const at = step.kind === "done" ? "after its last hold" : `at “${step.title}”`;
  const pain = interrupted.pain_before === null ? "" : ` Your pain before it was ${interrupted.pain_before} of ${PAIN_MAX}: that is kept too.`;
  $("resume-text").textContent =
    `You stopped your ${interrupted.name.toLowerCase()} before the end. ` +
    `Resume it ${at}: what you finished is saved.${pain} Or start again from the beginning.`;
  $("before").hidden = true;
  $("resume").hidden = false;
  $("resume-heading").focus();
}

function resume() {
  if (!interrupted) return;
  problem("");
  logId = interrupted.id;
  script = interrupted.script;
  play(interrupted.resume_at);
}

async function startAgain() {
  if (!interrupted) return;
  const button = $("btn-start-again");
  button.disabled = true;
  problem("");
  const result = await send("POST", `/api/v1/sessions/${interrupted.id}/abandon`);
  button.disabled = false;
  if (!result.ok && result.status !== 404) { // 404: closed already, nothing to do
    problem(`The stopped session could not be closed: ${result.message}`);
    return;
  }
  if (interrupted.pain_before !== null) choosePainBefore(interrupted.pain_before);
  interrupted = null;
  $("resume").hidden = true;
  $("before").hidden = false;
  $("btn-start").focus();
}

// ---- the end ------------------------------------------------------------------------

/** What was done, pain before and after, the streak: the server's summary, as it is. */
function showSummary(summary) {
  const item = (text) => {
    const li = document.createElement("li");
    li.textContent = text;
    return li;
  };
  const done = summary.done.map((d) => item(d.text));
  for (const id of summary.sharp_pain) done.push(item(`${exerciseNames[id] || id}: stopped after sharp pain`));
  if (!done.length) done.push(item("No hold or set finished this time."));
  $("summary-done").replaceChildren(...done);
  const score = (value) => (value === null ? "not given" : `${value} of ${PAIN_MAX}`);
  $("summary-pain").textContent = `${score(summary.pain_before)} before, ${score(summary.pain_after)} after`;
  $("summary-streak").textContent = summary.streak;
  $("summary").hidden = false;
}

async function saveFinish(event) {
  event.preventDefault();
  const chosen = document.querySelector('input[name="pain_after"]:checked');
  const note = $("finish-note").value.trim();
  $("btn-save").disabled = true;
  const { left } = await sendWaiting(); // every hold is saved before the session closes
  const box = $("finish-message");
  if (left) {
    box.classList.remove("ok");
    box.classList.add("error");
    box.textContent = "Not saved yet: hipflex can't be reached. What you did is kept in this browser: press Save again when hipflex is back.";
    $("btn-save").disabled = false;
    return;
  }
  const result = await send("POST", `/api/v1/sessions/${logId}/finish`, {
    pain_after: chosen ? Number(chosen.value) : null,
    note: note || null,
  });
  box.classList.remove("ok", "error");
  if (result.ok) {
    box.classList.add("ok");
    box.textContent = "Saved. Your session is in your log.";
    $("finish-form").hidden = true;
    const warning = result.data.warning; // the server's words: the rule lives there
    $("pain-warning-text").textContent = warning || "";
    $("pain-warning").hidden = !warning;
    showSummary(result.data.summary);
  } else {
    box.classList.add("error");
    box.textContent = `Not saved: ${result.message}`;
    $("btn-save").disabled = false;
  }
}

for (const button of document.querySelectorAll("[data-clear]")) {
  button.addEventListener("click", () => {
    for (const radio of document.querySelectorAll(`input[name="${button.dataset.clear}"]`)) radio.checked = false;
    if (button.dataset.clear === "pain_before") keepPainBefore();
  });
}

// The pain rating before the start survives a reload of the page (this tab only); once
// the session has started it is in the session's log.
const PAIN_KEY = "hipflex.player.pain_before";

function keepPainBefore() {
  const chosen = document.querySelector('input[name="pain_before"]:checked');
  try {
    if (chosen) window.sessionStorage.setItem(PAIN_KEY, chosen.value);
    else window.sessionStorage.removeItem(PAIN_KEY);
  } catch { /* not kept: nothing else changes */ }
}

function choosePainBefore(value) {
  const radio = document.querySelector(`input[name="pain_before"][value="${Number(value)}"]`);
  if (radio) radio.checked = true;
  keepPainBefore();
}

if (mode === "session") {
  for (const radio of document.querySelectorAll('input[name="pain_before"]')) {
    radio.addEventListener("change", keepPainBefore);
  }
  let kept = null;
  try { kept = window.sessionStorage.getItem(PAIN_KEY); } catch { kept = null; }
  if (kept !== null) choosePainBefore(kept);
}
$("btn-start").addEventListener("click", start);
$("btn-pause").addEventListener("click", () => act(player.paused ? core.Control.RESUME : core.Control.PAUSE));
$("btn-skip").addEventListener("click", () => act(core.Control.SKIP));
$("btn-back").addEventListener("click", () => act(core.Control.BACK));
$("btn-quit").addEventListener("click", askQuit);
$("btn-sharp-pain").addEventListener("click", () => act(core.Control.SHARP_PAIN));
$("quit-confirm").addEventListener("click", () => { $("quit-dialog").close(); act(core.Control.QUIT); });
$("quit-cancel").addEventListener("click", keepGoing);
$("quit-dialog").addEventListener("cancel", (event) => { event.preventDefault(); keepGoing(); });
$("btn-continue").addEventListener("click", () => leavePainStop(core.Control.RESUME));
$("btn-end").addEventListener("click", () => leavePainStop(core.Control.QUIT));
if (mode === "session") {
  $("finish-form").addEventListener("submit", saveFinish);
  $("btn-resume").addEventListener("click", resume);
  $("btn-start-again").addEventListener("click", startAgain);
  // what a reload interrupted on its way goes first, so the offer counts it
  sendWaiting().then(offerResume);
}

document.addEventListener("keydown", (event) => {
  if (!player || player.finished || event.ctrlKey || event.altKey || event.metaKey) return;
  if ($("quit-dialog").open || painShown) return;
  const target = event.target;
  if (target.closest("input, textarea, select")) return;
  const onButton = Boolean(target.closest("button"));
  const skip = () => act(core.Control.SKIP);
  const back = () => act(core.Control.BACK);
  const pain = () => act(core.Control.SHARP_PAIN);
  const actions = {
    " ": () => act(player.paused ? core.Control.RESUME : core.Control.PAUSE),
    n: skip, N: skip, ArrowRight: skip,
    b: back, B: back, ArrowLeft: back,
    s: pain, S: pain,
    q: askQuit, Q: askQuit,
  };
  const action = actions[event.key];
  if (!action || (event.key === " " && onButton)) return; // Space on a button presses it
  event.preventDefault();
  action();
});
