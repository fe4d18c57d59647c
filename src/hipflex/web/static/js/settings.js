// The preferences form: the API takes work days as "mon,tue" and hours as "09:00-17:00".
import { wire } from "./forms.js";

const form = document.getElementById("settings-form");

function atLeastOneDay() {
  const box = document.getElementById("work-days-error");
  const anyDay = form.querySelector('input[name="work_days"]:checked') !== null;
  box.textContent = anyDay ? "" : "Choose at least one work day.";
  return anyDay;
}

wire(form, {
  reset: false,
  validate: atLeastOneDay,
  transform: (body) => {
    const { work_start: start, work_end: end, work_days: days, ...rest } = body;
    return {
      ...rest,
      work_days: days && days.length ? days.join(",") : null,
      work_hours: start && end ? `${start}-${end}` : null,
    };
  },
});
