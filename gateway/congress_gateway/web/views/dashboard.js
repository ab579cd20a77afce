// #/c/<cid> — live attendance against the 2/3 quorum, and the latest check-ins.

import { attendancePanel, fetchAttendance } from '../components/attendance.js';
import { undoCheckin } from '../components/checkin-actions.js';
import { checkinFeed, fetchRecentCheckins } from '../components/checkin-feed.js';
import { h, mount } from '../lib/dom.js';
import { congressNameParts, formatDate, levelLabel } from '../lib/format.js';
import { affectsRoster } from '../lib/live.js';
import { canCheckIn, canManage } from '../lib/session.js';
import { debounce } from '../lib/util.js';

export async function render(main, { congress, cid, live, user, setTitle }) {
  setTitle('Tổng quan');
  const panel = attendancePanel();
  const feed = checkinFeed({
    onUndo: canManage(user) ? async (item) => (await undoCheckin(cid, { checkinId: item.id, fullName: item.full_name })) && refresh() : null,
  });
  const base = `#/c/${encodeURIComponent(cid)}`;

  mount(
    main,
    h(
      'div',
      { class: 'page-head' },
      h('h1', { testid: 'dashboard-title' }, congressNameParts(congress.name)),
      h(
        'p',
        { class: 'meta' },
        h('span', { class: 'tag' }, levelLabel(congress.level)),
        congress.venue ? h('span', {}, congress.venue) : null,
        congress.starts_on ? h('span', {}, `Khai mạc ${formatDate(congress.starts_on)}`) : null,
      ),
    ),
    h(
      'div',
      { class: 'dashboard' },
      h('div', { class: 'card' }, h('h2', {}, 'Điểm danh đại biểu'), panel.root),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'feed-title' },
        h('h2', { id: 'feed-title' }, 'Vừa điểm danh'),
        feed.root,
      ),
    ),
    h(
      'p',
      { class: 'actions' },
      canCheckIn(user) ? h('a', { class: 'btn btn-primary btn-large', href: `${base}/desk`, testid: 'go-desk' }, 'Mở bàn điểm danh') : null,
      canManage(user) ? h('a', { class: 'btn btn-ghost btn-large', href: `${base}/delegates`, testid: 'go-delegates' }, 'Danh sách đại biểu') : null,
      canManage(user) ? h('a', { class: 'btn btn-ghost btn-large', href: `${base}/hall`, testid: 'go-hall' }, 'Màn hình hội trường') : null,
    ),
  );

  async function refresh() {
    const [attendance, recent] = await Promise.allSettled([fetchAttendance(cid), fetchRecentCheckins(cid, 20)]);
    if (attendance.status === 'fulfilled') panel.update(attendance.value);
    else panel.fail(attendance.reason?.detail);
    if (recent.status === 'fulfilled') feed.update(recent.value);
  }
  const refreshSoon = debounce(refresh, 200);
  const unsubscribe = live?.on(({ type }) => affectsRoster(type) && refreshSoon());
  await refresh();
  return () => {
    refreshSoon.cancel();
    unsubscribe?.();
  };
}
