// Create or change the hall: by form (sections × rows × seats, aisles, stage rows), from Excel, or copied
// from another congress. A change that would unseat people comes back as a 409 listing them: the
// organiser sees who and confirms (or not).

import { ApiError, api, fetchFile } from '../lib/api.js';
import { confirmDialog } from '../lib/dialogs.js';
import { field, h } from '../lib/dom.js';
import { toastSuccess } from '../lib/toast.js';
import { downloadBlob } from '../lib/util.js';

const DEFAULT_SECTIONS = [
  { code: 'A', rows: 12, seats_per_row: 14, aisles_after: '7' },
  { code: 'B', rows: 12, seats_per_row: 20, aisles_after: '10' },
  { code: 'C', rows: 12, seats_per_row: 14, aisles_after: '7' },
];

const numbers = (text) => String(text || '').split(/[,;\s]+/).filter(Boolean).map(Number);

/** Run a hall change; on "would unseat people" show who and send again with confirm when the organiser agrees. */
export async function withConfirmation(send) {
  try {
    return await send(false);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 409 || !err.errors?.length) throw err;
    const names = err.errors.slice(0, 12).map((e) => `${e.full_name || '?'} (${e.seat})`).join(', ');
    const more = err.errors.length > 12 ? ` và ${err.errors.length - 12} người khác` : '';
    const ok = await confirmDialog({
      title: `Bỏ chỗ của ${err.errors.length} người?`,
      message: `Thay đổi này làm mất ghế của: ${names}${more}. Họ sẽ về danh sách chưa có chỗ.`,
      confirmLabel: 'Vẫn thay đổi', danger: true,
    });
    return ok ? send(true) : null;
  }
}

