// The WCAG 2.2 checks of the browser tests catch what they are meant to: axe
// with `target-size` on flags a tiny control, the 2.4.11 check flags a control
// hidden under a fixed bar, and the 3.2.6 key tells two footers apart.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, axe, obscuredFocus, helpPlacement } from "./lib.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const page_ = (body) => `<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>${body}</body></html>`;

test("axe runs target-size and the WCAG 2.2 tags", async () => {
  const page = await browser.newPage();
  await page.setContent(page_(`<main><h1>t</h1><p>
    <button style="width:10px;height:10px;padding:0;border:0;margin:0">a</button><button style="width:10px;height:10px;padding:0;border:0;margin:0">b</button>
  </p></main>`));
  const ids = (await axe(page)).map((v) => v.id);
  assert.ok(ids.includes("target-size"), JSON.stringify(ids));
  await page.close();
});

test("a control entirely under a fixed bar is reported as obscured", async () => {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 800, height: 600 });
  await page.setContent(page_(`<div style="position:fixed;bottom:0;left:0;right:0;height:120px;background:#fff">bar</div>
    <main><h1>t</h1><div style="height:520px"></div><a href="#x" id="hidden">under the bar</a><div style="height:2000px"></div></main>`));
  const hidden = await obscuredFocus(page);
  assert.equal(hidden.length, 1, JSON.stringify(hidden));
  assert.match(hidden[0], /#hidden/);
  await page.setContent(page_(`<main><h1>t</h1><a href="#x">free</a></main>`));
  assert.deepEqual(await obscuredFocus(page), []);
  await page.close();
});

test("the consistent-help key differs when the contact link moves", async () => {
  const page = await browser.newPage();
  await page.setContent(page_(`<main></main><footer><a href="mailto:a@b.cn">mail</a><a href="/x">x</a></footer>`));
  const first = await helpPlacement(page);
  await page.setContent(page_(`<main></main><footer><a href="/x">x</a><a href="mailto:a@b.cn">mail</a></footer>`));
  assert.notEqual(await helpPlacement(page), first);
  await page.setContent(page_(`<main></main>`));
  assert.equal(await helpPlacement(page), null);
  await page.close();
});
