// docgen serve: the campaign as a form and its branches and members as tables, beside the text editor.
// The form is JSON Editor and the tables Tabulator (static/vendor, from this server: no CDN); the server
// generates the form from the JSON Schema (formschema.py). The editor's text stays the one truth: the
// form is drawn from it, and a change in the form goes to /api/form/apply, which writes it into the text
// (yamledit.py: only what changed, comments and layout kept); the page then checks and previews that text
// as if it had been typed (app.js). Values reach the page only as text (inputs, textContent).
"use strict";

(() => {
  const page = window.docgenPage;
  if (!page) return;
  const { S, _ } = page;
  const $ = (id) => document.getElementById(id);
  const DEBOUNCE_MS = 250;

  let view = null;
  let libraries = null; // the vendored scripts: loaded once, when the form or the roster is first shown
  let shownText = null; // the text the form and the tables show
  let building = null;
  let info = null; // the server's last /api/form answer
  let editors = {}; // section → its JSONEditor
  let quiet = true; // the editors' own change events while they are built are not edits
  let timer = null;
  let applying = null;
  let again = false;
  let lastCheck = null;
  let roster = null; // {kind: "yaml", original} or {kind: "workbook", book, edits}
  const tables = { branch: null, member: null };

  // ---- views: form, roster, text ------------------------------------------------------------------

  function show(name) {
    if (!["form", "roster", "text"].includes(name)) name = "form";
    view = name;
    for (const tab of document.querySelectorAll(".views [role=tab]")) {
      const chosen = tab.dataset.view === name;
      tab.setAttribute("aria-selected", String(chosen));
      tab.classList.toggle("chosen", chosen);
    }
    $("form-pane").hidden = name !== "form";
    $("roster-pane").hidden = name !== "roster";
    $("text-pane").hidden = name !== "text";
    document.cookie = `docgen_view=${name}; path=/; max-age=31536000; SameSite=Strict`; // the server draws it next time
    if (name === "text") {
      page.redraw();
      if (!timer && !applying) return Promise.resolve();
      const editor = $("editor"); // a change still on its way from the form goes first
      const readOnly = editor.readOnly;
      editor.readOnly = true;
      return flush().finally(() => { editor.readOnly = readOnly; });
    }
    return ensure().then(() => {
      if (name === "roster") {
        for (const table of Object.values(tables)) if (table) table.redraw(true);
      }
    });
  }

  for (const tab of document.querySelectorAll(".views [role=tab]")) {
    tab.addEventListener("click", () => show(tab.dataset.view));
  }

  // ---- the libraries, from this server --------------------------------------------------------------

  function script(src) {
    return new Promise((resolve, reject) => {
      const element = document.createElement("script");
      element.src = src;
      element.onload = resolve;
      element.onerror = () => reject(new Error(src));
      document.head.appendChild(element);
    });
  }

  function loadLibraries() {
    if (!libraries) {
      const first = document.head.querySelector("link[rel=stylesheet]"); // app.css stays last: it wins
      for (const href of ["/static/vendor/json-editor/jsoneditor.css", "/static/vendor/tabulator/tabulator.min.css"]) {
        const css = document.createElement("link");
        css.rel = "stylesheet";
        css.href = href;
        document.head.insertBefore(css, first);
      }
      libraries = Promise.all([script("/static/vendor/json-editor/jsoneditor.min.js"),
        script("/static/vendor/tabulator/tabulator.min.js")]).then(defineTheme);
    }
    return libraries;
  }

  // JSON Editor's html theme, but hiding its screen-reader labels with a class: the page's
  // Content-Security-Policy refuses inline style attributes (the theme's way), and its style rules come
  // from jsoneditor.css instead of a <style> element (disable_theme_rules).
  function defineTheme() {
    const Html = window.JSONEditor.defaults.themes.html;
    const hidden = (element, text) => {
      element.textContent = text;
      element.className = "je-visually-hidden";
      return element;
    };
    window.JSONEditor.defaults.themes.docgen = class extends Html {
      getHiddenLabel(text) { return hidden(document.createElement("label"), text); }
      getHiddenText(text) { return hidden(document.createElement("span"), text); }
      visuallyHidden(element) { if (element) element.classList.add("je-visually-hidden"); }
      getOptInCheckbox(formname) { // the theme's own, less its style attribute (the page shows no opt-in boxes)
        const container = document.createElement("span");
        const label = this.getHiddenLabel(formname + " opt-in");
        label.setAttribute("for", formname + "-opt-in");
        const checkbox = document.createElement("input");
        checkbox.type = "checkbox";
        checkbox.id = formname + "-opt-in";
        checkbox.className = "json-editor-opt-in";
        container.append(checkbox, label);
        return { label, checkbox, container };
      }
    };
  }

  // ---- the form: built from the server's answer for the editor's text -------------------------------

  function ensure() {
    if (!S.file) return Promise.resolve();
    if (info && shownText === page.text()) return Promise.resolve();
    if (!building) building = load().finally(() => { building = null; });
    return building;
  }

  // The form waits for the first preview to be drawn (or 3 s): loading the page shows the document as
  // soon as the page without a form did; the form follows.
  const previewed = new Promise((resolve) => {
    if (page.shown()) resolve();
    document.addEventListener("docgen:shown", resolve, { once: true });
    setTimeout(resolve, 3000);
  });

  async function load() {
    await previewed;
    await loadLibraries();
    for (;;) {
      const text = page.text();
      const reply = await page.post("/api/form", { file: S.file, text });
      if (text !== page.text()) continue; // the text changed meanwhile: draw the newer one
      await build(reply, text);
      return;
    }
  }

  function status(message, kind) {
    const box = $("form-status");
    box.textContent = message || "";
    box.hidden = !message;
    box.className = "form-status" + (kind ? " " + kind : "");
  }

  async function build(reply, text) {
    quiet = true;
    info = reply;
    shownText = text;
    for (const editor of Object.values(editors)) editor.destroy();
    editors = {};
    const holder = $("form-sections");
    holder.replaceChildren();
    if (!reply.ok) {
      status(_("The text cannot be read, so the form cannot show it (fix it under Text): {error}",
        { error: reply.error }), "error");
      buildRoster(null);
      return;
    }
    status("");
    window.JSONEditor.defaults.languages.docgen = reply.form.words;
    window.JSONEditor.defaults.language = "docgen";
    makeDatalists(reply.form.datalists);
    for (const section of reply.form.sections) {
      const box = document.createElement("details");
      box.className = "form-section";
      box.dataset.section = section.key;
      box.open = true;
      const summary = document.createElement("summary");
      summary.textContent = section.label;
      if (section.required) summary.classList.add("required");
      const body = document.createElement("div");
      box.append(summary);
      if (section.description) {
        const about = document.createElement("p");
        about.className = "section-hint";
        about.textContent = section.description;
        box.append(about);
      }
      box.append(body);
      holder.appendChild(box);
      const schema = section.schema;
      const editor = new window.JSONEditor(body, {
        schema, startval: reply.data[section.key], theme: "docgen", iconlib: null, show_errors: "never",
        disable_theme_rules: true,
        disable_edit_json: true, disable_properties: section.schema.additionalProperties === undefined,
        prompt_before_delete: false, no_additional_properties: true, use_default_values: false,
        disable_array_delete_all_rows: true, disable_array_delete_last_row: true, form_name_root: section.key,
      });
      editors[section.key] = editor;
      await new Promise((resolve) => editor.on("ready", resolve));
      editor.on("change", changed);
      await new Promise((resolve) => setTimeout(resolve, 0)); // the page answers between sections
    }
    showKept(reply.kept);
    buildRoster(reply);
    markErrors();
    setTimeout(() => { quiet = false; }, 0);
  }

  function makeDatalists(lists) {
    for (const old of document.querySelectorAll("datalist.form-choices")) old.remove();
    for (const [id, values] of Object.entries(lists || {})) {
      const list = document.createElement("datalist");
      list.id = id;
      list.className = "form-choices";
      for (const value of values) {
        const option = document.createElement("option");
        option.value = value;
        list.appendChild(option);
      }
      document.body.appendChild(list);
    }
  }

  function showKept(kept) {
    const box = $("form-kept");
    const list = box.querySelector("ul");
    list.replaceChildren();
    for (const item of kept || []) {
      const li = document.createElement("li");
      const name = document.createElement("code");
      name.textContent = item.path;
      li.append(name, " ", item.line ? _("line {line}: ", { line: item.line }) + item.why : item.why);
      if (item.line) {
        li.classList.add("link");
        li.addEventListener("click", () => page.goToLine(item.line));
      }
      list.appendChild(li);
    }
    box.hidden = !list.childElementCount;
  }

  // ---- a change in the form → the text ------------------------------------------------------------

  // JSON Editor takes a text input's value on its "change" event (when the input loses the focus); the
  // page follows typing, as the text editor does: each input event (once a Chinese IME has composed the
  // characters) is handed to it as a change, and the form's pause (DEBOUNCE_MS) does the rest.
  const typing = (event) => {
    const target = event.target;
    if (event.isComposing || !(target instanceof HTMLTextAreaElement || (target instanceof HTMLInputElement &&
        ["text", "search", ""].includes(target.type)))) return;
    target.dispatchEvent(new Event("change", { bubbles: true }));
  };
  $("form-sections").addEventListener("input", typing);
  $("form-sections").addEventListener("compositionend", typing);

  function changed() {
    if (quiet) return;
    clearTimeout(timer);
    timer = setTimeout(apply, DEBOUNCE_MS);
  }

  function collect() {
    const values = {};
    for (const [key, editor] of Object.entries(editors)) values[key] = editor.getValue();
    if (roster && roster.kind === "yaml" && tables.branch) {
      const branches = rosterValues();
      if (branches) values.branches = branches;
    }
    return values;
  }

  function apply() {
    clearTimeout(timer);
    timer = null;
    if (applying) {
      again = true;
      return applying;
    }
    applying = (async () => {
      const text = page.text();
      if (text !== shownText) { // the text changed outside the form (typed, or reloaded): draw the form again
        ensure();
        return;
      }
      let result;
      try {
        result = await page.post("/api/form/apply", { file: S.file, text, values: collect() });
      } catch {
        status(_("the server does not answer; is `docgen serve` still running?"), "error");
        return;
      }
      if (!result.ok) {
        status(result.error, "error");
        return;
      }
      if (page.text() !== text) return; // the file was reloaded meanwhile: the form is drawn again from it
      shownText = result.text;
      page.setText(result.text);
    })().finally(() => {
      applying = null;
      if (again) {
        again = false;
        apply();
      }
    });
    return applying;
  }

  async function flush() {
    if (timer) apply();
    while (applying) await applying;
  }

  // ---- errors at their fields ------------------------------------------------------------------------

  document.addEventListener("docgen:checked", (event) => {
    lastCheck = event.detail;
    markErrors();
  });

  function markErrors() {
    for (const note of document.querySelectorAll(".field-error-note")) note.remove();
    for (const marked of document.querySelectorAll(".has-error")) marked.classList.remove("has-error");
    for (const badge of document.querySelectorAll(".views .badge")) badge.hidden = true;
    const error = lastCheck && lastCheck.error;
    if (!error) return;
    const path = error.path;
    if ((path && path[0] === "branches") || error.cell) {
      markRosterError(error);
      badge("roster");
      return;
    }
    const editor = path && editors[path[0]];
    let target = null;
    for (let n = path ? path.length : 0; editor && n >= 1 && !target; n--) {
      target = editor.getEditor(path.slice(0, n).join(".")); // the editors' paths start at the section
    }
    const holder = target ? target.container : (path && document.querySelector(
      `.form-section[data-section="${CSS.escape(String(path[0]))}"]`));
    if (holder) {
      holder.classList.add("has-error");
      const note = document.createElement("div");
      note.className = "field-error-note";
      note.setAttribute("role", "alert");
      note.textContent = error.message;
      holder.appendChild(note);
    } else if (info && info.ok) {
      status(error.line ? _("line {line}: ", { line: error.line }) + error.message : error.message, "error");
    }
    badge("form");
  }

  function badge(name) {
    const mark = document.querySelector(`.views [data-view="${name}"] .badge`);
    if (mark) {
      mark.hidden = false;
      mark.textContent = "!";
    }
  }

  // ---- the roster: branches and members as tables -------------------------------------------------

  function buildRoster(reply) {
    for (const key of Object.keys(tables)) {
      if (tables[key]) tables[key].destroy();
      tables[key] = null;
    }
    $("roster-error").hidden = true;
    $("workbook-actions").hidden = true;
    if (!reply || !reply.ok) {
      roster = null;
      $("roster-source").textContent = "";
      return;
    }
    if (reply.workbook) {
      buildWorkbook(reply.workbook);
      return;
    }
    const columns = reply.form.roster;
    const branches = Array.isArray(reply.data.branches) ? reply.data.branches : [];
    roster = { kind: "yaml", original: branches, columns };
    $("roster-source").textContent = _("The branches and their members are written in the campaign file; a change here is written into it (Save, or Ctrl+S, as for any edit).");
    $("branch-title").textContent = columns.branch_label;
    $("member-title").textContent = columns.member_label;
    const branchRows = branches.map((branch, index) => ({ ...cells(branch, columns.branch), _id: index }));
    const memberRows = [];
    branches.forEach((branch, i) => (branch.members || []).forEach((member, j) => {
      memberRows.push({ ...cells(member, columns.member), _branch: branch.name || "", _orig: [i, j] });
    }));
    const join = { field: "_branch", title: _("Branch"), type: "string", choices: [], closed: false, required: true };
    const memberColumns = [...columns.member.slice(0, 1), join, ...columns.member.slice(1)];
    tables.branch = makeTable("#branch-table", columns.branch, branchRows);
    tables.member = makeTable("#member-table", memberColumns, memberRows, () => branchNames());
    tables.branch.on("cellEdited", (cell) => {
      if (cell.getField() === "name") { // the members follow their branch's new name
        const before = cell.getOldValue();
        for (const row of tables.member.getRows()) {
          if (row.getData()._branch === before) row.update({ _branch: cell.getValue() });
        }
      }
    });
    for (const table of Object.values(tables)) {
      for (const event of ["cellEdited", "rowMoved", "rowAdded", "rowDeleted"]) {
        table.on(event, () => { if (!quiet) changed(); });
      }
    }
  }

  function branchNames() {
    return tables.branch ? tables.branch.getData().map((row) => row.name).filter(Boolean) : [];
  }

  function cells(value, columns) {
    const row = {};
    for (const column of columns) {
      const held = value[column.field];
      row[column.field] = column.type === "list" ? (Array.isArray(held) ? held.join("\n") : held ?? "")
        : held ?? "";
    }
    return row;
  }

  function typed(text, column) {
    const value = typeof text === "string" ? text.trim() : text;
    if (column.type === "list") {
      return String(value ?? "").split("\n").map((item) => item.trim()).filter(Boolean);
    }
    if (column.type === "integer" && typeof value === "string" && /^-?\d+$/.test(value)) return Number(value);
    return value ?? "";
  }

  function rosterValues() {
    const { original, columns } = roster;
    const problems = [];
    const branches = tables.branch.getData().map((row) => {
      const branch = { ...(row._id !== undefined ? original[row._id] : {}) };
      for (const column of columns.branch) branch[column.field] = typed(row[column.field], column);
      branch.members = [];
      return branch;
    });
    const byName = new Map(branches.map((branch) => [branch.name, branch]));
    for (const row of tables.member.getData()) {
      const [i, j] = row._orig || [];
      const member = { ...(row._orig ? (original[i].members || [])[j] : {}) };
      for (const column of columns.member) member[column.field] = typed(row[column.field], column);
      const branch = byName.get(String(row._branch ?? "").trim());
      if (branch) branch.members.push(member);
      else if (Object.values(member).some((v) => v !== "" && !(Array.isArray(v) && !v.length))) {
        problems.push(_("{name}: “{branch}” is not a branch of the table above", {
          name: member.name || "?", branch: row._branch || "" }));
      }
    }
    const box = $("roster-error");
    box.textContent = problems.join("; ");
    box.hidden = !problems.length;
    return problems.length ? null : branches;
  }

  function editorOf(column, choices) {
    if (column.type === "list" || column.long) return { editor: "textarea", formatter: "textarea" };
    if (column.type === "date") return { editor: "date", formatter: "plaintext" };
    if (column.type === "integer") return { editor: "number", formatter: "plaintext" };
    if (choices || (column.choices && column.choices.length)) {
      return {
        editor: "list", formatter: "plaintext",
        editorParams: {
          valuesLookup: choices ? () => choices() : (cell) => [...new Set([...column.choices,
            ...cell.getTable().getData().map((row) => row[column.field]).filter(Boolean)])],
          autocomplete: true, freetext: !column.closed, allowEmpty: true, listOnEmpty: true,
        },
      };
    }
    return { editor: "input", formatter: "plaintext" };
  }

  function makeTable(selector, columns, rows, branchChoices, onPaste) {
    const defined = columns.map((column) => ({
      title: column.title + (column.required ? " *" : ""), field: column.field, headerSort: false,
      headerTooltip: column.description || column.title, minWidth: 70, maxWidth: column.long ? 320 : 220,
      variableHeight: true,
      ...(column.field === "_row" ? { formatter: "plaintext", frozen: true, width: 48, minWidth: 48 }
        : editorOf(column, column.field === "_branch" ? branchChoices : null)),
    }));
    const table = new window.Tabulator(selector, {
      data: rows, height: 300, layout: "fitDataStretch", movableRows: true,
      columns: [
        { rowHandle: true, formatter: "handle", headerSort: false, frozen: true, width: 28, minWidth: 28 },
        { formatter: "rowSelection", titleFormatter: "rowSelection", headerSort: false, width: 32, hozAlign: "center" },
        ...defined,
      ],
      placeholder: _("No rows yet: add a row, or paste rows copied from Excel or WPS"),
    });
    // Rows pasted anywhere in the table — also while a cell is being edited, where Tabulator's own
    // clipboard module leaves the paste to the cell — are added at the end; one value pastes into the cell.
    const parse = pasteParser(columns);
    document.querySelector(selector).addEventListener("paste", (event) => {
      const text = event.clipboardData ? event.clipboardData.getData("text/plain") : "";
      if (!/[\t\n]/.test(text.replace(/\r?\n$/, ""))) return;
      event.preventDefault();
      event.stopPropagation();
      if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
      const parsed = parse(text);
      if (parsed && parsed.length) table.addData(parsed).then(() => (onPaste || changed)());
    }, true);
    return table;
  }

  // Excel and WPS copy a range as tab-separated text, a cell holding a line break or a quote in "…".
  function parseTabs(text) {
    const rows = [];
    let row = [];
    let cell = "";
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false;
        else cell += c;
      } else if (c === '"' && cell === "") quoted = true;
      else if (c === "\t") { row.push(cell); cell = ""; } else if (c === "\n") { row.push(cell); rows.push(row); row = []; cell = ""; } else cell += c;
    }
    if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
    return rows;
  }

  function pasteParser(columns) {
    return (clipboard) => {
      const rows = parseTabs(String(clipboard).replace(/\r\n?/g, "\n").replace(/\n$/, ""));
      if (!rows.length) return false;
      const titles = columns.map((column) => column.title.replace(/\s*\*$/, ""));
      let fields = columns.map((column) => column.field);
      const head = rows[0].map((cell) => cell.trim());
      if (head.filter((cell) => titles.includes(cell)).length >= Math.max(1, Math.ceil(head.length / 2))) {
        fields = head.map((cell) => (titles.includes(cell) ? columns[titles.indexOf(cell)].field : null));
        rows.shift(); // the header row came along: the columns by their names
      }
      const lists = new Set(columns.filter((column) => column.type === "list").map((column) => column.field));
      return rows.filter((cells) => cells.some((cell) => cell.trim())).map((cells) => {
        const row = {};
        cells.forEach((cell, i) => {
          if (fields[i]) row[fields[i]] = lists.has(fields[i]) ? cell.split(/[；;\n]/).map((s) => s.trim())
            .filter(Boolean).join("\n") : cell.trim();
        });
        return row;
      });
    };
  }

  function addRow(which) {
    const table = tables[which];
    if (!table) return;
    const row = {};
    if (which === "member") {
      const chosen = tables.member.getSelectedData()[0];
      const names = branchNames();
      row._branch = chosen ? chosen._branch : names[names.length - 1] || "";
    }
    table.addRow(row).then((added) => added.getCells()[2] && added.getCells()[2].edit());
  }

  function deleteRows(which) {
    const table = tables[which];
    if (!table) return;
    for (const row of table.getSelectedRows()) row.delete();
  }

  $("add-branch").addEventListener("click", () => addRow("branch"));
  $("add-member").addEventListener("click", () => addRow("member"));
  $("delete-branch").addEventListener("click", () => deleteRows("branch"));
  $("delete-member").addEventListener("click", () => deleteRows("member"));

  function markRosterError(error) {
    if (!roster) return;
    const path = error.path || [];
    let row = null;
    let field = null;
    if (roster.kind === "yaml" && tables.branch) {
      if (path[2] === "members" && Number.isInteger(path[3])) {
        row = tables.member.getRows().find((r) => {
          const at = r.getData()._orig;
          return at && at[0] === path[1] && at[1] === path[3];
        });
        field = path[4];
      } else if (Number.isInteger(path[1])) {
        row = tables.branch.getRows().find((r) => r.getData()._id === path[1]);
        field = path[2];
      }
    } else if (roster.kind === "workbook" && error.cell) {
      const match = /^([A-Z]+)(\d+)/.exec(error.cell);
      const table = match && Object.values(tables).find((t) => t && t.sheetName === error.sheet);
      if (table) {
        row = table.getRows().find((r) => r.getData()._row === Number(match[2]));
        field = match[1];
      }
    }
    const box = $("roster-error");
    box.textContent = error.message;
    box.hidden = false;
    if (!row) return;
    const cell = field && row.getCells().find((c) => c.getField() === field);
    (cell ? cell.getElement() : row.getElement()).classList.add("has-error");
  }

  // ---- a roster in a workbook: its sheets, written back (or downloaded) -----------------------------

  function buildWorkbook(book) {
    roster = { kind: "workbook", book, edits: new Map() };
    if (book.error) {
      $("roster-source").textContent = book.error;
      return;
    }
    $("roster-source").textContent = book.writable
      ? _("The branches and members come from {file}. A change here is written back into {file} when you press the button below: only the cells you changed — its other sheets, its styles and its 说明 sheet stay as they were, and the file it replaces is kept as {file}.bak. The preview shows the workbook as written.",
      { file: book.file })
      : _("The branches and members come from {file}. {why}", { file: book.file, why: book.why });
    const roles = { branch: book.sheets.find((s) => s.role === "branch"), member: book.sheets.find((s) => s.role === "member") };
    for (const [which, sheet] of Object.entries(roles)) {
      const title = $(`${which}-title`);
      if (!sheet) {
        title.textContent = "";
        continue;
      }
      title.textContent = `${sheet.sheet || sheet.file}（${book.file}）`;
      const columns = sheet.headers.map((header, i) => ({ field: sheet.columns[i], title: header, type: "string",
        long: sheet.rows.some((row) => (row.cells[i] || "").length > 30 || (row.cells[i] || "").includes("\n")) }));
      const rows = sheet.rows.map((row) => ({ _row: row.row,
        ...Object.fromEntries(sheet.columns.map((letter, i) => [letter, row.cells[i]])) }));
      const table = makeTable(`#${which}-table`, [{ field: "_row", title: "#", type: "integer" }, ...columns], rows,
        null, workbookChanged);
      table.sheetName = sheet.sheet;
      table.lastRow = Math.max(sheet.header_row, ...sheet.rows.map((row) => row.row));
      for (const event of ["cellEdited", "rowAdded", "rowDeleted"]) {
        table.on(event, () => workbookChanged());
      }
      tables[which] = table;
    }
    $("workbook-actions").hidden = false;
    const button = $("workbook-save");
    button.textContent = book.writable ? _("Write the changes into {file}", { file: book.file })
      : _("Download the edited roster");
    button.disabled = true;
    $("workbook-state").textContent = "";
  }

  function workbookChanged() {
    $("workbook-save").disabled = false;
    $("workbook-state").textContent = _("changes not yet written into {file}", { file: roster.book.file });
  }

  function workbookEdits() {
    const edits = [];
    for (const which of ["branch", "member"]) {
      const table = tables[which];
      const sheet = roster.book.sheets.find((s) => s.role === which);
      if (!table || !sheet) continue;
      const present = new Map(table.getData().filter((row) => row._row).map((row) => [row._row, row]));
      const edit = { role: which, sheet: sheet.sheet, cells: [], added: [], deleted: [], last_row: table.lastRow };
      for (const row of sheet.rows) {
        const now = present.get(row.row);
        if (!now) {
          edit.deleted.push(row.row);
          continue;
        }
        sheet.columns.forEach((letter, i) => {
          const value = now[letter] ?? "";
          if (value !== (row.cells[i] ?? "")) edit.cells.push({ cell: `${letter}${row.row}`, value });
        });
      }
      for (const row of table.getData().filter((r) => !r._row)) {
        const added = {};
        for (const letter of sheet.columns) if ((row[letter] ?? "") !== "") added[letter] = row[letter];
        if (Object.keys(added).length) edit.added.push(added);
      }
      if (edit.cells.length || edit.added.length || edit.deleted.length) edits.push(edit);
    }
    return edits;
  }

  $("workbook-save").addEventListener("click", async () => {
    const book = roster.book;
    const payload = { file: S.file, text: page.text(), base: book.hash, edits: workbookEdits(), download: !book.writable };
    $("workbook-state").textContent = _("saving…");
    const response = await fetch("/api/roster/save", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload),
    });
    const type = response.headers.get("content-type") || "";
    if (response.ok && !type.startsWith("application/json")) { // the edited workbook, to download
      const blob = await response.blob();
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = /filename\*=UTF-8''([^;]+)/.exec(response.headers.get("content-disposition") || "")
        ? decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(response.headers.get("content-disposition"))[1])
        : "roster.xlsx";
      document.body.appendChild(link);
      link.click();
      link.remove();
      $("workbook-state").textContent = _("downloaded: open it, check it, and save it over {file}", { file: book.file });
      return;
    }
    const result = await response.json().catch(() => ({ ok: false, error: `HTTP ${response.status}` }));
    if (!result.ok) {
      $("workbook-state").textContent = _("not saved: {error}", { error: result.error });
      return;
    }
    $("workbook-state").textContent = _("written into {file} (the previous version is in {backup})",
      { file: result.file, backup: result.backup });
    shownText = null; // the tables are drawn again from the workbook as written
    await ensure();
    $("workbook-state").textContent = _("written into {file} (the previous version is in {backup})",
      { file: result.file, backup: result.backup });
    page.refresh();
  });

  // ---- a new campaign ------------------------------------------------------------------------------

  const dialog = $("new-dialog");
  $("new-campaign").addEventListener("click", () => {
    if (page.isDirty() && !window.confirm(_("Leave your unsaved edits?"))) return;
    dialog.showModal();
  });
  if ($("new-cancel")) $("new-cancel").addEventListener("click", () => dialog.close());
  $("new-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const fields = Object.fromEntries(new FormData(event.target).entries());
    const result = await page.post("/api/new", fields);
    if (!result.ok) {
      $("new-error").textContent = result.error;
      $("new-error").hidden = false;
      return;
    }
    document.cookie = "docgen_view=form; path=/; max-age=31536000; SameSite=Strict";
    location.href = result.open;
  });

  document.addEventListener("docgen:text", () => {
    if (view === "form" || view === "roster") ensure();
  });

  // ---- start ----------------------------------------------------------------------------------------

  window.docgenForm = { show, flush };
  if (!S.file) {
    show("form");
    status(_("No campaign file in this folder yet: start one with the few facts asked."), "");
    dialog.showModal();
    return;
  }
  show(S.view);
})();
