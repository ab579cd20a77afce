// Sign in with the code and PIN from the invitation, or by scanning the badge's QR code. The congress comes from
// the invitation link's ?c=; opened without it, the one open congress is used, or the delegate picks it by name.
import { api } from '/static/lib/api.js';
import { field, h, mount, options } from '/static/lib/dom.js';
import { formatDate } from '/static/lib/format.js';
import { congressId, deviceId, signedIn } from './ui.js';

export async function render(main) {
  document.getElementById('bar-actions').replaceChildren();
  const error = h('p', { class: 'error', role: 'alert', testid: 'login-error', hidden: true });
  const congress = await congressControl();
  const code = h('input', { name: 'code', required: true, autocapitalize: 'characters', autocomplete: 'username', testid: 'login-code' });
  const pin = h('input', { name: 'pin', required: true, inputmode: 'numeric', autocomplete: 'current-password', type: 'password', testid: 'login-pin' });
  const submit = h('button', { class: 'btn btn-primary', type: 'submit', testid: 'login-submit', disabled: congress.none }, 'Đăng nhập');

  async function send(body) {
    error.hidden = !!congress.control.value;
    error.textContent = 'Vui lòng chọn đại hội';
    if (!congress.control.value) return;
    submit.disabled = true;
    try {
      const token = await api('/api/auth/delegate', { method: 'POST', silent: true,
        json: { congress_id: congress.control.value.trim(), device_id: deviceId(), ...body } });
      localStorage.setItem('congress.app.congress', congress.control.value.trim());
      signedIn(token);
    } catch (err) {
      error.textContent = err.detail || 'Không đăng nhập được';
      error.hidden = false;
    } finally {
      submit.disabled = false;
    }
  }

  const form = h('form', { class: 'card', testid: 'login-form', onSubmit: (e) => {
    e.preventDefault();
    send({ code: code.value.trim(), pin: pin.value.trim() });
  } },
  h('h1', {}, 'Đăng nhập đại biểu'),
  h('p', { class: 'muted' }, 'Nhập mã đại biểu và mã PIN in trên giấy mời, hoặc quét mã QR trên thẻ đại biểu.'),
  congress.shown,
  field('Mã đại biểu', code), field('Mã PIN', pin), error, submit);
  mount(main, form, scanner(send));
}

/** The congress to log in to: ``control`` (its value is the id) and what the form shows of it. */
async function congressControl() {
  const known = congressId(); // ?c= from the invitation link, else the one this phone used last
  const fromLink = new URLSearchParams(location.search).has('c');
  const open = await api('/api/auth/congresses', { silent: true }).catch(() => null);
  const hidden = (id) => h('input', { type: 'hidden', name: 'congress', value: id, testid: 'login-congress' });
  const named = (c) => h('p', { class: 'congress-name', testid: 'login-congress-name' }, c.name, dated(c));
  if (fromLink || !open) {
    const c = open?.find((x) => x.id === known);
    if (known) return { control: hidden(known), shown: c ? [named(c), hidden(known)] : hidden(known) };
    return { none: true, control: hidden(''), shown: h('p', { class: 'error', testid: 'login-no-congress' }, 'Không tải được danh sách đại hội. Vui lòng kiểm tra kết nối mạng rồi tải lại trang, hoặc mở đường liên kết trên giấy mời.') };
  }
  if (open.length === 1) {
    const control = hidden(open[0].id);
    return { control, shown: [named(open[0]), control] };
  }
  if (!open.length) {
    if (known) return { control: hidden(known), shown: hidden(known) };
    return { none: true, control: hidden(''), shown: h('p', { class: 'error', testid: 'login-no-congress' }, 'Hiện chưa có đại hội nào mở đăng nhập. Vui lòng mở đường liên kết trên giấy mời hoặc liên hệ Ban Tổ chức.') };
  }
  const pick = h('select', { name: 'congress', required: true, testid: 'login-congress' },
    options([['', '— Chọn đại hội —'], ...open.map((c) => [c.id, `${c.name}${c.starts_on ? ` (${formatDate(c.starts_on)})` : ''}`])],
      open.some((c) => c.id === known) ? known : ''));
  // a phone's select cuts a long name: the chosen one is also written out in full under it
  const chosen = h('small', { class: 'muted', testid: 'login-congress-chosen' });
  const show = () => { chosen.textContent = pick.value ? pick.selectedOptions[0].textContent : 'Chọn đại hội ghi trên giấy mời của bạn.'; };
  pick.addEventListener('change', show);
  show();
  const shown = field('Đại hội', pick);
  shown.append(chosen);
  return { control: pick, shown };
}

function dated(c) {
  return c.starts_on ? h('span', { class: 'muted' }, ` · khai mạc ${formatDate(c.starts_on)}`) : null;
}

/** The phone camera reads the badge QR (BarcodeDetector where the browser has it), else the code is typed. */
function scanner(send) {
  const video = h('video', { class: 'scan-video', playsinline: true, muted: true, hidden: true, testid: 'qr-video' });
  const typed = h('input', { name: 'qr', placeholder: 'hoặc nhập mã in dưới QR', autocomplete: 'off', testid: 'qr-text' });
  let stream = null;
  const stop = () => {
    stream?.getTracks().forEach((t) => t.stop());
    stream = null;
    video.hidden = true;
  };
  async function scan() {
    if (!('BarcodeDetector' in window) || !navigator.mediaDevices?.getUserMedia) {
      typed.focus();
      return;
    }
    const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    while (stream) {
      const codes = await detector.detect(video).catch(() => []);
      if (codes.length) {
        stop();
        send({ qr: codes[0].rawValue });
        return;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return h('section', { class: 'card' },
    h('h2', {}, 'Đăng nhập bằng thẻ đại biểu'),
    h('button', { class: 'btn', type: 'button', testid: 'qr-scan', onClick: scan }, 'Quét mã QR bằng máy ảnh'),
    video,
    h('form', { class: 'row', onSubmit: (e) => { e.preventDefault(); if (typed.value.trim()) send({ qr: typed.value.trim() }); } },
      typed, h('button', { class: 'btn', type: 'submit' }, 'Vào')));
}
