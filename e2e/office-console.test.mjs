// The office console in real headless Chromium, after a demo run: sign in, send a month by
// dropping files on the page (a broken file is refused with its report), and find a
// received plan shown as 第1表 and 第6表 with the values of its CSV.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { browser, run, scratch, shot, signIn, startDemo } from "./support.mjs";

let demo;
let chrome;
let dir;

before(async () => {
  dir = join(scratch("demo"), "renkei-demo");
  demo = await startDemo(dir);
  chrome = await browser();
});

after(async () => {
  await chrome?.close();
  await demo?.stop();
});

/** The fields of each record of an MS932 standard file (no quoted commas in the items read here). */
function records(path) {
  const text = new TextDecoder("shift_jis").decode(readFileSync(path));
  return text.split("\r\n").filter(Boolean).map((line) => line.split(",").map((f) => f.replace(/^"|"$/g, "")));
}

test("sign-in is required and a wrong password is told plainly", async () => {
  const page = await chrome.newPage();
  const planner = demo.consoles[0].url;
  await page.goto(`${planner}/outbox`);
  assert.match(page.url(), /\/login\?next=\/outbox$/);
  await page.getByLabel("利用者名").fill("admin");
  await page.getByLabel("パスワード").fill("not-the-password");
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.getByRole("alert").waitFor();
  assert.match(await page.getByRole("alert").innerText(), /利用者名またはパスワードが違います/);
  await shot(page, "office-login");
  await page.close();
});

test("a month dropped on the send page is checked, a broken unit refused with its report, the rest sent", async () => {
  const page = await chrome.newPage();
  const planner = demo.consoles[0].url;
  await signIn(page, planner);
  await shot(page, "office-dashboard");

  // The planner's next month, as its care software would export it.
  const generated = scratch("gen");
  run("gen", "--seed", "1", "--planners", "1", "--providers", "3", "--users", "30", "--month", "202601", "--out", generated);
  const names = readdirSync(generated).filter((n) => !n.startsWith("UPJSK"));
  // One unit broken: a service day that does not exist (2026-01-32) in the 予定 to one provider.
  const broken = names.find((n) => n.startsWith("UPPLAN_202601_1366683949_43_1313366167"));
  const bytes = readFileSync(join(generated, broken));
  const text = bytes.toString("latin1").replace(/,202601\d\d,/, ",20260132,");
  writeFileSync(join(generated, broken), Buffer.from(text, "latin1"));
  const files = names.map((name) => ({ name, data: readFileSync(join(generated, name)).toString("base64") }));

  await page.getByRole("link", { name: "送信", exact: true }).click();
  await page.waitForURL(`${planner}/send`);
  // Drop the files on the zone, as from the desktop.
  await page.locator("[data-zone]").evaluate((zone, files) => {
    const transfer = new DataTransfer();
    for (const f of files) {
      const raw = Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0));
      transfer.items.add(new File([raw], f.name, { type: "text/csv" }));
    }
    zone.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, files);
  await page.getByText(`${files.length} 個のファイルを選びました`).waitFor();
  await shot(page, "office-send-dropped");
  await page.getByRole("button", { name: "検査する" }).click();
  await page.waitForURL(/\/send\/[0-9a-f]{32}$/);

  const refused = page.locator("section.unit.refused");
  assert.equal(await refused.count(), 1, "exactly the broken unit is refused");
  const report = await refused.innerText();
  assert.match(report, /エラー \d+ 件 — 送りません/);
  assert.match(report, new RegExp(broken));
  assert.match(report, /サービス利用日/);
  assert.ok((await page.locator("section.unit.ok").count()) >= 2);
  assert.match(await page.locator("section.unit.ok").first().innerText(), /送信先：1\d{9} .*事業所/);
  await shot(page, "office-send-review");

  await page.getByRole("button", { name: /単位を送信する/ }).click();
  await page.getByRole("status").waitFor();
  assert.match(await page.getByRole("status").innerText(), /件の小包を中継サーバーが受け付けました/);
  const refusedRow = page.locator("table.list").last();
  assert.match(await refusedRow.innerText(), /エラーが\d+件あります/);
  await shot(page, "office-send-result");

  // The refusal stays, with its report line by line.
  await page.getByRole("link", { name: "送れなかったもの" }).click();
  await page.locator("table.list a").first().click();
  const findings = page.locator("table.findings tr.error");
  assert.ok((await findings.count()) >= 1);
  assert.match(await findings.first().innerText(), /サービス利用日/);
  await shot(page, "office-refusal");

  // The sent parcels are in the outbox.
  await page.getByRole("link", { name: "送信箱" }).click();
  assert.ok((await page.locator("table.list tbody tr").count()) >= 5);
  await shot(page, "office-outbox");
  await page.close();
});

test("a received plan is shown as 第1表 and 第6表 with the values of its files", async () => {
  const provider = demo.consoles[1];
  const page = await chrome.newPage();
  await signIn(page, provider.url);
  const number = (await page.locator("header .office").innerText()).match(/（(\d{10})）/)[1];
  // The provider's import folder holds the plan the demo sent it: the values to expect.
  const imported = join(dir, "offices", number, "import");
  const plan1 = records(join(imported, readdirSync(imported).find((f) => f.startsWith("UP1KYO"))))[0];
  const [insurer, insured, plannerName] = [plan1[1], plan1[2], plan1[7]];
  const supplement = records(join(imported, readdirSync(imported).find((f) => f.startsWith("UPHOSOKU_000000"))))
    .find((r) => r[2] === insured);
  const personName = supplement[5];

  await page.getByRole("link", { name: "受信箱" }).click();
  await shot(page, "office-inbox");
  await page.locator("table.list tbody a").first().click();
  await shot(page, "office-parcel");
  await page.getByRole("link", { name: personName }).click();
  await page.waitForURL(new RegExp(`/people/${insurer}-${insured}$`));

  const form1 = page.locator("#form1");
  assert.match(await form1.innerText(), /居宅サービス計画書（1）/);
  assert.match(await form1.innerText(), new RegExp(personName));
  assert.match(await form1.innerText(), new RegExp(plannerName));
  const form6 = page.locator("section[id^=form6]").first();
  const sheet = await form6.innerText();
  assert.match(sheet, /サービス利用票（予定） 令和7年12月分/);
  assert.match(sheet, new RegExp(personName));
  // Every day of December is a column, with its weekday (2025-12-01 was a Monday).
  assert.equal(await form6.locator("thead tr").first().locator("th.day").count(), 31);
  assert.equal(await form6.locator("thead tr").nth(1).locator("th.day").first().innerText(), "月");
  await shot(page, "office-forms");

  // The PDF: a valid document that holds the person's name and the forms' titles.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "PDFをダウンロード" }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^帳票_\d{6}-\d{10}\.pdf$/);
  const pdf = readFileSync(await download.path());
  assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
  const pdfText = execFileSync("pdftotext", ["-layout", await download.path(), "-"], { encoding: "utf8" });
  const compact = (s) => s.replace(/[\s\u3000]/g, "");
  assert.ok(compact(pdfText).includes(compact(personName)), `the PDF names ${personName}`);
  assert.match(pdfText, /居宅サービス計画書（1）/);
  assert.match(pdfText, /サービス利用票（予定）/);
  await page.emulateMedia({ media: "print" });
  await shot(page, "office-forms-print");
  await page.close();
});
