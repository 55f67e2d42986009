// The information base (介護情報基盤) in real headless Chromium, the national flow end to
// end on a demo run: the municipality loads 1,000 generated insured people and asks a clinic
// for an opinion; the clinic submits it; the municipality enters the result, records the
// consent and gives the person an activation code; the person sets a password; the care
// office asks to be the registered office and the person approves on their own page; it sees the result
// and the opinion, and registers the plan; the person approves the draft, sees the plan and
// the access log naming the care office.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { browser, crawl, password, readQr, run, scratch, shot, signIn, startDemo, summarise } from "./support.mjs";

let demo;
let chrome;
let work;

before(async () => {
  work = scratch("base");
  demo = await startDemo(join(work, "renkei-demo"));
  chrome = await browser();
});

after(async () => {
  await chrome?.close();
  await demo?.stop();
});

/** The organisations the demo printed: `{ holder: key }`, and the portal's address. */
function signIns() {
  const keys = {};
  for (const m of demo.printed.matchAll(/^ {2}((?:municipality|clinic):\d+) .*認証アプリの鍵 \/ authenticator key: ([A-Z2-7]+)$/gm)) {
    keys[m[1]] = m[2];
  }
  const portal = demo.printed.match(/information base: (https:\/\/localhost:\d+)\/base\//)[1];
  return { keys, portal };
}

/** Staff sign-in with the password and the current one-time code of `key`. */
async function staffSignIn(page, portal, side, number, key, name = "admin", secret = password) {
  await page.goto(`${portal}/base/`);
  await page.getByLabel(side === "clinic" ? "医療機関" : "市町村", { exact: true }).check();
  await page.getByLabel("保険者番号(6桁)または医療機関コード(10桁)").fill(number);
  await page.getByLabel("職員のサインイン名").fill(name);
  await page.locator("#s-password").fill(secret);
  await page.getByLabel("確認コード(認証アプリの6桁)").fill(run("base", "code", key).trim());
  await page.locator("form[action='/base/login/staff'] button[type=submit]").click();
}

test("the national flow, from the municipality's upload to the person's approval", async () => {
  const { keys, portal } = signIns();
  const planner = demo.consoles[0];
  const plannerNumber = demo.printed.match(/offices\/(\d{10}) history/)[1];

  // The care office finds its people in the information base, refused until consent.
  const officeContext = await chrome.newContext();
  const office = await officeContext.newPage();
  await signIn(office, planner.url);
  await office.getByRole("link", { name: "介護情報基盤" }).click();
  // The records need a one-time code as well: the first time, the member enrols a key.
  await office.waitForURL(/\/verify\?/);
  const officeKey = (await office.locator("#totp-secret").innerText()).trim();
  // The key as the QR code an authenticator app scans, the same key as the text beside it.
  const scanned = await readQr(office.getByRole("img", { name: "認証アプリで読み取るQRコード" }));
  assert.match(scanned ?? "", new RegExp(`^otpauth://totp/.+\\?secret=${officeKey}&issuer=renkei$`), scanned);
  await office.getByLabel("確認コード(認証アプリの6桁)").fill("000000");
  await office.getByRole("button", { name: "確認" }).click();
  assert.match(await office.getByRole("alert").innerText(), /確認コードが違う/);
  await office.getByLabel("確認コード(認証アプリの6桁)").fill(run("base", "code", officeKey).trim());
  await office.getByRole("button", { name: "確認" }).click();
  await office.waitForURL((url) => url.pathname === "/base");
  // The first person with a ten-digit number (a municipality's files hold no other).
  const hrefs = await office.locator("table.list tbody tr a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  const href = hrefs.find((h) => /\/base\/people\/\d{6}\/\d{10}$/.test(h));
  const [, insurer, insured] = href.match(/\/base\/people\/(\d{6})\/(\d{10})/);
  // The missing consent is said once above the list, each row keeping a few words.
  assert.match(await office.locator("table.list tbody tr", { hasText: insured }).innerText(), /同意の記録がないため見られません/);
  const notes = await office.locator("p.refused").allInnerTexts();
  assert.equal(notes.filter((n) => /包括同意が記録されていません/.test(n)).length, 1, notes.join("\n"));
  assert.doesNotMatch(await office.locator("main").innerText(), / \/ [a-z]/, "no English tails");
  await shot(office, "base-office-before");

  // The municipality signs in with its one-time code and loads 1,000 people.
  const municipalityContext = await chrome.newContext({ ignoreHTTPSErrors: true });
  const municipality = await municipalityContext.newPage();
  await staffSignIn(municipality, portal, "municipality", insurer, keys[`municipality:${insurer}`]);
  await municipality.waitForURL(/\/base\/municipality$/);
  const files = join(work, "municipality");
  run("base", "gen", "--insurer", insurer, "--persons", "1000", "--out", files);
  for (const [file, records] of [["被保険者証.csv", 1000], ["要介護認定の申請.csv", 1000]]) {
    await municipality.getByRole("link", { name: "一括読み込み" }).click();
    await municipality.getByLabel(/CSVファイル/).setInputFiles(join(files, file));
    await municipality.getByRole("button", { name: "検査して読み込む" }).click();
    assert.match(await municipality.getByRole("status").innerText(), new RegExp(`1000行、記録${records}件`));
  }
  // A broken file is refused whole, with its line and column.
  const broken = join(work, "broken.csv");
  writeFileSync(broken, `保険者番号,被保険者番号,申請区分,申請日\n${insurer},0000000001,新規,20261341\n`);
  await municipality.getByLabel(/CSVファイル/).setInputFiles(broken);
  await municipality.getByRole("button", { name: "検査して読み込む" }).click();
  assert.match(await municipality.getByRole("alert").innerText(), /何も読み込んでいません[\s\S]*申請日/);
  await shot(municipality, "base-municipality-upload-refused");

  await municipality.getByRole("link", { name: "認定の進捗" }).click();
  const overview = await municipality.locator("main").innerText();
  assert.match(overview, /計/);
  assert.ok((await municipality.locator("table.list").last().locator("tbody tr").count()) === 50, "a page of 50");
  await shot(municipality, "base-municipality-overview");

  // The person of the care office: the municipality asks the clinic for the opinion.
  await municipality.getByLabel("被保険者番号で探す").fill(insured);
  await municipality.getByRole("button", { name: "表示" }).click();
  await municipality.waitForURL(new RegExp(`/base/municipality/people/${insured}$`));
  await municipality.getByRole("button", { name: "意見書を依頼" }).click();
  assert.match(await municipality.getByRole("status").innerText(), /主治医意見書を依頼しました/);

  // The clinic writes the opinion, with a PDF of the signed paper.
  const clinicContext = await chrome.newContext({ ignoreHTTPSErrors: true });
  const clinic = await clinicContext.newPage();
  await staffSignIn(clinic, portal, "clinic", "1310100001", keys["clinic:1310100001"]);
  await clinic.waitForURL(/\/base\/clinic$/);
  const request = clinic.locator("table.list tbody tr", { hasText: insured });
  assert.match(await request.innerText(), /依頼中/);
  await request.getByRole("link", { name: "記入する" }).click();
  await clinic.getByLabel("記載した医師").fill("架空 一郎");
  await clinic.getByLabel("診断名").fill("変形性膝関節症");
  await clinic.getByLabel("症状の安定性").selectOption("安定");
  await clinic.getByLabel("特記事項").fill("屋内は杖で歩行。");
  const pdf = join(work, "opinion.pdf");
  writeFileSync(pdf, "%PDF-1.4\n% fictional opinion\n%%EOF\n");
  await clinic.getByLabel(/意見書のPDF/).setInputFiles(pdf);
  await shot(clinic, "base-clinic-opinion");
  await clinic.getByRole("button", { name: "提出" }).click();
  await clinic.waitForURL(/\/base\/clinic$/);
  assert.match(await clinic.locator("table.list tbody tr", { hasText: insured }).innerText(), /提出済/);

  // The municipality enters the result, records the consent, gives the activation code.
  await municipality.reload();
  assert.match(await municipality.locator("main").innerText(), /変形性膝関節症/);
  await municipality.getByLabel("要介護状態区分").selectOption("22");
  await municipality.getByLabel("有効期間(開始)").fill("20261201");
  await municipality.getByLabel("有効期間(終了)").fill("20271130");
  await municipality.getByLabel("審査会の意見").fill("特になし");
  await municipality.getByRole("button", { name: "認定結果を記録" }).click();
  assert.match(await municipality.getByRole("status").innerText(), /認定結果を記録しました/);
  // Recording consent on the person's behalf asks first, naming the person.
  const consentQuestion = new Promise((resolve) => municipality.once("dialog", (dialog) => { resolve(dialog.message()); dialog.accept(); }));
  await municipality.getByRole("button", { name: "同意を記録する" }).click();
  assert.match(await consentQuestion, /さんの包括同意を、市町村として記録します/);
  assert.equal(await municipality.locator("#consent-state").innerText(), "同意あり");
  await municipality.getByRole("button", { name: "ご本人の利用開始コードを発行" }).click();
  const code = (await municipality.locator("#activation-code").innerText()).trim();
  assert.match(code, /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  await shot(municipality, "base-municipality-person");

  // The person sets their own password with it.
  const personContext = await chrome.newContext({ ignoreHTTPSErrors: true });
  const person = await personContext.newPage();
  await person.goto(`${portal}/base/activate`);
  await person.getByLabel("保険者番号(6桁)").fill(insurer);
  await person.getByLabel("被保険者番号(10桁)").fill(insured);
  await person.getByLabel(/利用開始コード/).fill(code.toLowerCase());
  const own = "my-own-password-42";
  await person.getByLabel("新しいパスワード(10文字以上)").fill(own);
  await person.getByLabel("新しいパスワード(確認)").fill(own);
  await person.getByRole("button", { name: "設定してサインイン" }).click();
  await person.waitForURL(/\/base\/me$/);

  // The care office asks to be the person's office; it never sees the person's password.
  await office.goto(`${planner.url}/base/people/${insurer}/${insured}`);
  assert.match(await office.locator("main").innerText(), /担当事業所として登録されていません/);
  assert.equal(await office.locator("input[type=password]").count(), 0, "no password field");
  await office.getByRole("button", { name: "ご本人に登録をお願いする" }).click();
  assert.match(await office.getByRole("status").innerText(), /登録のお願いを送りました/);
  assert.match(await office.locator("main").innerText(), /担当事業所として登録されていません/);
  // The person sees the request on their own page, with the office's name, and approves.
  await person.goto(`${portal}/base/me`);
  const requests = person.locator("#registration-requests");
  assert.match(await requests.innerText(), new RegExp(plannerNumber));
  await shot(person, "base-person-request");
  await requests.getByRole("button", { name: /を登録する$/ }).click();
  assert.match(await person.getByRole("status").innerText(), /担当事業所として登録しました/);
  assert.equal(await person.locator("#registration-requests").count(), 0);
  assert.match(
    await person.locator("#access-log").innerText(),
    new RegExp(`ご本人\\t担当事業所の登録：[^\\t（]+（${plannerNumber}）\\t変更`),
  );
  // Now the office sees what the rules let it.
  await office.goto(`${planner.url}/base/people/${insurer}/${insured}`);
  const seen = await office.locator("main").innerText();
  assert.match(seen, /担当事業所として登録されています/);
  assert.equal(await office.getByRole("button", { name: "ご本人に登録をお願いする" }).count(), 0, "no request once registered");
  assert.match(seen, /要介護２/, "the result");
  assert.match(seen, /変形性膝関節症/, "the opinion");
  await shot(office, "base-office-person");
  // The doctor's signed paper comes with it.
  const [download] = await Promise.all([
    office.waitForEvent("download"),
    office.getByRole("link", { name: "意見書のPDFをダウンロード" }).click(),
  ]);
  assert.match(readFileSync(await download.path(), "latin1"), /^%PDF-1\.4/);

  // It registers the plan it sent: a draft to approve, and the agreed plan.
  for (const purpose of ["同意・確認用", "交付用"]) {
    await office.getByLabel(new RegExp(purpose)).check();
    await office.getByRole("button", { name: "登録", exact: true }).click();
    assert.match(await office.getByRole("status").innerText(), new RegExp(`${purpose}に登録しました`));
  }

  // The person approves the draft, sees the plan and who looked.
  await person.goto(`${portal}/base/me`);
  // Agreeing cannot be undone: the page asks first.
  const question = new Promise((resolve) => person.once("dialog", (dialog) => { resolve(dialog.message()); dialog.accept(); }));
  await person.getByRole("button", { name: "このケアプランに同意する" }).click();
  assert.match(await question, /このケアプランに同意します。同意は取り消せません/);
  assert.match(await person.getByRole("status").innerText(), /ケアプランに同意しました/);
  const mine = await person.locator("main").innerText();
  assert.match(mine, new RegExp(`ケアプラン（交付用）[\\s\\S]*（${plannerNumber}）`), "the plan's author by name");
  const log = await person.locator("#access-log").innerText();
  // Each line: when, who, the records asked for, shown or refused.
  assert.match(log, new RegExp(`（${plannerNumber}）\\t[^\\n]*主治医意見書[^\\n]*\\t表示`));
  assert.match(log, new RegExp(`（${plannerNumber}）\\t[^\\n]*要介護認定の結果[^\\n]*\\t表示`));
  assert.match(log, new RegExp(`（${plannerNumber}）\\t[^\\n]*\\tお断り\\(同意の記録がないため\\)`));
  assert.match(log, /架空内科クリニック/, "the clinic by name");
  // The plan reads as its forms, not as items with the names of CSV files.
  assert.match(mine, /第1表\s*居宅サービス計画書\(1\)/);
  assert.match(mine, /第2表\s*居宅サービス計画書\(2\)/);
  assert.match(mine, /総合的な援助の方針/);
  assert.doesNotMatch(mine, /\.CSV/i, "no file names on the person's page");
  await shot(person, "base-person");

  // Every page of each side, in its reader's words: people and offices by name, dates as
  // 令和, no commands.
  for (const [side, page, origin, start] of [
    ["base-municipality", municipality, portal, "/base/municipality"],
    ["base-clinic", clinic, portal, "/base/clinic"],
    ["base-person", person, portal, "/base/me"],
    ["base-office", office, planner.url, "/base"],
  ]) {
    const { found, pages } = await crawl(page, origin, start, { name: side });
    assert.ok(pages >= 1, `${side}: no page was reached`);
    const summary = summarise(found);
    assert.deepEqual(summary, {}, `${side}: ${JSON.stringify(summary, null, 1)}`);
  }
  // The person's page fits a phone (390 px wide) without sideways scrolling.
  const phone = await personContext.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(`${portal}/base/me`);
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the person's page is ${width} px wide on a 390 px phone`);
  await shot(phone, "base-person-phone");
  await phone.close();

  // Agreeing to a plan and withdrawing consent ask first; saying no changes nothing.
  await person.goto(`${portal}/base/me`);
  const asked = [];
  person.once("dialog", (dialog) => { asked.push(dialog.message()); dialog.dismiss(); });
  await person.getByRole("button", { name: "同意を撤回する" }).click();
  await person.waitForTimeout(300);
  assert.match(asked[0] ?? "", /同意を撤回します/);
  assert.match(await person.locator("main").innerText(), /同意しています/, "still consenting");
  person.once("dialog", (dialog) => dialog.accept());

  // The person withdraws; the care office's next request is refused.
  await person.getByRole("button", { name: "同意を撤回する" }).click();
  await office.goto(`${planner.url}/base/people/${insurer}/${insured}`);
  assert.match(await office.locator("main").innerText(), /同意を撤回しています/);
});

test("the demo's insured person signs in; a wrong password keeps what was typed and says why", async () => {
  const { portal } = signIns();
  const [, name, insurer, insured] = demo.printed.match(/ご本人 \/ insured person: (.+?)  保険者番号 \/ insurer (\d{6})  被保険者番号 \/ insured (\d{10})/);
  const context = await chrome.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(`${portal}/base/`);
  await page.getByLabel("保険者番号(6桁)", { exact: true }).fill(insurer);
  await page.getByLabel("被保険者番号(10桁)").fill(insured);
  await page.locator("#p-password").fill("まちがったパスワードです");
  await page.locator("form[action='/base/login/person'] button[type=submit]").click();
  // The sign-in page again, in its own layout, with the message and the numbers kept.
  await page.getByRole("heading", { name: "サインイン" }).waitFor();
  assert.match(await page.getByRole("alert").innerText(), /パスワード/);
  assert.doesNotMatch(await page.getByRole("alert").innerText(), / \/ [a-z]/, "no English tail");
  assert.equal(await page.locator("#p-insurer").inputValue(), insurer);
  assert.equal(await page.locator("#p-insured").inputValue(), insured);
  assert.equal(await page.locator("#p-password").inputValue(), "", "the password is typed again");
  await shot(page, "base-person-wrong-password");
  await page.locator("#p-password").fill(password);
  await page.locator("form[action='/base/login/person'] button[type=submit]").click();
  await page.waitForURL(/\/base\/me$/);
  assert.match(await page.locator("main").innerText(), new RegExp(name.split(/\s/)[0]));
  await context.close();
});

test("a municipality's administrator adds a member whose phone scans the key; a member adds no one", async () => {
  const { keys, portal } = signIns();
  const holder = Object.keys(keys).find((k) => k.startsWith("municipality:"));
  const insurer = holder.split(":")[1];
  const adminContext = await chrome.newContext({ ignoreHTTPSErrors: true });
  const admin = await adminContext.newPage();
  // Each one-time code is taken once: the first test signed this administrator in with the
  // current one, so a refusal here waits for the next.
  await staffSignIn(admin, portal, "municipality", insurer, keys[holder]);
  await Promise.race([admin.waitForURL(/\/base\/municipality$/), admin.getByRole("alert").waitFor()]);
  if (!/\/base\/municipality$/.test(admin.url())) {
    await admin.waitForTimeout((30 - ((Date.now() / 1000) % 30)) * 1000 + 500);
    await staffSignIn(admin, portal, "municipality", insurer, keys[holder]);
  }
  await admin.waitForURL(/\/base\/municipality$/);
  await admin.goto(`${portal}/base/staff`);
  const memberPassword = "member-password-0123";
  await admin.getByLabel("サインイン名").fill("tanaka");
  await admin.getByLabel("最初のパスワード(10文字以上)").fill(memberPassword);
  await admin.getByRole("button", { name: "追加" }).click();
  await admin.getByRole("heading", { name: "「tanaka」を追加しました" }).waitFor();
  const scanned = await readQr(admin.getByRole("img", { name: "認証アプリで読み取るQRコード" }));
  const secret = new URL(scanned).searchParams.get("secret");
  assert.equal(secret, (await admin.locator("#totp-secret").innerText()).trim(), "the QR code holds the key shown");
  await shot(admin, "base-staff-added");

  // The member signs in with the code of the key their phone scanned.
  const memberContext = await chrome.newContext({ ignoreHTTPSErrors: true });
  const member = await memberContext.newPage();
  await staffSignIn(member, portal, "municipality", insurer, secret, "tanaka", memberPassword);
  await member.waitForURL(/\/base\/municipality$/);
  // A member is not an administrator: no staff page, and a hand-made form adds no one.
  const page = await member.goto(`${portal}/base/staff`);
  assert.equal(page.status(), 403);
  const forced = await member.request.post(`${portal}/base/staff`, {
    headers: { Origin: portal },
    form: { name: "intruder", role: "admin", password: "intruder-password-0123" },
  });
  assert.equal(forced.status(), 403);
  await admin.goto(`${portal}/base/staff`);
  assert.doesNotMatch(await admin.locator("main").innerText(), /intruder/);
  await adminContext.close();
  await memberContext.close();
});
