// The check-in kiosk: its own entry point (no organiser code). Camera → burst → server decides → big result.
import { enqueue, flush, newKey, pending } from './queue.js';

const TOKEN_KEY = 'congress.kiosk.token';
const BURST = 5;
const GAP_MS = 180;
const BADGE_WAIT_MS = 20000; // no badge read in this long: the kiosk goes back to faces (the next person may not have one)
const $ = (id) => document.getElementById(id);
const state = { token: null, cid: null, busy: false, mode: 'face', qr: null, challenge: null, tries: 0, until: 0, last: null, badgeUntil: 0 };

function claims(token) {
  try {
    const body = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return body.role === 'kiosk' && body.congress_ids?.length ? body : null;
  } catch {
    return null;
  }
}

function setup(message = '') {
  $('station').hidden = true;
  $('setup').hidden = false;
  $('setup-error').textContent = message;
}

async function start(token) {
  const who = claims(token);
  if (!who) return setup('Mã thiết bị không hợp lệ');
  state.token = token;
  state.cid = who.congress_ids[0];
  const reply = await call('GET', 'faces/settings').catch(() => null);
  if (reply?.status === 401 || reply?.status === 403) {
    localStorage.removeItem(TOKEN_KEY);
    return setup((await reply.json()).detail || 'Mã thiết bị đã bị thu hồi');
  }
  localStorage.setItem(TOKEN_KEY, token);
  call('POST', 'kiosks/paired').catch(() => {}); // the console now shows this device in use, not "not set up yet"
  $('setup').hidden = true;
  $('station').hidden = false;
  $('congress-name').textContent = who.name ? `Điểm danh — ${who.name}` : 'Điểm danh đại biểu';
  try {
    $('video').srcObject = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 }, audio: false });
    await $('video').play();
  } catch {
    return noCamera();
  }
  watchMotion();
  showQueue();
  setInterval(sendQueued, 10000);
  window.addEventListener('online', sendQueued);
}

// Without a camera the station sends delegates to the desk; the technical reason is a note for the staff.
function noCamera() {
  $('start').disabled = true;
  $('badge').disabled = true;
  $('staff-note').hidden = false;
  $('staff-note').textContent = 'Dành cho cán bộ kỹ thuật: trình duyệt chưa được cấp quyền dùng camera, hoặc máy không có camera. Cấp quyền rồi tải lại trang.';
  result('no', 'Máy điểm danh chưa sẵn sàng', 'Mời đến bàn đón tiếp', 'Cán bộ tại bàn sẽ điểm danh cho đại biểu');
  prompt('Mời đại biểu đến bàn đón tiếp');
}

function call(method, path, form) {
  return fetch(`/api/congresses/${encodeURIComponent(state.cid)}/${path}`, {
    method, body: form, headers: { Authorization: `Bearer ${state.token}`, Accept: 'application/json' },
  });
}

function prompt(text) {
  $('prompt').textContent = text;
}

function frameBlob(video) {
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d').drawImage(video, 0, 0);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
}

