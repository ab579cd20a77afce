// The hall as an SVG: one <rect> per seat, coloured by delegation, keyed by seat id so an update touches
// only the seats that changed (1,100 seats stay smooth). Drag a seated person onto another seat to move
// them (empty seat) or swap (occupied seat); drop a person from the unseated list to seat them.
//
//   const map = seatMap({ onMove, onSwap, onSelect });
//   map.render(plan);            // first draw (or a new hall)
//   map.update(plan);            // after a re-fetch: only changed seats are touched
//   map.setPresent(delegateId, true);  map.highlight(delegateIds);  map.setMode('delegation' | 'attendance')

import { h } from '../lib/dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const SIZE = 0.84; // of a seat's cell

function svg(tag, attrs = {}) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) if (value != null) el.setAttribute(key, String(value));
  return el;
}

export function seatMap({ onMove, onSwap, onSelect, onAssign }) {
  const root = h('div', { class: 'seat-map', testid: 'seat-map', dataset: { mode: 'delegation' } });
  const tip = h('div', { class: 'seat-tip', role: 'tooltip', hidden: true, testid: 'seat-tip' });
  const state = { els: new Map(), sig: new Map(), plan: null, people: new Map(), colours: new Map(), seats: new Map(), drag: null };
  let svgEl = null;

  function signature(seat) {
    const person = state.people.get(seat.delegate_id);
    const colour = person ? state.colours.get(person.delegation_id) : '';
    return `${seat.delegate_id || ''}|${colour}|${person?.present ? 1 : 0}|${seat.locked ? 1 : 0}|${seat.status}`;
  }

  function paint(el, seat) {
    const person = state.people.get(seat.delegate_id);
    el.dataset.delegateId = seat.delegate_id || '';
    el.dataset.status = seat.status;
    el.dataset.present = person?.present ? 'true' : 'false';
    el.dataset.occupied = person ? 'true' : 'false';
    el.dataset.locked = seat.locked ? 'true' : 'false';
    el.style.setProperty('--seat', person ? state.colours.get(person.delegation_id) || '#888' : '');
  }

  function index(plan) {
    state.plan = plan;
    state.people = new Map(plan.people.map((p) => [p.id, p]));
    state.colours = new Map(plan.delegations.map((d) => [d.id, d.colour]));
    state.seats = new Map(plan.seats.map((s) => [s.id, s]));
  }

  function render(plan) {
    const started = performance.now();
    index(plan);
    state.els.clear();
    state.sig.clear();
    const pad = 1.2;
    svgEl = svg('svg', {
      viewBox: `${-pad} ${-pad} ${plan.width + 2 * pad} ${plan.height + 2 * pad}`,
      role: 'img', 'aria-label': `Sơ đồ ${plan.name}: ${plan.seats.length} ghế`, 'data-testid': 'seat-svg',
    });
    const stage = plan.seats.filter((s) => s.stage);
    if (stage.length) {
      const xs = stage.map((s) => s.x);
      const ys = stage.map((s) => s.y);
      const x0 = Math.min(...xs) - 0.6;
      const x1 = Math.max(...xs) + 1.6;
      svgEl.append(svg('rect', { class: 'stage', x: x0, y: -1.1, width: x1 - x0, height: Math.max(...ys) + 2, rx: 0.4 }));
      const label = svg('text', { class: 'stage-label', x: (x0 + x1) / 2, y: -0.35 });
      label.textContent = 'SÂN KHẤU';
      svgEl.append(label);
    }
    sectionLabels(plan.seats);
    const group = svg('g', { class: 'seats' });
    const fragment = document.createDocumentFragment();
    for (const seat of plan.seats) {
      const el = svg('rect', { class: 'seat', x: seat.x + (1 - SIZE) / 2, y: seat.y + (1 - SIZE) / 2, width: SIZE, height: SIZE, rx: 0.15, 'data-seat-id': seat.id, 'data-label': seat.label });
      paint(el, seat);
      state.els.set(seat.id, el);
      state.sig.set(seat.id, signature(seat));
      fragment.append(el);
    }
    group.append(fragment);
    svgEl.append(group);
    root.replaceChildren(svgEl, tip);
    listen(group);
    return finish(started, 'first_render_ms');
  }

  function sectionLabels(seats) {
    const sections = new Map();
    for (const s of seats) if (!s.stage) (sections.get(s.section) || sections.set(s.section, []).get(s.section)).push(s);
    for (const [code, members] of sections) {
      const xs = members.map((s) => s.x);
      const text = svg('text', { class: 'section-label', x: (Math.min(...xs) + Math.max(...xs) + 1) / 2, y: Math.min(...members.map((s) => s.y)) - 0.25 });
      text.textContent = `Khu ${code}`;
      svgEl.append(text);
    }
  }

  /** Re-paint only the seats whose occupant, colour, presence, lock or status changed. Returns how many. */
  function update(plan) {
    if (!svgEl || plan.hall_id !== state.plan?.hall_id || plan.seats.length !== state.plan.seats.length ||
        plan.seats.some((s) => !state.els.has(s.id))) {
      render(plan);
      return plan.seats.length;
    }
    const started = performance.now();
    index(plan);
    let changed = 0;
    for (const seat of plan.seats) {
      const sig = signature(seat);
      if (state.sig.get(seat.id) === sig) continue;
      state.sig.set(seat.id, sig);
      paint(state.els.get(seat.id), seat);
      changed += 1;
    }
    finish(started, 'last_update_ms');
    return changed;
  }

  /** A check-in (or its undo) from the stream: one seat changes. */
  function setPresent(delegateId, present) {
    const started = performance.now();
    const person = state.people.get(delegateId);
    if (!person) return false;
    person.present = present;
    const seat = person.seat_id && state.seats.get(person.seat_id);
    if (!seat) return false;
    const el = state.els.get(seat.id);
    el.dataset.present = present ? 'true' : 'false';
    state.sig.set(seat.id, signature(seat));
    finish(started, 'last_update_ms');
    return true;
  }

  function highlight(ids) {
    for (const el of root.querySelectorAll('.seat.hit')) el.classList.remove('hit');
    const wanted = new Set(ids);
    let first = null;
    for (const seat of state.plan?.seats || []) {
      if (seat.delegate_id && wanted.has(seat.delegate_id)) {
        const el = state.els.get(seat.id);
        el.classList.add('hit');
        first ||= el;
      }
    }
    root.classList.toggle('searching', wanted.size > 0);
    first?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
    return first;
  }

  function setMode(mode) {
    root.dataset.mode = mode;
  }

  // -- pointer: hover tip, click to select, drag to move/swap ------------------------------------------
  function seatAt(event) {
    const target = document.elementFromPoint(event.clientX, event.clientY);
    return target?.classList?.contains('seat') ? target : null;
  }

  function describe(el) {
    const seat = state.seats.get(el.dataset.seatId);
    const person = state.people.get(seat.delegate_id);
    const status = seat.status === 'blocked' ? ' · không sử dụng' : seat.status === 'reserved' ? ` · dành riêng${seat.purpose ? `: ${seat.purpose}` : ''}` : '';
    return { seat, person, text: `${seat.label}${status}${person ? ` — ${person.full_name} (${person.delegation_name})${person.present ? ' · có mặt' : ''}` : ' — trống'}` };
  }

  function showTip(el, event) {
    tip.textContent = describe(el).text;
    tip.hidden = false;
    const box = root.getBoundingClientRect();
    tip.style.left = `${Math.min(event.clientX - box.left + 12, box.width - 220)}px`;
    tip.style.top = `${event.clientY - box.top + root.scrollTop + 14}px`;
  }

  function listen(group) {
    group.addEventListener('pointermove', (event) => {
      const el = event.target.closest?.('.seat');
      if (el) showTip(el, event);
      else tip.hidden = true;
      if (state.drag) {
        const over = seatAt(event);
        for (const old of root.querySelectorAll('.seat.drop')) old.classList.remove('drop');
        if (over && over !== state.drag.el) over.classList.add('drop');
      }
    });
    group.addEventListener('pointerleave', () => (tip.hidden = true));
    group.addEventListener('pointerdown', (event) => {
      const el = event.target.closest?.('.seat');
      if (!el || event.button !== 0) return;
      event.preventDefault();
      state.drag = { el, x: event.clientX, y: event.clientY, moved: false };
      if (el.dataset.occupied === 'true') el.classList.add('dragging');
    });
    window.addEventListener('pointerup', drop);
  }

  function drop(event) {
    const drag = state.drag;
    state.drag = null;
    if (!drag) return;
    drag.el.classList.remove('dragging');
    for (const old of root.querySelectorAll('.seat.drop')) old.classList.remove('drop');
    const target = seatAt(event);
    const from = drag.el.dataset.seatId;
    if (!target || target === drag.el) {
      onSelect?.(describe(drag.el));
      return;
    }
    if (drag.el.dataset.occupied !== 'true') return;
    const to = target.dataset.seatId;
    if (target.dataset.occupied === 'true') onSwap?.(from, to);
    else onMove?.(drag.el.dataset.delegateId, to);
  }

  /** Drop target for people dragged from a list (HTML drag and drop carries their id). */
  root.addEventListener('dragover', (event) => {
    if (seatAt(event)) event.preventDefault();
  });
  root.addEventListener('drop', (event) => {
    const target = seatAt(event);
    const delegateId = event.dataTransfer?.getData('text/x-delegate-id');
    if (target && delegateId) {
      event.preventDefault();
      onAssign?.(delegateId, target.dataset.seatId);
    }
  });

  function finish(started, key) {
    const ms = performance.now() - started;
    window.__seatMapTimings = { ...(window.__seatMapTimings || {}), [key]: ms };
    return ms;
  }

  function destroy() {
    window.removeEventListener('pointerup', drop);
  }

  return { root, render, update, setPresent, highlight, setMode, destroy, seatElement: (id) => state.els.get(id) };
}
