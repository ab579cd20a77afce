// Home: the current agenda item, announcements (live, caught up after an outage), my seat, documents by category.
import { api } from '/static/lib/api.js';
import { h, mount } from '/static/lib/dom.js';
import { toast } from '/static/lib/toast.js';
import { renderSeatView } from '/static/delegate/seat-view.js';
import { PRIORITY_LABELS, STATE_LABELS, when } from './ui.js';

const SEEN_KEY = 'congress.app.lastAnnouncement';

export async function render(main, ctx) {
  const base = `/api/congresses/${encodeURIComponent(ctx.cid)}`;
  document.getElementById('bar-actions').replaceChildren(
    h('button', { class: 'btn btn-small', type: 'button', testid: 'logout', onClick: ctx.logout }, 'Đăng xuất'));
  const agendaBox = h('section', { class: 'card', testid: 'current-item' });
  const annBox = h('section', { class: 'card', testid: 'announcements' });
  const seatBox = h('section', { class: 'card', testid: 'my-seat' });
  const docsBox = h('section', { class: 'card', testid: 'documents' });
  mount(main, h('p', { class: 'hello' }, `Xin chào ${ctx.user.display_name}`), agendaBox, annBox, seatBox, docsBox);
  let documents = null; // until the first load: what is there on opening is marked "Mới", not announced

  const loadAgenda = async () => drawAgenda(agendaBox, await api(`${base}/agenda`, { silent: true }).catch(() => null));
  const loadAnnouncements = async () => {
    const items = await api(`${base}/announcements`, { query: { limit: 20 }, silent: true }).catch(() => null);
    if (items) drawAnnouncements(annBox, items);
    return items;
  };
  const loadDocuments = async () => {
    const fresh = await api(`${base}/documents`, { silent: true }).catch(() => null);
    if (!fresh) return;
    if (documents) announceChanges(documents, fresh);
    documents = fresh;
    drawDocuments(docsBox, documents);
  };
  const seatView = renderSeatView(seatBox, { cid: ctx.cid, request: (path) => api(path, { silent: true }) });
  const loadSeat = () => seatView.refresh();

  // Announcements the delegate was told of (live); a catch-up counts only the others, once: the browser's
  // 'online' event and the stream's resync may both ask for it, and the stream may have delivered some.
  const told = new Set();
  let catching = null;
  const catchUp = () => (catching ??= missedSince().finally(() => (catching = null)));

  async function missedSince() {
    const since = localStorage.getItem(SEEN_KEY);
    const missed = since ? await api(`${base}/announcements`, { query: { since }, silent: true }).catch(() => []) : [];
    const untold = missed.filter((a) => !told.has(a.id));
    untold.forEach((a) => told.add(a.id));
    if (untold.length) toast(`${untold.length} thông báo mới trong lúc mất kết nối`, 'info', 8000);
    await Promise.all([loadAnnouncements(), loadAgenda(), loadDocuments(), loadSeat()]);
  }

  const off = ctx.live?.on(({ type, data }) => {
    if (type === 'resync') catchUp();
    else if (type === 'announcement.posted') {
      if (told.has(data.payload.announcement_id)) return;
      told.add(data.payload.announcement_id);
      toast(`${PRIORITY_LABELS[data.payload.priority] || ''}: ${data.payload.text}`, data.payload.priority === 'urgent' ? 'error' : 'info', 10000);
      loadAnnouncements();
    } else if (type.startsWith('agenda.')) loadAgenda(); // an item opened, or the programme edited
    else if (type.startsWith('document.')) loadDocuments();
    else if (type === 'seating.published') loadSeat();
  });
  await Promise.all([loadAgenda(), loadAnnouncements(), loadDocuments(), loadSeat()]);
  window.addEventListener('online', catchUp);
  return () => {
    off?.();
    window.removeEventListener('online', catchUp);
  };
}

function drawAgenda(box, agenda) {
  const item = agenda?.current_item;
  mount(box, h('h2', {}, 'Đang diễn ra'),
    item ? h('p', { class: 'current', testid: 'current-item-title' }, item.title) : h('p', { class: 'muted' }, 'Chưa bắt đầu chương trình'),
    item?.presenter ? h('p', { class: 'muted' }, `Trình bày: ${item.presenter}`) : null);
}

function drawAnnouncements(box, items) {
  if (items[0]) localStorage.setItem(SEEN_KEY, items[0].posted_at);
  mount(box, h('h2', {}, 'Thông báo'),
    items.length ? h('ul', { class: 'list' }, items.slice(0, 8).map((a) => h('li', { class: `ann ann-${a.priority}`, testid: 'announcement' },
      h('span', { class: 'tag' }, PRIORITY_LABELS[a.priority]), ' ', a.text, h('small', { class: 'muted' }, ` · ${when(a.posted_at)}`))))
      : h('p', { class: 'muted' }, 'Chưa có thông báo'));
}

function drawDocuments(box, documents) {
  const byCategory = new Map();
  for (const doc of documents) {
    if (!byCategory.has(doc.category_label)) byCategory.set(doc.category_label, []);
    byCategory.get(doc.category_label).push(doc);
  }
  mount(box, h('h2', {}, 'Tài liệu'),
    documents.length ? [...byCategory].map(([label, docs]) => h('div', { class: 'category' }, h('h3', {}, label),
      h('ul', { class: 'list' }, docs.map((doc) => h('li', {},
        h('a', { class: 'doc', href: `#/doc/${encodeURIComponent(doc.id)}`, testid: 'document-link', dataset: { documentId: doc.id, state: doc.state } },
          h('span', { class: 'doc-title' }, doc.title),
          STATE_LABELS[doc.state] ? h('span', { class: `badge badge-${doc.state}`, testid: 'document-state' }, STATE_LABELS[doc.state]) : null,
          doc.confidential ? h('span', { class: 'badge badge-secret' }, 'Mật') : null,
          h('small', { class: 'muted' }, ` · bản ${doc.version} · ${doc.pages} trang`)))))))
      : h('p', { class: 'muted', testid: 'no-documents' }, 'Chưa có tài liệu nào được phát hành cho đại biểu'));
}

function announceChanges(before, after) {
  const old = new Map(before.map((d) => [d.id, d]));
  for (const doc of after) {
    const was = old.get(doc.id);
    if (!was) toast(`Tài liệu mới: ${doc.title}`, 'info', 8000);
    else if (was && was.version < doc.version) toast(`${doc.title} đã cập nhật bản ${doc.version}`, 'info', 8000);
  }
}
