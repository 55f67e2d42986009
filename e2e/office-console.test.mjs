// The office console in real headless Chromium, after a demo run: sign in, send a month by
// dropping files on the page (a broken file is refused with its report), and find a
// received plan shown as 第1表 and 第6表 with the values of its CSV.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { browser, crawl, run, scratch, shot, signIn, startDemo, summarise } from "./support.mjs";

let demo;
let chrome;
let dir;

before(async () => {
  dir = join(scratch("demo"), "renkei-demo");
  // A month as a busy care office has it: 600 people with 30 providers.
  demo = await startDemo(dir, { users: 600, providers: 30 });
  chrome = await browser();
});

after(async () => {
  await chrome?.close();
  await demo?.stop();
});

/** Drop `files` ({name, bytes}) on the send page's zone, as from the desktop. */
async function dropFiles(page, files) {
  const payload = files.map((f) => ({ name: f.name, data: Buffer.from(f.bytes).toString("base64") }));
  await page.locator("[data-zone]").evaluate((zone, files) => {
    const transfer = new DataTransfer();
    for (const f of files) {
      const raw = Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0));
      transfer.items.add(new File([raw], f.name, { type: "text/csv" }));
    }
    zone.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, payload);
  await page.getByText(`${files.length} 個のファイルを選びました`).waitFor();
}

/** Split one CSV line of the standard into its items (MS932 bytes read as latin1: no trail
 * byte is a quote or a comma, so splitting on them is safe). */
function splitLine(line) {
  const fields = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { field += '""'; i++; }
      else if (c === '"') { quoted = false; field += c; }
      else field += c;
    } else if (c === '"') { quoted = true; field += c; }
    else if (c === ",") { fields.push(field); field = ""; }
    else field += c;
  }
  fields.push(field);
  return fields;
}

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
  await page.getByLabel("職員名（ログインID）").fill("admin");
  await page.getByLabel("パスワード").fill("not-the-password");
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.getByRole("alert").waitFor();
  assert.match(await page.getByRole("alert").innerText(), /職員名またはパスワードが違います/);
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
  const files = names.map((name) => ({ name, bytes: readFileSync(join(generated, name)) }));

  await page.getByRole("link", { name: "送信", exact: true }).click();
  await page.waitForURL(`${planner}/send`);
  await dropFiles(page, files);
  await shot(page, "office-send-dropped");
  await page.getByRole("button", { name: "検査する" }).click();
  await page.waitForURL(/\/send\/[0-9a-f]{32}$/);

  const refused = page.locator("section.unit.refused");
  assert.equal(await refused.count(), 1, "exactly the broken unit is refused");
  const report = await refused.innerText();
  assert.match(report, /エラー \d+ 件 — 送りません/);
  assert.match(report, new RegExp(broken));
  assert.match(report, /サービス利用日/);
  // The finding says whose data it is and in which form, the rule's id kept to the side.
  const finding = await refused.locator("table.findings tbody tr").first().innerText();
  assert.match(finding, /^.+（被保険者番号 \d{10}）\t予定（第6表 利用票）/, finding);
  assert.doesNotMatch(report, / \/ [a-z]/, "no English tails");
  assert.ok((await page.locator("section.unit.ok").count()) >= 2);
  assert.match(await page.locator("section.unit.ok").first().innerText(), /送信先：.*事業所.*（1\d{9}）/);
  await shot(page, "office-send-review");

  await page.getByRole("button", { name: /組を送信する/ }).click();
  await page.getByRole("status").waitFor();
  assert.match(await page.getByRole("status").innerText(), /件の送信を中継サーバーが受け付けました/);
  const refusedRow = page.locator("table.list").last();
  assert.match(await refusedRow.innerText(), /エラーが\d+件あります/);
  await shot(page, "office-send-result");

  // The refusal stays, with its report line by line.
  await page.getByRole("link", { name: "送れなかったもの" }).click();
  await shot(page, "office-refusals");
  await page.locator("table.list a").first().click();
  const findings = page.locator("table.findings tr.error");
  assert.ok((await findings.count()) >= 1);
  assert.match(await findings.first().innerText(), /サービス利用日/);
  assert.match(await findings.first().innerText(), /（被保険者番号 \d{10}）/, "the refusal names the person too");
  await shot(page, "office-refusal");

  // The sent 予定 are in the outbox under their service month, each partner by name.
  await page.goto(`${planner}/outbox?month=202601`);
  const sentRows = page.locator("table.list tbody tr");
  assert.ok((await sentRows.count()) >= 2, await page.locator("main").innerText());
  assert.match(await page.locator("h1").innerText(), /令和8年1月分/);
  assert.match(await sentRows.first().innerText(), /^令和8年1月分\s+\S+（1\d{9}）\s+.*予定（第6表 利用票）.*\s\d+ KB\s+令和8年\d+月\d+日 \d+:\d\d/);
  // No sync runs anywhere: the providers' consoles receive by themselves and acknowledge.
  for (let tries = 0; tries < 80 && !(await sentRows.first().innerText()).includes("取込済"); tries++) {
    await page.waitForTimeout(250);
    await page.reload();
  }
  assert.match(await sentRows.first().innerText(), /取込済/, "the provider's console took it in by itself");
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

  // The demo's month (令和7年12月分): the planner's later sends of this run are received
  // by this console too, under their own month.
  await page.goto(`${provider.url}/inbox?month=202512`);
  await shot(page, "office-inbox");
  await page.locator("table.list tbody tr").filter({ hasText: "第1表" }).getByRole("link", { name: "詳細" }).first().click();
  await shot(page, "office-parcel");
  await page.getByRole("link", { name: personName }).click();
  await page.waitForURL(new RegExp(`/people/${insurer}-${insured}$`));

  const form1 = page.locator("#form1");
  assert.match(await form1.innerText(), /居宅サービス計画書（1）/);
  assert.match(await form1.innerText(), new RegExp(personName));
  assert.match(await form1.innerText(), new RegExp(plannerName));
  const form6 = page.locator("section[id^=form6]").first();
  const sheet = await form6.innerText();
  assert.match(sheet, /サービス提供票（予定） 令和7年12月分/);
  assert.match(sheet, new RegExp(personName));
  // Every day of December is a column, with its weekday (2025-12-01 was a Monday).
  assert.equal(await form6.locator("thead tr").first().locator("th.day").count(), 31);
  assert.equal(await form6.locator("thead tr").nth(1).locator("th.day").first().innerText(), "月");
  await shot(page, "office-forms");
  // At 1280 px every form, 第7表's 17 columns included, fits its card and the page.
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    forms: [...document.querySelectorAll("section.form")].map((f) => [f.id, f.scrollWidth, f.clientWidth]),
  }));
  assert.ok(widths.page <= 1280, `the page is ${widths.page} px wide`);
  for (const [id, scroll, client] of widths.forms) assert.ok(scroll <= client + 1, `${id}: ${scroll} px in ${client} px`);

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
  assert.match(pdfText, /サービス提供票（予定）/);

  await page.emulateMedia({ media: "screen" });
  await page.getByRole("link", { name: "利用者の帳票" }).click();
  await page.getByLabel("氏名・フリガナ・被保険者番号").fill(insured);
  await page.getByRole("button", { name: "検索" }).click();
  const found = await page.locator("table.list tbody tr").allInnerTexts();
  assert.ok(found.length >= 1 && found.every((row) => row.includes(insured)), found.join("\n"));
  assert.ok(found.some((row) => /受信/.test(row)), "the plan received");
  await shot(page, "office-people");
  await page.getByRole("link", { name: /admin/ }).click();
  await shot(page, "office-staff");
  await page.emulateMedia({ media: "print" });
  await shot(page, "office-forms-print");
  await page.close();
});

