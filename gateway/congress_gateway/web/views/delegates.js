// #/c/<cid>/delegates — search, filter, table, Excel import, add/edit/delete, print, QR badges.

import { openBadge } from '../components/badge.js';
import { openDelegateForm } from '../components/delegate-form.js';
import { delegateTable } from '../components/delegate-table.js';
import { importPanel } from '../components/import-panel.js';
import { fileButton } from '../components/print-button.js';
import { api, fetchFile } from '../lib/api.js';
import { confirmDialog, promptDialog } from '../lib/dialogs.js';
import { h, mount, options } from '../lib/dom.js';
import { KINDS, formatDateTime, kindLabel } from '../lib/format.js';
import { affectsRoster } from '../lib/live.js';
import { delegatesPath, fetchAllDelegates, fetchDelegations, printPath } from '../lib/roster.js';
import { toastError, toastSuccess } from '../lib/toast.js';
import { StaleError, debounce, downloadBlob, filenameFrom, latestOnly } from '../lib/util.js';

export async function render(main, { congress, cid, live, setTitle }) {
  setTitle('Đại biểu');
  const state = { q: '', kind: '', items: [], total: 0, delegations: new Set() };
  const latest = latestOnly();
  const reloadSoon = debounce(() => (load(), loadDelegations()), 200);

  const search = h('input', {
    type: 'search',
    id: 'delegate-search',
    testid: 'delegate-search',
    placeholder: 'Tìm theo tên, mã, đoàn… (gõ không dấu cũng được)',
    autocomplete: 'off',
    enterkeyhint: 'search',
  });
  const kind = h('select', { id: 'kind-filter', testid: 'kind-filter' }, options([['', 'Tất cả'], ...KINDS], ''));
  const count = h('p', { class: 'muted count', testid: 'delegate-count', role: 'status', 'aria-live': 'polite' }, 'Đang tải…');
  const printInfo = h('p', { class: 'print-info' });
  const selection = new Set();
  const selectedInfo = h('span', { class: 'muted', testid: 'selected-count' });
  const selectionBar = h(
    'div',
    { class: 'selection-bar no-print', testid: 'selection-bar', hidden: true },
    selectedInfo,
    fileButton({ label: 'In giấy triệu tập đã chọn', testid: 'print-selected-invitations', path: printPath(cid, 'invitations'), body: () => ({ delegate_ids: [...selection], base_url: location.origin }), filename: 'giay-trieu-tap.pdf' }),
    fileButton({ label: 'In thẻ đã chọn', testid: 'print-selected-badges', path: printPath(cid, 'badges'), body: () => ({ delegate_ids: [...selection] }), filename: 'the-dai-bieu.pdf', done: reloadSoon }),
    h('button', { type: 'button', class: 'btn btn-link', testid: 'clear-selection', onClick: () => (selection.clear(), selection.onChange(), table.update(state.items)) }, 'Bỏ chọn'),
  );
  selection.onChange = () => {
    selectionBar.hidden = selection.size === 0;
    selectedInfo.textContent = `Đã chọn ${selection.size} đại biểu`;
  };
  const table = delegateTable({
    onBadge: (d) => openBadge(cid, d, { congressName: congress.name, onChanged: reloadSoon }),
    onEdit: (d) => openDelegateForm({ cid, delegate: d, delegations: [...state.delegations], onSaved: reloadSoon }),
    onDelete: (d) => remove(d),
    onWithdraw: (d) => withdraw(d),
    onReinstate: (d) => reinstate(d),
  }, selection);

  const toolbar = h(
    'div',
    { class: 'toolbar no-print' },
    h('div', { class: 'field grow' }, h('label', { for: 'delegate-search' }, 'Tìm đại biểu'), search),
    h('div', { class: 'field' }, h('label', { for: 'kind-filter' }, 'Loại đại biểu'), kind),
    h(
      'div',
      { class: 'toolbar-actions' },
      h('button', { type: 'button', class: 'btn btn-primary', testid: 'add-delegate', onClick: add }, '+ Thêm đại biểu'),
      h('button', { type: 'button', class: 'btn btn-ghost', testid: 'print-list', onClick: () => window.print() }, 'In danh sách'),
      h('button', { type: 'button', class: 'btn btn-ghost', testid: 'export-xlsx', onClick: exportXlsx }, 'Xuất Excel'),
    ),
  );

  mount(
    main,
    h('div', { class: 'page-head no-print' }, h('h1', {}, 'Danh sách đại biểu')),
    h('div', { class: 'print-only print-head' }, h('p', { class: 'print-congress' }, congress.name), h('h1', {}, 'DANH SÁCH ĐẠI BIỂU'), printInfo),
    importPanel({ cid, onImported: reloadSoon }),
    h('section', { class: 'card list-card', 'aria-label': 'Danh sách đại biểu' }, toolbar, count, selectionBar, table.root),
  );

  async function load() {
    try {
      const res = await latest(fetchAllDelegates(cid, { q: state.q, kind: state.kind }, { silent: true }));
      state.items = res.items;
      state.total = res.total;
      for (const d of res.items) if (d.delegation_name) state.delegations.add(d.delegation_name);
      table.update(res.items);
      count.textContent = countText(state);
    } catch (err) {
      if (err instanceof StaleError) return;
      count.textContent = err.detail || 'Không tải được danh sách đại biểu.';
    }
  }
  const searchSoon = debounce(() => {
    state.q = search.value.trim();
    load();
  }, 300);

  search.addEventListener('input', searchSoon);
  search.addEventListener('keydown', (e) => e.key === 'Enter' && (searchSoon.cancel(), (state.q = search.value.trim()), load()));
  kind.addEventListener('change', () => {
    state.kind = kind.value;
    load();
  });

  async function loadDelegations() {
    try {
      for (const d of await fetchDelegations(cid)) state.delegations.add(d.name);
    } catch {
      /* the datalist is only a convenience */
    }
  }

  async function exportXlsx(e) {
    const button = e.currentTarget;
    button.disabled = true;
    try {
      const { blob, disposition } = await fetchFile(`${delegatesPath(cid)}/export.xlsx`);
      downloadBlob(blob, filenameFrom(disposition, 'danh-sach-dai-bieu.xlsx'));
    } catch {
      /* api() showed the message */
    } finally {
      button.disabled = false;
    }
  }

  function add() {
    openDelegateForm({ cid, delegations: [...state.delegations], onSaved: reloadSoon });
  }

  async function remove(d) {
    const ok = await confirmDialog({
      title: 'Xóa đại biểu',
      message: `Xóa ${d.full_name} (${d.delegation_name || ''}) khỏi danh sách? Chỉ xóa người nhập nhầm: số đại biểu triệu tập sẽ giảm. Đại biểu không dự đại hội thì dùng “Rút tên” để ghi lý do vắng.`,
      confirmLabel: 'Xóa',
      danger: true,
    });
    if (!ok) return;
    try {
      await api(`${delegatesPath(cid)}/${encodeURIComponent(d.id)}`, { method: 'DELETE', silent: true });
      toastSuccess(`Đã xóa ${d.full_name}`);
      reloadSoon();
    } catch (err) {
      if (err.errors?.[0]?.withdraw_instead) return withdraw(d, err.detail); // checked in meanwhile
      toastError(err.detail);
    }
  }

  async function withdraw(d, why = null) {
    const reason = await promptDialog({
      title: 'Rút tên khỏi đại hội',
      message: `${why ? `${why} ` : ''}${d.full_name} vẫn được tính là đại biểu được triệu tập, ghi là vắng với lý do này trong báo cáo thẩm tra tư cách; lượt điểm danh (nếu có) được đóng lại.`,
      label: 'Lý do rút tên',
      placeholder: 'Ví dụ: ốm, xin về; đi công tác đột xuất',
      confirmLabel: 'Rút tên',
      danger: true,
      minLength: 3,
    });
    if (reason == null) return;
    try {
      await api(`${delegatesPath(cid)}/${encodeURIComponent(d.id)}/withdraw`, { method: 'POST', json: { reason } });
      toastSuccess(`Đã rút tên ${d.full_name} khỏi đại hội`);
      reloadSoon();
    } catch {
      /* api() showed the message */
    }
  }

  async function reinstate(d) {
    const ok = await confirmDialog({ title: 'Khôi phục đại biểu', message: `Khôi phục ${d.full_name}? Đại biểu sẽ điểm danh lại như mọi người.`, confirmLabel: 'Khôi phục' });
    if (!ok) return;
    try {
      await api(`${delegatesPath(cid)}/${encodeURIComponent(d.id)}/reinstate`, { method: 'POST' });
      toastSuccess(`Đã khôi phục ${d.full_name}`);
      reloadSoon();
    } catch {
      /* api() showed the message */
    }
  }

  const stampPrint = () => {
    printInfo.textContent = `${countText(state)} In lúc ${formatDateTime(new Date().toISOString())}.`;
  };
  window.addEventListener('beforeprint', stampPrint);
  const unsubscribe = live?.on(({ type }) => affectsRoster(type) && reloadSoon());
  await Promise.all([load(), loadDelegations()]);
  if (matchMedia('(pointer: fine)').matches) search.focus();
  return () => {
    window.removeEventListener('beforeprint', stampPrint);
    reloadSoon.cancel();
    searchSoon.cancel();
    unsubscribe?.();
  };
}

function countText({ items, total, q, kind }) {
  const filters = [q ? `từ khóa “${q}”` : '', kind ? `loại ${kindLabel(kind)}` : ''].filter(Boolean).join(', ');
  const n = total || items.length;
  return filters ? `Tìm thấy ${n} đại biểu theo ${filters}.` : `Tổng số ${n} đại biểu.`;
}
