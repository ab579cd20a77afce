// The top bar: brand, congress name, page navigation, live indicator, user and "Đăng xuất".

import { h, mount } from '../lib/dom.js';
import { congressNameParts } from '../lib/format.js';
import { canCheckIn, canManage } from '../lib/session.js';

const LIVE_TEXT = { live: 'Trực tiếp', connecting: 'Đang kết nối…', offline: 'Mất kết nối' };

/**
 * renderHeader(el, {user, congress, page, live, onLogout}) → cleanup
 * page: 'congresses' | 'dashboard' | 'delegates' | 'desk' | 'seating' | 'users' | 'login'
 */
export function renderHeader(el, { user, congress, page, live, onLogout }) {
  const brand = h(
    'a',
    { class: 'brand', href: user ? '#/congresses' : '#/login', testid: 'brand' },
    h('img', { src: '/static/favicon.svg', alt: '', width: 32, height: 32 }),
    h('span', { class: 'brand-text' }, h('strong', {}, 'Đại hội Công đoàn'), h('small', {}, 'Hệ thống điều hành đại hội')),
  );
  if (!user) {
    mount(el, h('div', { class: 'bar' }, brand));
    return () => {};
  }
  const liveEl = live ? liveIndicator() : null;
  const unsubscribe = live ? live.onStatus((s) => setLive(liveEl, s)) : () => {};
  const userBox = h(
    'div',
    { class: 'user-box' },
    h('span', { class: 'user-name', testid: 'user-name', title: user.display_name }, user.display_name || user.username || ''),
    h('button', { type: 'button', class: 'btn btn-ghost btn-on-dark', testid: 'logout', onClick: onLogout }, 'Đăng xuất'),
  );
  mount(
    el,
    h('div', { class: 'bar' }, brand, congress ? congressTitle(congress) : null, liveEl, userBox),
    congress ? congressNav(congress.id, page, user) : null,
  );
  return unsubscribe;
}

function congressTitle(congress) {
  return h(
    'a',
    { class: 'congress-title', href: `#/c/${encodeURIComponent(congress.id)}`, testid: 'header-congress-name', title: congress.name },
    congressNameParts(congress.name),
  );
}

function congressNav(cid, page, user) {
  const base = `#/c/${encodeURIComponent(cid)}`;
  const links = [
    ['dashboard', base, 'Tổng quan', true],
    ['delegates', `${base}/delegates`, 'Đại biểu', canManage(user)],
    ['desk', `${base}/desk`, 'Bàn điểm danh', canCheckIn(user)],
    ['faces', `${base}/faces`, 'Khuôn mặt', canManage(user)],
    ['seating', `${base}/seating`, 'Sơ đồ chỗ ngồi', canManage(user)],
    ['print', `${base}/print`, 'In ấn', canManage(user)],
    ['credentials', `${base}/credentials`, 'Thẩm tra tư cách', canManage(user)],
    ['agenda', `${base}/agenda`, 'Chương trình', canManage(user)],
    ['documents', `${base}/documents`, 'Tài liệu', canManage(user)],
    ['announcements', `${base}/announcements`, 'Thông báo', canManage(user)],
    ['users', `${base}/users`, 'Tài khoản', canManage(user)],
    ['settings', `${base}/settings`, 'Cài đặt', canManage(user)],
    ['congresses', '#/congresses', 'Các đại hội', true],
  ];
  const allowed = links.filter(([, , , ok]) => ok);
  const nav = h(
    'nav',
    { class: 'tabs', id: 'congress-nav', 'aria-label': 'Điều hướng đại hội' },
    allowed.map(([key, href, label]) =>
      h('a', { href, class: key === page ? 'tab active' : 'tab', 'aria-current': key === page ? 'page' : null, testid: `nav-${key}` }, label),
    ),
  );
  // On a phone the pages fold behind one button that names the current page; wider screens wrap them in rows.
  const current = allowed.find(([key]) => key === page)?.[2] || 'Các trang';
  const toggle = h('button', { type: 'button', class: 'nav-toggle', testid: 'nav-toggle', 'aria-expanded': 'false', 'aria-controls': 'congress-nav' }, h('span', { 'aria-hidden': 'true' }, '☰'), h('span', {}, current), h('span', { class: 'nav-toggle-hint' }, 'Trang khác'));
  toggle.addEventListener('click', () => {
    const open = nav.classList.toggle('open');
    toggle.setAttribute('aria-expanded', String(open));
  });
  return h('div', { class: 'nav-wrap' }, toggle, nav);
}

function liveIndicator() {
  return h('span', { class: 'live', testid: 'live-indicator', role: 'status', 'aria-live': 'polite' }, h('span', { class: 'live-dot', 'aria-hidden': 'true' }), h('span', { class: 'live-text' }));
}

function setLive(el, status) {
  el.dataset.status = status;
  el.querySelector('.live-text').textContent = LIVE_TEXT[status] || status;
}