test("a plan sent again with changes is a new version, and the console says what changed", async () => {
  const page = await chrome.newPage();
  const planner = demo.consoles[0].url;
  await signIn(page, planner);
  // The plan the demo sent to the first provider, sent again under a later ファイル連番 with
  // two sections of 第1表 swapped, as a care manager's revision would be.
  const sent = join(dir, "offices", "1366683949", "sent");
  const unit = readdirSync(sent).filter((n) => n.includes("_1313366167_11_") && n.endsWith("_20251126090000.CSV"));
  assert.equal(unit.length, 4, `the plan unit: ${unit}`);
  let insured;
  const files = unit.map((name) => {
    let text = readFileSync(join(sent, name)).toString("latin1");
    if (name.startsWith("UP1KYO")) {
      // The first record ends at the first line break outside quotes (free text may hold some).
      let quoted = false;
      let end = 0;
      for (; end < text.length; end++) {
        if (text[end] === '"') quoted = !quoted;
        else if (!quoted && text[end] === "\r") break;
      }
      const fields = splitLine(text.slice(0, end));
      insured = fields[2];
      [fields[21], fields[23]] = [fields[23], fields[21]];
      text = fields.join(",") + text.slice(end);
    }
    return { name: name.replace("20251126090000", "20251126110000"), bytes: Buffer.from(text, "latin1") };
  });
  await page.goto(`${planner}/send`);
  await dropFiles(page, files);
  await page.getByRole("button", { name: "検査する" }).click();
  assert.equal(await page.locator("section.unit.refused").count(), 0, await page.locator("main").innerText());
  await page.getByRole("button", { name: /組を送信する/ }).click();
  await page.getByRole("status").waitFor();

  await page.getByRole("link", { name: "文書の版" }).click();
  await page.getByLabel("文書").selectOption("plan");
  await page.getByLabel("被保険者番号").fill(insured);
  await page.getByRole("button", { name: "表示" }).click();
  const row = page.locator("table.list tbody tr").filter({ hasText: "1313366167" });
  assert.equal((await row.locator("td").nth(5).innerText()).trim(), "2", "two versions");
  await shot(page, "office-documents");
  await row.locator("a").first().click();
  const versions = await page.locator("table.versions tbody tr").allInnerTexts();
  const table = await page.evaluate(() => [document.documentElement.scrollWidth, document.querySelector("table.versions").getBoundingClientRect().right]);
  assert.ok(table[0] <= 1280 && table[1] <= 1280, `the version table reaches ${table[1]} px, the page ${table[0]} px`);
  assert.match(versions[0], /^最新\s+令和7年11月26日 11:00/);
  assert.match(versions[1], /^旧版\s+令和7年11月26日 9:00/);
  const changes = await page.locator("table.changes tbody tr").allInnerTexts();
  assert.equal(changes.length, 2, changes.join("\n"));
  assert.match(changes[0], /第1表\s+課題分析の結果/);
  assert.match(changes[1], /第1表\s+総合的な援助の方針/);
  await shot(page, "office-document-versions");
  await page.close();
});

