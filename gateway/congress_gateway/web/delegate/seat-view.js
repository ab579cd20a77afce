// "Your seat" for a delegate's phone: section, row, number and a small map of the hall with the seat marked.
// Self-contained (no console code): the delegate app mounts it with its own request function.
//
//   import { renderSeatView } from '/static/delegate/seat-view.js';
//   const view = renderSeatView(element, { cid, request: (path) => fetchJson(path) });
//   await view.refresh();   // e.g. again when `seating.published` arrives on the stream

import { rowLabel } from '/static/lib/format.js';

const SVG = 'http://www.w3.org/2000/svg';

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  node.append(...children.filter((c) => c != null));
  return node;
}

function smallMap(seat) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `-1 -1 ${seat.width + 2} ${seat.height + 2}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `Vị trí ghế ${seat.label} trong ${seat.hall_name}`);
  svg.setAttribute('class', 'my-seat-map');
  svg.dataset.testid = 'my-seat-map';
  const fragment = document.createDocumentFragment();
  for (const [x, y, stage] of seat.map) {
    const dot = document.createElementNS(SVG, 'rect');
    dot.setAttribute('x', x + 0.1);
    dot.setAttribute('y', y + 0.1);
    dot.setAttribute('width', 0.8);
    dot.setAttribute('height', 0.8);
    dot.setAttribute('fill', stage ? '#d9c9a3' : '#d3d9e3');
    fragment.append(dot);
  }
  const mine = document.createElementNS(SVG, 'circle');
  mine.setAttribute('cx', seat.x + 0.5);
  mine.setAttribute('cy', seat.y + 0.5);
  mine.setAttribute('r', 1.6);
  mine.setAttribute('fill', '#c8102e');
  mine.setAttribute('stroke', '#fff');
  mine.setAttribute('stroke-width', 0.4);
  mine.dataset.testid = 'my-seat-marker';
  fragment.append(mine);
  svg.append(fragment);
  return svg;
}

export function renderSeatView(root, { cid, request }) {
  root.classList.add('my-seat');
  root.dataset.testid = 'my-seat';

  function show(seat) {
    root.dataset.published = String(Boolean(seat.published));
    if (!seat.label) {
      root.replaceChildren(el('h2', {}, 'Chỗ ngồi của bạn'), el('p', { class: 'my-seat-message', 'data-testid': 'my-seat-message' }, seat.message));
      return;
    }
    const where = seat.section === 'SK' ? 'Sân khấu' : `Khu ${seat.section}`;
    root.replaceChildren(
      el('h2', {}, 'Chỗ ngồi của bạn'),
      el('p', { class: 'my-seat-label', 'data-testid': 'my-seat-label' }, seat.label),
      el('dl', { class: 'my-seat-parts' },
        el('div', {}, el('dt', {}, 'Khu'), el('dd', { 'data-testid': 'my-seat-section' }, where)),
        el('div', {}, el('dt', {}, 'Hàng'), el('dd', { 'data-testid': 'my-seat-row' }, rowLabel(seat.row))),
        el('div', {}, el('dt', {}, 'Ghế số'), el('dd', { 'data-testid': 'my-seat-number' }, String(seat.number)))),
      smallMap(seat),
      el('p', { class: 'my-seat-hall' }, `${seat.hall_name} · sân khấu ở phía trên sơ đồ`),
    );
  }

  async function refresh() {
    try {
      show(await request(`/api/congresses/${encodeURIComponent(cid)}/me/seat`));
    } catch (err) {
      root.replaceChildren(el('p', { class: 'my-seat-message', role: 'alert' }, err?.detail || err?.message || 'Không tải được chỗ ngồi, vui lòng thử lại.'));
    }
  }

  return { refresh };
}
