// Checking a delegate in, and undoing a wrong check-in (the reason is asked for and required).

import { api } from '../lib/api.js';
import { promptDialog } from '../lib/dialogs.js';
import { toastSuccess } from '../lib/toast.js';

const base = (cid) => `/api/congresses/${encodeURIComponent(cid)}/checkins`;

/** body: {delegate_id} or {qr}. Resolves with the check-in ({…, already_checked_in}); errors are left to the caller. */
export function checkIn(cid, body) {
  return api(base(cid), { method: 'POST', json: body, silent: true });
}

/** Ask for the reason, then revoke. Resolves true when undone, false when cancelled or refused. */
export async function undoCheckin(cid, { checkinId, fullName }) {
  if (!checkinId) return false;
  const reason = await promptDialog({
    title: 'Hoàn tác điểm danh',
    message: fullName ? `Hủy lượt điểm danh của đại biểu ${fullName}?` : 'Hủy lượt điểm danh này?',
    label: 'Lý do hoàn tác',
    placeholder: 'Ví dụ: quét nhầm thẻ của đại biểu khác',
    confirmLabel: 'Hoàn tác',
    danger: true,
    minLength: 3,
  });
  if (reason == null) return false;
  try {
    await api(`${base(cid)}/${encodeURIComponent(checkinId)}/revoke`, { method: 'POST', json: { reason } });
  } catch {
    return false; // api() already showed the server's message
  }
  toastSuccess(fullName ? `Đã hoàn tác điểm danh của ${fullName}` : 'Đã hoàn tác điểm danh');
  return true;
}
