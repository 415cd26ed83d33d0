/* policy-extract review app. Vanilla JS, no build step. All document data is inserted with
   textContent (via PE.el); never innerHTML. */
"use strict";
(function () {
  const {FIELD_TYPES, TYPE_LABEL, el, clear, renderText, selectionOffsets, describe} = PE;
  const TOKEN = document.querySelector('meta[name="review-token"]').content;
  const app = document.getElementById("app");
  const banner = document.getElementById("banner");
  const crumb = document.getElementById("crumb");
  const PAGE = 50;
  const QUALIFIERS = {amounts: ["exact", "max", "min", "approx", "range"],
                      percentages: ["exact", "max", "min", "approx", "range"],
                      dates: ["on", "by", "from", "until"]};
  // editable attributes per type: [key, kind, choices]
  const ATTRS = {
    amounts: [["value", "number"], ["low", "number"], ["high", "number"],
              ["qualifier", "select", QUALIFIERS.amounts], ["per", "text"],
              ["currency", "select", ["CNY", "USD", "EUR", "HKD"]]],
    caps: [["value", "number"], ["unit", "select", ["元", "%"]], ["scope", "text"]],
    percentages: [["value", "number"], ["low", "number"], ["high", "number"],
                  ["qualifier", "select", QUALIFIERS.percentages]],
    dates: [["value", "text"], ["qualifier", "select", QUALIFIERS.dates]],
    units: [["role", "select", ["lead", "member"]]],
  };
  const META_KEYS = ["title", "doc_number", "issuer", "published", "valid_until",
                     "source_name", "script"];
  const DRAFT = id => "pe-review:draft:" + id;

  let listState = {q: "", status: "all", offset: 0};
  let doc = null;          // the open document's state
  let ignoreHash = false;

  // ------------------------------------------------------------------ helpers

  async function api(method, url, body) {
    const opts = {method, headers: {}};
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    if (method !== "GET") opts.headers["X-Review-Token"] = TOKEN;
    let res;
    try { res = await fetch(url, opts); }
    catch (e) { throw {status: 0, error: "The review server cannot be reached. Is it still running?"}; }
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    if (!res.ok) throw {status: res.status, error: (data && data.error) || res.statusText,
                        data};
    return data;
  }

  function say(kind, text, ...actions) {
    clear(banner);
    if (!text) { banner.hidden = true; return; }
    banner.className = kind;
    banner.appendChild(document.createTextNode(text));
    for (const a of actions) banner.appendChild(a);
    banner.hidden = false;
  }

  function draftOf(id) {
    try { return JSON.parse(localStorage.getItem(DRAFT(id)) || "null"); } catch (e) { return null; }
  }

  function f1Cell(grade) {
    if (!grade) return el("span", {class: "muted"}, "—");
    const f = grade.f;
    const cls = f >= 0.9 ? "good" : f >= 0.6 ? "mid" : "low";
    const tip = Object.entries(grade.fields).map(([k, v]) => k + " F1 " + v.toFixed(2)).join("\n");
    return el("span", {class: "f1 " + cls, title: tip}, f.toFixed(2));
  }

  function statusBadge(row) {
    if (row.error) return el("span", {class: "badge b-error", title: row.error}, "error");
    if (draftOf(row.doc_id)) return el("span", {class: "badge b-progress"}, "in progress");
    if (row.gold) return el("span", {class: "badge b-gold",
                                     title: row.reviewed ? "saved with this app" : "gold file exists"},
                            "saved to gold");
    return el("span", {class: "badge b-unreviewed"}, "unreviewed");
  }

  // ------------------------------------------------------------------ routing

  function route() {
    const h = location.hash || "#/";
    const m = h.match(/^#\/doc\/(.+)$/);
    if (m) return openDoc(decodeURIComponent(m[1]));
    return showList();
  }

  let lastHash = location.hash;
  window.addEventListener("hashchange", () => {
    if (ignoreHash) { ignoreHash = false; lastHash = location.hash; return; }
    if (doc && doc.dirty && !confirm("You have unsaved edits in this document. Leave it? " +
                                     "(They stay in this browser as a draft.)")) {
      ignoreHash = true;
      location.hash = lastHash;
      return;
    }
    lastHash = location.hash;
    route();
  });
  window.addEventListener("beforeunload", e => {
    if (doc && doc.dirty) { e.preventDefault(); e.returnValue = ""; }
  });

  // ------------------------------------------------------------------ list view

  async function showList() {
    doc = null;
    say(null);
    crumb.textContent = "Documents";
    const search = el("input", {type: "search", placeholder: "Search title, issuer, id…",
                                value: listState.q, "aria-label": "search"});
    const status = el("select", {"aria-label": "status filter"},
      ...[["all", "All documents"], ["unreviewed", "Unreviewed (no gold)"],
          ["gold", "Saved to gold"], ["reviewed", "Saved with this app"],
          ["errors", "Conversion errors"]]
        .map(([v, t]) => el("option", {value: v, selected: v === listState.status}, t)));
    const info = el("span", {class: "muted"});
    const tbody = el("tbody");
    const pager = el("div", {class: "pager"});
    const view = el("div", {class: "list"},
      el("div", {class: "toolbar"}, search, status, info),
      el("table", {class: "docs"},
        el("thead", {}, el("tr", {},
          el("th", {}, "Document"), el("th", {}, "Issuer"), el("th", {}, "Date"),
          ...["measures", ...FIELD_TYPES].map(t => el("th", {class: "num", title: t},
                                                       t === "measures" ? "Measures" : TYPE_LABEL[t] + "s")),
          el("th", {}, "Status"), el("th", {title: "F1 of the predictions against gold"}, "F1 vs gold"))),
        tbody),
      pager);
    clear(app).appendChild(view);
    let timer = null;
    search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => { listState.q = search.value; listState.offset = 0; load(); }, 250);
    });
    status.addEventListener("change", () => { listState.status = status.value; listState.offset = 0; load(); });

    async function load() {
      const qs = new URLSearchParams({q: listState.q, status: listState.status,
                                      offset: listState.offset, limit: PAGE});
      info.textContent = "Loading…";
      let data;
      try { data = await api("GET", "/api/docs?" + qs); }
      catch (e) { info.textContent = ""; return say("error", "Could not load the list: " + e.error); }
      clear(tbody);
      for (const row of data.items) {
        const href = "#/doc/" + encodeURIComponent(row.doc_id);
        tbody.appendChild(el("tr", {"data-doc": row.doc_id},
          el("td", {}, el("a", {href}, row.title || row.doc_id), el("div", {class: "docid"}, row.doc_id)),
          el("td", {}, row.issuer || ""),
          el("td", {}, row.published || ""),
          ...["measures", ...FIELD_TYPES].map(t => el("td", {class: "num"},
                                                       row.counts ? String(row.counts[t]) : "")),
          el("td", {}, statusBadge(row)),
          el("td", {class: "num"}, f1Cell(row.grade))));
      }
      if (!data.items.length) tbody.appendChild(el("tr", {}, el("td", {colspan: 11, class: "muted"},
                                                                "No document matches.")));
      const from = data.total ? data.offset + 1 : 0, to = data.offset + data.items.length;
      info.textContent = `${from}–${to} of ${data.total}` +
        (data.total !== data.all ? ` (filtered from ${data.all})` : "") +
        (data.not_indexed ? ` · ${data.not_indexed} documents still being indexed: search covers their ids only` : "");
      clear(pager);
      pager.appendChild(el("button", {disabled: data.offset === 0, onclick: () => {
        listState.offset = Math.max(0, data.offset - PAGE); load(); }}, "← Previous"));
      pager.appendChild(el("span", {class: "muted"},
        `Page ${Math.floor(data.offset / PAGE) + 1} of ${Math.max(1, Math.ceil(data.total / PAGE))}`));
      pager.appendChild(el("button", {disabled: to >= data.total, onclick: () => {
        listState.offset = data.offset + PAGE; load(); }}, "Next →"));
    }
    load();
  }

  // ------------------------------------------------------------------ document view

  function flatten(working) {
    let key = 0;
    const items = [];
    for (const t of FIELD_TYPES) {
      for (const f of working.fields[t] || []) {
        items.push(Object.assign({}, f, {key: ++key, type: t, _status: f._status || "pending"}));
      }
    }
    return items;
  }

  async function openDoc(id) {
    say(null);
    crumb.textContent = id;
    clear(app).appendChild(el("p", {class: "muted pad"}, "Loading " + id + "…"));
    let data;
    try { data = await api("GET", "/api/doc/" + encodeURIComponent(id)); }
    catch (e) {
      clear(app).appendChild(el("div", {class: "pad"},
        el("p", {}, e.status === 404 ? "There is no document with this id." :
                    e.status === 400 ? "This is not a valid document id." : "Could not open it."),
        el("p", {class: "muted"}, e.error || ""), el("a", {href: "#/"}, "← Back to the list")));
      return say("error", "Cannot open document: " + (e.error || e.status));
    }
    const rec = data.record;
    doc = {
      id, rec, text: rec.text || "", version: data.gold_version, hasGold: data.has_gold,
      grade: data.grade, origin: data.working.origin,
      meta: Object.assign({}, data.working.meta),
      measures: data.working.measures.length ? data.working.measures :
                (data.has_gold ? [] : rec.measures || []),
      fields: flatten(data.working), nextKey: 0, sel: null, dirty: false, view: "text",
      source: undefined, pending: null,
    };
    doc.nextKey = doc.fields.length + 1;
    doc.outlineMeasures = (rec.measures && rec.measures.length) ? rec.measures : doc.measures;
    crumb.textContent = (doc.meta.title || rec.meta && rec.meta.title || "") + "  ·  " + id;
    buildDocView();
    const draft = draftOf(id);
    if (draft) {
      const same = draft.version === doc.version;
      say("info", (same ? "You have unsaved edits to this document from " :
                          "You have unsaved edits made against an OLDER version of this document, from ") +
                  new Date(draft.at).toLocaleString() + ".",
          el("button", {onclick: () => restoreDraft(draft)}, "Restore my edits"),
          el("button", {onclick: () => { localStorage.removeItem(DRAFT(id)); say(null); }},
             "Discard them"));
    } else if (rec.error) {
      say("error", "This document could not be converted: " + (rec.error.message || rec.error.code));
    }
  }

  function restoreDraft(draft) {
    doc.fields = draft.fields;
    doc.meta = draft.meta;
    doc.nextKey = Math.max(0, ...doc.fields.map(f => f.key)) + 1;
    markDirty(false);
    buildDocView();
    say("info", "Your unsaved edits are restored. Save to write them to gold.");
  }

  function markDirty(store = true) {
    doc.dirty = true;
    if (store) {
      try {
        localStorage.setItem(DRAFT(doc.id), JSON.stringify(
          {version: doc.version, fields: doc.fields, meta: doc.meta, at: Date.now()}));
      } catch (e) { /* storage full: the beforeunload warning still protects the edits */ }
    }
    updateSaveButton();
  }

  function updateSaveButton() {
    const b = document.getElementById("save-btn");
    if (!b) return;
    b.disabled = !doc.dirty;
    b.textContent = doc.dirty ? "Save to gold (unsaved changes)" : (doc.hasGold ? "Saved to gold" : "Save to gold");
  }

  function buildDocView() {
    const outline = el("nav", {class: "outline", "aria-label": "measures"});
    const textpane = el("section", {class: "textpane"});
    const side = el("aside", {class: "side"});
    clear(app).appendChild(el("div", {class: "docview"}, outline, textpane, side));
    doc.dom = {outline, textpane, side};

    // outline
    outline.appendChild(el("h3", {}, "Measures"));
    const ms = doc.outlineMeasures.filter(m => m.label !== null && m.label !== undefined);
    if (!ms.length) outline.appendChild(el("p", {class: "muted"}, "No numbered measures."));
    for (const m of ms) {
      outline.appendChild(el("a", {href: "#", class: "lv" + Math.min(4, m.level || 1),
        title: m.title || "", onclick: e => { e.preventDefault(); jumpToMeasure(m); }},
        (m.path || [m.label]).slice(-1)[0] + "  " + (m.title || "")));
    }
    outline.appendChild(el("h3", {}, "Legend"));
    for (const t of FIELD_TYPES) {
      outline.appendChild(el("div", {class: "legend"},
        el("span", {class: "sw " + (t === "caps" ? "t-caps in-cap seg" : "t-" + t)}, TYPE_LABEL[t] + "s")));
    }
    outline.appendChild(el("p", {class: "kbd-hint"}, "Caps are also underlined in red where they wrap an amount."));

    // text header
    const toggle = el("button", {id: "toggle-src", onclick: toggleSource,
                                 title: "Show the original input through the offset map (O)"},
                      doc.view === "text" ? "Show original source" : "Show normalized text");
    const save = el("button", {id: "save-btn", class: "primary", onclick: save_, title: "Ctrl+S"}, "Save to gold");
    const reset = doc.hasGold ? el("button", {onclick: startFromPredictions,
        title: "Replace the fields being edited by the extractor's predictions"}, "Start from predictions") : null;
    textpane.appendChild(el("div", {class: "doc-head"},
      el("span", {class: "title"}, doc.meta.title || doc.id),
      el("span", {class: "badge " + (doc.hasGold ? "b-gold" : "b-unreviewed")},
         doc.origin === "gold" ? "editing the gold" : "editing the predictions"),
      doc.grade ? el("span", {class: "muted", title: "Predictions vs gold"}, "F1 vs gold ", f1Cell(doc.grade)) : null,
      toggle, reset, save));
    textpane.appendChild(el("p", {class: "kbd-hint"},
      "Click a highlight to select its field. Select text and press 1–5 (or use the side panel) to add a missed field. ",
      el("kbd", {}, "J"), "/", el("kbd", {}, "K"), " next/previous · ", el("kbd", {}, "A"), " accept · ",
      el("kbd", {}, "R"), " reject · ", el("kbd", {}, "E"), " edit · ", el("kbd", {}, "Ctrl+S"), " save · ",
      el("kbd", {}, "?"), " help"));
    doc.dom.text = el("div", {class: "text", id: "doc-text"});
    textpane.appendChild(doc.dom.text);
    doc.dom.text.addEventListener("click", onTextClick);
    doc.dom.text.addEventListener("mouseup", onTextSelect);
    doc.dom.text.addEventListener("keyup", onTextSelect);

    // side
    doc.dom.editor = el("div", {class: "editor", id: "editor"});
    doc.dom.meta = el("details", {class: "meta"});
    doc.dom.fields = el("div", {class: "fields"});
    side.append(doc.dom.editor, doc.dom.meta, doc.dom.fields);
    renderMeta();
    renderAll();
    updateSaveButton();
  }

  function renderAll() {
    renderDocText();
    renderTable();
    renderEditor();
  }

  function fieldLabel(f) { return (f.text || "") + " → " + describe(f.type, f); }

  function renderDocText() {
    const dom = doc.dom.text;
    if (doc.view === "source") {
      dom.classList.add("source");
      if (doc.source === undefined) {
        dom.textContent = "Loading the original…";
        api("GET", "/api/doc/" + encodeURIComponent(doc.id) + "/source").then(d => {
          doc.source = d.available ? d.raw : null;
          renderDocText();
        }).catch(e => { doc.source = null; say("error", "Could not load the original: " + e.error); renderDocText(); });
        return;
      }
      if (doc.source === null) {
        dom.textContent = "The original input of this document cannot be found (its source.path " +
          "does not exist here; start the app with --sources DIR).";
        return;
      }
      const spans = doc.fields.filter(f => Array.isArray(f.src)).map(f => ({
        key: f.key, type: f.type, start: f.src[0], end: f.src[1], status: f._status, label: fieldLabel(f)}));
      const marks = doc.outlineMeasures.filter(m => m.label && Array.isArray(m.src)).map(m => ({
        pos: m.src[0], id: "m-" + m.id, cls: "measure", label: m.label}));
      doc.spans = renderText(dom, doc.source, spans, marks).spansByKey;
    } else {
      dom.classList.remove("source");
      const spans = doc.fields.map(f => ({key: f.key, type: f.type, start: f.start, end: f.end,
                                          status: f._status, label: fieldLabel(f)}));
      const marks = doc.outlineMeasures.filter(m => m.label && Number.isInteger(m.start)).map(m => ({
        pos: m.start, id: "m-" + m.id, cls: "measure", label: m.label}));
      doc.spans = renderText(dom, doc.text, spans, marks).spansByKey;
    }
    markSelection(false);
  }

  function jumpToMeasure(m) {
    const node = document.getElementById("m-" + m.id);
    if (node) node.scrollIntoView({block: "start"});
  }

  function toggleSource() {
    doc.view = doc.view === "text" ? "source" : "text";
    document.getElementById("toggle-src").textContent =
      doc.view === "text" ? "Show original source" : "Show normalized text";
    renderDocText();
  }

  function measureOptions() {
    return doc.measures.filter(m => m.label !== null && m.label !== undefined)
      .map(m => [m.id, "Measure " + m.id + (m.title ? " · " + m.title : "")]);
  }

  function innermost(start, end) {
    let best = null;
    for (const m of doc.measures) {
      if (m.label === null || m.label === undefined || !Number.isInteger(m.start)) continue;
      if (m.start <= start && end <= m.end && (!best || m.level > best.level)) best = m;
    }
    return best ? best.id : null;
  }

  function renderMeta() {
    const d = doc.dom.meta;
    clear(d).appendChild(el("summary", {}, "Document metadata"));
    for (const k of META_KEYS) {
      const input = el("input", {value: doc.meta[k] == null ? "" : doc.meta[k], "data-meta": k});
      input.addEventListener("input", () => { doc.meta[k] = input.value === "" ? null : input.value; markDirty(); });
      d.appendChild(el("div", {class: "editor flat"}, el("label", {}, k, input)));
    }
  }

  function renderTable() {
    const box = clear(doc.dom.fields);
    const counts = {};
    for (const f of doc.fields) counts[f._status] = (counts[f._status] || 0) + 1;
    box.appendChild(el("h3", {}, `Fields (${doc.fields.length})`));
    box.appendChild(el("div", {class: "kbd-hint"},
      Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(" · ")));
    const table = el("table", {id: "field-table"});
    const groups = new Map();
    const order = [null, ...doc.measures.map(m => m.id)];
    for (const id of order) groups.set(id, []);
    for (const f of doc.fields) {
      const g = groups.has(f.measure || null) ? (f.measure || null) : f.measure;
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g).push(f);
    }
    const titles = new Map(doc.outlineMeasures.map(m => [m.id, m.title]));
    for (const [mid, items] of groups) {
      if (!items.length) continue;
      items.sort((a, b) => (a.start ?? 1e12) - (b.start ?? 1e12));
      table.appendChild(el("tr", {class: "group"}, el("td", {colspan: 4},
        mid === null ? "Outside the measures" : "Measure " + mid + (titles.get(mid) ? " · " + titles.get(mid) : ""))));
      for (const f of items) {
        const tr = el("tr", {class: "item" + (f._status === "rejected" ? " rejected" : ""),
                             "data-key": f.key, onclick: () => select(f.key, true)},
          el("td", {}, el("span", {class: "tag t-" + f.type + (f.type === "caps" ? " in-cap" : ""),
                                   title: TYPE_LABEL[f.type]})),
          el("td", {class: "t"}, f.text || ""),
          el("td", {}, describe(f.type, f)),
          el("td", {}, el("span", {class: "st st-" + f._status}, f._status)));
        table.appendChild(tr);
      }
    }
    if (!doc.fields.length) table.appendChild(el("tr", {}, el("td", {class: "muted"}, "No fields yet.")));
    box.appendChild(table);
    markSelection(false);
  }

  function current() { return doc.fields.find(f => f.key === doc.sel) || null; }

  function select(key, scroll) {
    doc.sel = key;
    doc.pending = null;
    markSelection(scroll);
    renderEditor();
  }

  function markSelection(scroll) {
    for (const n of document.querySelectorAll(".seg.sel, tr.item.sel")) n.classList.remove("sel");
    if (doc.sel === null) return;
    const segs = (doc.spans && doc.spans.get(doc.sel)) || [];
    for (const s of segs) s.classList.add("sel");
    const row = doc.dom.fields.querySelector(`tr[data-key="${doc.sel}"]`);
    if (row) row.classList.add("sel");
    if (scroll) {
      if (segs[0]) segs[0].scrollIntoView({block: "center"});
      if (row) row.scrollIntoView({block: "nearest"});
    }
  }

  function onTextClick(e) {
    const seg = e.target.closest(".seg.hl");
    if (!seg || !window.getSelection().isCollapsed) return;
    const keys = seg.dataset.keys.split(" ").map(Number);
    // repeated clicks cycle through overlapping fields (e.g. a cap and its amount)
    const i = keys.indexOf(doc.sel);
    select(keys[(i + 1) % keys.length], false);
    const row = doc.dom.fields.querySelector(`tr[data-key="${doc.sel}"]`);
    if (row) row.scrollIntoView({block: "nearest"});
  }

  function onTextSelect() {
    if (doc.view !== "text") return;
    const off = selectionOffsets(doc.dom.text);
    if (!off) return;
    doc.pending = off;
    renderEditor();
  }

  function renderEditor() {
    const box = clear(doc.dom.editor);
    if (doc.pending) {
      const {start, end} = doc.pending;
      const snippet = doc.text.slice(start, end);
      box.appendChild(el("h3", {}, "Add a missed field"));
      box.appendChild(el("div", {class: "quote"}, snippet));
      box.appendChild(el("div", {class: "hint"}, `Characters ${start}–${end}. Choose its type (or press 1–5):`));
      box.appendChild(el("div", {class: "row"}, FIELD_TYPES.map((t, i) =>
        el("button", {class: "typebtn", "data-add": t, onclick: () => addField(t)},
           `${i + 1} ${TYPE_LABEL[t]}`))));
      const f = current();
      if (f) box.appendChild(el("div", {class: "row"}, el("button", {onclick: () => {
        f.start = start; f.end = end; f.text = snippet; f.src = undefined; touch(f); doc.pending = null; renderAll();
      }}, "Use as the new span of the selected field")));
      box.appendChild(el("div", {class: "row"}, el("button", {onclick: () => { doc.pending = null; renderEditor(); }}, "Cancel")));
      return;
    }
    const f = current();
    if (!f) {
      box.appendChild(el("h3", {}, "Review"));
      box.appendChild(el("p", {class: "muted"},
        "Select a field in the text or the table below, or press J to start with the first one. " +
        "Select text in the document to add a field the extractor missed."));
      return;
    }
    box.appendChild(el("h3", {}, TYPE_LABEL[f.type] + " ",
                       el("span", {class: "st st-" + f._status}, f._status)));
    box.appendChild(el("div", {class: "quote", id: "editor-text"}, f.text || "(no text)"));
    box.appendChild(el("div", {class: "hint"}, Number.isInteger(f.start) ?
      `Characters ${f.start}–${f.end}` + (Array.isArray(f.src) ? ` · original ${f.src[0]}–${f.src[1]}` : "") :
      "Not located in the text"));
    if (f.type === "units") {
      const input = el("input", {value: f.text || "", "data-attr": "text"});
      input.addEventListener("change", () => { f.text = input.value; touch(f); renderTable(); });
      box.appendChild(el("label", {}, "name", input));
    }
    for (const [k, kind, choices] of ATTRS[f.type]) {
      let input;
      const v = f[k] === null || f[k] === undefined ? "" : String(f[k]);
      if (kind === "select") {
        input = el("select", {"data-attr": k}, el("option", {value: ""}, "—"),
          ...choices.map(c => el("option", {value: c, selected: c === v}, c)));
      } else {
        input = el("input", {value: v, "data-attr": k, inputmode: kind === "number" ? "decimal" : null,
                             placeholder: kind === "number" ? "number" : ""});
      }
      input.addEventListener("change", () => {
        const raw = input.value.trim();
        if (kind === "number" && raw !== "") {
          const n = Number(raw.replace(/[,，]/g, ""));
          if (!Number.isFinite(n)) { say("error", `${k}: "${raw}" is not a number`); input.focus(); return; }
          f[k] = n;
        } else f[k] = raw === "" ? null : raw;
        say(null);
        touch(f);
        renderTable();
        renderDocText();
      });
      box.appendChild(el("label", {}, k, input));
    }
    const msel = el("select", {"data-attr": "measure"}, el("option", {value: ""}, "(none: outside the measures)"),
      ...measureOptions().map(([id, label]) => el("option", {value: id, selected: id === f.measure}, label)));
    msel.addEventListener("change", () => { f.measure = msel.value || null; touch(f); renderTable(); });
    box.appendChild(el("label", {}, "measure", msel));
    box.appendChild(el("div", {class: "row"},
      el("button", {class: "ok", id: "accept-btn", onclick: () => decide("accepted")}, "Accept (A)"),
      el("button", {class: "bad", id: "reject-btn", onclick: () => decide("rejected")}, "Reject (R)"),
      el("button", {onclick: () => move(-1)}, "◀ Prev (K)"),
      el("button", {onclick: () => move(1)}, "Next (J) ▶")));
    if (f._status === "added") box.appendChild(el("div", {class: "row"},
      el("button", {class: "bad", onclick: () => { doc.fields = doc.fields.filter(x => x !== f); doc.sel = null; markDirty(); renderAll(); }},
         "Remove this added field")));
  }

  function touch(f) {
    if (f._status !== "added") f._status = "edited";
    markDirty();
  }

  function decide(status) {
    const f = current();
    if (!f) return;
    if (status === "accepted" && (f._status === "edited" || f._status === "added")) {
      // accepting an edit keeps it marked as edited
    } else f._status = f._status === status ? "pending" : status;
    markDirty();
    renderTable();
    renderDocText();
    move(1);
  }

  function ordered() {
    return doc.fields.slice().sort((a, b) => (a.start ?? 1e12) - (b.start ?? 1e12) || a.key - b.key);
  }

  function move(step) {
    const list = ordered();
    if (!list.length) return;
    const i = list.findIndex(f => f.key === doc.sel);
    const j = i < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, i + step));
    select(list[j].key, true);
  }

  async function addField(type) {
    const {start, end} = doc.pending;
    const text = doc.text.slice(start, end);
    const f = {key: doc.nextKey++, type, text, start, end, measure: innermost(start, end),
               _status: "added"};
    for (const [k] of ATTRS[type]) f[k] = null;
    if (type === "amounts") { f.currency = "CNY"; f.qualifier = "exact"; }
    if (type === "percentages") f.qualifier = "exact";
    if (type === "dates") f.qualifier = "on";
    if (type === "caps") f.unit = /%|％/.test(text) ? "%" : "元";
    if (type === "units") f.role = "member";
    try {
      const s = await api("GET", "/api/suggest?" + new URLSearchParams({type, text}));
      if (s.field) for (const [k] of ATTRS[type]) if (k in s.field && s.field[k] !== null) f[k] = s.field[k];
    } catch (e) { /* no suggestion: the reviewer fills the values */ }
    doc.fields.push(f);
    doc.pending = null;
    window.getSelection().removeAllRanges();
    markDirty();
    doc.sel = f.key;
    renderAll();
    say("info", `${TYPE_LABEL[type]} added. Check its values in the side panel.`);
    const first = doc.dom.editor.querySelector("[data-attr=value], [data-attr=role]");
    if (first) first.focus();
  }

  function startFromPredictions() {
    const items = [];
    let key = doc.nextKey;
    for (const t of FIELD_TYPES) for (const f of doc.rec[t] || []) {
      items.push(Object.assign({}, f, {key: key++, type: t, _status: "pending"}));
    }
    doc.nextKey = key;
    doc.fields = items;
    doc.sel = null;
    markDirty();
    renderAll();
    say("info", "The fields are now the extractor's predictions. Saving will replace the gold fields.");
  }

  async function save_() {
    if (!doc) return;
    const fields = {};
    for (const t of FIELD_TYPES) fields[t] = [];
    for (const f of doc.fields) {
      if (f._status === "rejected") continue;
      const out = {text: f.text, measure: f.measure ?? null};
      if (Number.isInteger(f.start)) { out.start = f.start; out.end = f.end; }
      if (Array.isArray(f.src)) out.src = f.src;
      for (const [k] of ATTRS[f.type]) out[k] = f[k] ?? null;
      fields[f.type].push(out);
    }
    const measures = doc.measures.map(m => ({id: m.id, label: m.label, path: m.path, level: m.level,
                                             title: m.title, start: m.start, end: m.end}));
    const btn = document.getElementById("save-btn");
    btn.disabled = true;
    btn.textContent = "Saving…";
    try {
      const r = await api("POST", "/api/doc/" + encodeURIComponent(doc.id) + "/gold",
                          {version: doc.version, meta: doc.meta, measures, fields});
      doc.version = r.version;
      doc.dirty = false;
      doc.hasGold = true;
      localStorage.removeItem(DRAFT(doc.id));
      say("ok", `Saved to ${r.path}.`);
    } catch (e) {
      if (e.status === 409) {
        say("error", "Not saved: " + e.error,
            el("button", {onclick: () => { doc.dirty = false; route(); }}, "Reload the document (drops my edits)"));
      } else if (e.status === 403) {
        say("error", "Not saved: " + e.error);
      } else {
        say("error", "Not saved: " + (e.error || "unknown error"));
      }
    }
    updateSaveButton();
  }

  // ------------------------------------------------------------------ keyboard

  document.addEventListener("keydown", e => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") {
      if (doc) { e.preventDefault(); if (document.activeElement) document.activeElement.blur(); save_(); }
      return;
    }
    const tag = (e.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea") {
      if (e.key === "Escape") e.target.blur();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "?") { document.getElementById("help").showModal(); return; }
    if (!doc || !doc.dom) return;
    const k = e.key.toLowerCase();
    if (doc.pending && /^[1-5]$/.test(k)) { e.preventDefault(); addField(FIELD_TYPES[+k - 1]); return; }
    if (k === "j" || k === "n" || e.key === "ArrowDown") { e.preventDefault(); move(1); }
    else if (k === "k" || k === "p" || e.key === "ArrowUp") { e.preventDefault(); move(-1); }
    else if (k === "a") decide("accepted");
    else if (k === "r" || k === "x") decide("rejected");
    else if (k === "o") toggleSource();
    else if (k === "e") {
      const first = doc.dom.editor.querySelector("[data-attr=value], [data-attr=role], [data-attr=text]");
      if (first) { e.preventDefault(); first.focus(); if (first.select) first.select(); }
    }
  });
  document.getElementById("help-btn").addEventListener("click",
    () => document.getElementById("help").showModal());

  route();
})();
