// #/c/<cid>/print — "In ấn": invitations (giấy triệu tập) and badges in batch, for everyone or one delegation;
// which badges are printed. A selection of delegates is printed from the "Đại biểu" page.

import { loopbackWarning } from '../components/loopback-warning.js';
import { fileButton } from '../components/print-button.js';
import { h, mount } from '../lib/dom.js';
import { formatNumber } from '../lib/format.js';
import { affectsRoster } from '../lib/live.js';
import { fetchDelegations, printPath } from '../lib/roster.js';
import { debounce } from '../lib/util.js';

export async function render(main, { cid, live, setTitle }) {
  setTitle('In giấy triệu tập và thẻ');
  const scope = h('select', { id: 'print-scope', testid: 'print-scope' });
  const table = h('div', { testid: 'print-delegations' }, h('p', { class: 'loading' }, 'Đang tải…'));
  const body = () => (scope.value ? { delegation_id: scope.value } : {});
  const slug = () => (scope.value ? `-${scope.selectedOptions[0]?.dataset.slug || 'doan'}` : '');

  mount(
    main,
    h('div', { class: 'page-head' }, h('h1', {}, 'In giấy triệu tập và thẻ đại biểu')),
    h(
      'section',
      { class: 'card stack' },
      h('div', { class: 'field' }, h('label', { for: 'print-scope' }, 'In cho'), scope),
      h(
        'div',
        { class: 'actions' },
        fileButton({ label: 'In giấy triệu tập (PDF)', testid: 'print-invitations', path: printPath(cid, 'invitations'), body: () => ({ ...body(), base_url: location.origin }), filename: `giay-trieu-tap${slug()}.pdf`, cls: 'btn btn-primary' }),
        fileButton({ label: 'In thẻ đại biểu (PDF)', testid: 'print-badges', path: printPath(cid, 'badges'), body, filename: `the-dai-bieu${slug()}.pdf`, done: () => load() }),
      ),
      // the invitation prints the app's address as this console sees it
      loopbackWarning('print-loopback-warning', { subject: 'Địa chỉ ứng dụng in trên giấy triệu tập sẽ là', device: 'điện thoại của đại biểu', then: 'in lại' }),
      h('p', { class: 'hint' }, 'Giấy triệu tập: mỗi đại biểu một trang A4, có mã đại biểu, mã PIN đăng nhập ứng dụng và mã QR điểm danh. Thẻ: 8 thẻ một trang A4, có đường cắt; ảnh in trên thẻ khi đại biểu đã đăng ký khuôn mặt. Muốn in một vài người: chọn họ ở trang “Đại biểu”. Đại biểu đã rút tên không được in khi in cả đoàn.'),
    ),
    h('section', { class: 'card' }, h('h2', {}, 'Tình hình in thẻ theo đoàn'), table),
  );

  async function load() {
    let delegations;
    try {
      delegations = await fetchDelegations(cid);
    } catch (err) {
      mount(table, h('p', { class: 'form-error' }, err.detail || 'Không tải được danh sách đoàn.'));
      return;
    }
    const chosen = scope.value;
    const total = delegations.reduce((n, d) => n + d.delegates, 0);
    const printed = delegations.reduce((n, d) => n + d.badges_printed, 0);
    mount(scope, h('option', { value: '' }, `Tất cả đại biểu (${formatNumber(total)})`), delegations.filter((d) => d.delegates).map((d) => h('option', { value: d.id, dataset: { slug: slugify(d.name) } }, `${d.name} (${d.delegates})`)));
    scope.value = chosen;
    mount(
      table,
      h('p', { testid: 'badges-printed-total' }, `Đã in thẻ: ${formatNumber(printed)}/${formatNumber(total)} đại biểu.`),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table compact report-table' },
          h('thead', {}, h('tr', {}, ['Đoàn đại biểu', 'Đại biểu', 'Đã in thẻ'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, delegations.filter((d) => d.delegates).map((d) => h('tr', { testid: 'print-delegation-row', dataset: { delegationId: d.id } }, h('td', {}, d.name), h('td', { class: 'num-cell' }, String(d.delegates)), h('td', { class: 'num-cell' }, `${d.badges_printed}/${d.delegates}`)))),
        ),
      ),
    );
  }

  const loadSoon = debounce(load, 500);
  const unsubscribe = live?.on(({ type }) => affectsRoster(type) && loadSoon());
  await load();
  return () => {
    loadSoon.cancel();
    unsubscribe?.();
  };
}

function slugify(name) {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
