// The session player's state machine: a line-for-line port of hipflex.domain.player.
// No DOM, no clock of its own: every event takes the time, every call returns a new
// player and the outputs in the JSON form of output_to_json. tests/web/test_player_parity.py
// replays traces of the Python player through this module and compares them step by step,
// so change both together.

// Float sums of clock times can fall a hair short of a step's end: within this, it ended.
export const EPSILON = 1e-9;

export const Control = Object.freeze({
  PAUSE: "pause",
  RESUME: "resume",
  SKIP: "skip",
  BACK: "back",
  QUIT: "quit",
  SHARP_PAIN: "sharp_pain",
});

function update(player, changes) {
  return Object.freeze({ ...player, ...changes });
}

const cueDue = (index, cue) => ({ type: "cue_due", index, at: cue.at, text: cue.text });
const finished = (quit) => ({ type: "finished", quit });

/** The step being played, or null once finished. */
export function currentStep(player) {
  return player.finished ? null : player.script.steps[player.index];
}

/** Seconds left in the current step. */
export function remaining(player) {
  const step = currentStep(player);
  return step === null ? 0 : Math.max(0, step.seconds - player.elapsed);
}

/** Seconds until something happens (a cue or the end of the step); null when nothing will. */
export function nextDeadline(player) {
  const step = currentStep(player);
  if (step === null || player.paused) return null;
  const upcoming = step.cues.filter((c) => c.at > player.elapsed).map((c) => c.at - player.elapsed);
  return Math.min(...upcoming, remaining(player));
}

function enter(player, index) {
  const steps = player.script.steps;
  if (index >= steps.length) {
    return [update(player, { index: steps.length - 1, finished: true }), [finished(false)]];
  }
  const step = steps[index];
  let moved = update(player, { index, elapsed: 0 });
  const outputs = [{ type: "step_started", index }];
  for (const cue of step.cues) if (cue.at <= 0) outputs.push(cueDue(index, cue));
  if (step.kind === "done") { // the last step takes no time
    outputs.push(finished(false));
    moved = update(moved, { finished: true });
  }
  return [moved, outputs];
}

/** Begin at the first step (or at `index`, resuming: earlier steps count as done). */
export function start(script, now, index = 0) {
  if (!script.steps.length) throw new Error("the session has no steps");
  if (!(index >= 0 && index < script.steps.length)) {
    throw new Error(`step ${index} is outside the session's ${script.steps.length} steps`);
  }
  const done = new Set();
  for (let i = 0; i < index; i += 1) done.add(i);
  const player = Object.freeze({
    script, index: 0, elapsed: 0, paused: false, finished: false, quit: false, last: now,
    done, skipped: new Set(), sharpPain: new Set(),
  });
  return enter(player, index);
}

/** Let the time since the last event pass (never backwards). */
export function tick(player, now) {
  if (player.last === null) throw new Error("tick before start");
  let delta = Math.max(0, now - player.last);
  player = update(player, { last: Math.max(now, player.last) });
  if (player.paused || player.finished) return [player, []];
  const outputs = [];
  while (!player.finished) {
    const step = player.script.steps[player.index];
    const before = player.elapsed;
    if (delta < step.seconds - before - EPSILON) {
      const after = before + delta;
      const due = step.cues.filter((c) => before < c.at && c.at <= after + EPSILON);
      for (const cue of due) outputs.push(cueDue(player.index, cue));
      // a cue reached within the tolerance counts as reached, so it is said once
      const reached = Math.max(after, ...due.map((c) => c.at));
      return [update(player, { elapsed: reached }), outputs];
    }
    delta = Math.max(0, delta - (step.seconds - before));
    for (const cue of step.cues) {
      if (before < cue.at && cue.at < step.seconds) outputs.push(cueDue(player.index, cue));
    }
    outputs.push({ type: "step_completed", index: player.index });
    const done = new Set(player.done).add(player.index);
    const skipped = new Set(player.skipped);
    skipped.delete(player.index);
    const [moved, entered] = enter(update(player, { done, skipped }), player.index + 1);
    player = moved;
    outputs.push(...entered);
  }
  return [player, outputs];
}

function skipTo(player, target) {
  const outputs = [];
  const skipped = new Set(player.skipped);
  const end = Math.min(target, player.script.steps.length);
  for (let index = player.index; index < end; index += 1) {
    if (!player.done.has(index)) {
      skipped.add(index);
      outputs.push({ type: "step_skipped", index });
    }
  }
  const [moved, entered] = enter(update(player, { skipped }), target);
  return [moved, [...outputs, ...entered]];
}

// Stop that exercise at once, report it, and wait paused at the first step of the next
// exercise (PROTOCOL.md 2.5); after the last exercise it finishes.
function sharpPain(player) {
  const steps = player.script.steps;
  const exercise = steps[player.index].exercise_id;
  if (exercise === null) return [player, []];
  let following = player.index + 1;
  while (following < steps.length && steps[following].exercise_id === exercise) following += 1;
  const flagged = update(player, { sharpPain: new Set(player.sharpPain).add(exercise) });
  let [moved, more] = skipTo(flagged, following);
  if (!moved.finished) moved = update(moved, { paused: true });
  return [moved, [{ type: "sharp_pain", exercise_id: exercise, index: player.index }, ...more]];
}

function back(player) {
  const target = Math.max(0, player.index - 1);
  const skipped = new Set(player.skipped);
  skipped.delete(target);
  return enter(update(player, { skipped }), target);
}

const handlers = {
  [Control.SKIP]: (player) => skipTo(player, player.index + 1),
  [Control.BACK]: back,
  [Control.SHARP_PAIN]: sharpPain,
};

/** A key press or a button: the time up to now passes first. */
export function control(player, action, now) {
  let outputs;
  [player, outputs] = tick(player, now);
  if (player.finished) return [player, outputs];
  if (action === Control.PAUSE || action === Control.RESUME) {
    return [update(player, { paused: action === Control.PAUSE }), outputs];
  }
  if (action === Control.QUIT) {
    return [update(player, { finished: true, quit: true }), [...outputs, finished(true)]];
  }
  const handler = handlers[action];
  if (!handler) throw new Error(`unknown control ${action}`);
  const [moved, more] = handler(player);
  return [moved, [...outputs, ...more]];
}

/** Where a run stands, as plain data: the same as hipflex.domain.player.player_to_json. */
export function playerToJson(player) {
  const ascending = (a, b) => a - b;
  return {
    index: player.index,
    elapsed: player.elapsed,
    paused: player.paused,
    finished: player.finished,
    quit: player.quit,
    last: player.last,
    done: [...player.done].sort(ascending),
    skipped: [...player.skipped].sort(ascending),
    sharp_pain: [...player.sharpPain].sort(),
  };
}
