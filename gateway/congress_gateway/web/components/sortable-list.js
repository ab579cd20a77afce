// A list the organiser reorders by dragging (or with the ↑ ↓ buttons, for keyboards and phones).
//   const list = sortableList(items, { label: (item) => text, testid });  list.root; list.items() → current order

import { h } from '../lib/dom.js';

export function sortableList(items, { label, testid = 'sortable' }) {
  let order = [...items];
  let dragged = null;
  const root = h('ol', { class: 'sortable', testid });

  function draw() {
    root.replaceChildren(
      ...order.map((item, i) =>
        h(
          'li',
          { draggable: 'true', testid: `${testid}-item`, dataset: { index: String(i) }, onDragstart: () => (dragged = i), onDragover: (e) => e.preventDefault(), onDrop: (e) => (e.preventDefault(), move(dragged, i)) },
          h('span', { class: 'grip', 'aria-hidden': 'true' }, '⠿'),
          h('span', { class: 'grow' }, label(item)),
          h('button', { type: 'button', class: 'btn btn-small btn-ghost', 'aria-label': 'Lên', disabled: i === 0, onClick: () => move(i, i - 1) }, '↑'),
          h('button', { type: 'button', class: 'btn btn-small btn-ghost', 'aria-label': 'Xuống', disabled: i === order.length - 1, onClick: () => move(i, i + 1) }, '↓'),
        ),
      ),
    );
  }

  function move(from, to) {
    if (from == null || to < 0 || to >= order.length || from === to) return;
    const [item] = order.splice(from, 1);
    order.splice(to, 0, item);
    draw();
  }

  draw();
  return { root, items: () => [...order] };
}
