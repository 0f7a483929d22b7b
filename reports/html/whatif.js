// The what-if panel of report.html: the formulas of report.xlsx's What-if
// and Draws sheets over the same inputs and draws (see whatifpanel.go).
(function () {
"use strict";
var dataEl = document.getElementById("whatif-data");
var panel = document.getElementById("whatif");
if (!dataEl || !panel) { return; }
var D = JSON.parse(dataEl.textContent);
var MINUS = "\u2212\u2060"; // a minus sign that no line break follows

// The draws: little-endian float64s, column after column.
var bin = atob(D.draws), dv = new DataView(new ArrayBuffer(bin.length));
for (var i = 0; i < bin.length; i++) { dv.setUint8(i, bin.charCodeAt(i)); }
function column(at) {
  var v = new Float64Array(D.n);
  for (var d = 0; d < D.n; d++) { v[d] = dv.getFloat64(8 * (at + d), true); }
  return v;
}
var cols = {};
D.cols.forEach(function (c) { cols[c.key] = { run: c.run, frac: !!c.frac, vals: c.at >= 0 ? column(c.at) : null }; });

// The central values now (edited by the sliders) and the toggles.
var orig = JSON.stringify({ s: [D.daily, D.recovery, D.deaths, D.qalys, D.kfull], t: D.threats, c: D.controls });
var cen, tog;
function reset() {
  var o = JSON.parse(orig);
  cen = { daily: o.s[0], recovery: o.s[1], deaths: o.s[2], qalys: o.s[3], kfull: o.s[4], t: o.t, c: o.c };
  tog = D.controls.map(function (c) { return c.rec; });
}
function ref(key) { // [object, field] of a central value
  var p = key.split(".");
  if (p.length === 1) { return [cen, key]; }
  if (p[0] === "t") { return [cen.t[+p[1]], +p[2]]; }
  if (p[0] === "c") { return [cen.c[+p[1]].costs, +p[2]]; }
  return [cen.c[+p[1]].effects[+p[2]], 1 + +p[3]];
}
function get(key) {
  if (key === "hqv") { return cen.deaths * cen.qalys * D.value; }
  var r = ref(key);
  return r[0][r[1]];
}
function set(key, v) { var r = ref(key); r[0][r[1]] = v; }

// Φ, by erfc as Go's math package computes it (FreeBSD's s_erf.c).
var hi32 = new DataView(new ArrayBuffer(8));
function erfc(x) {
  if (isNaN(x)) { return NaN; }
  if (x === Infinity) { return 0; }
  if (x === -Infinity) { return 2; }
  var erx = 8.45062911510467529297e-01, sign = false;
  if (x < 0) { x = -x; sign = true; }
  if (x < 0.84375) {
    var temp;
    if (x < 1 / 72057594037927936) { temp = x; } else {
      var z = x * x;
      var r = 1.28379167095512558561e-01 + z * (-3.25042107247001499370e-01 + z * (-2.84817495755985104766e-02 + z * (-5.77027029648944159157e-03 + z * -2.37630166566501626084e-05)));
      var s = 1 + z * (3.97917223959155352819e-01 + z * (6.50222499887672944485e-02 + z * (5.08130628187576562776e-03 + z * (1.32494738004321644526e-04 + z * -3.96022827877536812320e-06))));
      var y = r / s;
      temp = x < 0.25 ? x + x * y : 0.5 + (x * y + (x - 0.5));
    }
    return sign ? 1 + temp : 1 - temp;
  }
  if (x < 1.25) {
    var s1 = x - 1;
    var P = -2.36211856075265944077e-03 + s1 * (4.14856118683748331666e-01 + s1 * (-3.72207876035701323847e-01 + s1 * (3.18346619901161753674e-01 + s1 * (-1.10894694282396677476e-01 + s1 * (3.54783043256182359371e-02 + s1 * -2.16637559486879084300e-03)))));
    var Q = 1 + s1 * (1.06420880400844228286e-01 + s1 * (5.40397917702171048937e-01 + s1 * (7.18286544141962662868e-02 + s1 * (1.26171219808761642112e-01 + s1 * (1.36370839120290507362e-02 + s1 * 1.19844998467991074170e-02)))));
    return sign ? 1 + erx + P / Q : 1 - erx - P / Q;
  }
  if (x < 28) {
    var s2 = 1 / (x * x), R, S;
    if (x < 1 / 0.35) {
      R = -9.86494403484714822705e-03 + s2 * (-6.93858572707181764372e-01 + s2 * (-1.05586262253232909814e+01 + s2 * (-6.23753324503260060396e+01 + s2 * (-1.62396669462573470355e+02 + s2 * (-1.84605092906711035994e+02 + s2 * (-8.12874355063065934246e+01 + s2 * -9.81432934416914548592e+00))))));
      S = 1 + s2 * (1.96512716674392571292e+01 + s2 * (1.37657754143519042600e+02 + s2 * (4.34565877475229228821e+02 + s2 * (6.45387271733267880336e+02 + s2 * (4.29008140027567833386e+02 + s2 * (1.08635005541779435134e+02 + s2 * (6.57024977031928170135e+00 + s2 * -6.04244152148580987438e-02)))))));
    } else {
      if (sign && x > 6) { return 2; }
      R = -9.86494292470009928597e-03 + s2 * (-7.99283237680523006574e-01 + s2 * (-1.77579549177547519889e+01 + s2 * (-1.60636384855821916062e+02 + s2 * (-6.37566443368389627722e+02 + s2 * (-1.02509513161107724954e+03 + s2 * -4.83519191608651397019e+02)))));
      S = 1 + s2 * (3.03380607434824582924e+01 + s2 * (3.25792512996573918826e+02 + s2 * (1.53672958608443695994e+03 + s2 * (3.19985821950859553908e+03 + s2 * (2.55305040643316442583e+03 + s2 * (4.74528541206955367215e+02 + s2 * -2.24409524465858183362e+01))))));
    }
    hi32.setFloat64(0, x);
    hi32.setUint32(4, 0); // big-endian: the low 32 bits
    var zz = hi32.getFloat64(0);
    var rr = Math.exp(-zz * zz - 0.5625) * Math.exp((zz - x) * (zz + x) + R / S);
    return sign ? 2 - rr / x : rr / x;
  }
  return sign ? 2 : 0;
}
function Phi(x) { return 0.5 * erfc(-x / Math.SQRT2); }

// E[min(X, c)] for X lognormal with mean m and log-sd sd.
function capped(m, sd, c) {
  if (sd === 0) { return Math.min(m, c); }
  var mu = Math.log(m) - sd * sd / 2;
  return m * Phi((Math.log(c) - mu - sd * sd) / sd) + c * (1 - Phi((Math.log(c) - mu) / sd));
}
// The full-outage share E[min(k_d/k_full, 1)] of threat th.
function share(th) {
  var kd = th[5];
  if (kd === 0) { return 0; }
  var m = Math.log(kd) - th[6] * th[6] / 2 - (Math.log(cen.kfull) - D.kfullsd * D.kfullsd / 2);
  var s = Math.sqrt(th[6] * th[6] + D.kfullsd * D.kfullsd);
  if (s === 0) { return Math.min(Math.exp(m), 1); }
  return Math.exp(m + s * s / 2) * Phi((-m - s * s) / s) + 1 - Phi(-m / s);
}
// Whether the optimism-bias uplift applies to capex and to opex.
function applies(c) {
  var p = c.project, capex = c.costs[0];
  if (p === "outsourcing") { return [0, 1]; }
  if (p === "equipment") { return capex === 0 ? [0, 1] : [1, 0]; }
  return [1, 1];
}

// The What-if sheet's closed form for the set of flags f.
function closedForm(f) {
  var base = 0, ale = 0, baseDays = 0, days = 0;
  cen.t.forEach(function (th, t) {
    var ms = [1, 1, 1, 1];
    cen.c.forEach(function (c, ci) {
      c.effects.forEach(function (e) {
        if (e[0] !== t) { return; }
        for (var k = 0; k < 4; k++) { ms[k] *= 1 - f[ci] * e[1 + k]; }
      });
    });
    var es = capped(th[1], th[2], D.orgs);
    ale += th[0] * ms[0] * (es * ms[1] * (th[3] * ms[2] * th[5] * cen.daily + th[7] * cen.recovery) + th[4] * ms[3]);
    base += th[0] * (es * (th[3] * th[5] * cen.daily + th[7] * cen.recovery) + th[4]);
    if (D.harm) {
      var sh = share(th);
      days += th[0] * ms[0] * es * ms[1] * th[3] * ms[2] * sh;
      baseDays += th[0] * es * th[3] * sh;
    }
  });
  var pvc = 0;
  cen.c.forEach(function (c, ci) {
    var a = applies(c);
    pvc += f[ci] * (c.costs[0] * (1 + c.costs[2] * a[0]) * c.cpv + c.costs[1] * (1 + c.costs[2] * a[1]) * D.A);
  });
  var dale = base - ale, pvb = dale * D.A, npv = pvb - pvc, out = { npv: npv, deaths: 0, baseDeaths: 0 };
  if (D.harm) {
    var dharm = (baseDays - days) * cen.deaths * cen.qalys * D.value;
    out.deaths = days * cen.deaths;
    out.baseDeaths = baseDays * cen.deaths;
    if (D.view === "social") { out.npv = pvb + dharm * D.Ah - pvc; }
  }
  return out;
}

// The Draws sheet: each draw's expected NPV for the set of flags f, an
// edited central value moving its input's draws in proportion.
function draws(f) {
  // Each input's source: its column's draws scaled, or its central value.
  function source(key) {
    var c = cols[key], now = get(key);
    if (!c) { return { vals: null, mul: 0, off: 0, frac: false, now: now }; }
    return { vals: c.vals, mul: c.run === 0 ? 0 : now / c.run, off: c.run === 0 ? now : 0, frac: c.frac, now: now };
  }
  function at(s, d) {
    var v = s.vals ? s.vals[d] * s.mul + s.off : s.now;
    return s.frac ? Math.min(1, v) : v;
  }
  var T = cen.t.length, C = cen.c.length;
  var daily = source("daily"), recovery = source("recovery"), kfull = source("kfull"), hqv = source("hqv");
  var thr = cen.t.map(function (th, t) {
    var effs = [];
    cen.c.forEach(function (c, ci) {
      c.effects.forEach(function (e, j) {
        if (e[0] === t) {
          effs.push({ on: f[ci], r: [0, 1, 2, 3].map(function (k) { return source("e." + ci + "." + j + "." + k); }) });
        }
      });
    });
    return { lam: source("t." + t + ".0"), kd: source("t." + t + ".5"), kr: source("t." + t + ".7"),
      es: capped(th[1], th[2], D.orgs), ed: th[3], ef: th[4], effs: effs };
  });
  var ctl = cen.c.map(function (c, ci) {
    return { on: f[ci], capex: source("c." + ci + ".0"), opex: source("c." + ci + ".1"), up: source("c." + ci + ".2"), a: applies(c), cpv: c.cpv };
  });
  var social = D.harm && D.view === "social";
  var npvs = new Float64Array(D.n), ms = [0, 0, 0, 0];
  for (var d = 0; d < D.n; d++) {
    var dale = 0, days = 0, cd = at(daily, d), cr = at(recovery, d);
    for (var t = 0; t < T; t++) {
      var h = thr[t];
      for (var k = 0; k < 4; k++) {
        var m = 1;
        for (var j = 0; j < h.effs.length; j++) {
          var x = 1 - h.effs[j].on * at(h.effs[j].r[k], d);
          m = j === 0 ? x : m * x;
        }
        ms[k] = m;
      }
      var lam = at(h.lam, d), kd = at(h.kd, d), kr = at(h.kr, d), e = h.es, ed = h.ed, ef = h.ef;
      dale += lam * ((e * ed * kd * cd + e * kr * cr + ef) - ms[0] * (e * ed * ms[1] * ms[2] * kd * cd + e * ms[1] * kr * cr + ef * ms[3]));
      if (D.harm) {
        days += lam * e * ed * Math.min(kd / at(kfull, d), 1) * (1 - ms[0] * ms[1] * ms[2]);
      }
    }
    var pvc = 0;
    for (var c = 0; c < C; c++) {
      var q = ctl[c], up = at(q.up, d);
      pvc += q.on * (at(q.capex, d) * (1 + up * q.a[0]) * q.cpv + at(q.opex, d) * (1 + up * q.a[1]) * D.A);
    }
    var money = dale * D.A - pvc;
    npvs[d] = social ? money + days * at(hqv, d) * D.Ah : money;
  }
  var sorted = Float64Array.from(npvs).sort(), pos = 0;
  for (var i = 0; i < D.n; i++) { if (npvs[i] > 0) { pos++; } }
  return { lo: sorted[D.lo - 1], hi: sorted[D.hi - 1], p: pos / D.n };
}

// Numbers written as the page writes them (reports/format).
function roundSig(x, n) {
  if (x === 0 || !isFinite(x)) { return x; }
  var s = Math.abs(x).toExponential(), i = s.indexOf("e");
  var digits = s.slice(0, i).replace(".", "");
  if (digits.length <= n) { return x; }
  var v = parseInt(digits.slice(0, n), 10);
  if (digits.charCodeAt(n) >= 53) { v++; }
  var r = parseFloat(v + "e" + (parseInt(s.slice(i + 1), 10) - (n - 1)));
  return x < 0 ? -r : r;
}
function sci(x, prec) {
  var s = prec < 0 ? x.toExponential() : x.toExponential(prec);
  return s.replace(/e([+-])(\d)$/, "e$10$2").replace("e+", "e").replace(/-/g, MINUS);
}
function fixed(x, prec) {
  if (isNaN(x)) { return "n/a"; }
  if (x === Infinity) { return "∞"; }
  if (x === -Infinity) { return MINUS + "∞"; }
  var s = Math.abs(x) >= 1e15 ? x.toExponential(2).replace("e+", "e") : prec < 0 ? String(x) : x.toFixed(prec);
  if (s.charAt(0) === "-") { return /^[0.]*$/.test(s.slice(1)) ? s.slice(1) : MINUS + s.slice(1); }
  return s;
}
var scales = [["tn", 1e12], ["bn", 1e9], ["m", 1e6], ["k", 1e3], ["", 1]];
function money(x) {
  if (isNaN(x)) { return "n/a"; }
  if (!isFinite(x)) { return x > 0 ? "∞" : MINUS + "∞"; }
  var sign = "";
  if (x < 0) { sign = MINUS; x = -x; }
  var r = roundSig(x, 3);
  if (r === 0 || r < 0.5) { return D.cur + "0"; }
  if (r >= 999.5e12) { return sign + D.cur + sci(r, 2); }
  var sc = scales[scales.length - 1];
  for (var i = 0; i < scales.length; i++) { if (r >= scales[i][1]) { sc = scales[i]; break; } }
  var v = roundSig(r / sc[1], 3);
  if (sc[1] === 1) { return sign + D.cur + Math.round(v).toFixed(0); }
  return sign + D.cur + v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2) + sc[0];
}
function percent(x) {
  if (!isFinite(x)) { return fixed(x, 0); }
  return Math.abs(x) >= 10 ? fixed(100 * x, 0) + "%" : fixed(100 * x, 1) + "%";
}
function number(x) {
  var v = roundSig(x, 3);
  if (v !== 0 && isFinite(v) && (Math.abs(v) < 1e-4 || Math.abs(v) >= 1e15)) { return sci(v, -1); }
  return fixed(v, -1);
}
function value(x, unit) { return unit === "money" ? money(x) : unit === "share" ? percent(x) : number(x); }

function show(id, text, v) {
  var el = document.getElementById(id);
  if (!el) { return; }
  el.textContent = text;
  if (v !== undefined) { el.setAttribute("data-v", String(v)); }
}
var rec = D.controls.map(function (c) { return c.rec; });
function update() {
  var t = closedForm(tog), r = closedForm(rec), u = draws(tog);
  var ids = D.controls.filter(function (c, i) { return tog[i] === 1; }).map(function (c) { return c.id; });
  show("wi-set", ids.length ? ids.join(" + ") : "none");
  show("wi-npv", money(t.npv), t.npv);
  show("wi-rec", money(r.npv), r.npv);
  var by = t.npv - r.npv;
  show("wi-beats", by > 0 ? "yes, by " + money(by) : by === 0 ? "no: the same expected NPV" : "no, it falls short by " + money(-by), by);
  show("wi-int", money(u.lo) + " to " + money(u.hi));
  var iv = document.getElementById("wi-int");
  iv.setAttribute("data-lo", String(u.lo));
  iv.setAttribute("data-hi", String(u.hi));
  show("wi-p", percent(u.p), u.p);
  if (D.harm) {
    show("wi-deaths", number(t.deaths), t.deaths);
    show("wi-basedeaths", number(t.baseDeaths), t.baseDeaths);
  }
}

// The controls appear only with scripting.
var boxes = panel.querySelectorAll("input[data-control]");
var sliders = panel.querySelectorAll("input[data-slider]");
function sync() {
  boxes.forEach(function (b) { b.checked = tog[+b.getAttribute("data-control")] === 1; });
  sliders.forEach(function (s) {
    var i = +s.getAttribute("data-slider"), v = get(D.sliders[i]);
    s.value = String(v);
    show("wi-slider-" + i, value(v, D.units[i]));
  });
}
boxes.forEach(function (b) {
  b.addEventListener("change", function () { tog[+b.getAttribute("data-control")] = b.checked ? 1 : 0; update(); });
});
sliders.forEach(function (s) {
  s.addEventListener("input", function () {
    var i = +s.getAttribute("data-slider"), v = parseFloat(s.value);
    set(D.sliders[i], v);
    show("wi-slider-" + i, value(v, D.units[i]));
    update();
  });
});
var again = document.getElementById("wi-reset");
if (again) { again.addEventListener("click", function () { reset(); sync(); update(); }); }
reset();
update();
panel.querySelectorAll("[data-live]").forEach(function (el) { el.hidden = false; });
panel.setAttribute("data-ready", "1");
})();
