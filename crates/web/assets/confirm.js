// Acts that cannot be undone ask first: a form with data-confirm="…" is sent only when the
// person says yes to that question. (Without a script the form is sent as it is; the
// buttons say plainly what they do.)
"use strict";
document.addEventListener("submit", (event) => {
  const question = event.target.closest("form[data-confirm]")?.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
}, true);
