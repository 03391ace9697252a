// Perpetuo's page. Plain JavaScript, no build step. One WebSocket to the web process (same origin), which sends the
// engine's states (link, levels, modules, status, patches) and the events timeline, and takes the page's requests
// ({"id", "op", ...}: param, add, remove, restore, panic, load, save, patches), each answered by a "reply".
'use strict';

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
};

const state = {
  socket: null, nextId: 1, pending: new Map(), catalog: [], catalogByType: new Map(),
  modules: [], quarantined: new Map(), levels: null, link: null, blockSeconds: 256 / 48000,
  lastFailovers: null, timelineN: 0, dragging: new Set(), lastSent: new Map(), sendTimers: new Map(),
};

// ---------- connection ----------
function connect() {
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
  const ws = new WebSocket(url);
  state.socket = ws;
  ws.onmessage = (e) => { let m; try { m = JSON.parse(e.data); } catch { return; } receive(m); };
  ws.onclose = () => {
    setLink(false, 'page disconnected: reconnecting…');
    for (const [, p] of state.pending) p.reject(new Error('disconnected'));
    state.pending.clear();
    setTimeout(connect, 1000);
  };
}

function send(op, fields = {}) {
  const id = state.nextId++;
  const ws = state.socket;
  if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error('not connected'));
  ws.send(JSON.stringify({ id, op, ...fields }));
  return new Promise((resolve, reject) => {
    state.pending.set(id, { resolve, reject });
    // A reply the server dropped (a page that did not read) must not be waited for forever.
    setTimeout(() => { if (state.pending.delete(id)) reject(new Error('no answer')); }, 20000);
  });
}

function receive(m) {
  switch (m.t) {
    case 'hello': break;
    case 'link': onLink(m); break;
    case 'levels': onLevels(m); break;
    case 'modules': onModules(m.modules); break;
    case 'status': onStatus(m.status); break;
    case 'patches': onPatches(m.names); break;
    case 'timeline': onTimeline(m.entries, m.history_until); break;
    case 'reply': {
      const p = state.pending.get(m.id);
      if (p) { state.pending.delete(m.id); p.resolve(m); } else if (!m.ok) toast(m.message, true);
      break;
    }
  }
}

// ---------- header ----------
function setLink(ok, text) {
  const l = $('link');
  l.textContent = text;
  l.className = 'pill ' + (ok ? 'pill-ok' : 'pill-lost');
}

function onLink(m) {
  state.link = m;
  setLink(m.connected, m.connected ? 'engine ' + m.engine : 'engine ' + m.engine + ' not answering');
  $('patches-off').hidden = m.patch_dir;
  $('patches-on').hidden = !m.patch_dir;
}

function fmtClock(seconds) {
  const s = Math.floor(seconds), h = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
  return (h ? h + ':' + String(mm).padStart(2, '0') : mm) + ':' + String(ss).padStart(2, '0');
}

// ---------- levels: counters, slots, meters ----------
function onLevels(m) {
  const first = state.levels === null;
  state.levels = m;
  $('c-failovers').textContent = m.failovers;
  $('c-underruns').textContent = m.underruns;
  $('c-gc').textContent = m.gc_collections;
  $('c-underruns').parentElement.classList.toggle('bad', m.underruns > 0);
  $('c-gc').parentElement.classList.toggle('bad', m.gc_collections > 0);
  $('c-clock').textContent = fmtClock(m.seq * state.blockSeconds);
  if (!first && state.lastFailovers !== null && m.failovers > state.lastFailovers) {
    const heard = document.querySelector('.slot[data-slot="' + m.active_slot + '"]');
    if (heard) { heard.classList.remove('flash'); void heard.offsetWidth; heard.classList.add('flash'); }
  }
  state.lastFailovers = m.failovers;
  renderSlots(m);
  meters.update(m.peaks);
}

const roleView = {
  active: ['HEARD', 'slot-heard'], standby: ['STANDBY', 'slot-standby'], trailing: ['TRAILING', 'slot-standby'],
  starting: ['REBUILDING', 'slot-rebuilding'], resyncing: ['REBUILDING', 'slot-rebuilding'],
  dead: ['DEAD', 'slot-down'], backoff: ['BACKOFF', 'slot-down'], faulty: ['FAULTY', 'slot-down'],
};

