// The editor's workbench end to end in headless Chromium: import a Word file
// made here, fix the guessed 来源, type a statistics table with a wrong total
// and see the finding, publish, and find the report on the built site; the
// same with the keyboard only; axe on every workbench page. The screenshots
// of the manual (docs/images/) are taken on the way.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { launch, axe, serve, repoRoot, targetDir } from "./lib.mjs";

const binary = process.env.ANNALS_BIN || join(targetDir, "debug", "annals");
const shots = join(repoRoot, "docs", "images");
const UNIT = "青川市数据局";

/** A zip of stored (uncompressed) entries: enough for a .docx. */
function zip(files) {
  const parts = [], central = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const n = Buffer.from(name), data = Buffer.from(text), crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x0800, 6);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    parts.push(local, n, data);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0); c.writeUInt16LE(20, 4); c.writeUInt16LE(20, 6); c.writeUInt16LE(0x0800, 8);
    c.writeUInt32LE(crc, 16); c.writeUInt32LE(data.length, 20); c.writeUInt32LE(data.length, 24);
    c.writeUInt16LE(n.length, 28); c.writeUInt32LE(offset, 42);
    central.push(c, n);
    offset += 30 + n.length + data.length;
  }
  const dir = Buffer.concat(central), end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(central.length / 2, 8); end.writeUInt16LE(central.length / 2, 10);
  end.writeUInt32LE(dir.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, dir, end]);
}

/** A Word document with a centred title and a few paragraphs. */
function docx(title, paragraphs) {
  const p = (text, center) => `<w:p>${center ? '<w:pPr><w:jc w:val="center"/></w:pPr>' : ""}<w:r><w:t>${text}</w:t></w:r></w:p>`;
  const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
  return zip({
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    "word/document.xml": `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}"><w:body>${p(title, true)}${paragraphs.map((t) => p(t)).join("")}</w:body></w:document>`,
  });
}

/** A site with one unit in config.toml and one report. */
function makeSite() {
  const root = mkdtempSync(join(tmpdir(), "annals-workbench-"));
  writeFileSync(join(root, "config.toml"), `title = "青川市政府信息公开"\nbase_url = "https://www.example.gov.cn"\nlanguage = "zh-CN"\n\n[units]\n"${UNIT}" = { slug = "sjj" }\n"青川市司法局" = { slug = "sfj" }\n`);
  mkdirSync(join(root, "content", "2023"), { recursive: true });
  writeFileSync(join(root, "content", "2023", "fazhi.md"), "---\ntitle: 青川市司法局2023年法治政府建设年度报告\ndate: 2024-01-10\nsource: 青川市司法局\n---\n\n一年来，我局……\n");
  return root;
}

