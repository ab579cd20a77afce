// "Vừa điểm danh": the latest check-ins, newest first, optionally with an undo button each.

import { api } from '../lib/api.js';
import { h, mount } from '../lib/dom.js';
import { formatTime, methodLabel } from '../lib/format.js';

export function fetchRecentCheckins(cid, limit = 20) {
  return api(`/api/congresses/${encodeURIComponent(cid)}/checkins`, { query: { limit }, silent: true });
}

/** feed = checkinFeed({onUndo}); feed.update(items). onUndo(item) is offered for check-ins not revoked. */
export function checkinFeed({ onUndo, undoTestid = 'recent-undo-button' } = {}) {
  const list = h('ol', { class: 'feed', testid: 'checkin-feed', 'aria-live': 'polite' });
  const empty = h('p', { class: 'muted' }, 'Chưa có đại biểu nào điểm danh.');
  const root = h('div', { class: 'feed-wrap' }, empty, list);

  function update(items) {
    const rows = Array.isArray(items) ? items : items?.items || [];
    empty.hidden = rows.length > 0;
    mount(list, rows.map((item) => row(item, onUndo, undoTestid)));
  }
  return { root, update };
}

function row(item, onUndo, undoTestid) {
  const revoked = Boolean(item.revoked_at);
  return h(
    'li',
    { class: revoked ? 'feed-item revoked' : 'feed-item', testid: 'checkin-feed-item', dataset: { checkinId: item.id, delegateId: item.delegate_id } },
    h('time', { datetime: item.checked_in_at, class: 'feed-time' }, formatTime(item.checked_in_at)),
    h(
      'div',
      { class: 'feed-main' },
      h('strong', { class: 'feed-name' }, item.full_name),
      h('span', { class: 'feed-meta' }, [item.delegation_name, methodLabel(item.method)].filter(Boolean).join(' · ')),
      revoked ? h('span', { class: 'feed-revoked' }, `Đã hoàn tác${item.revoke_reason ? `: ${item.revoke_reason}` : ''}`) : null,
    ),
    onUndo && !revoked
      ? h('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: undoTestid, onClick: () => onUndo(item) }, 'Hoàn tác')
      : null,
  );
}
