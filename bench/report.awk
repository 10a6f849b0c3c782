# Prints bench/run.sh's tables from its results file (tab-separated):
#   size  scenario  wall  user  sys  peak-KB     one timed build
#   size  tool      pages N                      HTML pages a tool wrote
#   size  annals    wrote TEXT                   annals build --verbose summary
#   size  annals    markdown MB                  size of the corpus' Markdown
function median(list,   arr, n, i, j, t) {
  n = split(list, arr, " ")
  for (i = 1; i <= n; i++) arr[i] += 0
  for (i = 2; i <= n; i++) { t = arr[i]; for (j = i - 1; j >= 1 && arr[j] > t; j--) arr[j + 1] = arr[j]; arr[j + 1] = t }
  return (n % 2) ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2
}
function label(tool) {
  if (tool == "annals") return "annals, clean"
  if (tool == "annals-unchanged") return "annals, unchanged"
  if (tool == "annals-edit-body") return "annals, 1 body edit"
  if (tool == "annals-edit-front") return "annals, 1 front edit"
  if (tool == "annals-demo") return "annals, demo site"
  if (tool == "hugo") return "hugo, clean"
  if (tool == "zola") return "zola, clean"
  if (tool == "node-startup") return "node alone"
  return tool
}
function has(key) { return key in wall }
function W(key) { return median(wall[key]) }
function C(key) { return median(cpu[key]) }
function M(key) { return median(rss[key]) / 1024 }
function verdict(ok) { return ok ? "met" : "NOT MET" }
$3 == "pages" { pages[$1 "/" $2] = $4; next }
$3 == "wrote" { wrote[$1] = $4; next }
$3 == "markdown" { markdown[$1] = $4; next }
{
  key = $1 "/" $2
  if (!($1 in seen)) { seen[$1] = 1; sizes[++nsizes] = $1 }
  wall[key] = wall[key] " " $3; cpu[key] = cpu[key] " " ($4 + $5); rss[key] = rss[key] " " $6
}
END {
  ntools = split("annals annals-unchanged annals-edit-body annals-edit-front annals-demo hugo zola node-startup", tools, " ")
  printf "%-7s %-21s %8s %8s %8s %7s %13s %13s\n", "reports", "build", "wall s", "CPU s", "peak MB", "HTML", "CPU annals/x", "mem annals/x"
  for (i = 1; i <= nsizes; i++) {
    size = sizes[i]; base = size "/annals"
    for (j = 1; j <= ntools; j++) {
      tool = tools[j]; key = size "/" tool
      if (!has(key)) continue
      ratio_c = "-"; ratio_m = "-"
      if ((tool == "hugo" || tool == "zola") && has(base)) {
        ratio_c = sprintf("%.2f", C(base) / C(key))
        ratio_m = sprintf("%.2f", M(base) / M(key))
      }
      html = (key in pages) ? pages[key] : "-"
      printf "%-7s %-21s %8.3f %8.2f %8.0f %7s %13s %13s\n", size, label(tool), W(key), C(key), M(key), html, ratio_c, ratio_m
    }
  }
  print ""
  print "clean: emptied output, no cache; unchanged: annals again over its own output;"
  print "1 body edit / 1 front edit: the same after a line was appended to one report /"
  print "one report's summary changed. CPU = user + sys. HTML = .html files written."
  if ("node/node-startup" in wall)
    printf "Zola runs as npm's Node addon: node alone takes %.2f s CPU and %.0f MB of that.\n", C("node/node-startup"), M("node/node-startup")

  # Growth: each build's time and memory per size, and the factor from the size before.
  print ""
  printf "%-21s %7s %7s %8s %8s %8s %10s %10s\n", "growth", "reports", "MB md", "wall s", "CPU s", "peak MB", "CPU x", "mem x"
  for (j = 1; j <= ntools; j++) {
    tool = tools[j]; prev = ""
    if (tool == "annals-demo" || tool == "node-startup") continue
    for (i = 1; i <= nsizes; i++) {
      size = sizes[i]; key = size "/" tool
      if (!has(key)) continue
      fc = "-"; fm = "-"
      if (prev != "") {
        fc = sprintf("%.2f/%.0f", C(key) / C(prev), size / psize)
        fm = sprintf("%.2f/%.0f", M(key) / M(prev), size / psize)
      }
      md = (size in markdown) ? markdown[size] : "-"
      printf "%-21s %7s %7s %8.3f %8.2f %8.0f %10s %10s\n", label(tool), size, md, W(key), C(key), M(key), fc, fm
      prev = key; psize = size
    }
  }
  print "CPU x / mem x: factor over the size before / factor in reports."

  # Issue 17's targets, at 10,000 reports (or the largest size run).
  at = ""
  for (i = 1; i <= nsizes; i++) if (sizes[i] == 10000) at = 10000
  if (at == "") for (i = 1; i <= nsizes; i++) if (sizes[i] != "demo" && sizes[i] != "node") at = sizes[i]
  if (at != "") {
    print ""
    printf "issue 17 targets at %s reports%s:\n", at, (at == 10000) ? "" : " (the targets are for 10000)"
    k = at "/annals-edit-body"
    if (has(k)) printf "  one edited report: %.3f s wall, target <= 0.300 (goal 0.100): %s\n", W(k), verdict(W(k) <= 0.3)
    k = at "/annals-unchanged"
    if (has(k)) printf "  unchanged site: %.3f s wall, target <= 0.200: %s\n", W(k), verdict(W(k) <= 0.2)
    k = at "/hugo"
    if (has(k)) printf "  clean build CPU annals/hugo (equal work): %.2f, target <= 0.35: %s\n", C(at "/annals") / C(k), verdict(C(at "/annals") / C(k) <= 0.35)
    else print "  clean build CPU annals/hugo: no Hugo in this run"
    k = at "/zola"
    if (has(k)) printf "  clean build peak memory annals/zola: %.2f, target <= 0.5: %s\n", M(at "/annals") / M(k), verdict(M(at "/annals") / M(k) <= 0.5)
    else printf "  clean build peak memory: %.0f MB, no Zola in this run; half of the issue's 0.93 GB is 465 MB: %s\n", M(at "/annals"), verdict(M(at "/annals") <= 465)
  }
  print ""
  for (i = 1; i <= nsizes; i++) if (sizes[i] in wrote) printf "annals, %s reports: %s\n", sizes[i], wrote[sizes[i]]
}
