// Forms that talk to the JSON API: <form data-endpoint="/api/v1/..." data-method="POST">.
// Each named control becomes a field of the JSON body; the page checks the HTML
// constraints first with friendly words, then the server checks again and its message
// is shown in the form's status line.
import { say, send } from "./api.js";

function convert(value, type) {
  if (type === "int") return Number.parseInt(value, 10);
  if (type === "number") return Number(value);
  return value;
}

/** The form's controls as a JSON body (blank -> null, checkbox groups -> lists). */
export function formBody(form) {
  const body = {};
  for (const control of form.elements) {
    if (!control.name || control.disabled || control.closest("[hidden]")) continue;
    const type = control.dataset.type || (control.type === "number" ? "number" : "text");
    if (control.type === "radio") {
      if (control.checked) body[control.name] = convert(control.value, type);
      else if (!(control.name in body)) body[control.name] = null;
    } else if (control.type === "checkbox") {
      if (type === "bool") body[control.name] = control.checked;
      else {
        body[control.name] = body[control.name] || [];
        if (control.checked) body[control.name].push(control.value);
      }
    } else if (control.tagName !== "BUTTON") {
      const text = control.value.trim();
      body[control.name] = text === "" ? null : convert(text, type);
    }
  }
  return body;
}

function errorBox(control) {
  const ids = (control.getAttribute("aria-describedby") || "").split(/\s+/);
  const id = ids.find((name) => name.endsWith("-error"));
  return id ? document.getElementById(id) : null;
}

function friendly(control) {
  const v = control.validity;
  if (control.type === "radio") return "Please choose one.";
  if (v.valueMissing) return control.type === "date" ? "Choose a day." : control.tagName === "TEXTAREA" ? "Write something first." : "Please fill this in.";
  if (v.badInput) return "That isn't a number.";
  if (v.rangeUnderflow || v.rangeOverflow) {
    if (control.type === "date") return "Choose a day that isn't in the future.";
    return `Enter a number from ${control.min} to ${control.max}.`;
  }
  if (v.stepMismatch) return control.step === "1" ? "Enter a whole number." : `Use steps of ${control.step}.`;
  if (v.tooLong) return `Keep it under ${control.maxLength} characters.`;
  return control.validationMessage;
}

/** Check the HTML constraints; mark each problem next to its field. True when fine. */
export function check(form) {
  let first = null;
  for (const control of form.elements) {
    if (!control.name || control.disabled || control.closest("[hidden]")) continue;
    const box = errorBox(control);
    const valid = control.checkValidity();
    if (control.type !== "radio" || !valid) {
      if (box) box.textContent = valid ? "" : friendly(control);
    } else if (box) box.textContent = "";
    if (valid) control.removeAttribute("aria-invalid");
    else {
      control.setAttribute("aria-invalid", "true");
      first = first || control;
    }
  }
  if (first) first.focus();
  return first === null;
}

/** Show only the parts that belong to the chosen option (data-show-when="name=value"). */
function syncShown(form) {
  for (const part of form.querySelectorAll("[data-show-when]")) {
    const [name, value] = part.dataset.showWhen.split("=");
    const chosen = form.elements.namedItem(name);
    const show = chosen && chosen.value === value;
    part.hidden = !show;
    for (const control of part.querySelectorAll("input, select, textarea")) control.disabled = !show;
  }
}

/** Post the form as JSON: `validate` adds checks, `transform` reshapes the body, `reset`
 * clears the form after saving. */
export function wire(form, { transform = (body) => body, reset = true, validate = () => true } = {}) {
  const status = form.querySelector(".message");
  syncShown(form);
  form.addEventListener("change", () => syncShown(form));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.textContent = "";
    if (!check(form) | !validate(form)) { // both run: every problem is marked at once
      const marked = form.querySelectorAll(".field-error:not(:empty)").length;
      say(status, "error", marked > 1 ? `Please check the ${marked} fields marked above.` : "Please check the field marked above.");
      return;
    }
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    const result = await send(form.dataset.method || "POST", form.dataset.endpoint, transform(formBody(form)));
    button.disabled = false;
    if (result.ok) {
      // A warning the server adds (pain rose by 2 points or more) is said with the save.
      const warning = result.data && result.data.warning ? ` ${result.data.warning}` : "";
      say(status, "ok", `${form.dataset.success || "Saved."}${warning}`);
      if (reset) {
        form.reset();
        syncShown(form);
      }
      form.dispatchEvent(new CustomEvent("saved", { detail: result.data }));
    } else {
      say(status, "error", result.message);
    }
  });
}

for (const form of document.querySelectorAll("form[data-endpoint]:not([data-custom])")) wire(form);
