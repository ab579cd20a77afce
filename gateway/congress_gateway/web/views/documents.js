// #/c/<cid>/documents — "Tài liệu": every document with its audience, release state, version and who has read it;
// the upload form; per document a new version, release now, withdraw, read receipts, the organiser's PDF.

import { newVersionDialog, receiptsDialog } from '../components/document-dialogs.js';
import { uploadForm } from '../components/document-upload.js';
import { fileButton } from '../components/print-button.js';
import { api } from '../lib/api.js';
import { confirmDialog, promptDialog } from '../lib/dialogs.js';
import { h, mount } from '../lib/dom.js';
import { formatDateTime, formatNumber } from '../lib/format.js';
import { agendaItems, documentsPath, fetchAgenda } from '../lib/programme.js';
import { fetchDelegations } from '../lib/roster.js';
import { toastSuccess } from '../lib/toast.js';
import { debounce } from '../lib/util.js';

const READS_EVERY_MS = 30_000; // reads are not events: the counts are fetched again while the page is open

export async function render(main, { cid, live, setTitle }) {
  setTitle('Tài liệu đại hội');
  const formBox = h('div', { testid: 'doc-form-box' });
  const listBox = h('section', { class: 'card', testid: 'doc-list' }, h('p', { class: 'loading' }, 'Đang tải…'));
  const state = { items: [], delegations: [], form: null };
  mount(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Tài liệu đại hội'),
      h('p', { class: 'muted' }, 'Tài liệu được phát hành tới ứng dụng đại biểu theo người được đọc và thời điểm phát hành. Đại biểu không được đọc một tài liệu thì không thấy nó.')),
    formBox, listBox);

  async function loadContext() {
    const [agenda, delegations] = await Promise.all([fetchAgenda(cid).catch(() => null), fetchDelegations(cid).catch(() => [])]);
    state.items = agendaItems(agenda);
    state.delegations = delegations.filter((d) => d.delegates);
    if (state.form) state.form.update(state);
    else mount(formBox, (state.form = uploadForm({ cid, items: state.items, delegations: state.delegations, onUploaded: load })));
  }

  async function load() {
    let docs;
    try {
      docs = await api(documentsPath(cid), { silent: true });
    } catch (err) {
      mount(listBox, h('p', { class: 'form-error' }, err.detail || 'Không tải được danh sách tài liệu.'));
      return;
    }
    mount(listBox, h('h2', {}, `Các tài liệu (${docs.length})`),
      docs.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table doc-table rows-as-cards' },
        h('thead', {}, h('tr', {}, ['Tài liệu', 'Mục chương trình', 'Người được đọc', 'Phát hành', 'Đã đọc', ''].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, docs.map(row))))
        : h('p', { class: 'muted empty', testid: 'no-documents' }, 'Chưa có tài liệu nào. Tải tài liệu đầu tiên lên bằng biểu mẫu phía trên.'));
  }

  function row(doc) {
    const item = state.items.find((i) => i.id === doc.agenda_item_id);
    const withdrawn = Boolean(doc.withdrawn_at);
    return h('tr', { testid: 'doc-row', class: withdrawn ? 'withdrawn' : null, dataset: { documentId: doc.id, released: String(Boolean(doc.released_at)) } },
      cell('Tài liệu', {}, h('strong', { testid: 'doc-row-title' }, doc.title),
        h('span', { class: 'sub' }, `${doc.category_label} · bản ${doc.version} · ${doc.pages} trang · ${size(doc.size)}`),
        doc.confidential ? h('span', { class: 'tag tag-secret', testid: 'doc-confidential-tag' }, 'Mật') : null),
      cell('Mục chương trình', {}, item ? [item.title, h('span', { class: 'sub' }, item.session_title)] : h('span', { class: 'muted' }, '–')),
      cell('Người được đọc', {}, doc.audience_label, doc.audience === 'delegations' ? h('span', { class: 'sub' }, delegationNames(doc.delegation_ids)) : null,
        h('span', { class: 'sub' }, `${formatNumber(doc.audience_size)} người`)),
      cell('Phát hành', { testid: 'doc-release-state' }, releaseState(doc, item)),
      cell('Đã đọc', { testid: 'doc-reads', class: 'doc-reads' }, doc.released_at && !withdrawn
        ? [h('span', {}, `Đã đọc ${formatNumber(doc.opened)} /`), ' ', h('span', {}, `chưa đọc ${formatNumber(Math.max(0, doc.audience_size - doc.opened))}`)]
        : h('span', { class: 'muted' }, '–')),
      h('td', { class: 'row-actions' }, h('div', { class: 'doc-actions' }, actions(doc, withdrawn))));
  }

  /** One cell: its caption for the card layout on phones, its content in one block. */
  function cell(label, attrs, ...content) {
    return h('td', { ...attrs, 'data-label': label }, h('div', {}, ...content));
  }

  function actions(doc, withdrawn) {
    const path = `${documentsPath(cid)}/${encodeURIComponent(doc.id)}`;
    return [
      h('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: 'doc-receipts', onClick: () => receiptsDialog(cid, doc) }, 'Ai đã đọc'),
      fileButton({ label: 'Xem PDF', testid: 'doc-pdf', path: `${path}/file`, filename: `${doc.title}.pdf`, cls: 'btn btn-small btn-ghost' }),
      withdrawn ? null : h('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: 'doc-new-version', onClick: () => newVersionDialog(cid, doc).then((d) => d && load()) }, 'Bản mới'),
      withdrawn || doc.released_at ? null : h('button', { type: 'button', class: 'btn btn-small btn-primary', testid: 'doc-release-now', onClick: () => releaseNow(doc, path) }, 'Phát hành ngay'),
      withdrawn ? null : h('button', { type: 'button', class: 'btn btn-small btn-link danger-text', testid: 'doc-withdraw', onClick: () => withdraw(doc, path) }, 'Thu hồi'),
    ];
  }

  async function releaseNow(doc, path) {
    const ok = await confirmDialog({ title: 'Phát hành ngay', message: `Phát hành “${doc.title}” tới ${formatNumber(doc.audience_size)} người được đọc ngay bây giờ, không chờ lịch đã đặt?`, confirmLabel: 'Phát hành ngay' });
    if (!ok) return;
    try {
      await api(`${path}/release`, { method: 'POST' });
      toastSuccess(`Đã phát hành “${doc.title}”`);
      load();
    } catch {
      /* api() showed the message */
    }
  }

  async function withdraw(doc, path) {
    const reason = await promptDialog({ title: 'Thu hồi tài liệu', message: `Thu hồi “${doc.title}”? Đại biểu sẽ không xem, không tải được nữa (kể cả bản đã lưu trên điện thoại khi có mạng). Không hoàn tác được.`, label: 'Lý do thu hồi', placeholder: 'Ví dụ: phát hành nhầm bản dự thảo', confirmLabel: 'Thu hồi', danger: true, minLength: 3 });
    if (reason == null) return;
    try {
      await api(`${path}/withdraw`, { method: 'POST', json: { reason } });
      toastSuccess(`Đã thu hồi “${doc.title}”`);
      load();
    } catch {
      /* api() showed the message */
    }
  }

  function delegationNames(ids) {
    const names = new Map(state.delegations.map((d) => [d.id, d.name]));
    return ids.map((id) => names.get(id) || id).join('; ');
  }

  const loadSoon = debounce(load, 300);
  const contextSoon = debounce(() => loadContext().then(load), 300);
  const unsubscribe = live?.on(({ type }) => {
    if (type === 'resync' || type.startsWith('agenda.') || type.startsWith('delegate.')) contextSoon();
    else if (type.startsWith('document.')) loadSoon();
  });
  const refresh = setInterval(() => document.visibilityState === 'visible' && !document.querySelector('dialog[open]') && load(), READS_EVERY_MS);
  await loadContext();
  await load();
  return () => {
    clearInterval(refresh);
    loadSoon.cancel();
    contextSoon.cancel();
    unsubscribe?.();
  };
}

function releaseState(doc, item) {
  if (doc.withdrawn_at) return h('span', { class: 'status status-withdrawn' }, `Đã thu hồi ${formatDateTime(doc.withdrawn_at)}`, doc.withdraw_reason ? h('span', { class: 'sub' }, doc.withdraw_reason) : null);
  if (doc.released_at) return h('span', { class: 'status status-present' }, `Đã phát hành ${formatDateTime(doc.released_at)}`);
  if (doc.release_mode === 'at') return h('span', { class: 'status status-scheduled' }, `Hẹn phát hành ${formatDateTime(doc.release_at)}`);
  return h('span', { class: 'status status-absent' }, item ? `Chờ mở mục “${item.title}”` : 'Chờ mở mục chương trình');
}

function size(bytes) {
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toLocaleString('vi-VN', { maximumFractionDigits: 1 })} MB`;
  return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('vi-VN')} KB`;
}
