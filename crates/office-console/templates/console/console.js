// The little the console needs a script for: dropping files on the send page (the form
// works without it, through the file inputs), and the print button.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
  const form = document.querySelector("[data-drop]");
  if (!form) return;
  const zone = form.querySelector("[data-zone]");
  const chosen = form.querySelector("[data-chosen]");
  const input = form.querySelector("#files");
  const show = (files) => {
    chosen.textContent = files.length ? `${files.length} 個のファイルを選びました` : "";
  };
  form.addEventListener("change", (event) => show(event.target.files || []));
  zone.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); input.click(); }
  });
  zone.addEventListener("click", () => input.click());
  for (const name of ["dragenter", "dragover"]) {
    zone.addEventListener(name, (event) => { event.preventDefault(); zone.classList.add("over"); });
  }
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", async (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    // Folders dropped are walked, so a whole month's export folder can be dropped at once.
    const files = [];
    const walk = (entry) => new Promise((resolve) => {
      if (entry.isFile) {
        entry.file((file) => { files.push(file); resolve(); }, () => resolve());
      } else if (entry.isDirectory) {
        const reader = entry.createReader();
        const read = () => reader.readEntries(async (entries) => {
          if (!entries.length) return resolve();
          await Promise.all(entries.map(walk));
          read();
        }, () => resolve());
        read();
      } else resolve();
    });
    const items = [...(event.dataTransfer.items || [])];
    const entries = items.map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
    if (entries.length) await Promise.all(entries.map(walk));
    else files.push(...event.dataTransfer.files);
    const transfer = new DataTransfer();
    for (const file of files) transfer.items.add(file);
    input.files = transfer.files;
    show(files);
  });
});
