/* The static report: a read-only list + document view over data embedded in the page. */
"use strict";
(function () {
  const {FIELD_TYPES, TYPE_LABEL, el, clear, renderText, describe} = PE;
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const app = document.getElementById("app");
  const byId = new Map(data.docs.map(d => [d.doc_id, d]));

  function f1(grade) {
    if (!grade) return el("span", {class: "muted"}, "—");
    const cls = grade.f >= 0.9 ? "good" : grade.f >= 0.6 ? "mid" : "low";
    return el("span", {class: "f1 " + cls}, grade.f.toFixed(2));
  }

  function list() {
    const q = el("input", {type: "search", placeholder: "Search title, issuer, id…"});
    const tbody = el("tbody");
    const fill = () => {
      const words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
      clear(tbody);
      for (const d of data.docs) {
        const hay = [d.doc_id, d.meta.title, d.meta.issuer, d.meta.published].join(" ").toLowerCase();
        if (!words.every(w => hay.includes(w))) continue;
        tbody.appendChild(el("tr", {},
          el("td", {}, el("a", {href: "#doc=" + encodeURIComponent(d.doc_id)}, d.meta.title || d.doc_id),
             el("div", {class: "docid"}, d.doc_id)),
          el("td", {}, d.meta.issuer || ""), el("td", {}, d.meta.published || ""),
          ...["measures", ...FIELD_TYPES].map(t => el("td", {class: "num"}, String(d.counts[t] || 0))),
          el("td", {}, d.error ? el("span", {class: "badge b-error"}, "error") :
                       d.gold ? el("span", {class: "badge b-gold"}, "gold") :
                       el("span", {class: "badge b-unreviewed"}, "no gold")),
          el("td", {class: "num"}, f1(d.grade))));
      }
    };
    q.addEventListener("input", fill);
    clear(app).appendChild(el("div", {class: "list"},
      el("div", {class: "toolbar"}, q, el("span", {class: "muted"},
         `${data.docs.length} documents · generated ${data.generated} from ${data.source}`)),
      el("table", {class: "docs"}, el("thead", {}, el("tr", {},
        el("th", {}, "Document"), el("th", {}, "Issuer"), el("th", {}, "Date"),
        ...["Measures", ...FIELD_TYPES.map(t => TYPE_LABEL[t] + "s")].map(t => el("th", {class: "num"}, t)),
        el("th", {}, "Gold"), el("th", {}, "F1 vs gold"))), tbody)));
    fill();
  }

  function show(d) {
    const text = el("div", {class: "text"});
    const rows = el("tbody");
    const outline = el("nav", {class: "outline"}, el("p", {}, el("a", {href: "#"}, "← All documents")),
                       el("h3", {}, "Measures"));
    for (const m of d.measures.filter(m => m.label)) {
      outline.appendChild(el("a", {href: "#doc=" + encodeURIComponent(d.doc_id), class: "lv" + Math.min(4, m.level || 1),
        onclick: e => { e.preventDefault(); const n = document.getElementById("m-" + m.id); if (n) n.scrollIntoView(); }},
        m.label + "  " + (m.title || "")));
    }
    outline.appendChild(el("h3", {}, "Legend"));
    for (const t of FIELD_TYPES) outline.appendChild(el("div", {class: "legend"},
      el("span", {class: "sw t-" + t}, TYPE_LABEL[t] + "s")));
    const fields = d.fields.map((f, i) => Object.assign({key: i + 1, label: f.text + " → " + describe(f.type, f)}, f));
    const spans = renderText(text, d.text, fields,
      d.measures.filter(m => m.label && Number.isInteger(m.start)).map(m => ({pos: m.start, id: "m-" + m.id, cls: "measure", label: m.label}))).spansByKey;
    const pick = key => {
      for (const n of document.querySelectorAll(".sel")) n.classList.remove("sel");
      for (const s of spans.get(key) || []) s.classList.add("sel");
      const row = rows.querySelector(`tr[data-key="${key}"]`);
      if (row) { row.classList.add("sel"); row.scrollIntoView({block: "nearest"}); }
      const s0 = (spans.get(key) || [])[0];
      if (s0) s0.scrollIntoView({block: "center"});
    };
    text.addEventListener("click", e => {
      const seg = e.target.closest(".seg.hl");
      if (seg) pick(+seg.dataset.keys.split(" ")[0]);
    });
    for (const f of fields) {
      rows.appendChild(el("tr", {class: "item", "data-key": f.key, onclick: () => pick(f.key)},
        el("td", {}, el("span", {class: "tag t-" + f.type})), el("td", {}, f.text || ""),
        el("td", {}, describe(f.type, f)), el("td", {}, f.measure || "—")));
    }
    const metaRows = Object.entries(d.meta).map(([k, v]) => el("tr", {}, el("td", {}, k), el("td", {}, v == null ? "—" : String(v))));
    clear(app).appendChild(el("div", {class: "docview"}, outline,
      el("section", {class: "textpane"}, el("div", {class: "doc-head"},
        el("span", {class: "title"}, d.meta.title || d.doc_id), el("span", {class: "docid"}, d.doc_id),
        d.grade ? el("span", {class: "muted"}, "F1 vs gold ", f1(d.grade)) : null), text),
      el("aside", {class: "side"}, el("h3", {}, "Metadata"),
        el("div", {class: "fields"}, el("table", {}, el("tbody", {}, metaRows))),
        el("h3", {}, `Fields (${fields.length})`),
        el("div", {class: "fields"}, el("table", {}, rows)))));
  }

  function route() {
    const m = location.hash.match(/^#doc=(.+)$/);
    const d = m && byId.get(decodeURIComponent(m[1]));
    if (d) show(d); else list();
  }
  window.addEventListener("hashchange", route);
  route();
})();
