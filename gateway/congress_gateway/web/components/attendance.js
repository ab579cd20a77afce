// The attendance panel: present / summoned / absent, the 2/3 line, quorum status, present by kind.
// Used big on the dashboard and compact on the check-in desk.

import { api } from '../lib/api.js';
import { h, mount } from '../lib/dom.js';

export const quorumOk = (rule = '2/3') => `Đủ điều kiện tiến hành Đại hội (≥ ${rule})`;
export const quorumNotOk = (rule = '2/3') => `Chưa đủ ${rule}`;
export const NOBODY_SUMMONED = 'Chưa có đại biểu';
/** Said instead of "at least 0" while the congress has no official delegate to count 2/3 of. */
export const quorumNotComputable = (rule = '2/3') => `Chưa có đại biểu chính thức nào trong danh sách, chưa tính được số tối thiểu (${rule}).`;

export function fetchAttendance(cid) {
  return api(`/api/congresses/${encodeURIComponent(cid)}/attendance`, { silent: true });
}

/** Build the empty panel; call panel.update(attendance) to fill it. */
export function attendancePanel({ compact = false } = {}) {
  const num = (testid) => h('span', { class: 'num', testid }, '–');
  const present = num('present');
  const summoned = num('summoned');
  const absent = num('absent');
  const required = h('strong', { testid: 'quorum-required' }, '–');
  const status = h('p', { class: 'quorum-status', testid: 'quorum-status', role: 'status', 'aria-live': 'polite' }, 'Đang tải…');
  const fill = h('div', { class: 'progress-fill' });
  const ruleMark = h('span', {}, '2/3');
  const ruleText = h('span', { testid: 'quorum-rule' }, '2/3');
  const line = h('div', { class: 'progress-line', title: 'Mốc tối thiểu' }, ruleMark);
  const bar = h('div', { class: 'progress', role: 'progressbar', 'aria-label': 'Tỷ lệ đại biểu chính thức có mặt', 'aria-valuemin': 0 }, fill, line);
  const kinds = {
    official: h('strong', { testid: 'present-official' }, '–'),
    alternate: h('strong', { testid: 'present-alternate' }, '–'),
    guest: h('strong', { testid: 'present-guest' }, '–'),
  };

  const need = h('p', { class: 'quorum-need', testid: 'quorum-need' });
  const sessionName = h('p', { class: 'session-name', testid: 'session-name', hidden: true });
  const root = h(
    'section',
    { class: `attendance ${compact ? 'compact' : ''}`, testid: 'attendance', 'aria-label': 'Tình hình đại biểu có mặt' },
    sessionName,
    h(
      'div',
      { class: 'stats' },
      h('div', { class: 'stat stat-present' }, present, h('span', { class: 'label' }, 'Có mặt')),
      h('div', { class: 'stat' }, summoned, h('span', { class: 'label' }, 'Triệu tập')),
      h('div', { class: 'stat stat-absent' }, absent, h('span', { class: 'label' }, 'Vắng')),
    ),
    bar,
    need,
    status,
    h(
      'p',
      { class: 'by-kind' },
      'Có mặt theo loại: Chính thức ', kinds.official, ' · Dự khuyết ', kinds.alternate, ' · Khách mời ', kinds.guest,
    ),
  );

  function update(a) {
    if (!a) return;
    sessionName.textContent = a.session_name ? `Phiên: ${a.session_name}` : '';
    sessionName.hidden = !a.session_name;
    present.textContent = String(a.present ?? 0);
    summoned.textContent = String(a.summoned ?? 0);
    absent.textContent = String(a.absent ?? Math.max(0, (a.summoned ?? 0) - (a.present ?? 0)));
    required.textContent = String(a.quorum_required ?? 0);
    const met = Boolean(a.quorum_met);
    const rule = a.quorum_rule || '2/3';
    ruleMark.textContent = rule;
    ruleText.textContent = rule;
    const verdict = !a.summoned ? NOBODY_SUMMONED : met ? quorumOk(rule) : quorumNotOk(rule);
    if (a.summoned) mount(need, 'Cần tối thiểu ', required, ' đại biểu chính thức có mặt để đủ ', ruleText, '.');
    else mount(need, quorumNotComputable(rule));
    status.textContent = a.closed ? `Đại hội đã bế mạc · ${verdict}` : verdict;
    status.dataset.met = a.summoned ? String(met) : 'unknown'; // nobody to count yet: neither met nor missed
    root.dataset.quorumMet = String(met);
    const total = a.summoned || 0;
    const pct = total ? Math.min(100, (100 * (a.present || 0)) / total) : 0;
    const linePct = total ? Math.min(100, (100 * (a.quorum_required || 0)) / total) : 66.67;
    fill.style.width = `${pct}%`;
    line.style.left = `${linePct}%`;
    bar.setAttribute('aria-valuemax', String(total));
    bar.setAttribute('aria-valuenow', String(a.present ?? 0));
    bar.setAttribute('aria-valuetext', `${a.present ?? 0}/${total} (${Math.round(pct)}%)`);
    const byKind = a.present_by_kind || {};
    for (const [kind, el] of Object.entries(kinds)) el.textContent = String(byKind[kind] ?? 0);
  }

  function fail(message) {
    mount(status, message || 'Không tải được số liệu điểm danh');
    status.dataset.met = 'unknown';
  }

  return { root, update, fail };
}
