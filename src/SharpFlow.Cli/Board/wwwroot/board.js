// sharpflow board: the page over the JSON endpoints of BoardServer (no libraries; SVG drawn by hand).
'use strict';

const COLORS = ['#ff7043', '#0077bb', '#009988', '#ee3377', '#33bbee', '#cc3311', '#bbbbbb', '#aa4499', '#4477aa', '#66ccee'];
const state = {
  tab: 'scalars',
  runs: [],
  selected: new Map(),   // run name -> shown
  colors: new Map(),     // run name -> color
  smoothing: 0.6,
  xaxis: 'step',
  imageIndex: new Map(), // run|tag -> index (absent: the latest)
  graphRun: null,
  graphTag: '',
  expanded: new Set(),
  selectedNode: null,
  graph: null,
  busy: false,
};

const $ = (selector, root = document) => root.querySelector(selector);
const esc = s => String(s).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const q = params => Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');

async function getJson(url) {
  const response = await fetch(url, { cache: 'no-store' });
  const body = await response.json();
  if (!response.ok) throw new Error(body && body.error ? body.error : `${url}: HTTP ${response.status}`);
  return body;
}

function fmt(v) {
  if (!isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
  return String(parseFloat(v.toPrecision(4)));
}

function fmtDuration(seconds) {
  const a = Math.abs(seconds);
  if (a < 120) return `${fmt(seconds)}s`;
  if (a < 7200) return `${fmt(seconds / 60)}m`;
  return `${fmt(seconds / 3600)}h`;
}

function fmtClock(seconds) {
  const d = new Date(seconds * 1000);
  return d.toTimeString().slice(0, 8);
}

function ticks(lo, hi, n) {
  if (!(hi > lo)) { lo -= 1; hi += 1; }
  let step = Math.pow(10, Math.floor(Math.log10((hi - lo) / n)));
  const err = n / (hi - lo) * step;
  if (err <= 0.15) step *= 10; else if (err <= 0.35) step *= 5; else if (err <= 0.75) step *= 2;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

// TensorBoard's smoothing: an exponential moving average, debiased like Adam's moments (a constant series is kept).
function smooth(values, weight) {
  if (values.length === 0) return [];
  if (weight <= 0 || values.every(v => v === values[0])) return values.slice();
  let last = 0, count = 0;
  return values.map(v => {
    if (!isFinite(v)) return v;
    last = last * weight + (1 - weight) * v;
    count++;
    const debias = weight === 1 ? 1 : 1 - Math.pow(weight, count);
    return last / debias;
  });
}

function shownRuns() {
  return state.runs.filter(r => state.selected.get(r.name));
}

function colorOf(run) {
  if (!state.colors.has(run)) state.colors.set(run, COLORS[state.colors.size % COLORS.length]);
  return state.colors.get(run);
}

// ---------------------------------------------------------------------------------------------------------------
// Runs, errors and refresh.

async function loadRuns() {
  const body = await getJson('/api/runs');
  $('#logdir').textContent = body.logdir;
  state.runs = body.runs;
  for (const r of body.runs) {
    if (!state.selected.has(r.name)) state.selected.set(r.name, true);
    colorOf(r.name);
  }
  const errors = [];
  if (body.error) errors.push(body.error);
  for (const r of body.runs) for (const e of r.errors) errors.push(`run ${r.name}: ${e}`);
  $('#errors').innerHTML = errors.map(e => `<div class="error">${esc(e)}</div>`).join('');
  renderRunList();
}

function renderRunList() {
  const box = $('#runs');
  if (state.runs.length === 0) { box.innerHTML = '<div class="muted">no event files yet</div>'; return; }
  box.innerHTML = state.runs.map(r => `<label><input type="checkbox" data-run="${esc(r.name)}" ${state.selected.get(r.name) ? 'checked' : ''}>` +
    `<span class="swatch" style="background:${colorOf(r.name)}"></span>${esc(r.name)}${r.errors.length ? ' <span title="error">&#9888;</span>' : ''}</label>`).join('');
  for (const input of box.querySelectorAll('input')) {
    input.addEventListener('change', () => { state.selected.set(input.dataset.run, input.checked); render(); });
  }
}

async function refresh() {
  if (state.busy) return;
  state.busy = true;
  try {
    await loadRuns();
    await render();
  } catch (e) {
    $('#errors').innerHTML = `<div class="error">${esc(e.message)}</div>`;
  } finally {
    state.busy = false;
  }
}

async function render() {
  const content = $('#content');
  $('#scalar-options').hidden = state.tab !== 'scalars';
  const view = { scalars: renderScalars, histograms: renderHistograms, images: renderImages, text: renderText, graph: renderGraph }[state.tab];
  const node = document.createElement('div');
  try {
    await view(node);
  } catch (e) {
    node.innerHTML = `<div class="error">${esc(e.message)}</div>`;
  }
  content.replaceChildren(...node.childNodes);
  document.body.dataset.rendered = state.tab;
}

function tagsOf(kind, runs) {
  const tags = new Set();
  for (const r of runs) for (const t of r.tags[kind]) tags.add(t);
  return [...tags].sort();
}

function empty(node, text) {
  node.innerHTML = `<div class="empty">${esc(text)}</div>`;
}

// ---------------------------------------------------------------------------------------------------------------
// Scalars: one chart per tag, the shown runs overlaid.

async function renderScalars(node) {
  const runs = shownRuns();
  const tags = tagsOf('scalars', runs);
  if (tags.length === 0) return empty(node, 'No scalar data (tf.summary.scalar) in the shown runs.');
  const jobs = [];
  for (const tag of tags) for (const r of runs) if (r.tags.scalars.includes(tag)) {
    jobs.push(getJson(`/api/scalars?${q({ run: r.name, tag })}`).then(points => ({ tag, run: r.name, points })));
  }
  const series = await Promise.all(jobs);
  const cards = document.createElement('div');
  cards.className = 'cards';
  for (const tag of tags) {
    const card = document.createElement('div');
    card.className = 'card scalar-card';
    card.dataset.tag = tag;
    const mine = series.filter(s => s.tag === tag);
    card.innerHTML = `<h4>${esc(tag)}</h4>` + lineChart(tag, mine) +
      `<div class="legend">${mine.map(s => `<span><span class="swatch" style="background:${colorOf(s.run)}"></span>${esc(s.run)}</span>`).join('')}</div>`;
    attachTooltip(card.querySelector('svg'), mine);
    cards.appendChild(card);
  }
  node.appendChild(cards);
}

function xOf(p, first) {
  if (state.xaxis === 'relative') return p.wallTime - first;
  if (state.xaxis === 'wall') return p.wallTime;
  return p.step;
}

function xLabel(v) {
  if (state.xaxis === 'relative') return fmtDuration(v);
  if (state.xaxis === 'wall') return fmtClock(v);
  return fmt(v);
}

const CHART = { w: 460, h: 250, l: 58, r: 14, t: 10, b: 28 };

function lineChart(tag, series) {
  const { w, h, l, r, t, b } = CHART;
  let xlo = Infinity, xhi = -Infinity, ylo = Infinity, yhi = -Infinity;
  for (const s of series) {
    const values = s.points.map(p => Number(p.value));
    s.first = s.points.length ? s.points[0].wallTime : 0;
    s.xs = s.points.map(p => xOf(p, s.first));
    s.raw = values;
    s.smoothed = smooth(values, state.smoothing);
    for (const x of s.xs) { xlo = Math.min(xlo, x); xhi = Math.max(xhi, x); }
    for (const v of values.concat(s.smoothed)) if (isFinite(v)) { ylo = Math.min(ylo, v); yhi = Math.max(yhi, v); }
  }
  if (!isFinite(xlo)) { xlo = 0; xhi = 1; }
  if (!isFinite(ylo)) { ylo = 0; yhi = 1; }
  if (xhi === xlo) { xlo -= 1; xhi += 1; }
  if (yhi === ylo) { const d = Math.abs(ylo) * 0.1 || 1; ylo -= d; yhi += d; }
  const pad = (yhi - ylo) * 0.05;
  ylo -= pad; yhi += pad;
  const X = x => l + (x - xlo) / (xhi - xlo) * (w - l - r);
  const Y = y => t + (1 - (y - ylo) / (yhi - ylo)) * (h - t - b);
  let svg = `<svg class="chart" data-tag="${esc(tag)}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`;
  for (const v of ticks(ylo, yhi, 5)) svg += `<line class="grid" x1="${l}" x2="${w - r}" y1="${Y(v)}" y2="${Y(v)}"/><text x="${l - 4}" y="${Y(v) + 3}" text-anchor="end">${esc(fmt(v))}</text>`;
  for (const v of ticks(xlo, xhi, 5)) svg += `<line class="grid" y1="${t}" y2="${h - b}" x1="${X(v)}" x2="${X(v)}"/><text x="${X(v)}" y="${h - b + 14}" text-anchor="middle">${esc(xLabel(v))}</text>`;
  svg += `<line class="axis" x1="${l}" x2="${w - r}" y1="${h - b}" y2="${h - b}"/><line class="axis" x1="${l}" x2="${l}" y1="${t}" y2="${h - b}"/>`;
  const path = (xs, ys) => {
    let d = '', pen = false;
    for (let i = 0; i < xs.length; i++) {
      if (!isFinite(ys[i])) { pen = false; continue; }
      d += `${pen ? 'L' : 'M'}${X(xs[i]).toFixed(2)},${Y(ys[i]).toFixed(2)}`;
      pen = true;
    }
    return d || 'M0,0';
  };
  for (const s of series) {
    const color = colorOf(s.run);
    if (state.smoothing > 0) svg += `<path class="raw" data-run="${esc(s.run)}" stroke="${color}" d="${path(s.xs, s.raw)}"/>`;
    svg += `<path class="line" data-run="${esc(s.run)}" stroke="${color}" d="${path(s.xs, s.smoothed)}"/>`;
    // A lone value (a run's one validation result) is a dot: a path through one point draws nothing.
    const finite = s.smoothed.map((v, i) => [s.xs[i], v]).filter(p => isFinite(p[1]));
    if (finite.length === 1) svg += `<circle class="dot" data-run="${esc(s.run)}" cx="${X(finite[0][0])}" cy="${Y(finite[0][1])}" r="3.5" fill="${color}"/>`;
  }
  svg += `<line class="hover" y1="${t}" y2="${h - b}" x1="-10" x2="-10"/></svg>`;
  series.scale = { X, xlo, xhi };
  return svg;
}

function attachTooltip(svg, series) {
  const tip = $('#tooltip');
  const { X, xlo, xhi } = series.scale;
  const { l, r, w } = CHART;
  svg.addEventListener('mousemove', event => {
    const box = svg.getBoundingClientRect();
    const px = (event.clientX - box.left) * w / box.width;
    const x = xlo + (px - l) / (w - l - r) * (xhi - xlo);
    const rows = [];
    let at = null;
    for (const s of series) {
      if (s.xs.length === 0) continue;
      let best = 0;
      for (let i = 1; i < s.xs.length; i++) if (Math.abs(s.xs[i] - x) < Math.abs(s.xs[best] - x)) best = i;
      at = at ?? s.xs[best];
      rows.push(`<tr><td><span class="swatch" style="background:${colorOf(s.run)}"></span></td><td>${esc(s.run)}</td>` +
        `<td>step ${s.points[best].step}</td><td>${fmt(s.smoothed[best])}</td><td>(${fmt(s.raw[best])})</td></tr>`);
    }
    if (at === null) return;
    const hover = svg.querySelector('.hover');
    hover.setAttribute('x1', X(at));
    hover.setAttribute('x2', X(at));
    tip.innerHTML = `<table>${rows.join('')}</table>`;
    tip.style.left = `${event.clientX + 14}px`;
    tip.style.top = `${event.clientY + 10}px`;
    tip.hidden = false;
  });
  svg.addEventListener('mouseleave', () => { tip.hidden = true; });
}

// ---------------------------------------------------------------------------------------------------------------
// Histograms: TensorBoard's offset view, one filled polyline per step, later steps lower and in front.

function rebin(h, lo, hi, bins) {
  const counts = new Array(bins).fill(0);
  const width = (hi - lo) / bins;
  let left = h.min;
  for (let i = 0; i < h.limits.length; i++) {
    const count = Number(h.counts[i]);
    const a = Math.max(left, h.min), z = Math.min(Number(h.limits[i]), h.max);
    left = Number(h.limits[i]);
    if (count <= 0) continue;
    if (z <= a) {
      const k = Math.min(bins - 1, Math.max(0, Math.floor((a - lo) / width)));
      counts[k] += count;
      continue;
    }
    for (let k = 0; k < bins; k++) {
      const bl = lo + k * width, br = bl + width;
      const overlap = Math.min(z, br) - Math.max(a, bl);
      if (overlap > 0) counts[k] += count * overlap / (z - a);
    }
  }
  return counts;
}

async function renderHistograms(node) {
  const runs = shownRuns();
  const jobs = [];
  for (const r of runs) for (const tag of r.tags.histograms) {
    jobs.push(getJson(`/api/histograms?${q({ run: r.name, tag })}`).then(steps => ({ tag, run: r.name, steps })));
  }
  if (jobs.length === 0) return empty(node, 'No histogram data (tf.summary.histogram) in the shown runs.');
  const all = await Promise.all(jobs);
  const cards = document.createElement('div');
  cards.className = 'cards';
  for (const s of all.sort((a, b) => a.tag.localeCompare(b.tag) || a.run.localeCompare(b.run))) {
    const card = document.createElement('div');
    card.className = 'card histogram-card';
    card.dataset.tag = s.tag;
    card.dataset.run = s.run;
    card.innerHTML = `<h4>${esc(s.tag)}</h4><div class="sub"><span class="swatch" style="background:${colorOf(s.run)}"></span> ${esc(s.run)}, ${s.steps.length} steps</div>` + histogramChart(s);
    cards.appendChild(card);
  }
  node.appendChild(cards);
}

function histogramChart(s) {
  const w = 460, h = 300, l = 14, r = 58, t = 10, b = 26, bins = 30;
  let steps = s.steps.filter(p => p.num > 0);
  if (steps.length > 60) steps = steps.filter((_, i) => i % Math.ceil(steps.length / 60) === 0 || i === steps.length - 1);
  let lo = Math.min(...steps.map(p => p.min)), hi = Math.max(...steps.map(p => p.max));
  if (!isFinite(lo)) { lo = 0; hi = 1; }
  if (hi === lo) { lo -= 0.5; hi += 0.5; }
  const rows = steps.map(p => rebin(p, lo, hi, bins));
  const peak = Math.max(1e-12, ...rows.flat());
  const depth = steps.length > 1 ? (h - t - b) * 0.6 : 0;
  const ridge = h - t - b - depth;
  const X = v => l + (v - lo) / (hi - lo) * (w - l - r);
  const color = colorOf(s.run);
  let svg = `<svg class="histogram" data-tag="${esc(s.tag)}" data-run="${esc(s.run)}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`;
  for (const v of ticks(lo, hi, 5)) svg += `<text x="${X(v)}" y="${h - 8}" text-anchor="middle">${esc(fmt(v))}</text>`;
  steps.forEach((p, i) => {
    const base = t + ridge + (steps.length > 1 ? depth * i / (steps.length - 1) : 0);
    let d = `M${X(lo).toFixed(2)},${base.toFixed(2)}`;
    rows[i].forEach((c, k) => { d += `L${X(lo + (k + 0.5) * (hi - lo) / bins).toFixed(2)},${(base - c / peak * ridge).toFixed(2)}`; });
    d += `L${X(hi).toFixed(2)},${base.toFixed(2)}Z`;
    const shade = steps.length > 1 ? 0.35 + 0.65 * i / (steps.length - 1) : 1;
    svg += `<path class="hist-line" data-step="${p.step}" d="${d}" fill="white" stroke="${color}" stroke-opacity="${shade.toFixed(2)}"/>`;
    if (i === 0 || i === steps.length - 1) svg += `<text x="${w - r + 4}" y="${base + 3}">step ${p.step}</text>`;
  });
  return svg + '</svg>';
}

// ---------------------------------------------------------------------------------------------------------------
// Images: per run and tag, a step slider (the latest step until moved).

async function renderImages(node) {
  const runs = shownRuns();
  const jobs = [];
  for (const r of runs) for (const tag of r.tags.images) {
    jobs.push(getJson(`/api/images?${q({ run: r.name, tag })}`).then(steps => ({ tag, run: r.name, steps })));
  }
  if (jobs.length === 0) return empty(node, 'No image data (tf.summary.image) in the shown runs.');
  const all = await Promise.all(jobs);
  const cards = document.createElement('div');
  cards.className = 'cards';
  for (const s of all) {
    if (s.steps.length === 0) continue;
    const key = `${s.run}|${s.tag}`;
    const card = document.createElement('div');
    card.className = 'card image-card';
    card.dataset.tag = s.tag;
    card.dataset.run = s.run;
    const show = () => {
      const index = Math.min(state.imageIndex.get(key) ?? s.steps.length - 1, s.steps.length - 1);
      const p = s.steps[index];
      card.querySelector('.sub').textContent = `${s.run}, step ${p.step} (${index + 1} of ${s.steps.length}), ${p.width}×${p.height}`;
      const img = card.querySelector('img');
      img.src = `/api/image?${q({ run: s.run, tag: s.tag, index: p.index })}`;
      img.width = Math.max(96, Math.min(480, p.width * (p.width < 96 ? 4 : 1)));
      card.querySelector('input').value = index;
    };
    card.innerHTML = `<h4>${esc(s.tag)}</h4><div class="sub"></div><img alt="${esc(s.tag)}"><input type="range" min="0" max="${s.steps.length - 1}" step="1">`;
    card.querySelector('input').addEventListener('input', e => {
      const index = Number(e.target.value);
      if (index === s.steps.length - 1) state.imageIndex.delete(key); else state.imageIndex.set(key, index);
      show();
    });
    show();
    cards.appendChild(card);
  }
  node.appendChild(cards);
}

// ---------------------------------------------------------------------------------------------------------------
// Text: per run and tag, the steps newest first.

async function renderText(node) {
  const runs = shownRuns();
  const jobs = [];
  for (const r of runs) for (const tag of r.tags.text) {
    jobs.push(getJson(`/api/text?${q({ run: r.name, tag })}`).then(steps => ({ tag, run: r.name, steps })));
  }
  if (jobs.length === 0) return empty(node, 'No text data (tf.summary.text) in the shown runs.');
  const all = await Promise.all(jobs);
  const cards = document.createElement('div');
  cards.className = 'cards';
  for (const s of all) {
    const card = document.createElement('div');
    card.className = 'card text-card';
    card.dataset.tag = s.tag;
    const rows = s.steps.slice(-100).reverse().map(p => `<tr><td class="step">step ${p.step}</td><td><pre>${esc(p.text)}</pre></td></tr>`);
    card.innerHTML = `<h4>${esc(s.tag)}</h4><div class="sub">${esc(s.run)}</div><table>${rows.join('')}</table>`;
    cards.appendChild(card);
  }
  node.appendChild(cards);
}

// ---------------------------------------------------------------------------------------------------------------
// Graph: name scopes as boxes (collapsed at first; click to expand, click an open scope's title to collapse),
// each level laid out in layers by its longest path; a node's attrs, inputs and run metadata on the right.

function opColor(op) {
  let hash = 0;
  for (const c of op) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return `hsl(${hash % 360}, 60%, 82%)`;
}

function buildTree(nodes) {
  const root = { path: '', children: new Map(), node: null, count: 0, ops: new Map() };
  for (const n of nodes) {
    const parts = n.name.split('/');
    let at = root;
    at.count++;
    for (let i = 0; i < parts.length; i++) {
      const path = parts.slice(0, i + 1).join('/');
      if (!at.children.has(parts[i])) at.children.set(parts[i], { path, children: new Map(), node: null, count: 0, ops: new Map() });
      at = at.children.get(parts[i]);
      at.count++;
      at.ops.set(n.op, (at.ops.get(n.op) || 0) + 1);
    }
    at.node = n;
    at.count--;
    at.ops.set(n.op, at.ops.get(n.op) - 1);
  }
  return root;
}

const inputName = input => input.replace(/^\^/, '').replace(/:\d+$/, '');

// The item of level `scope` (a tree node whose children are laid out) that holds the node `name`: the child on the
// node's path, or the scope's own op when the node is the scope itself.
function itemAt(scope, name) {
  if (scope.path !== '' && name !== scope.path && !name.startsWith(scope.path + '/')) return null;
  if (name === scope.path) return '#self';
  const rest = scope.path === '' ? name : name.slice(scope.path.length + 1);
  return rest.split('/')[0];
}

const OP = { w: 140, h: 28 }, SCOPE = { w: 160, h: 38 }, GAP = { x: 22, y: 34 }, PAD = 10, HEADER = 22;

function layoutLevel(scope, nodes) {
  const items = [];
  if (scope.node && scope.path !== '') items.push({ key: '#self', kind: 'op', node: scope.node, w: OP.w, h: OP.h });
  for (const [key, child] of scope.children) {
    if (child.children.size === 0) items.push({ key, kind: 'op', node: child.node, w: OP.w, h: OP.h });
    else if (state.expanded.has(child.path)) {
      const inner = layoutLevel(child, nodes);
      items.push({ key, kind: 'open', tree: child, inner, w: inner.w + 2 * PAD, h: inner.h + 2 * PAD + HEADER });
    } else items.push({ key, kind: 'scope', tree: child, w: SCOPE.w, h: SCOPE.h });
  }
  const index = new Map(items.map((it, i) => [it.key, i]));
  const edges = new Set();
  for (const n of nodes) {
    const to = itemAt(scope, n.name);
    if (to === null) continue;
    for (const input of n.inputs) {
      const from = itemAt(scope, inputName(input));
      if (from !== null && from !== to && index.has(from) && index.has(to)) edges.add(`${index.get(from)}>${index.get(to)}`);
    }
  }
  const pairs = [...edges].map(e => e.split('>').map(Number));
  // Layers: Kahn's order (a cycle is broken at its node with the fewest unplaced inputs), each item one below its inputs.
  const out = items.map(() => []), indeg = items.map(() => 0), layer = items.map(() => 0), done = items.map(() => false);
  for (const [a, z] of pairs) { out[a].push(z); indeg[z]++; }
  const queue = items.map((_, i) => i).filter(i => indeg[i] === 0);
  for (let placed = 0; placed < items.length; placed++) {
    if (queue.length === 0) {
      let best = -1;
      for (let i = 0; i < items.length; i++) if (!done[i] && (best < 0 || indeg[i] < indeg[best])) best = i;
      queue.push(best);
    }
    const i = queue.shift();
    if (done[i]) { placed--; continue; }
    done[i] = true;
    for (const z of out[i]) if (!done[z]) {
      layer[z] = Math.max(layer[z], layer[i] + 1);
      if (--indeg[z] === 0) queue.push(z);
    }
  }
  const rows = [];
  items.forEach((it, i) => { (rows[layer[i]] = rows[layer[i]] || []).push(it); });
  const dense = rows.filter(Boolean);
  let width = 0, y = 0;
  for (const row of dense) width = Math.max(width, row.reduce((s, it) => s + it.w, 0) + GAP.x * (row.length - 1));
  for (const row of dense) {
    const rowWidth = row.reduce((s, it) => s + it.w, 0) + GAP.x * (row.length - 1);
    const height = Math.max(...row.map(it => it.h));
    let x = (width - rowWidth) / 2;
    for (const it of row) { it.x = x; it.y = y + (height - it.h) / 2; x += it.w + GAP.x; }
    y += height + GAP.y;
  }
  return { items, pairs, w: Math.max(width, 120), h: Math.max(y - GAP.y, 20), scope };
}

function short(text, n) { return text.length <= n ? text : text.slice(0, n - 1) + '…'; }

function drawLevel(level, stats) {
  let svg = '';
  for (const [a, z] of level.pairs) {
    const from = level.items[a], to = level.items[z];
    const x1 = from.x + from.w / 2, y1 = from.y + from.h, x2 = to.x + to.w / 2, y2 = to.y;
    const my = (y1 + y2) / 2;
    svg += `<path class="edge" marker-end="url(#arrow)" d="M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2}"/>`;
  }
  for (const it of level.items) {
    if (it.kind === 'op') {
      const n = it.node;
      const label = n.name.split('/').pop();
      const cls = state.selectedNode === n.name ? ' selected' : '';
      const timed = stats[n.name] ? `<circle cx="${it.w - 10}" cy="9" r="3.5" fill="#e65100"><title>has run metadata</title></circle>` : '';
      svg += `<g class="node op${cls}" data-name="${esc(n.name)}" data-op="${esc(n.op)}" transform="translate(${it.x},${it.y})">` +
        `<title>${esc(n.name)} (${esc(n.op)})</title><rect width="${it.w}" height="${it.h}" rx="12" fill="${opColor(n.op)}"/>` +
        `<text x="${it.w / 2}" y="12" text-anchor="middle">${esc(short(label, 20))}</text>` +
        `<text x="${it.w / 2}" y="23" text-anchor="middle" style="font-size:9px;fill:#555">${esc(short(n.op, 18))}</text>${timed}</g>`;
    } else if (it.kind === 'scope') {
      const t = it.tree;
      const ops = new Map(t.ops);
      if (t.node) ops.set(t.node.op, (ops.get(t.node.op) || 0) + 1);
      const count = t.count + (t.node ? 1 : 0);
      const main = [...ops.entries()].filter(e => e[1] > 0).sort((a, b) => b[1] - a[1]).slice(0, 2).map(e => e[0]).join(', ');
      svg += `<g class="node scope" data-scope="${esc(t.path)}" transform="translate(${it.x},${it.y})">` +
        `<title>${esc(t.path)}: ${count} ops (click to expand)</title><rect width="${it.w}" height="${it.h}" rx="4"/>` +
        `<text x="8" y="15" style="font-weight:600">+ ${esc(short(t.path.split('/').pop(), 18))}</text>` +
        `<text x="8" y="30" style="font-size:9px;fill:#555">${count} ops: ${esc(short(main, 22))}</text></g>`;
    } else {
      const t = it.tree;
      svg += `<g class="scope-open" data-scope="${esc(t.path)}" transform="translate(${it.x},${it.y})">` +
        `<rect class="frame" width="${it.w}" height="${it.h}" rx="6"/>` +
        `<g class="header"><title>click to collapse ${esc(t.path)}</title><rect width="${it.w}" height="${HEADER}" fill="transparent"/><text x="8" y="15">− ${esc(t.path)}</text></g>` +
        `<g transform="translate(${PAD},${PAD + HEADER})">${drawLevel(it.inner, stats)}</g></g>`;
    }
  }
  return svg;
}

async function renderGraph(node) {
  const runs = state.runs.filter(r => r.graph);
  if (runs.length === 0) return empty(node, 'No graph in any run (FileWriter(logdir, graph) or add_graph writes one).');
  if (!runs.some(r => r.name === state.graphRun)) {
    state.graphRun = (shownRuns().find(r => r.graph) || runs[0]).name;
    state.graphTag = '';
  }
  const graph = await getJson(`/api/graph?${q({ run: state.graphRun, tag: state.graphTag })}`);
  state.graph = graph;
  const tree = buildTree(graph.nodes);
  const level = layoutLevel(tree, graph.nodes);
  const stats = graph.runMetadata.nodes || {};
  const metaTags = graph.runMetadata.tags;
  const bar = `<div class="graph-bar"><label>Run <select id="graph-run">${runs.map(r => `<option ${r.name === state.graphRun ? 'selected' : ''}>${esc(r.name)}</option>`).join('')}</select></label>` +
    (metaTags.length ? `<label>Run metadata <select id="graph-tag">${metaTags.map(m => `<option value="${esc(m.tag)}" ${m.tag === graph.runMetadata.tag ? 'selected' : ''}>${esc(m.tag)} (step ${m.step})</option>`).join('')}</select></label>` : '<span class="muted">no run metadata</span>') +
    `<span class="muted">${graph.nodes.length} nodes</span><button id="graph-expand">expand all</button><button id="graph-collapse">collapse all</button></div>`;
  const margin = 16;
  const svg = `<svg class="graph" width="${level.w + 2 * margin}" height="${level.h + 2 * margin}">` +
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#a0a0a0"/></marker></defs>` +
    `<g transform="translate(${margin},${margin})">${drawLevel(level, stats)}</g></svg>`;
  node.innerHTML = bar + `<div class="graph-wrap"><div class="graph-canvas">${svg}</div><div class="graph-info">${nodeInfo(graph, stats)}</div></div>`;
  $('#graph-run', node).addEventListener('change', e => { state.graphRun = e.target.value; state.graphTag = ''; state.expanded.clear(); state.selectedNode = null; render(); });
  const tagSelect = $('#graph-tag', node);
  if (tagSelect) tagSelect.addEventListener('change', e => { state.graphTag = e.target.value; render(); });
  $('#graph-expand', node).addEventListener('click', () => { expandAll(tree); render(); });
  $('#graph-collapse', node).addEventListener('click', () => { state.expanded.clear(); render(); });
  $('svg.graph', node).addEventListener('click', e => {
    const scope = e.target.closest('g.scope');
    if (scope) { state.expanded.add(scope.dataset.scope); render(); return; }
    const header = e.target.closest('g.header');
    if (header) {
      const path = header.parentNode.dataset.scope;
      for (const p of [...state.expanded]) if (p === path || p.startsWith(path + '/')) state.expanded.delete(p);
      render();
      return;
    }
    const op = e.target.closest('g.op');
    if (op) { state.selectedNode = op.dataset.name; render(); }
  });
}

function expandAll(tree) {
  for (const child of tree.children.values()) if (child.children.size) { state.expanded.add(child.path); expandAll(child); }
}

function nodeInfo(graph, stats) {
  const n = graph.nodes.find(x => x.name === state.selectedNode);
  if (!n) return '<div class="muted">Click a scope to expand it, a node to see its attributes, inputs and run metadata.</div>';
  let html = `<h4>${esc(n.name)}</h4><table><tr><td>op</td><td>${esc(n.op)}</td></tr><tr><td>device</td><td>${esc(n.device || '(unplaced)')}</td></tr></table>`;
  html += `<h5>Inputs (${n.inputs.length})</h5>` + (n.inputs.length ? `<table>${n.inputs.map((i, k) => `<tr><td>${k}</td><td>${esc(i)}</td></tr>`).join('')}</table>` : '<div class="muted">none</div>');
  const attrs = Object.entries(n.attrs);
  html += `<h5>Attributes (${attrs.length})</h5>` + (attrs.length ? `<table>${attrs.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join('')}</table>` : '<div class="muted">none</div>');
  const s = stats[n.name];
  html += `<h5>Run metadata${graph.runMetadata.tag ? ` (${esc(graph.runMetadata.tag)}, step ${graph.runMetadata.step})` : ''}</h5>`;
  if (s) {
    html += `<table class="run-metadata"><tr><td>device</td><td>${esc(s.device)}</td></tr><tr><td>start</td><td>${s.allStartMicros} µs</td></tr>` +
      `<tr><td>compute time</td><td>${s.opEndRelMicros - s.opStartRelMicros} µs</td></tr><tr><td>all time</td><td>${s.allEndRelMicros} µs</td></tr>` +
      (s.timelineLabel ? `<tr><td>label</td><td>${esc(s.timelineLabel)}</td></tr>` : '') +
      s.outputs.map(o => `<tr><td>output</td><td>${esc(o)}</td></tr>`).join('') + '</table>';
  } else html += '<div class="muted">none for this node</div>';
  return html;
}

// ---------------------------------------------------------------------------------------------------------------

function setup() {
  const select = (button, draw) => {
    state.tab = button.dataset.tab;
    for (const b of document.querySelectorAll('#tabs button')) b.classList.toggle('active', b === button);
    history.replaceState(null, '', `#${state.tab}`);
    if (draw) render();
  };
  for (const button of document.querySelectorAll('#tabs button')) button.addEventListener('click', () => select(button, true));
  const initial = document.querySelector(`#tabs button[data-tab="${location.hash.slice(1)}"]`);
  if (initial) select(initial, false);
  const slider = $('#smoothing'), number = $('#smoothing-value');
  const setSmoothing = v => {
    state.smoothing = Math.min(0.999, Math.max(0, Number(v) || 0));
    slider.value = state.smoothing;
    number.value = state.smoothing;
    render();
  };
  slider.addEventListener('input', () => setSmoothing(slider.value));
  number.addEventListener('change', () => setSmoothing(number.value));
  for (const radio of document.querySelectorAll('input[name=xaxis]')) {
    radio.addEventListener('change', () => { state.xaxis = radio.value; render(); });
  }
  $('#reload').addEventListener('click', refresh);
  setInterval(() => { if ($('#autorefresh').checked) refresh(); }, 5000);
  refresh();
}

setup();
