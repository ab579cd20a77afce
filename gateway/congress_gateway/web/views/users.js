// #/c/<cid>/users — staff accounts (admin) and check-in kiosk devices of this congress.
// An admin sees the admins and this congress's organisers, and can reset a password, disable or enable an
// account, choose which congresses an organiser manages, give an existing organiser access to this congress,
// and create a new one. Every refusal names the field (the server's messages); old sessions of an account end
// when its password is reset, it is disabled or a congress is taken away.

import { kioskSection } from '../components/kiosks.js';
import { api } from '../lib/api.js';
import { confirmDialog, openModal } from '../lib/dialogs.js';
import { field, formValues, h, mount, options, showFormErrors } from '../lib/dom.js';
import { userRoleLabel } from '../lib/format.js';
import { canManage, isAdmin } from '../lib/session.js';
import { toastSuccess } from '../lib/toast.js';

const userPath = (id) => `/api/users/${encodeURIComponent(id)}`;

export async function render(main, { cid, user, setTitle }) {
  setTitle('Tài khoản');
  if (!canManage(user)) {
    mount(main, h('p', { class: 'card' }, 'Bạn không có quyền xem trang này.'));
    return;
  }
  const usersBox = h('div', { testid: 'user-list' });
  const addExisting = h('div', { testid: 'user-add-existing' });
  const reload = () => loadUsers({ cid, me: user, box: usersBox, addExisting, reload });
  mount(
    main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Tài khoản và thiết bị')),
    h(
      'div',
      { class: 'grid-2' },
      isAdmin(user)
        ? h('section', { class: 'card stack' }, h('h2', {}, 'Tài khoản Ban Tổ chức'), usersBox, addExisting, organiserForm(cid, reload))
        : null,
      kioskSection(cid),
    ),
  );
  if (isAdmin(user)) await reload();
}

async function loadUsers({ cid, me, box, addExisting, reload }) {
  let users;
  try {
    users = await api('/api/users', { silent: true });
  } catch (err) {
    mount(box, h('p', { class: 'form-error' }, err.detail));
    return;
  }
  const mine = users.filter((u) => u.role === 'admin' || u.congress_ids.includes(cid));
  const others = users.filter((u) => u.role === 'organiser' && !u.congress_ids.includes(cid));
  mount(box, mine.length ? usersTable(mine, { cid, me, reload }) : h('p', { class: 'muted' }, 'Chưa có tài khoản nào cho đại hội này.'));
  mount(addExisting, others.length ? addExistingForm(cid, others, reload) : '');
}

function usersTable(users, ctx) {
  return h(
    'table',
    { class: 'table compact users-table rows-as-cards' },
    h('thead', {}, h('tr', {}, ['Tên đăng nhập', 'Họ và tên', 'Vai trò', 'Trạng thái', ''].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, users.map((u) => userRow(u, ctx))),
  );
}

function userRow(u, { me, reload }) {
  const status = u.active ? h('span', { class: 'status status-present' }, 'Đang hoạt động') : h('span', { class: 'status status-absent' }, 'Đã khóa');
  const congresses = u.role === 'organiser' ? h('small', { class: 'muted' }, ` · ${u.congress_ids.length} đại hội`) : '';
  const button = (label, testid, onClick, extra = '') => h('button', { type: 'button', class: `btn btn-small btn-ghost ${extra}`, testid, onClick }, label);
  const actions = h(
    'div',
    { class: 'user-actions' },
    button('Đặt lại mật khẩu', 'user-reset-password', () => resetPassword(u, reload)),
    u.role === 'organiser' ? button('Đại hội…', 'user-congresses', () => chooseCongresses(u, reload)) : '',
    u.username === me.username ? '' : u.active ? button('Khóa', 'user-disable', () => setActive(u, false, reload), 'danger-text') : button('Mở khóa', 'user-enable', () => setActive(u, true, reload)),
  );
  return h(
    'tr',
    { testid: 'user-row', dataset: { username: u.username } },
    h('td', { 'data-label': 'Tên đăng nhập' }, u.username),
    h('td', { 'data-label': 'Họ và tên' }, u.full_name),
    h('td', { 'data-label': 'Vai trò' }, userRoleLabel(u.role), congresses),
    h('td', { 'data-label': 'Trạng thái', testid: 'user-status' }, status),
    h('td', { class: 'row-actions' }, actions),
  );
}

async function setActive(u, active, reload) {
  if (!active) {
    const ok = await confirmDialog({
      title: 'Khóa tài khoản',
      message: `Khóa tài khoản ${u.username} (${u.full_name})? Người này sẽ bị đăng xuất ngay và không đăng nhập được cho đến khi được mở khóa.`,
      confirmLabel: 'Khóa tài khoản',
      danger: true,
    });
    if (!ok) return;
  }
  try {
    await api(userPath(u.id), { method: 'PATCH', json: { active } });
    toastSuccess(active ? `Đã mở khóa tài khoản ${u.username}` : `Đã khóa tài khoản ${u.username}`);
    await reload();
  } catch {
    /* api() showed the message (e.g. the last active admin) */
  }
}

function resetPassword(u, reload) {
  const input = h('input', { name: 'password', type: 'text', required: true, minlength: 8, autocomplete: 'new-password', testid: 'reset-password-input' });
  const error = h('div', { class: 'form-error', role: 'alert', hidden: true, testid: 'reset-password-error' });
  const generate = h('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: 'reset-password-generate' }, 'Tạo mật khẩu ngẫu nhiên');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'reset-password-submit' }, 'Đặt mật khẩu mới');
  const cancel = h('button', { type: 'button', class: 'btn btn-ghost' }, 'Hủy');
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    h('p', {}, `Mật khẩu mới cho ${u.username} (${u.full_name}). Các phiên đăng nhập hiện có của tài khoản này sẽ kết thúc.`),
    field('Mật khẩu mới', input, 'Tối thiểu 8 ký tự. Hãy báo mật khẩu này cho người dùng qua kênh riêng.'),
    generate,
    error,
    h('div', { class: 'modal-foot' }, cancel, submit),
  );
  const { close } = openModal({ title: 'Đặt lại mật khẩu', body: form, testid: 'reset-password-dialog' });
  cancel.addEventListener('click', close);
  generate.addEventListener('click', () => {
    input.value = randomPassword();
    input.select();
  });
  input.focus();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    try {
      await api(userPath(u.id), { method: 'PATCH', json: { password: input.value }, silent: true });
      toastSuccess(`Đã đặt mật khẩu mới cho ${u.username}`);
      close();
      await reload();
    } catch (err) {
      showFormErrors(error, form, err.detail, err.errors);
      submit.disabled = false;
    }
  });
}

