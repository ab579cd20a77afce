// #/c/<cid>/hall — the big screen of the hall: present / summoned against the quorum line, live, readable from
// ten metres (numbers a quarter of the screen high, high contrast, no menus).

import { NOBODY_SUMMONED, fetchAttendance, quorumNotComputable } from '../components/attendance.js';
import { h, mount } from '../lib/dom.js';
import { formatNumber } from '../lib/format.js';
import { affectsRoster } from '../lib/live.js';
import { debounce } from '../lib/util.js';

export async function render(main, { congress, cid, live, setTitle }) {
  setTitle('Màn hình hội trường');
  const present = h('span', { class: 'hall-present', testid: 'hall-present' }, '–');
  const summoned = h('span', { class: 'hall-summoned', testid: 'hall-summoned' }, '–');
  const required = h('strong', { testid: 'hall-required' }, '–');
  const need = h('p', { class: 'hall-need', testid: 'hall-need' }, 'Tối thiểu ', required, ' đại biểu chính thức');
  const status = h('p', { class: 'hall-status', testid: 'hall-status', role: 'status', 'aria-live': 'polite' }, 'Đang tải…');
  const session = h('p', { class: 'hall-session', testid: 'hall-session' });
  const fill = h('div', { class: 'hall-fill' });
  const line = h('div', { class: 'hall-line' }, h('span', { testid: 'hall-rule' }, '2/3'));
  const clock = h('time', { class: 'hall-clock', testid: 'hall-clock' });
  const back = h('a', { class: 'hall-back', href: `#/c/${encodeURIComponent(cid)}`, testid: 'hall-back' }, '← Về trang điều hành');
  const full = h('button', { type: 'button', class: 'hall-back', testid: 'hall-fullscreen', onClick: () => document.documentElement.requestFullscreen?.() }, 'Toàn màn hình');
  const root = h(
    'section',
    { class: 'hall', testid: 'hall', 'aria-label': 'Số đại biểu có mặt' },
    h('div', { class: 'hall-top' }, h('h1', { class: 'hall-title' }, congress.name), clock),
    session,
    h('div', { class: 'hall-numbers' }, h('div', { class: 'hall-block' }, present, h('span', { class: 'hall-label' }, 'có mặt')), h('div', { class: 'hall-of' }, '/'), h('div', { class: 'hall-block' }, summoned, h('span', { class: 'hall-label' }, 'được triệu tập'))),
    h('div', { class: 'hall-bar', role: 'progressbar', 'aria-label': 'Tỷ lệ đại biểu chính thức có mặt', 'aria-valuemin': 0 }, fill, line),
    need,
    status,
    h('p', { class: 'hall-tools' }, back, full),
  );
  mount(main, root);

  async function refresh() {
    let a;
    try {
      a = await fetchAttendance(cid);
    } catch (err) {
      status.textContent = err.detail || 'Mất kết nối, đang thử lại…';
      status.dataset.met = 'unknown';
      return;
    }
    present.textContent = formatNumber(a.present);
    summoned.textContent = formatNumber(a.summoned);
    required.textContent = `${formatNumber(a.quorum_required)} (${a.quorum_rule})`;
    if (a.summoned) mount(need, 'Tối thiểu ', required, ' đại biểu chính thức');
    else mount(need, quorumNotComputable(a.quorum_rule));
    line.firstChild.textContent = a.quorum_rule;
    session.textContent = a.closed ? `${a.session_name || ''} · Đại hội đã bế mạc` : a.session_name || '';
    const missing = Math.max(0, a.quorum_required - a.present);
    status.textContent = !a.summoned ? NOBODY_SUMMONED.toUpperCase() : a.quorum_met ? 'ĐỦ ĐIỀU KIỆN TIẾN HÀNH ĐẠI HỘI' : `CHƯA ĐỦ ${a.quorum_rule} · CÒN THIẾU ${formatNumber(missing)} ĐẠI BIỂU`;
    status.dataset.met = a.summoned ? String(a.quorum_met) : 'unknown';
    root.dataset.quorumMet = String(a.quorum_met);
    const total = a.summoned || 0;
    fill.style.width = `${total ? Math.min(100, (100 * a.present) / total) : 0}%`;
    line.style.left = `${total ? Math.min(100, (100 * a.quorum_required) / total) : 66.67}%`;
    root.querySelector('.hall-bar').setAttribute('aria-valuenow', String(a.present));
    root.querySelector('.hall-bar').setAttribute('aria-valuemax', String(total));
  }
  const tick = () => (clock.textContent = new Date().toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit', hour12: false }));
  tick();
  const timer = setInterval(tick, 10_000);
  const refreshSoon = debounce(refresh, 250);
  const unsubscribe = live?.on(({ type }) => affectsRoster(type) && refreshSoon());
  await refresh();
  return () => {
    clearInterval(timer);
    refreshSoon.cancel();
    unsubscribe?.();
    document.body.classList.remove('bare');
  };
}
