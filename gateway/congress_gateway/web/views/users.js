// #/c/<cid>/users — organiser accounts for this congress (admin) and check-in kiosk devices.

import { api } from '../lib/api.js';
import { field, formValues, h, mount } from '../lib/dom.js';
import { userRoleLabel } from '../lib/format.js';
import { canManage, isAdmin } from '../lib/session.js';
import { toastSuccess } from '../lib/toast.js';
import { copyText } from '../lib/util.js';

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
      kioskForm(cid),
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
    field('Tên đăng nhập', h('input', { name: 'username', required: true, autocomplete: 'off', autocapitalize: 'none', testid: 'user-username' })),
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

function kioskForm(cid) {
  const name = h('input', { name: 'name', required: true, testid: 'kiosk-name', placeholder: 'Ví dụ: Cửa chính – máy 1' });
  const out = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'kiosk-submit' }, 'Tạo mã thiết bị');
  const form = h('form', { class: 'stack', testid: 'kiosk-form', novalidate: true }, field('Tên thiết bị', name), submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!name.value.trim()) return name.focus();
    submit.disabled = true;
    try {
      const kiosk = await api(`/api/congresses/${encodeURIComponent(cid)}/kiosks`, { method: 'POST', json: { name: name.value.trim() } });
      form.reset();
      mount(out, tokenBox(kiosk));
    } catch {
      /* api() showed the message */
    } finally {
      submit.disabled = false;
    }
  });
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, 'Thiết bị điểm danh (kiosk)'),
    h('p', { class: 'muted' }, 'Mỗi thiết bị ở cửa ra vào dùng một mã riêng. Mã chỉ hiện một lần: hãy sao chép và nhập vào thiết bị ngay.'),
    form,
    out,
  );
}

function tokenBox(kiosk) {
  const token = h('textarea', { readonly: true, rows: 3, class: 'token', testid: 'kiosk-token', 'aria-label': `Mã của thiết bị ${kiosk.name}` });
  token.value = kiosk.token;
  const copy = h('button', { type: 'button', class: 'btn btn-ghost', testid: 'kiosk-copy' }, 'Sao chép');
  copy.addEventListener('click', async () => {
    token.select();
    if (await copyText(kiosk.token)) toastSuccess('Đã sao chép mã thiết bị');
  });
  return h('div', { class: 'notice notice-success', testid: 'kiosk-created' }, h('p', {}, h('strong', {}, kiosk.name), ': mã thiết bị (chỉ hiện một lần)'), token, copy);
}