test("a sent plan is sent again after a warning, then withdrawn with a 削除 the provider takes in", async () => {
  const page = await chrome.newPage();
  const planner = demo.consoles[0].url;
  await signIn(page, planner);
  const provider = "1313366167";
  await page.goto(`${planner}/documents?family=plan`);
  const row = page.locator("table.list tbody tr").filter({ hasText: provider }).first();
  const insured = (await row.locator("td").nth(1).innerText()).trim();
  await row.locator("a").first().click();
  const document = page.url();
  const before = await page.locator("table.versions tbody tr").count();

  // Sent again: the send page shows it checked, with the warning that it went before.
  await page.locator("table.versions tbody tr").first().getByRole("link", { name: "詳細" }).click();
  await page.getByRole("button", { name: "もう一度送る（再送信）" }).click();
  await page.waitForURL(/\/send\/[0-9a-f]{32}$/);
  assert.match(await page.locator("p.warn").first().innerText(), /同じ内容のファイルを、令和\d+年\d+月\d+日 \d+:\d\d にこの送信先へ送っています/);
  await shot(page, "office-resend-review");
  await page.getByRole("button", { name: /組を送信する/ }).click();
  assert.match(await page.getByRole("status").innerText(), /1 件の送信を中継サーバーが受け付けました/);
  await page.goto(document);
  assert.equal(await page.locator("table.versions tbody tr").count(), before + 1, "the re-send is a new version");
  assert.match(await page.locator("main").innerText(), /内容の違いはありません/);

  // Withdrawn: a 第1表の取消 is made, checked and sent; the document says so.
  await page.getByRole("button", { name: "この文書の取消（削除）を送る" }).click();
  await page.waitForURL(/\/send\/[0-9a-f]{32}$/);
  const unit = await page.locator("section.unit").first().innerText();
  assert.match(unit, /送れます/, unit);
  assert.match(unit, /DLT1KYO_1366683949_43_1313366167_11_\d{14}\.CSV/);
  assert.match(unit, /第1表の取消/);
  await shot(page, "office-withdraw-review");
  await page.getByRole("button", { name: /組を送信する/ }).click();
  await page.getByRole("status").waitFor();
  await page.goto(document);
  assert.match(await page.locator("table.versions tbody tr").first().innerText(), /^取消（この事業所から）/);
  assert.equal(await page.getByRole("button", { name: "この文書の取消（削除）を送る" }).count(), 0, "withdrawn once");

  // The provider's console receives it by itself and shows the plan withdrawn.
  const other = await chrome.newPage();
  await signIn(other, demo.consoles[1].url);
  let text = "";
  for (let tries = 0; tries < 80; tries++) {
    await other.goto(`${demo.consoles[1].url}/documents?family=plan&q=${insured}`);
    text = await other.locator("main").innerText();
    if (/（削除）/.test(text)) break;
    await other.waitForTimeout(250);
  }
  assert.match(text, /（削除）/, text);
  await shot(other, "office-provider-withdrawn");
  // A received document is not the provider's to withdraw: no button, and a hand-made
  // request is refused.
  await other.locator("table.list tbody tr a").first().click();
  assert.equal(await other.getByRole("button", { name: "この文書の取消（削除）を送る" }).count(), 0);
  const forced = await other.request.post(`${other.url().split("?")[0]}/withdraw`, {
    headers: { Origin: demo.consoles[1].url },
    maxRedirects: 0,
  });
  assert.equal(forced.status(), 400, await forced.text());
  assert.match(await forced.text(), /受け取った文書は取り消せません/);
  await other.close();
  await page.close();
});

