// The offline handout: painlab's explorer front end (assets/explorer.js, inlined before
// this file) driven by a stand-in for the kernel's widget model. Where pl.explore() asks
// the kernel for the values of a new kind or population, this page takes them from the
// data it carries (<script id="painlab-data">): the same look-up tables, for every kind
// and population, and the figures as one base figure plus per-slice patches.
(function () {
  "use strict";
  const D = JSON.parse(document.getElementById("painlab-data").textContent);
  const TYPED = {i1: Int8Array, u1: Uint8Array, i2: Int16Array, u2: Uint16Array,
                 i4: Int32Array, u4: Uint32Array, f4: Float32Array, f8: Float64Array};
  function decode(a) {
    const bin = atob(a.bdata), u8 = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
    return new TYPED[a.dtype](u8.buffer);
  }
  function resolve(x) {  // {"$blob": n} -> the stored string, recursively; returns a copy
    if (Array.isArray(x)) return x.map(resolve);
    if (x && typeof x === "object") {
      if ("$blob" in x) return D.blobs[x.$blob];
      const o = {};
      for (const k in x) o[k] = resolve(x[k]);
      return o;
    }
    return x;
  }
  function merge(base, patch) {  // deep merge, {"$delete": true} removes a key
    for (const k in patch) {
      const v = patch[k];
      if (v && typeof v === "object" && !Array.isArray(v) && v.$delete) delete base[k];
      else if (v && typeof v === "object" && !Array.isArray(v) && !("dtype" in v) &&
               base[k] && typeof base[k] === "object" && !Array.isArray(base[k])) merge(base[k], v);
      else base[k] = v;
    }
    return base;
  }
  function rows(spec) {  // 2-D typed array -> rows, NaN -> null (a gap, e.g. an impossible hold)
    const flat = decode(spec), shape = spec.shape.split(",").map(Number), out = [];
    for (let r = 0; r < shape[0]; r++) {
      const row = new Array(shape[1]);
      for (let c = 0; c < shape[1]; c++) {
        const v = flat[r * shape[1] + c];
        row[c] = v === v ? v : null;
      }
      out.push(row);
    }
    return out;
  }
  function unpack(x) {  // typed arrays -> plain arrays (NaN -> null), as the figure builders gave
    if (Array.isArray(x)) return x.map(unpack);
    if (x && typeof x === "object") {
      if ("bdata" in x && "dtype" in x) {
        if (x.shape) return rows(x);
        return Array.from(decode(x), (v) => (v === v ? v : null));
      }
      for (const k in x) x[k] = unpack(x[k]);
    }
    return x;
  }
  function figure(name, kind, pop) {  // the base figure + this kind and population's patch
    const F = D.figures[name], fig = resolve(F.base), patch = resolve(F.patch[kind][pop]);
    for (const i in patch.data) merge(fig.data[+i], patch.data[i]);
    merge(fig.layout, patch.layout);
    return unpack(fig);
  }
  // one kind and population, in the shape painlab.explorer_page.page_data gives the widget
  function slice(kind, pop) {
    const cap = D.captions.dose_map[kind][pop];
    return {
      kind, population: pop, muscle: null,
      grid: {[kind]: D.grid[kind]},
      values: {[kind]: {[pop]: D.values[kind][pop]}},
      readout: {[kind]: {[pop]: D.readout[kind][pop]}},
      display: D.display,
      extra: null,  // the handout redraws values, not ranges: the range is in its readout
      model: {half_life: D.model.half_life, threshold: D.model.threshold},
      figures: Object.fromEntries(["dose_map", "sites", "time_course"].map(
        (n) => [n, figure(n, kind, pop)])),
      texts: {figure_text: [cap, cap],
              captions: {sites: D.captions.sites, time_course: D.captions.time_course}},
    };
  }

  const g0 = D.grid[D.start.kind], p0 = D.start.point;
  let i0 = 0;
  while (i0 + 1 < g0.offset.length && g0.offset[i0 + 1] <= p0) i0++;
  const failure = D.start.to_failure && g0.failure;
  const state = {
    kind: D.start.kind, population: D.start.population, muscle: "grip",
    intensity: g0.intensity[i0],
    duration: failure ? g0.endurance[i0] : g0.duration[p0 - g0.offset[i0]],
    to_failure: failure, rev: 1, scale: 1,
    data: slice(D.start.kind, D.start.population),
    options: {
      ids: true,
      kinds: D.kinds.map((k) => [D.kind_labels[k], k]),
      populations: D.populations.map((p) => [D.population_labels[p], p]),
      muscles: [],  // the handout's holds are handgrip
      units: D.units, steps: D.meta.grid_step, tooltips: {}, mechanism_labels: [],
      site_labels: D.site_labels, labels: D.control_labels,
    },
  };
  const handlers = {}, pending = {};
  const model = {  // the part of anywidget's model interface explorer.js uses
    get: (k) => state[k],
    set: (k, v) => { pending[k] = v; },
    save_changes() {
      const structure = ("kind" in pending && pending.kind !== state.kind) ||
                        ("population" in pending && pending.population !== state.population);
      Object.assign(state, pending);
      for (const k in pending) delete pending[k];
      if (!structure) return;
      if (!D.grid[state.kind].failure) state.to_failure = false;
      state.data = slice(state.kind, state.population);
      state.rev += 1;
      (handlers["change:rev"] || []).forEach((cb) => cb());
    },
    on: (event, cb) => { (handlers[event] = handlers[event] || []).push(cb); },
    off: (event, cb) => { handlers[event] = (handlers[event] || []).filter((f) => f !== cb); },
    send: () => {},
  };
  globalThis.painlabExplorer.render({model, el: document.getElementById("explorer")});
  window.painlab = {data: D, state};
})();
