// Sign in with the code and PIN from the invitation, or by scanning the badge's QR code.
import { api } from '/static/lib/api.js';
import { field, h, mount } from '/static/lib/dom.js';
import { congressId, deviceId, signedIn } from './ui.js';

export async function render(main) {
  document.getElementById('bar-actions').replaceChildren();
  const error = h('p', { class: 'error', role: 'alert', testid: 'login-error', hidden: true });
  const congress = h('input', { name: 'congress', value: congressId(), required: true, autocomplete: 'off', testid: 'login-congress' });
  const code = h('input', { name: 'code', required: true, autocapitalize: 'characters', autocomplete: 'username', testid: 'login-code' });
  const pin = h('input', { name: 'pin', required: true, inputmode: 'numeric', autocomplete: 'current-password', type: 'password', testid: 'login-pin' });
  const known = Boolean(congress.value);
  if (known) congress.type = 'hidden';
  const submit = h('button', { class: 'btn btn-primary', type: 'submit', testid: 'login-submit' }, 'Đăng nhập');

  async function send(body) {
    error.hidden = true;
    submit.disabled = true;
    try {
      const token = await api('/api/auth/delegate', { method: 'POST', silent: true,
        json: { congress_id: congress.value.trim(), device_id: deviceId(), ...body } });
      localStorage.setItem('congress.app.congress', congress.value.trim());
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
  known ? congress : field('Mã đại hội (trên giấy mời)', congress),
  field('Mã đại biểu', code), field('Mã PIN', pin), error, submit);
  mount(main, form, scanner(send));
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