test("予定と実績の突合 finds exactly the visits the providers cancelled, added, moved or recoded, and says so per person, printably and as CSV", async () => {
  const planner = "1366683949";
  // What was planned and what was done, read from the files themselves: each visit by
  // person, provider, service code, day and start time.
  const occurrences = (folder, prefix) => {
    const visits = [];
    for (const name of readdirSync(folder).filter((n) => n.startsWith(`${prefix}_202512_`))) {
      // A 予定 goes to each provider with the whole 利用票; the provider's own lines are its
      // 提供票. A 実績 is the sending provider's own lines.
      const [, , from, , to] = name.split("_");
      const provider = prefix === "UPPLAN" ? to : from;
      for (const r of records(join(folder, name))) {
        if (r[4] !== "202512" || r[19] !== provider) continue;
        visits.push({ insured: r[2], provider: r[19], code: r[14], day: Number(r[9].slice(6)), start: r[11] });
      }
    }
    return visits;
  };
  const office = join(dir, "offices", planner);
  const planned = occurrences(join(office, "sent"), "UPPLAN");
  const done = occurrences(join(office, "import"), "UPJSK");
  const key = (v) => `${v.insured} ${v.provider} ${v.code} ${v.day} ${v.start}`;
  const doneKeys = new Set(done.map(key));
  const plannedKeys = new Set(planned.map(key));
  const reported = new Set(done.map((v) => `${v.insured} ${v.provider}`));
  const expected = [];
  const movedTo = new Set();
  for (const p of planned) {
    if (!reported.has(`${p.insured} ${p.provider}`) || doneKeys.has(key(p))) continue;
    const unplanned = (d) => !plannedKeys.has(key(d)) && !movedTo.has(key(d)) && d.insured === p.insured && d.provider === p.provider && d.day === p.day;
    // The same service at another time, else another service at the same time.
    const moved = done.find((d) => unplanned(d) && d.code === p.code);
    const recoded = moved ? undefined : done.find((d) => unplanned(d) && d.start === p.start && d.code !== p.code);
    if (moved ?? recoded) movedTo.add(key(moved ?? recoded));
    expected.push(`${p.insured} ${p.provider} ${p.day} ${moved ? "時間が違う" : recoded ? "サービスコードが違う" : "予定のうち実績なし"}`);
  }
  for (const d of done) {
    if (!plannedKeys.has(key(d)) && !movedTo.has(key(d))) expected.push(`${d.insured} ${d.provider} ${d.day} 予定にない実績`);
  }
  // The generator drops, adds, moves and recodes visits; the month has each kind.
  for (const kind of ["予定のうち実績なし", "予定にない実績", "時間が違う", "サービスコードが違う"]) {
    assert.ok(expected.filter((e) => e.endsWith(kind)).length >= 3, `the generated month has ${kind}: ${expected.length}`);
  }

  const page = await chrome.newPage();
  await signIn(page, demo.consoles[0].url);
  await page.goto(`${demo.consoles[0].url}/reconcile?month=202512`);
  await shot(page, "office-reconcile-month");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "違いの一覧をCSVで保存" }).click(),
  ]);
  const lines = readFileSync(await download.path(), "utf8").replace(/^\uFEFF/, "").split("\r\n").filter(Boolean).slice(1);
  const found = lines.map(splitLine).filter((f) => f[9] !== "実績未着").map((f) => {
    const [, day, kind] = f[9].match(/^(\d+)日：(予定のうち実績なし|予定にない実績|時間が違う|サービスコードが違う)/) ?? [];
    return `${f[2]} ${f[4]} ${day} ${kind}`;
  });
  assert.deepEqual(found.sort(), expected.sort());

  // Only the people with a difference; then one of them, day by day.
  await page.getByLabel("違いのある方だけ").check();
  await page.getByRole("button", { name: "表示" }).click();
  const rows = page.locator("table.reconcile-list tbody tr");
  const people = new Set(expected.map((e) => e.split(" ")[0]));
  assert.equal(await rows.count(), people.size);
  const first = expected.sort()[0].split(" ");
  await rows.filter({ hasText: first[0] }).getByRole("link").click();
  await page.waitForURL(/\/reconcile\/\d{6}\/\d{10}\?/);
  const text = await page.locator("main").innerText();
  assert.match(text, new RegExp(`${first[2]}日：${first[3]}`));
  assert.match(await page.locator("h1").innerText(), /（被保険者番号 \d{10}）の予定と実績 令和7年12月分/);
  await shot(page, "office-reconcile-person");
  await page.getByRole("link", { name: "違いのある行だけ表示" }).click();
  assert.ok((await page.locator("table.reconcile tbody tr").count()) >= 1);
  assert.equal(await page.locator("table.reconcile tbody tr:not(.differs)").count(), 0, "only rows with a difference");
  await page.close();
});

