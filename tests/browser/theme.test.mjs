// The gov theme in a real browser: axe-core on every page, reading controls,
// reflow at 320 px, keyboard focus, screenshots.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { buildSite, serve, launch, axe, htmlPages, repoRoot, samplesRoot, screenshotDir, WIDTHS, obscuredFocus, helpPlacement } from "./lib.mjs";

const SAMPLE_REPORT = "/2022/kaifu-yjj-fazhi-2022/";
let demo, sample, browser;

before(async () => {
  const demoOut = buildSite(repoRoot);
  const sampleOut = buildSite(samplesRoot);
  demo = { out: demoOut, ...(await serve(demoOut)) };
  sample = { out: sampleOut, ...(await serve(sampleOut)) };
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await demo?.close();
  await sample?.close();
});

function isRedirect(out, path) {
  const file = join(out, path.endsWith("/") ? path + "index.html" : path);
  return /http-equiv="refresh"/i.test(readFileSync(file, "utf8"));
}

for (const site of ["demo", "sample"]) {
  test(`axe finds no WCAG 2.2 AA violations (target-size on) on any ${site} page, phone and desktop`, async () => {
    const s = site === "demo" ? demo : sample;
    const page = await browser.newPage();
    const failures = [];
    const pages = htmlPages(s.out).filter((p) => !isRedirect(s.out, p));
    assert.ok(pages.length > 3, `too few pages: ${pages}`);
    for (const size of WIDTHS) {
      await page.setViewportSize(size);
      for (const path of pages) {
        await page.goto(s.url + path);
        const violations = await axe(page);
        if (violations.length) failures.push({ path, width: size.width, violations });
      }
    }
    await page.close();
    assert.deepEqual(failures, [], JSON.stringify(failures, null, 2));
  });
}

/** One page of each kind of the demo site. */
const PAGE_KINDS = ["/", "/fazhi/", "/fazhi/sfj-fazhi-2023/", "/fazhi/sfj-fazhi-2023/print/",
  "/fazhi/sfj-fazhi-2023/share/", "/archive/", "/archive/2023/", "/archive/2023/print/", "/sources/",
  "/sources/sfj/", "/tags/", "/categories/", "/search/", "/404.html"];

test("no focused control is hidden under a fixed or sticky element (WCAG 2.4.11), phone and desktop", async () => {
  const page = await browser.newPage();
  const failures = [];
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    for (const path of PAGE_KINDS) {
      await page.goto(demo.url + path);
      const hidden = await obscuredFocus(page);
      if (hidden.length) failures.push({ path, width: size.width, hidden });
    }
  }
  await page.close();
  assert.deepEqual(failures, [], JSON.stringify(failures, null, 2));
});

test("the contact links are in the same place on every page (WCAG 3.2.6 consistent help)", async () => {
  const page = await browser.newPage();
  const places = new Map();
  for (const path of htmlPages(demo.out).filter((p) => !isRedirect(demo.out, p))) {
    await page.goto(demo.url + path);
    const place = await helpPlacement(page);
    if (place === null) continue; // print pages: a document, not a site page
    places.set(path, place);
  }
  await page.close();
  const distinct = new Set(places.values());
  assert.ok(places.size > 10, `too few pages with a footer: ${places.size}`);
  assert.equal(distinct.size, 1, JSON.stringify(Object.fromEntries(places), null, 2));
  assert.match([...distinct][0], /mailto:/, "the footer offers a contact link");
});

test("axe passes in high-contrast mode and with large text", async () => {
  const page = await browser.newPage();
  await page.goto(sample.url + SAMPLE_REPORT);
  await page.click("button[data-contrast]");
  await page.click("button[data-font='large']");
  assert.equal(await page.getAttribute("html", "data-contrast"), "high");
  const violations = await axe(page);
  assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
  // Reset the remembered choices for the other tests.
  await page.evaluate(() => localStorage.clear());
  await page.close();
});

