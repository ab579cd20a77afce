// A delegate's badge: what it shows (name, delegation, kind, QR), printing it or their invitation as PDF,
// and re-issuing a lost badge (the old QR and PIN stop working at once).

import { fetchFile, api } from '../lib/api.js';
import { confirmDialog, openModal } from '../lib/dialogs.js';
import { h, mount } from '../lib/dom.js';
import { formatDateTime, kindLabel } from '../lib/format.js';
import { delegatesPath, printPath } from '../lib/roster.js';
import { toastSuccess } from '../lib/toast.js';
import { fileButton } from './print-button.js';

/** openBadge(cid, delegate, {congressName, onChanged}) */
export async function openBadge(cid, delegate, { congressName = '', onChanged } = {}) {
  let url = null;
  const holder = h('div', { class: 'badge-holder' }, h('p', { class: 'loading', role: 'status' }, 'Đang tải thẻ…'));
  const notice = h('div', { 'aria-live': 'polite', testid: 'badge-notice' });
  const printed = h('p', { class: 'muted center', testid: 'badge-printed' }, delegate.badge_printed_at ? `Thẻ đã in lúc ${formatDateTime(delegate.badge_printed_at)}` : 'Thẻ chưa in');
  const only = { delegate_ids: [delegate.id] };
  const reissue = h('button', { type: 'button', class: 'btn btn-ghost danger-text', testid: 'badge-reissue' }, 'Cấp lại thẻ (báo mất)');
  const { dialog } = openModal({
    title: `Thẻ đại biểu: ${delegate.full_name}`,
    testid: 'badge-dialog',
    className: 'badge-dialog',
    body: [
      h('div', { class: 'badge-preview' }, h('p', { class: 'badge-congress' }, congressName), holder, h('p', { class: 'badge-name' }, delegate.full_name), h('p', { class: 'muted center' }, [delegate.code, delegate.delegation_name, kindLabel(delegate.kind)].filter(Boolean).join(' · '))),
      printed,
      notice,
    ],
    footer: [
      reissue,
      fileButton({ label: 'In giấy triệu tập', testid: 'badge-invitation', path: printPath(cid, 'invitations'), body: () => ({ ...only, base_url: location.origin }), filename: `giay-trieu-tap-${delegate.code}.pdf` }),
      fileButton({ label: 'In thẻ (PDF)', testid: 'badge-print', path: printPath(cid, 'badges'), body: only, filename: `the-dai-bieu-${delegate.code}.pdf`, cls: 'btn btn-primary', done: () => { printed.textContent = 'Thẻ đã in vừa xong'; onChanged?.(); } }),
    ],
    onClose: () => url && URL.revokeObjectURL(url),
  });

  async function showQr() {
    let blob;
    try {
      ({ blob } = await fetchFile(`${delegatesPath(cid)}/${encodeURIComponent(delegate.id)}/badge.svg`));
    } catch (err) {
      mount(holder, h('p', { class: 'form-error' }, err.detail || 'Không tải được thẻ.'));
      return;
    }
    if (!dialog.isConnected) return;
    if (url) URL.revokeObjectURL(url);
    url = URL.createObjectURL(await asStandaloneSvg(blob));
    mount(holder, h('img', { src: url, alt: `Mã QR điểm danh của ${delegate.full_name}`, class: 'badge-img', testid: 'badge-image' }));
  }

  reissue.addEventListener('click', async () => {
    const ok = await confirmDialog({
      title: 'Cấp lại thẻ đại biểu',
      message: `Cấp thẻ mới cho ${delegate.full_name}? Thẻ cũ (mã QR cũ) và mã PIN cũ không dùng được nữa; hãy in thẻ mới và giấy triệu tập mới (mã PIN mới) cho đại biểu.`,
      confirmLabel: 'Cấp lại thẻ',
      danger: true,
    });
    if (!ok) return;
    try {
      const creds = await api(`${delegatesPath(cid)}/${encodeURIComponent(delegate.id)}/badge/reissue`, { method: 'POST' });
      mount(notice, h('p', { class: 'notice notice-warn', testid: 'badge-reissued' }, `Đã cấp thẻ mới. Mã PIN mới: `, h('strong', { testid: 'badge-new-pin' }, creds.pin), '. Thẻ cũ đã bị vô hiệu.'));
      printed.textContent = 'Thẻ mới chưa in';
      toastSuccess(`Đã cấp lại thẻ cho ${delegate.full_name}`);
      await showQr();
      onChanged?.();
    } catch {
      /* api() showed the message */
    }
  });

  await showQr();
}

/** An <img> only renders SVG that declares its namespace; inline-style SVG (no xmlns) gets one added. */
async function asStandaloneSvg(blob) {
  const text = await blob.text();
  const fixed = /<svg\b[^>]*\bxmlns=/.test(text) ? text : text.replace(/<svg\b/, '<svg xmlns="http://www.w3.org/2000/svg"');
  return new Blob([fixed], { type: 'image/svg+xml' });
}
