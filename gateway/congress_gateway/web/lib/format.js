// Vietnamese labels for API codes, and date/time formatting.

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

/** ISO timestamp → 'HH:MM DD/MM/YYYY' local time. */
export function formatDateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const time = d.toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit', hour12: false });
  return `${time} ${d.toLocaleDateString('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric' })}`;
}

export const formatNumber = (n) => (typeof n === 'number' ? n.toLocaleString('vi-VN') : '–');
