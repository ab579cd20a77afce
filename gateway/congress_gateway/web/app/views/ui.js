// Small pieces the delegate app's views share.
import { formatDateTime } from '/static/lib/format.js';
import { saveSession } from '/static/lib/session.js';

const CONGRESS_KEY = 'congress.app.congress';
const DEVICE_KEY = 'congress.app.device';

/** The congress of this app: `?c=` from the invitation link, remembered on the phone. */
export function congressId() {
  const fromUrl = new URLSearchParams(location.search).get('c');
  if (fromUrl) localStorage.setItem(CONGRESS_KEY, fromUrl);
  return fromUrl || localStorage.getItem(CONGRESS_KEY) || '';
}

/** A random id kept on this phone: failed logins are limited per device as well as per account. */
export function deviceId() {
  let id = localStorage.getItem(DEVICE_KEY);
  if (!id) {
    id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
    localStorage.setItem(DEVICE_KEY, id);
  }
  return id;
}

export function signedIn(token) {
  saveSession(token.access_token, token);
  location.hash = '#/';
}

export const when = (iso) => formatDateTime(iso, { year: false });

export const PRIORITY_LABELS = { normal: 'Thông báo', important: 'Quan trọng', urgent: 'Khẩn' };
export const STATE_LABELS = { new: 'Mới', updated: 'Cập nhật', read: '' };

export function pagePath(cid, doc, page, width) {
  return `/api/congresses/${encodeURIComponent(cid)}/documents/${encodeURIComponent(doc.id)}/pages/${page}?width=${width}&v=${doc.version}`;
}
