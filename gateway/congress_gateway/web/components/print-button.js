// A button that asks the server for a file (PDF, Excel) and saves it; busy while the server renders.

import { api } from '../lib/api.js';
import { h } from '../lib/dom.js';
import { toastSuccess } from '../lib/toast.js';
import { downloadBlob, filenameFrom } from '../lib/util.js';

/**
 * fileButton({label, testid, path, body?, query?, filename, cls?, done?}) → <button>
 * body (an object or a function returning one) makes it a POST with JSON; done(blob) runs after saving.
 */
export function fileButton({ label, testid, path, body, query, filename, cls = 'btn btn-ghost', done }) {
  const button = h('button', { type: 'button', class: cls, testid }, label);
  button.addEventListener('click', async () => {
    const json = typeof body === 'function' ? body() : body;
    if (json === null) return; // the caller said there is nothing to print
    button.disabled = true;
    button.textContent = 'Đang tạo tệp…';
    try {
      const opts = json === undefined ? { query, as: 'response' } : { method: 'POST', json, query, as: 'response' };
      const res = await api(typeof path === 'function' ? path() : path, opts);
      const blob = await res.blob();
      const name = filenameFrom(res.headers.get('Content-Disposition'), filename);
      downloadBlob(blob, name);
      toastSuccess(`Đã tạo ${name}`);
      done?.(blob);
    } catch {
      /* api() showed the message */
    } finally {
      button.disabled = false;
      button.textContent = label;
    }
  });
  return button;
}
