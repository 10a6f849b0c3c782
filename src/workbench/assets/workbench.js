// The workbench's script: uploads, the live preview of the body, statistics
// totals checked as you type. Every text it shows comes from the page (the
// catalogue); it talks only to this server.
"use strict";

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
}

function showError(box, message) {
  box.hidden = false;
  box.textContent = "";
  const p = document.createElement("p");
  p.textContent = message;
  box.appendChild(p);
  box.focus();
}

async function answer(response) {
  try { return await response.json(); } catch { return { error: response.status + " " + response.statusText }; }
}

// Import: the chosen (or dropped) file is sent as it is; the answer names the review page.
function setUpImport() {
  const form = document.getElementById("import-form");
  if (!form) return;
  const input = document.getElementById("field-upload");
  const busy = form.querySelector(".busy");
  const error = document.getElementById("upload-error");
  form.addEventListener("dragover", (e) => { e.preventDefault(); form.classList.add("over"); });
  form.addEventListener("dragleave", () => form.classList.remove("over"));
  form.addEventListener("drop", (e) => {
    e.preventDefault();
    form.classList.remove("over");
    if (e.dataTransfer.files.length) input.files = e.dataTransfer.files;
  });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const files = Array.from(input.files);
    if (!files.length) { showError(error, form.dataset.needFile); return; }
    const reviews = [];
    for (const file of files) {
      busy.textContent = form.dataset.busy + " " + file.name;
      const response = await fetch("/_annals/import/upload?name=" + encodeURIComponent(file.name), {
        method: "POST", body: file, headers: { "content-type": "application/octet-stream" },
      });
      const result = await answer(response);
      if (!response.ok || !result.review) { busy.textContent = ""; showError(error, file.name + ": " + (result.error || response.status)); return; }
      reviews.push([file.name, result.review]);
    }
    busy.textContent = "";
    if (reviews.length === 1) { location.href = reviews[0][1]; return; }
    // Several files: one review page each, listed here.
    const list = document.querySelector("#uploaded ul");
    for (const [name, url] of reviews) {
      const a = document.createElement("a");
      a.href = url; a.target = "_blank"; a.textContent = name;
      list.appendChild(document.createElement("li")).appendChild(a);
    }
    document.getElementById("uploaded").hidden = false;
    document.getElementById("uploaded-title").focus();
  });
}

// Attachments: uploaded into the report's folder, then a row in the list.
function setUpAttachments() {
  const input = document.getElementById("attach-file");
  const button = document.getElementById("attach-button");
  if (!input || !button) return;
  const status = document.getElementById("attach-status");
  button.addEventListener("click", async () => {
    const file = input.files[0];
    if (!file) { input.focus(); return; }
    const url = "/_annals/attach?file=" + encodeURIComponent(input.dataset.file) + "&name=" + encodeURIComponent(file.name);
    const response = await fetch(url, { method: "POST", body: file, headers: { "content-type": "application/octet-stream" } });
    const result = await answer(response);
    if (!response.ok) { status.textContent = result.error || String(response.status); return; }
    const body = document.querySelector("#attachments tbody");
    const n = body.rows.length + 1;
    const row = body.insertRow();
    const cell = (name, value, label) => {
      const i = document.createElement("input");
      i.name = name; i.value = value; i.setAttribute("aria-label", label + " " + n);
      row.insertCell().appendChild(i);
      return i;
    };
    const title = cell("att_title", result.title, input.dataset.titleLabel);
    cell("att_file", result.file, input.dataset.fileLabel);
    const remove = document.createElement("input");
    remove.type = "checkbox"; remove.name = "att_remove"; remove.value = String(n - 1);
    remove.setAttribute("aria-label", input.dataset.removeLabel + " " + n);
    row.insertCell().appendChild(remove);
    status.textContent = result.file;
    title.focus();
  });
}

// The body's preview, rendered by the server as the site renders it.
function setUpPreview() {
  const body = document.getElementById("field-body");
  const preview = document.getElementById("preview");
  if (!body || !preview) return;
  let timer = 0;
  const render = async () => {
    const response = await fetch("/_annals/preview", {
      method: "POST", body: new URLSearchParams({ body: body.value }),
    });
    if (response.ok) preview.innerHTML = await response.text();
  };
  body.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(render, 300); });
  render();
}

// Statistics: every written 总计 against the sum of its row, and （七）总计
// against the outcome rows of its column, as the build checks them.
function number(input) {
  const v = input.value.trim();
  if (v === "" || v === "~") return { blank: true, value: 0 };
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? { blank: false, value: n } : { bad: true, value: 0 };
}

function checkTable(table, box, problems) {
  const tableName = table.querySelector("caption").textContent.trim();
  const rows = Array.from(table.tBodies[0].rows).filter((r) => r.querySelector("input.cell"));
  const columns = Array.from(table.tHead.rows[0].cells).slice(1).map((c) => c.textContent.trim());
  const inputs = (row) => Array.from(row.querySelectorAll("input.cell"));
  for (const input of table.querySelectorAll("input.cell")) {
    const n = number(input);
    input.setAttribute("aria-invalid", n.bad ? "true" : "false");
    if (n.bad) problems.push(fill(box.dataset.notNumber, { cell: input.getAttribute("aria-label"), value: input.value }));
  }
  for (const row of rows) {
    const cells = inputs(row);
    const total = cells.find((c) => c.dataset.column === "总计");
    if (!total || number(total).blank) continue;
    const sum = cells.filter((c) => c !== total).reduce((s, c) => s + number(c).value, 0);
    if (sum !== number(total).value) {
      total.setAttribute("aria-invalid", "true");
      problems.push(fill(box.dataset.rowTotal, { table: tableName, row: row.cells[0].textContent.trim(), expected: sum, found: total.value }));
    }
  }
  const outcomes = rows.find((r) => r.dataset.role === "outcomes");
  if (!outcomes) return;
  const start = rows.findIndex((r) => r.cells[0].textContent.trim() === "予以公开");
  const parts = rows.slice(start, rows.indexOf(outcomes)).filter((r) => inputs(r).length);
  inputs(outcomes).forEach((total, i) => {
    if (number(total).blank) return;
    const sum = parts.reduce((s, r) => s + number(inputs(r)[i]).value, 0);
    if (sum !== number(total).value) {
      total.setAttribute("aria-invalid", "true");
      problems.push(fill(box.dataset.columnTotal, { table: tableName, column: columns[i], expected: sum, found: total.value }));
    }
  });
}

function setUpStatistics() {
  const box = document.getElementById("stats-findings");
  if (!box) return;
  const tables = Array.from(document.querySelectorAll("table.stats"));
  const check = () => {
    const problems = [];
    tables.forEach((t) => checkTable(t, box, problems));
    box.textContent = "";
    for (const text of problems.length ? problems : [box.dataset.ok]) {
      const p = document.createElement("p");
      p.className = problems.length ? "bad" : "good";
      p.textContent = text;
      box.appendChild(p);
    }
  };
  tables.forEach((t) => t.addEventListener("input", check));
  check();
}

// A long action (publish) says it is under way.
function setUpBusy() {
  for (const form of document.querySelectorAll("form.js-busy")) {
    form.addEventListener("submit", () => {
      const busy = form.querySelector(".busy");
      if (busy) busy.textContent = form.dataset.busy || "…";
    });
  }
}

// After a failed submit, the error summary gets the focus (GOV.UK pattern).
function focusErrors() {
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
}

document.addEventListener("DOMContentLoaded", () => {
  setUpImport();
  setUpAttachments();
  setUpPreview();
  setUpStatistics();
  setUpBusy();
  focusErrors();
});
