// Cards of the face screen: the congress's face settings, and the ZIP import with its report.

import { api } from '../lib/api.js';
import { h, mount } from '../lib/dom.js';
import { facesPath, photoResults, resultSummary } from '../lib/faces.js';
import { toastSuccess } from '../lib/toast.js';

const MODES = [
  ['face_then_qr', 'Khuôn mặt, khi chưa chắc thì thêm thẻ (mặc định)', 'Đại biểu nhìn vào camera là được điểm danh. Khi máy chưa chắc chắn (ảnh mờ, hai người giống nhau), kiosk mời đại biểu đưa thẻ có mã QR cùng khuôn mặt vào camera.'],
  ['face', 'Chỉ khuôn mặt', 'Đại biểu nhìn vào camera là được điểm danh. Khi máy chưa chắc chắn, kiosk mời đại biểu đến bàn điểm danh để Ban Tổ chức điểm danh thủ công.'],
  ['qr_and_face', 'Luôn thẻ + khuôn mặt', 'Đại biểu luôn đưa thẻ vào camera; máy chỉ đối chiếu khuôn mặt với đúng người ghi trên thẻ. Chậm hơn một chút nhưng chắc chắn nhất.'],
];

/** faceSettingsCard({cid, settings, onSaved}) → element */
export function faceSettingsCard({ cid, settings, onSaved }) {
  const radios = MODES.map(([value, label, hint]) =>
    h(
      'label',
      { class: 'choice' },
      h('input', { type: 'radio', name: 'mode', value, checked: settings.mode === value, testid: `face-mode-${value}` }),
      h('span', {}, h('strong', {}, label), h('small', { class: 'hint' }, hint)),
    ),
  );
  const liveness = h('input', { type: 'checkbox', name: 'liveness', checked: settings.liveness, testid: 'face-liveness' });
  const keep = h('input', { type: 'checkbox', name: 'keep_photos', checked: settings.keep_photos, testid: 'face-keep-photos' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'face-settings-submit' }, 'Lưu cài đặt');
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true, testid: 'face-settings-error' });
  const form = h(
    'form',
    { class: 'card stack face-settings', testid: 'face-settings', novalidate: true },
    h('h2', {}, 'Cài đặt điểm danh bằng khuôn mặt'),
    h('fieldset', {}, h('legend', {}, 'Cách điểm danh tại kiosk'), radios),
    h('label', { class: 'choice' }, liveness, h('span', {}, h('strong', {}, 'Kiểm tra người thật'), h('small', { class: 'hint' }, 'Kiosk đòi một cử động nhỏ (quay đầu, chớp mắt) để không ai dùng ảnh chụp hay màn hình điện thoại thay người thật. Nên bật.'))),
    h('label', { class: 'choice' }, keep, h('span', {}, h('strong', {}, 'Lưu ảnh đăng ký'), h('small', { class: 'hint' }, 'Mặc định tắt: hệ thống chỉ giữ mẫu khuôn mặt đã mã hóa, không giữ ảnh. Chỉ bật khi cần in ảnh lên thẻ đại biểu; ảnh cũng được mã hóa và bị xóa cùng mẫu khi đại biểu rút đồng ý, khi xóa dữ liệu hoặc khi bế mạc.'))),
    error,
    save,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    save.disabled = true;
    error.hidden = true;
    const body = { mode: form.elements.mode.value, liveness: liveness.checked, keep_photos: keep.checked };
    try {
      const saved = await api(`${facesPath(cid)}/settings`, { method: 'PUT', json: body, silent: true });
      toastSuccess('Đã lưu cài đặt khuôn mặt');
      onSaved?.(saved);
    } catch (err) {
      error.textContent = err.detail;
      error.hidden = false;
    } finally {
      save.disabled = false;
    }
  });
  return form;
}

/** faceImportCard({cid, onImported}) → element: a ZIP of photos named by delegate code, and its report. */
export function faceImportCard({ cid, onImported }) {
  const file = h('input', { type: 'file', id: 'face-zip', name: 'file', accept: '.zip,application/zip', testid: 'face-zip' });
  const send = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'face-zip-submit' }, 'Nhập ảnh');
  const report = h('div', { testid: 'face-zip-report', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'card stack', testid: 'face-import', novalidate: true },
    h('h2', {}, 'Nhập ảnh hàng loạt (tệp ZIP)'),
    h('p', { class: 'muted' }, 'Mỗi ảnh đặt tên theo mã đại biểu, ví dụ DB001.jpg, DB001-2.jpg. Chỉ đại biểu đã đồng ý mới được đăng ký; ảnh của người chưa đồng ý bị từ chối.'),
    h('div', { class: 'field' }, h('label', { for: 'face-zip' }, 'Tệp ZIP ảnh đăng ký'), file),
    h('div', { class: 'actions' }, send),
    report,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) {
      mount(report, h('p', { class: 'form-error', role: 'alert' }, 'Vui lòng chọn tệp ZIP.'));
      return;
    }
    send.disabled = true;
    mount(report, h('p', { class: 'muted', role: 'status' }, `Đang kiểm tra ảnh trong ${chosen.name}…`));
    const body = new FormData();
    body.append('file', chosen, chosen.name);
    try {
      const result = await api(`${facesPath(cid)}/import`, { method: 'POST', form: body, silent: true });
      mount(report, h('p', { class: result.accepted ? 'notice notice-success' : 'notice notice-error', testid: 'face-zip-summary' }, resultSummary(result)), photoResults(result, { withCode: true }));
      file.value = '';
      if (result.accepted) onImported?.();
    } catch (err) {
      mount(report, h('p', { class: 'form-error', role: 'alert', testid: 'face-zip-error' }, err.detail));
    } finally {
      send.disabled = false;
    }
  });
  return form;
}
