// #/c/<cid>/credentials — "Thẩm tra tư cách": the credentials report live, absentees by delegation with reasons,
// the printable report (PDF), the attendance export (Excel) and the hall's big screen.

import { quorumNotComputable, quorumOk } from '../components/attendance.js';
import { fileButton } from '../components/print-button.js';
import { api } from '../lib/api.js';
import { promptDialog } from '../lib/dialogs.js';
import { h, mount, options } from '../lib/dom.js';
import { formatNumber, formatTime } from '../lib/format.js';
import { affectsRoster } from '../lib/live.js';
import { toastSuccess } from '../lib/toast.js';
import { debounce } from '../lib/util.js';

const pct = (n) => `${Number(n).toLocaleString('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;

export async function render(main, { cid, live, setTitle }) {
  setTitle('Thẩm tra tư cách đại biểu');
  const base = `/api/congresses/${encodeURIComponent(cid)}`;
  const state = { sessionId: '', sessions: [] };
  const picker = h('select', { id: 'report-session', testid: 'report-session' });
  const stamp = h('p', { class: 'muted', testid: 'report-time', role: 'status' }, 'Đang tải…');
  const body = h('div', { testid: 'report-body' });
  const query = () => (state.sessionId ? { session_id: state.sessionId } : undefined);
  const actions = h('div', { class: 'toolbar-actions' }, buttons());

  function buttons() {
    return [
      fileButton({ label: 'In báo cáo (PDF)', testid: 'report-pdf', path: `${base}/credentials-report.pdf`, query: query(), filename: 'bao-cao-tham-tra-tu-cach.pdf', cls: 'btn btn-primary' }),
      fileButton({ label: 'Xuất điểm danh (Excel)', testid: 'attendance-xlsx', path: `${base}/attendance/export.xlsx`, filename: 'diem-danh.xlsx' }),
      h('a', { class: 'btn btn-ghost', href: `#/c/${encodeURIComponent(cid)}/hall`, testid: 'open-hall' }, 'Màn hình hội trường'),
    ];
  }

  mount(
    main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Báo cáo thẩm tra tư cách đại biểu'), stamp),
    h(
      'div',
      { class: 'toolbar card' },
      h('div', { class: 'field' }, h('label', { for: 'report-session' }, 'Phiên họp'), picker),
      actions,
    ),
    body,
  );

  async function loadSessions() {
    try {
      state.sessions = await api(`${base}/sessions`, { silent: true });
      const current = state.sessions.find((s) => s.current);
      mount(picker, options(state.sessions.map((s) => [s.current ? '' : s.id, s.current ? `${s.name} (đang diễn ra)` : s.name]), state.sessionId));
      if (!state.sessionId && current) picker.value = '';
    } catch {
      /* the report itself shows the error */
    }
  }

  async function load() {
    try {
      const report = await api(`${base}/credentials-report`, { query: query(), silent: true });
      stamp.textContent = `${report.attendance.session_name || ''} · Số liệu lúc ${formatTime(report.taken_at)}, cập nhật trực tiếp`;
      mount(body, summary(report), h('div', { class: 'grid-2' }, composition(report), units('Theo đoàn đại biểu', 'Đoàn', report.by_delegation, 'by-delegation')), absentees(report.absentees, note), units('Theo đơn vị công tác', 'Đơn vị', report.by_sending_unit, 'by-unit'));
    } catch (err) {
      mount(body, h('p', { class: 'card form-error' }, err.detail || 'Không tải được báo cáo.'));
    }
  }

  async function note(absentee) {
    const reason = await promptDialog({
      title: 'Lý do vắng mặt',
      message: `${absentee.full_name} (${absentee.delegation})`,
      label: 'Lý do',
      placeholder: 'Ví dụ: ốm; đi công tác',
      confirmLabel: 'Lưu lý do',
      minLength: 2,
    });
    if (reason == null) return;
    try {
      await api(`${base}/delegates/${encodeURIComponent(absentee.delegate_id)}/absence`, { method: 'PUT', json: { reason, session_id: state.sessionId || null } });
      toastSuccess(`Đã ghi lý do vắng của ${absentee.full_name}`);
      load();
    } catch {
      /* api() showed the message */
    }
  }

  picker.addEventListener('change', () => {
    state.sessionId = picker.value;
    mount(actions, buttons());
    load();
  });

  const loadSoon = debounce(load, 800);
  const unsubscribe = live?.on(({ type }) => affectsRoster(type) && loadSoon());
  await Promise.all([loadSessions(), load()]);
  return () => {
    loadSoon.cancel();
    unsubscribe?.();
  };
}