async function chooseCongresses(u, reload) {
  let congresses;
  try {
    congresses = await api('/api/congresses');
  } catch {
    return;
  }
  const boxes = congresses.map((c) =>
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'congress_ids', value: c.id, dataset: { group: '1' }, checked: u.congress_ids.includes(c.id) }), ` ${c.name}`),
  );
  const error = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'user-congresses-submit' }, 'Lưu');
  const cancel = h('button', { type: 'button', class: 'btn btn-ghost' }, 'Hủy');
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    h('fieldset', { class: 'check-list' }, h('legend', {}, `Đại hội mà ${u.full_name} được quản lý`), boxes),
    h('p', { class: 'muted' }, 'Bỏ một đại hội sẽ đăng xuất người này khỏi mọi phiên đang mở.'),
    error,
    h('div', { class: 'modal-foot' }, cancel, submit),
  );
  const { close } = openModal({ title: 'Đại hội được quản lý', body: form, testid: 'user-congresses-dialog' });
  cancel.addEventListener('click', close);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api(userPath(u.id), { method: 'PATCH', json: { congress_ids: formValues(form).congress_ids || [] }, silent: true });
      toastSuccess(`Đã cập nhật đại hội của ${u.username}`);
      close();
      await reload();
    } catch (err) {
      showFormErrors(error, form, err.detail, err.errors);
    }
  });
}

function addExistingForm(cid, others, reload) {
  const select = h('select', { name: 'user_id', testid: 'user-existing-select' }, options(others.map((u) => [u.id, `${u.full_name} (${u.username})`])));
  const submit = h('button', { type: 'submit', class: 'btn', testid: 'user-existing-submit' }, 'Thêm vào đại hội này');
  const form = h('form', { class: 'inline-form', novalidate: true, testid: 'user-existing-form' }, field('Tài khoản đã có ở đại hội khác', select), submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const chosen = others.find((u) => u.id === select.value);
    if (!chosen) return;
    try {
      await api(userPath(chosen.id), { method: 'PATCH', json: { congress_ids: [...chosen.congress_ids, cid] } });
      toastSuccess(`${chosen.full_name} đã được quản lý đại hội này`);
      await reload();
    } catch {
      /* api() showed the message */
    }
  });
  return form;
}

function organiserForm(cid, reload) {
  const error = h('div', { class: 'form-error', role: 'alert', hidden: true, testid: 'user-form-error' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'user-submit' }, 'Tạo tài khoản');
  const form = h(
    'form',
    { class: 'stack', testid: 'user-form', novalidate: true },
    h('h3', {}, 'Thêm thành viên Ban Tổ chức'),
    field('Họ và tên', h('input', { name: 'full_name', required: true, testid: 'user-full-name' })),
    field('Tên đăng nhập', h('input', { name: 'username', required: true, autocomplete: 'off', autocapitalize: 'none', testid: 'user-username' }), 'Chữ không dấu, số, dấu chấm, gạch dưới hoặc gạch ngang; ít nhất 3 ký tự.'),
    field('Mật khẩu', h('input', { name: 'password', type: 'password', required: true, autocomplete: 'new-password', testid: 'user-password' }), 'Tối thiểu 8 ký tự.'),
    error,
    submit,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = formValues(form);
    error.hidden = true;
    submit.disabled = true;
    try {
      await api('/api/users', { method: 'POST', json: { ...v, role: 'organiser', congress_ids: [cid] }, silent: true });
      toastSuccess(`Đã tạo tài khoản ${v.username}`);
      form.reset();
      for (const el of form.querySelectorAll('[aria-invalid="true"]')) el.removeAttribute('aria-invalid');
      await reload();
    } catch (err) {
      showFormErrors(error, form, err.detail, err.errors);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

/** 14 characters from an alphabet without look-alikes (no 0/O, 1/l/I), from the browser's CSPRNG. */
function randomPassword() {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(14));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
