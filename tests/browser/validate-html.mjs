// The W3C Nu Html Checker (vnu-jar, run with Debian's Java) over every generated
// page of the demo, the samples, a generated corpus and the feature site.
// Prints a summary per site and every message; fails on any error or warning.
//   node validate-html.mjs            (after `cargo build`)
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { rmSync } from "node:fs";
import { htmlPages } from "./lib.mjs";
import { builtSites } from "./sites.mjs";

const require = createRequire(import.meta.url);
const jar = require.resolve("vnu-jar/build/dist/vnu.jar");

const sites = builtSites();
const run = spawnSync("java", ["-Xss2m", "-jar", jar, "--format", "json", "--skip-non-html", ...sites.map((s) => s.out)], {
  encoding: "utf8", maxBuffer: 256 * 1024 * 1024,
});
if (run.error || (run.status !== 0 && !run.stderr.trim().startsWith("{"))) {
  console.error("the Nu checker did not run:", run.error?.message ?? run.stderr.slice(0, 2000));
  console.error("it needs Java (apt-get install default-jre-headless) and `npm ci` in tests/browser");
  process.exit(2);
}
const { messages } = JSON.parse(run.stderr);

const kindOf = (m) => (m.type === "error" || m.type === "non-document-error" ? "error" : m.subType === "warning" ? "warning" : "info");
let failures = 0;
for (const site of sites) {
  const mine = messages.filter((m) => decodeURIComponent(m.url ?? "").includes(site.out));
  const count = (k) => mine.filter((m) => kindOf(m) === k).length;
  console.log(`${site.name}: ${htmlPages(site.out).length} pages, ${count("error")} errors, ${count("warning")} warnings, ${count("info")} info`);
  for (const m of mine) {
    const where = decodeURIComponent(m.url).replace(/^file:/, "").slice(site.out.length);
    console.log(`  ${kindOf(m)}: ${where}:${m.lastLine ?? "?"}:${m.firstColumn ?? "?"}: ${m.message}`);
    if (kindOf(m) !== "info") failures++;
  }
}
const stray = messages.filter((m) => !sites.some((s) => decodeURIComponent(m.url ?? "").includes(s.out)));
for (const m of stray) { console.log(`  ${kindOf(m)}: ${m.message}`); failures++; }
for (const site of sites) rmSync(site.out, { recursive: true, force: true });
console.log(failures ? `Nu Html Checker: ${failures} errors and warnings` : "Nu Html Checker: 0 errors, 0 warnings");
process.exit(failures ? 1 : 0);
