(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("painlab-data").textContent);
  var TYPED = {i1: Int8Array, u1: Uint8Array, i2: Int16Array, u2: Uint16Array,
               i4: Int32Array, u4: Uint32Array, f4: Float32Array, f8: Float64Array};
  function decode(a) {
    if (a._decoded) return a._decoded;
    var bin = atob(a.bdata), n = bin.length, u8 = new Uint8Array(n);
    for (var i = 0; i < n; i++) u8[i] = bin.charCodeAt(i);
    a._decoded = new TYPED[a.dtype](u8.buffer);
    return a._decoded;
  }
  function resolve(x) {  // {"$blob": n} -> the stored string, recursively; returns a copy
    if (Array.isArray(x)) return x.map(resolve);
    if (x && typeof x === "object") {
      if ("$blob" in x) return D.blobs[x.$blob];
      var o = {};
      for (var k in x) o[k] = resolve(x[k]);
      return o;
    }
    return x;
  }
  function merge(base, patch) {  // deep merge, {"$delete": true} removes a key
    for (var k in patch) {
      var v = patch[k];
      if (v && typeof v === "object" && !Array.isArray(v) && v.$delete) { delete base[k]; }
      else if (v && typeof v === "object" && !Array.isArray(v) && !("dtype" in v) &&
               base[k] && typeof base[k] === "object" && !Array.isArray(base[k])) {
        merge(base[k], v);
      } else { base[k] = v; }
    }
    return base;
  }

  var $ = function (id) { return document.getElementById(id); };
  var ctl = {kind: $("kind"), population: $("population"), intensity: $("intensity"),
             duration: $("duration"), failure: $("failure")};
  var S = {kind: D.start.kind, population: D.start.population, i: 0, t: 0, failure: false};
  var plots = {dose_map: $("fig-dose_map"), sites: $("fig-sites"), time_course: $("fig-time_course")};
  var CONFIG = {displaylogo: false, responsive: true, typesetMath: false,
                modeBarButtonsToRemove: ["sendDataToCloud"]};

  function grid() { return D.grid[S.kind]; }
  function values() { return D.values[S.kind][S.population]; }
  function point() {
    var g = grid();
    return g.offset[S.i] + (S.failure ? g.n_duration[S.i] : S.t);
  }
  function tIndex() { return S.failure ? grid().duration.length : S.t; }
  function figure(name) {  // a fresh copy of the base figure + this kind and population's patch
    var F = D.figures[name], fig = resolve(F.base), patch = resolve(F.patch[S.kind][S.population]);
    for (var i in patch.data) merge(fig.data[+i], patch.data[i]);
    merge(fig.layout, patch.layout);
    fig.data.forEach(function (t) { if (t.z && t.z.shape) t.z = rows(t.z); });
    return fig;
  }
  function rows(spec) {  // 2-D typed array -> rows, NaN -> null (a gap, e.g. an impossible hold)
    var flat = decode(spec), shape = spec.shape.split(",").map(Number), out = [];
    for (var r = 0; r < shape[0]; r++) {
      var row = new Array(shape[1]);
      for (var c = 0; c < shape[1]; c++) {
        var v = flat[r * shape[1] + c];
        row[c] = v === v ? v : null;
      }
      out.push(row);
    }
    return out;
  }
  function unfactor(f, p) {
    var g = grid(), tpl = f.templates[decode(f.template)[p]], out = "";
    for (var k = 0; k < tpl.length; k++) {
      var x = tpl[k];
      if (typeof x === "string") out += x;
      else if ("i" in x) out += f.by_i[x.i][S.i];
      else if ("t" in x) out += f.by_t[x.t][tIndex()];
      else out += g.tokens[decode(f.per_point[x.p])[p]];
    }
    return out;
  }
  function readout(p) {
    var v = values(), parts = D.readout[S.kind][S.population][D.outcomes[decode(v.outcome)[p]]];
    var out = "";
    for (var k = 0; k < parts.length; k++) {
      var x = parts[k];
      if (typeof x === "string") out += x;
      else if ("label" in x) out += unfactor(grid().label, p);
      else if ("d" in x) out += D.display[decode(v.show[x.d])[p]];
      else if ("rest" in x) out += D.display[decode(v.rest)[p]];
      else if ("slot" in x) out += D.display[decode(v.slots[x.slot])[p]];
      else out += unfactor(grid().reasons[x.reason], p);
    }
    return out;
  }
  function effects(p) {
    var v = values();
    return D.sites.map(function (s) { return decode(v.d[s])[p] * v.scale; });
  }
  function starXY() {
    var g = grid();
    return [g.intensity[S.i], S.failure ? g.endurance[S.i] : g.duration[S.t]];
  }
  function siteText(p) {
    var v = values();
    return D.sites.map(function (s) { return D.display[decode(v.show[s])[p]]; });
  }
  function decay(d0) {  // the model's documented decay: d(m) = d0 * 2^(-m / half_life)
    var m = D.figures.time_course.bind.minutes, h = D.model.half_life;
    return m.map(function (x) { return d0 * Math.pow(2, -x / h); });
  }

  function syncControls() {
    var g = grid(), unit = D.units[S.kind];
    ctl.kind.value = S.kind;
    ctl.population.value = S.population;
    var I = g.intensity, T = g.duration, n = g.n_duration[S.i];
    ctl.intensity.min = I[0]; ctl.intensity.max = I[I.length - 1];
    ctl.intensity.step = D.meta.grid_step[S.kind].intensity;
    ctl.intensity.value = I[S.i];
    ctl.duration.min = T[0]; ctl.duration.max = T[n - 1];
    ctl.duration.step = D.meta.grid_step[S.kind].duration;
    ctl.duration.value = S.failure ? T[n - 1] : T[S.t];
    ctl.duration.disabled = S.failure;
    ctl.failure.disabled = !g.failure;
    ctl.failure.checked = S.failure;
    $("failure-label").classList.toggle("disabled", !g.failure);
    $("intensity-value").textContent = I[S.i] + " " + unit;
    var mins = S.failure ? g.endurance[S.i].toFixed(1) + " min (until failure)" : T[S.t] + " min";
    $("duration-value").textContent = mins;
    ctl.intensity.setAttribute("aria-valuetext", I[S.i] + " " + unit);
    ctl.duration.setAttribute("aria-valuetext", mins);
  }

  // A slider move changes only data. The star of the current bout is drawn by a tiny static
  // plot laid exactly over the dose map's plot area (same axis ranges, no pointer events):
  // moving it does not redraw the dose surface, legend and axes. The small figures move
  // their traces with Plotly's transition path (animate, no full redraw). Kind or
  // population changes rebuild all figures with Plotly.react.
  var MOVE = {transition: {duration: 0}, frame: {duration: 0, redraw: false}, mode: "immediate"};
  var STATIC = {staticPlot: true};
  var star = $("fig-dose_map-star"), drawCount = 0, hooked = false;
  // Plotly draws a transition with the listed traces only: list them all, so none is dropped
  function frame(bind, changed, updates) {
    var data = [], traces = [];
    for (var i = 0; i < bind.traces; i++) {
      var k = changed.indexOf(i);
      data.push(k < 0 ? {} : updates[k]);
      traces.push(i);
    }
    return {data: data, traces: traces};
  }
  function placeStar() {  // align the overlay with the dose map's plot area and axis ranges
    var gd = plots.dose_map, area = gd.querySelector(".nsewdrag");
    if (!area || !star.data) return Promise.resolve();
    var a = area.getBoundingClientRect(), box = gd.parentNode.getBoundingClientRect();
    star.style.left = (a.left - box.left) + "px";
    star.style.top = (a.top - box.top) + "px";
    star.style.width = a.width + "px";
    star.style.height = a.height + "px";
    return Plotly.relayout(star, {width: a.width, height: a.height,
                                  "xaxis.range": gd.layout.xaxis.range.slice(),
                                  "yaxis.range": gd.layout.yaxis.range.slice()});
  }
  function starLayout() {
    var gd = plots.dose_map, ax = function (a) {
      return {range: a.range.slice(), type: a.type, visible: false, fixedrange: true};
    };
    return {xaxis: ax(gd.layout.xaxis), yaxis: ax(gd.layout.yaxis), showlegend: false,
            margin: {l: 0, r: 0, t: 0, b: 0, pad: 0}, width: 10, height: 10,
            paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)"};
  }
  function draw(structure) {
    var p = point(), d = effects(p), xy = starXY(), n = ++drawCount;
    var B = {dm: D.figures.dose_map.bind, s: D.figures.sites.bind, tc: D.figures.time_course.bind};
    var lines = d.map(decay), text = siteText(p), done;
    if (structure) {
      var dm = figure("dose_map"), st = figure("sites"), tc = figure("time_course");
      var marker = Object.assign({}, dm.data[B.dm.star], {x: [xy[0]], y: [xy[1]]});
      dm.data[B.dm.star].x = [null]; dm.data[B.dm.star].y = [null];  // its legend entry only
      st.data[B.s.bars].y = d; st.data[B.s.bars].text = text;
      B.tc.lines.forEach(function (i, k) { tc.data[i].y = lines[k]; });
      done = [Plotly.react(plots.dose_map, dm.data, dm.layout, CONFIG).then(function () {
                if (!hooked) {
                  hooked = true;  // zoom, pan and resizing move the plot area: follow it
                  plots.dose_map.on("plotly_afterplot", placeStar);
                  plots.dose_map.on("plotly_relayout", placeStar);
                }
                return Plotly.react(star, [marker], starLayout(), STATIC);
              }).then(placeStar),
              Plotly.react(plots.sites, st.data, st.layout, CONFIG),
              Plotly.react(plots.time_course, tc.data, tc.layout, CONFIG)];
      $("cap-dose_map").textContent = D.captions.dose_map[S.kind][S.population];
    } else {
      done = [
        Plotly.restyle(star, {x: [[xy[0]]], y: [[xy[1]]]}, [0]),
        Plotly.animate(plots.sites, frame(B.s, [B.s.bars], [{y: d, text: text}]), MOVE),
        Plotly.animate(plots.time_course,
                       frame(B.tc, B.tc.lines, lines.map(function (y) { return {y: y}; })), MOVE)];
    }
    $("readout").innerHTML = readout(p);
    // tests and benchmarks wait for this: every figure of this move has been drawn
    Promise.all(done).then(function () {
      if (n === drawCount) document.dispatchEvent(new CustomEvent("painlab:drawn", {detail: {point: p}}));
    }, function () {});
  }

  function nearest(arr, v, n) {
    var best = 0;
    for (var k = 1; k < n; k++) if (Math.abs(arr[k] - v) < Math.abs(arr[best] - v)) best = k;
    return best;
  }
  function clampDuration() { S.t = Math.min(S.t, grid().n_duration[S.i] - 1); }
  function setKind(kind) {
    var old = grid(), inten = old.intensity[S.i], mins = S.failure ? null : old.duration[S.t];
    S.kind = kind;
    var g = grid();
    if (!g.failure) S.failure = false;
    S.i = nearest(g.intensity, inten, g.intensity.length);
    S.t = mins === null ? g.n_duration[S.i] - 1 : nearest(g.duration, mins, g.n_duration[S.i]);
  }

  // controls
  D.kinds.forEach(function (k) { ctl.kind.add(new Option(D.kind_labels[k], k)); });
  D.populations.forEach(function (p) { ctl.population.add(new Option(D.population_labels[p], p)); });
  (function start() {
    var g = grid(), p = D.start.point;
    var i = 0;
    while (i + 1 < g.offset.length && g.offset[i + 1] <= p) i++;
    S.i = i;
    S.failure = D.start.to_failure && g.failure;
    S.t = S.failure ? g.n_duration[i] - 1 : p - g.offset[i];
  })();
  $("cap-sites").textContent = D.captions.sites;
  $("cap-time_course").textContent = D.captions.time_course;

  ctl.kind.addEventListener("change", function () {
    setKind(ctl.kind.value); syncControls(); draw(true);
  });
  ctl.population.addEventListener("change", function () {
    S.population = ctl.population.value; syncControls(); draw(true);
  });
  ctl.intensity.addEventListener("input", function () {
    var g = grid();
    S.i = nearest(g.intensity, +ctl.intensity.value, g.intensity.length);
    clampDuration(); syncControls(); draw(false);
  });
  ctl.duration.addEventListener("input", function () {
    var g = grid();
    S.t = nearest(g.duration, +ctl.duration.value, g.n_duration[S.i]);
    syncControls(); draw(false);
  });
  ctl.failure.addEventListener("change", function () {
    S.failure = ctl.failure.checked && grid().failure;
    if (!S.failure) S.t = grid().n_duration[S.i] - 1;
    syncControls(); draw(false);
  });

  syncControls();
  draw(true);
  window.painlab = {data: D, state: S, point: point, readout: readout};
})();
