// Print and share in a real browser: QR codes decoded by zbarimg from
// screenshots, the print page printed to PDF (A4, page numbers, 22 lines), the
// print and share controls by keyboard, print media styles, and `build --pdf`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, cpSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSite, serve, launch, axe, repoRoot, samplesRoot, screenshotDir, targetDir } from "./lib.mjs";

const BASE = "https://www.kaifu.example.gov.cn";
const REPORT = "/2022/kaifu-yjj-fazhi-2022/";
const PERMALINK = BASE + REPORT;
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const binary = process.env.ANNALS_BIN || join(targetDir, "debug", "annals");
let sample, demo, browser, work;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "annals-print-"));
  mkdirSync(screenshotDir, { recursive: true });
  const sampleOut = buildSite(samplesRoot, ["--base-url", BASE]);
  const demoOut = buildSite(repoRoot);
  sample = { out: sampleOut, ...(await serve(sampleOut)) };
  demo = { out: demoOut, ...(await serve(demoOut)) };
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await sample?.close();
  await demo?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** What zbarimg reads from an image (its D-Bus chatter on stderr is dropped). */
function zbar(png) {
  return execFileSync("zbarimg", ["--raw", "-q", png], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
}

/** Decodes the QR code in `selector` on `path` the way a phone would: from pixels. */
async function decodeQr(path, selector, name) {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(sample.url + path);
  const png = join(screenshotDir, name);
  await page.locator(selector).screenshot({ path: png });
  await page.close();
  return zbar(png);
}

test("the QR codes of report and share pages decode to the canonical URL", async () => {
  assert.equal(await decodeQr(REPORT, "figure.qr svg", "qr-report.png"), PERMALINK);
  assert.equal(await decodeQr(REPORT + "share/", ".share-qr svg", "qr-share.png"), PERMALINK);
  // The print page's code is sized for paper; it is decoded from the PDF below.
});

/** Pages of a PDF with their MediaBox, from the page objects. */
function pdfPages(buffer) {
  const text = buffer.toString("latin1");
  const pages = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) || [];
  const boxes = [...text.matchAll(/\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/g)]
    .map((m) => [Number(m[3]) - Number(m[1]), Number(m[4]) - Number(m[2])].map(Math.round));
  return { count: pages.length, boxes };
}

/** Words of one PDF page with their boxes, from pdftotext -bbox. */
function words(pdfFile, pageNo) {
  const html = execFileSync("pdftotext", ["-bbox", "-f", String(pageNo), "-l", String(pageNo), pdfFile, "-"], { encoding: "utf8" });
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)]
    .map((m) => ({ x: Number(m[1]), y: Number(m[2]), mid: (Number(m[2]) + Number(m[4])) / 2, text: m[5] }));
}

test("the sample's print page prints on A4 with page numbers at the outer edge and 22 lines a page", async () => {
  const page = await browser.newPage();
  await page.goto(sample.url + REPORT + "print/");
  const buffer = await page.pdf({ preferCSSPageSize: true });
  await page.close();
  const file = join(work, "sample.pdf");
  writeFileSync(file, buffer);
  const { count, boxes } = pdfPages(buffer);
  assert.ok(count > 1, `only ${count} page(s)`);
  assert.ok(boxes.length >= 1);
  for (const box of boxes) assert.deepEqual(box, [595, 842], "A4 is 595 × 842 pt");
  const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  for (let n = 1; n <= count; n++) {
    assert.match(text, new RegExp(`—\\s*${n}\\s*—`), `page number — ${n} — is missing`);
  }
  // Odd pages carry the number on the right, even pages on the left (GB/T 9704).
  const number = (n) => words(file, n).find((w) => w.text === String(n) && w.y > 700);
  assert.ok(number(1).x > 595 / 2, `page 1 number at x=${number(1).x}`);
  assert.ok(number(2).x < 595 / 2, `page 2 number at x=${number(2).x}`);
  // A full body page: 22 lines between the 37 mm top and 35 mm bottom margins.
  // Words of one line share a middle within a few points (a bold run-in in another
  // face has other ascent and descent); lines are 28.95 pt apart.
  const mids = words(file, 2).filter((w) => w.y > 90 && w.y < 742).map((w) => w.mid).sort((a, b) => a - b);
  const lines = mids.filter((m, i) => i === 0 || m - mids[i - 1] > 8);
  assert.ok(lines.length >= 20 && lines.length <= 22, `${lines.length} lines on page 2`);
  // 28 characters on a full line of Chinese text (digits and Latin letters are narrower).
  const plain = execFileSync("pdftotext", ["-f", "2", "-l", "4", file, "-"], { encoding: "utf8" });
  const lengths = {};
  for (const l of plain.split("\n").map((l) => [...l.trim()].length).filter((n) => n >= 20)) lengths[l] = (lengths[l] || 0) + 1;
  const usual = Object.entries(lengths).sort((a, b) => b[1] - a[1])[0][0];
  assert.equal(Number(usual), 28, `most lines have ${usual} characters: ${JSON.stringify(lengths)}`);
  // The paper copy leads back online: its QR code, scanned from the printed page.
  const scan = join(work, "page1");
  execFileSync("pdftoppm", ["-r", "150", "-f", "1", "-l", "1", "-png", "-singlefile", file, scan]);
  assert.equal(zbar(scan + ".png"), PERMALINK);
});

