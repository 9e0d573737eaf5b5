// docgen serve: the editor, the live check and the preview. No build step, no framework.
// Everything from the data is put in the page as text (textContent), never as HTML; the one HTML
// fragment taken from the server (the documents list) is rendered there with autoescaping.
// The form and the roster tables (form.js) work through window.docgenPage: the editor's text stays
// the one truth, and a change in the form comes back here as a new text (setText).
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const S = JSON.parse($("state").textContent);
  // Messages: English here, the page's language from S.messages (the server's catalog, docgen/i18n.py).
  const _ = (message, values = {}) =>
    (S.messages?.[message] || message).replace(/\{(\w+)\}/g, (all, key) => (key in values ? String(values[key]) : all));
  const editor = $("editor");
  const gutter = $("gutter");
  const marks = $("marks");
  const nav = $("documents");
  const pagesBox = $("pages");
  const client = Math.random().toString(36).slice(2) + Date.now().toString(36);
  const DEBOUNCE_MS = 250;

  let base = S.hash; // the hash of the file as the editor opened or last saved it
  let savedText = editor.value;
  let doc = S.doc;
  let record = S.record;
  let documentsHash = S.documentsHash; // what the documents list shows; replaced only when it changes
  let seq = 0; // the newest edit; answers to older ones are dropped
  let timer = null;
  let previewOk = false;
  let conflict = false;
  let lineHeight = 20;

  // ---- the editor: line numbers, marks at the lines of errors and warnings -----------------------

  let issues = []; // {line, message, kind}

  function lineCount() {
    let n = 1;
    for (let i = editor.value.indexOf("\n"); i !== -1; i = editor.value.indexOf("\n", i + 1)) n++;
    return n;
  }

  function drawGutter() {
    const count = lineCount();
    if (gutter.childElementCount !== count) {
      const frag = document.createDocumentFragment();
      for (let i = gutter.childElementCount + 1; i <= count; i++) {
        const div = document.createElement("div");
        div.dataset.line = String(i);
        div.textContent = String(i);
        frag.appendChild(div);
      }
      while (gutter.childElementCount > count) gutter.lastElementChild.remove();
      gutter.appendChild(frag);
    }
    for (const div of gutter.querySelectorAll(".error, .warning")) {
      div.classList.remove("error", "warning");
      div.removeAttribute("title");
    }
    marks.replaceChildren();
    for (const issue of issues) {
      if (!issue.line) continue;
      const div = gutter.children[issue.line - 1];
      if (div) {
        div.classList.add(issue.kind);
        div.title = issue.message;
      }
      const mark = document.createElement("div");
      mark.className = "mark " + issue.kind;
      mark.dataset.line = String(issue.line);
      mark.style.top = (issue.line - 1) * lineHeight + "px";
      mark.style.height = lineHeight + "px";
      const note = document.createElement("span");
      note.className = "mark-note";
      note.textContent = issue.message;
      mark.appendChild(note);
      marks.appendChild(mark);
    }
    syncScroll();
  }

  function syncScroll() {
    gutter.style.transform = `translateY(${-editor.scrollTop}px)`;
    marks.style.transform = `translate(${-editor.scrollLeft}px, ${-editor.scrollTop}px)`;
  }

  function showProblems(result) {
    const list = $("problems");
    list.replaceChildren();
    issues = [];
    const add = (issue, kind) => {
      issues.push({ line: issue.line, message: issue.message, kind });
      const li = document.createElement("li");
      li.className = kind;
      li.dataset.line = issue.line ? String(issue.line) : "";
      li.textContent = (issue.line ? _("line {line}: ", { line: issue.line }) : "") + issue.message;
      if (issue.line) li.addEventListener("click", () => goToLine(issue.line));
      list.appendChild(li);
    };
    if (result.error) add(result.error, "error");
    for (const w of result.warnings || []) add(w, "warning");
    drawGutter();
  }

  function goToLine(line) {
    if (window.docgenForm) window.docgenForm.show("text");
    const lines = editor.value.split("\n");
    let at = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) at += lines[i].length + 1;
    editor.focus();
    editor.setSelectionRange(at, at + (lines[line - 1] || "").length);
    editor.scrollTop = Math.max(0, (line - 5) * lineHeight);
  }

  editor.addEventListener("scroll", syncScroll);
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Tab" && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault(); // YAML has no tabs: indent with two spaces
      document.execCommand("insertText", false, "  ");
    }
  });
  editor.addEventListener("input", () => {
    markDirty();
    drawGutter();
    schedule();
  });

  // ---- talking to the server ------------------------------------------------------------------------

  async function post(url, payload) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(payload),
    });
    let data;
    try {
      data = await response.json();
    } catch {
      data = { ok: false, error: (await response.text().catch(() => "")) || `HTTP ${response.status}` };
    }
    data.httpStatus = response.status;
    return data;
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, DEBOUNCE_MS);
  }

  function refresh() {
    clearTimeout(timer);
    const mine = ++seq;
    check(mine);
    preview(mine);
  }

  async function check(mine) {
    let result;
    try {
      result = await post("/api/check", { file: S.file, text: editor.value, doc, record });
    } catch (error) {
      return; // the server is gone; preview() says so
    }
    if (mine !== seq) return;
    showProblems(result);
    document.dispatchEvent(new CustomEvent("docgen:checked", { detail: result }));
    $("summary").textContent = result.summary || "";
    if (typeof result.documents_html === "string" && result.documents_hash !== documentsHash) {
      documentsHash = result.documents_hash;
      const scroll = nav.scrollTop;
      nav.innerHTML = result.documents_html; // rendered by the server's Jinja, autoescaped
      nav.scrollTop = scroll;
      markChosen();
    }
  }

  async function preview(mine) {
    if (!doc) return;
    const status = $("render-status");
    status.textContent = _("rendering…");
    status.classList.add("busy");
    const started = performance.now();
    let result;
    try {
      result = await post("/api/preview", { file: S.file, text: editor.value, doc, record, client });
    } catch (error) {
      if (mine === seq) showPreviewError(_("the server does not answer; is `docgen serve` still running?"));
      return;
    }
    if (mine !== seq || result.superseded) return;
    status.classList.remove("busy");
    if (!result.ok) {
      showPreviewError(result.error || _("the document could not be made"));
      return;
    }
    previewOk = true;
    $("preview-error").hidden = true;
    pagesBox.classList.remove("stale");
    const total = ((performance.now() - started) / 1000).toFixed(2);
    const timing = { pages: result.pages, made: result.seconds.toFixed(2), shown: total };
    status.textContent = result.pages === 1 ? _("{pages} page · made in {made} s · shown in {shown} s", timing)
      : _("{pages} pages · made in {made} s · shown in {shown} s", timing);
    $("doc-title").textContent = result.record_title ? `${result.record_title} · ${result.title}` : result.title;
    showPages(result);
    showFindings(result.findings);
    updateDownloads();
    const first = pagesBox.querySelector("img");
    const painted = () => requestAnimationFrame(() => setTimeout(shown, 0)); // after the frame that shows it
    if (first && !first.complete) first.addEventListener("load", painted, { once: true });
    else painted();
  }

  // The first preview on screen: form.js builds the form after it, so loading the page shows the pages as
  // soon as before (the browser's one thread is not busy with the form meanwhile).
  let shownOnce = false;
  function shown() {
    if (shownOnce) return;
    shownOnce = true;
    document.dispatchEvent(new CustomEvent("docgen:shown"));
  }

  function showPreviewError(message) {
    shown();
    previewOk = false;
    const box = $("preview-error");
    box.textContent = message; // one line, never a traceback
    box.hidden = false;
    pagesBox.classList.add("stale");
    const status = $("render-status");
    status.classList.remove("busy");
    status.textContent = _("not updated");
    updateDownloads();
  }

  function showPages(result) {
    const figures = pagesBox.children;
    while (figures.length > result.pages) pagesBox.lastElementChild.remove();
    for (let i = 0; i < result.pages; i++) {
      let figure = figures[i];
      if (!figure) {
        figure = document.createElement("figure");
        figure.className = "page";
        const img = document.createElement("img");
        img.decoding = "async";
        const caption = document.createElement("figcaption");
        const text = document.createElement("div");
        text.className = "page-text";
        figure.append(img, caption, text);
        pagesBox.appendChild(figure);
      }
      const [img, caption, text] = figure.children;
      const src = `/preview/${result.id}/${i + 1}.png`;
      figure.dataset.page = String(i + 1);
      img.alt = _("page {page} of {pages}", { page: i + 1, pages: result.pages });
      caption.textContent = `${i + 1} / ${result.pages}`;
      text.textContent = result.texts[i] || "";
      if (i < 2 && img.getAttribute("src")) {
        const next = new Image(); // the first pages swap when drawn: no blank flash while typing
        next.src = src;
        next.decode().then(() => { if (figure.isConnected) img.src = src; }, () => { img.src = src; });
      } else {
        img.loading = i < 2 ? "eager" : "lazy";
        img.src = src;
      }
    }
    pagesBox.dataset.preview = result.id;
  }

  function showFindings(findings) {
    const list = $("findings");
    list.replaceChildren();
    for (const finding of findings || []) {
      const li = document.createElement("li");
      li.textContent = finding;
      list.appendChild(li);
    }
    if (!findings || !findings.length) {
      const li = document.createElement("li");
      li.className = "none";
      li.textContent = _("no findings");
      list.appendChild(li);
    }
  }

  // ---- choosing a document ------------------------------------------------------------------------

  function chosenEntry() {
    return doc ? nav.querySelector(`li.doc[data-doc="${CSS.escape(doc)}"]`) : null;
  }

  function markChosen() {
    for (const el of nav.querySelectorAll(".chosen, [aria-current]")) {
      el.classList.remove("chosen");
      el.removeAttribute("aria-current");
    }
    const entry = chosenEntry();
    if (!entry) return;
    entry.classList.add("chosen");
    const link = record
      ? entry.querySelector(`ol.records a[data-record="${record}"]`)
      : entry.querySelector("a[data-doc]");
    if (link) {
      link.classList.add("chosen");
      link.setAttribute("aria-current", "page");
    }
    $("batch").hidden = !entry.querySelector("ol.records");
  }

  nav.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-doc]");
    if (!link) return;
    event.preventDefault();
    doc = link.dataset.doc;
    record = link.dataset.record ? Number(link.dataset.record) : null;
    history.replaceState(null, "", link.getAttribute("href"));
    const name = link.querySelector(".doc-name");
    $("doc-title").textContent = name ? name.textContent : link.textContent;
    markChosen();
    updateDownloads();
    preview(++seq);
  });

  // ---- saving, and a file changed by someone else ---------------------------------------------------

  function markDirty() {
    const dirty = editor.value !== savedText;
    $("save").disabled = !dirty || conflict;
    $("save-state").textContent = conflict ? _("changed on disk") : dirty ? _("unsaved changes") : _("saved");
    $("save-state").classList.toggle("dirty", dirty);
    updateDownloads();
  }

  function isDirty() {
    return editor.value !== savedText;
  }

  async function save() {
    if (window.docgenForm) await window.docgenForm.flush(); // a change still on its way from the form
    if (!isDirty() || conflict) return;
    const text = editor.value;
    $("save-state").textContent = _("saving…");
    let result;
    try {
      result = await post("/api/save", { file: S.file, text, base });
    } catch (error) {
      $("save-state").textContent = _("not saved: the server does not answer");
      return;
    }
    if (result.ok) {
      base = result.hash;
      savedText = text;
      markDirty();
      $("save-state").textContent = _("saved (the previous version is in {backup})", { backup: result.backup });
    } else if (result.conflict) {
      showConflict(result.error);
    } else {
      $("save-state").textContent = _("not saved: {error}", { error: result.error || `HTTP ${result.httpStatus}` });
    }
  }

  function showConflict(message) {
    conflict = true;
    $("conflict-text").textContent = message;
    $("conflict").hidden = false;
    markDirty();
  }

  async function reload() {
    const response = await fetch(`/api/file?file=${encodeURIComponent(S.file)}&text=1`);
    const result = await response.json();
    if (!result.ok) return;
    editor.value = result.text;
    base = result.hash;
    savedText = result.text;
    conflict = false;
    $("conflict").hidden = true;
    markDirty();
    drawGutter();
    refresh();
    document.dispatchEvent(new CustomEvent("docgen:text", { detail: { source: "disk" } }));
  }

  async function watchDisk() {
    if (conflict || document.hidden || !S.file) return;
    let result;
    try {
      const response = await fetch(`/api/file?file=${encodeURIComponent(S.file)}`);
      result = await response.json();
    } catch {
      return;
    }
    if (!result.ok || result.hash === base) return;
    if (isDirty()) {
      showConflict(_("{file} was changed on disk by another program or person. Your edits are still here, but " +
        "saving would overwrite theirs: load the file again, then redo your edit.", { file: S.file }));
    } else {
      await reload(); // nothing of ours to lose: show theirs
      $("save-state").textContent = _("reloaded: the file changed on disk");
    }
  }

  $("save").addEventListener("click", save);
  $("reload").addEventListener("click", reload);
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      save();
    }
  });
  window.addEventListener("focus", watchDisk);
  setInterval(watchDisk, 5000);
  window.addEventListener("beforeunload", (event) => {
    if (isDirty()) event.preventDefault();
  });
  $("file").addEventListener("change", (event) => {
    if (isDirty() && !window.confirm(_("Leave your unsaved edits?"))) {
      event.target.value = S.file;
      return;
    }
    location.search = `?file=${encodeURIComponent(event.target.value)}`;
  });
  $("lang").addEventListener("change", (event) => {
    if (isDirty() && !window.confirm(_("Leave your unsaved edits?"))) {
      event.target.value = S.lang;
      return;
    }
    document.cookie = `docgen_lang=${event.target.value}; path=/; max-age=31536000; SameSite=Strict`;
    location.reload();
  });

  // ---- downloads and batches: made from the saved file ----------------------------------------------

  function query(extra) {
    const params = new URLSearchParams({ file: S.file, doc });
    if (record) params.set("record", String(record));
    for (const [k, v] of Object.entries(extra || {})) params.set(k, v);
    return params.toString();
  }

  function updateDownloads() {
    const dirty = isDirty();
    const blocked = !doc || dirty || !previewOk;
    for (const fmt of ["docx", "pdf"]) {
      const link = $(`download-${fmt}`);
      link.href = doc ? `/download?${query({ format: fmt })}` : "#";
      link.classList.toggle("disabled", blocked);
      link.setAttribute("aria-disabled", String(blocked));
    }
    $("batch").disabled = blocked;
    const hint = dirty
      ? _("Unsaved changes: downloads and batches are made from the saved file — save (Ctrl+S) to download.")
      : !previewOk && doc ? _("This document cannot be made from the saved file; fix the error to download.") : "";
    $("download-hint").textContent = hint;
    $("download-hint").hidden = !hint;
  }

  for (const fmt of ["docx", "pdf"]) {
    $(`download-${fmt}`).addEventListener("click", (event) => {
      if (event.currentTarget.classList.contains("disabled")) event.preventDefault();
    });
  }

  $("batch").addEventListener("click", async () => {
    if (isDirty()) return;
    const panel = $("batch-panel");
    panel.hidden = false;
    $("batch-links").replaceChildren();
    $("batch-text").textContent = _("starting…");
    $("batch-progress").removeAttribute("value");
    $("batch").disabled = true;
    const started = await post("/api/batch", { file: S.file, doc });
    if (!started.ok) {
      $("batch-text").textContent = started.error || _("the batch did not start");
      updateDownloads();
      return;
    }
    followBatch(started.poll);
  });

  async function followBatch(url) {
    let state;
    try {
      state = await (await fetch(url)).json();
    } catch {
      setTimeout(() => followBatch(url), 1000);
      return;
    }
    const bar = $("batch-progress");
    if (state.total) {
      bar.max = state.total;
      bar.value = state.done;
    }
    if (state.state === "starting" || state.state === "running") {
      $("batch-text").textContent = state.total === null ? _("starting…")
        : _("{done} / {total} documents", { done: state.done, total: state.total });
      setTimeout(() => followBatch(url), 300);
      return;
    }
    updateDownloads();
    if (state.state === "failed") {
      $("batch-text").textContent = _("failed: {error}", { error: state.error });
      return;
    }
    bar.max = 1;
    bar.value = 1;
    const c = state.counts;
    $("batch-text").textContent = _("{written} written, {unchanged} unchanged, {failed} failed → {folder}",
      { ...c, folder: state.folder }) +
      (state.failed.length ? ` (${state.failed.map((f) => `${f.index} ${f.name}: ${f.error}`).join("; ")})` : "");
    const links = $("batch-links");
    const add = (href, label) => {
      const a = document.createElement("a");
      a.href = href;
      a.textContent = label;
      a.setAttribute("download", "");
      links.appendChild(a);
    };
    if (state.zip) add(state.zip, "zip");
    add(state.manifest[0], "manifest.json");
    add(state.manifest[1], "manifest.csv");
  }

  // ---- start ----------------------------------------------------------------------------------------

  // ---- what form.js uses --------------------------------------------------------------------------

  window.docgenPage = {
    S,
    shown: () => shownOnce,
    _,
    post,
    text: () => editor.value,
    setText(text) { // a change made in the form or the roster table: checked and previewed as if typed
      if (text === editor.value) return;
      editor.value = text;
      markDirty();
      drawGutter();
      refresh(); // the form waited its own pause already
    },
    refresh,
    isDirty,
    goToLine,
    redraw() {
      lineHeight = parseFloat(getComputedStyle(editor).lineHeight) || 20;
      drawGutter();
    },
  };

  // ---- start ----------------------------------------------------------------------------------------

  lineHeight = parseFloat(getComputedStyle(editor).lineHeight) || 20;
  if (S.opened) editor.readOnly = true;
  drawGutter();
  markChosen();
  markDirty();
  if (S.file && doc) refresh();
  else if (S.file) {
    refresh();
    shown(); // no document to preview
  }
})();