test("the month board puts the partners still to report first, with a reminder to copy", async () => {
  const page = await chrome.newPage();
  await signIn(page, demo.consoles[0].url);
  // 令和8年1月分: the 予定 went out (the send test) and no 実績 has come back yet.
  await page.goto(`${demo.consoles[0].url}/board?month=202601`);
  const rows = page.locator("table.board tbody tr");
  assert.ok((await rows.count()) >= 2, await page.locator("main").innerText());
  assert.match(await rows.first().innerText(), /^\S+（1\d{9}）\s+未着・未取込 \d+/);
  const reminder = await page.getByLabel(/まだそろっていない連携先への連絡文/).inputValue();
  assert.match(reminder, /様\n令和8年1月分の実績が、\d+名分まだ届いていません。/);
  await shot(page, "office-board");
  // 令和7年12月分 is complete: every partner reported, nothing to call about.
  await page.goto(`${demo.consoles[0].url}/board?month=202512`);
  assert.equal(await page.locator("table.board tbody tr").count(), 30, "a row per partner of the month");
  assert.match(await page.locator("table.board tbody tr").first().innerText(), /そろっています|未着・未取込/);
  await page.close();
});

/** Press Tab until the focused control's name (its label, aria-label or text) is `name`. */
async function tabTo(page, name) {
  for (let i = 0; i < 400; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return (el?.labels?.[0]?.innerText ?? el?.getAttribute("aria-label") ?? el?.innerText ?? "").trim();
    });
    if (name instanceof RegExp ? name.test(focused) : focused === name) return focused;
  }
  throw new Error(`Tab never reaches 「${name}」 on ${page.url()}`);
}

test("the month-end pages are used from the keyboard alone", async () => {
  const page = await chrome.newPage();
  const planner = demo.consoles[0].url;
  await signIn(page, planner);
  // 突合: the filter, then one person, with Tab, Space, Enter and arrow keys only.
  await page.goto(`${planner}/reconcile?month=202512`);
  await tabTo(page, "事業所");
  await page.keyboard.press("ArrowDown");
  const provider = await page.locator("#provider").inputValue();
  assert.match(provider, /^\d{10}$/, "the first provider chosen from the keyboard");
  await tabTo(page, "違いのある方だけ");
  await page.keyboard.press("Space");
  await tabTo(page, "表示");
  await Promise.all([page.waitForURL(/only=1/), page.keyboard.press("Enter")]);
  assert.ok(page.url().includes(`provider=${provider}`), page.url());
  const rows = page.locator("table.reconcile-list tbody tr");
  assert.ok((await rows.count()) >= 1);
  assert.equal(await page.locator("table.reconcile-list tbody tr:not(.differs)").count(), 0);
  const first = (await rows.first().locator("a").innerText()).trim();
  await tabTo(page, first);
  await Promise.all([page.waitForURL(/\/reconcile\/\d{6}\/\d{10}\?/), page.keyboard.press("Enter")]);
  assert.ok((await page.locator("h1").innerText()).includes(first), first);
  // The board: the reminder is copied with the keyboard.
  await page.goto(`${planner}/board?month=202601`);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: planner });
  await tabTo(page, "文面をコピー");
  await page.keyboard.press("Enter");
  await page.getByRole("status").filter({ hasText: "コピーしました。" }).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, await page.getByLabel(/まだそろっていない連携先への連絡文/).inputValue());
  // The print bundle of one partner, chosen and opened from the keyboard.
  await page.goto(`${planner}/people?month=202512`);
  await tabTo(page, "まとめて印刷");
  await page.keyboard.press("ArrowDown");
  await tabTo(page, "印刷用に表示");
  await Promise.all([page.waitForURL(/\/people\/print\?.*partner=\d{10}/), page.keyboard.press("Enter")]);
  assert.ok((await page.locator("article.printed-person").count()) >= 1);
  await page.close();
});

test("a month's forms print at once, a person to a page, and save as one PDF", async () => {
  const page = await chrome.newPage();
  const provider = demo.consoles[1].url;
  await signIn(page, provider);
  await page.goto(`${provider}/people?month=202512`);
  await page.getByLabel("まとめて印刷").selectOption({ index: 1 });
  await page.getByRole("button", { name: "印刷用に表示" }).click();
  await page.waitForURL(/\/people\/print\?/);
  const people = page.locator("article.printed-person");
  const count = await people.count();
  assert.ok(count >= 2, `${count} people`);
  const names = (await people.locator("h2").allInnerTexts()).map((h) => h.split(" 様")[0]);
  await page.emulateMedia({ media: "print" });
  const breaks = await people.evaluateAll((all) => all.map((a) => getComputedStyle(a).breakBefore));
  assert.deepEqual(breaks.slice(0, 2), ["auto", "page"], "each person from a new page");
  await page.emulateMedia({ media: "screen" });
  await shot(page, "office-people-print");
  const pdf = await page.request.get(page.url().replace("/people/print?", "/people/print.pdf?"));
  assert.equal(pdf.status(), 200);
  const file = join(scratch("print"), "month.pdf");
  writeFileSync(file, await pdf.body());
  const text = execFileSync("pdftotext", [file, "-"]).toString().replace(/[\s\u3000]/g, "");
  for (const name of names.slice(0, 2)) assert.ok(text.includes(name.replace(/[\s\u3000]/g, "")), `${name} in the PDF`);
  await page.close();
});

