// Modal dialogs built on <dialog>: confirm, prompt (with a required reason), and a generic modal.
// (window.confirm/prompt are avoided: they block, look foreign, and automated browsers dismiss them.)

import { field, h } from './dom.js';

/**
 * openModal({title, body, actions, testid, className}) → {dialog, close}
 * The dialog removes itself when closed; onClose runs once.
 */
export function openModal({ title, body, footer, testid = 'modal', className = '', onClose }) {
  const titleId = `dlg-title-${Date.now()}`;
  const closeBtn = h('button', { type: 'button', class: 'icon-btn', 'aria-label': 'Đóng', testid: 'modal-close' }, '×');
  const dialog = h(
    'dialog',
    { class: `modal ${className}`, testid, 'aria-labelledby': titleId },
    h('div', { class: 'modal-head' }, h('h2', { id: titleId }, title), closeBtn),
    h('div', { class: 'modal-body' }, body),
    footer ? h('div', { class: 'modal-foot' }, footer) : null,
  );
  const close = () => dialog.open && dialog.close();
  closeBtn.addEventListener('click', close);
  dialog.addEventListener('close', () => {
    dialog.remove();
    onClose?.();
  });
  document.body.append(dialog);
  dialog.showModal();
  return { dialog, close };
}

/** Resolves true when confirmed, false otherwise. */
export function confirmDialog({ title, message, confirmLabel = 'Đồng ý', danger = false }) {
  return new Promise((resolve) => {
    let answer = false;
    const ok = h('button', { type: 'button', class: `btn ${danger ? 'btn-danger' : 'btn-primary'}`, testid: 'dialog-confirm' }, confirmLabel);
    const cancel = h('button', { type: 'button', class: 'btn btn-ghost', testid: 'dialog-cancel' }, 'Hủy');
    const { close } = openModal({
      title,
      testid: 'confirm-dialog',
      body: h('p', {}, message),
      footer: [cancel, ok],
      onClose: () => resolve(answer),
    });
    ok.addEventListener('click', () => {
      answer = true;
      close();
    });
    cancel.addEventListener('click', close);
    ok.focus();
  });
}

/** Resolves with the trimmed text, or null when cancelled. The text is required (at least minLength characters). */
export function promptDialog({ title, message, label, placeholder = '', confirmLabel = 'Xác nhận', danger = false, minLength = 1 }) {
  return new Promise((resolve) => {
    let answer = null;
    const input = h('textarea', { name: 'reason', rows: 3, required: true, placeholder, testid: 'dialog-input', maxlength: 500 });
    const error = h('p', { class: 'field-error', role: 'alert', hidden: true, testid: 'dialog-error' },
      minLength > 1 ? `Vui lòng nhập lý do (ít nhất ${minLength} ký tự).` : 'Vui lòng nhập lý do.');
    const ok = h('button', { type: 'submit', class: `btn ${danger ? 'btn-danger' : 'btn-primary'}`, testid: 'dialog-confirm' }, confirmLabel);
    const cancel = h('button', { type: 'button', class: 'btn btn-ghost', testid: 'dialog-cancel' }, 'Hủy');
    const form = h('form', { class: 'stack', novalidate: true }, message ? h('p', {}, message) : null, field(label, input), error, h('div', { class: 'modal-foot' }, cancel, ok));
    const { close } = openModal({ title, testid: 'prompt-dialog', body: form, onClose: () => resolve(answer) });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const value = input.value.trim();
      if (value.length < minLength) {
        error.hidden = false;
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      answer = value;
      close();
    });
    cancel.addEventListener('click', close);
    input.focus();
  });
}
