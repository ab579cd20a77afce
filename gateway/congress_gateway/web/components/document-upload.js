// The upload form of "Tài liệu": file, title, category, agenda item, audience (named delegations), confidential,
// release (now / at a time / when the agenda item opens). The API's refusal is shown in the form as it says it.

import { api } from '../lib/api.js';
import { field, h, mount, options, showFormErrors } from '../lib/dom.js';
import { AUDIENCES, CATEGORIES, RELEASES, documentsPath, fromLocalInput } from '../lib/programme.js';
import { toastSuccess } from '../lib/toast.js';

const ACCEPT = '.pdf,.docx,.xlsx,application/pdf';

/**
 * uploadForm({cid, items, delegations, onUploaded}) → <form>; items: agendaItems(), delegations: [{id, name}].
 * form.update({items, delegations}) refreshes the choices and keeps what was picked.
 */
export function uploadForm({ cid, items, delegations, onUploaded }) {
  const file = h('input', { type: 'file', name: 'file', accept: ACCEPT, required: true, testid: 'doc-file' });
  const title = h('input', { name: 'title', required: true, maxlength: 300, placeholder: 'Ví dụ: Dự thảo Nghị quyết Đại hội', testid: 'doc-title' });
  const category = h('select', { name: 'category', testid: 'doc-category' }, options(CATEGORIES, 'report'));
  const item = h('select', { name: 'agenda_item_id', testid: 'doc-agenda-item' }, itemOptions(items));
  const audience = h('select', { name: 'audience', testid: 'doc-audience' }, options(AUDIENCES, 'all'));
  const groups = delegationPicker(delegations);
  const confidential = h('input', { type: 'checkbox', name: 'confidential', testid: 'doc-confidential' });
  const at = h('input', { type: 'datetime-local', name: 'release_at', testid: 'doc-release-time', 'aria-label': 'Thời điểm phát hành' });
  const release = h('fieldset', { class: 'doc-release', testid: 'doc-release' }, h('legend', {}, 'Phát hành'),
    RELEASES.map(([value, label]) => h('label', { class: 'check' },
      h('input', { type: 'radio', name: 'release', value, checked: value === 'now', testid: `doc-release-${value}` }), label)), at);
  const note = h('input', { name: 'note', maxlength: 500, placeholder: 'Không bắt buộc', testid: 'doc-note' });
  const error = h('div', { class: 'form-error', role: 'alert', hidden: true, testid: 'doc-error' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'doc-submit' }, 'Tải lên');
  const form = h('form', { class: 'card stack doc-upload', testid: 'doc-upload', novalidate: true },
    h('h2', {}, 'Tải tài liệu lên'),
    h('div', { class: 'form-grid' },
      field('Tệp tài liệu', file, 'PDF, Word (.docx) hoặc Excel (.xlsx): Word, Excel được chuyển sang PDF.'),
      field('Tên tài liệu', title), field('Loại tài liệu', category), field('Mục chương trình', item),
      field('Người được đọc', audience), field('Ghi chú', note)),
    groups.box,
    h('label', { class: 'check' }, confidential, 'Tài liệu mật: in tên và mã đại biểu mờ trên từng trang khi đọc, khi tải về'),
    release, error, h('div', { class: 'actions' }, submit));

  const sync = () => {
    groups.box.hidden = audience.value !== 'delegations';
    at.hidden = form.elements.release.value !== 'at';
  };
  audience.addEventListener('change', sync);
  release.addEventListener('change', sync);
  file.addEventListener('change', () => {
    if (!title.value.trim() && file.files[0]) title.value = file.files[0].name.replace(/\.[^.]+$/, '').replace(/[-_]+/g, ' ');
  });
  sync();
  form.update = (fresh) => {
    const picked = item.value;
    mount(item, itemOptions(fresh.items));
    item.value = fresh.items.some((i) => i.id === picked) ? picked : '';
    groups.update(fresh.delegations);
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const problem = check();
    if (problem) return showFormErrors(error, form, problem);
    const body = new FormData();
    body.append('file', file.files[0]);
    for (const [key, value] of Object.entries(fields())) if (value != null && value !== '') body.append(key, value);
    for (const id of groups.chosen()) body.append('delegation_ids', id);
    submit.disabled = true;
    submit.textContent = 'Đang tải lên…';
    error.hidden = true;
    try {
      const doc = await api(documentsPath(cid), { method: 'POST', form: body, silent: true });
      toastSuccess(`Đã tải lên “${doc.title}” (${doc.pages} trang)`);
      form.reset();
      sync();
      onUploaded?.(doc);
    } catch (err) {
      showFormErrors(error, form, err.detail, err.errors);
    } finally {
      submit.disabled = false;
      submit.textContent = 'Tải lên';
    }
  });

  function fields() {
    const mode = form.elements.release.value;
    return { title: title.value.trim(), category: category.value, audience: audience.value, agenda_item_id: item.value,
      confidential: confidential.checked ? 'true' : 'false', release: mode, release_at: mode === 'at' ? fromLocalInput(at.value) : null, note: note.value.trim() };
  }

  function check() {
    if (!file.files[0]) return 'Chọn tệp tài liệu cần tải lên.';
    if (title.value.trim().length < 2) return 'Nhập tên tài liệu (ít nhất 2 ký tự).';
    const mode = form.elements.release.value;
    if (mode === 'at' && !at.value) return 'Chọn thời điểm phát hành.';
    if (mode === 'agenda_item' && !item.value) return 'Chọn mục chương trình mà tài liệu được phát hành cùng.';
    if (audience.value === 'delegations' && !groups.chosen().length) return 'Chọn ít nhất một đoàn đại biểu được đọc tài liệu này.';
    return null;
  }
  return form;
}

function itemOptions(items) {
  const sessions = new Map();
  for (const item of items) {
    if (!sessions.has(item.session_title)) sessions.set(item.session_title, []);
    sessions.get(item.session_title).push(item);
  }
  return [h('option', { value: '' }, '— Không gắn với mục nào —'),
    [...sessions].map(([label, list]) => h('optgroup', { label }, list.map((i) => h('option', { value: i.id }, i.current ? `${i.title} (đang diễn ra)` : i.title))))];
}

function delegationPicker(initial) {
  const box = h('fieldset', { class: 'check-list delegation-pick', testid: 'doc-delegations' });
  let boxes = [];
  const chosen = () => boxes.filter((b) => b.checked).map((b) => b.value);
  const update = (delegations) => {
    const keep = new Set(chosen());
    boxes = delegations.map((d) => h('input', { type: 'checkbox', value: d.id, checked: keep.has(d.id), testid: 'doc-delegation', dataset: { name: d.name } }));
    mount(box, h('legend', {}, 'Các đoàn được đọc'),
      delegations.length ? delegations.map((d, i) => h('label', { class: 'check' }, boxes[i], d.name)) : h('p', { class: 'muted' }, 'Chưa có đoàn đại biểu nào.'));
  };
  update(initial);
  return { box, chosen, update };
}
