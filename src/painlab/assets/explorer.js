// painlab's explorer front end (an anywidget module): controls, figures and readout.
//
// The kernel computed every value the controls can reach for the current kind, population
// and muscle (painlab.explorer_page.page_data). A slider move is drawn here, from those
// values, with no round trip; the new control values then go to the kernel, which stays
// the source of truth. Kind, population and muscle changes ask the kernel for a new slice.

const TYPED = {i1: Int8Array, u1: Uint8Array, i2: Int16Array, u2: Uint16Array,
               i4: Int32Array, u4: Uint32Array, f4: Float32Array, f8: Float64Array};
const SITES = ["exercising", "contralateral", "distant"];
const OUTCOMES = ["hypoalgesia", "none", "hyperalgesia"];
const CONFIG = {displaylogo: false, responsive: true, typesetMath: false,
                modeBarButtonsToRemove: ["sendDataToCloud"]};
const STATIC = {staticPlot: true};

function decode(a) {
  if (a._decoded) return a._decoded;
  const bin = atob(a.bdata), u8 = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
  Object.defineProperty(a, "_decoded", {value: new TYPED[a.dtype](u8.buffer), enumerable: false});
  return a._decoded;
}

// plotly.js: the page's own if a figure already loaded it, else the kernel's bundled copy
// (sent once per page; nothing is fetched from the internet)
function plotly(model) {
  if (globalThis.Plotly) return Promise.resolve(globalThis.Plotly);
  if (!globalThis.__painlabPlotly) {
    globalThis.__painlabPlotly = new Promise((resolve) => {
      const onMsg = (msg) => {
        if (!msg || msg.type !== "plotly.js") return;
        model.off("msg:custom", onMsg);
        const s = document.createElement("script");
        s.textContent = msg.source;
        document.head.appendChild(s);
        resolve(globalThis.Plotly);
      };
      model.on("msg:custom", onMsg);
      model.send({type: "plotly.js"});
    });
  }
  return globalThis.__painlabPlotly;
}

function sign2(v) {  // Python's f"{v:+.2f}"
  return (v >= 0 ? "+" : "") + v.toFixed(2);
}

// ------------------------------------------------------------------ the slice's lookups
class Slice {
  constructor(D) {
    this.D = D;
    this.g = D.grid[D.kind];
    this.v = D.values[D.kind][D.population];
    this.parts = D.readout[D.kind][D.population];
    this.x = D.extra;
  }
  point(S) { return this.g.offset[S.i] + (S.failure ? this.g.n_duration[S.i] : S.t); }
  tIndex(S) { return S.failure ? this.g.duration.length : S.t; }
  unfactor(f, p, S) {
    const tpl = f.templates[decode(f.template)[p]];
    let out = "";
    for (const x of tpl) {
      if (typeof x === "string") out += x;
      else if ("i" in x) out += f.by_i[x.i][S.i];
      else if ("t" in x) out += f.by_t[x.t][this.tIndex(S)];
      else out += this.g.tokens[decode(f.per_point[x.p])[p]];
    }
    return out;
  }
  readout(p, S) {
    const v = this.v, D = this.D, parts = this.parts[OUTCOMES[decode(v.outcome)[p]]];
    let out = "";
    for (const x of parts) {
      if (typeof x === "string") out += x;
      else if ("label" in x) out += this.unfactor(this.g.label, p, S);
      else if ("d" in x) out += D.display[decode(v.show[x.d])[p]];
      else if ("rest" in x) out += D.display[decode(v.rest)[p]];
      else if ("slot" in x) out += D.display[decode(v.slots[x.slot])[p]];
      else out += this.unfactor(this.g.reasons[x.reason], p, S);
    }
    return out;
  }
  d(site, p) { return decode(this.v.d[site])[p] * this.v.scale; }
  edge(which, site, p) { return decode(this.x[which][site])[p] * this.v.scale; }
  show(site, p) { return this.D.display[decode(this.v.show[site])[p]]; }
  minutes(S) { return S.failure ? this.g.endurance[S.i] : this.g.duration[S.t]; }
}

