// The delegate table: STT, Mã, Họ và tên, Đoàn, Loại, Vai trò, Trạng thái có mặt, and row actions.
// On narrow screens CSS turns each row into a card (td[data-label] provides the captions).

import { h, mount } from '../lib/dom.js';
import { formatTime, kindLabel, methodLabel, rolesLabel } from '../lib/format.js';

const COLUMNS = ['STT', 'Mã', 'Họ và tên', 'Đoàn', 'Loại', 'Vai trò', 'Trạng thái có mặt'];

/**
 * table = delegateTable({onBadge, onEdit, onDelete, onWithdraw, onReinstate}, selection?); table.update(items).
 * Handlers may be null. selection (a Set of ids, with selection.onChange) adds a checkbox column for printing.
 */
export function delegateTable(actions = {}, selection = null) {
  const hasActions = Object.values(actions).some(Boolean);
  const body = h('tbody', { testid: 'delegate-rows' });
  let shown = [];
  const all = selection ? h('input', { type: 'checkbox', testid: 'select-all', 'aria-label': 'Chọn tất cả đại biểu đang hiện' }) : null;
  all?.addEventListener('change', () => {
    for (const d of shown) all.checked ? selection.add(d.id) : selection.delete(d.id);
    for (const box of body.querySelectorAll('input[data-select]')) box.checked = all.checked;
    selection.onChange?.();
  });
  const table = h(
    'table',
    { class: 'table delegates-table rows-as-cards', testid: 'delegate-table' },
    h('thead', {}, h('tr', {}, all ? h('th', { scope: 'col', class: 'no-print select-col' }, all) : null, COLUMNS.map((c) => h('th', { scope: 'col' }, c)), hasActions ? h('th', { scope: 'col', class: 'no-print' }, 'Thao tác') : null)),
    body,
  );
  const empty = h('p', { class: 'muted empty', testid: 'delegate-empty', hidden: true }, 'Không có đại biểu nào phù hợp.');
  const root = h('div', { class: 'table-wrap' }, table, empty);

  function update(items) {
    shown = items;
    empty.hidden = items.length > 0;
    table.hidden = items.length === 0;
    mount(body, items.map((d, i) => row(d, i + 1, actions, hasActions, selection)));
    if (all) all.checked = items.length > 0 && items.every((d) => selection.has(d.id));
  }
  return { root, update };
}

function row(d, index, actions, hasActions, selection) {
  const cell = (label, ...content) => h('td', { 'data-label': label }, ...content);
  return h(
    'tr',
    { testid: 'delegate-row', dataset: { delegateId: d.id, code: d.code || '', checkedIn: String(Boolean(d.checked_in)) } },
    selection ? h('td', { class: 'no-print select-col', 'data-label': 'Chọn' }, selectBox(d, selection)) : null,
    cell('STT', String(index)),
    cell('Mã', h('span', { class: 'code' }, d.code || '')),
    cell('Họ và tên', h('div', {}, h('strong', { class: 'name', testid: 'delegate-name' }, d.full_name), d.position ? h('small', { class: 'sub' }, d.position) : null)),
    cell('Đoàn', d.delegation_name || ''),
    cell('Loại', h('span', { class: `tag kind-${d.kind}` }, kindLabel(d.kind))),
    cell('Vai trò', rolesLabel(d.roles)),
    cell('Trạng thái có mặt', presence(d)),
    hasActions ? h('td', { class: 'row-actions no-print', 'data-label': 'Thao tác' }, rowActions(d, actions)) : null,
  );
}

function presence(d) {
  if (d.withdrawn) {
    return h('span', { class: 'status status-withdrawn', testid: 'delegate-status', title: d.withdraw_reason || null }, `Đã rút: ${d.withdraw_reason || ''}`);
  }
  if (!d.checked_in) return h('span', { class: 'status status-absent', testid: 'delegate-status' }, 'Chưa có mặt');
  const when = formatTime(d.checked_in_at);
  const how = methodLabel(d.checkin_method);
  return h(
    'span',
    { class: 'status status-present', testid: 'delegate-status', title: how ? `Điểm danh: ${how}` : null },
    when ? `Có mặt ${when}` : 'Có mặt',
  );
}

function rowActions(d, { onBadge, onEdit, onDelete, onWithdraw, onReinstate }) {
  const button = (testid, label, fn, cls = '') => h('button', { type: 'button', class: `btn btn-small btn-ghost ${cls}`, testid, onClick: () => fn(d) }, label);
  return [
    onBadge ? button('badge-button', 'Thẻ QR', onBadge) : null,
    onEdit ? button('edit-button', 'Sửa', onEdit) : null,
    d.withdrawn && onReinstate ? button('reinstate-button', 'Khôi phục', onReinstate) : null,
    !d.withdrawn && onWithdraw ? button('withdraw-button', 'Rút tên', onWithdraw, 'danger-text') : null,
    // someone who has checked in is withdrawn (with a reason), never deleted
    !d.withdrawn && !d.checked_in && onDelete ? button('delete-button', 'Xóa', onDelete, 'danger-text') : null,
  ];
}

function selectBox(d, selection) {
  const box = h('input', { type: 'checkbox', testid: 'select-delegate', checked: selection.has(d.id), dataset: { select: '1' }, 'aria-label': `Chọn ${d.full_name}` });
  box.addEventListener('change', () => {
    box.checked ? selection.add(d.id) : selection.delete(d.id);
    selection.onChange?.();
  });
  return box;
}
