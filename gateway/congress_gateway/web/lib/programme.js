// The documents service's vocabulary (categories, audiences, release, priorities) and its paths, for the console.

import { api } from './api.js';

export const CATEGORIES = [
  ['report', 'Báo cáo'],
  ['resolution', 'Nghị quyết'],
  ['election', 'Bầu cử'],
  ['personnel', 'Nhân sự'],
  ['programme', 'Chương trình, kịch bản'],
  ['speech', 'Tham luận'],
  ['other', 'Tài liệu khác'],
];

export const AUDIENCES = [
  ['all', 'Tất cả đại biểu'],
  ['official', 'Chỉ đại biểu chính thức'],
  ['presidium', 'Đoàn Chủ tịch'],
  ['delegations', 'Các đoàn đại biểu được chọn'],
];

export const RELEASES = [
  ['now', 'Ngay khi tải lên'],
  ['at', 'Vào lúc…'],
  ['agenda_item', 'Khi mở mục chương trình'],
];

export const PRIORITIES = [
  ['normal', 'Bình thường'],
  ['important', 'Quan trọng'],
  ['urgent', 'Khẩn'],
];

export const priorityLabel = (code) => Object.fromEntries(PRIORITIES)[code] || code;

const base = (cid) => `/api/congresses/${encodeURIComponent(cid)}`;
export const documentsPath = (cid) => `${base(cid)}/documents`;
export const agendaPath = (cid) => `${base(cid)}/agenda`;
export const announcementsPath = (cid) => `${base(cid)}/announcements`;

/** {sessions: [{id, title, starts_at, items: [...]}], current_item} */
export const fetchAgenda = (cid) => api(agendaPath(cid), { silent: true });

/** Every item of the agenda, with its session's title: [{id, title, session_title, current, …}]. */
export function agendaItems(agenda) {
  return (agenda?.sessions || []).flatMap((s) => s.items.map((item) => ({ ...item, session_id: s.id, session_title: s.title })));
}

/** ISO time → the value of an <input type="datetime-local"> in the browser's time zone ('' for none). */
export function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** An <input type="datetime-local"> value → ISO time with its zone (UTC), or null when empty. */
export function fromLocalInput(value) {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
