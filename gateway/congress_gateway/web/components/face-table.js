// The per-delegate face table: consent (when, how), photos, look-alike flag, and the row actions.
// It reuses the delegate table's styles, so on a phone each row becomes a card.

import { h } from '../lib/dom.js';
import { consentStatus } from '../lib/faces.js';
import { kindLabel } from '../lib/format.js';

const COLUMNS = ['STT', 'Mã', 'Họ và tên', 'Đoàn', 'Đồng ý', 'Ảnh', 'Nhận diện', 'Thao tác'];

/** table = faceTable({onConsent, onPhotos, onWithdraw, onUnenrol}); table.update(items) */
export function faceTable(actions) {
  const body = h('tbody', { testid: 'face-rows' });
  const table = h(
    'table',
    { class: 'table delegates-table rows-as-cards face-table', testid: 'face-table' },
    h('thead', {}, h('tr', {}, COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
    body,
  );
  const empty = h('p', { class: 'muted empty', testid: 'face-empty', hidden: true }, 'Không có đại biểu nào phù hợp.');
  const root = h('div', { class: 'table-wrap' }, table, empty);
  let drawn = new Map(); // delegate id → {key, el}: a live reload redraws only the rows that changed
  function update(items) {
    empty.hidden = items.length > 0;
    table.hidden = items.length === 0;
    const next = new Map();
    const rows = items.map((d, i) => {
      const key = `${i}|${JSON.stringify(d)}`;
      const old = drawn.get(d.id);
      const el = old?.key === key ? old.el : row(d, i + 1, actions);
      next.set(d.id, { key, el });
      return el;
    });
    drawn = next;
    body.replaceChildren(...rows);
  }
  return { root, update };
}

function row(d, index, actions) {
  const cell = (label, ...content) => h('td', { 'data-label': label }, ...content);
  return h(
    'tr',
    { testid: 'face-row', dataset: { delegateId: d.id, code: d.code, consent: String(d.consent), photos: String(d.photos) } },
    cell('STT', String(index)),
    cell('Mã', h('span', { class: 'code' }, d.code)),
    cell('Họ và tên', h('div', {}, h('strong', { class: 'name', testid: 'face-name' }, d.full_name), h('small', { class: 'sub' }, kindLabel(d.kind)))),
    cell('Đoàn', d.delegation_name),
    cell('Đồng ý', consentStatus(d)),
    cell('Ảnh', h('span', { testid: 'face-photos' }, String(d.photos))),
    cell('Nhận diện', enrolment(d)),
    h('td', { class: 'row-actions', 'data-label': 'Thao tác' }, rowActions(d, actions)),
  );
}

function enrolment(d) {
  if (!d.photos) return h('span', { class: 'status status-absent', testid: 'face-enrolment' }, 'Chưa đăng ký');
  if (d.lookalike) {
    return h('span', { class: 'status status-lookalike', testid: 'face-enrolment', title: 'Khuôn mặt quá giống một đại biểu khác: điểm danh bằng thẻ + khuôn mặt' }, 'Giống người khác: cần thẻ');
  }
  return h('span', { class: 'status status-present', testid: 'face-enrolment' }, 'Đã đăng ký');
}

function rowActions(d, { onConsent, onPhotos, onWithdraw, onUnenrol }) {
  const button = (testid, label, fn, cls = '') => h('button', { type: 'button', class: `btn btn-small btn-ghost ${cls}`, testid, onClick: () => fn(d) }, label);
  return [
    d.consent ? button('face-photos-button', 'Tải ảnh', onPhotos) : button('face-consent-button', 'Ghi nhận đồng ý', onConsent),
    d.photos ? button('face-unenrol-button', 'Xóa ảnh', onUnenrol, 'danger-text') : null,
    d.consent ? button('face-withdraw-button', 'Rút đồng ý', onWithdraw, 'danger-text') : null,
  ];
}