function renderSlots(m) {
  const box = $('slots');
  while (box.children.length > m.slots.length) box.lastChild.remove();
  m.slots.forEach((s, i) => {
    let card = box.children[i];
    if (!card) {
      card = el('div', { class: 'slot', dataset: { slot: String(i) } }, el('div', { class: 'name' }), el('div', { class: 'role' }), el('div', { class: 'meta' }));
      box.append(card);
    }
    const [label, cls] = roleView[s.role] || [s.role.toUpperCase(), 'slot-rebuilding'];
    card.className = 'slot ' + cls + (card.classList.contains('flash') ? ' flash' : '');
    card.dataset.role = s.role;
    card.querySelector('.name').textContent = 'Slot ' + s.slot;
    card.querySelector('.role').textContent = label;
    const level = s.role === 'active' && s.rms > 0 ? ' · ' + (20 * Math.log10(s.rms)).toFixed(0) + ' dB' : '';
    const extra = s.role === 'backoff' ? ' · retry in ' + (s.backoff_ms_left / 1000).toFixed(1) + ' s' : '';
    card.querySelector('.meta').textContent =
      (s.pid ? 'pid ' + s.pid : 'no worker') + level + ' · ' + s.restarts + (s.restarts === 1 ? ' restart' : ' restarts') + extra;
  });
}

const meters = {
  rows: [], display: [], hold: [], holdAt: [], last: performance.now(),
  update(peaks) {
    const box = $('meters');
    if (this.rows.length !== peaks.length) {
      box.replaceChildren();
      this.rows = peaks.map((_, c) => {
        const row = el('div', { class: 'meter', dataset: { channel: String(c) } },
          el('span', { class: 'meter-name' }, c === 0 && peaks.length === 2 ? 'L' : c === 1 && peaks.length === 2 ? 'R' : String(c + 1)),
          el('div', { class: 'meter-track' }, el('div', { class: 'meter-fill' }), el('div', { class: 'meter-hold' })),
          el('span', { class: 'meter-db' }, '-∞'));
        box.append(row);
        return row;
      });
      const scale = el('div', { class: 'meter-scale' });
      for (const db of [-60, -48, -36, -24, -12, -6, 0]) {
        const tick = el('span', {}, String(db));
        tick.style.left = meterPos(db) + '%';
        scale.append(tick);
      }
      box.append(el('div', { class: 'meter' }, el('span'), scale, el('span', { class: 'meter-unit' }, 'dBFS')));
      this.display = peaks.map(() => -90);
      this.hold = peaks.map(() => -90);
      this.holdAt = peaks.map(() => 0);
    }
    this.peaks = peaks;
  },
  frame(now) {
    requestAnimationFrame((t) => this.frame(t));
    if (now - this.last < 40) return; // 25 frames a second are smooth for a meter, and leave the CPU to the audio
    const dt = Math.min(0.2, (now - this.last) / 1000);
    this.last = now;
    (this.peaks || []).forEach((p, c) => {
      const db = p > 0 ? 20 * Math.log10(p) : -90;
      this.display[c] = Math.max(db, this.display[c] - 24 * dt); // falls 24 dB a second
      if (db >= this.hold[c] || now - this.holdAt[c] > 1500) { this.hold[c] = db; this.holdAt[c] = now; }
      const row = this.rows[c];
      if (!row) return;
      const fill = (100 - meterPos(this.display[c])).toFixed(1), hold = meterPos(this.hold[c]).toFixed(1);
      if (row.fill === fill && row.hold === hold) return; // nothing moved: no style to recompute
      row.fill = fill;
      row.hold = hold;
      row.querySelector('.meter-fill').style.clipPath = 'inset(0 ' + fill + '% 0 0)';
      row.querySelector('.meter-hold').style.left = 'calc(' + hold + '% - 3px)';
      const text = row.querySelector('.meter-db');
      text.textContent = this.hold[c] <= -90 ? '-∞' : this.hold[c].toFixed(1);
      text.classList.toggle('clip', this.hold[c] > -0.5);
    });
  },
};
// dBFS to a position on the meter: -60..0 dB, linear in dB.
const meterPos = (db) => Math.max(0, Math.min(100, ((db + 60) / 60) * 100));

// ---------- chain ----------
function onModules(list) {
  state.modules = list;
  renderChain();
}

function onStatus(s) {
  if (s && s.block_frames && s.sample_rate) state.blockSeconds = s.block_frames / s.sample_rate;
  state.quarantined = new Map((s.quarantined || []).map((q) => [q.module, q]));
  renderHealth();
}

