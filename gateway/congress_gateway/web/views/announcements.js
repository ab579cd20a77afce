// #/c/<cid>/announcements — "Thông báo": post an announcement with its priority; the list, newest first, follows the
// live stream (an announcement posted by another organiser appears without reloading).

import { api } from '../lib/api.js';
import { field, h, mount, options, showFormErrors } from '../lib/dom.js';
import { formatDateTime } from '../lib/format.js';
import { PRIORITIES, announcementsPath, priorityLabel } from '../lib/programme.js';
import { toastSuccess } from '../lib/toast.js';
import { debounce } from '../lib/util.js';

const LIMIT = 200;

export async function render(main, { cid, live, setTitle }) {
  setTitle('Thông báo');
  const path = announcementsPath(cid);
  const listBox = h('section', { class: 'card', testid: 'announcement-list' }, h('p', { class: 'loading' }, 'Đang tải…'));
  mount(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Thông báo tới đại biểu'),
      h('p', { class: 'muted' }, 'Thông báo hiện ngay trên ứng dụng của mọi đại biểu đang mở; người mất kết nối nhận lại khi có mạng.')),
    h('div', { class: 'grid-2' }, listBox, postForm()));

  function postForm() {
    const text = h('textarea', { name: 'text', rows: 4, maxlength: 1000, required: true, placeholder: 'Ví dụ: Đại biểu về hội trường lúc 13h30 để bắt đầu phiên chiều', testid: 'announcement-text' });
    const priority = h('select', { name: 'priority', testid: 'announcement-priority' }, options(PRIORITIES, 'normal'));
    const error = h('div', { class: 'form-error', role: 'alert', hidden: true, testid: 'announcement-error' });
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'announcement-submit' }, 'Gửi thông báo');
    const form = h('form', { class: 'card stack', testid: 'announcement-form', novalidate: true }, h('h2', {}, 'Gửi thông báo'),
      field('Nội dung', text, 'Tối đa 1.000 ký tự.'), field('Mức độ', priority, '“Khẩn” hiện nổi bật, màu đỏ trên điện thoại đại biểu.'), error, h('div', { class: 'actions' }, submit));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      submit.disabled = true;
      error.hidden = true;
      try {
        await api(path, { method: 'POST', json: { text: text.value.trim(), priority: priority.value }, silent: true });
        toastSuccess('Đã gửi thông báo');
        form.reset();
        load();
      } catch (err) {
        showFormErrors(error, form, err.detail, err.errors);
      } finally {
        submit.disabled = false;
      }
    });
    return form;
  }

  async function load() {
    let items;
    try {
      items = await api(path, { query: { limit: LIMIT }, silent: true });
    } catch (err) {
      mount(listBox, h('p', { class: 'form-error' }, err.detail || 'Không tải được thông báo.'));
      return;
    }
    mount(listBox, h('h2', {}, `Đã gửi (${items.length})`),
      items.length ? h('ol', { class: 'announcements' }, items.map((a) => h('li', { class: `announcement priority-${a.priority}`, testid: 'announcement-item', dataset: { priority: a.priority } },
        h('div', { class: 'announcement-head' }, h('span', { class: `tag priority-tag-${a.priority}` }, priorityLabel(a.priority)), h('time', { class: 'muted', datetime: a.posted_at }, formatDateTime(a.posted_at))),
        h('p', { testid: 'announcement-item-text' }, a.text))))
        : h('p', { class: 'muted empty', testid: 'no-announcements' }, 'Chưa có thông báo nào.'));
  }

  const loadSoon = debounce(load, 200);
  const unsubscribe = live?.on(({ type }) => (type === 'resync' || type === 'announcement.posted') && loadSoon());
  await load();
  return () => {
    loadSoon.cancel();
    unsubscribe?.();
  };
}