const r3 = (v) => Math.round(v * 1000) / 1000;
const r4 = (v) => Math.round(v * 10000) / 10000;

// What each figure's traces become at grid point p (the kernel's figures.*_update, here)
function sitesUpdate(sl, p) {  // without the plausible range (the handout): the bars only
  const y = [], plus = [], minus = [], text = [], custom = [];
  for (const s of SITES) {
    const v = r3(sl.d(s, p));
    y.push(v); text.push(sl.show(s, p));
    if (!sl.x) continue;
    const pl = r3(sl.edge("high", s, p) - v), mi = r3(v - sl.edge("low", s, p));
    plus.push(pl); minus.push(mi);
    custom.push(sign2(v - mi) + " to " + sign2(v + pl));
  }
  if (!sl.x) return {y, text};
  return {y, text, customdata: custom, error_y: {array: plus, arrayminus: minus}};
}
function decay(d0, m, h) { return d0 * Math.pow(2, -m / h); }
function timeUpdate(sl, p, minutes, SITE_LABEL) {
  const M = sl.D.model, h = M.half_life, out = {};
  for (const s of SITES) {
    const d0 = sl.d(s, p);
    out[SITE_LABEL[s]] = minutes.map((m) => r4(decay(d0, m, h)));
    if (!sl.x) continue;  // no plausible range in the slice (the handout)
    const [hlo, hhi] = M.half_life_range, lo0 = sl.edge("low", s, p), hi0 = sl.edge("high", s, p);
    const top = [], bottom = [];
    for (const m of minutes) {
      const e = [decay(lo0, m, hlo), decay(lo0, m, hhi), decay(hi0, m, hlo), decay(hi0, m, hhi),
                 decay(d0, m, h)];
      top.push(r4(Math.max(...e))); bottom.push(r4(Math.min(...e)));
    }
    out["plausible range: " + SITE_LABEL[s].toLowerCase()] = top.concat(bottom.reverse());
  }
  return out;
}
function mechanismsUpdate(sl, p, scale, labels, [size0, span]) {  // figures.acute.MARKER_SIZE
  const x = sl.x, level = x.level.map((a) => decode(a)[p] * sl.v.scale);
  const pct = x.percent.map((a) => decode(a)[p]);
  return {
    text: [labels.map((l, k) => l + ": " + pct[k] + "%")],
    "marker.size": [level.map((v) => (size0 + span * v) * scale)],
    "marker.color": [level],
  };
}

// ------------------------------------------------------------------------------ widget
function el(tag, attrs = {}, children = []) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v; else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.appendChild(c);
  return e;
}

function render(ctx) {
  const {model} = ctx;
  if ((model.get("data") || {}).figures) return build(ctx);
  // no slice yet (a view restored before its state arrived): build when the kernel's comes
  let cleanup = null;
  const onData = () => {
    if (!(model.get("data") || {}).figures || cleanup) return;
    model.off("change:data", onData);
    cleanup = build(ctx);
  };
  model.on("change:data", onData);
  return () => { model.off("change:data", onData); if (cleanup) cleanup(); };
}