test("a PDF sent from the send page arrives in the partner's inbox with the person its name gives", async () => {
  const providerUrl = demo.consoles[1].url;
  const other = await chrome.newPage();
  await signIn(other, providerUrl);
  const provider = (await other.locator("header .office").innerText()).match(/（(\d{10})）/)[1];
  // Someone the provider knows by name from the files it received.
  await other.goto(`${providerUrl}/people?month=202512`);
  const first = other.locator("table.list tbody tr").first();
  const [name, , insured] = (await first.innerText()).split("\t").map((c) => c.trim());

  const page = await chrome.newPage();
  await signIn(page, demo.consoles[0].url);
  await page.goto(`${demo.consoles[0].url}/send`);
  const report = Buffer.from("%PDF-1.4\n% 架空の月次報告書\n%%EOF\n", "latin1");
  await page.setInputFiles("#files", { name: `月次報告書_${insured}.pdf`, mimeType: "application/pdf", buffer: report });
  await page.getByLabel("標準仕様のCSVでないファイルの送り先").selectOption(provider);
  await page.getByRole("button", { name: "検査する" }).click();
  const attachment = page.getByRole("region", { name: "添付ファイル" });
  assert.match(await attachment.innerText(), new RegExp(`送れます[\\s\\S]*（${provider}）[\\s\\S]*月次報告書_${insured}\\.pdf`));
  await shot(page, "office-send-attachment");
  await page.getByRole("button", { name: "添付ファイルを送信する" }).click();
  assert.match(await page.getByRole("status").innerText(), /1 件の送信を中継サーバーが受け付けました/);
  await page.close();

  // The provider's console receives it by itself; its inbox says whom it is about. An
  // attachment names no service month: it is listed under the month it arrived (in Japan).
  const now = new Date(Date.now() + 9 * 3600 * 1000);
  const arrived = `${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, "0")}`;
  let row = "";
  for (let tries = 0; tries < 80 && !row; tries++) {
    await other.goto(`${providerUrl}/inbox?month=${arrived}`);
    row = (await other.locator("table.list tbody tr", { hasText: "添付ファイル" }).allInnerTexts())[0] ?? "";
    if (!row) await other.waitForTimeout(250);
  }
  assert.match(row, new RegExp(`添付ファイル（${name} 様）`), `${arrived}: ${await other.locator("main").innerText()}`);
  await shot(other, "office-inbox-attachment");
  await other.close();
});

