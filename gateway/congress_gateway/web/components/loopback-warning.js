// A warning when the console is opened from the server machine itself (127.0.0.1, localhost): the address it
// hands out (printed on invitations, in a kiosk's pairing link) is then one that no phone or tablet can open.

import { h } from '../lib/dom.js';

export const onLoopback = (hostname = location.hostname) => /^(127\.|localhost$|\[::1\]$)/.test(hostname);

/** "<subject> <origin>: <device> không mở được địa chỉ này. Hãy mở … rồi <then>." — or null off loopback. */
export function loopbackWarning(testid, { subject, device, then }) {
  if (!onLoopback()) return null;
  return h('p', { class: 'notice notice-warning', role: 'note', testid },
    `${subject} ${location.origin}: ${device} không mở được địa chỉ này. `
    + `Hãy mở trang quản trị bằng địa chỉ mạng của máy chủ (ví dụ http://192.168.1.10:8000) rồi ${then}.`);
}
