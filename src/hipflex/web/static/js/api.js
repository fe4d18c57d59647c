// Talking to the JSON API under /api/v1: the CSRF token, JSON requests, and error
// details turned into one plain sentence for the page.

/** The CSRF token: the hipflex_csrf cookie (the page's meta tag if the cookie is missing). */
export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)hipflex_csrf=([^;]+)/);
  if (match) return decodeURIComponent(match[1]);
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

/** A sentence from an API error body: {"detail": "..."} or pydantic's list of problems. */
export function problemText(data, status) {
  const detail = data && data.detail;
  if (typeof detail === "string" && detail) return capitalise(detail);
  if (Array.isArray(detail) && detail.length) {
    return detail
      .map((problem) => {
        const where = (problem.loc || []).filter((part) => part !== "body").join(" ");
        return capitalise(`${where ? where.replaceAll("_", " ") + ": " : ""}${problem.msg}`);
      })
      .join(" ");
  }
  return status ? `The app answered with an error (${status}). Please try again.` : "";
}

/** A message as a sentence: a capital first, a full stop last. */
function capitalise(text) {
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/** Send JSON; resolves to {ok, status, data, message}; never throws. */
export async function send(method, url, body) {
  try {
    const response = await fetch(url, {
      method,
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
    let data = null;
    try { data = await response.json(); } catch { data = null; }
    const message = response.ok ? "" : problemText(data, response.status);
    return { ok: response.ok, status: response.status, data, message };
  } catch {
    return {
      ok: false, status: 0, data: null,
      message: "Could not reach hipflex. Is it still running? Then try again.",
    };
  }
}

/** Show a message in a live region: kind is "ok" or "error". */
export function say(region, kind, text) {
  region.classList.remove("ok", "error");
  region.classList.add(kind);
  region.textContent = text;
}
