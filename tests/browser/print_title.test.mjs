// The title of a print page breaks between words, never inside one (「政／府」):
// laid out by Chromium for print at many widths (A4's text block is about
// 590 px), every line of the title starts where a word starts.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSite, serve, launch } from "./lib.mjs";

const TITLE = "淮安市洪泽区人民政府办公室关于2024年政府信息公开工作年度报告和法治政府建设情况的说明";
let site, server, browser, work;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "annals-title-"));
  mkdirSync(join(work, "content", "2024"), { recursive: true });
  writeFileSync(join(work, "config.toml"), 'title = "测试"\nbase_url = "https://www.example.gov.cn"\n');
  writeFileSync(
    join(work, "content", "2024", "report.md"),
    `---\ntitle: ${TITLE}\ndate: 2025-01-20\nsource: 淮安市洪泽区人民政府办公室\n---\n\n## 一、总体情况\n\n正文。\n`,
  );
  site = buildSite(work);
  server = await serve(site);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
  if (site) rmSync(site, { recursive: true, force: true });
});

/** For the print title at each width: the offsets where its lines start, and
 * the offsets where its words start (after each <wbr>). */
async function lineStarts(page, widths) {
  return page.evaluate((widths) => {
    const title = document.querySelector(".doc-title");
    const text = title.textContent;
    const wordStarts = [0];
    let offset = 0;
    for (const node of title.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) offset += node.data.length;
      else if (node.nodeName === "WBR") wordStarts.push(offset);
    }
    const results = [];
    for (const width of widths) {
      title.style.width = `${width}px`;
      const tops = [];
      let index = 0;
      const walker = document.createTreeWalker(title, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.data.length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          tops.push([index + i, Math.round(range.getBoundingClientRect().top)]);
        }
        index += node.data.length;
      }
      const starts = tops.filter(([i, top], k) => k > 0 && top > tops[k - 1][1] + 2).map(([i]) => i);
      results.push({ width, starts });
    }
    return { text, wordStarts, results };
  }, widths);
}

test("print titles break only between words at every width", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/2024/report/print/`);
  await page.emulateMedia({ media: "print" });
  const widths = [];
  for (let w = 200; w <= 760; w += 20) widths.push(w);
  const { text, wordStarts, results } = await lineStarts(page, widths);
  assert.equal(text, TITLE);
  assert.ok(wordStarts.length > 8, `words: ${wordStarts}`);
  let wrapped = 0;
  for (const { width, starts } of results) {
    if (starts.length > 0) wrapped++;
    for (const start of starts) {
      assert.ok(
        wordStarts.includes(start),
        `at ${width}px a line starts inside a word: …${text.slice(Math.max(0, start - 2), start)}／${text.slice(start, start + 2)}…`,
      );
    }
  }
  assert.ok(wrapped >= 10, "the title wraps at most widths tried");
  await page.close();
});
