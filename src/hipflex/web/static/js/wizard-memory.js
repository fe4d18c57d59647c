// The wizard's memory (issue 14): nothing is lost on a reload, and the browser's Back and
// Forward move between its steps. The step is in the address (?step=N, N as on the page,
// one history entry per step); the answers are kept in sessionStorage, which belongs to
// this tab and is gone when the tab closes, so answers never come back in a later visit.
// Only steps already reached with their checks passed can be returned to. Answers
// restored to the safety questions are shown again for you to confirm (see wizard.js).

const PARAM = "step";

function storeKey(kind) {
  return `hipflex.wizard.${kind}`;
}

/** What an input contributes to the memory: its key and its value, or null (not kept). */
function entry(input) {
  if (!input.name) return null;
  if (["file", "submit", "button"].includes(input.type)) return null;
  if (input.name === "csrf_token" || input.name === "kind") return null;
  if (input.type === "radio" || input.type === "checkbox") return [`#${input.id}`, input.checked];
  return [input.name, input.value];
}

/** Keep the answers and the furthest step reached (0-based). */
export function remember(form, kind, reached) {
  const answers = {};
  for (const input of form.elements) {
    const kept = entry(input);
    if (kept) answers[kept[0]] = kept[1];
  }
  try {
    window.sessionStorage.setItem(storeKey(kind), JSON.stringify({ reached, answers }));
  } catch { /* storage full or refused: the wizard still works, without its memory */ }
}

/** Put the kept answers back in the form; {reached, restored} (reached -1: nothing kept). */
export function recall(form, kind) {
  let kept = null;
  try { kept = JSON.parse(window.sessionStorage.getItem(storeKey(kind)) || "null"); } catch { kept = null; }
  if (!kept || typeof kept !== "object" || !kept.answers) return { reached: -1, restored: false };
  for (const input of form.elements) {
    const key = entry(input);
    if (!key || !(key[0] in kept.answers)) continue;
    const value = kept.answers[key[0]];
    if (input.type === "radio" || input.type === "checkbox") input.checked = value === true;
    else input.value = String(value);
  }
  const reached = Number.isInteger(kept.reached) ? kept.reached : 0;
  return { reached, restored: true };
}

/** Drop the memory (the answers are saved on the server now). */
export function forget(kind) {
  try { window.sessionStorage.removeItem(storeKey(kind)); } catch { /* nothing kept */ }
}

/** The step asked for in the address (0-based), or null. */
export function stepInAddress() {
  const asked = Number(new URLSearchParams(window.location.search).get(PARAM));
  return Number.isInteger(asked) && asked >= 1 ? asked - 1 : null;
}

function addressOf(index) {
  const url = new URL(window.location.href);
  url.searchParams.set(PARAM, String(index + 1));
  return url.pathname + url.search + url.hash;
}

/** Record the step shown: a new history entry (moving on), or in place (arriving). */
export function putStepInAddress(index, { push }) {
  const depth = (window.history.state && window.history.state.wizardDepth) || 0;
  if (push) window.history.pushState({ wizardStep: index, wizardDepth: depth + 1 }, "", addressOf(index));
  else window.history.replaceState({ wizardStep: index, wizardDepth: depth }, "", addressOf(index));
}

/** Whether the history entry before this one is an earlier step of this wizard. */
export function cameFromAStep() {
  return Boolean(window.history.state && window.history.state.wizardDepth > 0);
}