test("the 大 control enlarges the article by keyboard and survives a reload", async () => {
  const page = await browser.newPage();
  await page.goto(sample.url + SAMPLE_REPORT);
  const size = () => page.$eval(".report-body p", (p) => parseFloat(getComputedStyle(p).fontSize));
  const before = await size();
  assert.ok(before >= 16, `default body text ${before}px is below 16px`);
  const large = page.locator("button[data-font='large']");
  await large.focus();
  await page.keyboard.press("Enter");
  assert.equal(await large.getAttribute("aria-pressed"), "true");
  const enlarged = await size();
  assert.ok(enlarged >= before * 1.5, `large ${enlarged}px is not 1.5x ${before}px`);
  await page.reload();
  assert.equal(await size(), enlarged, "font choice was not remembered");
  assert.equal(await page.locator("button[data-font='large']").getAttribute("aria-pressed"), "true");
  await page.locator("button[data-font='medium']").focus();
  await page.keyboard.press("Space");
  assert.equal(await size(), before);
  await page.close();
});

test("high contrast gives at least 7:1 text contrast and is remembered", async () => {
  const page = await browser.newPage();
  await page.goto(sample.url + SAMPLE_REPORT);
  await page.locator("button[data-contrast]").focus();
  await page.keyboard.press("Enter");
  await page.reload();
  const [fg, bg] = await page.$eval(".report-body p", (p) => [getComputedStyle(p).color, getComputedStyle(document.body).backgroundColor]);
  const lum = (c) => {
    const [r, g, b] = c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((v) => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
  const ratio = (l1 + 0.05) / (l2 + 0.05);
  assert.ok(ratio >= 7, `contrast ${ratio.toFixed(2)} < 7 (${fg} on ${bg})`);
  await page.evaluate(() => localStorage.clear());
  await page.close();
});

test("no horizontal scrolling at 320 px on report and list pages", async () => {
  // A persistent context ignores newPage options; size the viewport explicitly.
  const page = await browser.newPage();
  await page.setViewportSize({ width: 320, height: 640 });
  const paths = [
    [sample, SAMPLE_REPORT], [sample, "/"], [demo, "/"], [demo, "/fazhi/"],
    [demo, "/fazhi/sfj-fazhi-2023/"], [demo, "/404.html"],
  ];
  for (const extra of ["/archive/", "/sources/"]) {
    if (htmlPages(demo.out).includes(extra)) paths.push([demo, extra]);
  }
  for (const [s, path] of paths) {
    await page.goto(s.url + path);
    const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    assert.equal(client, 320);
    assert.ok(scroll <= client, `${path}: content is ${scroll}px wide in a ${client}px viewport`);
  }
  await page.close();
});

test("the skip link comes first and every control shows visible focus", async () => {
  const page = await browser.newPage();
  await page.goto(sample.url + SAMPLE_REPORT);
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => ({ cls: document.activeElement.className, href: document.activeElement.getAttribute("href") }));
  assert.equal(first.href, "#main", `first tab stop is ${JSON.stringify(first)}`);
  const seen = new Set();
  for (let i = 0; i < 200; i++) {
    const info = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const s = getComputedStyle(el);
      const outlined = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
      const shadowed = s.boxShadow && s.boxShadow !== "none";
      const r = el.getBoundingClientRect();
      // Mark each element once so the walk stops when focus wraps around.
      const again = el.hasAttribute("data-tab-seen");
      el.setAttribute("data-tab-seen", "");
      return { again, key: el.outerHTML.slice(0, 100), visible: outlined || shadowed, onScreen: r.width > 0 && r.height > 0 };
    });
    if (!info || info.again) break;
    seen.add(info.key + seen.size);
    assert.ok(info.visible, `no visible focus indicator on ${info.key}`);
    assert.ok(info.onScreen, `focused element is not on screen: ${info.key}`);
    await page.keyboard.press("Tab");
  }
  assert.ok(seen.size > 10, `only ${seen.size} tab stops`);
  await page.close();
});

test("pages make no third-party requests and screenshots are kept", async () => {
  mkdirSync(screenshotDir, { recursive: true });
  for (const [width, name] of [[1280, "sample-report-1280.png"], [375, "sample-report-375.png"]]) {
    const page = await browser.newPage();
    await page.setViewportSize({ width, height: 900 });
    await page.goto(sample.url + SAMPLE_REPORT);
    await page.screenshot({ path: join(screenshotDir, name), fullPage: false });
    await page.close();
  }
  assert.deepEqual(browser.externalRequests, []);
});

test("theme CSS and JS stay within the 40 KB budget", () => {
  const bytes = ["gov.css", "gov.js"].map((f) => readFileSync(join(demo.out, "static", f)).length).reduce((a, b) => a + b, 0);
  assert.ok(bytes < 40 * 1024, `theme assets are ${bytes} bytes`);
});
