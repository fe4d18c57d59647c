// Light or dark: the system's choice unless the user picked one with the toggle
// (remembered in localStorage). Loaded in <head> so the page never flashes.
(function () {
  "use strict";
  var KEY = "hipflex-theme";
  var root = document.documentElement;
  var dark = window.matchMedia("(prefers-color-scheme: dark)");
  try {
    var stored = window.localStorage.getItem(KEY);
    if (stored === "light" || stored === "dark") root.setAttribute("data-theme", stored);
  } catch (e) { /* storage blocked: follow the system */ }

  function current() {
    return root.getAttribute("data-theme") || (dark.matches ? "dark" : "light");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("theme-toggle");
    if (!button) return;
    var show = function () { button.setAttribute("aria-pressed", String(current() === "dark")); };
    show();
    dark.addEventListener("change", show);
    button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { window.localStorage.setItem(KEY, next); } catch (e) { /* not remembered */ }
      show();
    });
  });
})();
