// The little the console needs a script for: dropping files on the send page (the form
// works without it, through the file inputs), the print button, and new arrivals told as
// they come (the pages work without it: a reload shows them).
"use strict";

// New arrivals: the relay's parcels this office received since the clerk last looked at
// the inbox, in the tab's title and a notice; the inbox and the dashboard reload.
function arrivals() {
  const body = document.body;
  if (body.dataset.received === undefined || !window.EventSource) return;
  const shown = Number(body.dataset.received);
  const title = document.title;
  // What this tab has seen: the count when it first opened the console, until the inbox.
  if (sessionStorage.getItem("renkei-seen") === null) sessionStorage.setItem("renkei-seen", String(shown));
  const seen = () => Number(sessionStorage.getItem("renkei-seen"));
  const look = () => { if (body.dataset.inbox !== undefined && document.visibilityState === "visible") sessionStorage.setItem("renkei-seen", String(shown)); };
  look();
  document.addEventListener("visibilitychange", look);
  const tell = (received) => {
    const n = received - seen();
    document.title = n > 0 ? `(${n}) ${title}` : title;
    let note = document.getElementById("arrivals");
    if (n <= 0) { note?.remove(); return; }
    if (!note) {
      note = document.createElement("p");
      note.id = "arrivals";
      note.className = "notice";
      note.setAttribute("role", "status");
      document.getElementById("main").prepend(note);
    }
    note.textContent = `新しい受信が ${n} 件あります。`;
    const link = document.createElement("a");
    link.href = "/inbox";
    link.textContent = "受信箱を開く";
    note.append(link);
  };
  tell(shown);
  const source = new EventSource("/events");
  source.addEventListener("arrivals", (event) => {
    const received = JSON.parse(event.data).received;
    if (received > shown && body.dataset.live === "reload") {
      if (body.dataset.inbox !== undefined && document.visibilityState === "visible") sessionStorage.setItem("renkei-seen", String(received));
      location.reload();
      return;
    }
    tell(received);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  arrivals();
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
  for (const button of document.querySelectorAll("[data-copy]")) {
    button.addEventListener("click", async () => {
      const text = document.getElementById(button.dataset.copy);
      text.select();
      const said = document.querySelector("[data-copied]");
      try {
        await navigator.clipboard.writeText(text.value);
        if (said) said.textContent = "コピーしました。";
      } catch {
        if (said) said.textContent = "選んだ文面を Ctrl+C でコピーしてください。";
      }
    });
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
