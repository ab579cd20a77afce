// #/c/<cid>/faces — "Khuôn mặt (FaceID)": settings, figures, look-alikes, per-delegate consent and photos,
// ZIP import, and the purge of every face of the congress.

import { consentDialog, photosDialog } from '../components/face-dialogs.js';
import { faceImportCard, faceSettingsCard } from '../components/face-panels.js';
import { faceTable } from '../components/face-table.js';
import { api } from '../lib/api.js';
import { confirmDialog, promptDialog } from '../lib/dialogs.js';
import { h, mount, options } from '../lib/dom.js';
import { FACE_STATUSES, delegateFacePath, facesPath, fetchFaceDelegates } from '../lib/faces.js';
import { formatNumber } from '../lib/format.js';
import { toastError, toastSuccess } from '../lib/toast.js';
import { StaleError, debounce, fold, latestOnly } from '../lib/util.js';

const PURGE_WORD = 'XÓA';
// what changes this screen (check-ins do not: the list is not reloaded for every arrival)
const RELOAD_ON = new Set(['resync', 'delegate.face_enrolled', 'delegate.face_removed', 'delegate.registered', 'delegate.updated', 'delegate.removed', 'congress.closed']);

export async function render(main, { cid, live, setTitle }) {
  setTitle('Khuôn mặt (FaceID)');
  const state = { q: '', status: '' };
  const latest = latestOnly();
  const figures = h('div', { class: 'attendance' }, h('p', { class: 'loading' }, 'Đang tải…'));
  const lookalikes = h('div', { testid: 'face-lookalikes' });
  const settingsBox = h('div', {});
  const count = h('p', { class: 'muted count', testid: 'face-count', role: 'status', 'aria-live': 'polite' }, 'Đang tải…');
  const search = h('input', { type: 'search', id: 'face-search', testid: 'face-search', placeholder: 'Tìm theo tên, mã, đoàn… (gõ không dấu cũng được)', autocomplete: 'off', enterkeyhint: 'search' });
  const status = h('select', { id: 'face-status', testid: 'face-status' }, options(FACE_STATUSES, ''));
  const table = faceTable({ onConsent: consent, onPhotos: photos, onWithdraw: withdraw, onUnenrol: unenrol });
  const reloadSoon = debounce(() => (loadOverview(), loadRows()), 300);

  mount(
    main,
    h(
      'div',
      { class: 'page-head page-head-actions' },
      h('h1', {}, 'Khuôn mặt (FaceID)'),
      h('a', { class: 'btn btn-primary', href: `#/c/${encodeURIComponent(cid)}/faces/station`, testid: 'open-station' }, 'Mở trạm đăng ký khuôn mặt'),
    ),
    h('div', { class: 'grid-2' }, h('div', {}, h('section', { class: 'card', testid: 'face-overview' }, h('h2', {}, 'Tình hình đăng ký'), figures, lookalikes)), settingsBox),
    h(
      'section',
      { class: 'card list-card', 'aria-label': 'Đại biểu và khuôn mặt' },
      h('h2', {}, 'Đại biểu'),
      h('div', { class: 'toolbar' }, h('div', { class: 'field grow' }, h('label', { for: 'face-search' }, 'Tìm đại biểu'), search), h('div', { class: 'field' }, h('label', { for: 'face-status' }, 'Tình trạng'), status)),
      count,
      table.root,
    ),
    h('div', { class: 'grid-2' }, faceImportCard({ cid, onImported: reloadSoon }), purgeCard()),
  );

  async function loadOverview() {
    try {
      const overview = await api(facesPath(cid), { silent: true });
      mount(figures, h('div', { class: 'stats' }, stat('Đã đồng ý', overview.consented, 'face-consented'), stat('Đã đăng ký', overview.enrolled, 'face-enrolled'), stat('Ảnh mẫu', overview.templates, 'face-templates')));
      mount(lookalikes, lookalikeList(overview.lookalikes));
      if (!settingsBox.firstChild) mount(settingsBox, faceSettingsCard({ cid, settings: overview.settings }));
    } catch (err) {
      mount(figures, h('p', { class: 'form-error' }, err.detail));
    }
  }

  async function loadRows() {
    try {
      const res = await latest(fetchFaceDelegates(cid, state, { silent: true }));
      table.update(res.items);
      count.textContent = state.q || state.status ? `Tìm thấy ${res.total} đại biểu.` : `Tổng số ${res.total} đại biểu.`;
    } catch (err) {
      if (!(err instanceof StaleError)) count.textContent = err.detail || 'Không tải được danh sách.';
    }
  }

  async function consent(row) {
    if (await consentDialog(cid, row)) reloadSoon();
  }

  function photos(row) {
    photosDialog(cid, row, reloadSoon);
  }

  async function withdraw(row) {
    const ok = await confirmDialog({ title: 'Rút sự đồng ý', message: `${row.full_name} rút đồng ý dùng khuôn mặt: mọi mẫu khuôn mặt (và ảnh, nếu có lưu) của đại biểu bị xóa ngay. Đại biểu điểm danh bằng thẻ hoặc tại bàn.`, confirmLabel: 'Rút đồng ý', danger: true });
    if (ok) await change(() => api(`${delegateFacePath(cid, row.id)}/consent`, { method: 'DELETE' }), `Đã rút đồng ý và xóa dữ liệu khuôn mặt của ${row.full_name}`);
  }

  async function unenrol(row) {
    const ok = await confirmDialog({ title: 'Xóa ảnh đăng ký', message: `Xóa ${row.photos} mẫu khuôn mặt của ${row.full_name}? Sự đồng ý được giữ lại, có thể đăng ký ảnh mới.`, confirmLabel: 'Xóa ảnh', danger: true });
    if (ok) await change(() => api(delegateFacePath(cid, row.id), { method: 'DELETE' }), `Đã xóa ảnh đăng ký của ${row.full_name}`);
  }

  async function change(call, done) {
    try {
      await call();
      toastSuccess(done);
      reloadSoon();
    } catch {
      /* api() showed the message */
    }
  }

  function purgeCard() {
    const button = h('button', { type: 'button', class: 'btn btn-danger', testid: 'face-purge', onClick: purge }, 'Xóa toàn bộ dữ liệu khuôn mặt');
    return h('section', { class: 'card danger-zone', testid: 'face-danger' }, h('h2', {}, 'Xóa dữ liệu khuôn mặt'), h('p', {}, 'Xóa mọi mẫu khuôn mặt và ảnh đăng ký của đại hội này (dữ liệu sinh trắc học). Sự đồng ý vẫn được ghi lại; kiosk không nhận diện được ai nữa cho đến khi đăng ký lại. Không hoàn tác được. Bế mạc đại hội cũng tự xóa dữ liệu này.'), button);
  }

  async function purge() {
    const typed = await promptDialog({ title: 'Xóa toàn bộ dữ liệu khuôn mặt', message: `Gõ ${PURGE_WORD} để xác nhận xóa mọi mẫu khuôn mặt và ảnh của đại hội này.`, label: 'Xác nhận', confirmLabel: 'Xóa tất cả', danger: true });
    if (typed == null) return;
    if (fold(typed).toUpperCase() !== fold(PURGE_WORD).toUpperCase()) {
      toastError(`Chưa xóa: chữ xác nhận phải là ${PURGE_WORD}.`);
      return;
    }
    try {
      const res = await api(`${facesPath(cid)}/purge`, { method: 'POST' });
      toastSuccess(`Đã xóa ${res.templates} mẫu khuôn mặt của ${res.delegates} đại biểu`);
      reloadSoon();
    } catch {
      /* api() showed the message */
    }
  }

  const searchSoon = debounce(() => ((state.q = search.value.trim()), loadRows()), 300);
  search.addEventListener('input', searchSoon);
  status.addEventListener('change', () => ((state.status = status.value), loadRows()));
  const unsubscribe = live?.on(({ type }) => RELOAD_ON.has(type) && reloadSoon());
  await Promise.all([loadOverview(), loadRows()]);
  return () => {
    reloadSoon.cancel();
    searchSoon.cancel();
    unsubscribe?.();
  };
}

function stat(label, value, testid) {
  return h('div', { class: 'stat' }, h('span', { class: 'num', testid }, formatNumber(value)), h('span', { class: 'label' }, label));
}

function lookalikeList(pairs) {
  if (!pairs.length) return h('p', { class: 'muted', testid: 'face-lookalikes-none' }, 'Chưa có cặp đại biểu nào có khuôn mặt quá giống nhau.');
  const person = (p) => h('span', {}, h('strong', {}, p.full_name), ` (${p.code}, ${p.delegation_name})`);
  return [
    h('h3', {}, `Khuôn mặt quá giống nhau (${pairs.length} cặp)`),
    h('p', { class: 'muted' }, 'Máy không bao giờ điểm danh những người này chỉ bằng khuôn mặt: họ đưa thẻ có mã QR cùng khuôn mặt vào camera.'),
    h('ul', { class: 'lookalike-list' }, pairs.map((pair) => h('li', { testid: 'face-lookalike' }, person(pair.first), ' — ', person(pair.second)))),
  ];
}
