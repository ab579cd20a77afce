// Desk search: find delegates by name (no diacritics needed), check them in, or undo.

import { h, mount } from '../lib/dom.js';
import { formatTime, kindLabel } from '../lib/format.js';
import { fetchDelegates } from '../lib/roster.js';
import { StaleError, debounce, latestOnly } from '../lib/util.js';

const LIMIT = 20;

/** deskSearch({cid, onCheckIn(d, button), onUndo(d) | null}) → {root, input, refresh} */
export function deskSearch({ cid, onCheckIn, onUndo }) {
  const latest = latestOnly();
  const input = h('input', {
    type: 'search',
    id: 'desk-search',
    testid: 'desk-search',
    placeholder: 'Nhập họ tên, mã hoặc đoàn (không dấu cũng được)',
    autocomplete: 'off',
    enterkeyhint: 'search',
  });
  const info = h('p', { class: 'muted', role: 'status', testid: 'desk-search-info' }, 'Nhập tên để tìm đại biểu.');
  const list = h('ul', { class: 'result-list', testid: 'desk-results' });

  async function refresh() {
    const q = input.value.trim();
    if (!q) {
      latest(Promise.resolve()).catch(() => {});
      list.replaceChildren();
      info.textContent = 'Nhập tên để tìm đại biểu.';
      return;
    }
    try {
      const res = await latest(fetchDelegates(cid, { q, limit: LIMIT }, { silent: true }));
      mount(list, res.items.map((d) => resultRow(d, onCheckIn, onUndo)));
      const total = res.total ?? res.items.length;
      info.textContent = !total ? `Không tìm thấy đại biểu nào với “${q}”.` : total > res.items.length ? `Hiện ${res.items.length}/${total} kết quả, gõ thêm để thu hẹp.` : `${total} kết quả.`;
    } catch (err) {
      if (!(err instanceof StaleError)) info.textContent = err.detail || 'Không tìm được.';
    }
  }
  const refreshSoon = debounce(refresh, 250);
  input.addEventListener('input', refreshSoon);
  input.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    refreshSoon.cancel();
    refresh();
  });

  const root = h(
    'section',
    { class: 'card desk-search', 'aria-labelledby': 'desk-search-title' },
    h('h2', { id: 'desk-search-title' }, 'Tìm và điểm danh thủ công'),
    h('div', { class: 'field' }, h('label', { for: 'desk-search' }, 'Tìm đại biểu'), input),
    info,
    list,
  );
  return { root, input, refresh, cancel: refreshSoon.cancel };
}

/** One delegate as the desk shows them: name, code, delegation, and check-in (or undo) to confirm. */
export function resultRow(d, onCheckIn, onUndo) {
  const action = d.withdrawn
    ? h('div', { class: 'result-action' }, h('span', { class: 'status status-withdrawn', testid: 'withdrawn-badge' }, `Đã rút khỏi đại hội: ${d.withdraw_reason || ''}`))
    : d.checked_in
    ? h(
        'div',
        { class: 'result-action' },
        h('span', { class: 'status status-present', testid: 'checked-in-badge' }, `Đã có mặt${d.checked_in_at ? ` ${formatTime(d.checked_in_at)}` : ''}`),
        onUndo ? h('button', { type: 'button', class: 'btn btn-ghost', testid: 'undo-button', onClick: () => onUndo(d) }, 'Hoàn tác') : null,
      )
    : h('div', { class: 'result-action' }, checkInButton(d, onCheckIn));
  return h(
    'li',
    { class: d.checked_in ? 'result present' : 'result', testid: 'desk-result', dataset: { delegateId: d.id, checkedIn: String(Boolean(d.checked_in)) } },
    h(
      'div',
      { class: 'result-main' },
      h('strong', { class: 'result-name', testid: 'desk-result-name' }, d.full_name),
      h('span', { class: 'result-meta' }, [d.code, d.delegation_name, kindLabel(d.kind)].filter(Boolean).join(' · ')),
    ),
    action,
  );
}

function checkInButton(d, onCheckIn) {
  const button = h('button', { type: 'button', class: 'btn btn-primary btn-large', testid: 'checkin-button' }, 'Điểm danh');
  button.addEventListener('click', () => onCheckIn(d, button));
  return button;
}
