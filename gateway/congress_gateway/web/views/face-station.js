// #/c/<cid>/faces/station — the enrolment station: find a delegate, record their consent, take 1–3 photos
// with the laptop's or tablet's camera, send them, see each one's result, go on to the next delegate.

import { h, mount, options } from '../lib/dom.js';
import { CONSENT_METHODS, consentStatus, fetchFaceDelegates, lookalikeWarning, photoResults, recordConsent, resultSummary, uploadPhotos } from '../lib/faces.js';
import { toastSuccess } from '../lib/toast.js';
import { StaleError, debounce, latestOnly } from '../lib/util.js';

const MAX_SHOTS = 3;
const RESULTS = 8;

export async function render(main, { cid, setTitle }) {
  setTitle('Trạm đăng ký khuôn mặt');
  const latest = latestOnly();
  const state = { picked: null, shots: [], stream: null, left: false };
  const search = h('input', { type: 'search', id: 'station-search', testid: 'station-search', placeholder: 'Họ tên, mã hoặc đoàn (không dấu cũng được)', autocomplete: 'off', enterkeyhint: 'search' });
  const info = h('p', { class: 'muted', role: 'status', testid: 'station-search-info' }, 'Nhập tên để tìm đại biểu.');
  const list = h('ul', { class: 'result-list', testid: 'station-results' });
  const pickedBox = h('div', { testid: 'station-picked' });
  const video = h('video', { class: 'station-video', autoplay: true, muted: true, playsinline: true, 'aria-label': 'Hình ảnh từ camera', testid: 'station-video' });
  const cameraNote = h('p', { class: 'muted', role: 'status', testid: 'station-camera-status' }, 'Đang mở camera…');
  const cameras = h('select', { testid: 'station-camera', 'aria-label': 'Chọn camera', hidden: true });
  const capture = h('button', { type: 'button', class: 'btn btn-ghost btn-large', testid: 'station-capture', disabled: true, onClick: shoot }, 'Chụp ảnh');
  const shotsBox = h('div', { class: 'station-shots', testid: 'station-shots' });
  const send = h('button', { type: 'button', class: 'btn btn-primary btn-large', testid: 'station-send', disabled: true, onClick: submit }, 'Gửi ảnh đăng ký');
  const resultBox = h('div', { testid: 'station-result', 'aria-live': 'polite' });
  const next = h('button', { type: 'button', class: 'btn btn-ghost', testid: 'station-next', hidden: true, onClick: reset }, 'Đại biểu tiếp theo →');

  mount(
    main,
    h('div', { class: 'page-head page-head-actions' }, h('h1', {}, 'Trạm đăng ký khuôn mặt'), h('a', { class: 'btn btn-ghost', href: `#/c/${encodeURIComponent(cid)}/faces` }, '← Khuôn mặt (FaceID)')),
    h(
      'div',
      { class: 'station' },
      h('section', { class: 'card', 'aria-labelledby': 'station-step-1' }, h('h2', { id: 'station-step-1' }, '1. Chọn đại biểu'), h('div', { class: 'field' }, h('label', { for: 'station-search' }, 'Tìm đại biểu'), search), info, list, pickedBox),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'station-step-2' },
        h('h2', { id: 'station-step-2' }, '2. Chụp ảnh khuôn mặt'),
        h('p', { class: 'muted' }, `Đại biểu nhìn thẳng vào camera, không đeo kính râm hay khẩu trang, mặt đủ sáng. Chụp 1–${MAX_SHOTS} ảnh, mỗi ảnh hơi khác góc một chút.`),
        h('div', { class: 'station-camera' }, video),
        cameraNote,
        h('div', { class: 'actions' }, capture, cameras),
        shotsBox,
        h('div', { class: 'actions spaced' }, send, next),
        resultBox,
      ),
    ),
  );

  async function find() {
    const q = search.value.trim();
    if (!q) {
      latest(Promise.resolve()).catch(() => {});
      list.replaceChildren();
      info.textContent = 'Nhập tên để tìm đại biểu.';
      return;
    }
    try {
      const res = await latest(fetchFaceDelegates(cid, { q }, { silent: true }));
      mount(list, res.items.slice(0, RESULTS).map(resultRow));
      info.textContent = !res.total ? `Không tìm thấy đại biểu nào với “${q}”.` : res.total > RESULTS ? `Hiện ${RESULTS}/${res.total} kết quả, gõ thêm để thu hẹp.` : `${res.total} kết quả.`;
    } catch (err) {
      if (!(err instanceof StaleError)) info.textContent = err.detail || 'Không tìm được.';
    }
  }
  const findSoon = debounce(find, 250);
  search.addEventListener('input', findSoon);
  search.addEventListener('keydown', (e) => e.key === 'Enter' && (e.preventDefault(), findSoon.cancel(), find()));

  function resultRow(d) {
    const pick = h('button', { type: 'button', class: 'btn btn-primary', testid: 'station-pick', onClick: () => choose(d) }, 'Chọn');
    return h(
      'li',
      { class: 'result', testid: 'station-result-row', dataset: { delegateId: d.id } },
      h('div', { class: 'result-main' }, h('strong', { class: 'result-name' }, d.full_name), h('span', { class: 'result-meta' }, [d.code, d.delegation_name, d.photos ? `${d.photos} ảnh đã đăng ký` : 'chưa có ảnh'].join(' · '))),
      h('div', { class: 'result-action' }, pick),
    );
  }

  function choose(d) {
    state.picked = d;
    list.replaceChildren();
    info.textContent = '';
    mount(resultBox);
    next.hidden = true;
    drawPicked();
    updateButtons();
  }

  function drawPicked() {
    const d = state.picked;
    if (!d) return mount(pickedBox);
    const consent = d.consent
      ? null
      : h(
          'div',
          { class: 'station-consent stack', testid: 'station-consent-box' },
          h('label', { class: 'check' }, h('input', { type: 'checkbox', testid: 'station-consent', onChange: updateButtons }), ` ${d.full_name} đã đồng ý cho dùng khuôn mặt để điểm danh tại đại hội này (hỏi trực tiếp đại biểu; không đánh dấu thay).`),
          h('div', { class: 'field' }, h('label', { for: 'station-consent-method' }, 'Hình thức đồng ý'), h('select', { id: 'station-consent-method', testid: 'station-consent-method' }, options(CONSENT_METHODS, 'on_screen'))),
        );
    mount(
      pickedBox,
      h(
        'div',
        { class: 'station-person', testid: 'station-person', dataset: { delegateId: d.id } },
        h('p', { class: 'flash-name', testid: 'station-name' }, d.full_name),
        h('p', { class: 'muted' }, [d.code, d.delegation_name].join(' · ')),
        h('p', {}, consentStatus(d), ' ', h('span', { class: 'muted' }, d.photos ? `${d.photos} ảnh đã đăng ký` : 'Chưa có ảnh đăng ký')),
        consent,
      ),
    );
  }

  const consentTicked = () => state.picked?.consent || pickedBox.querySelector('[data-testid="station-consent"]')?.checked;

  function updateButtons() {
    capture.disabled = !state.stream || !video.videoWidth || state.shots.length >= MAX_SHOTS;
    send.disabled = !state.picked || !state.shots.length || !consentTicked();
    send.textContent = state.shots.length ? `Gửi ${state.shots.length} ảnh đăng ký` : 'Gửi ảnh đăng ký';
  }

  async function shoot() {
    if (!video.videoWidth) return;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d').drawImage(video, 0, 0);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.92));
    if (!blob) return;
    const file = new File([blob], `tram-${state.shots.length + 1}.jpg`, { type: 'image/jpeg' });
    state.shots.push({ file, url: URL.createObjectURL(blob) });
    drawShots();
    updateButtons();
  }

  function drawShots() {
    mount(
      shotsBox,
      state.shots.map((shot, i) =>
        h(
          'figure',
          { class: 'station-shot', testid: 'station-shot' },
          h('img', { src: shot.url, alt: `Ảnh ${i + 1}` }),
          h('button', { type: 'button', class: 'icon-btn', 'aria-label': `Bỏ ảnh ${i + 1}`, onClick: () => dropShot(i) }, '×'),
        ),
      ),
    );
  }

  function dropShot(i) {
    URL.revokeObjectURL(state.shots[i].url);
    state.shots.splice(i, 1);
    drawShots();
    updateButtons();
  }

  async function submit() {
    const d = state.picked;
    send.disabled = true;
    mount(resultBox, h('p', { class: 'muted', role: 'status' }, `Đang kiểm tra ${state.shots.length} ảnh…`));
    try {
      if (!d.consent) {
        await recordConsent(cid, d.id, pickedBox.querySelector('[data-testid="station-consent-method"]').value, 'Trạm đăng ký khuôn mặt');
        d.consent = true;
      }
      const answer = await uploadPhotos(cid, d.id, state.shots.map((s) => s.file), 'station');
      d.photos += answer.accepted;
      mount(
        resultBox,
        h('p', { class: answer.accepted ? 'notice notice-success' : 'notice notice-error', testid: 'station-summary', dataset: { accepted: String(answer.accepted) } }, answer.accepted ? `Đã đăng ký khuôn mặt cho ${d.full_name}. ${resultSummary(answer)}` : `Chưa đăng ký được. ${resultSummary(answer)} Hãy chụp lại.`),
        lookalikeWarning(answer),
        photoResults(answer),
      );
      if (answer.accepted) toastSuccess(`Đã đăng ký khuôn mặt cho ${d.full_name}`);
      clearShots();
      drawPicked();
      next.hidden = !answer.accepted;
    } catch (err) {
      mount(resultBox, h('p', { class: 'form-error', role: 'alert', testid: 'station-error' }, err.detail));
    } finally {
      updateButtons();
    }
  }

  function clearShots() {
    for (const shot of state.shots) URL.revokeObjectURL(shot.url);
    state.shots = [];
    drawShots();
  }

  function reset() {
    state.picked = null;
    clearShots();
    mount(pickedBox);
    mount(resultBox);
    next.hidden = true;
    search.value = '';
    info.textContent = 'Nhập tên để tìm đại biểu.';
    updateButtons();
    search.focus();
  }

  async function startCamera(deviceId) {
    stopCamera();
    if (!navigator.mediaDevices?.getUserMedia) {
      cameraNote.textContent = 'Trình duyệt không mở được camera: hãy dùng Chrome, Edge hoặc Safari mới, qua địa chỉ https.';
      return;
    }
    try {
      const video_ = deviceId ? { deviceId: { exact: deviceId } } : { facingMode: 'user' };
      const stream = await navigator.mediaDevices.getUserMedia({ video: { ...video_, width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false });
      if (state.left) return stream.getTracks().forEach((track) => track.stop()); // the page was closed meanwhile
      state.stream = stream;
      video.srcObject = stream;
      cameraNote.textContent = 'Camera sẵn sàng.';
      await listCameras(deviceId);
    } catch (err) {
      state.stream = null;
      cameraNote.textContent = err?.name === 'NotAllowedError' ? 'Chưa được phép dùng camera: hãy cho phép camera trong thanh địa chỉ của trình duyệt rồi tải lại trang.' : 'Không mở được camera. Kiểm tra camera đã cắm và không bị ứng dụng khác dùng.';
    }
    updateButtons();
  }

  async function listCameras(current) {
    const devices = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
    cameras.hidden = devices.length < 2;
    const active = current || state.stream?.getVideoTracks()[0]?.getSettings().deviceId;
    mount(cameras, options(devices.map((d, i) => [d.deviceId, d.label || `Camera ${i + 1}`]), active));
  }
  cameras.addEventListener('change', () => startCamera(cameras.value));
  video.addEventListener('loadeddata', updateButtons);

  function stopCamera() {
    for (const track of state.stream?.getTracks() || []) track.stop();
    state.stream = null;
  }

  startCamera();
  if (matchMedia('(pointer: fine)').matches) search.focus();
  return () => {
    state.left = true;
    findSoon.cancel();
    stopCamera();
    clearShots();
  };
}
