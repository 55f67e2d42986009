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
export function startDemo(dir) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(renkei, ["demo", "--dir", dir, "--ui-port", "0"], {
      env: { ...process.env, RENKEI_ADMIN_PASSWORD: password, RENKEI_LOG: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let printed = "";
    const consoles = [];
    const timer = setTimeout(() => reject(new Error(`demo did not start:\n${printed}`)), 120_000);
    child.stdout.on("data", (chunk) => {
      printed += chunk;
      for (const match of printed.matchAll(/^ {2}(http:\/\/127\.0\.0\.1:\d+)\/ {2}(.+)$/gm)) {
        if (!consoles.some((c) => c.url === match[1])) consoles.push({ url: match[1], name: match[2] });
      }
      if (printed.includes("Ctrl-C") && consoles.length === 4) {
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
  await page.getByLabel("利用者名").fill("admin");
  await page.getByLabel("パスワード").fill(password);
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.waitForURL(`${url}/`);
}
