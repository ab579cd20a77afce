// #/c/<cid>/seating — the hall (create, import, copy), automatic placement, the seat map (drag and drop to
// move and swap, search to highlight, live check-ins), publication and printing.

import { hallForm } from '../components/hall-form.js';
import { seatMap } from '../components/seat-map.js';
import { sortableList } from '../components/sortable-list.js';
import { ApiError, api, fetchFile } from '../lib/api.js';
import { confirmDialog, openModal } from '../lib/dialogs.js';
import { field, h, mount, options } from '../lib/dom.js';
import { formatDateTime, kindLabel } from '../lib/format.js';
import { toastError, toastSuccess } from '../lib/toast.js';
import { debounce, downloadBlob, fold } from '../lib/util.js';

const ORDERS = [['list', 'Theo thứ tự danh sách'], ['size', 'Đoàn đông trước'], ['custom', 'Theo thứ tự tự sắp (kéo thả)']];

export async function render(main, { cid, live, setTitle }) {
  setTitle('Sơ đồ chỗ ngồi');
  const base = `/api/congresses/${encodeURIComponent(cid)}/seating`;
  const state = { plan: null, report: null, selected: null };
  const map = seatMap({
    onMove: (delegateId, seatId) => edit('assign', { seat_id: seatId, delegate_id: delegateId }, 'Đã chuyển chỗ'),
    onAssign: (delegateId, seatId) => edit('assign', { seat_id: seatId, delegate_id: delegateId }, 'Đã xếp chỗ'),
    onSwap: (a, b) => edit('swap', { seat_a: a, seat_b: b }, 'Đã đổi chỗ hai đại biểu'),
    onSelect: (info) => select(info),
  });
  const search = h('input', { type: 'search', testid: 'seat-search', placeholder: 'Tìm đại biểu trên sơ đồ (gõ không dấu cũng được)', autocomplete: 'off' });
  const mode = h('select', { testid: 'seat-mode', onChange: () => map.setMode(mode.value) }, options([['delegation', 'Màu theo đoàn'], ['attendance', 'Màu theo điểm danh']], 'delegation'));
  const status = h('p', { class: 'meta', testid: 'seating-status', role: 'status' });
  const side = h('aside', { class: 'seat-side' });
  const mapCard = h('section', { class: 'card map-card', 'aria-label': 'Sơ đồ chỗ ngồi' });
  search.addEventListener('input', debounce(() => highlight(), 150));

  async function load() {
    try {
      state.plan = await api(`${base}/plan`, { silent: true });
    } catch (err) {
      if (err.status === 404) return showSetup();
      mount(main, h('p', { class: 'form-error' }, err.detail));
      return null;
    }
    return state.plan;
  }

  async function showSetup() {
    state.plan = null;
    const list = await api('/api/congresses', { silent: true }).catch(() => []);
    const congresses = Array.isArray(list) ? list : list?.items || [];
    mount(main, h('div', { class: 'page-head' }, h('h1', {}, 'Sơ đồ chỗ ngồi'), h('p', { class: 'muted' }, 'Đại hội chưa có sơ đồ hội trường: tạo bằng biểu mẫu, nhập từ Excel hoặc sao chép.')),
      hallForm({ cid, congresses, onSaved: (plan) => showPlan(plan) }).root);
    return null;
  }

  function showPlan(plan) {
    state.plan = plan;
    mount(
      main,
      h('div', { class: 'page-head' }, h('h1', {}, `Sơ đồ chỗ ngồi — ${plan.name}`), status),
      h(
        'div',
        { class: 'toolbar seat-toolbar' },
        h('div', { class: 'grow' }, field('Tìm đại biểu', search)),
        h('div', {}, field('Tô màu', mode)),
        h(
          'div',
          { class: 'toolbar-actions' },
          h('button', { type: 'button', class: 'btn btn-primary', testid: 'run-placement', onClick: placementDialog }, 'Xếp chỗ tự động'),
          h('button', { type: 'button', class: 'btn btn-ghost', testid: 'publish-plan', onClick: publish }, 'Công bố'),
          h('button', { type: 'button', class: 'btn btn-ghost', testid: 'print-chart', onClick: () => download(`${base}/chart.pdf`, 'so-do-cho-ngoi.pdf') }, 'In sơ đồ (PDF)'),
          h('button', { type: 'button', class: 'btn btn-ghost', testid: 'print-cards', onClick: () => download(`/api/congresses/${encodeURIComponent(cid)}/seat-cards.pdf`, 'the-cho-ngoi.pdf') }, 'In thẻ chỗ ngồi'),
          h('button', { type: 'button', class: 'btn btn-ghost', testid: 'edit-hall', onClick: editHall }, 'Sửa hội trường'),
        ),
      ),
      h('div', { class: 'seating-layout' }, mapCard, side),
    );
    mapCard.replaceChildren(map.root, mapLegend());
    const started = performance.now();
    map.render(plan);
    requestAnimationFrame(() => requestAnimationFrame(() => {
      window.__seatMapTimings = { ...(window.__seatMapTimings || {}), first_paint_ms: performance.now() - started, seats: plan.seats.length };
    }));
    drawSide();
    map.setMode(mode.value);
    highlight();
  }

  function mapLegend() {
    const item = (cls, text) => h('li', { class: cls }, h('span', { class: 'swatch' }), text);
    return h('ul', { class: 'map-legend', testid: 'map-legend' },
      item('key-present', 'Có mặt'), item('key-absent', 'Chưa có mặt'), item('key-empty', 'Ghế trống'),
      item('key-reserved', 'Dành riêng'), item('key-blocked', 'Không sử dụng'), item('key-locked', 'Giữ cố định'));
  }

  function refresh(plan) {
    if (!plan) return;
    if (!state.plan || state.plan.hall_id !== plan.hall_id) return showPlan(plan);
    state.plan = plan;
    map.update(plan);
    drawSide();
    highlight();
  }

  function drawStatus() {
    const plan = state.plan;
    const seated = plan.people.filter((p) => p.seat_id).length;
    const present = plan.people.filter((p) => p.present).length;
    status.replaceChildren(
      h('span', { class: `tag ${plan.published_at ? 'tag-ok' : ''}`, testid: 'plan-published', dataset: { published: plan.published_at ? 'true' : 'false' } }, plan.published_at ? `Đã công bố ${formatDateTime(plan.published_at)}` : 'Chưa công bố'),
      h('span', { testid: 'seated-count' }, `${seated}/${plan.people.length} người đã có chỗ`),
      h('span', { testid: 'present-count' }, `${present} có mặt`),
      h('span', {}, `${plan.seats.length} ghế`),
    );
  }

  function drawSide() {
    const plan = state.plan;
    drawStatus();
    const unseated = plan.people.filter((p) => !p.seat_id && !p.withdrawn);
    mount(
      side,
      selectedCard(),
      state.report ? reportCard(state.report) : null,
      plan.warnings.length ? h('section', { class: 'card notice-error', testid: 'plan-warnings' }, h('h2', {}, 'Cần xem lại'), h('ul', {}, plan.warnings.map((w) => h('li', {}, w)))) : null,
      h('section', { class: 'card', testid: 'unseated' },
        h('h2', {}, `Chưa có chỗ (${unseated.length})`),
        unseated.length ? h('p', { class: 'hint' }, 'Kéo một người vào ghế trống trên sơ đồ để xếp chỗ.') : h('p', { class: 'muted' }, 'Mọi người đều đã có chỗ.'),
        h('ul', { class: 'unseated-list' }, unseated.slice(0, 200).map((p) => h('li', {
          draggable: 'true', testid: 'unseated-person', dataset: { delegateId: p.id },
          onDragstart: (e) => e.dataTransfer.setData('text/x-delegate-id', p.id),
        }, h('strong', {}, p.full_name), h('span', { class: 'sub' }, `${p.delegation_name} · ${kindLabel(p.kind)}`))))),
      h('section', { class: 'card legend', testid: 'legend' }, h('h2', {}, 'Đoàn đại biểu'),
        h('ul', {}, plan.delegations.map((d) => h('li', {}, h('span', { class: 'swatch', style: { background: d.colour } }), h('span', { class: 'grow' }, d.name), h('span', { class: 'muted' }, `${d.seated}/${d.size}`))))),
    );
  }

  function selectedCard() {
    const info = state.selected;
    if (!info) return h('section', { class: 'card muted', testid: 'seat-selected' }, 'Bấm vào một ghế để xem; kéo người sang ghế khác để chuyển chỗ hoặc đổi chỗ.');
    const seat = state.plan.seats.find((s) => s.id === info.seat.id) || info.seat;
    const person = state.plan.people.find((p) => p.id === seat.delegate_id);
    return h('section', { class: 'card', testid: 'seat-selected' },
      h('h2', {}, `Ghế ${seat.label}`),
      h('p', {}, person ? `${person.full_name} — ${person.delegation_name}${person.present ? ' · có mặt' : ''}` : 'Ghế trống'),
      seat.purpose ? h('p', { class: 'muted' }, `Dành riêng: ${seat.purpose}`) : null,
      person ? h('div', { class: 'toolbar-actions' },
        h('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: 'seat-lock', onClick: () => edit('lock', { seat_ids: [seat.id], locked: !seat.locked }, seat.locked ? 'Đã bỏ giữ ghế' : 'Đã giữ cố định ghế') }, seat.locked ? 'Bỏ giữ cố định' : 'Giữ cố định khi xếp lại'),
        h('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: 'block-lock', onClick: () => lockDelegation(person, !seat.locked) }, seat.locked ? 'Bỏ giữ cả đoàn' : 'Giữ cố định cả đoàn'),
        h('button', { type: 'button', class: 'btn btn-small btn-danger', testid: 'seat-clear', onClick: () => edit('clear', { seat_id: seat.id }, 'Đã bỏ chỗ') }, 'Bỏ chỗ')) : null);
  }

  function lockDelegation(person, locked) {
    const ids = state.plan.people.filter((p) => p.delegation_id === person.delegation_id && p.seat_id).map((p) => p.seat_id);
    edit('lock', { seat_ids: ids, locked }, locked ? `Đã giữ cố định ${ids.length} ghế của ${person.delegation_name}` : `Đã bỏ giữ ${ids.length} ghế của ${person.delegation_name}`);
  }

  function reportCard(report) {
    return h('section', { class: `card ${report.problems.length ? 'notice-error' : 'notice-success'}`, testid: 'placement-report' },
      h('h2', {}, 'Kết quả xếp chỗ'),
      h('p', {}, `Đã xếp ${report.seated} người${report.unseated ? `, còn ${report.unseated} người chưa có chỗ` : ''}.`),
      report.problems.length ? h('ul', {}, report.problems.map((p) => h('li', {}, p))) : h('p', {}, 'Mọi đoàn ngồi liền một khối.'));
  }

  function select(info) {
    state.selected = info;
    drawSide();
  }

  function highlight() {
    const q = fold(search.value.trim());
    if (!state.plan) return;
    const hits = q ? state.plan.people.filter((p) => fold(`${p.full_name} ${p.code} ${p.delegation_name}`).includes(q)).map((p) => p.id) : [];
    map.highlight(hits);
  }

  async function edit(action, json, done) {
    try {
      const plan = await api(`${base}/${action}`, { method: 'POST', json, silent: true });
      toastSuccess(done);
      refresh(plan);
    } catch (err) {
      toastError(err.detail || String(err));
      if (err instanceof ApiError && err.status === 409) reload();
    }
  }

  async function placementDialog() {
    const plan = state.plan;
    const order = h('select', { testid: 'placement-order' }, options(ORDERS, plan.order));
    const known = new Map(plan.delegations.map((d) => [d.id, d]));
    const dragged = [...plan.delegation_order.filter((id) => known.has(id)), ...plan.delegations.map((d) => d.id).filter((id) => !plan.delegation_order.includes(id))];
    const delegations = sortableList(dragged.map((id) => known.get(id)), { label: (d) => `${d.name} (${d.size})`, testid: 'delegation-order' });
    const stagePeople = plan.people.filter((p) => p.roles.includes('presidium') || p.roles.includes('secretariat'));
    const ranked = [...plan.protocol.map((id) => stagePeople.find((p) => p.id === id)).filter(Boolean), ...stagePeople.filter((p) => !plan.protocol.includes(p.id))];
    const protocol = sortableList(ranked, { label: (p) => `${p.full_name} — ${p.roles.includes('presidium') ? 'Đoàn Chủ tịch' : 'Đoàn Thư ký'}`, testid: 'protocol-order' });
    const custom = h('div', { hidden: plan.order !== 'custom' }, h('h3', {}, 'Thứ tự các đoàn (từ trên xuống: gần sân khấu trước)'), delegations.root);
    order.addEventListener('change', () => (custom.hidden = order.value !== 'custom'));
    const run = h('button', { type: 'button', class: 'btn btn-primary', testid: 'placement-submit' }, 'Xếp chỗ');
    const { close } = openModal({
      title: 'Xếp chỗ tự động', testid: 'placement-dialog', className: 'modal-wide',
      body: h('div', { class: 'stack' },
        h('p', { class: 'muted' }, 'Đoàn Chủ tịch và Đoàn Thư ký lên sân khấu theo thứ tự nghi thức, khách mời ngồi hàng đầu, mỗi đoàn ngồi liền một khối, đại biểu dự khuyết ngồi sau đoàn. Ghế đang giữ cố định được giữ nguyên.'),
        field('Thứ tự các đoàn', order), custom,
        stagePeople.length ? h('div', {}, h('h3', {}, 'Thứ tự nghi thức trên sân khấu (người đầu ngồi giữa)'), protocol.root) : null),
      footer: [run],
    });
    run.addEventListener('click', async () => {
      run.disabled = true;
      try {
        state.report = await api(`${base}/placement`, { method: 'POST', silent: true, json: {
          order: order.value, delegation_order: delegations.items().map((d) => d.id), protocol: protocol.items().map((p) => p.id) } });
        close();
        toastSuccess(`Đã xếp chỗ cho ${state.report.seated} người`);
        await reload();
      } catch (err) {
        run.disabled = false;
        toastError(err.detail || String(err));
      }
    });
  }

  async function publish() {
    const ok = await confirmDialog({ title: 'Công bố sơ đồ chỗ ngồi?', message: 'Đại biểu sẽ thấy chỗ ngồi của mình trên điện thoại và tại máy điểm danh.', confirmLabel: 'Công bố' });
    if (!ok) return;
    try {
      refresh(await api(`${base}/publish`, { method: 'POST', silent: true }));
      toastSuccess('Đã công bố sơ đồ chỗ ngồi');
    } catch (err) {
      toastError(err.detail || String(err));
    }
  }

  async function editHall() {
    const list = await api('/api/congresses', { silent: true }).catch(() => []);
    const congresses = Array.isArray(list) ? list : list?.items || [];
    let dialog = null;
    const form = hallForm({ cid, congresses, onSaved: (plan) => (dialog?.close(), showPlan(plan)) });
    dialog = openModal({ title: 'Sửa hội trường', testid: 'hall-dialog', className: 'modal-wide', body: h('div', {}, h('p', { class: 'muted' }, 'Ghế giữ nguyên nhãn thì giữ nguyên người ngồi; nếu thay đổi làm mất chỗ của ai, hệ thống sẽ hỏi lại.'), form.root) });
  }

  async function download(path, name) {
    try {
      const { blob } = await fetchFile(path);
      downloadBlob(blob, name);
    } catch {
      /* api() showed the error */
    }
  }

  async function reload() {
    const plan = await load();
    if (plan) refresh(plan);
  }
  const reloadSoon = debounce(reload, 250);

  const unsubscribe = live?.on(({ type, data }) => {
    if (!state.plan) return;
    if (type === 'delegate.checked_in' || type === 'delegate.checkin_revoked') {
      const started = performance.now();
      if (map.setPresent(data?.payload?.delegate_id, type === 'delegate.checked_in')) {
        requestAnimationFrame(() => (window.__seatMapTimings = { ...(window.__seatMapTimings || {}), live_update_ms: performance.now() - started }));
      }
      drawStatus();
    } else if (type === 'resync' || type.startsWith('seat') || type === 'delegate.registered' || type === 'delegate.updated' || type === 'delegate.removed') {
      reloadSoon();
    }
  });

  const plan = await load();
  if (plan) showPlan(plan);
  return () => {
    reloadSoon.cancel();
    unsubscribe?.();
    map.destroy();
  };
}

