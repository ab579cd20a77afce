// #/congresses — the congresses this user may see, and (admin) the form to create one.

import { api } from '../lib/api.js';
import { field, formValues, h, mount, options } from '../lib/dom.js';
import { LEVELS, formatDate, levelLabel } from '../lib/format.js';
import { isAdmin } from '../lib/session.js';
import { toastSuccess } from '../lib/toast.js';

export async function render(main, { user, setTitle }) {
  setTitle('Các đại hội');
  const list = h('div', { class: 'congress-list', testid: 'congress-list' }, h('p', { class: 'loading' }, 'Đang tải…'));
  mount(
    main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Các đại hội'), h('p', { class: 'muted' }, `Xin chào, ${user?.display_name || ''}.`)),
    h('div', { class: isAdmin(user) ? 'grid-2' : '' }, h('section', { 'aria-label': 'Danh sách đại hội' }, list), isAdmin(user) ? createForm((id) => load(list, id)) : null),
  );
  await load(list);
}

async function load(list, highlightId) {
  let items;
  try {
    const res = await api('/api/congresses');
    items = Array.isArray(res) ? res : res?.items || [];
  } catch (err) {
    mount(list, h('p', { class: 'form-error' }, err.detail));
    return;
  }
  if (!items.length) {
    mount(list, h('p', { class: 'card muted', testid: 'congress-empty' }, 'Chưa có đại hội nào.'));
    return;
  }
  mount(list, items.map((c) => congressCard(c, c.id === highlightId)));
}

function congressCard(c, highlight) {
  const href = `#/c/${encodeURIComponent(c.id)}`;
  return h(
    'article',
    { class: highlight ? 'card congress-card highlight' : 'card congress-card', testid: 'congress-item', dataset: { congressId: c.id } },
    h('h2', {}, h('a', { href, testid: 'congress-link' }, c.name)),
    h(
      'p',
      { class: 'meta' },
      h('span', { class: 'tag' }, levelLabel(c.level)),
      c.venue ? h('span', {}, c.venue) : null,
      c.starts_on ? h('span', {}, `Khai mạc ${formatDate(c.starts_on)}`) : null,
    ),
    h(
      'p',
      { class: 'actions' },
      h('a', { class: 'btn btn-primary', href }, 'Mở đại hội'),
      h('a', { class: 'btn btn-ghost', href: `${href}/desk` }, 'Bàn điểm danh'),
    ),
  );
}

function createForm(reload) {
  const name = h('input', {
    name: 'name',
    required: true,
    maxlength: 300,
    testid: 'congress-name',
    placeholder: 'Đại hội Công đoàn tỉnh Thanh Hóa lần thứ XX, nhiệm kỳ 2023–2028',
  });
  const level = h('select', { name: 'level', required: true, testid: 'congress-level' }, options(LEVELS, 'grassroots'));
  const venue = h('input', { name: 'venue', maxlength: 300, testid: 'congress-venue', placeholder: 'Ví dụ: Cung Văn hóa Lao động tỉnh' });
  const date = h('input', { name: 'starts_on', type: 'date', testid: 'congress-date' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true, testid: 'congress-form-error' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'congress-submit' }, 'Tạo đại hội');
  const form = h(
    'form',
    { class: 'card stack', testid: 'congress-form', novalidate: true },
    h('h2', {}, 'Tạo đại hội mới'),
    field('Tên đại hội', name),
    field('Cấp đại hội', level),
    field('Địa điểm', venue),
    field('Ngày khai mạc', date),
    error,
    submit,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const values = formValues(form);
    if (!values.name) {
      error.textContent = 'Vui lòng nhập tên đại hội.';
      error.hidden = false;
      name.focus();
      return;
    }
    error.hidden = true;
    const body = { name: values.name, level: values.level };
    if (values.venue) body.venue = values.venue;
    if (values.starts_on) body.starts_on = values.starts_on;
    submit.disabled = true;
    try {
      const created = await api('/api/congresses', { method: 'POST', json: body, silent: true });
      form.reset();
      toastSuccess(`Đã tạo “${created.name}”`);
      await reload(created.id);
    } catch (err) {
      error.textContent = err.errors?.length ? `${err.detail}: ${err.errors.map((x) => x.message).join('; ')}` : err.detail;
      error.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
