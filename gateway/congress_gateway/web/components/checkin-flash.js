// The big message after a check-in at the desk: who, which delegation, new or already present, or the error.

import { h, mount } from '../lib/dom.js';
import { formatTime, kindLabel, rowLabel } from '../lib/format.js';

export function checkinFlash() {
  const root = h('div', { class: 'flash', testid: 'checkin-flash', 'aria-live': 'assertive', hidden: true });

  /** result: the check-in response; onUndo(result) offered when given. */
  function showResult(result, onUndo) {
    const already = Boolean(result.already_checked_in);
    root.dataset.state = already ? 'already' : 'new';
    const when = formatTime(result.checked_in_at);
    mount(
      root,
      h('p', { class: 'flash-status', testid: 'flash-message' }, already ? `Đã điểm danh trước đó${when ? ` lúc ${when}` : ''}` : `Điểm danh thành công${when ? ` lúc ${when}` : ''}`),
      h('p', { class: 'flash-name', testid: 'flash-name' }, result.full_name),
      h('p', { class: 'flash-meta' }, h('span', { testid: 'flash-delegation' }, result.delegation_name || ''), result.kind ? ` · ${kindLabel(result.kind)}` : ''),
      result.seat ? h('p', { class: 'flash-seat', testid: 'flash-seat' }, `Ghế ${result.seat.label}`, h('span', {}, ` · ${result.seat.section === 'SK' ? 'Sân khấu' : `Khu ${result.seat.section}`}, hàng ${rowLabel(result.seat.row)}, ghế số ${result.seat.number}`)) : null,
      onUndo ? h('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: 'flash-undo-button', onClick: () => onUndo(result) }, 'Hoàn tác') : null,
    );
    root.hidden = false;
    navigator.vibrate?.(already ? [80, 60, 80] : 60);
  }

  function showError(message) {
    root.dataset.state = 'error';
    mount(root, h('p', { class: 'flash-status', testid: 'flash-message' }, message || 'Không điểm danh được.'));
    root.hidden = false;
    navigator.vibrate?.([200]);
  }

  function showInfo(message) {
    root.dataset.state = 'info';
    mount(root, h('p', { class: 'flash-status', testid: 'flash-message' }, message));
    root.hidden = false;
  }

  /** A delegate found another way than their badge (a typed code): shown for the operator to confirm. */
  function showCandidate(message, row) {
    root.dataset.state = 'candidate';
    mount(root, h('p', { class: 'flash-status', testid: 'flash-message' }, message), h('ul', { class: 'result-list' }, row));
    root.hidden = false;
  }

  return { root, showResult, showError, showInfo, showCandidate };
}