test("the print button works by keyboard and the bar is hidden in print", async () => {
  const page = await browser.newPage();
  await page.goto(sample.url + REPORT + "print/");
  await page.evaluate(() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; });
  const button = page.locator("button[data-print-now]");
  assert.ok(await button.isVisible(), "the script shows the print button");
  await button.focus();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Space");
  assert.equal(await page.evaluate(() => window.__printed), 2);
  assert.ok(await page.locator(".print-bar a").first().isVisible());
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator(".print-bar").isVisible(), false);
  assert.deepEqual(await axe(page), []);
  await page.emulateMedia({ media: "screen" });
  // On a phone the sheet becomes a plain column without sideways scrolling.
  await page.setViewportSize({ width: 320, height: 640 });
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scroll <= client, `print page is ${scroll}px wide at ${client}px`);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: join(screenshotDir, "sample-print-1280.png") });
  await page.close();
});

test("the report page prints without navigation or toolbars and shows link addresses", async () => {
  const page = await browser.newPage();
  await page.goto(demo.url + "/fazhi/sfj-fazhi-2023/");
  await page.emulateMedia({ media: "print" });
  for (const sel of [".site-header", ".main-nav", ".breadcrumb", ".toolbar", ".reading-controls"]) {
    if (await page.locator(sel).count()) assert.equal(await page.locator(sel).first().isVisible(), false, `${sel} prints`);
  }
  const after = await page.$eval(".related a[href^='http']", (a) => getComputedStyle(a, "::after").content);
  assert.match(after, /https:\/\/www\.gov\.cn\//);
  await page.close();
});

test("the share page copies the link and announces it", async () => {
  const page = await browser.newPage();
  await browser.grantPermissions(["clipboard-read", "clipboard-write"], { origin: sample.url });
  await page.goto(sample.url + REPORT + "share/");
  const copy = page.locator("button[data-copy]");
  assert.ok(await copy.isVisible(), "copy button shown with JavaScript");
  const status = page.locator("[data-share-status]");
  assert.equal(await status.getAttribute("role"), "status");
  await copy.focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector("[data-share-status]").textContent.length > 0);
  assert.equal(await status.textContent(), "链接已复制，可以粘贴给他人。");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), PERMALINK);
  // The system share sheet is offered exactly where the browser has one.
  const hasShare = await page.evaluate(() => typeof navigator.share === "function");
  assert.equal(await page.locator("button[data-native-share]").isVisible(), hasShare);
  // Phone width: the card fits without sideways scrolling.
  await page.setViewportSize({ width: 320, height: 640 });
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scroll <= client, `share page is ${scroll}px wide at ${client}px`);
  await page.screenshot({ path: join(screenshotDir, "sample-share-320.png"), fullPage: true });
  assert.deepEqual(await axe(page), []);
  await page.close();
});

test("the demo's yearly volume prints each report on a new page", async () => {
  const page = await browser.newPage();
  await page.goto(demo.url + "/archive/2023/print/");
  const parts = await page.locator("article.document").count();
  assert.ok(parts >= 3, `${parts} reports in the 2023 volume`);
  const buffer = await page.pdf({ preferCSSPageSize: true });
  const file = join(work, "volume.pdf");
  writeFileSync(file, buffer);
  const { count } = pdfPages(buffer);
  // Cover, contents, then at least one page per report.
  assert.ok(count >= parts + 2, `${count} pages for ${parts} reports`);
  const titles = await page.locator("article.document .doc-title").allTextContents();
  const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
  let from = 0;
  for (const t of titles) {
    const at = text.indexOf(t.replace(/\s+/g, ""), from);
    assert.ok(at >= 0, `${t} is missing or out of order`);
    from = at;
  }
  assert.deepEqual(await axe(page), []);
  await page.close();
});

test("build --pdf with the real Chromium lists the PDF on the report page and reuses it", () => {
  // The cache lives in the site folder, so build a copy of the samples.
  const root = join(work, "site");
  cpSync(samplesRoot, root, { recursive: true });
  const out = join(work, "public");
  const run = () => execFileSync(binary, ["build", "--root", root, "--output", out, "--pdf", "--chrome", CHROMIUM, "--lang", "en"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  assert.match(run(), /PDF: 2 printed, 0 unchanged/);
  const pdf = join(out, REPORT, "print", "kaifu-yjj-fazhi-2022.pdf");
  assert.ok(existsSync(pdf));
  const { count, boxes } = pdfPages(readFileSync(pdf));
  assert.ok(count > 1);
  assert.deepEqual(boxes[0], [595, 842]);
  const html = readFileSync(join(out, REPORT, "index.html"), "utf8");
  assert.ok(html.includes(`href="${REPORT}print/kaifu-yjj-fazhi-2022.pdf"`), "the PDF is linked with a plain address");
  assert.match(html, new RegExp(`（PDF，[\\d.]+ [kM]B，共${count}页）`));
  assert.ok(existsSync(join(out, "archive", "2022", "print", "2022.pdf")));
  assert.match(run(), /PDF: 0 printed, 2 unchanged/);
});
