// The rules of trust of the pages, tried in real headless Chromium the way another site
// would try them: a name of another site made to point at the office PC (DNS rebinding),
// a form posted from a page of no origin, a sign-in link that sends the browser elsewhere,
// and scripts or frames the pages must not allow.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { password, scratch, shot, signIn, startDemo } from "./support.mjs";

let demo;
let chrome;

before(async () => {
  demo = await startDemo(join(scratch("trust"), "renkei-demo"));
  // evil.example resolves to this PC, as a rebinding attacker's DNS would make it.
  chrome = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--host-resolver-rules=MAP evil.example 127.0.0.1"],
  });
});

after(async () => {
  await chrome?.close();
  await demo?.stop();
});

/** Post a form of `fields` to `action` from a page of no origin, as another site's frame
 * or a data: page would; resolves to the answer. */
async function postFromNowhere(context, action, fields) {
  const attacker = await context.newPage();
  const inputs = Object.entries(fields).map(([name, value]) => `<input name="${name}" value="${value}">`).join("");
  await attacker.setContent(`<form method="post" action="${action}">${inputs}<button>send</button></form>`);
  const [answer] = await Promise.all([
    attacker.waitForNavigation(),
    attacker.getByRole("button", { name: "send" }).click(),
  ]);
  return answer;
}

test("the office console refuses another site's name, forms and redirects", async () => {
  const planner = demo.consoles[0].url;
  const port = new URL(planner).port;
  const context = await chrome.newContext();
  const page = await context.newPage();
  const violations = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });

  // Opened by another site's name, the console answers nothing but why.
  const rebound = await page.goto(`http://evil.example:${port}/login`);
  assert.equal(rebound.status(), 421);
  assert.match(await page.locator("body").innerText(), /この端末のアドレス/);
  assert.equal(await page.locator("input[type=password]").count(), 0);

  // A sign-in link that would send the browser elsewhere ends on the console itself.
  await page.goto(`${planner}/login?next=${encodeURIComponent("/\\evil.example/")}`);
  await page.getByLabel("職員名（ログインID）").fill("admin");
  await page.getByLabel("パスワード").fill(password);
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.waitForURL(`${planner}/`);

  // A page of no origin (as a sandboxed frame or a data: page is) posts a form to the
  // console while the clerk is signed in: refused, and no account is made.
  const answer = await postFromNowhere(context, `${planner}/staff`, {
    name: "intruder",
    password: "0123456789ab",
    role: "admin",
  });
  assert.equal(answer.status(), 403);
  await page.goto(`${planner}/staff`);
  assert.doesNotMatch(await page.locator("main").innerText(), /intruder/);

  // The pages run with their policy: no inline script, no framing by others.
  for (const path of ["/", "/outbox", "/inbox", "/send", "/people", "/documents", "/partners", "/evidence", "/effect", "/staff", "/refusals"]) {
    const shown = await page.goto(`${planner}${path}`);
    const policy = shown.headers()["content-security-policy"];
    assert.match(policy, /script-src 'self'/, path);
    assert.match(policy, /frame-ancestors 'none'/, path);
  }
  const injected = await page.evaluate(() => {
    const script = document.createElement("script");
    script.textContent = "window.__injected = true";
    document.body.append(script);
    return window.__injected === true;
  });
  assert.equal(injected, false, "an inline script does not run");
  assert.deepEqual(violations.filter((v) => !/__injected|inline/.test(v)), [], "the pages break no rule of their own");
  await context.close();
});

test("the relay's pages refuse a form of no origin and are not framed", async () => {
  const context = await chrome.newContext({ ignoreHTTPSErrors: true });
  const answer = await postFromNowhere(context, `${demo.operator}/base/login/person`, {
    insurer: "131045",
    insured: "0000012345",
    password: "a guess",
  });
  assert.equal(answer.status(), 403);
  // Another site cannot frame the sign-in pages (clickjacking).
  const framing = await context.newPage();
  await framing.setContent(`<iframe id="f" src="${demo.operator}/console/login"></iframe>`);
  await framing.waitForTimeout(1500);
  const framed = framing.frames().find((f) => f.url().includes("/console/login"));
  const shown = framed ? await framed.locator("body").innerText().catch(() => "") : "";
  assert.doesNotMatch(shown, /運用者ログイン/, "the frame stays empty");
  await context.close();
});

test("only the administrator, on the console's own page, changes what the directory says the care software reads", async () => {
  const office = demo.consoles[1].url;
  const context = await chrome.newContext();
  const page = await context.newPage();
  await signIn(page, office);
  const declared = async (on) => {
    await on.goto(`${office}/partners`);
    return on.locator("#declared").innerText();
  };
  assert.match(await declared(page), /取込 V4\.1 ／ 出力 V4\.1/);

  // Another site's form, posted while the administrator is signed in: refused, nothing changes.
  const forged = await postFromNowhere(context, `${office}/partners/software`, { reads_v3: "1", writes_v3: "1" });
  assert.equal(forged.status(), 403);
  assert.match(await declared(page), /取込 V4\.1 ／ 出力 V4\.1/);

  // A clerk who is not the administrator sees the versions but has no form, and a post
  // written by hand from the console's own page is refused too.
  await page.goto(`${office}/staff`);
  await page.getByLabel("職員名（ログインID）", { exact: true }).fill("clerk-versions");
  await page.getByLabel("パスワード（10文字以上）").last().fill("clerk-password-01");
  await page.getByLabel("役割").selectOption("staff");
  await page.getByRole("button", { name: "登録する" }).click();
  await page.getByText("clerk-versions を職員として登録しました").waitFor();
  const clerk = await (await chrome.newContext()).newPage();
  await clerk.goto(`${office}/login`);
  await clerk.getByLabel("職員名（ログインID）").fill("clerk-versions");
  await clerk.getByLabel("パスワード").fill("clerk-password-01");
  await clerk.getByRole("button", { name: "ログイン" }).click();
  await clerk.waitForURL(`${office}/`);
  assert.match(await declared(clerk), /取込 V4\.1 ／ 出力 V4\.1/);
  assert.equal(await clerk.locator("form[action='/partners/software']").count(), 0);
  const status = await clerk.evaluate(async () => {
    const answer = await fetch("/partners/software", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "reads_v3=1&writes_v3=1",
    });
    return answer.status;
  });
  assert.equal(status, 403);
  assert.match(await declared(page), /取込 V4\.1 ／ 出力 V4\.1/);
  await clerk.context().close();
  await context.close();
});