function renderChain() {
  const box = $('chain');
  const keep = new Map([...box.querySelectorAll('.module')].map((m) => [m.dataset.module + '\u0000' + m.dataset.type, m]));
  const cards = state.modules.map((m, i) => {
    let card = keep.get(m.id + '\u0000' + m.type);
    if (!card) card = moduleCard(m);
    card.querySelector('.module-index').textContent = String(i + 1);
    updateValues(card, m);
    return card;
  });
  box.replaceChildren(...(cards.length ? cards : [el('div', { class: 'empty' }, 'The chain is empty: add a module.')]));
  renderHealth();
}

function moduleCard(m) {
  const info = state.catalogByType.get(m.type);
  const title = info && info.plugin ? info.name : m.type;
  const card = el('article', { class: 'module', dataset: { module: m.id, type: m.type } },
    el('div', { class: 'module-head' },
      el('span', { class: 'module-index' }),
      el('span', { class: 'module-id' }, m.id),
      el('span', { class: 'module-type' }, title),
      el('span', { class: 'spacer' }),
      el('span', { class: 'health health-ok' }, 'OK'),
      el('button', { class: 'btn btn-small restore', hidden: true, onclick: () => act('restore', { module: m.id }, 'restored ' + m.id) }, 'Restore'),
      el('button', { class: 'btn btn-small remove', title: 'remove ' + m.id, onclick: () => removeModule(m.id) }, 'Remove')),
    el('div', { class: 'params' }, ...m.params.map((p) => paramControl(m, p, info))));
  // A long module (a sequencer's 16 steps) shows its first few controls until asked for all.
  const params = [...card.querySelectorAll('.param')];
  if (params.length > 8) {
    params.slice(6).forEach((p) => { p.hidden = true; });
    const more = el('button', { class: 'btn btn-small more', type: 'button' }, 'Show all ' + params.length + ' controls');
    more.addEventListener('click', () => {
      const open = params[6].hidden;
      params.slice(6).forEach((p) => { p.hidden = !open; });
      more.textContent = open ? 'Show fewer' : 'Show all ' + params.length + ' controls';
    });
    card.append(more);
  }
  return card;
}

function removeModule(id) {
  if (confirm('Remove ' + id + ' from the chain?')) act('remove', { module: id }, 'removed ' + id);
}

function renderHealth() {
  for (const card of document.querySelectorAll('.module')) {
    const q = state.quarantined.get(card.dataset.module);
    card.classList.toggle('quarantined', !!q);
    const h = card.querySelector('.health');
    h.textContent = q ? 'QUARANTINED: ' + q.reason + ' at block ' + q.block : 'OK';
    h.className = 'health ' + (q ? 'health-bad' : 'health-ok');
    h.title = q ? 'bypassed since block ' + q.block + ' (' + q.reason + '); the rest of the chain plays on' : 'playing';
    card.querySelector('.restore').hidden = !q;
  }
}

function paramInfo(info, name) {
  return info ? info.params.find((p) => p.name === name) : null;
}

// A parameter's control: a switch (toggle), segments or a select (enumeration), else a slider, logarithmic for a
// wide positive range (frequencies), stepped for integers.
function paramControl(m, p, info) {
  const pi = paramInfo(info, p.name) || { integer: false, toggle: false, labels: null, description: '' };
  const key = m.id + '/' + p.name;
  const value = el('span', { class: 'value' });
  const wrap = el('div', { class: 'param', dataset: { module: m.id, param: p.name }, title: pi.description || p.name },
    el('label', {}, p.name), value);
  let control;
  if (pi.toggle) {
    const box = el('input', { type: 'checkbox', 'aria-label': m.id + ' ' + p.name, dataset: { module: m.id, param: p.name } });
    box.addEventListener('change', () => setParam(m.id, p.name, box.checked ? p.max : p.min, true));
    control = el('label', { class: 'switch control' }, box, el('span'));
  } else if (pi.labels && pi.labels.length > 0 && pi.labels.length <= 5) {
    if (pi.labels.length > 3) wrap.classList.add('wide');
    control = el('div', { class: 'segments control', role: 'radiogroup', 'aria-label': m.id + ' ' + p.name },
      ...pi.labels.map((label, i) => el('button', {
        type: 'button', dataset: { v: String(p.min + i) },
        onclick: () => setParam(m.id, p.name, p.min + i, true),
      }, label)));
  } else if ((pi.labels && pi.labels.length > 0) || (pi.enumeration && p.max - p.min <= 32)) {
    const sel = el('select', { class: 'control', 'aria-label': m.id + ' ' + p.name, dataset: { module: m.id, param: p.name } });
    for (let v = p.min; v <= p.max; v++) sel.append(el('option', { value: String(v) }, pi.labels ? pi.labels[v - p.min] ?? String(v) : String(v)));
    sel.addEventListener('change', () => setParam(m.id, p.name, Number(sel.value), true));
    control = sel;
  } else {
    const log = !pi.integer && p.min > 0 && p.max / p.min >= 100;
    const slider = el('input', {
      type: 'range', min: '0', max: '1000', step: pi.integer ? String(1000 / Math.max(1, p.max - p.min)) : '1',
      class: 'control', 'aria-label': m.id + ' ' + p.name, dataset: { module: m.id, param: p.name, log: log ? '1' : '0' },
    });
    slider.toValue = (pos) => {
      const t = pos / 1000;
      let v = log ? p.min * Math.pow(p.max / p.min, t) : p.min + t * (p.max - p.min);
      if (pi.integer) v = Math.round(v);
      return Math.min(p.max, Math.max(p.min, v));
    };
    slider.toPos = (v) => 1000 * (log ? Math.log(v / p.min) / Math.log(p.max / p.min) : (v - p.min) / (p.max - p.min || 1));
    slider.addEventListener('pointerdown', () => state.dragging.add(key));
    const release = () => setTimeout(() => state.dragging.delete(key), 400);
    slider.addEventListener('pointerup', release);
    slider.addEventListener('pointercancel', release);
    slider.addEventListener('input', () => {
      const v = slider.toValue(Number(slider.value));
      showValue(wrap, v, pi, p);
      slider.style.setProperty('--pos', (Number(slider.value) / 10) + '%');
      setParam(m.id, p.name, v, false);
    });
    slider.addEventListener('change', () => setParam(m.id, p.name, slider.toValue(Number(slider.value)), true));
    control = slider;
  }
  wrap.append(control);
  wrap.paramSpec = { p, pi };
  return wrap;
}