test("the month's evidence report, partners, directory and effect report", async () => {
  const page = await chrome.newPage();
  const planner = demo.consoles[0].url;
  await signIn(page, planner);

  await page.getByRole("link", { name: "送受信記録" }).click();
  const lines = page.locator("table.evidence tbody tr");
  assert.ok((await lines.count()) >= 60, "the demo's thirty parcels out and thirty in");
  const texts = await lines.allInnerTexts();
  assert.ok(texts.some((t) => /送信\s+.+（13\d{8}）\s+[0-9a-f]{32}\s+\d+\s+[0-9a-f]{64}\s+受付 #\d+/.test(t)), texts.join("\n"));
  assert.ok(texts.some((t) => /受信\s+.+（13\d{8}）\s+[0-9a-f]{32}\s+\d+\s+[0-9a-f]{64}\s+受信確認 #\d+/.test(t)), texts.join("\n"));
  // The audit log is checked against the receipts the office keeps, from the page.
  await page.getByRole("button", { name: "監査ログを確かめる" }).click();
  assert.match(await page.getByRole("status").filter({ hasText: "監査ログ" }).innerText(), /監査ログは書き換えられず、増えただけです。保管している受領証 \d+ 件/);
  await shot(page, "office-evidence");
  // A receipt whose signed head was altered no longer agrees: the page says so, and what to do.
  const receipts = join(dir, "offices", "1366683949", "receipts");
  const kept = join(receipts, readdirSync(receipts).filter((n) => n.endsWith(".json")).sort()[0]);
  const original = readFileSync(kept);
  const altered = JSON.parse(original);
  const receiptBody = JSON.parse(altered.receipt.body);
  receiptBody.checkpoint.body = receiptBody.checkpoint.body.replace(/"root":"[0-9a-f]/, (m) => m.slice(0, -1) + (m.endsWith("0") ? "1" : "0"));
  altered.receipt.body = JSON.stringify(receiptBody);
  writeFileSync(kept, JSON.stringify(altered));
  try {
    await page.getByRole("button", { name: "監査ログを確かめる" }).click();
    const said = page.getByRole("status").filter({ hasText: "監査ログ" });
    assert.match(await said.innerText(), /受領証と食い違います。記録が書き換えられた疑いがあります。受領証のフォルダ（receipts）をそのまま保管し、運用者に連絡してください。/);
    assert.equal(await said.getAttribute("class"), "alarm");
  } finally {
    writeFileSync(kept, original);
  }
  const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /CSV/ }).click()]);
  const bytes = readFileSync(await csv.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "a byte-order mark, for Excel");
  const rows = bytes.subarray(3).toString("utf8").trim().split("\r\n");
  assert.equal(rows[0], "日時,区分,相手事業所番号,相手事業所名,受付番号,暗号化した送信のSHA-256,受領証,ファイル名,ファイルSHA-256");
  assert.ok(rows.length > 20, "a line per file");
  const [pdf] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "PDF" }).click()]);
  const pdfText = execFileSync("pdftotext", ["-layout", await pdf.path(), "-"], { encoding: "utf8" });
  assert.match(pdfText, /送受信記録/);
  assert.match(pdfText, /1313366167/);

  await page.getByRole("link", { name: "連携先・事業所検索" }).click();
  assert.ok((await page.locator("table.list tbody tr").count()) >= 30, "the thirty partners");
  await page.getByLabel("事業所番号（前方一致）または名称").fill("つばき");
  await page.getByRole("button", { name: "検索" }).click();
  const found = page.locator("#directory ~ table tbody tr");
  assert.ok((await found.count()) >= 2, "つばき訪問介護, つばき通所介護…");
  for (const row of await found.allInnerTexts()) {
    assert.match(row, /つばき/);
    assert.match(row, /V4\.1/, "what each partner's software reads");
  }
  await shot(page, "office-partners");

  // The administrator says the care software reads V3 too: partners see it in the directory.
  await page.getByRole("group", { name: "取り込めるバージョン" }).getByLabel("V3（202208）").check();
  await page.getByRole("button", { name: "登録する" }).click();
  await page.getByText("登録しました。事業所検索で連携先に表示されます。").waitFor();
  assert.match(await page.locator("#declared").innerText(), /取込 V4\.1・V3 ／ 出力 V4\.1/);
  await page.getByLabel("事業所番号（前方一致）または名称").fill("1366683949");
  await page.getByRole("button", { name: "検索" }).click();
  assert.match(await found.first().innerText(), /V4\.1・V3\s+V4\.1/);
  // Choosing nothing to read is refused, and what was said stays.
  await page.getByRole("group", { name: "取り込めるバージョン" }).getByLabel("V3（202208）").uncheck();
  await page.getByRole("group", { name: "取り込めるバージョン" }).getByLabel("V4.1（202407）").uncheck();
  await page.getByRole("button", { name: "登録する" }).click();
  await page.getByText("取り込めるバージョンと出力するバージョンを、それぞれ1つ以上選んでください。").waitFor();
  assert.ok(await page.getByRole("group", { name: "取り込めるバージョン" }).getByLabel("V3（202208）").isChecked());

  await page.getByRole("link", { name: "効果測定" }).click();
  const sheets = async () => Number((await page.locator(".cards .card").first().locator(".n").innerText()).replace(/,/g, ""));
  const before = await sheets();
  assert.ok(before > 0);
  await page.getByLabel("計画書1件の枚数（第1〜3表）").fill("10");
  await page.getByRole("button", { name: "前提を保存して計算し直す" }).click();
  await page.getByText("前提を保存しました。").waitFor();
  assert.ok((await sheets()) > before, "more sheets per plan, more paper saved");
  await shot(page, "office-effect");
  await page.close();
});

