// The player's picture (issue 14, item 1): shows the drawn figure of the current step's
// exercise and side. player.js writes them on #player as data-exercise and data-side; the
// pictures themselves are drawn by the server (partials/player_pictures.html). The figure
// stands still while the player is paused.
const root = document.getElementById("player");
const holder = document.getElementById("player-pictures");

function show() {
  const exercise = root.dataset.exercise || "";
  const side = root.dataset.side || "right";
  let shown = null;
  for (const item of holder.children) {
    const match =
      item.dataset.exercise === exercise && (item.dataset.side === side || item.dataset.side === "any");
    item.hidden = !match;
    if (match) shown = item;
  }
  holder.hidden = shown === null;
  const paused = root.dataset.state !== "playing";
  for (const svg of holder.querySelectorAll("svg.hf-moving")) {
    if (paused) svg.pauseAnimations();
    else svg.unpauseAnimations();
  }
}

if (root && holder) {
  new MutationObserver(show).observe(root, { attributes: true, attributeFilter: ["data-exercise", "data-side", "data-state"] });
  show();
}
