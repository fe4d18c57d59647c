// A clinician's page for one person: clear a paused exercise, leave a note. Each is one
// request to the JSON API; the page reloads to show the result.
import { say, send } from "./api.js";

for (const button of document.querySelectorAll("button[data-clear]")) {
  button.addEventListener("click", async () => {
    const region = document.getElementById("clear-message");
    button.disabled = true;
    const result = await send("POST", button.dataset.url, { exercise_id: button.dataset.clear });
    if (result.ok) {
      say(region, "ok", "Cleared: it is back in their plan.");
      window.location.reload();
    } else {
      button.disabled = false;
      say(region, "error", result.message);
    }
  });
}

const form = document.getElementById("clinician-note-form");
if (form) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const region = document.getElementById("clinician-note-message");
    const text = form.elements.text.value;
    const result = await send("POST", form.dataset.url, { text });
    if (result.ok) {
      say(region, "ok", "Your note is saved: they see it on their progress page.");
      window.location.reload();
    } else {
      say(region, "error", result.message);
    }
  });
}
