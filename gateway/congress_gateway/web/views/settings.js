// #/c/<cid>/settings — "Cài đặt đại hội": details, the quorum rule, the report's age bands, sessions, closing.

import { api } from '../lib/api.js';
import { confirmDialog, promptDialog } from '../lib/dialogs.js';
import { field, formValues, h, mount, options } from '../lib/dom.js';
import { LEVELS, formatDateTime } from '../lib/format.js';
import { toastError, toastSuccess } from '../lib/toast.js';
import { debounce } from '../lib/util.js';

const CLOSE_WORD = 'BẾ MẠC';

export async function render(main, { congress, cid, live, setTitle }) {
  setTitle('Cài đặt đại hội');
  const path = `/api/congresses/${encodeURIComponent(cid)}`;
  const sessionsBox = h('div', { testid: 'session-list' }, h('p', { class: 'loading' }, 'Đang tải…'));
  const closeBox = h('div', { testid: 'close-box' });
  let current = congress;

  mount(
    main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Cài đặt đại hội')),
    h(
      'div',
      { class: 'grid-2' },
      h('div', {}, detailsForm(), rulesForm()),
      h('div', {}, h('section', { class: 'card' }, h('h2', {}, 'Các phiên họp'), h('p', { class: 'muted' }, 'Mỗi phiên có danh sách điểm danh riêng. Điểm danh (bàn, mã QR, khuôn mặt) luôn vào phiên đang diễn ra.'), sessionsBox, sessionForm()), h('section', { class: 'card danger-zone' }, h('h2', {}, 'Bế mạc đại hội'), closeBox)),
    ),
  );

  function detailsForm() {
    const form = h(
      'form',
      { class: 'card stack', testid: 'settings-form', novalidate: true },
      h('h2', {}, 'Thông tin đại hội'),
      field('Tên đại hội', h('input', { name: 'name', required: true, maxlength: 300, value: current.name, testid: 'settings-name' })),
      field('Cấp đại hội', h('select', { name: 'level', testid: 'settings-level' }, options(LEVELS, current.level))),
      field('Địa điểm', h('input', { name: 'venue', maxlength: 300, value: current.venue || '', testid: 'settings-venue' })),
      field('Ngày khai mạc', h('input', { name: 'starts_on', type: 'date', value: current.starts_on || '', testid: 'settings-date' })),
      formError('settings-error'),
      h('button', { type: 'submit', class: 'btn btn-primary', testid: 'settings-submit' }, 'Lưu thông tin'),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const v = formValues(form);
      save(form, { name: v.name, level: v.level, venue: v.venue || null, starts_on: v.starts_on || null }, 'Đã lưu thông tin đại hội');
    });
    return form;
  }

  function rulesForm() {
    const number = (name, value, label) => h('input', { name, type: 'number', min: 1, max: 1000, required: true, value, inputmode: 'numeric', testid: `settings-${name}`, 'aria-label': label });
    const bands = (current.age_bands || [30, 50]).join(', ');
    const form = h(
      'form',
      { class: 'card stack', testid: 'rules-form', novalidate: true },
      h('h2', {}, 'Điều kiện hợp lệ và báo cáo'),
      h(
        'div',
        { class: 'field' },
        h('span', { class: 'label-like' }, 'Tỷ lệ đại biểu chính thức có mặt tối thiểu'),
        h('div', { class: 'fraction' }, number('quorum_numerator', current.quorum_numerator, 'Tử số'), h('span', { 'aria-hidden': 'true' }, '/'), number('quorum_denominator', current.quorum_denominator, 'Mẫu số')),
        h('small', { class: 'hint' }, 'Điều lệ Công đoàn Việt Nam: ít nhất 2/3 tổng số đại biểu chính thức được triệu tập. Có thể đặt cao hơn (ví dụ 3/4), không được thấp hơn.'),
      ),
      field('Mốc độ tuổi (báo cáo thẩm tra)', h('input', { name: 'age_bands', value: bands, testid: 'settings-age-bands', inputmode: 'numeric' }), 'Ví dụ “30, 50”: dưới 30, từ 30 đến 50, trên 50 tuổi.'),
      formError('rules-error'),
      h('button', { type: 'submit', class: 'btn btn-primary', testid: 'rules-submit' }, 'Lưu điều kiện'),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const v = formValues(form);
      const ages = v.age_bands.split(/[,;\s]+/).filter(Boolean).map(Number);
      if (ages.some((a) => !Number.isInteger(a))) return showError(form, 'Độ tuổi: nhập các mốc tuổi là số nguyên, cách nhau bởi dấu phẩy (ví dụ 30, 50).');
      save(form, { quorum_numerator: Number(v.quorum_numerator), quorum_denominator: Number(v.quorum_denominator), age_bands: ages }, 'Đã lưu điều kiện hợp lệ và độ tuổi');
    });
    return form;
  }

  async function save(form, body, done) {
    const submit = form.querySelector('[type="submit"]');
    submit.disabled = true;
    form.querySelector('.form-error').hidden = true;
    try {
      current = await api(path, { method: 'PATCH', json: body, silent: true });
      toastSuccess(done);
    } catch (err) {
      showError(form, err.detail);
    } finally {
      submit.disabled = false;
    }
  }

  function sessionForm() {
    const name = h('input', { name: 'name', required: true, maxlength: 200, placeholder: 'Ví dụ: Phiên chính thức, ngày thứ hai', testid: 'session-name' });
    const form = h('form', { class: 'stack spaced', testid: 'session-form', novalidate: true }, field('Thêm phiên họp', name), formError('session-error'), h('button', { type: 'submit', class: 'btn btn-ghost', testid: 'session-submit' }, '+ Thêm phiên'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await api(`${path}/sessions`, { method: 'POST', json: { name: name.value.trim() }, silent: true });
        form.reset();
        await loadSessions();
      } catch (err) {
        showError(form, err.detail);
      }
    });
    return form;
  }

  async function loadSessions() {
    try {
      const sessions = await api(`${path}/sessions`, { silent: true });
      mount(sessionsBox, h('ol', { class: 'session-list' }, sessions.map(sessionRow)));
    } catch (err) {
      mount(sessionsBox, h('p', { class: 'form-error' }, err.detail));
    }
  }

  function sessionRow(s) {
    const start = h('button', { type: 'button', class: 'btn btn-small btn-primary', testid: 'session-start', onClick: () => startSession(s), disabled: Boolean(current.closed_at) }, 'Bắt đầu phiên này');
    return h(
      'li',
      { class: s.current ? 'session current' : 'session', testid: 'session-row', dataset: { sessionId: s.id, current: String(s.current) } },
      h('div', { class: 'session-main' }, h('strong', {}, s.name), h('span', { class: 'muted' }, `${s.present} đại biểu chính thức có mặt`)),
      s.current ? h('span', { class: 'status status-present', testid: 'session-current' }, 'Đang diễn ra') : start,
    );
  }

  async function startSession(s) {
    const ok = await confirmDialog({ title: 'Bắt đầu phiên họp', message: `Chuyển sang “${s.name}”? Từ bây giờ mọi lượt điểm danh được tính cho phiên này; số liệu của các phiên trước được giữ nguyên.`, confirmLabel: 'Bắt đầu phiên' });
    if (!ok) return;
    try {
      await api(`${path}/sessions/${encodeURIComponent(s.id)}/start`, { method: 'POST' });
      toastSuccess(`Đã bắt đầu ${s.name}`);
      await loadSessions();
    } catch {
      /* api() showed the message */
    }
  }

  function drawClose() {
    if (current.closed_at) {
      mount(closeBox, h('p', { class: 'status status-withdrawn', testid: 'closed-note' }, `Đại hội đã bế mạc lúc ${formatDateTime(current.closed_at)}. Không điểm danh được nữa.`));
      return;
    }
    mount(
      closeBox,
      h('p', {}, 'Bế mạc khóa việc điểm danh vĩnh viễn (số liệu có mặt được chốt) và xóa dữ liệu khuôn mặt đã thu cho đại hội này. Không hoàn tác được.'),
      h('button', { type: 'button', class: 'btn btn-danger', testid: 'close-congress', onClick: closeCongress }, 'Bế mạc đại hội'),
    );
  }

  async function closeCongress() {
    const typed = await promptDialog({
      title: 'Bế mạc đại hội',
      message: `Gõ ${CLOSE_WORD} để xác nhận bế mạc “${current.name}”.`,
      label: 'Xác nhận',
      confirmLabel: 'Bế mạc',
      danger: true,
      minLength: 2,
    });
    if (typed == null) return;
    if (typed.toLocaleUpperCase('vi-VN') !== CLOSE_WORD) {
      toastError(`Chưa bế mạc: chữ xác nhận phải là ${CLOSE_WORD}.`);
      return;
    }
    try {
      current = await api(`${path}/close`, { method: 'POST' });
      toastSuccess('Đã bế mạc đại hội');
      drawClose();
      await loadSessions();
    } catch {
      /* api() showed the message */
    }
  }

  drawClose();
  await loadSessions();
  const reloadSoon = debounce(loadSessions, 500);
  const unsubscribe = live?.on(({ type }) => (type === 'resync' || type.startsWith('congress.') || type.startsWith('delegate.')) && reloadSoon());
  return () => {
    reloadSoon.cancel();
    unsubscribe?.();
  };
}

function formError(testid) {
  return h('p', { class: 'form-error', role: 'alert', hidden: true, testid });
}

function showError(form, message) {
  const box = form.querySelector('.form-error');
  box.textContent = message;
  box.hidden = false;
}
