// Vietnamese labels for API codes, and date/time formatting.

import { h } from './dom.js';

export const LEVELS = [
  ['grassroots', 'Công đoàn cơ sở'],
  ['district', 'Công đoàn cấp trên trực tiếp cơ sở'],
  ['province', 'Công đoàn tỉnh, ngành TW'],
  ['national', 'Toàn quốc'],
];

export const KINDS = [
  ['official', 'Chính thức'],
  ['alternate', 'Dự khuyết'],
  ['guest', 'Khách mời'],
];

export const ROLES = [
  ['presidium', 'Đoàn Chủ tịch'],
  ['secretariat', 'Đoàn Thư ký'],
  ['credentials', 'Ban Thẩm tra tư cách đại biểu'],
  ['election_board', 'Ban bầu cử'],
];

export const GENDERS = [
  ['male', 'Nam'],
  ['female', 'Nữ'],
];

const METHODS = { desk: 'Tại bàn', qr: 'Mã QR', face: 'Nhận diện khuôn mặt' };
const USER_ROLES = { admin: 'Quản trị', organiser: 'Ban Tổ chức', kiosk: 'Thiết bị điểm danh', delegate: 'Đại biểu' };

const lookup = (pairs) => Object.fromEntries(pairs);
const LEVEL_LABELS = lookup(LEVELS);
const KIND_LABELS = lookup(KINDS);
const ROLE_LABELS = lookup(ROLES);
const GENDER_LABELS = { ...lookup(GENDERS), nam: 'Nam', 'nữ': 'Nữ', nu: 'Nữ', m: 'Nam', f: 'Nữ' };

export const levelLabel = (code) => LEVEL_LABELS[code] || code || '';
export const kindLabel = (code) => KIND_LABELS[code] || code || '';
export const roleLabel = (code) => ROLE_LABELS[code] || code;
export const rolesLabel = (roles) => (roles || []).map(roleLabel).join(', ');
export const methodLabel = (code) => METHODS[code] || code || '';
export const userRoleLabel = (code) => USER_ROLES[code] || code || '';
export const genderLabel = (value) => (value ? GENDER_LABELS[String(value).toLowerCase()] || value : '');

/** The API's gender value mapped to our select codes ('male'/'female'), whatever spelling it used. */
export function genderCode(value) {
  const label = genderLabel(value);
  return label === 'Nam' ? 'male' : label === 'Nữ' ? 'female' : '';
}

/** 'YYYY-MM-DD' → 'DD/MM/YYYY' (no time-zone shift). */
export function formatDate(iso) {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** ISO timestamp → 'HH:MM:SS' local time. */
export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

const pad2 = (n) => String(n).padStart(2, '0');

/** ISO timestamp → 'HH:MM DD/MM/YYYY' local time, or 'HH:MM DD/MM' with {year: false}: the Vietnamese order,
 * with slashes (Intl's 'vi-VN' without a year writes '03-12'). Every date and time on screen comes from here. */
export function formatDateTime(iso, { year = true } = {}) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const day = `${pad2(d.getDate())}/${pad2(d.getMonth() + 1)}${year ? `/${d.getFullYear()}` : ''}`;
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())} ${day}`;
}

const TERM = /(nhiệm\s+kỳ\s+\d{4}\s*[–—-]\s*\d{4})/iu;

/** A congress name in pieces for h(): its term of office ("nhiệm kỳ 2023–2028") in a span that never wraps
 * (the PDFs do the same, congress_common.text.keep_term_together); the text itself is unchanged. */
export function congressNameParts(name) {
  return String(name || '').split(TERM).filter(Boolean).map((part) => (TERM.test(part) ? h('span', { class: 'nowrap' }, part) : part));
}

/** A seat row as people read it: "Hàng 7", never "Hàng 07" (the stored row and the seat label keep the padding). */
export const rowLabel = (row) => (/^\d+$/.test(String(row ?? '').trim()) ? String(Number(row)) : String(row ?? ''));

export const formatNumber = (n) => (typeof n === 'number' ? n.toLocaleString('vi-VN') : '–');
