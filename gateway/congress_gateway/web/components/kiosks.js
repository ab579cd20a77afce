// Check-in kiosk devices of a congress: create (token shown once), list, revoke.

import { api } from '../lib/api.js';
import { confirmDialog } from '../lib/dialogs.js';
import { field, h, mount } from '../lib/dom.js';
import { formatDateTime } from '../lib/format.js';
import { toastSuccess } from '../lib/toast.js';
import { copyText } from '../lib/util.js';
import { loopbackWarning } from './loopback-warning.js';

const kiosksPath = (cid) => `/api/congresses/${encodeURIComponent(cid)}/kiosks`;

export function kioskSection(cid) {
  const name = h('input', { name: 'name', required: true, maxlength: 120, testid: 'kiosk-name', placeholder: 'Ví dụ: Cửa chính – máy 1' });
  const created = h('div', { 'aria-live': 'polite' });
  const list = h('div', { testid: 'kiosk-list' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'kiosk-submit' }, 'Tạo mã thiết bị');
  const form = h('form', { class: 'stack', testid: 'kiosk-form', novalidate: true }, field('Tên thiết bị', name), submit);

  async function load() {
    try {
      const devices = await api(kiosksPath(cid), { silent: true });
      mount(list, devices.length ? kioskTable(devices) : h('p', { class: 'muted' }, 'Chưa có thiết bị nào.'));
    } catch (err) {
      mount(list, h('p', { class: 'form-error' }, err.detail));
    }
  }

  async function revoke(device) {
    const ok = await confirmDialog({
      title: 'Thu hồi thiết bị',
      message: `Thu hồi mã của thiết bị “${device.name}”? Thiết bị sẽ không điểm danh được nữa.`,
      confirmLabel: 'Thu hồi',
      danger: true,
    });
    if (!ok) return;
    try {
      await api(`${kiosksPath(cid)}/${encodeURIComponent(device.id)}`, { method: 'DELETE' });
      toastSuccess(`Đã thu hồi thiết bị ${device.name}`);
      await load();
    } catch {
      /* api() showed the message */
    }
  }

  function kioskTable(devices) {
    return h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table compact rows-as-cards' },
        h('thead', {}, h('tr', {}, ['Thiết bị', 'Tạo lúc', 'Trạng thái', ''].map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          {},
          devices.map((d) =>
            h(
              'tr',
              { testid: 'kiosk-row', dataset: { kioskId: d.id } },
              h('td', { 'data-label': 'Thiết bị' }, d.name),
              h('td', { 'data-label': 'Tạo lúc' }, formatDateTime(d.created_at)),
              h('td', { 'data-label': 'Trạng thái' }, kioskStatus(d)),
              h('td', { class: 'row-actions' }, d.revoked_at ? '' : h('button', { type: 'button', class: 'btn btn-small btn-ghost danger-text', testid: 'kiosk-revoke', onClick: () => revoke(d) }, 'Thu hồi')),
            ),
          ),
        ),
      ),
    );
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!name.value.trim()) return name.focus();
    submit.disabled = true;
    try {
      const kiosk = await api(kiosksPath(cid), { method: 'POST', json: { name: name.value.trim(), console_url: location.origin } });
      form.reset();
      mount(created, tokenBox(kiosk));
      await load();
    } catch {
      /* api() showed the message */
    } finally {
      submit.disabled = false;
    }
  });

  load();
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, 'Thiết bị điểm danh (kiosk)'),
    h('p', { class: 'muted' }, 'Mỗi thiết bị ở cửa ra vào dùng một mã riêng. Mã chỉ hiện một lần: hãy quét mã QR bằng máy tính bảng (hoặc sao chép mã và nhập vào thiết bị) ngay.'),
    form,
    created,
    h('h3', { class: 'spaced' }, 'Các thiết bị'),
    list,
  );
}

/** Revoked, in use since its kiosk page first started with the code, or not set up on any tablet yet. */
function kioskStatus(d) {
  if (d.revoked_at) return h('span', { class: 'status status-absent', testid: 'kiosk-status', dataset: { state: 'revoked' } }, 'Đã thu hồi');
  if (!d.paired_at) return h('span', { class: 'status status-unpaired', testid: 'kiosk-status', dataset: { state: 'unpaired' }, title: 'Chưa có máy tính bảng nào mở trang điểm danh bằng mã này' }, 'Chưa ghép');
  return h('span', { class: 'status status-present', testid: 'kiosk-status', dataset: { state: 'paired' }, title: `Ghép lúc ${formatDateTime(d.paired_at)}` }, 'Đang dùng');
}

// Shown once: the pairing QR (a tablet's camera app opens its link) and the link, with the bare token for pasting.
function tokenBox(kiosk) {
  const copyButton = (testid, label, text, done) => {
    const button = h('button', { type: 'button', class: 'btn btn-ghost', testid }, label);
    button.addEventListener('click', async () => {
      if (await copyText(text)) toastSuccess(done);
    });
    return button;
  };
  const token = h('textarea', { readonly: true, rows: 3, class: 'token', testid: 'kiosk-token', 'aria-label': `Mã của thiết bị ${kiosk.name}` });
  token.value = kiosk.token;
  token.addEventListener('focus', () => token.select());
  const pairing = kiosk.pairing_link
    ? h(
      'div',
      { class: 'pairing stack' },
      h('p', {}, 'Trên máy tính bảng, mở ứng dụng máy ảnh và quét mã QR này, hoặc mở liên kết dưới đây: máy sẽ vào thẳng trang điểm danh.'),
      loopbackWarning('kiosk-loopback-warning', { subject: 'Liên kết và mã QR dẫn tới', device: 'máy tính bảng', then: 'tạo mã thiết bị mới' }),
      h('img', { class: 'pairing-qr', testid: 'kiosk-qr', src: kiosk.pairing_qr, alt: `Mã QR mở trang điểm danh cho thiết bị ${kiosk.name}` }),
      h(
        'div',
        { class: 'pairing-link' },
        h('input', { readonly: true, class: 'token', testid: 'kiosk-link', value: kiosk.pairing_link, 'aria-label': `Liên kết ghép thiết bị ${kiosk.name}`, onFocus: (e) => e.target.select() }),
        copyButton('kiosk-copy-link', 'Sao chép liên kết', kiosk.pairing_link, 'Đã sao chép liên kết'),
      ),
    )
    : null;
  return h(
    'div',
    { class: 'notice notice-success', testid: 'kiosk-created' },
    h('p', {}, h('strong', {}, kiosk.name), ': mã thiết bị (chỉ hiện một lần)'),
    pairing,
    h('details', { open: !pairing }, h('summary', {}, 'Nhập mã bằng tay'), token, copyButton('kiosk-copy', 'Sao chép mã', kiosk.token, 'Đã sao chép mã thiết bị')),
  );
}
