// Short messages in the corner (aria-live region #toasts).

export function toast(message, kind = 'info', ms = 5000) {
  const box = document.getElementById('toasts');
  if (!box || !message) return;
  const item = document.createElement('div');
  item.className = `toast toast-${kind}`;
  item.setAttribute('data-testid', `toast-${kind}`);
  item.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  const text = document.createElement('span');
  text.textContent = message;
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'toast-close';
  close.setAttribute('aria-label', 'Đóng thông báo');
  close.textContent = '×';
  close.addEventListener('click', () => item.remove());
  item.append(text, close);
  box.append(item);
  while (box.children.length > 4) box.firstElementChild.remove();
  setTimeout(() => item.remove(), kind === 'error' ? ms * 2 : ms);
}

/** Removes every toast: a new screen (the hall's big screen, the login after logging out) starts clean. */
export function clearToasts() {
  document.getElementById('toasts')?.replaceChildren();
}

export const toastError = (message) => toast(message, 'error');
export const toastSuccess = (message) => toast(message, 'success', 3500);
