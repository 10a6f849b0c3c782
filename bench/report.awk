# Prints bench/run.sh's tables from its results file (tab-separated):
#   size  scenario  wall  user  sys  peak-KB     one timed build
#   size  tool      pages N                      HTML pages a tool wrote
#   size  annals    wrote TEXT                   annals build --verbose summary
#   size  annals    markdown MB                  size of the corpus' Markdown
#   size  annals    load-start|load-end TEXT     load average before and after
#   size  serve-*   said MS                      serve's own figure for a rebuild
#   size  annals    serve-hwm KB                 serve's VmHWM after the edits
# and from the command line: -v baseline=REV, the commit of annals-base, and
# -v fstype=TYPE, the work folder's file system.
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
  if (tool == "annals-edit-front") return "annals, 1 summary edit"
  if (tool == "annals-edit-title") return "annals, 1 title edit"
  if (tool == "annals-edit-date") return "annals, 1 date edit"
  if (tool == "annals-edit-unit") return "annals, 1 unit edit"
  if (tool == "annals-base") return "annals " baseline ", clean"
  if (tool == "serve-first") return "serve, first build"
  if (tool == "serve-edit-body") return "serve, 1 body edit"
  if (tool == "serve-edit-title") return "serve, 1 title edit"
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
$3 == "load-start" { load_start[$1] = $4; next }
$3 == "load-end" { load_end[$1] = $4; next }
$3 == "said" { said[$1 "/" $2] = said[$1 "/" $2] " " $4; next }
$3 == "serve-hwm" { serve_hwm[$1] = $4 / 1024; next }
{
  key = $1 "/" $2
  if (!($1 in seen)) { seen[$1] = 1; sizes[++nsizes] = $1 }
  wall[key] = wall[key] " " $3; cpu[key] = cpu[key] " " ($4 + $5); rss[key] = rss[key] " " $6
}
END {
  ntools = split("annals annals-base annals-unchanged annals-edit-body annals-edit-front annals-edit-title annals-edit-date annals-edit-unit serve-first serve-edit-body serve-edit-title annals-demo hugo zola node-startup", tools, " ")
  printf "%-7s %-22s %8s %8s %8s %7s %13s %13s\n", "reports", "build", "wall s", "CPU s", "peak MB", "HTML", "CPU annals/x", "mem annals/x"
  for (i = 1; i <= nsizes; i++) {
    size = sizes[i]; base = size "/annals"
    for (j = 1; j <= ntools; j++) {
      tool = tools[j]; key = size "/" tool
      if (!has(key)) continue
      ratio_c = "-"; ratio_m = "-"
      if ((tool == "hugo" || tool == "zola" || tool == "annals-base") && has(base)) {
        ratio_c = sprintf("%.2f", C(base) / C(key))
        ratio_m = sprintf("%.2f", M(base) / M(key))
      }
      html = (key in pages) ? pages[key] : "-"
      printf "%-7s %-22s %8.3f %8.2f %8.0f %7s %13s %13s\n", size, label(tool), W(key), C(key), M(key), html, ratio_c, ratio_m
    }
  }
  print ""
  print "clean: emptied output, no cache; unchanged: annals again over its own output;"
  print "1 body / summary / title / date / unit edit: the same after a line was appended"
  print "to one report, or one line of another's front matter changed (the date by two"
  print "months, the unit to another's). CPU = user + sys. HTML = .html files written."
  print "serve: `annals serve` on the same site; wall from start to its address, or from"
  print "the save to its rebuild message; CPU of the serve process meanwhile; peak MB its"
  print "VmHWM so far (the first build's peak stays in it)."
  if ("node/node-startup" in wall)
    printf "Zola runs as npm's Node addon: node alone takes %.2f s CPU and %.0f MB of that.\n", C("node/node-startup"), M("node/node-startup")

  # Growth: each build's time and memory per size, and the factor from the size before.
  print ""
  printf "%-22s %7s %7s %8s %8s %8s %10s %10s\n", "growth", "reports", "MB md", "wall s", "CPU s", "peak MB", "CPU x", "mem x"
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
      printf "%-22s %7s %7s %8.3f %8.2f %8.0f %10s %10s\n", label(tool), size, md, W(key), C(key), M(key), fc, fm
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
  for (i = 1; i <= nsizes; i++) if (sizes[i] != "demo" && sizes[i] != "node") issue24(sizes[i])
  print ""
  for (i = 1; i <= nsizes; i++) if (sizes[i] in wrote) printf "annals, %s reports: %s\n", sizes[i], wrote[sizes[i]]
}

# One line of issue 24's block: what, the figure, the limit, met or not.
function target(what, figure, limit, ok, note) {
  printf "  %-32s %10s   limit %-22s %s%s\n", what, figure, limit, verdict(ok), note
}
function not_measured(what, why) { printf "  %-32s %10s   %s\n", what, "-", why }
function wall_target(size, tool, what, limit,   k, note) {
  k = size "/" tool
  if (!has(k)) { not_measured(what, (tool ~ /^serve/) ? "not measured (--no-serve or serve failed)" : "not measured"); return }
  note = (k in said) ? sprintf(" (serve says %d ms)", median(said[k])) : ""
  target(what, sprintf("%.3f s", W(k)), sprintf("%.3f s", limit), W(k) <= limit, note)
}
# Issue 24's targets at one size: everyday rebuilds, clean build CPU against
# an older annals, memory of the clean build and of serve.
function issue24(size,   k, b, loads) {
  loads = (size in load_start) ? sprintf(", load average %s before, %s after", load_start[size], load_end[size]) : ""
  print ""
  printf "issue 24 targets at %s reports%s:\n", size, loads
  if (fstype != "" && fstype != "tmpfs") printf "  (work folder on %s: the targets are for tmpfs, --shm)\n", fstype
  wall_target(size, "annals-unchanged", "nothing changed, build", 0.05)
  wall_target(size, "annals-edit-body", "1 body edit, build", 0.1)
  wall_target(size, "serve-edit-body", "1 body edit, serve", 0.1)
  wall_target(size, "annals-edit-title", "1 title edit, build", 0.3)
  wall_target(size, "annals-edit-date", "1 date edit, build", 0.3)
  wall_target(size, "annals-edit-unit", "1 unit edit, build", 0.3)
  wall_target(size, "serve-edit-title", "1 title edit, serve", 0.3)
  k = size "/annals"; b = size "/annals-base"
  if (has(k) && has(b))
    target("clean build CPU annals/" baseline, sprintf("%.2f", C(k) / C(b)), "1.00", C(k) <= C(b), sprintf(" (%.2f s against %.2f s)", C(k), C(b)))
  else not_measured("clean build CPU annals/older", "no --baseline in this run")
  if (has(k)) target("clean build peak memory", sprintf("%.0f MB", M(k)), "360 MB", M(k) <= 360, "")
  if (size in serve_hwm && has(k))
    target("serve peak memory (VmHWM)", sprintf("%.0f MB", serve_hwm[size]), sprintf("%.0f MB (clean build)", M(k)), serve_hwm[size] <= M(k), "")
  else not_measured("serve peak memory (VmHWM)", "not measured (--no-serve or serve failed)")
}
