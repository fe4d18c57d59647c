// The session player: plays a step script compiled in Python (hipflex.domain.session).
// It only walks the steps on a clock: what the steps are, how long, and what they say,
// all come from the script. Each completed hold or set is posted as it completes.
// ?speed=N makes the clock run N times faster (tests and demos).

const root = document.getElementById("player");
const mode = root.dataset.mode; // "session" or "break"
const $ = (id) => document.getElementById(id);
const speed = (() => {
  const asked = Number(new URLSearchParams(window.location.search).get("speed"));
  return Number.isFinite(asked) && asked > 0 ? Math.min(asked, 1000) : 1;
})();
const clock = () => (performance.now() / 1000) * speed;
const EPSILON = 1e-9;
const exerciseNames = JSON.parse($("exercise-names").textContent);

let script = null;
let logId = null;
let state = null; // {index, elapsed, last, paused, finished, quit, done, skipped}
let timer = null;
let cueText = "";
let posting = Promise.resolve();
const posted = new Set(); // step indices already sent: going back never logs a hold twice

// ---- talking to the API -------------------------------------------------------------

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)hipflex_csrf=([^;]+)/);
  if (match) return decodeURIComponent(match[1]);
  return document.querySelector('meta[name="csrf-token"]').content;
}

async function api(method, url, body) {
  try {
    const response = await fetch(url, {
      method,
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await response.json().catch(() => null);
    if (response.ok) return { ok: true, data };
    const detail = data && data.detail;
    const text = typeof detail === "string" ? detail : `the app answered ${response.status}`;
    const sentence = text.charAt(0).toUpperCase() + text.slice(1);
    return { ok: false, message: /[.!?]$/.test(sentence) ? sentence : `${sentence}.` };
  } catch {
    return { ok: false, message: "Could not reach hipflex. Is it still running?" };
  }
}

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
      const result = await api("POST", "/api/v1/break/sharp-pain", body);
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
  posting = posting.then(async () => {
    const result = await api("POST", `/api/v1/sessions/${logId}/entries`, body);
    if (!result.ok) problem(`That last ${step.kind} was not saved: ${result.message}`);
  });
}

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
  if (state && !state.finished) keepScreenOn();
});

// ---- playing the script -------------------------------------------------------------

function showCue(text) {
  cueText = text;
  $("cue").textContent = text;
  speak(text);
}

function enter(index) {
  const steps = script.steps;
  if (index >= steps.length) return finish(false);
  state.index = index;
  state.elapsed = 0;
  const step = steps[index];
  const opening = step.cues.filter((cue) => cue.at <= 0);
  showCue(opening.length ? opening[opening.length - 1].text : "");
  beep(step.kind === "hold" || step.kind === "set" ? 880 : 620);
  if (step.kind === "done") finish(false);
}

function complete(index) {
  state.done.add(index);
  state.skipped.delete(index);
  const step = script.steps[index];
  if (step.records && !posted.has(index)) {
    posted.add(index);
    postEntry(step, false);
  }
}

function tick() {
  const now = clock();
  let delta = Math.max(0, now - state.last);
  state.last = now;
  while (!state.paused && !state.finished) {
    const step = script.steps[state.index];
    const before = state.elapsed;
    if (delta < step.seconds - before - EPSILON) {
      state.elapsed = before + delta;
      const due = step.cues.filter((cue) => cue.at > before && cue.at <= state.elapsed);
      if (due.length) showCue(due[due.length - 1].text);
      break;
    }
    delta -= step.seconds - before;
    complete(state.index);
    enter(state.index + 1);
  }
  render();
  schedule();
}

function schedule() {
  window.clearTimeout(timer);
  if (!state || state.paused || state.finished) return;
  const step = script.steps[state.index];
  const upcoming = step.cues.map((cue) => cue.at - state.elapsed).filter((left) => left > 0);
  const untilSecond = (step.seconds - state.elapsed) % 1 || 1; // the countdown's next change
  const wait = Math.min(step.seconds - state.elapsed, untilSecond, ...upcoming);
  timer = window.setTimeout(tick, Math.max(15, Math.min(250, (wait * 1000) / speed)));
}