export function hallForm({ cid, congresses = [], onSaved }) {
  const base = `/api/congresses/${encodeURIComponent(cid)}/seating`;
  const name = h('input', { name: 'name', required: true, minlength: 2, maxlength: 200, value: 'Hội trường', testid: 'hall-name' });
  const stageRows = h('input', { type: 'number', min: 0, max: 10, value: 2, testid: 'hall-stage-rows' });
  const stageSeats = h('input', { type: 'number', min: 1, max: 100, value: 15, testid: 'hall-stage-seats' });
  const blocked = h('input', { placeholder: 'A-01-01, B-12-20', testid: 'hall-blocked' });
  const reserved = h('textarea', { rows: 2, placeholder: 'A-01-13: Báo chí\nB-01-01: Người khuyết tật', testid: 'hall-reserved' });
  const rows = h('tbody', {});
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true, testid: 'hall-error' });

  function sectionRow(s) {
    const input = (key, attrs) => h('input', { name: key, value: s[key], 'aria-label': key, ...attrs });
    return h(
      'tr',
      { testid: 'hall-section' },
      h('td', {}, input('code', { maxlength: 6, size: 4, 'aria-label': 'Mã khu' })),
      h('td', {}, input('rows', { type: 'number', min: 1, max: 200, 'aria-label': 'Số hàng' })),
      h('td', {}, input('seats_per_row', { type: 'number', min: 1, max: 200, 'aria-label': 'Ghế mỗi hàng' })),
      h('td', {}, input('aisles_after', { placeholder: '7', 'aria-label': 'Lối đi sau ghế số' })),
      h('td', {}, h('button', { type: 'button', class: 'btn btn-small btn-ghost', 'aria-label': 'Xóa khu', onClick: (e) => e.target.closest('tr').remove() }, '×')),
    );
  }
  rows.append(...DEFAULT_SECTIONS.map(sectionRow));

  function body(confirm) {
    const sections = [...rows.querySelectorAll('tr')].map((tr) => {
      const get = (key) => tr.querySelector(`[name="${key}"]`).value.trim();
      return { code: get('code').toUpperCase(), rows: Number(get('rows')), seats_per_row: Number(get('seats_per_row')), aisles_after: numbers(get('aisles_after')) };
    });
    const reservedMap = Object.fromEntries(reserved.value.split('\n').map((l) => l.split(':')).filter(([label]) => label?.trim()).map(([label, ...purpose]) => [label.trim().toUpperCase(), purpose.join(':').trim() || 'Dành riêng']));
    return {
      name: name.value.trim(), stage_rows: Number(stageRows.value), stage_seats_per_row: Number(stageSeats.value), sections,
      blocked: blocked.value.split(/[,;\s]+/).filter(Boolean).map((l) => l.toUpperCase()), reserved: reservedMap, confirm,
    };
  }

  async function submit(event) {
    event.preventDefault();
    error.hidden = true;
    try {
      const plan = await withConfirmation((confirm) => api(`${base}/hall`, { method: 'PUT', json: body(confirm), silent: true }));
      if (plan) saved(plan, 'Đã lưu sơ đồ hội trường');
    } catch (err) {
      showError(err);
    }
  }

  function showError(err) {
    error.hidden = false;
    const lines = (err.errors || []).map((e) => e.message || e.msg).filter(Boolean).slice(0, 15);
    error.replaceChildren(err.detail || String(err), lines.length ? h('ul', {}, lines.map((l) => h('li', {}, l))) : '');
  }

  function saved(plan, message) {
    toastSuccess(`${message}: ${plan.seats.length} ghế`);
    onSaved?.(plan);
  }

  const form = h(
    'form',
    { class: 'stack', testid: 'hall-form', onSubmit: submit, novalidate: true },
    h('div', { class: 'form-grid' }, field('Tên hội trường', name), field('Số hàng trên sân khấu', stageRows), field('Ghế mỗi hàng sân khấu', stageSeats)),
    h(
      'div',
      { class: 'table-wrap' },
      h('table', { class: 'table compact hall-sections' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Khu'), h('th', {}, 'Số hàng'), h('th', {}, 'Ghế mỗi hàng'), h('th', {}, 'Lối đi sau ghế số'), h('th', {}, ''))),
        rows),
    ),
    h('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: 'hall-add-section', onClick: () => rows.append(sectionRow({ code: String.fromCharCode(65 + rows.children.length), rows: 10, seats_per_row: 14, aisles_after: '' })) }, '+ Thêm khu'),
    h('div', { class: 'form-grid' }, field('Ghế không sử dụng', blocked, 'Nhãn ghế, cách nhau bằng dấu phẩy'), field('Ghế dành riêng', reserved, 'Mỗi dòng: nhãn ghế: mục đích')),
    error,
    h('button', { type: 'submit', class: 'btn btn-primary', testid: 'hall-submit' }, 'Lưu sơ đồ hội trường'),
  );

  const file = h('input', { type: 'file', accept: '.xlsx', testid: 'hall-file' });
  async function importFile() {
    error.hidden = true;
    if (!file.files?.length) return showError({ detail: 'Chọn tệp Excel (.xlsx) sơ đồ hội trường' });
    try {
      const plan = await withConfirmation((confirm) => {
        const data = new FormData();
        data.append('file', file.files[0]);
        data.append('name', name.value.trim() || 'Hội trường');
        data.append('confirm', String(confirm));
        return api(`${base}/hall/import`, { method: 'POST', form: data, silent: true });
      });
      if (plan) saved(plan, 'Đã nhập sơ đồ từ Excel');
    } catch (err) {
      showError(err);
    }
  }
  async function template() {
    const { blob } = await fetchFile(`${base}/hall/template`);
    downloadBlob(blob, 'mau-so-do-hoi-truong.xlsx');
  }

  const source = h('select', { testid: 'hall-copy-source' }, h('option', { value: '' }, '— Chọn đại hội —'), congresses.filter((c) => c.id !== cid).map((c) => h('option', { value: c.id }, c.name)));
  async function copy() {
    error.hidden = true;
    if (!source.value) return showError({ detail: 'Chọn đại hội có sơ đồ hội trường cần sao chép' });
    try {
      const plan = await withConfirmation((confirm) => api(`${base}/hall/copy`, { method: 'POST', json: { from_congress_id: source.value, confirm }, silent: true }));
      if (plan) saved(plan, 'Đã sao chép sơ đồ hội trường');
    } catch (err) {
      showError(err);
    }
  }

  const root = h(
    'div',
    { class: 'hall-setup' },
    h('section', { class: 'card' }, h('h2', {}, 'Tạo sơ đồ bằng biểu mẫu'), form),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, 'Hoặc nhập từ Excel'),
      h('p', { class: 'muted' }, 'Mỗi dòng là một hàng ghế: Khu, Hàng, Số ghế, Lối đi sau ghế số, Ghế không sử dụng, Ghế dành riêng. Không gộp ô.'),
      h('div', { class: 'toolbar' }, h('div', { class: 'grow' }, field('Tệp sơ đồ (.xlsx)', file)),
        h('button', { type: 'button', class: 'btn btn-primary', testid: 'hall-import', onClick: importFile }, 'Nhập sơ đồ'),
        h('button', { type: 'button', class: 'btn btn-ghost', testid: 'hall-template', onClick: template }, 'Tải tệp mẫu')),
      h('h2', {}, 'Hoặc sao chép từ đại hội khác'),
      h('div', { class: 'toolbar' }, h('div', { class: 'grow' }, field('Đại hội nguồn', source)),
        h('button', { type: 'button', class: 'btn btn-ghost', testid: 'hall-copy', onClick: copy }, 'Sao chép')),
    ),
  );
  return { root };
}
