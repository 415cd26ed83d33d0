/* Shared by the review app and the static report: DOM helpers and the highlighted-text
   renderer. Document data only ever reaches the page through textContent / attributes set
   with setAttribute on a fixed list of names: never innerHTML. */
"use strict";
(function (root) {
  const FIELD_TYPES = ["amounts", "caps", "percentages", "dates", "units"];
  const TYPE_LABEL = {amounts: "Amount", caps: "Cap", percentages: "Percentage",
                      dates: "Date", units: "Unit"};

  /* el("div", {class: "x", onclick: fn}, "text", child, ...): children are strings (as text)
     or nodes; null/false children are skipped. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
      else if (k === "class") node.className = v;
      else if (k === "dataset") Object.assign(node.dataset, v);
      else if (k === "value") node.value = v;
      else if (k === "checked" || k === "selected" || k === "disabled") node[k] = !!v;
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    append(node, children);
    return node;
  }
  function append(node, children) {
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      node.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  /* Render `text` into `container` with one <span data-s data-e> per segment between field
     boundaries. fields: [{key, type, start, end, status}]; marks: [{pos, id, cls, label}] are
     zero-width anchors (measure starts). Returns {spansByKey, segments}. */
  function renderText(container, text, fields, marks) {
    clear(container);
    const n = text.length;
    const spans = fields.filter(f => Number.isInteger(f.start) && Number.isInteger(f.end)
                                     && f.start >= 0 && f.end <= n && f.start < f.end);
    const cuts = new Set([0, n]);
    for (const f of spans) { cuts.add(f.start); cuts.add(f.end); }
    const markAt = new Map();
    for (const m of marks || []) {
      if (!Number.isInteger(m.pos) || m.pos < 0 || m.pos > n) continue;
      cuts.add(m.pos);
      if (!markAt.has(m.pos)) markAt.set(m.pos, []);
      markAt.get(m.pos).push(m);
    }
    const points = Array.from(cuts).sort((a, b) => a - b);
    const byStart = spans.slice().sort((a, b) => a.start - b.start);
    let next = 0;
    let active = [];
    const spansByKey = new Map();
    const frag = document.createDocumentFragment();
    for (let i = 0; i < points.length; i++) {
      const a = points[i];
      for (const m of markAt.get(a) || []) {
        frag.appendChild(el("span", {class: "mark " + (m.cls || ""), id: m.id,
                                     "data-label": m.label || ""}));
      }
      if (i === points.length - 1) break;
      const b = points[i + 1];
      while (next < byStart.length && byStart[next].start <= a) active.push(byStart[next++]);
      active = active.filter(f => f.end > a);
      const cover = active.filter(f => f.start <= a && f.end >= b);
      const seg = el("span", {class: "seg", "data-s": a, "data-e": b});
      seg.textContent = text.slice(a, b);
      if (cover.length) {
        // the innermost field colours the segment; a cap around it shows as an underline
        cover.sort((x, y) => (x.end - x.start) - (y.end - y.start));
        const inner = cover.find(f => f.type !== "caps") || cover[0];
        const live = cover.filter(f => f.status !== "rejected");
        seg.classList.add("hl", "t-" + inner.type);
        if (inner.status === "rejected") seg.classList.add("rejected");
        if (live.some(f => f.type === "caps")) seg.classList.add("in-cap");
        seg.dataset.keys = cover.map(f => f.key).join(" ");
        seg.title = cover.map(f => (TYPE_LABEL[f.type] || f.type) + ": " + (f.label || ""))
                         .join("\n");
        for (const f of cover) {
          if (!spansByKey.has(f.key)) spansByKey.set(f.key, []);
          spansByKey.get(f.key).push(seg);
        }
      }
      frag.appendChild(seg);
    }
    container.appendChild(frag);
    return {spansByKey};
  }

  /* Offsets in the rendered text of the current selection inside `container`, or null. */
  function selectionOffsets(container) {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const r = sel.getRangeAt(0);
    if (!container.contains(r.startContainer) || !container.contains(r.endContainer)) return null;
    const pos = (node, off) => {
      let seg = node.nodeType === 3 ? node.parentElement : node;
      if (seg && !seg.classList.contains("seg")) {
        // an element boundary: use the child at `off`
        const child = node.childNodes && node.childNodes[off];
        if (child && child.classList && child.classList.contains("seg")) return +child.dataset.s;
        seg = seg.closest(".seg");
      }
      if (!seg || seg.dataset.s === undefined) return null;
      return +seg.dataset.s + (node.nodeType === 3 ? off : 0);
    };
    const s = pos(r.startContainer, r.startOffset), e = pos(r.endContainer, r.endOffset);
    if (s === null || e === null || e <= s) return null;
    return {start: s, end: e};
  }

  /* A short human reading of a field's values, e.g. "≤ 400,000 元 /人". */
  function describe(type, f) {
    const num = v => (v === null || v === undefined || v === "") ? "?" :
      (typeof v === "number" ? v.toLocaleString("en-US", {maximumFractionDigits: 6}) : String(v));
    const q = {max: "≤ ", min: "≥ ", approx: "≈ ", exact: "", range: ""};
    if (type === "amounts" || type === "percentages") {
      const unit = type === "amounts" ? (f.currency && f.currency !== "CNY" ? " " + f.currency
                                                                            : " 元") : "%";
      const v = (f.value === null || f.value === undefined) && (f.low != null || f.high != null)
        ? num(f.low) + "–" + num(f.high) : num(f.value);
      return (q[f.qualifier] || (f.qualifier ? f.qualifier + " " : "")) + v + unit +
             (f.per ? " /" + f.per : "");
    }
    if (type === "caps") return "cap " + num(f.value) + " " + (f.unit || "") +
                                (f.scope ? " · " + f.scope : "");
    if (type === "dates") return (f.qualifier && f.qualifier !== "on" ? f.qualifier + " " : "") +
                                 (f.value || "?");
    if (type === "units") return (f.role || "?") ;
    return "";
  }

  root.PE = {FIELD_TYPES, TYPE_LABEL, el, append, clear, renderText, selectionOffsets,
             describe};
})(window);
