// The three statistics tables of a 政府信息公开工作年度报告 in a real browser:
// axe, and header association as the accessibility tree exposes it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { buildSite, serve, launch, axe, repoRoot } from "./lib.mjs";

const REPORTS = ["/xxgk/zfb-xxgk-2021/", "/xxgk/zfb-xxgk-2022/", "/xxgk/zfb-xxgk-2023/"];
let site, browser;

before(async () => {
  const out = buildSite(repoRoot);
  site = { out, ...(await serve(out)) };
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.close();
});

test("disclosure report pages with their tables pass axe", async () => {
  const page = await browser.newPage();
  for (const path of REPORTS) {
    await page.goto(site.url + path);
    assert.ok(await page.locator(".disclosure-table table").count() >= 3, `${path} has no tables`);
    const violations = await axe(page);
    assert.deepEqual(violations, [], `${path}: ${JSON.stringify(violations, null, 2)}`);
  }
  await page.close();
});

test("the accessibility tree names each table and exposes its header cells as headers", async () => {
  const page = await browser.newPage();
  await page.goto(site.url + REPORTS[2]);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Accessibility.enable");
  const { nodes } = await cdp.send("Accessibility.getFullAXTree");
  const byId = new Map(nodes.map((n) => [n.nodeId, n]));
  const role = (n) => n.role?.value;
  const name = (n) => n.name?.value ?? "";
  const descendants = (n, out = []) => {
    for (const id of n.childIds ?? []) {
      const c = byId.get(id);
      if (c) { out.push(c); descendants(c, out); }
    }
    return out;
  };
  const tables = nodes.filter((n) => role(n) === "table");
  // DOM facts to compare with: every table's caption and its th/td counts.
  const dom = await page.$$eval(".disclosure-table table", (ts) => ts.map((t) => ({
    caption: t.caption?.textContent.trim() ?? "",
    headers: t.querySelectorAll("th").length,
    cells: t.querySelectorAll("td:not(.disclosure-note)").length,
  })));
  for (const d of dom) {
    const t = tables.find((n) => name(n) === d.caption);
    assert.ok(t, `no table named "${d.caption}" in the accessibility tree`);
    const inside = descendants(t);
    const headers = inside.filter((n) => ["columnheader", "rowheader"].includes(role(n)));
    const cells = inside.filter((n) => ["cell", "gridcell"].includes(role(n)));
    assert.equal(headers.length, d.headers, `${d.caption}: ${headers.length} header cells exposed, ${d.headers} in the page`);
    assert.ok(cells.length >= d.cells, `${d.caption}: ${cells.length} data cells exposed, ${d.cells} in the page`);
  }
  await page.close();
});

test("every data cell is associated with a row header and a column header", async () => {
  const page = await browser.newPage();
  for (const path of REPORTS) {
    await page.goto(site.url + path);
    const problems = await page.$$eval(".disclosure-table table", (tables) => {
      const out = [];
      for (const table of tables) {
        // Table 四 is one row of figures under column headers only, as officially laid out.
        const hasRowHeaders = !!table.querySelector("th[scope=row]");
        // The table model: which header cells cover each position (rowspan/colspan aware).
        const grid = [];
        [...table.rows].forEach((tr, r) => {
          grid[r] = grid[r] || [];
          let c = 0;
          for (const cell of tr.cells) {
            while (grid[r][c]) c++;
            for (let i = 0; i < cell.rowSpan; i++) for (let j = 0; j < cell.colSpan; j++) {
              grid[r + i] = grid[r + i] || [];
              grid[r + i][c + j] = cell;
            }
            c += cell.colSpan;
          }
        });
        grid.forEach((row, r) => row.forEach((cell, c) => {
          if (cell.tagName !== "TD" || cell.classList.contains("disclosure-note")) return;
          if (row.indexOf(cell) !== c || grid.findIndex((x) => x.includes(cell)) !== r) return;
          let rowHeaders = [], colHeaders = [];
          if (cell.hasAttribute("headers")) {
            const ids = cell.getAttribute("headers").split(/\s+/);
            const ths = ids.map((id) => table.querySelector(`th[id="${id}"]`));
            if (ths.some((t) => !t)) { out.push(`${table.caption?.textContent}: dangling headers ${ids}`); return; }
            rowHeaders = ths.filter((t) => t.scope === "row");
            colHeaders = ths.filter((t) => t.scope === "col");
          } else {
            rowHeaders = row.filter((h) => h.tagName === "TH" && h.scope === "row");
            colHeaders = grid.map((x) => x[c]).filter((h) => h && h.tagName === "TH" && h.scope === "col");
          }
          if ((hasRowHeaders && !rowHeaders.length) || !colHeaders.length) {
            out.push(`${table.caption?.textContent}: cell ${cell.textContent} at ${r},${c} lacks ${rowHeaders.length ? "a column" : "a row"} header`);
          }
        }));
      }
      return out;
    });
    assert.deepEqual(problems, [], `${path}: ${problems.join("\n")}`);
  }
  await page.close();
});
