// Shared helpers for the browser tests: build a site with the real binary, serve
// it on 127.0.0.1, drive Debian's Chromium with playwright-core, run axe-core.
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, statSync, existsSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname, resolve, sep, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, "..", "..");
export const samplesRoot = resolve(repoRoot, "..", "shared", "samples");
export const screenshotDir = join(repoRoot, "target", "browser-screenshots");
export const targetDir = process.env.CARGO_TARGET_DIR ? resolve(repoRoot, process.env.CARGO_TARGET_DIR) : join(repoRoot, "target");
const binary = process.env.ANNALS_BIN || join(targetDir, "debug", "annals");

/** Builds the site at `root` into a fresh temp folder and returns that folder. */
export function buildSite(root, extraArgs = []) {
  const out = mkdtempSync(join(tmpdir(), "annals-browser-"));
  rmSync(out, { recursive: true, force: true });
  execFileSync(binary, ["build", "--root", root, "--output", out, "--quiet", ...extraArgs], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  return out;
}

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8", ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png",
  ".pdf": "application/pdf", ".csv": "text/csv; charset=utf-8", ".txt": "text/plain; charset=utf-8",
};

/** A static server for `dir` on 127.0.0.1 with the CSP the README documents. */
export async function serve(dir) {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    let path;
    try { path = decodeURIComponent(new URL(req.url, "http://x").pathname); } catch { res.writeHead(400).end(); return; }
    let file = resolve(root, "." + path);
    if (file !== root && !file.startsWith(root + sep)) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      res.writeHead(404, { "content-type": TYPES[".html"] });
      res.end(existsSync(join(root, "404.html")) ? readFileSync(join(root, "404.html")) : "not found");
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] || "application/octet-stream",
      "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'",
    });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, close: () => new Promise((ok) => server.close(ok)) };
}

/** Headless Debian Chromium with a fresh profile. */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), "annals-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  // Any request leaving 127.0.0.1 is a bug: the site must not use third-party services.
  const external = [];
  context.on("request", (r) => {
    const u = new URL(r.url());
    if (u.protocol.startsWith("http") && u.hostname !== "127.0.0.1") external.push(r.url());
  });
  context.externalRequests = external;
  const close = context.close.bind(context);
  context.close = async () => { await close(); rmSync(profile, { recursive: true, force: true }); };
  return context;
}

const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** The axe-core configuration of every browser test: WCAG 2.0, 2.1 and 2.2 A/AA,
 * and `target-size` (2.5.8, off by default in axe) switched on. */
export const AXE_OPTIONS = {
  runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
  rules: { "target-size": { enabled: true } },
};

/** Runs axe-core with `AXE_OPTIONS`; returns violations. */
export async function axe(page) {
  // Injected through the DevTools protocol, so the page's CSP does not block it.
  await page.evaluate(axeSource);
  return page.evaluate(async (options) => {
    const r = await window.axe.run(document, options);
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + n.failureSummary) }));
  }, AXE_OPTIONS);
}

/** The phone and desktop widths every page kind is checked at. */
export const WIDTHS = [{ width: 375, height: 800 }, { width: 1280, height: 900 }];

/**
 * WCAG 2.4.11 Focus Not Obscured (Minimum): tabs through the page and returns
 * every focused control that a fixed or sticky element hides entirely.
 * Up to `limit` Tab presses, from the top of the page.
 */
export async function obscuredFocus(page, limit = 200) {
  await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
  const hidden = [];
  const seen = new Set();
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const r = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const box = el.getBoundingClientRect();
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (el.getAttribute("href") ? `[href="${el.getAttribute("href")}"]` : "") +
        ` "${(el.textContent || "").trim().slice(0, 20)}"`;
      const covers = [...document.querySelectorAll("body *")].filter((o) => {
        if (o.contains(el) || el.contains(o)) return false;
        const pos = getComputedStyle(o).position;
        if (pos !== "fixed" && pos !== "sticky") return false;
        const c = o.getBoundingClientRect();
        return c.left <= box.left && c.right >= box.right && c.top <= box.top && c.bottom >= box.bottom &&
          box.width > 0 && box.height > 0;
      }).map((o) => o.tagName.toLowerCase() + (o.className ? "." + String(o.className).split(" ").join(".") : ""));
      return { name, covers };
    });
    if (!r) continue;
    if (seen.has(r.name)) break; // wrapped around
    seen.add(r.name);
    if (r.covers.length) hidden.push(`${r.name} under ${r.covers.join(", ")}`);
  }
  return hidden;
}

/**
 * WCAG 3.2.6 Consistent Help: the help mechanisms of a page (the footer's
 * contact links) and their place among the page's links, as a comparable key:
 * the contact addresses in order and how many links of the footer precede them.
 */
export async function helpPlacement(page) {
  return page.evaluate(() => {
    const footer = document.querySelector("footer");
    if (!footer) return null;
    const links = [...footer.querySelectorAll("a[href]")];
    return links
      .map((a, i) => ({ i, href: a.getAttribute("href") }))
      .filter((l) => /^(mailto|tel):/.test(l.href))
      .map((l) => `${l.i}:${l.href}`)
      .join(" ");
  });
}

/** Every HTML file under `dir`, as site paths ("/2022/foo/"). */
export function htmlPages(dir) {
  const pages = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".html")) {
        const rel = p.slice(dir.length).split(sep).join("/");
        pages.push(rel.endsWith("/index.html") ? rel.slice(0, -"index.html".length) : rel);
      }
    }
  };
  walk(resolve(dir));
  return pages.sort();
}
