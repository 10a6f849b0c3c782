// Lighthouse (accessibility, best practices, SEO) on every page kind of the demo
// site, mobile and desktop, in Debian's Chromium. Slow on two cores, so not in CI.
//   cargo build && (cd bench/lighthouse && npm ci && npm run bench)
//   npm run bench -- ../../../shared/samples/real     (another site folder)
// Prints a Markdown table (the README's) and writes the reports' JSON to
// target/lighthouse/. Exits non-zero when a score is below 100.
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync, statSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, extname, sep, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import * as chromeLauncher from "chrome-launcher";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const target = process.env.CARGO_TARGET_DIR ? resolve(repo, process.env.CARGO_TARGET_DIR) : join(repo, "target");
const annals = process.env.ANNALS_BIN || join(target, "debug", "annals");
const outDir = join(repo, "target", "lighthouse");
const root = resolve(process.argv[2] || repo);
const CATEGORIES = ["accessibility", "best-practices", "seo"];

// The policy and caching the README's deploy section recommends.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; base-uri 'self'; frame-ancestors 'self'; object-src 'none'";
const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".json": "application/json", ".xml": "application/xml", ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8",
  ".png": "image/png", ".csv": "text/csv; charset=utf-8", ".pdf": "application/pdf",
};

function serve(dir) {
  const server = createServer((req, res) => {
    let path;
    try { path = decodeURIComponent(new URL(req.url, "http://x").pathname); } catch { res.writeHead(400).end(); return; }
    let file = resolve(dir, "." + path);
    if (file !== dir && !file.startsWith(dir + sep)) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    const found = existsSync(file);
    if (!found) file = join(dir, "404.html");
    res.writeHead(found ? 200 : 404, {
      "content-type": TYPES[extname(file)] || "application/octet-stream",
      "content-security-policy": CSP,
      "x-content-type-options": "nosniff",
      "cache-control": path.startsWith("/static/") ? "public, max-age=86400" : "no-cache",
    });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

const site = mkdtempSync(join(tmpdir(), "annals-lighthouse-"));
const out = join(site, "public");
const live = await serve(out);
const url = `http://127.0.0.1:${live.address().port}`;
// Built for the address it is served from, so canonical URLs stay on that host.
execFileSync(annals, ["build", "--quiet", "--root", root, "--output", out, "--base-url", url], { stdio: "inherit" });

// The first term page under a list page, else the list page itself (a site without tags).
const first = (dir) => {
  const name = readdirSync(join(out, dir)).sort().find((n) => !n.includes(".") && n !== "page");
  return name ? `/${dir}/${name}/` : `/${dir}/`;
};
const catalogue = JSON.parse(readFileSync(join(out, "reports.json"), "utf8"));
const report = new URL(catalogue.reports[0].url).pathname;
const pages = [
  ["home", "/"], ["report", report], ["print", report + "print/"], ["share", report + "share/"],
  ["archive", "/archive/"], ["archive year", first("archive")], ["unit", first("sources")],
  ["tag", first("tags")], ["search", "/search/?q=" + encodeURIComponent("法治")],
];

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM || "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"],
});
mkdirSync(outDir, { recursive: true });
const rows = [];
let below = 0;
try {
  for (const [kind, path] of pages) {
    const row = [kind];
    for (const [factor, config] of [["mobile", undefined], ["desktop", desktopConfig]]) {
      const result = await lighthouse(url + path, { port: chrome.port, output: "json", logLevel: "error", onlyCategories: CATEGORIES }, config);
      const lhr = result.lhr;
      writeFileSync(join(outDir, `${kind.replace(/ /g, "-")}-${factor}.json`), result.report);
      for (const c of CATEGORIES) {
        const score = Math.round(lhr.categories[c].score * 100);
        row.push(score);
        if (score < 100) {
          below++;
          const failing = lhr.categories[c].auditRefs.map((r) => lhr.audits[r.id])
            .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "manual");
          console.error(`${kind} (${factor}) ${c} ${score}: ${failing.map((a) => a.id + ": " + a.title).join("; ")}`);
        }
      }
    }
    rows.push(row);
  }
} finally {
  await chrome.kill();
  live.close();
  rmSync(site, { recursive: true, force: true });
}

const version = JSON.parse(readFileSync(new URL("./node_modules/lighthouse/package.json", import.meta.url), "utf8")).version;
const browser = execFileSync(process.env.CHROMIUM || "/usr/bin/chromium", ["--version"], { encoding: "utf8" }).trim();
console.log(`Lighthouse ${version}, ${browser}; ${root === repo ? "the demo site" : root} served on 127.0.0.1 with the README's CSP\n`);
console.log("| page | mobile: accessibility | best practices | SEO | desktop: accessibility | best practices | SEO |");
console.log("|---|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
process.exit(below ? 1 : 0);
