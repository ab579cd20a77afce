// Dialogs of one document: upload a new version, read receipts (who opened which version, who has not).

import { api } from '../lib/api.js';
import { openModal } from '../lib/dialogs.js';
import { field, h, mount, showFormErrors } from '../lib/dom.js';
import { formatDateTime, formatNumber } from '../lib/format.js';
import { documentsPath } from '../lib/programme.js';
import { toastSuccess } from '../lib/toast.js';

/** A new version of `doc` (the old ones are kept); resolves with the document as it is now, or null. */
export function newVersionDialog(cid, doc) {
  return new Promise((resolve) => {
    let result = null;
    const file = h('input', { type: 'file', name: 'file', accept: '.pdf,.docx,.xlsx,application/pdf', required: true, testid: 'version-file' });
    const note = h('input', { name: 'note', maxlength: 500, placeholder: 'Ví dụ: sửa Điều 5 theo ý kiến thảo luận tổ', testid: 'version-note' });
    const error = h('div', { class: 'form-error', role: 'alert', hidden: true, testid: 'version-error' });
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'version-submit' }, 'Tải bản mới');
    const cancel = h('button', { type: 'button', class: 'btn btn-ghost' }, 'Hủy');
    const form = h('form', { class: 'stack', novalidate: true },
      h('p', {}, `Hiện là bản ${doc.version}. Bản mới thay bản hiện hành; các bản cũ vẫn được giữ. Đại biểu đã đọc sẽ thấy dấu “Cập nhật”.`),
      field('Tệp bản mới', file), field('Nội dung sửa đổi', note), error, h('div', { class: 'modal-foot' }, cancel, submit));
    const { close } = openModal({ title: `Bản mới: ${doc.title}`, testid: 'version-dialog', body: form, onClose: () => resolve(result) });
    cancel.addEventListener('click', close);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!file.files[0]) return showFormErrors(error, form, 'Chọn tệp của bản mới.');
      const body = new FormData();
      body.append('file', file.files[0]);
      if (note.value.trim()) body.append('note', note.value.trim());
      submit.disabled = true;
      submit.textContent = 'Đang tải lên…';
      try {
        result = await api(`${documentsPath(cid)}/${encodeURIComponent(doc.id)}/versions`, { method: 'POST', form: body, silent: true });
        toastSuccess(`Đã tải bản ${result.version} của “${result.title}”`);
        close();
      } catch (err) {
        showFormErrors(error, form, err.detail, err.errors);
        submit.disabled = false;
        submit.textContent = 'Tải bản mới';
      }
    });
  });
}

/** Who of the document's readers opened it, and who has not. */
export async function receiptsDialog(cid, doc) {
  const box = h('div', { testid: 'receipts' }, h('p', { class: 'loading' }, 'Đang tải…'));
  openModal({ title: `Ai đã đọc: ${doc.title}`, testid: 'receipts-dialog', className: 'modal-wide', body: box });
  let data;
  try {
    data = await api(`${documentsPath(cid)}/${encodeURIComponent(doc.id)}/receipts`, { silent: true });
  } catch (err) {
    mount(box, h('p', { class: 'form-error' }, err.detail));
    return;
  }
  const version = (p) => (p.version < data.version ? `bản ${p.version} (cũ)` : `bản ${p.version}`);
  mount(box,
    h('p', { testid: 'receipts-summary' }, `Đã đọc ${formatNumber(data.opened)} / chưa đọc ${formatNumber(data.not_opened)} trong ${formatNumber(data.audience_size)} người được đọc; ${formatNumber(data.on_current_version)} người đã đọc bản hiện hành (bản ${data.version}).`),
    h('h3', {}, `Đã mở (${data.opened})`),
    data.readers.length
      ? table(['Đại biểu', 'Đoàn', 'Bản đã đọc', 'Mở lần cuối', 'Tải về'], data.readers.map((p) => h('tr', { testid: 'receipt-opened' },
        h('td', {}, p.full_name, h('span', { class: 'sub code' }, p.code)), h('td', {}, p.delegation_name), h('td', {}, version(p)),
        h('td', {}, formatDateTime(p.last_opened_at)), h('td', {}, p.downloaded_at ? formatDateTime(p.downloaded_at) : '–'))))
      : h('p', { class: 'muted' }, 'Chưa ai mở tài liệu này.'),
    h('h3', {}, `Chưa mở (${data.not_opened})`),
    data.not_opened_readers.length
      ? table(['Đại biểu', 'Đoàn'], data.not_opened_readers.map((p) => h('tr', { testid: 'receipt-not-opened' },
        h('td', {}, p.full_name, h('span', { class: 'sub code' }, p.code)), h('td', {}, p.delegation_name))))
      : h('p', { class: 'muted' }, 'Mọi người được đọc đều đã mở.'));
}

function table(heads, rows) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table compact' },
    h('thead', {}, h('tr', {}, heads.map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, rows)));
}
