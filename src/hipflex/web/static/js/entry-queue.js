// The player's outbox (issue 14): each completed hold or set is kept in localStorage
// until the server has it, so a server that goes away mid-session loses nothing: the
// player keeps timing, and the entries go when the server answers again. Session logs
// only grow, and the server takes a repeat of an entry it has as already saved; a 409
// Conflict (the session closed, or that hold logged already) means there is nothing left
// to send either. Each entry is in the outbox once (its session, exercise, side and set).

const KEY = "hipflex.player.outbox";

function read() {
  try {
    const kept = JSON.parse(window.localStorage.getItem(KEY) || "[]");
    return Array.isArray(kept) ? kept : [];
  } catch {
    return [];
  }
}

function write(items) {
  try {
    if (items.length) window.localStorage.setItem(KEY, JSON.stringify(items));
    else window.localStorage.removeItem(KEY);
  } catch { /* storage refused: the entry is still sent now, only not kept */ }
}

const keyOf = (logId, body) =>
  [logId, body.exercise_id, body.side || "", body.set_number, body.sharp_pain ? "pain" : ""].join("|");

/** The entries still to send (for a test or a message). */
export function waiting() {
  return read();
}

/** Keep an entry to send to session `logId` (once, however often it is added). */
export function add(logId, body) {
  const items = read();
  const key = keyOf(logId, body);
  if (!items.some((item) => item.key === key)) items.push({ key, logId, body });
  write(items);
}

let running = null;

/** Send what is waiting, in order. Resolves to {left, problems}: `left` entries are still
 * waiting (the server is away: status 0 or 5xx); `problems` are entries the server refused
 * for good (422, 404): dropped, with its words. One run at a time. */
export function flush(send) {
  if (running) return running.then(() => flush(send));
  running = (async () => {
    const problems = [];
    for (const item of read()) {
      const result = await send("POST", `/api/v1/sessions/${item.logId}/entries`, item.body);
      if (!result.ok && (result.status === 0 || result.status >= 500)) break; // away: later
      if (!result.ok && result.status !== 409) problems.push(result.message);
      write(read().filter((other) => other.key !== item.key));
    }
    return { left: read().length, problems };
  })();
  return running.finally(() => { running = null; });
}