function showValue(wrap, v, pi, p) {
  const span = wrap.querySelector('.value');
  if (pi.labels && pi.labels[v - p.min] !== undefined) span.textContent = pi.labels[v - p.min];
  else if (pi.toggle) span.textContent = v !== 0 ? 'on' : 'off';
  else span.textContent = fmtNumber(v, pi.integer);
}

function fmtNumber(v, integer) {
  if (integer) return String(Math.round(v));
  const a = Math.abs(v);
  return a >= 1000 ? v.toFixed(0) : a >= 100 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toFixed(3);
}

function updateValues(card, m) {
  for (const p of m.params) {
    const wrap = card.querySelector('.param[data-param="' + CSS.escape(p.name) + '"]');
    if (!wrap || state.dragging.has(m.id + '/' + p.name)) continue;
    const { pi } = wrap.paramSpec;
    showValue(wrap, p.value, pi, p);
    const control = wrap.querySelector('.control');
    if (control.type === 'range') {
      control.value = String(control.toPos(p.value));
      control.style.setProperty('--pos', (Number(control.value) / 10) + '%');
    } else if (control.tagName === 'SELECT') {
      control.value = String(Math.round(p.value));
    } else if (control.classList.contains('switch')) {
      control.querySelector('input').checked = p.value !== 0;
    } else {
      for (const b of control.querySelectorAll('button')) b.classList.toggle('on', Number(b.dataset.v) === Math.round(p.value));
    }
  }
}

// A slider sends at most every 40 ms while it moves, and always its last value.
function setParam(module, param, value, final) {
  const key = module + '/' + param;
  clearTimeout(state.sendTimers.get(key));
  const now = performance.now();
  const due = (state.lastSent.get(key) || 0) + 40;
  const go = () => {
    state.lastSent.set(key, performance.now());
    send('param', { module, param, value }).then((r) => { if (!r.ok) toast(r.message, true); }).catch(() => {});
  };
  if (final || now >= due) go();
  else state.sendTimers.set(key, setTimeout(go, due - now));
}

function act(op, fields, okText) {
  return send(op, fields).then((r) => { toast(r.ok ? okText || r.message : r.message, !r.ok); return r; })
    .catch((e) => { toast(e.message, true); return { ok: false }; });
}

// ---------- add a module ----------
function openAdd() {
  const panel = $('add-panel');
  panel.hidden = !panel.hidden;
  if (!panel.hidden) { $('add-search').value = ''; renderAddList(); $('add-search').focus(); }
}