function summary(report) {
  const a = report.attendance;
  const stat = (testid, label, value, cls = '') => h('div', { class: `stat ${cls}` }, h('span', { class: 'num', testid }, formatNumber(value)), h('span', { class: 'label' }, label));
  const others = report.others.map((k) => `${k.label}: ${k.present}/${k.total} có mặt`).join(' · ');
  return h(
    'section',
    { class: 'card attendance', 'aria-label': 'Tình hình đại biểu', dataset: { quorumMet: String(a.quorum_met) } },
    h(
      'div',
      { class: 'stats stats-4' },
      stat('report-summoned', 'Triệu tập', a.summoned),
      stat('report-present', 'Có mặt', a.present, 'stat-present'),
      stat('report-absent', 'Vắng', a.absent, 'stat-absent'),
      stat('report-required', `Tối thiểu (${a.quorum_rule})`, a.summoned ? a.quorum_required : null), // "–" until someone is summoned
    ),
    h('p', { class: 'quorum-status', testid: 'report-verdict', dataset: { met: a.summoned ? String(a.quorum_met) : 'unknown' } }, verdict(a)),
    h('p', { class: 'muted' }, `Vắng có lý do: ${report.absent_with_reason}. ${others} (không tính vào tỷ lệ).`),
  );
}

function verdict(a) {
  if (!a.summoned) return quorumNotComputable(a.quorum_rule);
  return a.quorum_met ? quorumOk(a.quorum_rule) : `Chưa đủ ${a.quorum_rule} số đại biểu chính thức được triệu tập`;
}

function composition(report) {
  const rows = report.composition.flatMap((section) => [
    h('tr', { class: 'section-row' }, h('th', { scope: 'rowgroup', colspan: 3 }, section.title)),
    ...section.rows.map((r) => h('tr', { class: r.indent ? 'indent' : '' }, h('td', {}, r.label), h('td', { class: 'num-cell' }, formatNumber(r.count)), h('td', { class: 'num-cell' }, report.attendance.present ? pct(r.percent) : '–'))),
  ]);
  return h(
    'section',
    { class: 'card', testid: 'composition' },
    h('h2', {}, `Cơ cấu ${report.attendance.present} đại biểu chính thức có mặt`),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table compact report-table' }, h('thead', {}, h('tr', {}, ['Nội dung', 'Số người', 'Tỷ lệ'].map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, rows))),
  );
}

function units(title, column, lines, testid) {
  return h(
    'section',
    { class: 'card', testid },
    h('h2', {}, title),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table compact report-table' },
        h('thead', {}, h('tr', {}, [column, 'Triệu tập', 'Có mặt', 'Vắng', 'Tỷ lệ'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, lines.map((u) => h('tr', { testid: `${testid}-row` }, h('td', {}, u.name), ...[u.summoned, u.present, u.absent].map((n) => h('td', { class: 'num-cell' }, formatNumber(n))), h('td', { class: 'num-cell' }, pct(u.percent))))),
      ),
    ),
  );
}

function absentees(list, onNote) {
  const groups = new Map();
  for (const a of list) groups.set(a.delegation, [...(groups.get(a.delegation) || []), a]);
  return h(
    'section',
    { class: 'card', testid: 'absentees' },
    h('h2', {}, `Đại biểu chính thức vắng mặt (${list.length})`),
    list.length
      ? [...groups].map(([delegation, people]) =>
          h(
            'div',
            { class: 'absent-group' },
            h('h3', {}, `${delegation} (${people.length})`),
            h(
              'ul',
              { class: 'absent-list' },
              people.map((a) =>
                h(
                  'li',
                  { testid: 'absentee', dataset: { code: a.code } },
                  h('span', { class: 'code' }, a.code),
                  h('strong', {}, a.full_name),
                  h('span', { class: a.withdrawn ? 'status status-withdrawn' : 'muted', testid: 'absentee-reason' }, a.reason),
                  a.withdrawn ? null : h('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: 'absentee-note', onClick: () => onNote(a) }, 'Ghi lý do'),
                ),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'Không có đại biểu chính thức nào vắng mặt.'),
  );
}
