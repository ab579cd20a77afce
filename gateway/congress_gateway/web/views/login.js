// #/login — "Đăng nhập".

import { api } from '../lib/api.js';
import { field, h, mount } from '../lib/dom.js';
import { saveSession, takeReturn } from '../lib/session.js';

export async function render(main, { setTitle }) {
  setTitle('Đăng nhập');
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false', testid: 'login-username' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true, testid: 'login-password' });
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'login-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', testid: 'login-submit' }, 'Đăng nhập');
  const form = h(
    'form',
    { class: 'stack', testid: 'login-form', novalidate: true },
    field('Tên đăng nhập', username),
    field('Mật khẩu', password),
    error,
    submit,
  );

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    if (!username.value.trim() || !password.value) {
      showError(error, 'Vui lòng nhập tên đăng nhập và mật khẩu.');
      (username.value.trim() ? password : username).focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Đang đăng nhập…';
    try {
      const res = await api('/api/auth/token', {
        method: 'POST',
        json: { username: username.value.trim(), password: password.value },
        silent: true,
      });
      saveSession(res.access_token, res);
      location.hash = takeReturn() || '#/congresses';
    } catch (err) {
      showError(error, err.detail || 'Đăng nhập không thành công.');
      password.select();
      submit.disabled = false;
      submit.textContent = 'Đăng nhập';
    }
  });

  mount(
    main,
    h(
      'section',
      { class: 'card narrow login-card' },
      h('h1', {}, 'Đăng nhập'),
      h('p', { class: 'muted' }, 'Dành cho Ban Tổ chức đại hội và bàn điểm danh.'),
      form,
    ),
  );
  username.focus();
}

function showError(el, message) {
  el.textContent = message;
  el.hidden = false;
}