test("API keys are the administrator's to make, shown once, and another site cannot use the API", async () => {
  const office = demo.consoles[1].url;
  const context = await chrome.newContext();
  const page = await context.newPage();
  await signIn(page, office);
  await page.getByRole("link", { name: "介護ソフトの API キー" }).click();
  await page.getByLabel("名前(どの介護ソフト・どのパソコンか)").fill("介護ソフト 本社PC");
  await page.getByLabel("送信", { exact: true }).check();
  await page.getByLabel("受信・送信状況").check();
  await page.getByRole("button", { name: "作る" }).click();
  const token = (await page.locator("#made-token").innerText()).trim();
  assert.match(token, /^renkei_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
  await shot(page, "api-key-made");

  // The key works for a program, and is shown nowhere again.
  const listed = await fetch(`${office}/api/v1/sent`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(listed.status, 200);
  await page.goto(`${office}/api-keys`);
  assert.doesNotMatch(await page.content(), new RegExp(token.split("_")[2]));
  assert.match(await page.locator("main").innerText(), /GET \/api\/v1\/sent/);

  // A page of another site in the same browser: it cannot read the API's answers even with
  // the key (no cross-origin answers), and without it gets nothing; its form is refused.
  const evil = await context.newPage();
  await evil.goto(`http://evil.example:${new URL(office).port}/login`).catch(() => {});
  await evil.setContent("<p>another site</p>");
  const read = await evil.evaluate(async ([url, token]) => {
    try {
      const answer = await fetch(`${url}/api/v1/sent`, { headers: { Authorization: `Bearer ${token}` } });
      return `read ${answer.status}`;
    } catch (error) {
      return "blocked";
    }
  }, [office, token]);
  assert.equal(read, "blocked");
  const forged = await postFromNowhere(context, `${office}/api-keys`, { name: "attacker", send: "1" });
  assert.equal(forged.status(), 403);
  // Nor may it switch how received files reach the care software (held for the API, so the
  // import folder would stay empty).
  const switched = await postFromNowhere(context, `${office}/api-keys/delivery`, { delivery: "api" });
  assert.equal(switched.status(), 403);
  await page.goto(`${office}/api-keys`);
  assert.doesNotMatch(await page.locator("main").innerText(), /attacker/);

  // A clerk who is not the administrator has no such page.
  await page.goto(`${office}/staff`);
  await page.getByLabel("職員名（ログインID）", { exact: true }).fill("clerk-keys");
  await page.getByLabel("パスワード（10文字以上）").last().fill("clerk-password-02");
  await page.getByLabel("役割").selectOption("staff");
  await page.getByRole("button", { name: "登録する" }).click();
  await page.getByText("clerk-keys を職員として登録しました").waitFor();
  const clerk = await (await chrome.newContext()).newPage();
  await clerk.goto(`${office}/login`);
  await clerk.getByLabel("職員名（ログインID）").fill("clerk-keys");
  await clerk.getByLabel("パスワード").fill("clerk-password-02");
  await clerk.getByRole("button", { name: "ログイン" }).click();
  await clerk.waitForURL(`${office}/`);
  assert.equal(await clerk.getByRole("link", { name: "介護ソフトの API キー" }).count(), 0);
  assert.equal((await clerk.goto(`${office}/api-keys`)).status(), 403);
  const made = await clerk.evaluate(async () => {
    const answer = await fetch("/api-keys", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "name=clerk-made&send=1",
    });
    return answer.status;
  });
  assert.equal(made, 403);
  const delivery = await clerk.evaluate(async () => {
    const answer = await fetch("/api-keys/delivery", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "delivery=api",
    });
    return answer.status;
  });
  assert.equal(delivery, 403);
  await clerk.context().close();
  await page.goto(`${office}/api-keys`);
  assert.equal(await page.getByLabel("取込フォルダに置く(置けたら送信元に受信確認)").isChecked(), true);

  // Revoked, the key is refused at once.
  await page.goto(`${office}/api-keys`);
  await page.getByRole("row", { name: /介護ソフト 本社PC/ }).getByRole("button", { name: "取り消す" }).click();
  await page.getByText("API キー「介護ソフト 本社PC」を取り消しました").waitFor();
  const after = await fetch(`${office}/api/v1/sent`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(after.status, 401);
  assert.equal((await after.json()).code, "api_key_revoked");
  await context.close();
});
