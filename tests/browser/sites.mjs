// The sites the validators run over: the demo, the shared samples, a generated
// corpus, and a site of our own that uses every Markdown feature and page kind.
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { repoRoot, samplesRoot, targetDir, buildSite } from "./lib.mjs";

const generator = join(targetDir, "debug", "annals-bench-gen");

function write(root, rel, text) {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** A site with footnotes, aligned tables, hard breaks, rules, images, task lists,
 *  code, attachments of several kinds, an alias, tags, categories and the outline
 *  option: the Markdown the demo does not use. */
export function featureSite() {
  const root = mkdtempSync(join(tmpdir(), "annals-features-"));
  write(root, "config.toml", `title = "功能测试站"
base_url = "https://features.example.gov.cn"
[owner]
name = "功能测试区人民政府办公室"
address = "测试区人民路1号"
email = "gongkai@features.example.gov.cn"
[markdown]
outline = "auto"
`);
  write(root, "content/2024/_index.md", "---\ntitle: 2024年\n---\n");
  write(root, "content/2024/gongneng.md", `---
title: 测试区2024年法治政府建设年度报告
date: 2025-02-10
source: 测试区司法局
category: 法治政府建设年度报告
tags: [法治政府建设, 测试]
index_no: 000000001/2025-00001
doc_no: 测司〔2025〕1号
attachments:
  - {title: 统计表, file: biao.csv}
  - {title: 台账, file: taizhang.xlsx}
  - {title: 扫描件, file: saomiao.pdf}
  - {title: 上级文件, url: "https://www.example.gov.cn/wenjian.html"}
related:
  - {title: 往年报告, url: "/2024/"}
aliases: [/old/2025/0210.html]
---

一、总体情况

本年度依法行政工作稳步推进[^1]，各项指标见下表。

| 项目 | 数量 | 同比 |
|:-----|:----:|-----:|
| 行政复议 | 12 | +2 |
| 行政诉讼 | 3 | -1 |

第一行文字\\
第二行文字（硬换行）

---

二、主要举措

1.完善制度建设。全年制定规范性文件5件。

2.严格执法监督。开展执法检查12次。

- [x] 已完成清理
- [ ] 持续推进

![测试区政府大楼](lou.png "政府大楼")

\`\`\`rust
fn main() { println!("法治"); }
\`\`\`

> 引用的一段话。

[^1]: 数据截至2024年12月31日。
`);
  write(root, "content/2024/gongneng/biao.csv", "项目,数量\r\n复议,12\r\n");
  write(root, "content/2024/gongneng/taizhang.xlsx", "PK not really a workbook");
  write(root, "content/2024/gongneng/saomiao.pdf", "%PDF-1.4\n%%EOF\n");
  // A 1x1 PNG.
  writeFileSync(join(root, "content/2024/gongneng/lou.png"), Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64"));
  return root;
}

/** Every site the validators check, built: [{ name, out }]. */
export function builtSites() {
  const sites = [
    { name: "demo", root: repoRoot },
    { name: "sample", root: samplesRoot },
    { name: "features", root: featureSite() },
  ];
  const real = join(samplesRoot, "real");
  if (existsSync(join(real, "config.toml"))) sites.push({ name: "real", root: real });
  if (existsSync(generator)) {
    const corpus = mkdtempSync(join(tmpdir(), "annals-corpus-"));
    execFileSync(generator, ["--reports", "44", "--seed", "18", "--out", corpus, "--sites", "annals"], { stdio: "ignore" });
    sites.push({ name: "generated-44", root: join(corpus, "annals") });
  }
  return sites.map((s) => ({ name: s.name, out: buildSite(s.root) }));
}