/** `annals serve` on a free port; resolves with the workbench address. */
function startServe(root) {
  const env = { ...process.env, NO_COLOR: "1" };
  delete env.LANG; delete env.LC_ALL; delete env.LC_MESSAGES;
  const child = spawn(binary, ["serve", "--root", root, "--port", "0"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stderr.on("data", () => {});
  return new Promise((resolve, reject) => {
    child.on("exit", (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/(http:\/\/127\.0\.0\.1:\d+)\/_annals\/\?token=[0-9a-f]{64}/);
      if (m) resolve({ child, entry: m[0], base: m[1] });
    });
  });
}

async function noViolations(page, what) {
  const violations = await axe(page);
  assert.deepEqual(violations, [], `${what}: ${JSON.stringify(violations, null, 2)}`);
}

/** Presses Tab until `selector` has the focus: the keyboard's way to a field. */
async function tabTo(page, selector) {
  for (let i = 0; i < 400; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** Space on the focused file input opens the file chooser (tried again if the press came too early). */
async function openChooser(page) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const chooser = page.waitForEvent("filechooser", { timeout: 5000 }).catch(() => null);
    await page.keyboard.press("Space");
    const found = await chooser;
    if (found) return found;
  }
  throw new Error("Space on the file input opened no file chooser");
}

let browser;
before(async () => {
  mkdirSync(shots, { recursive: true });
  browser = await launch();
});
after(async () => { await browser?.close(); });

const WORD = () => docx("青川市信息中心2023年政府信息公开工作年度报告", [
  "一、总体情况", "2023年，我中心坚持以公开为常态、不公开为例外。",
  "二、主动公开政府信息情况", "本年主动公开各类信息120条。",
]);

test("import, correct, type statistics, check and publish with the mouse; axe on every page", async () => {
  const root = makeSite();
  const { child, entry, base } = await startServe(root);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    await page.goto(entry);
    assert.equal(new URL(page.url()).search, "", "the token leaves the address bar");
    await noViolations(page, "reports");
    await page.screenshot({ path: join(shots, "workbench-reports.png"), fullPage: true });

    await page.click("nav >> text=导入");
    await noViolations(page, "import");
    await page.setInputFiles("#field-upload", { name: "信息公开年报.docx", mimeType: "application/octet-stream", buffer: WORD() });
    await page.screenshot({ path: join(shots, "workbench-import.png") });
    await Promise.all([page.waitForURL(/import\/review/), page.click("#import-form button[type=submit]")]);
    await noViolations(page, "review");
    assert.match(await page.textContent("label[for=field-source]"), /推测/, "来源 is marked as a guess");
    assert.equal(existsSync(join(root, "content", "2023", "xinxi-gongkai-nianbao.md")), false);
    await page.fill("#field-source", UNIT);
    await page.fill("#field-name", "sjj-xxgk-2023");
    await page.screenshot({ path: join(shots, "workbench-review.png"), fullPage: true });
    await Promise.all([page.waitForURL(/edit\?/), page.click("button:has-text(\"创建报告\")")]);
    const created = readFileSync(join(root, "content", "2023", "sjj-xxgk-2023.md"), "utf8");
    assert.match(created, new RegExp(`^source: ${UNIT}$`, "m"));

    await noViolations(page, "edit");
    const cell = (row, column) => page.locator(`input[name="stats.申请/${row}/${column}"]`);
    await cell("本年新收", "自然人").fill("3");
    await cell("本年新收", "商业企业").fill("1");
    await cell("本年新收", "总计").fill("5");
    await page.waitForFunction(() => document.getElementById("stats-findings").textContent.includes("应为 4"));
    await page.locator("#stats").screenshot({ path: join(shots, "workbench-statistics.png") });
    await page.fill("#field-body", "一、总体情况\n\n2023年，我中心坚持以公开为常态。\n\n```disclosure-table 三\n```\n");
    await page.waitForFunction(() => document.getElementById("preview").textContent.includes("公开为常态"));
    await page.screenshot({ path: join(shots, "workbench-edit.png"), fullPage: true });
    await Promise.all([page.waitForEvent("framenavigated"), page.click("#save")]);
    await page.waitForSelector("#saved-notice");
    await noViolations(page, "edit after saving");
    assert.match(readFileSync(join(root, "content", "2023", "sjj-xxgk-2023.md"), "utf8"), /本年新收: \{自然人: 3, 商业企业: 1, 总计: 5\}/);

    await page.click("nav >> text=检查");
    await noViolations(page, "check");
    const finding = page.locator("section", { hasText: "content/2023/sjj-xxgk-2023.md" })
      .locator("li.finding", { hasText: "应为 4" }).first();
    assert.match(await finding.textContent(), /4/, "the wrong total is a finding, with the expected sum");
    await page.screenshot({ path: join(shots, "workbench-check.png"), fullPage: true });
    await finding.locator("a", { hasText: "去修改" }).click();
    assert.match(page.url(), /#stats$/);

    await page.click("nav >> text=发布");
    await noViolations(page, "publish");
    await page.check("#field-zip");
    await page.click("text=生成网站");
    await page.waitForSelector("#publish-summary");
    await noViolations(page, "publish summary");
    await page.screenshot({ path: join(shots, "workbench-publish.png"), fullPage: true });
    assert.ok(await page.locator("a", { hasText: ".zip" }).count());

    const built = await serve(join(root, "public"));
    try {
      await page.goto(built.url + "/2023/sjj-xxgk-2023/");
      assert.match(await page.textContent("h1"), /2023年政府信息公开工作年度报告/);
      assert.match(await page.textContent("body"), new RegExp(UNIT));
    } finally { await built.close(); }

    // A form with a mistake: the error summary gets the focus and links to the field.
    await page.goto(base + "/_annals/edit?file=2023%2Ffazhi.md");
    await page.fill("#field-title", "");
    await page.click("#save");
    await page.waitForSelector("#error-summary");
    assert.equal(await page.evaluate(() => document.activeElement.id), "error-summary");
    assert.equal(await page.getAttribute("#field-title", "aria-invalid"), "true");
    await noViolations(page, "edit with an error");
    await page.click("#error-summary a");
    assert.equal(await page.evaluate(() => document.activeElement.id), "field-title");

    // Without the token (another browser profile): refused, and that page passes axe too.
    const stranger = await launch();
    const other = await stranger.newPage();
    const answer = await other.goto(base + "/_annals/");
    assert.equal(answer.status(), 403);
    await noViolations(other, "refusal");
    await stranger.close();
  } finally {
    await page.close();
    child.kill();
    rmSync(root, { recursive: true, force: true });
  }
});

test("the same with the keyboard only", async () => {
  const root = makeSite();
  const { child, entry } = await startServe(root);
  const page = await browser.newPage();
  try {
    await page.goto(entry);
    await tabTo(page, 'nav a[href="/_annals/import"]');
    await Promise.all([page.waitForURL(/import$/), page.keyboard.press("Enter")]);
    await tabTo(page, "#field-upload");
    const chooser = await openChooser(page);
    await chooser.setFiles({ name: "年报.docx", mimeType: "application/octet-stream", buffer: WORD() });
    await tabTo(page, "#import-form button[type=submit]");
    await Promise.all([page.waitForURL(/import\/review/), page.keyboard.press("Enter")]);
    await tabTo(page, "#field-source");
    await page.keyboard.press("Control+A");
    await page.keyboard.type(UNIT);
    await tabTo(page, "#field-name");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("kb-xxgk-2023");
    await Promise.all([page.waitForURL(/edit\?/), page.keyboard.press("Enter")]);
    await tabTo(page, 'input[name="stats.申请/本年新收/自然人"]');
    await page.keyboard.type("2");
    await page.keyboard.press("Tab");
    await page.keyboard.type("2");
    await tabTo(page, 'input[name="stats.申请/本年新收/总计"]');
    await page.keyboard.type("7");
    await page.waitForFunction(() => document.getElementById("stats-findings").textContent.includes("应为 4"));
    await tabTo(page, "#save");
    await Promise.all([page.waitForEvent("framenavigated"), page.keyboard.press("Enter")]);
    await page.waitForSelector("#saved-notice");
    await tabTo(page, 'nav a[href="/_annals/publish"]');
    await Promise.all([page.waitForURL(/publish$/), page.keyboard.press("Enter")]);
    await tabTo(page, "form button[type=submit]");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#publish-summary");
    const html = readFileSync(join(root, "public", "2023", "kb-xxgk-2023", "index.html"), "utf8");
    assert.match(html, new RegExp(UNIT));
  } finally {
    await page.close();
    child.kill();
    rmSync(root, { recursive: true, force: true });
  }
});

test("several files at once: a review page each, nothing written yet", async () => {
  const root = makeSite();
  const { child, entry } = await startServe(root);
  const page = await browser.newPage();
  try {
    await page.goto(entry);
    await page.goto(new URL("/_annals/import", page.url()).href);
    await page.setInputFiles("#field-upload", [
      { name: "甲.docx", mimeType: "application/octet-stream", buffer: WORD() },
      { name: "乙.docx", mimeType: "application/octet-stream", buffer: docx("青川市司法局2023年法治政府建设年度报告", ["一年来……"]) },
    ]);
    await page.click("#import-form button[type=submit]");
    await page.waitForSelector("#uploaded:not([hidden]) li >> nth=1");
    assert.deepEqual(await page.$$eval("#uploaded li a", (as) => as.map((a) => a.textContent)), ["甲.docx", "乙.docx"]);
    assert.equal(await page.evaluate(() => document.activeElement.id), "uploaded-title");
    await noViolations(page, "import of several files");
    assert.deepEqual(readdirSync(join(root, "content", "2023")), ["fazhi.md"]);
  } finally {
    await page.close();
    child.kill();
    rmSync(root, { recursive: true, force: true });
  }
});
