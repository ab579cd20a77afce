// #/c/<cid>/users — organiser accounts for this congress (admin) and check-in kiosk devices.

import { kioskSection } from '../components/kiosks.js';
import { api } from '../lib/api.js';
import { field, formValues, h, mount } from '../lib/dom.js';
import { userRoleLabel } from '../lib/format.js';
import { canManage, isAdmin } from '../lib/session.js';
import { toastSuccess } from '../lib/toast.js';

export async function render(main, { cid, user, setTitle }) {
  setTitle('Tài khoản');
  if (!canManage(user)) {
    mount(main, h('p', { class: 'card' }, 'Bạn không có quyền xem trang này.'));
    return;
  }
  const usersList = h('div', { testid: 'user-list' });
  mount(
    main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Tài khoản và thiết bị')),
    h(
      'div',
      { class: 'grid-2' },
      isAdmin(user) ? h('section', { class: 'card' }, h('h2', {}, 'Tài khoản Ban Tổ chức'), usersList, organiserForm(cid, () => loadUsers(usersList, cid))) : null,
      kioskSection(cid),
    ),
  );
  if (isAdmin(user)) await loadUsers(usersList, cid);
}

async function loadUsers(box, cid) {
  let users;
  try {
    users = await api('/api/users');
  } catch (err) {
    mount(box, h('p', { class: 'form-error' }, err.detail));
    return;
  }
  const mine = (users.items || users).filter((u) => u.role === 'admin' || (u.congress_ids || []).includes(cid));
  if (!mine.length) {
    mount(box, h('p', { class: 'muted' }, 'Chưa có tài khoản nào cho đại hội này.'));
    return;
  }
  mount(
    box,
    h(
      'table',
      { class: 'table compact' },
      h('thead', {}, h('tr', {}, ['Tên đăng nhập', 'Họ và tên', 'Vai trò'].map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        {},
        mine.map((u) =>
          h('tr', { testid: 'user-row' }, h('td', { 'data-label': 'Tên đăng nhập' }, u.username), h('td', { 'data-label': 'Họ và tên' }, u.full_name || u.display_name || ''), h('td', { 'data-label': 'Vai trò' }, userRoleLabel(u.role))),
        ),
      ),
    ),
  );
}

function organiserForm(cid, reload) {
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'user-submit' }, 'Tạo tài khoản');
  const form = h(
    'form',
    { class: 'stack', testid: 'user-form', novalidate: true },
    h('h3', {}, 'Thêm thành viên Ban Tổ chức'),
    field('Họ và tên', h('input', { name: 'full_name', required: true, testid: 'user-full-name' })),
    field('Tên đăng nhập', h('input', { name: 'username', required: true, autocomplete: 'off', autocapitalize: 'none', pattern: '[A-Za-z0-9_.\\-]{3,80}', testid: 'user-username' }), 'Chữ không dấu, số, dấu chấm, gạch dưới hoặc gạch ngang; ít nhất 3 ký tự.'),
    field('Mật khẩu', h('input', { name: 'password', type: 'password', required: true, autocomplete: 'new-password', minlength: 8, testid: 'user-password' }), 'Tối thiểu 8 ký tự.'),
    error,
    submit,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = formValues(form);
    if (!v.full_name || !v.username || !v.password) {
      error.textContent = 'Vui lòng nhập đủ họ tên, tên đăng nhập và mật khẩu.';
      error.hidden = false;
      return;
    }
    error.hidden = true;
    submit.disabled = true;
    try {
      await api('/api/users', { method: 'POST', json: { ...v, role: 'organiser', congress_ids: [cid] }, silent: true });
      toastSuccess(`Đã tạo tài khoản ${v.username}`);
      form.reset();
      await reload();
    } catch (err) {
      error.textContent = err.detail;
      error.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