function renderAddList() {
  const q = $('add-search').value.trim().toLowerCase();
  const list = $('add-list');
  const found = state.catalog.filter((t) => !q || (t.type + ' ' + t.name + ' ' + t.description).toLowerCase().includes(q)).slice(0, 200);
  list.replaceChildren(...found.map((t) => el('li', {
    class: t.refusal ? 'refused' : '', title: t.refusal || t.description, dataset: { type: t.type },
    onclick: () => { if (!t.refusal) addModule(t); else toast(t.refusal, true); },
  }, el('span', { class: 'kind' }, t.plugin ? 'plugin' : 'built-in'), el('span', { class: 'name' }, t.name),
  el('span', { class: 'desc' }, t.refusal ? 'cannot be added: ' + t.refusal : t.description))));
  if (!found.length) list.append(el('li', { class: 'refused' }, 'No module type matches.'));
}

function addModule(t) {
  const base = (t.plugin ? t.name : t.type).toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 30) || 'module';
  const taken = new Set(state.modules.map((m) => m.id));
  let id = base, n = 2;
  while (taken.has(id)) id = base + '-' + n++;
  act('add', { type: t.type, module: id }, 'added ' + id).then((r) => { if (r.ok) $('add-panel').hidden = true; });
}

// ---------- patches ----------
function onPatches(names) {
  const sel = $('patch-list');
  const was = sel.value;
  sel.replaceChildren(...(names.length ? names.map((n) => el('option', { value: n }, n)) : [el('option', { value: '' }, 'no patches yet')]));
  if (names.includes(was)) sel.value = was;
}

function loadPatch() {
  const name = $('patch-list').value;
  if (name && confirm('Load ' + name + '? It replaces the whole chain.')) act('load', { name }, 'loaded ' + name);
}

function savePatch() {
  let name = $('patch-name').value.trim();
  if (!name) { toast('Give the patch a name.', true); return; }
  if (!name.endsWith('.json')) name += '.json';
  send('save', { name, overwrite: false }).then((r) => {
    if (r.ok) { toast(r.message); return; }
    if (/exists already/.test(r.message) && confirm(name + ' exists. Replace it?')) act('save', { name, overwrite: true });
    else toast(r.message, true);
  }).catch((e) => toast(e.message, true));
}

// ---------- timeline ----------
function onTimeline(entries, historyUntil) {
  const list = $('timeline');
  for (const e of entries) {
    if (e.n <= state.timelineN) continue;
    state.timelineN = e.n;
    const t = new Date(e.ts);
    const time = isNaN(t) ? '' : t.toLocaleTimeString([], { hour12: false });
    const item = el('li', { class: 'sev-' + e.severity + (list.children.length ? ' new' : ''), dataset: { kind: e.kind } },
      el('time', { datetime: e.ts }, time), el('span', {}, e.text));
    list.prepend(item);
    // The banner says what the timeline just said, from the same message (one source, shown in the same frame), for
    // what happened while the page was open: the history before it came is listed, not announced.
    if (e.n > historyUntil && (e.kind === 'failover' || e.kind === 'failovers')) banner(e.text, false);
    if (e.n > historyUntil && e.kind === 'module_quarantined') banner(e.text, true);
  }
  while (list.children.length > 200) list.lastChild.remove();
}

// ---------- little things ----------
// Shows a message in the banner (failovers, quarantines) or the toast (replies) for a while.
const timers = new Map();
function show(id, text, modifier, ms) {
  const box = $(id);
  box.textContent = text;
  box.className = id + (modifier ? ' ' + modifier : '');
  box.hidden = false;
  clearTimeout(timers.get(id));
  timers.set(id, setTimeout(() => { box.hidden = true; }, ms));
}
const banner = (text, alert) => show('banner', text, alert ? 'alert' : '', 6000);
const toast = (text, bad) => show('toast', text, bad ? 'bad' : '', bad ? 6000 : 2500);

async function loadCatalog() {
  try {
    const r = await fetch('/api/catalog', { credentials: 'same-origin' });
    const c = await r.json();
    state.catalog = c.types;
    state.catalogByType = new Map(c.types.map((t) => [t.type, t]));
    renderChain();
  } catch {
    setTimeout(loadCatalog, 2000);
  }
}

window.addEventListener('DOMContentLoaded', () => {
  if (location.search.includes('token=')) history.replaceState(null, '', '/'); // the cookie carries it from now on
  $('panic').addEventListener('click', () => act('panic', {}, 'all notes off'));
  $('add-open').addEventListener('click', openAdd);
  $('add-search').addEventListener('input', renderAddList);
  $('patch-load').addEventListener('click', loadPatch);
  $('patch-save').addEventListener('click', savePatch);
  $('patch-list').addEventListener('focus', () => send('patches').catch(() => {}));
  requestAnimationFrame((t) => meters.frame(t));
  loadCatalog().then(connect);
});
