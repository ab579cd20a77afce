// A delegate's badge with its QR code (badge.svg needs the auth header: fetched as a blob).

import { fetchFile } from '../lib/api.js';
import { openModal } from '../lib/dialogs.js';
import { h, mount } from '../lib/dom.js';
import { kindLabel } from '../lib/format.js';
import { delegatesPath } from '../lib/roster.js';
import { downloadBlob } from '../lib/util.js';

export async function openBadge(cid, delegate) {
  let url = null;
  const holder = h('div', { class: 'badge-holder' }, h('p', { class: 'loading', role: 'status' }, 'Đang tải thẻ…'));
  const print = h('button', { type: 'button', class: 'btn btn-ghost', testid: 'badge-print', disabled: true }, 'In thẻ');
  const save = h('button', { type: 'button', class: 'btn btn-primary', testid: 'badge-download', disabled: true }, 'Tải về');
  const { dialog } = openModal({
    title: `Thẻ đại biểu: ${delegate.full_name}`,
    testid: 'badge-dialog',
    className: 'badge-dialog',
    body: [
      holder,
      h('p', { class: 'muted center' }, [delegate.code, delegate.delegation_name, kindLabel(delegate.kind)].filter(Boolean).join(' · ')),
    ],
    footer: [print, save],
    onClose: () => url && URL.revokeObjectURL(url),
  });

  let blob;
  try {
    ({ blob } = await fetchFile(`${delegatesPath(cid)}/${encodeURIComponent(delegate.id)}/badge.svg`));
  } catch (err) {
    mount(holder, h('p', { class: 'form-error' }, err.detail || 'Không tải được thẻ.'));
    return;
  }
  if (!dialog.isConnected) return;
  blob = await asStandaloneSvg(blob);
  url = URL.createObjectURL(blob);
  mount(holder, h('img', { src: url, alt: `Thẻ đại biểu có mã QR của ${delegate.full_name}`, class: 'badge-img', testid: 'badge-image' }));
  print.disabled = false;
  save.disabled = false;
  save.addEventListener('click', () => downloadBlob(blob, `the-dai-bieu-${delegate.code || delegate.id}.svg`));
  print.addEventListener('click', () => {
    document.body.classList.add('print-badge');
    window.addEventListener('afterprint', () => document.body.classList.remove('print-badge'), { once: true });
    window.print();
  });
}

/** An <img> only renders SVG that declares its namespace; inline-style SVG (no xmlns) gets one added. */
async function asStandaloneSvg(blob) {
  const text = await blob.text();
  const fixed = /<svg\b[^>]*\bxmlns=/.test(text) ? text : text.replace(/<svg\b/, '<svg xmlns="http://www.w3.org/2000/svg"');
  return new Blob([fixed], { type: 'image/svg+xml' });
}