test("a 実績 the planner cannot take in comes back to the provider as 取込エラー with the planner's report", async () => {
  const page = await chrome.newPage();
  await signIn(page, demo.consoles[1].url);
  const number = (await page.locator("header .office").innerText()).match(/（(\d{10})）/)[1];
  const providerDir = join(dir, "offices", number);
  const planner = "1366683949";
  // One of the demo's 実績 with its first record cut short, put in the planner's attachment
  // folder: sent as it is, as another vendor's software would send a file renkei's check
  // would refuse. The planner's check finds it on receipt.
  const sent = join(providerDir, "sent");
  const actual = readdirSync(sent).find((n) => n.startsWith("UPJSK_") && n.includes(`_${planner}_`));
  const lines = readFileSync(join(sent, actual)).toString("latin1").split("\r\n");
  lines[0] = lines[0].split(",").slice(0, 5).join(",");
  const broken = actual.replace(/_\d{14}\.CSV$/, "_20260110090000.CSV");
  const folder = join(scratch("returned"), "out");
  mkdirSync(join(folder, planner), { recursive: true });
  writeFileSync(join(folder, planner, broken), Buffer.from(lines.join("\r\n"), "latin1"));
  assert.match(run("office", "--dir", providerDir, "send", folder), /送信しました/);
  // The planner's console receives it by itself (no sync runs); its 受信 button asks at once.
  const plannerPage = await chrome.newPage();
  await signIn(plannerPage, demo.consoles[0].url);
  await plannerPage.getByRole("link", { name: "受信箱" }).click();
  await plannerPage.getByRole("button", { name: "今すぐ受信する" }).click();
  await plannerPage.getByRole("status").first().waitFor();
  await shot(plannerPage, "office-inbox-received");
  const refusals = await (await plannerPage.goto(`${demo.consoles[0].url}/refusals`), plannerPage.locator("main")).innerText();
  assert.match(refusals, /取り込めません|取込/, refusals);
  await plannerPage.close();

  const row = page.locator("table.list tbody tr").filter({ hasText: "取込エラー" });
  for (let tries = 0; tries < 40; tries++) {
    await page.goto(`${demo.consoles[1].url}/outbox?month=202512`);
    if ((await row.count()) > 0) break;
    await page.waitForTimeout(250);
  }
  assert.equal(await row.count(), 1, await page.locator("table.list").innerText());
  await shot(page, "office-outbox-import-error");
  await row.getByRole("link").click();
  await page.getByRole("heading", { name: new RegExp(`取込エラー（.+（${planner}） からの報告）`) }).waitFor();
  const findings = page.locator("table.findings tbody tr");
  assert.ok((await findings.count()) >= 1);
  assert.match(await findings.first().innerText(), new RegExp(`${broken}\\s+1\\s`));
  await shot(page, "office-parcel-import-error");
  await page.close();

  const history = run("office", "--dir", providerDir, "history");
  assert.match(history, new RegExp(`送信 →  ${planner}  [0-9a-f]{32}  1ファイル  取込エラー`), history);
  assert.match(history, new RegExp(`事業所 ${planner} の報告`), history);
});

test("a partner's files arrive while the console is open: the tab's title counts them and the inbox updates itself", async () => {
  const planner = demo.consoles[0].url;
  const people = await chrome.newPage();
  await signIn(people, planner);
  await people.goto(`${planner}/people`);
  const title = await people.title();
  const inbox = await chrome.newPage();
  await signIn(inbox, planner);
  await inbox.goto(`${planner}/inbox`);
  const rows = inbox.locator("table.list tbody tr");
  const before = await rows.count();

  // A provider sends one of its 実績 again, as its care software would write it anew.
  const page = await chrome.newPage();
  await signIn(page, demo.consoles[1].url);
  const number = (await page.locator("header .office").innerText()).match(/（(\d{10})）/)[1];
  await page.close();
  const providerDir = join(dir, "offices", number);
  const sent = join(providerDir, "sent");
  const actual = readdirSync(sent).find((n) => n.startsWith("UPJSK_") && n.includes("_1366683949_"));
  const folder = join(scratch("arrival"), "out");
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, actual.replace(/_\d{14}\.CSV$/, "_20260111090000.CSV")), readFileSync(join(sent, actual)));
  assert.match(run("office", "--dir", providerDir, "send", folder), /送信しました/);

  // Nobody reloads: the open page's tab says (1) with a notice, the inbox lists it.
  await people.waitForFunction((t) => document.title === `(1) ${t}`, title, { timeout: 60_000 });
  assert.match(await people.locator("#arrivals").innerText(), /新しい受信が 1 件あります。受信箱を開く/);
  await shot(people, "office-arrival-notice");
  await inbox.waitForFunction((n) => document.querySelectorAll("table.list tbody tr").length > n, before, { timeout: 60_000 });
  assert.doesNotMatch(await inbox.title(), /^\(\d+\) /, "the inbox shown is seen");
  await shot(inbox, "office-arrival-inbox");
  // The events are the signed-in console's only.
  const stranger = await chrome.newPage();
  const answer = await stranger.request.get(`${planner}/events`, { maxRedirects: 0 });
  assert.equal(answer.status(), 303);
  await stranger.close();
  await people.close();
  await inbox.close();
});

test("every page of the office console speaks the office's language", async () => {
  for (const [i, console_] of [demo.consoles[0], demo.consoles[1]].entries()) {
    const page = await chrome.newPage();
    await signIn(page, console_.url);
    const { found, pages } = await crawl(page, console_.url, "/", { name: i === 0 ? "office-planner" : "office-provider" });
    assert.ok(pages >= 15, `only ${pages} pages were reached`);
    const summary = summarise(found);
    assert.deepEqual(summary, {}, JSON.stringify(summary, null, 1));
    await page.close();
  }
});
