// annals search page: reads the static index under /search/index/ and shows results.
// The tokenizer below must stay identical to src/search/tokenize.rs: normalise each
// character, split into Han runs and ASCII word runs, cut Han runs into pairs.
// Results are built with DOM nodes and textContent only: index data is never HTML.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form || !window.fetch || !window.TextEncoder || !window.URLSearchParams) { return; }

  var FORMAT_VERSION = 1;
  var MAX_WORD_LEN = 40;
  var PAGE = 10;
  // Posting flags (src/search/index.rs).
  var TF_MASK = 3, BODY = 4, WORD = 8, META = 16, HEADING = 32, TITLE = 64, SOURCE = 128;
  var FIELDS = [[SOURCE, 12], [TITLE, 10], [HEADING, 5], [META, 3], [BODY, 1]];
  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

  var base = form.getAttribute("data-index");
  var input = document.getElementById("search-q");
  var yearSelect = document.getElementById("search-year");
  var unitSelect = document.getElementById("search-unit");
  var sortSelect = document.getElementById("search-sort");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");

  // ---- tokenizer (mirror of tokenize.rs) ----
  function normChar(ch) {
    var c = ch.codePointAt(0);
    if (c >= 0xFF01 && c <= 0xFF5E) { c -= 0xFEE0; }
    if (c >= 65 && c <= 90) { c += 32; }
    return String.fromCodePoint(c);
  }
  function normalize(text) {
    var out = "";
    for (var ch of text) { out += normChar(ch); }
    return out;
  }
  function isHan(c) {
    return c === 0x3007 || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
      (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FA1F);
  }
  function isWordChar(c) { return (c >= 48 && c <= 57) || (c >= 97 && c <= 122); }

  // Runs of a normalised query, each {han, chars, text, gapIsSpace}.
  function runs(normalized) {
    var out = [], current = null, gap = "";
    for (var ch of normalized) {
      var c = ch.codePointAt(0);
      var kind = isHan(c) ? "han" : (isWordChar(c) ? "word" : null);
      if (current && kind === current.kind) { current.chars.push(ch); continue; }
      if (current) { out.push(current); gap = ""; current = null; }
      if (kind) {
        current = { kind: kind, chars: [ch], gapIsSpace: out.length > 0 && /^\s*$/.test(gap) };
      } else {
        gap += ch;
      }
    }
    if (current) { out.push(current); }
    out.forEach(function (r) {
      r.text = r.chars.join("");
      if (r.kind === "word") { r.text = r.text.slice(0, MAX_WORD_LEN); }
    });
    return out;
  }
  function hanTerms(chars) {
    if (chars.length === 1) { return [chars[0]]; }
    var t = [];
    for (var i = 0; i + 1 < chars.length; i++) { t.push(chars[i] + chars[i + 1]); }
    return t;
  }

  // What a query needs: required terms (every pair and word), word terms that
  // reward an exact jieba word, and the pairs joining words typed with a space.
  function analyse(query) {
    var rs = runs(normalize(query));
    var required = [], words = [], joints = [], needles = [], whole = [];
    var add = function (arr, t) { if (arr.indexOf(t) < 0) { arr.push(t); } };
    rs.forEach(function (r, i) {
      if (r.kind === "han") {
        hanTerms(r.chars).forEach(function (t) { add(required, t); add(needles, t); });
        if (r.chars.length >= 3) { add(words, "=" + r.text); }
        var prev = rs[i - 1];
        if (prev && prev.kind === "han" && r.gapIsSpace) { add(joints, prev.chars[prev.chars.length - 1] + r.chars[0]); }
        add(needles, r.text);
      } else {
        add(required, r.text);
        add(needles, r.text);
      }
      add(whole, r.text);
    });
    joints = joints.filter(function (t) { return required.indexOf(t) < 0; });
    return { required: required, words: words, joints: joints, needles: needles, whole: whole };
  }

  // ---- index files ----
  function fnv(term) {
    var bytes = new TextEncoder().encode(term), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }
  function decode(text) {
    var out = [], value = 0, shift = 0;
    for (var i = 0; i < text.length; i++) {
      var d = ALPHABET.indexOf(text[i]);
      value += (d & 31) * Math.pow(2, shift);
      if (d & 32) { shift += 5; } else { out.push(value); value = 0; shift = 0; }
    }
    return out;
  }
  var cache = {};
  function getJSON(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (r) {
        if (!r.ok) { throw new Error(path + ": " + r.status); }
        return r.json();
      });
      cache[path].catch(function () { delete cache[path]; });
    }
    return cache[path];
  }
  var metaPromise = null;
  function meta() {
    if (!metaPromise) {
      metaPromise = getJSON("meta.json").then(function (m) {
        if (m.version !== FORMAT_VERSION) { throw new Error("index format " + m.version); }
        m.unitOf = decode(m.unit);
        m.yearOf = decode(m.year);
        m.digits = Math.ceil(m.bits / 4);
        return m;
      });
      metaPromise.catch(function () { metaPromise = null; });
    }
    return metaPromise;
  }
  function shardName(m, term) {
    return (fnv(term) >>> (32 - m.bits)).toString(16).padStart(m.digits, "0");
  }
  // Postings of each term: Map report number → packed flags.
  async function postings(m, terms) {
    var names = terms.map(function (t) { return shardName(m, t); });
    var shards = await Promise.all(names.map(function (n) { return getJSON(n + ".json"); }));
    return terms.map(function (t, i) {
      var map = new Map(), nums = decode(shards[i][t] || ""), doc = 0;
      for (var k = 0; k + 1 < nums.length; k += 2) { doc += nums[k]; map.set(doc, nums[k + 1]); }
      return map;
    });
  }

  // ---- ranking ----
  function fieldWeight(p) {
    for (var i = 0; i < FIELDS.length; i++) { if (p & FIELDS[i][0]) { return FIELDS[i][1]; } }
    return 0;
  }
  function rank(m, q, req, words, joints, filter) {
    var n = m.count;
    var idf = req.map(function (p) { return Math.log(1 + n / Math.max(1, p.size)); });
    // Candidates: reports with every required term; failing that, those with the
    // most of them, as long as that is at least half (else nothing was found).
    var hits = new Map();
    req.forEach(function (p) { p.forEach(function (_, d) { hits.set(d, (hits.get(d) || 0) + 1); }); });
    var best = 0;
    hits.forEach(function (c) { if (c > best) { best = c; } });
    var partial = best < req.length;
    var results = [];
    if (best * 2 < req.length) { return { results: results, partial: false }; }
    hits.forEach(function (c, d) {
      if (c < best || !filter(d)) { return; }
      var score = 0, shared = 0xFF, idfSum = 0;
      req.forEach(function (p, i) {
        var f = p.get(d);
        if (f === undefined) { shared = 0; return; }
        score += idf[i] * (fieldWeight(f) + ((f & BODY) ? 0.5 * (f & TF_MASK) : 0) + ((f & WORD) ? 1 : 0));
        shared &= f;
        idfSum += idf[i];
      });
      // All the query's pairs in one field: the phrase is there, not scattered.
      score += 3 * fieldWeight(shared & ~(WORD | TF_MASK)) * idfSum;
      words.concat(joints).forEach(function (p) {
        var f = p.get(d);
        if (f !== undefined) { score += 2 * fieldWeight(f) * Math.log(1 + n / p.size); }
      });
      results.push({ doc: d, score: score });
    });
    return { results: results, partial: partial };
  }

  // ---- rendering ----
  function message(key, vars) {
    var text = form.getAttribute("data-msg-" + key) || "";
    Object.keys(vars || {}).forEach(function (k) { text = text.split("{" + k + "}").join(String(vars[k])); });
    return text;
  }
  // Appends `text` to `parent` with every occurrence of a needle in <mark>.
  function appendMarked(parent, text, needles) {
    var norm = normalize(text), marks = [];
    needles.forEach(function (nd) {
      if (!nd) { return; }
      for (var at = norm.indexOf(nd); at >= 0; at = norm.indexOf(nd, at + 1)) { marks.push([at, at + nd.length]); }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    marks.forEach(function (mk) {
      var last = merged[merged.length - 1];
      if (last && mk[0] <= last[1]) { last[1] = Math.max(last[1], mk[1]); } else { merged.push(mk.slice()); }
    });
    var pos = 0;
    merged.forEach(function (mk) {
      if (mk[0] > pos) { parent.appendChild(document.createTextNode(text.slice(pos, mk[0]))); }
      var mark = document.createElement("mark");
      mark.textContent = text.slice(mk[0], mk[1]);
      parent.appendChild(mark);
      pos = mk[1];
    });
    if (pos < text.length) { parent.appendChild(document.createTextNode(text.slice(pos))); }
    return merged;
  }
  function firstMatch(text, needles) {
    var norm = normalize(text), first = -1;
    needles.forEach(function (nd) {
      var at = nd ? norm.indexOf(nd) : -1;
      if (at >= 0 && (first < 0 || at < first)) { first = at; }
    });
    return first;
  }
  // About 140 characters of `text` around its first match.
  function excerpt(text, q, cutStart, cutEnd) {
    text = text.replace(/\s+/g, " ").trim();
    var first = firstMatch(text, q.whole);
    if (first < 0) { first = firstMatch(text, q.needles); }
    var start = first > 40 ? first - 20 : 0;
    var out = text.slice(start, start + 140);
    if (start > 0 || cutStart) { out = "…" + out; }
    if (start + 140 < text.length || cutEnd) { out += "…"; }
    return out;
  }
  // How many of the query's words (as typed) a text contains.
  function wordsIn(text, whole) {
    var norm = normalize(text);
    return whole.filter(function (w) { return norm.indexOf(w) >= 0; }).length;
  }
  // When the match lies deeper than the opening text, the snippet comes from the
  // report page itself (the page a reader opens next, so the browser keeps it).
  // It is parsed as an inert document and only its text is read.
  async function deepSnippet(li, url, q, run) {
    try {
      var response = await fetch(url);
      if (!response.ok || run !== state.run) { return; }
      var page = new DOMParser().parseFromString(await response.text(), "text/html");
      var body = page.querySelector(".report-body") || page.querySelector("main");
      var text = body ? body.textContent : "";
      var old = li.querySelector(".search-result-snippet");
      if (!text || wordsIn(text, q.whole) <= (old ? wordsIn(old.textContent, q.whole) : 0)) { return; }
      var snippet = document.createElement("p");
      snippet.className = "search-result-snippet";
      appendMarked(snippet, excerpt(text, q, false, false), q.needles);
      if (old) { li.replaceChild(snippet, old); } else { li.appendChild(snippet); }
    } catch (e) { /* keep the opening text */ }
  }
  // A result's row [title, url, date, opening text] and its snippet.
  async function rowOf(m, result, q) {
    var row = (await getJSON("docs/" + Math.floor(result.doc / m.chunk) + ".json"))[result.doc % m.chunk];
    if (!row) { return null; }
    var opening = row[3] || "";
    return { row: row, snippet: opening ? excerpt(opening, q, false, opening.length >= 200) : "" };
  }
  function renderResult(m, found, doc, needles) {
    var row = found.row;
    var li = document.createElement("li");
    li.className = "search-result";
    var h = document.createElement("h2");
    h.className = "search-result-title";
    var a = document.createElement("a");
    a.href = row[1];
    appendMarked(a, row[0], needles);
    h.appendChild(a);
    li.appendChild(h);
    var info = document.createElement("p");
    info.className = "search-result-meta";
    var unit = document.createElement("span");
    unit.textContent = m.units[m.unitOf[doc]][0];
    var time = document.createElement("time");
    time.setAttribute("datetime", row[2]);
    time.textContent = row[2];
    info.appendChild(unit);
    info.appendChild(document.createTextNode(" "));
    info.appendChild(time);
    li.appendChild(info);
    if (found.snippet) {
      var snippet = document.createElement("p");
      snippet.className = "search-result-snippet";
      appendMarked(snippet, found.snippet, needles);
      li.appendChild(snippet);
    }
    return li;
  }

  // ---- the page ----
  var state = { run: 0, results: [], shown: 0, meta: null, query: null };

  function readParams() {
    var p = new URLSearchParams(window.location.search);
    input.value = p.get("q") || "";
    yearSelect.value = p.get("year") || "";
    unitSelect.value = p.get("unit") || "";
    sortSelect.value = p.get("sort") === "date" ? "date" : "";
    if (yearSelect.selectedIndex < 0) { yearSelect.value = ""; }
    if (unitSelect.selectedIndex < 0) { unitSelect.value = ""; }
  }
  function writeParams(push) {
    var p = new URLSearchParams();
    if (input.value.trim()) { p.set("q", input.value.trim()); }
    if (yearSelect.value) { p.set("year", yearSelect.value); }
    if (unitSelect.value) { p.set("unit", unitSelect.value); }
    if (sortSelect.value) { p.set("sort", sortSelect.value); }
    var qs = p.toString();
    var url = window.location.pathname + (qs ? "?" + qs : "");
    if (url !== window.location.pathname + window.location.search) {
      window.history[push ? "pushState" : "replaceState"](null, "", url);
    }
  }

  async function showMore(focusFirst) {
    var run = state.run, m = state.meta;
    var batch = state.results.slice(state.shown, state.shown + PAGE);
    var rows = await Promise.all(batch.map(function (r) { return rowOf(m, r, state.query); }));
    if (run !== state.run) { return; }
    var first = null;
    rows.forEach(function (row, i) {
      if (!row) { return; }
      var li = renderResult(m, row, batch[i].doc, state.query.needles);
      list.appendChild(li);
      if (wordsIn(row.snippet, state.query.whole) < state.query.whole.length) {
        deepSnippet(li, row.row[1], state.query, run);
      }
      if (!first) { first = li.querySelector("a"); }
    });
    state.shown += batch.length;
    more.hidden = state.shown >= state.results.length;
    if (focusFirst && first) { first.focus(); }
  }

  async function search() {
    var run = ++state.run;
    var query = input.value.trim();
    list.textContent = "";
    more.hidden = true;
    if (!query) { status.textContent = input.value || window.location.search ? message("empty") : ""; return; }
    list.setAttribute("aria-busy", "true");
    try {
      var m = await meta();
      var q = analyse(query);
      if (!q.required.length) { status.textContent = message("none", { q: query }); return; }
      var all = await postings(m, q.required.concat(q.words, q.joints));
      if (run !== state.run) { return; }
      var req = all.slice(0, q.required.length);
      var words = all.slice(q.required.length, q.required.length + q.words.length);
      var joints = all.slice(q.required.length + q.words.length);
      var year = yearSelect.value ? m.years.indexOf(Number(yearSelect.value)) : -1;
      var unit = -1;
      m.units.forEach(function (u, i) { if (u[1] === unitSelect.value) { unit = i; } });
      var filter = function (d) {
        return (year < 0 || m.yearOf[d] === year) && (unit < 0 || m.unitOf[d] === unit);
      };
      var ranked = rank(m, q, req, words, joints, filter);
      // Reports are numbered newest first, so the number breaks ties by date.
      ranked.results.sort(sortSelect.value === "date"
        ? function (a, b) { return a.doc - b.doc; }
        : function (a, b) { return b.score - a.score || a.doc - b.doc; });
      state.meta = m;
      state.results = ranked.results;
      state.shown = 0;
      state.query = q;
      if (!ranked.results.length) { status.textContent = message("none", { q: query }); return; }
      await showMore(false);
      if (run !== state.run) { return; }
      status.textContent = message("count", { n: ranked.results.length }) +
        (ranked.partial ? " " + message("partial") : "");
    } catch (e) {
      if (run === state.run) { status.textContent = message("error"); }
    } finally {
      if (run === state.run) { list.removeAttribute("aria-busy"); }
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    writeParams(true);
    search();
  });
  [yearSelect, unitSelect, sortSelect].forEach(function (s) {
    s.addEventListener("change", function () {
      writeParams(false);
      if (input.value.trim()) { search(); }
    });
  });
  more.addEventListener("click", function () {
    showMore(true).then(function () {
      status.textContent = message("shown", { shown: Math.min(state.shown, state.results.length), n: state.results.length });
    });
  });
  window.addEventListener("popstate", function () { readParams(); search(); });
  readParams();
  if (input.value.trim()) { search(); }
})();
