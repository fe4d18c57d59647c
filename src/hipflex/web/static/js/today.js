// Today, live (issue 14, item 2): the clock, a countdown to the next reminder, what is
// done, and reminders in the browser. Every time comes from GET /api/v1/reminders: the
// server says what is due and in how many seconds; this page only counts down to it (it
// never works out a schedule), shows the reminder's answers as buttons and, with
// permission, as a notification (not while the desktop reminder runs: no double
// reminder). Answers go to POST /api/v1/reminders/answers, recorded as the daemon's are.

import { say, send } from "./api.js";

const section = document.getElementById("reminders");
const countdown = document.getElementById("countdown");
const dueBox = document.getElementById("reminder-due");
const dueTitle = document.getElementById("reminder-title");
const dueBody = document.getElementById("reminder-body");
const dueActions = document.getElementById("reminder-actions");
const message = document.getElementById("reminder-message");
const desktop = document.getElementById("reminders-desktop");
const notifyControls = document.getElementById("notify-controls");
const notifyOn = document.getElementById("notify-on");
const notifyState = document.getElementById("notify-state");
const clock = document.getElementById("today-clock");
const NOTIFIED = "hipflex-reminder-notified"; // the last reminder notified (across reloads)

let due = null; // the server's last answer
let answeredAt = 0; // Date.now() when it answered
let polling = null;
let shownKey = null;
/** What happened to each item, as the server rendered the page (its rows' state-* class):
 * an answer given before the first look (a notification's button) still renews the page. */
function renderedStates() {
  return [...document.querySelectorAll("#timeline li[data-index]")]
    .map((row) => [...row.classList].find((name) => name.startsWith("state-"))?.slice(6) ?? "")
    .join();
}
let seenStates = renderedStates(); // what happened to each item, as the page shows it

const reminderKey = (next) => `${next.kind}@${next.due_at}`;
const dueAt = () => answeredAt + due.next.seconds_until * 1000;

function clockText(ms) {
  return new Intl.DateTimeFormat("en-GB", {
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: due.time_zone,
  }).format(new Date(ms));
}

function waitWords(seconds) {
  if (seconds < 60) return `in ${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `in ${minutes} min`;
  return `in ${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** The clock and the countdown, from the server's now plus the time since it answered. */
function tick() {
  if (!due) return;
  const serverNow = Date.parse(due.now) + (Date.now() - answeredAt);
  if (clock) clock.textContent = clockText(serverNow);
  if (!due.next) {
    countdown.textContent = "No more reminders today.";
    return;
  }
  const left = Math.max(0, Math.round((dueAt() - Date.now()) / 1000));
  const at = clockText(Date.parse(due.next.due_at));
  countdown.textContent = left > 0
    ? `${due.next.name} ${waitWords(left)}, at ${at}.`
    : `${due.next.name}: it's time now (${at}).`;
  if (left === 0 && shownKey !== reminderKey(due.next)) remind(due.next);
}

/** "Coming up" and the timeline anew from the server's page, once something happened
 * (an item done, skipped or missed, or due now): what is next may have changed. Not while
 * the keyboard is in them, so that focus is never lost. */
async function renewSections() {
  const parts = [".next-up", "#timeline"];
  if (parts.some((selector) => document.querySelector(selector)?.contains(document.activeElement))) {
    return false;
  }
  try {
    const response = await fetch(window.location.pathname, { credentials: "same-origin" });
    if (!response.ok) return false;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    for (const selector of parts) {
      const now = document.querySelector(selector);
      const next = fresh.querySelector(selector);
      if (now && next) now.replaceWith(document.importNode(next, true));
    }
    return true;
  } catch {
    return false;
  }
}

/** What happened to each item of the day, as the server says. */
function showStates() {
  for (const [index, item] of due.items.entries()) {
    const row = document.querySelector(`#timeline li[data-index="${index}"]`);
    if (!row) continue;
    for (const name of [...row.classList]) if (name.startsWith("state-")) row.classList.remove(name);
    row.classList.add(`state-${item.state}`);
    const words = row.querySelector(".state");
    if (words) words.textContent = item.words;
  }
  desktop.hidden = !due.desktop_reminder;
}

async function answer(action) {
  if (action.outcome) {
    const sent = await send("POST", "/api/v1/reminders/answers", { outcome: action.outcome });
    if (!sent.ok) {
      say(message, "error", sent.message);
      return;
    }
    say(message, "ok", `Saved: ${action.label}.`);
  }
  dueBox.hidden = true;
  if (action.href) {
    window.location.assign(action.href);
    return;
  }
  await refresh();
}

function showButtons(next) {
  dueActions.replaceChildren(
    ...next.actions.map((action, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = index === 0 ? "button" : "button secondary";
      button.dataset.action = action.id;
      button.textContent = action.label;
      button.addEventListener("click", () => answer(action));
      return button;
    }),
  );
}

async function notify(next) {
  if (due.desktop_reminder || !("Notification" in window)) return;
  if (Notification.permission !== "granted") return;
  if (localStorage.getItem(NOTIFIED) === reminderKey(next)) return; // shown before a reload
  localStorage.setItem(NOTIFIED, reminderKey(next));
  const options = {
    body: next.body,
    tag: "hipflex-reminder",
    icon: "/icons/hipflex-192.png",
    requireInteraction: true,
    data: { actions: next.actions, page: "/today" },
  };
  try {
    if ("serviceWorker" in navigator) {
      const registration = await navigator.serviceWorker.ready;
      const most = Notification.maxActions || 2;
      options.actions = next.actions.slice(0, most).map((a) => ({ action: a.id, title: a.label }));
      await registration.showNotification(next.title, options);
    } else {
      new Notification(next.title, options);
    }
  } catch {
    // The page still shows the reminder and its buttons.
  }
}

function remind(next) {
  shownKey = reminderKey(next);
  dueTitle.textContent = next.title;
  dueBody.textContent = next.body;
  showButtons(next);
  dueBox.hidden = false;
  notify(next);
}

async function refresh() {
  const answered = await send("GET", section.dataset.source);
  if (!answered.ok) {
    say(message, "error", answered.message);
    return;
  }
  due = answered.data;
  answeredAt = Date.now();
  if (!due.next || shownKey !== reminderKey(due.next)) dueBox.hidden = true;
  const states = due.items.map((item) => item.state).join();
  if (states !== seenStates && (await renewSections())) {
    seenStates = states; // else: again at the next look
  }
  showStates();
  tick();
  if (!polling) polling = setInterval(refresh, due.poll_seconds * 1000);
}

function showPermission() {
  if (!("Notification" in window)) {
    notifyState.textContent = "This browser cannot show notifications; reminders show on this page.";
    return;
  }
  const state = Notification.permission;
  notifyControls.hidden = state !== "default";
  notifyState.textContent = {
    granted: "This browser reminds you while this page is open, even in the background.",
    denied: "Notifications are blocked for this site in your browser's settings; reminders show on this page.",
    default: "",
  }[state];
}

if (section) {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "hipflex-answered") refresh();
    });
  }
  notifyOn.addEventListener("click", async () => {
    await Notification.requestPermission();
    showPermission();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") refresh();
  });
  showPermission();
  setInterval(tick, 1000);
  refresh();
}
