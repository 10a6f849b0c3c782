// What a first-time reader notices (issue 18): footer labels that wrap inside a
// word on a phone, a title's last word alone on its last line, the report page
// printed on Letter paper, and the site icon.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { buildSite, serve, launch, repoRoot } from "./lib.mjs";

let site, demo, browser, root;

// Titles of 10 to 40 characters, so that at each width some title would leave
// one or two characters on its last line if lines were not balanced.
const WORDS = "青川市滨江区应急管理局关于安全生产监督管理和依法行政工作情况的综合";
const TITLES = Array.from({ length: 16 }, (_, i) => "2024年" + WORDS.slice(0, 2 * i + 2) + "年度报告");

function write(rel, text) {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), "annals-reader-"));
  write("config.toml", `title = "青川市滨江区人民政府信息公开"
base_url = "https://reader.example.gov.cn"
[owner]
name = "青川市滨江区人民政府办公室"
organizer = "青川市滨江区大数据和政务服务中心"
address = "青川市滨江区人民路与解放路交会处滨江区政务服务中心东楼三楼"
postcode = "410000"
phone = "0731-00000000"
email = "zhengwugongkai-bangongshi@binjiang.example.gov.cn"
site_code = "4301000001"
icp = "湘ICP备00000001号"
police_record = "湘公网安备43010002000001号"
`);
  TITLES.forEach((title, i) => write(`content/2024/r${i}.md`,
    `---\ntitle: ${title}\ndate: 2025-01-${String((i % 28) + 1).padStart(2, "0")}\nsource: 青川市滨江区应急管理局\n---\n\n正文第${i}段。\n`));
  const out = buildSite(root);
  site = { out, ...(await serve(out)) };
  const demoOut = buildSite(repoRoot);
  demo = { out: demoOut, ...(await serve(demoOut)) };
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.close();
  await demo?.close();
  for (const dir of [root, site?.out, demo?.out]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Characters of each rendered line of the element's text, top to bottom. */
function lineLengths(page, selector) {
  return page.$eval(selector, (el) => {
    const tops = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.data.length; i++) {
        if (/\s/.test(node.data[i])) continue;
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (rect) tops.push(Math.round(rect.top));
      }
    }
    const lines = new Map();
    for (const top of tops) {
      const key = [...lines.keys()].find((k) => Math.abs(k - top) < 4) ?? top;
      lines.set(key, (lines.get(key) || 0) + 1);
    }
    return [...lines.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  });
}

test("footer labels never wrap inside a word on a 375 px phone", async () => {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 375, height: 800 });
  for (const [s, path] of [[site, "/"], [site, "/2024/r15/"], [demo, "/"]]) {
    await page.goto(s.url + path);
    const labels = await page.$$eval(".footer-facts dt", (dts) => dts.map((dt) => dt.textContent));
    assert.ok(labels.length >= 6, `${path}: footer labels ${labels}`);
    for (let i = 0; i < labels.length; i++) {
      const lines = await lineLengths(page, `.footer-facts dt >> nth=${i}`);
      assert.equal(lines.length, 1, `${path}: label ${labels[i]} is broken over lines ${lines}`);
    }
    const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    assert.ok(scroll <= client, `${path}: footer makes the page ${scroll}px wide`);
  }
  await page.close();
});

test("titles are balanced: never one or two characters alone on the last line", async () => {
  const page = await browser.newPage();
  const cases = [
    ["print", (i) => `/2024/r${i}/print/`, ".doc-title"],
    ["share", (i) => `/2024/r${i}/share/`, ".share-title"],
    ["report", (i) => `/2024/r${i}/`, ".report h1"],
  ];
  let wrapped = 0;
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    for (const media of ["screen", "print"]) {
      await page.emulateMedia({ media });
      for (const [kind, path, selector] of cases) {
        // Paper has one width whatever the window's: print media once.
        if (media === "print" && (kind !== "print" || width !== 1280)) continue;
        for (let i = 0; i < TITLES.length; i++) {
          await page.goto(site.url + path(i));
          const lines = await lineLengths(page, selector);
          if (lines.length < 2) continue;
          wrapped++;
          const last = lines[lines.length - 1];
          assert.ok(last >= 3, `${kind} page at ${width}px (${media}): "${TITLES[i]}" ends with a line of ${last} characters (${lines})`);
        }
      }
    }
  }
  await page.emulateMedia({ media: "screen" });
  assert.ok(wrapped > 10, `only ${wrapped} titles wrapped: the test shows nothing`);
  await page.close();
});

test("the report page prints on A4, not Letter", async () => {
  const page = await browser.newPage();
  await page.goto(site.url + "/2024/r5/");
  // As the browser's print dialog does: the page's own @page size wins.
  const pdf = await page.pdf({ preferCSSPageSize: true });
  await page.close();
  const boxes = [...pdf.toString("latin1").matchAll(/\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/g)]
    .map((m) => [Number(m[3]) - Number(m[1]), Number(m[4]) - Number(m[2])].map(Math.round));
  assert.ok(boxes.length >= 1, "no page in the PDF");
  for (const box of boxes) assert.deepEqual(box, [595, 842], `page size ${box} pt is not A4`);
});

test("every page kind links the site icon, and it loads", async () => {
  const page = await browser.newPage();
  const failed = [];
  page.on("response", (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
  for (const path of ["/", "/2024/r1/", "/2024/r1/print/", "/2024/r1/share/", "/archive/", "/search/", "/404.html"]) {
    await page.goto(site.url + path);
    const icon = await page.$eval("link[rel=icon]", (l) => l.href);
    const loaded = await page.evaluate(async (href) => {
      const img = new Image();
      img.src = href;
      await img.decode();
      return img.naturalWidth;
    }, icon);
    assert.ok(loaded > 0, `${path}: the icon ${icon} does not render`);
  }
  await page.close();
  assert.deepEqual(failed, []);
});

test("PDFs embed the body text in a real (TrueType) font, not as Type 3 outlines", () => {
  const pdfRoot = mkdtempSync(join(tmpdir(), "annals-pdf-fonts-"));
  try {
    mkdirSync(join(pdfRoot, "content", "2024"), { recursive: true });
    writeFileSync(join(pdfRoot, "config.toml"), 'title = "字体测试"\nbase_url = "https://fonts.example.gov.cn"\n');
    const body = Array.from({ length: 40 }, (_, i) => `第${i + 1}段。本年度依法行政工作稳步推进，各项制度不断完善，执法监督持续加强。`).join("\n\n");
    writeFileSync(join(pdfRoot, "content", "2024", "ziti.md"),
      `---\ntitle: 2024年字体测试年度报告\ndate: 2025-01-02\nsource: 测试局\n---\n\n## 一、总体情况\n\n${body}\n`);
    const out = buildSite(pdfRoot, ["--pdf", "--chrome", process.env.CHROMIUM || "/usr/bin/chromium"]);
    const dir = join(out, "2024", "ziti", "print");
    const pdf = join(dir, readdirSync(dir).find((f) => f.endsWith(".pdf")));
    const fonts = execFileSync("pdffonts", [pdf], { encoding: "utf8" });
    assert.match(fonts, /UMing\S*\s+CID TrueType/, fonts);
    assert.match(fonts, /WenQuanYi\S*\s+CID TrueType/, fonts);
    rmSync(out, { recursive: true, force: true });
  } finally {
    rmSync(pdfRoot, { recursive: true, force: true });
  }
});
