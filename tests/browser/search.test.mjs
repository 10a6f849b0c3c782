// The search page in a real browser: Chinese queries typed by keyboard, the unit
// ranking, a word found in one report only, the URL, filters, 320 px and axe.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { buildSite, serve, launch, axe, repoRoot, samplesRoot } from "./lib.mjs";

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

/** Types `query` into the search page's field and submits with Enter; returns the result list. */
async function searchFor(page, site, query) {
  await page.goto(site.url + "/search/");
  await page.locator("#search-q").focus();
  await page.keyboard.type(query);
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.getElementById("search-status").textContent.trim() !== "");
  return results(page);
}

function results(page) {
  return page.$$eval(".search-result", (items) => items.map((li) => ({
    title: li.querySelector("h2 a").textContent,
    href: li.querySelector("h2 a").getAttribute("href"),
    meta: li.querySelector(".search-result-meta").textContent,
    marks: [...li.querySelectorAll("mark")].map((m) => m.textContent),
  })));
}

test("安全生产 finds the sample report, with the words marked", async () => {
  const page = await browser.newPage();
  const found = await searchFor(page, sample, "安全生产");
  assert.ok(found.some((r) => r.href === "/2022/kaifu-yjj-fazhi-2022/"), JSON.stringify(found));
  // The match lies deep in the report: the snippet comes from the report's text.
  await page.waitForFunction(() => [...document.querySelectorAll(".search-result-snippet mark")].some((m) => m.textContent === "安全生产"));
  const status = await page.textContent("#search-status");
  assert.match(status, new RegExp(String(found.length)));
  assert.equal(new URL(page.url()).searchParams.get("q"), "安全生产");
  await page.close();
});

test("a unit's name returns that unit's reports first", async () => {
  const page = await browser.newPage();
  const found = await searchFor(page, demo, "青川市生态环境局");
  assert.ok(found.length >= 2, JSON.stringify(found));
  const own = found.filter((r) => r.meta.includes("青川市生态环境局"));
  assert.equal(own.length, 2, JSON.stringify(found));
  assert.deepEqual(found.slice(0, own.length).map((r) => r.href), own.map((r) => r.href));
  // Ties between the unit's own reports go to the newer one.
  assert.equal(found[0].href, "/fazhi/sthjj-fazhi-2021/");
  await page.close();
});

test("a word in one report only finds exactly that report", async () => {
  const page = await browser.newPage();
  const found = await searchFor(page, demo, "鹭鸶洲");
  assert.deepEqual(found.map((r) => r.href), ["/gongzuo/yjj-fangxun-2024/"]);
  await page.waitForFunction(() => [...document.querySelectorAll(".search-result-snippet mark")].some((m) => m.textContent.includes("鹭鸶洲")));
  await page.close();
});

test("the query is cut like the index: full-width digits, no spaces, a one-character word", async () => {
  const page = await browser.newPage();
  // ２０２４ is folded to 2024 and 年汛期 cut into pairs, as the index did.
  let found = await searchFor(page, demo, "２０２４年汛期");
  assert.equal(found[0]?.href, "/gongzuo/yjj-fangxun-2024/", JSON.stringify(found));
  // A single character finds titles and unit names.
  found = await searchFor(page, demo, "局");
  assert.ok(found.length >= 5, JSON.stringify(found));
  await page.close();
});

test("the query, filters and sort live in the URL and survive a reload", async () => {
  const page = await browser.newPage();
  await page.goto(demo.url + "/search/?q=" + encodeURIComponent("法治政府") + "&unit=sfj&sort=date");
  await page.waitForFunction(() => document.querySelectorAll(".search-result").length > 0);
  assert.equal(await page.inputValue("#search-q"), "法治政府");
  assert.equal(await page.inputValue("#search-unit"), "sfj");
  const found = await results(page);
  assert.ok(found.length >= 2 && found.every((r) => r.meta.includes("青川市司法局")), JSON.stringify(found));
  // Sorted by date: the 2023 report (published 2024) before the 2022 one.
  assert.deepEqual(found.map((r) => r.href), ["/fazhi/sfj-fazhi-2023/", "/fazhi/sfj-fazhi-2022/"]);
  // Changing the year filter by keyboard updates the results and the URL.
  await page.locator("#search-year").focus();
  await page.selectOption("#search-year", "2022");
  await page.waitForFunction(() => document.querySelectorAll(".search-result").length === 1);
  assert.equal(new URL(page.url()).searchParams.get("year"), "2022");
  await page.close();
});

test("the header search box leads to the search page with the query", async () => {
  const page = await browser.newPage();
  await page.goto(demo.url + "/");
  await page.locator("#header-q").focus();
  await page.keyboard.type("鹭鸶洲");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/search\/\?q=/);
  await page.waitForFunction(() => document.querySelectorAll(".search-result").length === 1);
  assert.equal(await page.inputValue("#search-q"), "鹭鸶洲");
  await page.close();
});

test("a query that matches nothing says so", async () => {
  const page = await browser.newPage();
  const found = await searchFor(page, demo, "不存在的词语组合ZZQ");
  assert.deepEqual(found, []);
  assert.match(await page.textContent("#search-status"), /ZZQ|不存在/);
  await page.close();
});

test("the search page passes axe with results shown and fits 320 px", async () => {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto(demo.url + "/search/?q=" + encodeURIComponent("法治政府建设"));
  await page.waitForFunction(() => document.querySelectorAll(".search-result").length > 0);
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scroll <= client, `search page is ${scroll}px wide in a ${client}px viewport`);
  const violations = await axe(page);
  assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
  await page.close();
  assert.deepEqual(browser.externalRequests, []);
});
