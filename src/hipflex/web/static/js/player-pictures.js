// The player's picture (issue 14, item 1): shows the drawn figure of the current step's
// exercise and side. player.js writes them on #player as data-exercise and data-side; the
// pictures themselves are drawn by the server (partials/player_pictures.html). The figure
// stands still while the player is paused; the hidden ones do not move at all.
const root = document.getElementById("player");
const holder = document.getElementById("player-pictures");

// The current exercise's picture from the current side; a step with no side (getting ready)
// shows the exercise's first picture, the side its holds start on.
function current() {
  const exercise = root.dataset.exercise || "";
  const side = root.dataset.side || "";
  const drawn = [...holder.children].filter((item) => item.dataset.exercise === exercise);
  return drawn.find((item) => item.dataset.side === side) || drawn[0] || null;
}

function show() {
  const shown = current();
  for (const item of holder.children) item.hidden = item !== shown;
  holder.hidden = shown === null;
  // Only the picture on show moves, and only while the player plays.
  const playing = root.dataset.state === "playing";
  for (const svg of holder.querySelectorAll("svg.hf-moving")) {
    if (playing && shown !== null && shown.contains(svg)) svg.unpauseAnimations();
    else svg.pauseAnimations();
  }
}

if (root && holder) {
  new MutationObserver(show).observe(root, { attributes: true, attributeFilter: ["data-exercise", "data-side", "data-state"] });
  show();
}