function build({model, el: root}) {
  const O = model.get("options"), scale = model.get("scale"), L = O.labels;  // painlab.vocabulary
  // layout: "notebook" (controls and readout side by side above the figures), "lecture"
  // (controls and readout in a left column, figures beside them: the lecture app) or
  // "column" (everything stacked: one side of an A/B comparison)
  const layout = O.layout || "notebook";
  // the controls keep their keys: JupyterLab's shortcuts (arrows, letters) stay out
  const box = el("div", {class: "painlab-explorer painlab-layout-" + layout,
                         "data-lm-suppress-shortcuts": "true"});
  box.style.setProperty("--painlab-scale", String(scale));
  if (O.columns) box.style.setProperty("--painlab-columns", String(O.columns));
  box.addEventListener("keydown", (e) => {
    if (e.target.closest(".painlab-controls")) e.stopPropagation();
  });
  root.appendChild(box);
  // controls, in the order every front end uses
  const ctl = {}, out = {};
  // ids: the handout page (one explorer per page) uses plain ones its tests know
  const uid = O.ids ? "" : "-" + Math.random().toString(36).slice(2, 8);
  const row = (name, label, input, output) => {
    const id = O.ids ? name : "painlab-" + name + uid;
    input.id = id;
    const lab = el("label", {for: id, text: label});
    if (output) { out[name] = output; lab.appendChild(output); }
    ctl[name] = input;
    return el("div", {class: "painlab-control painlab-control-" + name}, [lab, input]);
  };
  const select = (pairs) => {
    const s = el("select");
    for (const [label, value] of pairs) s.add(new Option(label, value));
    return s;
  };
  const controls = el("div", {class: "painlab-controls", role: "group",
                              "aria-label": "Choose a bout of exercise"}, [
    row("kind", L.kind, select(O.kinds)),
    row("population", L.population, select(O.populations)),
    row("intensity", L.intensity, el("input", {type: "range"}), el("output")),
    row("duration", L.duration.replace(" (min)", ""), el("input", {type: "range"}), el("output")),
    row("muscle", L.muscle, select(O.muscles)),
  ]);
  if (!O.muscles.length) controls.querySelector(".painlab-control-muscle").hidden = true;
  for (const name of O.hide || []) controls.querySelector(".painlab-control-" + name).hidden = true;
  const fail = el("input", {type: "checkbox", id: O.ids ? "failure" : "painlab-failure" + uid});
  ctl.to_failure = fail;
  const failLabel = el("label", {class: "painlab-check"}, [fail]);
  failLabel.appendChild(document.createTextNode(" " + L.to_failure + " (isometric only)"));
  controls.appendChild(failLabel);
  for (const [name, tip] of Object.entries(O.tooltips)) ctl[name].title = tip;
  // a preset menu (the lecture's classic studies): the kernel sets the bout it names
  let preset = null;
  if (O.presets) {
    preset = select(O.presets);
    controls.insertBefore(row("preset", L.preset, preset), controls.firstChild);
    preset.value = model.get("preset");
    preset.addEventListener("change", () => { model.set("preset", preset.value); model.save_changes(); });
    model.on("change:preset", () => { preset.value = model.get("preset"); });
  }
  const readout = el("div", {class: "painlab-page-readout", role: "status", "aria-live": "polite",
                             id: O.ids ? "readout" : "painlab-readout" + uid});
  const readoutBox = el("div", {class: "painlab-readout-box"}, [readout]);
  readoutBox.hidden = O.readout === "none";
  const figsBox = el("div", {class: "painlab-figures-box"});
  // the lecture: a question for the room above the controls, the result hidden until Reveal
  const lead = el("div", {class: "painlab-ask"});
  const note = el("div", {class: "painlab-hidden-note-box"});
  note.innerHTML = O.hidden_note || "";
  function reveal() {
    const shown = model.get("revealed");
    box.classList.toggle("painlab-concealed", !shown);
    note.hidden = shown || !O.hidden_note;
  }
  function setLead() { lead.innerHTML = model.get("lead"); lead.hidden = !lead.innerHTML; }
  if (O.reveal) {
    if (!readoutBox.hidden) readoutBox.classList.add("painlab-result");
    figsBox.classList.add("painlab-result");
  }
  if (layout === "lecture") {
    box.appendChild(el("div", {class: "painlab-side-column"}, [lead, controls, note, readoutBox]));
    box.appendChild(figsBox);
  } else if (layout === "column") {
    for (const x of [lead, controls, note, readoutBox, figsBox]) box.appendChild(x);
  } else {
    box.appendChild(lead);
    box.appendChild(el("div", {class: "painlab-top"}, [controls, readoutBox]));
    box.appendChild(note);
    box.appendChild(figsBox);
  }
  reveal(); setLead();
  model.on("change:revealed", reveal);
  model.on("change:lead", setLead);
  const plots = {}, figBox = el("div", {class: "painlab-figures"});
  const names = Object.keys(model.get("data").figures);
  let star = null, figText = el("p", {class: "painlab-figure-text"});
  const captions = {};  // a caption under a figure, where the slice gives one
  names.forEach((name, k) => {
    const div = el("div", {class: "painlab-plot painlab-plot-" + name});
    if (O.ids) div.id = "fig-" + name;
    plots[name] = div;
    captions[name] = el("p", {class: "painlab-caption"});
    if (k === 0 && (name === "dose_map" || names.length === 1)) {  // the main figure, full width
      const wrap = el("div", {class: "painlab-plot-wrap"}, [div]);
      if (name === "dose_map") {
        star = el("div", {class: "painlab-star", "aria-hidden": "true"});
        if (O.ids) star.id = "fig-dose_map-star";
        wrap.appendChild(star);
      }
      figsBox.appendChild(wrap);
      figsBox.appendChild(figText);
    } else {
      figBox.appendChild(el("div", {class: "painlab-figure"}, [div, captions[name]]));
    }
  });
  if (figBox.children.length) figsBox.appendChild(figBox);
  // the readout's shape: "full", "why" (verdict and range, the rest folded under "Why")
  // or "verdict" (the verdict and its 80% range only)
  let whyOpen = false;
  function shapeReadout() {
    const r = readout.firstElementChild;
    if (!r || !O.readout || O.readout === "full") return;
    if (O.readout === "verdict") {
      while (r.children.length > 2) r.lastElementChild.remove();
      return;
    }
    const why = el("details", {}, [el("summary", {text: L.why})]);
    while (r.children.length > 2) why.appendChild(r.children[2]);
    why.open = whyOpen;
    why.addEventListener("toggle", () => { whyOpen = why.open; });
    r.appendChild(why);
  }

  let sl = null, S = {i: 0, t: 0, failure: false}, drawCount = 0, hooked = false, P = null;
  let idx = {};  // figure -> trace name -> index
  let ready = Promise.resolve();  // the last structure draw

  function fromModel() {  // the kernel's values -> grid indices
    const g = sl.g, near = (arr, v, n) => {
      let best = 0;
      for (let k = 1; k < n; k++) if (Math.abs(arr[k] - v) < Math.abs(arr[best] - v)) best = k;
      return best;
    };
    S.i = near(g.intensity, model.get("intensity"), g.intensity.length);
    S.failure = g.failure && model.get("to_failure");
    S.t = near(g.duration, model.get("duration"), g.n_duration[S.i]);
  }
  function syncControls() {
    const g = sl.g, D = sl.D, unit = O.units[D.kind];
    ctl.kind.value = D.kind;
    ctl.population.value = D.population;
    ctl.muscle.value = model.get("muscle");
    ctl.muscle.disabled = !g.failure;
    const I = g.intensity, T = g.duration, n = g.n_duration[S.i];
    Object.assign(ctl.intensity, {min: I[0], max: I[I.length - 1], step: O.steps[D.kind].intensity});
    ctl.intensity.value = I[S.i];
    Object.assign(ctl.duration, {min: T[0], max: T[n - 1], step: O.steps[D.kind].duration});
    ctl.duration.value = S.failure ? T[n - 1] : T[S.t];
    ctl.duration.disabled = S.failure;
    fail.disabled = !g.failure;
    fail.checked = S.failure;
    failLabel.classList.toggle("painlab-disabled", !g.failure);
    const iText = I[S.i] + " " + unit;
    const tText = S.failure ? g.endurance[S.i].toFixed(1) + " min (until failure)"
                            : T[S.t].toFixed(1) + " min";
    out.intensity.textContent = iText;
    out.duration.textContent = tText;
    ctl.intensity.setAttribute("aria-valuetext", iText);
    ctl.duration.setAttribute("aria-valuetext", tText);
  }
  function starLayout() {
    const gd = plots.dose_map, ax = (a) => ({range: a.range.slice(), type: a.type,
                                             visible: false, fixedrange: true});
    return {xaxis: ax(gd._fullLayout.xaxis), yaxis: ax(gd._fullLayout.yaxis), showlegend: false,
            margin: {l: 0, r: 0, t: 0, b: 0, pad: 0}, width: 10, height: 10,
            paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)"};
  }
  function placeStar() {  // lay the star's tiny plot exactly over the dose map's plot area
    const gd = plots.dose_map, a = gd._fullLayout && gd._fullLayout._size;
    if (!a || !star || !star.data) return Promise.resolve();
    // plotly's plot area in the figure's own CSS pixels (right under a CSS zoom too)
    Object.assign(star.style, {left: (gd.offsetLeft + a.l) + "px", top: (gd.offsetTop + a.t) + "px",
                               width: a.w + "px", height: a.h + "px"});
    return P.relayout(star, {width: a.w, height: a.h,
                             "xaxis.range": gd._fullLayout.xaxis.range.slice(),
                             "yaxis.range": gd._fullLayout.yaxis.range.slice()});
  }
  // A move changes data only: the small figures take Plotly's transition path (animate
  // with no redraw), which moves the points and bars without rebuilding axes and legend.
  const MOVE = {transition: {duration: 0}, frame: {duration: 0, redraw: false}, mode: "immediate"};
  function animate(name, updates) {  // trace name -> nested update; every trace listed
    const n = plots[name].data.length, data = [], traces = [];
    for (let k = 0; k < n; k++) { data.push({}); traces.push(k); }
    for (const [t, u] of Object.entries(updates)) {
      if (!(t in idx[name])) throw new Error(name + " has no trace named " + t);
      data[idx[name][t]] = u;
    }
    return P.animate(plots[name], {data, traces}, MOVE);
  }
  function restyle(name, updates) {  // trace name -> {attr: value}
    const gd = plots[name], byAttr = {};
    const traces = Object.keys(updates).map((t) => idx[name][t]);
    Object.values(updates).forEach((u, k) => {
      for (const [attr, val] of Object.entries(u)) {
        (byAttr[attr] = byAttr[attr] || new Array(traces.length).fill(undefined))[k] = val;
      }
    });
    return P.restyle(gd, byAttr, traces);
  }
  function draw(structure) {
    const p = sl.point(S), n = ++drawCount, D = sl.D, done = [];
    box.dataset.requested = String(n);  // drawn === requested: every move so far is drawn
    const figs = D.figures, x = sl.g.intensity[S.i], y = sl.minutes(S);
    if (structure) {
      idx = {};
      for (const name of names) {
        const fig = figs[name];
        idx[name] = Object.fromEntries(fig.data.map((t, k) => [t.name, k]));
        let data = fig.data;
        const cur = name === "dose_map" && star ? data[idx.dose_map["current bout"]] : null;
        if (cur) {  // the dose map keeps the star's legend entry; the overlay draws it
          data = data.slice();
          data[idx.dose_map["current bout"]] = Object.assign({}, cur, {x: [null], y: [null]});
        }
        let first = P.react(plots[name], data, fig.layout, CONFIG);
        if (cur) {
          first = first.then(() => {
            if (!hooked) {
              hooked = true;  // zoom, pan and resizing move the plot area: follow it
              plots.dose_map.on("plotly_afterplot", placeStar);
              plots.dose_map.on("plotly_relayout", placeStar);
            }
            const marker = Object.assign({}, cur, {x: [x], y: [y], showlegend: false});
            return P.react(star, [marker], starLayout(), STATIC);
          }).then(placeStar);
        }
        done.push(first);
      }
    }
    // a move waits for the figures of the last kind/population change to be in place
    const base = structure ? Promise.all(done) : ready;
    if (structure) ready = base.catch(() => {});
    const moves = base.then(() => {
      const m = [];
      if (star) m.push(P.restyle(star, {x: [[x]], y: [[y]]}, [0]));
      else if (plots.dose_map) m.push(restyle("dose_map", {"current bout": {x: [x], y: [y]}}));
      if (plots.sites) m.push(animate("sites", {effect: sitesUpdate(sl, p)}));
      if (plots.time_course) {
        const labels = O.site_labels;  // the figures' trace names, from the kernel
        const minutes = figs.time_course.data[idx.time_course[labels.exercising]].x;
        const u = timeUpdate(sl, p, minutes, labels), up = {};
        for (const [t, yy] of Object.entries(u)) up[t] = {y: yy};
        m.push(animate("time_course", up));
      }
      if (plots.mechanisms && sl.x) {
        const labels = O.mechanism_labels;
        const u = mechanismsUpdate(sl, p, scale, labels, O.mechanism_marker);
        m.push(animate("mechanisms", {mechanisms: {text: u.text[0],
          marker: {size: u["marker.size"][0], color: u["marker.color"][0]}}}));
      }
      if (plots.fatigue && sl.x) {
        const fx = sl.x.fatigue ? [100 * decode(sl.x.fatigue)[p]] : [];
        const fy = sl.x.fatigue ? [sl.d("exercising", p)] : [];
        m.push(restyle("fatigue", {"current bout": {x: fx, y: fy}}));
      }
      return Promise.all(m);
    });
    readout.innerHTML = sl.readout(p, S);
    shapeReadout();
    const interp = sl.x ? decode(sl.x.interpolated)[p] : 0;
    figText.textContent = D.texts.figure_text[interp ? 1 : 0];
    figText.hidden = !plots.dose_map;
    if (structure) {
      for (const [name, c] of Object.entries(captions)) {
        c.textContent = (D.texts.captions || {})[name] || "";
        c.hidden = !c.textContent;
      }
    }
    box.classList.remove("painlab-waiting");
    // tests and benchmarks wait for this event: every figure of this move is drawn
    moves.then(() => {
      if (n === drawCount) {
        box.dataset.drawn = String(n);
        box.dispatchEvent(new CustomEvent("painlab:drawn", {bubbles: true,
                                                            detail: {point: p, n}}));
      }
    }, (e) => console.error("painlab explorer:", e));
  }

  // page-side moves: draw now, tell the kernel after
  function send(values) {
    for (const [k, v] of Object.entries(values)) model.set(k, v);
    model.save_changes();
  }
  ctl.intensity.addEventListener("input", () => {
    const g = sl.g, v = +ctl.intensity.value;
    let best = 0;
    for (let k = 1; k < g.intensity.length; k++) {
      if (Math.abs(g.intensity[k] - v) < Math.abs(g.intensity[best] - v)) best = k;
    }
    S.i = best;
    S.t = Math.min(S.t, g.n_duration[S.i] - 1);
    syncControls(); draw(false);
    send({intensity: g.intensity[S.i], duration: sl.minutes(S)});
  });
  ctl.duration.addEventListener("input", () => {
    const g = sl.g, v = +ctl.duration.value;
    let best = 0;
    for (let k = 1; k < g.n_duration[S.i]; k++) {
      if (Math.abs(g.duration[k] - v) < Math.abs(g.duration[best] - v)) best = k;
    }
    S.t = best;
    syncControls(); draw(false);
    send({duration: g.duration[S.t]});
  });
  fail.addEventListener("change", () => {
    S.failure = fail.checked && sl.g.failure;
    if (!S.failure) S.t = sl.g.n_duration[S.i] - 1;
    syncControls(); draw(false);
    send({to_failure: S.failure, duration: sl.minutes(S)});
  });
  // a new kind, population or muscle needs the kernel's slice
  for (const name of ["kind", "population", "muscle"]) {
    ctl[name].addEventListener("change", () => {
      const now = name === "muscle" ? model.get("muscle") : sl.D[name];
      if (ctl[name].value === now) { draw(false); return; }  // nothing new to fetch
      box.classList.add("painlab-waiting");
      send({[name]: ctl[name].value});
    });
  }

  let seen = -1, rev = -1;
  function fromKernel() {  // the kernel changed something: take every value from it
    const D = model.get("data");
    const structure = D !== seen;
    seen = D; rev = model.get("rev");
    if (structure) sl = new Slice(D);
    fromModel(); syncControls(); draw(structure);
  }
  model.on("change:rev", () => { if (model.get("rev") !== rev) fromKernel(); });
  plotly(model).then((lib) => { P = lib; fromKernel(); });
  return () => { for (const d of Object.values(plots)) if (P) P.purge(d); if (star && P) P.purge(star); };
}

// the offline handout runs this file as an inline module and calls render itself
globalThis.painlabExplorer = {render};
export default {render};
