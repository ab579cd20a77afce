// The delegate's phone page until the delegate app (/app) hosts the seat view: sign in with the code and PIN
// on the invitation (the congress comes in the link, ?c=<congress id>), then see your seat.

import { renderSeatView } from './seat-view.js';

const KEY = 'congress.delegate';
const form = document.getElementById('login');
const view = document.getElementById('seat');
const error = document.getElementById('login-error');
const cid = new URLSearchParams(location.search).get('c') || '';

async function request(path, options = {}) {
  const token = JSON.parse(sessionStorage.getItem(KEY) || 'null')?.token;
  const res = await fetch(path, { ...options, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(body.detail || `Lỗi ${res.status}`), { status: res.status, detail: body.detail });
  return body;
}

async function showSeat() {
  form.hidden = true;
  view.hidden = false;
  await renderSeatView(view, { cid, request }).refresh();
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.hidden = true;
  try {
    const code = form.elements.code.value.trim();
    const pin = form.elements.pin.value.trim();
    const reply = await request('/api/auth/delegate', { method: 'POST', body: JSON.stringify({ congress_id: cid, code, pin }) });
    sessionStorage.setItem(KEY, JSON.stringify({ token: reply.access_token, cid }));
    await showSeat();
  } catch (err) {
    error.textContent = err.detail || 'Không đăng nhập được, vui lòng kiểm tra mã và PIN.';
    error.hidden = false;
  }
});

if (!cid) {
  error.textContent = 'Đường dẫn thiếu mã đại hội: hãy mở đường dẫn trên giấy mời.';
  error.hidden = false;
} else if (JSON.parse(sessionStorage.getItem(KEY) || 'null')?.cid === cid) {
  showSeat();
}
