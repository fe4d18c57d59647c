// hipflex's service worker, served from /sw.js (scope: the whole app). It caches nothing
// (the app is local): it only answers a reminder's notification buttons. An answer with an
// outcome (Snooze, Skip, Done) is recorded through the same route as the page's buttons,
// POST /api/v1/reminders/answers; an answer that opens a page (Start) opens or focuses it.
// Which answers a reminder offers, and what each records, comes from the server.

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

/** The CSRF token: asking for it also sets the cookie the app checks it against. */
async function csrfToken() {
  const response = await fetch("/api/v1/csrf", { credentials: "same-origin" });
  const data = await response.json();
  return data.token;
}

async function record(outcome) {
  const token = await csrfToken();
  const response = await fetch("/api/v1/reminders/answers", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
    body: JSON.stringify({ outcome }),
  });
  return response.ok;
}

/** Focus an open hipflex window on `href`, or open one. */
async function show(href) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of windows) {
    if (new URL(client.url).pathname === new URL(href, self.location.origin).pathname) {
      return client.focus();
    }
  }
  return self.clients.openWindow(href);
}

async function tellPages(message) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of windows) client.postMessage(message);
}

/** A click on a reminder's notification (`actionId`: the button, "" for the body). */
async function answerNotification(data, actionId) {
  const actions = (data && data.actions) || [];
  const chosen = actions.find((action) => action.id === actionId);
  if (!chosen) {
    await show((data && data.page) || "/today"); // the notification itself: the page decides
    return;
  }
  if (chosen.outcome) await record(chosen.outcome);
  await tellPages({ type: "hipflex-answered", outcome: chosen.outcome });
  if (chosen.href) await show(chosen.href);
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(answerNotification(event.notification.data, event.action));
});
