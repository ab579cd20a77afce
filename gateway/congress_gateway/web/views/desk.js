// #/c/<cid>/desk — "Bàn điểm danh": QR scanner input, manual search, flash message, live attendance.

import { attendancePanel, fetchAttendance } from '../components/attendance.js';
import { checkIn, undoCheckin } from '../components/checkin-actions.js';
import { checkinFeed, fetchRecentCheckins } from '../components/checkin-feed.js';
import { checkinFlash } from '../components/checkin-flash.js';
import { deskSearch, resultRow } from '../components/desk-search.js';
import { h, mount } from '../lib/dom.js';
import { affectsRoster } from '../lib/live.js';
import { fetchDelegates } from '../lib/roster.js';
import { canManage } from '../lib/session.js';
import { debounce } from '../lib/util.js';

const REPEAT_SCAN_MS = 1500;

export async function render(main, { cid, live, user, setTitle }) {
  setTitle('Bàn điểm danh');
  const mayUndo = canManage(user);
  const panel = attendancePanel({ compact: true });
  const flash = checkinFlash();
  const undo = async (checkinId, fullName) => (await undoCheckin(cid, { checkinId, fullName })) && refreshAll();
  const undoDelegate = mayUndo ? (d) => undo(d.checkin_id, d.full_name) : null;
  const search = deskSearch({ cid, onCheckIn: manualCheckIn, onUndo: undoDelegate });
  const recent = checkinFeed({ onUndo: mayUndo ? (item) => undo(item.id, item.full_name) : null });

  const qr = h('input', {
    id: 'qr-input',
    testid: 'qr-input',
    autocomplete: 'off',
    autocapitalize: 'none',
    spellcheck: 'false',
    enterkeyhint: 'done',
    placeholder: 'Quét mã QR trên thẻ đại biểu…',
  });
  const qrForm = h(
    'form',
    { class: 'qr-form', testid: 'qr-form' },
    h('label', { for: 'qr-input' }, 'Mã QR trên thẻ'),
    h('div', { class: 'inline' }, qr, h('button', { type: 'submit', class: 'btn btn-primary btn-large', testid: 'qr-submit' }, 'Điểm danh')),
    h('small', { class: 'hint' }, 'Đặt con trỏ vào ô này rồi quét thẻ bằng máy quét; máy quét tự gõ mã và nhấn Enter.'),
  );

  mount(
    main,
    h('h1', { class: 'visually-hidden' }, 'Bàn điểm danh'),
    h('div', { class: 'card desk-top' }, panel.root),
    h(
      'div',
      { class: 'desk' },
      h('section', { class: 'card desk-scan', 'aria-label': 'Điểm danh bằng mã QR' }, qrForm, flash.root),
      search.root,
      h('section', { class: 'card desk-recent', 'aria-labelledby': 'recent-title' }, h('h2', { id: 'recent-title' }, 'Vừa điểm danh'), recent.root),
    ),
  );

  let lastScan = { token: '', at: 0 };
  qrForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const token = qr.value.trim();
    qr.value = '';
    qr.focus();
    if (!token) return;
    const now = Date.now();
    if (token === lastScan.token && now - lastScan.at < REPEAT_SCAN_MS) return; // scanner double read
    lastScan = { token, at: now };
    await submitCheckIn({ qr: token }, () => offerByCode(token));
  });

  /** Not a badge but a delegate code typed in the QR box: show that delegate to confirm, as a search result does. */
  async function offerByCode(text) {
    let found;
    try {
      const res = await fetchDelegates(cid, { q: text, limit: 10 }, { silent: true });
      found = res.items.find((d) => d.code.toLowerCase() === text.toLowerCase());
    } catch {
      return false;
    }
    if (!found) return false;
    flash.showCandidate(`“${text}” là mã đại biểu, không phải mã QR trên thẻ. Kiểm tra đúng người rồi bấm Điểm danh.`, resultRow(found, manualCheckIn, undoDelegate));
    return true;
  }

  async function manualCheckIn(d, button) {
    button.disabled = true;
    button.textContent = 'Đang điểm danh…';
    const ok = await submitCheckIn({ delegate_id: d.id });
    if (!ok) {
      button.disabled = false;
      button.textContent = 'Điểm danh';
    }
  }

  /** fallback(): tried when the server refuses the request (422); true when it showed something instead. */
  async function submitCheckIn(body, fallback) {
    try {
      const result = await checkIn(cid, body);
      flash.showResult(result, mayUndo && !result.already_checked_in ? undoFromFlash : null);
      refreshAll();
      return true;
    } catch (err) {
      if (!(err.status === 422 && fallback && (await fallback()))) flash.showError(err.detail);
      return false;
    }
  }

  async function undoFromFlash(result) {
    if (!(await undoCheckin(cid, { checkinId: result.id, fullName: result.full_name }))) return;
    flash.showInfo(`Đã hoàn tác điểm danh của ${result.full_name}.`);
    refreshAll();
    qr.focus();
  }

  async function refreshCounts() {
    const [attendance, feed] = await Promise.allSettled([fetchAttendance(cid), fetchRecentCheckins(cid, 10)]);
    if (attendance.status === 'fulfilled') panel.update(attendance.value);
    else panel.fail(attendance.reason?.detail);
    if (feed.status === 'fulfilled') recent.update(feed.value);
  }
  const refreshAll = debounce(() => Promise.all([refreshCounts(), search.refresh()]), 200);
  const unsubscribe = live?.on(({ type }) => affectsRoster(type) && refreshAll());

  // A USB scanner types wherever the focus is: send stray keystrokes to the QR box.
  const onKey = (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.key.length !== 1) return;
    const active = document.activeElement;
    if (active && (active.matches('input, textarea, select, [contenteditable]') || active.closest('dialog'))) return;
    if (document.querySelector('dialog[open]')) return;
    qr.focus();
  };
  document.addEventListener('keydown', onKey);

  await refreshCounts();
  qr.focus();
  return () => {
    document.removeEventListener('keydown', onKey);
    refreshAll.cancel();
    search.cancel();
    unsubscribe?.();
  };
}
