// FaceID requests and labels shared by the face screen and the enrolment station.

import { api } from './api.js';
import { h } from './dom.js';
import { formatDateTime } from './format.js';

export const facesPath = (cid) => `/api/congresses/${encodeURIComponent(cid)}/faces`;
export const delegateFacePath = (cid, did) => `/api/congresses/${encodeURIComponent(cid)}/delegates/${encodeURIComponent(did)}/face`;

export const CONSENT_METHODS = [
  ['paper_form', 'Phiếu đồng ý có chữ ký'],
  ['on_screen', 'Xác nhận trực tiếp tại trạm đăng ký'],
  ['electronic', 'Qua ứng dụng hoặc thư điện tử'],
];
const METHOD_LABELS = Object.fromEntries(CONSENT_METHODS);
export const consentMethodLabel = (code) => METHOD_LABELS[code] || code || '';

export const FACE_STATUSES = [
  ['', 'Tất cả'],
  ['no_consent', 'Chưa đồng ý'],
  ['consented', 'Đã đồng ý, chưa có ảnh'],
  ['enrolled', 'Đã đăng ký khuôn mặt'],
];

const PAGE = 1000;

/** Every delegate with consent, photo count and look-alike flag: {items, total}. */
export async function fetchFaceDelegates(cid, { q, status } = {}, opts = {}) {
  const items = [];
  let total = 0;
  for (let page = 0; page < 5; page += 1) {
    const res = await api(`${facesPath(cid)}/delegates`, { query: { q, status, limit: PAGE, offset: items.length }, ...opts });
    total = res.total;
    items.push(...res.items);
    if (!res.items.length || items.length >= total) break;
  }
  return { items, total };
}

/** Record consent: who recorded it and when are the server's; `method` says how it was given. */
export function recordConsent(cid, did, method, note) {
  return api(`${delegateFacePath(cid, did)}/consent`, { method: 'POST', json: { method, note: note || null }, silent: true });
}

/** Upload enrolment photos (Blobs or Files): resolves {accepted, refused, photos: [{name, accepted, message}]}. */
export async function uploadPhotos(cid, did, files, source = 'upload') {
  const form = new FormData();
  files.forEach((file, i) => form.append('photos', file, file.name || `anh-${i + 1}.jpg`));
  try {
    return await api(`${delegateFacePath(cid, did)}/photos`, { method: 'POST', form, query: { source }, silent: true });
  } catch (err) {
    // 422: no photo was usable; the API still says why for each one
    if (err.status === 422 && err.errors?.length && 'accepted' in err.errors[0]) {
      return { accepted: 0, refused: err.errors.length, photos: err.errors };
    }
    throw err;
  }
}

/** A consent cell: "Đã đồng ý 09:12 03/12/2026 · Phiếu đồng ý có chữ ký", "Đã rút đồng ý …" or "Chưa đồng ý". */
export function consentStatus(row) {
  if (row.consent) {
    return h(
      'span',
      { class: 'consent-cell' },
      h('span', { class: 'status status-present', testid: 'face-consent' }, 'Đã đồng ý'),
      h('small', { class: 'sub' }, [formatDateTime(row.consent_given_at), consentMethodLabel(row.consent_method)].filter(Boolean).join(' · ')),
    );
  }
  if (row.consent_withdrawn_at) {
    return h('span', { class: 'consent-cell' }, h('span', { class: 'status status-withdrawn', testid: 'face-consent' }, 'Đã rút đồng ý'), h('small', { class: 'sub' }, formatDateTime(row.consent_withdrawn_at)));
  }
  return h('span', { class: 'status status-absent', testid: 'face-consent' }, 'Chưa đồng ý');
}

/** The per-photo results of an upload or a ZIP: one line per photo, accepted or refused with its reason. */
export function photoResults(result, { withCode = false } = {}) {
  const head = ['Tệp ảnh', withCode ? 'Mã đại biểu' : null, 'Kết quả'].filter(Boolean);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'table compact photo-results', testid: 'photo-results' },
      h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        {},
        result.photos.map((p) =>
          h(
            'tr',
            { testid: 'photo-result', dataset: { accepted: String(p.accepted) } },
            h('td', { class: 'code' }, p.name),
            withCode ? h('td', { class: 'code' }, p.code || '—') : null,
            h('td', {}, p.accepted ? h('span', { class: 'status status-present' }, 'Đã nhận') : h('span', { class: 'refused', testid: 'photo-reason' }, `Không nhận: ${p.message}`)),
          ),
        ),
      ),
    ),
  );
}

/** After an upload: the enrolled delegates this face is too close to (a photo of the wrong person?), or null. */
export function lookalikeWarning(result) {
  const others = result.lookalikes || [];
  if (!others.length) return null;
  const names = others.map((p) => `${p.full_name} (${p.code}, ${p.delegation_name})`).join('; ');
  return h(
    'p',
    { class: 'notice notice-warning', role: 'alert', testid: 'photos-lookalike' },
    `Khuôn mặt này rất giống đại biểu đã đăng ký: ${names}. Hãy kiểm tra ảnh có đúng người không; `
      + 'trong khi giống nhau như vậy, các đại biểu này điểm danh bằng thẻ và khuôn mặt, không bằng khuôn mặt một mình.',
  );
}

export function resultSummary(result) {
  if (!result.refused) return `Nhận ${result.accepted} ảnh.`;
  return `Nhận ${result.accepted} ảnh, không nhận ${result.refused} ảnh.`;
}