async function cameraReady(video) {
  for (let waited = 0; !video.videoWidth && waited < 10000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  return video.videoWidth > 0;
}

async function burst(count = BURST) {
  const frames = [];
  if (!(await cameraReady($('video')))) return frames;
  for (let i = 0; i < count; i += 1) {
    const blob = await frameBlob($('video'));
    if (blob) frames.push(blob);
    if (i < count - 1) await new Promise((r) => setTimeout(r, GAP_MS));
  }
  return frames;
}

// Someone arrived: the picture changed. An idle kiosk in front of an empty hall sends nothing.
function watchMotion() {
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 48;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  let previous = null;
  let activeUntil = Date.now() + 3000;
  setInterval(() => {
    if ($('video').readyState < 2) return;
    ctx.drawImage($('video'), 0, 0, 64, 48);
    const pixels = ctx.getImageData(0, 0, 64, 48).data;
    if (previous) {
      let change = 0;
      for (let i = 0; i < pixels.length; i += 4) change += Math.abs(pixels[i] - previous[i]);
      if (change / 3072 > 3) activeUntil = Date.now() + 4000;
    }
    previous = pixels;
    if (Date.now() < activeUntil && !state.busy && Date.now() > state.until && state.mode !== 'desk') attempt();
  }, 400);
}

async function attempt({ badge = state.mode === 'badge' } = {}) {
  if (state.busy) return;
  state.busy = true;
  prompt(badge ? 'Giữ thẻ đại biểu trước camera…' : (state.challenge ? $('prompt').textContent : 'Đang nhận diện…'));
  const frames = await burst(BURST);  // a badge attempt is a face attempt too (1:1 on the same frames)
  if (!frames.length) {
    state.busy = false;
    return prompt('Camera chưa sẵn sàng, vui lòng thử lại');
  }
  const form = new FormData();
  frames.forEach((blob, i) => form.append('image', blob, `khung-${i + 1}.jpg`));
  if (badge) form.append('badge', 'true');
  if (state.qr) form.append('qr', state.qr);
  if (state.challenge) form.append('challenge', state.challenge);
  try {
    const reply = await call('POST', 'checkins/face', form);
    show(await reply.json(), reply.status);
  } catch {
    offline(badge, frames);
  } finally {
    state.busy = false;
  }
}

async function offline(badge, frames) {
  if (badge) {
    await enqueue({ key: newKey(), frames: frames.slice(0, 2), at: Date.now() });
    result('ask', 'Mất kết nối máy chủ', 'Đã lưu thẻ', 'Lượt điểm danh bằng thẻ sẽ được gửi khi có mạng');
    showQueue();
  } else {
    result('no', 'Mất kết nối máy chủ', 'Mời quét thẻ', 'hoặc đến bàn đón tiếp');
  }
  rest(4000, 'face');
}

function show(body, status) {
  const name = body.delegate?.full_name || '';
  const seat = body.seat ? ` · Ghế ${body.seat.label}` : '';
  $('not-me').hidden = true;
  switch (body.outcome) {
    case 'checked_in':
    case 'already_checked_in':
      result('ok', body.outcome === 'checked_in' ? 'Điểm danh thành công' : 'Đã điểm danh trước đó', name,
        `${body.delegate?.delegation_name || ''}${seat}`);
      if (body.outcome === 'checked_in' && body.method !== 'qr') notMe(body.checkin_id);
      prompt('Mời đại biểu tiếp theo');
      return rest(6000, 'face');
    case 'unsure_show_badge':
      result('ask', 'Chưa chắc chắn', 'Mời đưa thẻ đại biểu vào camera', body.message);
      return rest(1500, 'badge');
    case 'spoof_suspected':
      state.tries += 1;
      if (state.tries > 2) {
        result('no', 'Không xác nhận được người thật', 'Mời đến bàn đón tiếp', body.message);
        return rest(6000, 'face');
      }
      state.challenge = body.challenge;
      result('ask', 'Xác nhận người thật', body.challenge_prompt || 'Hãy nhìn vào camera', body.message);
      prompt(body.challenge_prompt || 'Hãy nhìn vào camera');
      return rest(1200, 'face', true);
    case 'no_face':
      prompt(body.message || 'Hãy nhìn thẳng vào camera');
      return rest(1500, state.mode, true);
    default:
      if (body.qr && state.mode === 'badge') {  // the badge was read: now the face, compared with that badge only
        state.qr = body.qr;
        result('ask', 'Đã đọc thẻ', 'Hạ thẻ xuống và nhìn vào camera', '');
        return rest(1500, 'face', true);
      }
      if (state.mode === 'badge' && status < 400 && Date.now() > state.badgeUntil) {
        result('no', 'Không đọc được thẻ', 'Mời đến bàn đón tiếp', 'Đại biểu tiếp theo: mời nhìn vào camera');
        return rest(6000, 'face');
      }
      if (state.mode === 'badge' && status < 400) {  // a badge attempt that read no QR code: stay on the badge
        result('ask', 'Chưa đọc được thẻ', 'Đưa thẻ gần camera hơn', body.message);
        prompt('Giữ thẻ đại biểu trước camera');
        return rest(1500, 'badge', true);
      }
      if (status >= 400) result('no', 'Không dùng được hình ảnh', 'Mời thử lại', body.detail || body.message || '');
      else result('no', 'Không nhận ra', 'Mời quét thẻ đại biểu', 'hoặc đến bàn đón tiếp');
      prompt('Mời quét thẻ đại biểu hoặc đến bàn đón tiếp');
      return rest(5000, 'face');
  }
}

function result(kind, title, name, detail) {
  $('result').hidden = false;
  $('result').dataset.kind = kind;
  $('result').dataset.outcome = kind;
  $('result-title').textContent = title;
  $('result-name').textContent = name;
  $('result-detail').textContent = detail || '';
}

/** Face or badge mode; entering badge mode starts its BADGE_WAIT_MS. */
function setMode(mode) {
  if (mode === 'badge' && state.mode !== 'badge') state.badgeUntil = Date.now() + BADGE_WAIT_MS;
  state.mode = mode;
}

function rest(ms, mode, keep = false) {
  state.until = Date.now() + ms;
  setMode(mode);
  if (!keep) {
    state.qr = mode === 'face' ? null : state.qr;
    state.challenge = null;
    state.tries = mode === 'face' ? 0 : state.tries;
  }
  clearTimeout(state.last);
  state.last = setTimeout(() => {
    if (!keep) $('result').hidden = true;
    prompt(mode === 'badge' ? 'Mời đưa thẻ đại biểu vào camera' : 'Mời đại biểu nhìn vào camera');
  }, ms);
}

function notMe(checkinId) {
  const button = $('not-me');
  button.hidden = false;
  button.onclick = async () => {
    button.hidden = true;
    const reply = await call('POST', `checkins/${encodeURIComponent(checkinId)}/not-me`).catch(() => null);
    if (reply?.ok) result('ask', 'Đã hủy lượt điểm danh', 'Mời đưa thẻ đại biểu vào camera', '');
    else result('no', 'Không hủy được', 'Mời đến bàn đón tiếp', '');
    prompt(reply?.ok ? 'Mời đưa thẻ đại biểu vào camera' : 'Mời đến bàn đón tiếp');  // not the "next delegate" of the check-in
    rest(1500, 'badge');
  };
}

async function sendQueued() {
  const sent = await flush(async (entry) => {
    const form = new FormData();
    entry.frames.forEach((blob, i) => form.append('image', blob, `the-${i + 1}.jpg`));
    form.append('badge', 'true');
    form.append('queued', 'true');
    form.append('idempotency_key', entry.key);
    try {
      const reply = await call('POST', 'checkins/face', form);
      return reply.status >= 500 ? 'network' : 'done';
    } catch {
      return 'network';
    }
  }).catch(() => 0);
  if (sent) showQueue();
}

async function showQueue() {
  const waiting = (await pending().catch(() => [])).length;
  $('queue').textContent = waiting ? `${waiting} lượt quét thẻ đang chờ gửi` : '';
  $('net').textContent = navigator.onLine ? '' : 'Mất mạng';
}

$('setup-form').addEventListener('submit', (event) => {
  event.preventDefault();
  start($('setup-token').value.trim());
});
$('start').addEventListener('click', () => { setMode('face'); state.until = 0; attempt({ badge: false }); });
$('badge').addEventListener('click', () => { setMode('badge'); state.until = 0; attempt({ badge: true }); });

const fromLink = new URLSearchParams(location.hash.slice(1)).get('token');
if (fromLink) history.replaceState(null, '', location.pathname);
const saved = fromLink || localStorage.getItem(TOKEN_KEY);
if (saved) start(saved);
else setup();
