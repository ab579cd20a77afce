// What an import will do, before it is done: added, changed (field by field), unchanged, refused, warnings.
// Protected rows (renaming someone already checked in or whose badge was printed) get their own checkbox.

import { h } from '../lib/dom.js';
import { kindLabel, rolesLabel } from '../lib/format.js';

/** previewView(plan) → {element, confirmedRows(): number[]} */
export function previewView(plan) {
  const boxes = [];
  const refused = plan.refused_rows.length > 0;
  const element = h(
    'div',
    { class: 'import-preview', testid: 'import-preview' },
    h('h3', {}, 'Xem trước: hệ thống sẽ làm gì với tệp này'),
    counts(plan),
    plan.skipped_examples.length
      ? h('p', { class: 'muted', testid: 'import-examples' }, `Dòng ví dụ của mẫu (dòng ${plan.skipped_examples.join(', ')}) được bỏ qua, không bao giờ được nhập.`)
      : null,
    refused
      ? h('div', { class: 'notice notice-error', testid: 'import-refused' }, h('p', {}, h('strong', {}, 'Dòng bị từ chối — sửa tệp rồi xem trước lại; chưa dòng nào được nhập')), refusedTable(plan.refused_rows, 'import-refused-row'))
      : null,
    plan.warnings.length ? issues('Cảnh báo trùng tên trong cùng đoàn — xác nhận nếu đúng là hai người khác nhau', plan.warnings, 'import-warnings', 'notice-warn') : null,
    plan.changed.length ? changedTable(plan.changed, boxes) : null,
    plan.added.length ? listDetails(`Thêm mới (${plan.added.length})`, plan.added, 'import-added') : null,
    plan.unchanged.length ? listDetails(`Không thay đổi (${plan.unchanged.length})`, plan.unchanged, 'import-unchanged-list') : null,
  );
  return { element, confirmedRows: () => boxes.filter((b) => b.checked).map((b) => Number(b.value)) };
}

function counts(plan) {
  const item = (testid, label, value, cls = '') => h('li', { class: cls }, h('strong', { testid }, String(value)), ` ${label}`);
  return h(
    'ul',
    { class: 'inline-list preview-counts' },
    item('preview-added', 'thêm mới', plan.added.length),
    item('preview-changed', 'thay đổi', plan.changed.length, plan.changed.length ? 'warn' : ''),
    item('preview-unchanged', 'không thay đổi', plan.unchanged.length),
    item('preview-refused', 'dòng bị từ chối', plan.refused_rows.length, plan.refused_rows.length ? 'bad' : ''),
    item('preview-warnings', 'cảnh báo', plan.warnings.length, plan.warnings.length ? 'warn' : ''),
  );
}

function issues(title, rows, testid, cls) {
  return h(
    'div',
    { class: `notice ${cls}`, testid },
    h('p', {}, h('strong', {}, title)),
    table(['Dòng', 'Cột', 'Nội dung'], rows.map((e) => [String(e.row), e.column || '—', e.message]), `${testid}-row`),
  );
}

/** Row errors [{row, column, message}] → one entry per row, in file order: [{row, errors: [{column, message}]}]. */
export function byRow(errors) {
  const rows = new Map();
  for (const e of errors) {
    if (!rows.has(e.row)) rows.set(e.row, { row: e.row, errors: [] });
    rows.get(e.row).errors.push(e);
  }
  return [...rows.values()].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
}

/** One table line per refused row of the file, all its errors together. */
export function refusedTable(rows, rowTestid) {
  const errorList = (errors) => h('ul', { class: 'changes' }, errors.map((e) => h('li', {}, e.column ? h('strong', {}, `${e.column}: `) : null, e.message || '')));
  return table(['Dòng', 'Lỗi'], rows.map((r) => [r.row != null ? String(r.row) : '—', errorList(r.errors)]), rowTestid);
}

function changedTable(changed, boxes) {
  const rows = changed.map((c) => {
    const box = c.protected ? h('input', { type: 'checkbox', value: String(c.row), testid: `confirm-row-${c.row}`, 'aria-label': `Xác nhận dòng ${c.row}` }) : null;
    if (box) boxes.push(box);
    const what = c.restores ? [h('li', {}, 'Khôi phục đại biểu đã xóa'), ...c.changes.map(changeItem)] : c.changes.map(changeItem);
    return h(
      'tr',
      { testid: 'import-change-row', class: c.protected ? 'protected' : '' },
      h('td', {}, String(c.row)),
      h('td', {}, c.code),
      h('td', {}, c.full_name),
      h('td', {}, h('ul', { class: 'changes' }, what)),
      h('td', {}, c.protected ? h('label', { class: 'check protected-confirm' }, box, ` ${c.protected}: xác nhận riêng dòng này`) : 'Cùng xác nhận'),
    );
  });
  return h(
    'div',
    { class: 'notice notice-warn', testid: 'import-changed' },
    h('p', {}, h('strong', {}, `Thay đổi đại biểu đã có (${changed.length}) — cần xác nhận`)),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table compact' }, head(['Dòng', 'Mã', 'Họ và tên hiện tại', 'Thay đổi', 'Xác nhận']), h('tbody', {}, rows))),
  );
}

function changeItem(c) {
  return h('li', {}, h('strong', {}, c.label), ': ', h('del', {}, show(c.field, c.old)), ' → ', h('ins', {}, show(c.field, c.new)));
}

function show(fieldName, value) {
  if (value == null || value === '' || (Array.isArray(value) && !value.length)) return '(trống)';
  if (fieldName === 'kind') return kindLabel(value);
  if (fieldName === 'roles') return rolesLabel(value);
  if (fieldName === 'gender') return value === 'female' ? 'Nữ' : value === 'male' ? 'Nam' : value;
  if (typeof value === 'boolean') return value ? 'Có' : 'Không';
  return String(value);
}

function listDetails(title, rows, testid) {
  return h(
    'details',
    { class: 'preview-list', testid },
    h('summary', {}, title),
    table(['Dòng', 'Mã', 'Họ và tên', 'Đoàn đại biểu'], rows.map((r) => [String(r.row), r.code || '(tự cấp)', r.full_name, r.delegation])),
  );
}

function table(columns, rows, rowTestid) {
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', { class: 'table compact' }, head(columns), h('tbody', {}, rows.map((cells) => h('tr', { testid: rowTestid }, cells.map((c) => h('td', {}, c)))))),
  );
}

function head(columns) {
  return h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c))));
}
