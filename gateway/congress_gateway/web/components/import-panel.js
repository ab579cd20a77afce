// Excel import: choose a file, see the preview (what will be added, changed, refused), then confirm.
// Nothing is written until the organiser confirms the plan they saw (its plan_id).

import { api, fetchFile } from '../lib/api.js';
import { h, mount } from '../lib/dom.js';
import { delegatesPath } from '../lib/roster.js';
import { toastSuccess } from '../lib/toast.js';
import { downloadBlob, filenameFrom } from '../lib/util.js';
import { byRow, previewView, refusedTable } from './import-preview.js';

const TEMPLATE_NAME = 'mau-danh-sach-dai-bieu.xlsx';

/** importPanel({cid, onImported}) → element */
export function importPanel({ cid, onImported }) {
  const file = h('input', {
    id: 'import-file',
    type: 'file',
    name: 'file',
    accept: '.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    testid: 'import-file',
  });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'import-submit' }, 'Xem trước');
  const template = h('button', { type: 'button', class: 'btn btn-link', testid: 'import-template' }, 'Tải mẫu Excel');
  const result = h('div', { class: 'import-result', testid: 'import-result', 'aria-live': 'polite' });

  const form = h(
    'form',
    { class: 'import-form', testid: 'import-form' },
    h('div', { class: 'field' }, h('label', { for: 'import-file' }, 'Tệp Excel danh sách đại biểu (.xlsx)'), file),
    h('div', { class: 'actions' }, submit, template),
  );

  template.addEventListener('click', async () => {
    template.disabled = true;
    try {
      const { blob, disposition } = await fetchFile(`${delegatesPath(cid)}/import/template`);
      downloadBlob(blob, filenameFrom(disposition, TEMPLATE_NAME));
    } catch {
      /* api() showed the message */
    } finally {
      template.disabled = false;
    }
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) {
      mount(result, h('p', { class: 'form-error', role: 'alert' }, 'Vui lòng chọn tệp Excel (.xlsx).'));
      file.focus();
      return;
    }
    await busy(submit, 'Đang đọc tệp…', async () => {
      mount(result, h('p', { class: 'muted', role: 'status' }, `Đang đọc ${chosen.name}…`));
      try {
        const plan = await api(`${delegatesPath(cid)}/import/preview`, { method: 'POST', form: upload(chosen), silent: true });
        showPreview(chosen, plan);
      } catch (err) {
        mount(result, errorView(err));
      }
    });
  });

  function showPreview(chosen, plan) {
    const view = previewView(plan);
    const confirm = h('button', { type: 'button', class: 'btn btn-primary', testid: 'import-confirm', disabled: plan.refused.length > 0 }, 'Xác nhận nhập');
    const cancel = h('button', { type: 'button', class: 'btn btn-ghost', testid: 'import-cancel' }, 'Hủy');
    const nothing = !plan.added.length && !plan.changed.length;
    mount(result, view.element, h('div', { class: 'actions' }, nothing ? null : confirm, cancel));
    cancel.addEventListener('click', () => mount(result));
    confirm.addEventListener('click', () =>
      busy(confirm, 'Đang nhập…', async () => {
        const data = upload(chosen);
        data.append('plan_id', plan.plan_id);
        for (const row of view.confirmedRows()) data.append('confirm_rows', String(row));
        try {
          const summary = await api(`${delegatesPath(cid)}/import`, { method: 'POST', form: data, silent: true });
          mount(result, summaryView(summary));
          toastSuccess('Đã nhập danh sách đại biểu');
          form.reset();
          onImported?.(summary);
        } catch (err) {
          mount(result, errorView(err));
        }
      }),
    );
  }

  return h(
    'section',
    { class: 'card import-panel no-print', 'aria-labelledby': 'import-title' },
    h('h2', { id: 'import-title' }, 'Nhập danh sách từ Excel'),
    h('p', { class: 'muted' }, 'Dùng tệp theo mẫu. Hệ thống cho xem trước những gì sẽ thêm, thay đổi hay từ chối; chỉ nhập khi bạn xác nhận. Nếu tệp có lỗi, không dòng nào được nhập.'),
    form,
    result,
  );
}

function upload(chosen) {
  const data = new FormData();
  data.append('file', chosen, chosen.name);
  return data;
}

async function busy(button, label, work) {
  const text = button.textContent;
  button.disabled = true;
  button.textContent = label;
  try {
    await work();
  } finally {
    button.disabled = false;
    button.textContent = text;
  }
}

function summaryView(s) {
  const item = (testid, label, value) => h('li', {}, h('strong', { testid }, String(value ?? 0)), ` ${label}`);
  return h(
    'div',
    { class: 'notice notice-success', testid: 'import-summary', role: 'status' },
    h('p', {}, h('strong', {}, 'Nhập thành công.'), ` Tổng số dòng: `, h('strong', { testid: 'import-total' }, String(s.total ?? 0)), '.'),
    h(
      'ul',
      { class: 'inline-list' },
      item('import-created', 'thêm mới', s.created),
      item('import-updated', 'cập nhật', s.updated),
      item('import-unchanged', 'không thay đổi', s.unchanged),
    ),
    s.skipped_rows?.length
      ? h('p', { testid: 'import-skipped' }, `Không áp dụng các dòng đổi tên chưa được xác nhận riêng: ${s.skipped_rows.join(', ')}.`)
      : null,
  );
}

function errorView(err) {
  const rows = byRow((err.errors || []).map((e) => ({ ...e, column: e.column || e.field })));
  return h(
    'div',
    { class: 'notice notice-error', testid: 'import-error', role: 'alert' },
    h('p', {}, h('strong', {}, err.detail || 'Tệp không hợp lệ, chưa nhập dòng nào.')),
    rows.length ? refusedTable(rows, 'import-error-row') : null,
  );
}
