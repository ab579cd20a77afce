// Dialogs of the face screen: record a delegate's consent, upload enrolment photos and see each one's result.

import { openModal } from '../lib/dialogs.js';
import { field, h, mount, options } from '../lib/dom.js';
import { CONSENT_METHODS, lookalikeWarning, photoResults, recordConsent, resultSummary, uploadPhotos } from '../lib/faces.js';
import { toastSuccess } from '../lib/toast.js';

/** Resolves true once the consent is recorded, false when cancelled. */
export function consentDialog(cid, row) {
  return new Promise((resolve) => {
    let done = false;
    const method = h('select', { name: 'method', testid: 'consent-method' }, options(CONSENT_METHODS, 'paper_form'));
    const note = h('input', { name: 'note', maxlength: 300, placeholder: 'Ví dụ: phiếu số 12, lưu tại Ban Tổ chức', testid: 'consent-note' });
    const confirm = h('input', { type: 'checkbox', name: 'confirm', testid: 'consent-confirm' });
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true, testid: 'consent-error' });
    const ok = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'consent-submit' }, 'Ghi nhận đồng ý');
    const cancel = h('button', { type: 'button', class: 'btn btn-ghost', testid: 'dialog-cancel' }, 'Hủy');
    const form = h(
      'form',
      { class: 'stack', novalidate: true },
      h('p', {}, `${row.full_name} (${row.delegation_name}) đồng ý cho Ban Tổ chức dùng khuôn mặt để điểm danh tại đại hội này. Ảnh chỉ dùng cho mục đích đó, mẫu khuôn mặt được mã hóa và xóa khi đại biểu rút đồng ý hoặc khi bế mạc.`),
      field('Hình thức đồng ý', method),
      field('Ghi chú (không bắt buộc)', note),
      h('label', { class: 'check' }, confirm, ' Tôi xác nhận đại biểu đã tự nguyện đồng ý (không mặc định đồng ý thay đại biểu).'),
      error,
      h('div', { class: 'modal-foot' }, cancel, ok),
    );
    const { close } = openModal({ title: 'Ghi nhận sự đồng ý', testid: 'consent-dialog', body: form, onClose: () => resolve(done) });
    cancel.addEventListener('click', close);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!confirm.checked) {
        error.textContent = 'Hãy đánh dấu xác nhận đại biểu đã đồng ý.';
        error.hidden = false;
        return;
      }
      ok.disabled = true;
      try {
        await recordConsent(cid, row.id, method.value, note.value.trim());
        done = true;
        toastSuccess(`Đã ghi nhận sự đồng ý của ${row.full_name}`);
        close();
      } catch (err) {
        error.textContent = err.detail;
        error.hidden = false;
      } finally {
        ok.disabled = false;
      }
    });
  });
}

/** Upload several photos for one delegate; the dialog stays open to show each photo's result. */
export function photosDialog(cid, row, onUploaded) {
  const input = h('input', { type: 'file', name: 'photos', multiple: true, accept: 'image/jpeg,image/png', testid: 'photos-file' });
  const result = h('div', { testid: 'photos-result', 'aria-live': 'polite' });
  const send = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'photos-submit' }, 'Tải ảnh lên');
  const cancel = h('button', { type: 'button', class: 'btn btn-ghost', testid: 'dialog-cancel' }, 'Đóng');
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    h('p', {}, `Chọn 2–5 ảnh chân dung của ${row.full_name}: mỗi ảnh một người, nhìn thẳng, đủ sáng, rõ nét. Nhiều ảnh giúp nhận diện chắc chắn hơn.`),
    field('Ảnh đăng ký (JPEG hoặc PNG)', input),
    result,
    h('div', { class: 'modal-foot' }, cancel, send),
  );
  const { close } = openModal({ title: `Ảnh khuôn mặt: ${row.full_name}`, testid: 'photos-dialog', className: 'modal-wide', body: form });
  cancel.addEventListener('click', close);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const files = [...(input.files || [])];
    if (!files.length) {
      mount(result, h('p', { class: 'form-error', role: 'alert' }, 'Vui lòng chọn ít nhất một ảnh.'));
      return;
    }
    send.disabled = true;
    mount(result, h('p', { class: 'muted', role: 'status' }, `Đang kiểm tra ${files.length} ảnh…`));
    try {
      const answer = await uploadPhotos(cid, row.id, files);
      mount(result, h('p', { class: answer.accepted ? 'notice notice-success' : 'notice notice-error', testid: 'photos-summary' }, resultSummary(answer)), lookalikeWarning(answer), photoResults(answer));
      input.value = '';
      if (answer.accepted) onUploaded?.();
    } catch (err) {
      mount(result, h('p', { class: 'form-error', role: 'alert', testid: 'photos-error' }, err.detail));
    } finally {
      send.disabled = false;
    }
  });
}
