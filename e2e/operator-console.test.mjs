// The operator console on the relay, in real headless Chromium, after a demo run: sign in,
// see adoption by prefecture and by municipality, the offices, and issue an enrolment code.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { browser, crawl, password, run, scratch, shot, startDemo, summarise } from "./support.mjs";

let demo;
let chrome;

before(async () => {
  demo = await startDemo(join(scratch("operator"), "renkei-demo"));
  chrome = await browser();
});

after(async () => {
  await chrome?.close();
  await demo?.stop();
});

test("the operator signs in and sees adoption by prefecture and municipality", async () => {
  // The demo's relay has a certificate from the demo's own authority.
  const context = await chrome.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(`${demo.operator}/console/`);
  await page.waitForURL(/\/console\/login$/);
  await page.getByLabel("運用者名").fill("operator");
  await page.getByLabel("パスワード").fill("wrong-password-0");
  await page.getByLabel(/確認コード/).fill(run("base", "code", demo.operatorKey).trim());
  await page.getByRole("button", { name: "ログイン" }).click();
  assert.match(await page.getByRole("alert").innerText(), /運用者名・パスワード・確認コード/);
  // The right password alone does not sign in: the one-time code is needed too.
  await page.getByLabel("運用者名").fill("operator");
  await page.getByLabel("パスワード").fill(password);
  await page.getByLabel(/確認コード/).fill("000000");
  await page.getByRole("button", { name: "ログイン" }).click();
  assert.match(await page.getByRole("alert").innerText(), /確認コード/);
  await page.getByLabel("運用者名").fill("operator");
  await page.getByLabel("パスワード").fill(password);
  await page.getByLabel(/確認コード/).fill(run("base", "code", demo.operatorKey).trim());
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.waitForURL(/\/console\/$/);
  // Every page, in the operator's words: offices by name, dates as 令和, no commands.
  const { found, pages } = await crawl(page, demo.operator, "/console/", { name: "operator" });
  assert.ok(pages >= 5, `only ${pages} pages were reached`);
  const summary = summarise(found);
  assert.deepEqual(summary, {}, JSON.stringify(summary, null, 1));
  await page.goto(`${demo.operator}/console/`);
  // The demo's parcels: 居宅 ↔ each provider.
  assert.ok((await page.locator("table.list").last().locator("tbody tr").count()) >= 3);
  await shot(page, "operator-overview");

  await page.getByRole("link", { name: "接続状況" }).click();
  const tokyo = page.locator("table.adoption tbody tr", { hasText: "東京都" });
  const cells = await tokyo.locator("td").allInnerTexts();
  const [registered, enrolled] = [Number(cells[1]), Number(cells[2])];
  assert.ok(registered > enrolled && enrolled === 4, `東京都: ${cells}`);
  assert.equal(cells[3], `${((enrolled * 100) / registered).toFixed(1)}%`);
  assert.ok((await page.locator("table.adoption tbody tr").count()) >= 5, "several prefectures");
  await shot(page, "operator-adoption");

  await page.getByRole("link", { name: "東京都" }).click();
  const shinjuku = await page.locator("table.adoption tbody tr", { hasText: "新宿区" }).locator("td").allInnerTexts();
  assert.equal(shinjuku[2], "1", "the demo's care-planning office is in 新宿区");
  await shot(page, "operator-adoption-tokyo");

  await page.getByRole("link", { name: "事業所", exact: true }).click();
  assert.equal(await page.locator("table.list tbody tr").count(), 4);
  const versions = (await page.locator("table.list tbody tr").allInnerTexts()).map((row) => row.match(/取込 \S+ ／ 出力 \S+/)?.[0]);
  assert.deepEqual(versions.sort(), ["取込 V4.1 ／ 出力 V4.1", "取込 V4.1 ／ 出力 V4.1", "取込 V4.1 ／ 出力 V4.1", "取込 V4.1・V3 ／ 出力 V4.1"], "what each office's software reads and writes, as the demo's offices said");
  await shot(page, "operator-offices");
  // Stopping an office and revoking its certificate ask first; saying no changes nothing.
  const first = page.locator("table.list tbody tr").first();
  for (const [button, question] of [["停止", /を停止します。停止中は/], ["証明書を失効", /の証明書を失効させます。元に戻せません/]]) {
    if (button === "証明書を失効") await first.getByLabel("失効の理由").fill("鍵の紛失");
    const asked = new Promise((resolve) => page.once("dialog", (dialog) => { resolve(dialog.message()); dialog.dismiss(); }));
    await first.getByRole("button", { name: button, exact: true }).click();
    assert.match(await asked, question);
    await page.waitForTimeout(200);
    assert.match(await first.innerText(), /利用中/, `${button}: nothing changed`);
  }

  await page.getByRole("link", { name: "登録コード" }).click();
  await page.getByLabel("事業所番号（10桁）").fill("1310009943");
  await page.getByLabel("事業所名").fill("架空居宅介護支援センター");
  await page.getByLabel(/サービス種類コード/).fill("43");
  await page.getByRole("button", { name: "発行する" }).click();
  assert.match(await page.locator(".code").innerText(), /^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
  await shot(page, "operator-code");
  await context.close();
});
