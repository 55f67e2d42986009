// What the browser tests share: the renkei binary, a demo run with its consoles, Chromium,
// and screenshots under target/screenshots/ for review.
import { spawn, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const renkei = process.env.RENKEI_BIN ?? join(root, "target", "debug", "renkei");
export const screenshots = join(root, "target", "screenshots");
export const password = "e2e-password-0123";

/** A fresh folder under the system's temporary folder. */
export function scratch(name) {
  return mkdtempSync(join(tmpdir(), `renkei-e2e-${name}-`));
}

/** Run renkei to completion and return what it printed. */
export function run(...args) {
  return execFileSync(renkei, args, { encoding: "utf8", env: { ...process.env, RENKEI_LOG: "warn" } });
}

/**
 * `renkei demo` with its consoles on free ports: resolves once the consoles are listed,
 * with their addresses (the planner's first) and a `stop()`.
 */
export function startDemo(dir, { users = 30, providers = 3 } = {}) {
  return new Promise((resolvePromise, reject) => {
    const args = ["demo", "--dir", dir, "--ui-port", "0", "--users", String(users), "--providers", String(providers)];
    const child = spawn(renkei, args, {
      env: { ...process.env, RENKEI_ADMIN_PASSWORD: password, RENKEI_LOG: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let printed = "";
    const consoles = [];
    const timer = setTimeout(() => reject(new Error(`demo did not start:\n${printed}`)), 300_000);
    child.stdout.on("data", (chunk) => {
      printed += chunk;
      for (const match of printed.matchAll(/^ {2}(http:\/\/127\.0\.0\.1:\d+)\/ {2}(.+)$/gm)) {
        if (!consoles.some((c) => c.url === match[1])) consoles.push({ url: match[1], name: match[2] });
      }
      if (printed.includes("Ctrl-C") && consoles.length === providers + 1) {
        clearTimeout(timer);
        resolvePromise({
          consoles,
          operator: printed.match(/(https:\/\/localhost:\d+)\/console\//)[1],
          operatorKey: printed.match(/authenticator key: ([A-Z2-7]+) \(今のコード/)[1],
          printed,
          stop: () => new Promise((done) => { child.once("exit", done); child.kill("SIGINT"); }),
        });
      }
    });
    child.stderr.on("data", (chunk) => { printed += chunk; });
    child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`demo exited (${code}):\n${printed}`)); });
  });
}

export async function browser() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
}

export async function shot(page, name) {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

export async function signIn(page, url) {
  await page.goto(`${url}/`);
  await page.getByLabel("職員名（ログインID）").fill("admin");
  await page.getByLabel("パスワード").fill(password);
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.waitForURL(`${url}/`);
}

/** File names of the standard (and attachments) carry numbers and dates by design: they are
 * left out before a page's words are read. */
const FILE_NAME = /[A-Za-z0-9_\-]+\.(?:CSV|csv|PDF|pdf|png|jpg|jpeg|tar|zip|json)\b/g;

/** A cell that holds a name (of a person or an office), not a label, a state or a date. */
function isName(cell) {
  return /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]{2,}/u.test(cell)
    && !/\d{10}/.test(cell)
    && !/^令和|(?:番号|氏名|名|者|受信|送信|実績|予定|表|済|中|日時|状態)$/.test(cell);
}

/**
 * What on a page is the machine's view rather than the office's (issue 22): a 10-digit
 * 事業所番号 or 被保険者番号 with no name beside it, a YYYYMMDD or ISO date, GMT/UTC times,
 * a command line, English after a Japanese message, and the words the glossary avoids.
 * `text` is the page's innerText (table rows come as tab-separated lines).
 */
export function languageProblems(text) {
  const problems = [];
  const avoid = ["送信単位", "小包", "第6表実績情報", "サービス利用票（実績）", "サービス提供実績"];
  for (const raw of text.split("\n")) {
    // An authenticator's otpauth:// text is kept on purpose, for apps without a camera.
    const line = raw.replace(FILE_NAME, "FILE").replace(/otpauth:\/\/\S+/g, "URI");
    const cells = line.split("\t").map((c) => c.trim());
    cells.forEach((cell, i) => {
      for (const m of cell.matchAll(/(?<![0-9A-Za-z])\d{10}(?![0-9A-Za-z])/g)) {
        const before = cell.slice(0, m.index);
        // 名前（1234567890）: the name right before the number in parentheses.
        const named = /[^\s（(]\s*[（(](?:事業所番号|被保険者番号|保険者番号)?\s*$/.test(before) && /^[）)]/.test(cell.slice(m.index + 10));
        // In a table row: a cell of its own, with a name elsewhere in the row (氏名 | 被保険者番号).
        const inRow = cells.length > 1 && cell === m[0] && cells.some(isName);
        if (!named && !inRow) problems.push(`番号だけ: ${raw.trim()}`);
      }
    });
    if (/(?<![0-9A-Za-z])(?:19|20)\d{6}(?![0-9A-Za-z])/.test(line)) problems.push(`YYYYMMDD: ${raw.trim()}`);
    if (/\b\d{4}-\d{2}-\d{2}\b/.test(line)) problems.push(`ISO の日付: ${raw.trim()}`);
    if (/\b(?:GMT|UTC)\b/.test(line)) problems.push(`GMT/UTC: ${raw.trim()}`);
    if (/\brenkei\s+[a-z][a-z-]+/.test(line)) problems.push(`コマンド: ${raw.trim()}`);
    // renkei's messages carry English after " / " for engineers' logs; pages keep the Japanese.
    if (/[^\x00-\x7f] \/ [A-Za-z]/.test(line)) problems.push(`英語の併記: ${raw.trim()}`);
    for (const word of avoid) if (line.includes(word)) problems.push(`「${word}」: ${raw.trim()}`);
  }
  return problems;
}

/**
 * Every page of a console reachable from `start` by its links, one of each kind (ids and
 * numbers in a path make one kind): each is shot and read with `languageProblems`.
 * Returns the problems by page.
 */
export async function crawl(page, origin, start, { name, skip = () => false, limit = 80 } = {}) {
  const seen = new Set();
  const queue = [start];
  const found = {};
  let n = 0;
  while (queue.length > 0 && n < limit) {
    const path = queue.shift();
    const kind = path.replace(/[0-9a-f]{16,}/g, "ID").replace(/\d+/g, "N").replace(/\?.*$/, "");
    if (seen.has(kind)) continue;
    seen.add(kind);
    const response = await page.goto(`${origin}${path}`);
    if (!response || !(response.headers()["content-type"] ?? "").startsWith("text/html")) continue;
    n++;
    await shot(page, `${name}-page-${String(n).padStart(2, "0")}-${kind.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_|_$/g, "") || "home"}`);
    const problems = languageProblems(await page.locator("body").innerText());
    // A screen reader reads each cell with its column's heading only when the heading says so.
    const unscoped = await page.locator("thead th:not([scope])").count();
    if (unscoped > 0) problems.push(`scope のない見出し: ${unscoped} 個`);
    // Every control is named for a screen reader and reachable with Tab.
    for (const control of await unusableControls(page)) problems.push(`使えない入力: ${control}`);
    if (problems.length > 0) found[path] = problems;
    const links = await page.locator("a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    for (const href of links) {
      if (!href.startsWith("/") || href.startsWith("//")) continue;
      if (/\.(csv|pdf)(\?|$)|\/pdf$|\/files\/|\/assets\/|\/api\/|download/.test(href) || skip(href)) continue;
      queue.push(href.replace(/#.*$/, ""));
    }
  }
  return { found, pages: n };
}

/**
 * The controls of a page that a keyboard or a screen reader cannot use: an input, list,
 * text area or button with no name (no label, aria-label or text), or one taken out of the
 * Tab order. Each as the start of its HTML.
 */
export async function unusableControls(page) {
  return page.locator("input:not([type=hidden]), select, textarea, button, [role=button]").evaluateAll((controls) =>
    controls.filter((c) => {
      const named = (c.labels?.length ?? 0) > 0
        || (c.getAttribute("aria-label") ?? "").trim() !== ""
        || (c.getAttribute("aria-labelledby") ?? "").split(/\s+/).some((id) => (document.getElementById(id)?.textContent ?? "").trim() !== "")
        || ((c.tagName === "BUTTON" || c.getAttribute("role") === "button") && c.textContent.trim() !== "")
        || (["submit", "button"].includes(c.type) && (c.value ?? "").trim() !== "");
      const tabbable = c.tabIndex >= 0 && !c.disabled;
      return !named || (!tabbable && !c.disabled);
    }).map((c) => c.outerHTML.slice(0, 140)));
}

/** A crawl's problems, a few lines per page, for an assertion's message. */
export function summarise(found) {
  return Object.fromEntries(Object.entries(found).map(([path, list]) => {
    const lines = [...new Set(list.map((line) => line.slice(0, 160)))];
    return [path, lines.slice(0, 4).concat(lines.length > 4 ? [`… ${lines.length} 件`] : [])];
  }));
}

/**
 * What the QR code on a page says, read from its pixels as a phone's camera would: the
 * element is shot in Chromium and decoded with jsQR.
 */
export async function readQr(locator) {
  const { PNG } = await import("pngjs");
  const { default: jsQR } = await import("jsqr");
  const png = PNG.sync.read(await locator.screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}