function clockFace(seconds) {
  const whole = Math.max(0, Math.ceil(seconds - EPSILON));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

function stepDetail(step) {
  const side = step.side ? `${step.side} side` : "";
  const count = step.number && step.of ? `${step.kind === "hold" ? "hold" : "set"} ${step.number} of ${step.of}` : "";
  const reps = step.kind === "set" && step.reps ? `${step.reps} reps` : "";
  const words = { rest: "Rest", change: "Get into position", lead_in: "Get ready" }[step.kind] || "";
  return [words, side, count, reps].filter(Boolean).join(" · ");
}

function render() {
  const steps = script.steps;
  const step = steps[state.index];
  const remaining = step.seconds - state.elapsed;
  root.dataset.state = state.finished ? "finished" : state.paused ? "paused" : "playing";
  root.dataset.step = String(state.index);
  root.classList.toggle("is-paused", state.paused);
  $("player-state").textContent = state.paused ? "Paused. Press Resume (or Space) to go on." : "";
  $("btn-pause").textContent = state.paused ? "Resume" : "Pause";
  $("step-title").textContent = step.title;
  $("step-detail").textContent = stepDetail(step);
  $("countdown").textContent = clockFace(remaining);
  $("btn-back").disabled = state.index === 0;
  $("btn-sharp-pain").disabled = !step.exercise_id;

  // This exercise: the run of steps sharing its exercise id.
  const exercise = step.exercise_id;
  const order = [...new Set(steps.map((s) => s.exercise_id).filter(Boolean))];
  let first = state.index;
  let last = state.index;
  while (exercise && first > 0 && steps[first - 1].exercise_id === exercise) first -= 1;
  while (exercise && last < steps.length - 1 && steps[last + 1].exercise_id === exercise) last += 1;
  const span = steps.slice(first, last + 1).reduce((sum, s) => sum + s.seconds, 0) || 1;
  const into = steps.slice(first, state.index).reduce((sum, s) => sum + s.seconds, 0) + state.elapsed;
  $("exercise-progress").value = Math.min(1, into / span);
  $("exercise-progress-label").textContent = exercise
    ? `This exercise (${order.indexOf(exercise) + 1} of ${order.length}): ${Math.round((100 * into) / span)}% done`
    : "This exercise";

  const total = script.total_seconds || 1;
  const passed = steps.slice(0, state.index).reduce((sum, s) => sum + s.seconds, 0) + state.elapsed;
  $("session-progress").value = Math.min(1, passed / total);
  $("session-progress-label").textContent =
    `Whole ${mode === "session" ? "session" : "break"}: about ${clockFace(total - passed)} left`;

  const next = steps[state.index + 1];
  $("up-next").textContent = next && next.kind !== "done" ? `Next: ${next.title}` : "Next: the end";
}

// ---- controls -----------------------------------------------------------------------

function setPaused(paused) {
  if (!state || state.finished) return;
  tick(); // the time up to now counts first
  state.paused = paused;
  if (!paused) state.last = clock();
  render();
  schedule();
}

function skip() {
  if (!state || state.finished) return;
  tick();
  if (!state.done.has(state.index)) state.skipped.add(state.index);
  enter(state.index + 1);
  if (!state.finished) { render(); schedule(); }
}

function back() {
  if (!state || state.finished) return;
  tick();
  const target = Math.max(0, state.index - 1);
  state.skipped.delete(target);
  enter(target);
  render();
  schedule();
}

function sharpPain() {
  if (!state || state.finished) return;
  tick();
  const step = script.steps[state.index];
  if (!step.exercise_id) return;
  postEntry(step, true);
  const exercise = step.exercise_id;
  let following = state.index + 1;
  while (following < script.steps.length && script.steps[following].exercise_id === exercise) following += 1;
  for (let i = state.index; i < following; i += 1) if (!state.done.has(i)) state.skipped.add(i);
  state.resumeAt = following; // where "go on" picks up: the next exercise (or the end)
  state.paused = true;
  window.clearTimeout(timer);
  beep(300, 0.3);
  const last = following >= script.steps.length || script.steps[following].kind === "done";
  $("btn-continue").textContent = last ? `Finish the ${mode}` : "Go on with the next exercise";
  $("pain-stop-exercise").textContent = exerciseNames[exercise] || "this exercise";
  $("stage").hidden = true;
  $("pain-stop").hidden = false;
  root.dataset.state = "sharp-pain";
  $("pain-stop-heading").focus();
}

function afterPain() {
  $("pain-stop").hidden = true;
  $("stage").hidden = false;
  enter(state.resumeAt);
  if (state.finished) return;
  state.paused = false;
  state.last = clock();
  render();
  schedule();
  $("step-title").focus();
}

function askQuit() {
  if (!state || state.finished) return;
  const wasPaused = state.paused;
  setPaused(true);
  const dialog = $("quit-dialog");
  dialog.dataset.resume = wasPaused ? "" : "yes";
  dialog.showModal();
  $("quit-cancel").focus();
}

function keepGoing() {
  const dialog = $("quit-dialog");
  if (dialog.open) dialog.close();
  if (dialog.dataset.resume) setPaused(false);
  $("btn-quit").focus();
}

function finish(quit) {
  state.finished = true;
  state.quit = quit;
  window.clearTimeout(timer);
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

async function start() {
  const button = $("btn-start");
  button.disabled = true;
  problem("");
  let result;
  if (mode === "session") {
    const chosen = document.querySelector('input[name="pain_before"]:checked');
    result = await api("POST", "/api/v1/sessions", {
      slot: root.dataset.slot || null,
      pain_before: chosen ? Number(chosen.value) : null,
    });
    if (result.ok) {
      logId = result.data.id;
      script = result.data.script;
    }
  } else {
    result = await api("GET", "/api/v1/break/script");
    if (result.ok) script = result.data;
  }
  if (!result.ok) {
    button.disabled = false;
    problem(`The ${mode} could not start: ${result.message}`);
    return;
  }
  try { audio = new (window.AudioContext || window.webkitAudioContext)(); } catch { audio = null; }
  keepScreenOn();
  $("before").hidden = true;
  $("stage").hidden = false;
  state = { index: 0, elapsed: 0, last: clock(), paused: false, finished: false, quit: false, done: new Set(), skipped: new Set() };
  enter(0);
  if (!state.finished) { render(); schedule(); }
  $("step-title").focus();
}

async function saveFinish(event) {
  event.preventDefault();
  const chosen = document.querySelector('input[name="pain_after"]:checked');
  const note = $("finish-note").value.trim();
  $("btn-save").disabled = true;
  await posting; // every hold is saved before the session closes
  const result = await api("POST", `/api/v1/sessions/${logId}/finish`, {
    pain_after: chosen ? Number(chosen.value) : null,
    note: note || null,
  });
  const box = $("finish-message");
  box.classList.remove("ok", "error");
  if (result.ok) {
    box.classList.add("ok");
    box.textContent = "Saved. Your session is in your log.";
    $("finish-form").hidden = true;
  } else {
    box.classList.add("error");
    box.textContent = `Not saved: ${result.message}`;
    $("btn-save").disabled = false;
  }
}

for (const button of document.querySelectorAll("[data-clear]")) {
  button.addEventListener("click", () => {
    for (const radio of document.querySelectorAll(`input[name="${button.dataset.clear}"]`)) radio.checked = false;
  });
}
$("btn-start").addEventListener("click", start);
$("btn-pause").addEventListener("click", () => setPaused(!state.paused));
$("btn-skip").addEventListener("click", skip);
$("btn-back").addEventListener("click", back);
$("btn-quit").addEventListener("click", askQuit);
$("btn-sharp-pain").addEventListener("click", sharpPain);
$("quit-confirm").addEventListener("click", () => { $("quit-dialog").close(); finish(true); });
$("quit-cancel").addEventListener("click", keepGoing);
$("quit-dialog").addEventListener("cancel", (event) => { event.preventDefault(); keepGoing(); });
$("btn-continue").addEventListener("click", afterPain);
$("btn-end").addEventListener("click", () => finish(true));
if (mode === "session") $("finish-form").addEventListener("submit", saveFinish);

document.addEventListener("keydown", (event) => {
  if (!state || state.finished || event.ctrlKey || event.altKey || event.metaKey) return;
  if ($("quit-dialog").open || !$("pain-stop").hidden) return;
  const target = event.target;
  if (target.closest("input, textarea, select")) return;
  const onButton = Boolean(target.closest("button"));
  const actions = {
    " ": () => setPaused(!state.paused),
    n: skip, N: skip, ArrowRight: skip,
    b: back, B: back, ArrowLeft: back,
    s: sharpPain, S: sharpPain,
    q: askQuit, Q: askQuit,
  };
  const action = actions[event.key];
  if (!action || (event.key === " " && onButton)) return; // Space on a button presses it
  event.preventDefault();
  action();
});
