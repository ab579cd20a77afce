// #/c/<cid>/agenda — "Chương trình": sessions and items with their times; add, edit, and "Mở mục này", which makes
// an item the current one and releases the documents waiting for it. The current item is highlighted.

import { api } from '../lib/api.js';
import { confirmDialog, openModal } from '../lib/dialogs.js';
import { field, h, mount, options, showFormErrors } from '../lib/dom.js';
import { formatDateTime } from '../lib/format.js';
import { agendaPath, documentsPath, fetchAgenda, fromLocalInput, toLocalInput } from '../lib/programme.js';
import { toastSuccess } from '../lib/toast.js';
import { debounce } from '../lib/util.js';

export async function render(main, { cid, live, setTitle }) {
  setTitle('Chương trình đại hội');
  const path = agendaPath(cid);
  const programme = h('div', { testid: 'agenda' }, h('p', { class: 'loading' }, 'Đang tải…'));
  const forms = h('div', {});
  const state = { agenda: null, waiting: new Map(), formsKey: null };
  mount(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Chương trình đại hội'),
      h('p', { class: 'muted' }, '“Mở mục này” chuyển đại hội sang mục đó: ứng dụng đại biểu hiện mục đang diễn ra, và các tài liệu chờ mục này được phát hành ngay.')),
    h('div', { class: 'grid-2' }, programme, forms));

  async function load() {
    try {
      const [agenda, docs] = await Promise.all([fetchAgenda(cid), api(documentsPath(cid), { silent: true }).catch(() => [])]);
      state.agenda = agenda;
      state.waiting = new Map();
      for (const d of docs) {
        if (d.agenda_item_id && !d.released_at && !d.withdrawn_at) state.waiting.set(d.agenda_item_id, (state.waiting.get(d.agenda_item_id) || 0) + 1);
      }
    } catch (err) {
      mount(programme, h('p', { class: 'card form-error' }, err.detail || 'Không tải được chương trình.'));
      return;
    }
    const { sessions } = state.agenda;
    mount(programme, sessions.length ? sessions.map(sessionCard)
      : h('section', { class: 'card' }, h('p', { class: 'muted empty', testid: 'agenda-empty' }, 'Chưa có phiên họp nào. Thêm phiên họp đầu tiên ở biểu mẫu bên cạnh.')));
    const key = sessions.map((s) => `${s.id}:${s.title}`).join('|');
    if (key !== state.formsKey) mount(forms, sessionForm(), itemForm(sessions)); // a live reload keeps what is being typed
    state.formsKey = key;
  }

  function sessionCard(s) {
    return h('section', { class: 'card agenda-session', testid: 'agenda-session', dataset: { sessionId: s.id } },
      h('div', { class: 'agenda-head' },
        h('div', {}, h('h2', { testid: 'agenda-session-title' }, s.title), s.starts_at ? h('p', { class: 'muted' }, `Bắt đầu ${formatDateTime(s.starts_at)}`) : null),
        h('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: 'agenda-session-edit', onClick: () => editSession(s) }, 'Sửa')),
      s.items.length ? h('ol', { class: 'agenda-items' }, s.items.map((i) => itemRow(i, s)))
        : h('p', { class: 'muted' }, 'Chưa có mục nào trong phiên này.'));
  }

  function itemRow(item, s) {
    const waiting = state.waiting.get(item.id) || 0;
    return h('li', { class: item.current ? 'agenda-item current' : 'agenda-item', testid: 'agenda-item', dataset: { itemId: item.id, current: String(item.current) } },
      h('span', { class: 'agenda-time' }, item.starts_at ? formatDateTime(item.starts_at).split(' ')[0] : '–'),
      h('div', { class: 'agenda-main' }, h('strong', { testid: 'agenda-item-title' }, item.title),
        item.presenter ? h('span', { class: 'muted' }, `Trình bày: ${item.presenter}`) : null,
        waiting ? h('span', { class: 'muted', testid: 'agenda-item-waiting' }, `${waiting} tài liệu chờ mở mục này`) : null,
        item.opened_at && !item.current ? h('span', { class: 'muted' }, `Đã mở lúc ${formatDateTime(item.opened_at)}`) : null),
      h('div', { class: 'row-actions' },
        item.current ? h('span', { class: 'status status-present', testid: 'agenda-current' }, 'Đang diễn ra')
          : h('button', { type: 'button', class: 'btn btn-small btn-primary', testid: 'agenda-open', onClick: () => openItem(item, waiting) }, 'Mở mục này'),
        h('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: 'agenda-item-edit', onClick: () => editItem(item, s) }, 'Sửa')));
  }

  async function openItem(item, waiting) {
    const docs = waiting ? ` ${waiting} tài liệu gắn với mục này sẽ được phát hành cho đại biểu ngay.` : '';
    const ok = await confirmDialog({ title: 'Mở mục chương trình', message: `Chuyển đại hội sang “${item.title}”?${docs}`, confirmLabel: 'Mở mục này' });
    if (!ok) return;
    try {
      const opened = await api(`${path}/items/${encodeURIComponent(item.id)}/open`, { method: 'POST' });
      toastSuccess(`Đang diễn ra: ${opened.item.title}${opened.released_documents ? ` · đã phát hành ${opened.released_documents} tài liệu` : ''}`);
      load();
    } catch {
      /* api() showed the message */
    }
  }

  function sessionForm() {
    const title = h('input', { name: 'title', required: true, maxlength: 200, placeholder: 'Ví dụ: Phiên thứ nhất — Khai mạc', testid: 'agenda-session-name' });
    const starts = h('input', { name: 'starts_at', type: 'datetime-local', testid: 'agenda-session-time' });
    return submitForm({ testid: 'agenda-session-form', heading: 'Thêm phiên họp', label: '+ Thêm phiên', fields: [field('Tên phiên họp', title), field('Bắt đầu lúc', starts)],
      send: () => api(`${path}/sessions`, { method: 'POST', json: { title: title.value.trim(), starts_at: fromLocalInput(starts.value) }, silent: true }),
      done: (s) => `Đã thêm ${s.title}` });
  }

  function itemForm(sessions) {
    if (!sessions.length) return null;
    const session = h('select', { name: 'session_id', testid: 'agenda-item-session' }, options(sessions.map((s) => [s.id, s.title]), sessions.at(-1).id));
    const inputs = itemInputs({});
    return submitForm({ testid: 'agenda-item-form', heading: 'Thêm mục chương trình', label: '+ Thêm mục', fields: [field('Phiên họp', session), ...inputs.fields],
      send: () => api(`${path}/items`, { method: 'POST', json: { session_id: session.value, ...inputs.values() }, silent: true }),
      done: (i) => `Đã thêm mục “${i.title}”`, onDone: () => { inputs.clear(); load(); } });
  }

  function submitForm({ testid, heading, label, fields, send, done, onDone = load }) {
    const error = h('div', { class: 'form-error', role: 'alert', hidden: true, testid: `${testid}-error` });
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: `${testid}-submit` }, label);
    const form = h('form', { class: heading ? 'card stack' : 'stack', testid, novalidate: true }, heading ? h('h2', {}, heading) : null, fields, error, h('div', { class: 'actions' }, submit));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      submit.disabled = true;
      try {
        const saved = await send();
        toastSuccess(done(saved));
        onDone();
      } catch (err) {
        showFormErrors(error, form, err.detail, err.errors);
      } finally {
        submit.disabled = false;
      }
    });
    return form;
  }

  function editSession(s) {
    const title = h('input', { name: 'title', required: true, maxlength: 200, value: s.title, testid: 'edit-session-title' });
    const starts = h('input', { name: 'starts_at', type: 'datetime-local', value: toLocalInput(s.starts_at), testid: 'edit-session-time' });
    let close = () => {};
    const form = submitForm({ testid: 'edit-session', label: 'Lưu', fields: [field('Tên phiên họp', title), field('Bắt đầu lúc', starts)],
      send: () => api(`${path}/sessions/${encodeURIComponent(s.id)}`, { method: 'PATCH', json: { title: title.value.trim(), starts_at: fromLocalInput(starts.value) }, silent: true }),
      done: () => 'Đã lưu phiên họp', onDone: () => { close(); load(); } });
    ({ close } = openModal({ title: 'Sửa phiên họp', testid: 'edit-session-dialog', body: form }));
  }

  function editItem(item, s) {
    const sessions = state.agenda.sessions;
    const session = h('select', { name: 'session_id', testid: 'edit-item-session' }, options(sessions.map((x) => [x.id, x.title]), s.id));
    const inputs = itemInputs(item, 'edit-item');
    let close = () => {};
    const form = submitForm({ testid: 'edit-item', label: 'Lưu', fields: [field('Phiên họp', session), ...inputs.fields],
      send: () => api(`${path}/items/${encodeURIComponent(item.id)}`, { method: 'PATCH', json: { session_id: session.value, ...inputs.values() }, silent: true }),
      done: () => 'Đã lưu mục chương trình', onDone: () => { close(); load(); } });
    ({ close } = openModal({ title: 'Sửa mục chương trình', testid: 'edit-item-dialog', body: form }));
  }

  const loadSoon = debounce(load, 300);
  const unsubscribe = live?.on(({ type }) => (type === 'resync' || type.startsWith('agenda.') || type.startsWith('document.')) && loadSoon());
  await load();
  return () => {
    loadSoon.cancel();
    unsubscribe?.();
  };
}

function itemInputs(item, prefix = 'agenda-item') {
  const title = h('input', { name: 'title', required: true, maxlength: 300, value: item.title || '', placeholder: 'Ví dụ: Thảo luận Dự thảo Nghị quyết', testid: `${prefix}-title` });
  const presenter = h('input', { name: 'presenter', maxlength: 200, value: item.presenter || '', placeholder: 'Không bắt buộc', testid: `${prefix}-presenter` });
  const starts = h('input', { name: 'starts_at', type: 'datetime-local', value: toLocalInput(item.starts_at), testid: `${prefix}-time` });
  return {
    fields: [field('Nội dung', title), field('Người trình bày', presenter), field('Thời gian', starts)],
    values: () => ({ title: title.value.trim(), presenter: presenter.value.trim() || null, starts_at: fromLocalInput(starts.value) }),
    clear: () => [title, presenter, starts].forEach((el) => (el.value = '')),
  };
}
