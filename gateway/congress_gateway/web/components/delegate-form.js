// Add or edit one delegate, in a modal. POST /delegates (201) or PATCH /delegates/{id}.
// Limits are the server's (the same as the Excel import): nothing is cut here, its messages name the field.
// A second person with the same name in the delegation: the server answers 409, the form asks, then resends.

import { api } from '../lib/api.js';
import { confirmDialog, openModal } from '../lib/dialogs.js';
import { field, formValues, h, options, showFormErrors } from '../lib/dom.js';
import { GENDERS, KINDS, ROLES, genderCode } from '../lib/format.js';
import { delegatesPath } from '../lib/roster.js';
import { toastSuccess } from '../lib/toast.js';

const TEXT_FIELDS = ['ethnicity', 'education', 'position', 'sending_unit'];

/** openDelegateForm({cid, delegate?, delegations: string[], onSaved}) */
export function openDelegateForm({ cid, delegate = null, delegations = [], onSaved }) {
  const d = delegate || {};
  const listId = `delegations-${Date.now()}`;
  const input = (name, testid, extra = {}) => h('input', { name, testid, value: d[name] ?? '', ...extra });
  const error = h('div', { class: 'form-error', role: 'alert', testid: 'delegate-form-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'delegate-submit' }, delegate ? 'Lưu thay đổi' : 'Thêm đại biểu');
  const cancel = h('button', { type: 'button', class: 'btn btn-ghost' }, 'Hủy');
  const fullName = input('full_name', 'delegate-full-name', { required: true, autocomplete: 'off' });

  const form = h(
    'form',
    { class: 'form-grid', testid: 'delegate-form', novalidate: true },
    field('Họ và tên *', fullName),
    field('Đoàn đại biểu *', h('input', { name: 'delegation', testid: 'delegate-delegation', required: true, list: listId, value: d.delegation_name ?? '', autocomplete: 'off' }), 'Ví dụ: LĐLĐ huyện Lang Chánh'),
    h('datalist', { id: listId }, delegations.map((name) => h('option', { value: name }))),
    field('Loại đại biểu', h('select', { name: 'kind', testid: 'delegate-kind' }, options(KINDS, d.kind || 'official'))),
    field('Giới tính', h('select', { name: 'gender', testid: 'delegate-gender' }, options([['', '—'], ...GENDERS], genderCode(d.gender)))),
    field('Năm sinh', input('birth_year', 'delegate-birth-year', { type: 'number', inputmode: 'numeric', min: 1930, max: 2010 })),
    field('Dân tộc', input('ethnicity', 'delegate-ethnicity', { placeholder: 'Kinh' })),
    field('Trình độ chuyên môn', input('education', 'delegate-education')),
    field('Chức vụ', input('position', 'delegate-position')),
    field('Đơn vị công tác', input('sending_unit', 'delegate-sending-unit')),
    h(
      'label',
      { class: 'check' },
      h('input', { type: 'checkbox', name: 'party_member', testid: 'delegate-party-member', checked: Boolean(d.party_member) }),
      ' Đảng viên',
    ),
    h(
      'fieldset',
      { class: 'span-all' },
      h('legend', {}, 'Vai trò tại đại hội'),
      ROLES.map(([code, label]) =>
        h(
          'label',
          { class: 'check' },
          h('input', { type: 'checkbox', name: 'roles', value: code, dataset: { group: '1' }, testid: `delegate-role-${code}`, checked: (d.roles || []).includes(code) }),
          ` ${label}`,
        ),
      ),
    ),
    h('div', { class: 'span-all' }, error),
    h('div', { class: 'modal-foot span-all' }, cancel, submit),
  );

  const { close } = openModal({ title: delegate ? 'Sửa thông tin đại biểu' : 'Thêm đại biểu', body: form, testid: 'delegate-dialog', className: 'modal-wide' });
  cancel.addEventListener('click', close);
  fullName.focus();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = toBody(formValues(form), Boolean(delegate));
    const problem = !body.full_name ? 'Vui lòng nhập họ và tên.' : !body.delegation ? 'Vui lòng nhập đoàn đại biểu.' : null;
    if (problem) return showFormErrors(error, form, problem);
    error.hidden = true;
    submit.disabled = true;
    try {
      const saved = await save(cid, delegate, body);
      if (!saved) {
        submit.disabled = false;
        return;
      }
      toastSuccess(delegate ? `Đã lưu thông tin ${body.full_name}` : `Đã thêm đại biểu ${body.full_name}`);
      close();
      onSaved?.(saved);
    } catch (err) {
      showFormErrors(error, form, err.detail, err.errors);
      submit.disabled = false;
    }
  });
}

/** POST or PATCH; on a same-name 409 ask, then resend with confirm_duplicate. null when the organiser says no. */
async function save(cid, delegate, body) {
  const path = delegate ? `${delegatesPath(cid)}/${encodeURIComponent(delegate.id)}` : delegatesPath(cid);
  const send = (query) => api(path, { method: delegate ? 'PATCH' : 'POST', json: body, query, silent: true });
  try {
    return await send();
  } catch (err) {
    if (err.status !== 409 || !err.errors?.[0]?.duplicate_of) throw err;
    const yes = await confirmDialog({ title: 'Trùng tên trong cùng đoàn', message: err.detail, confirmLabel: 'Đúng, là hai người khác nhau' });
    return yes ? send({ confirm_duplicate: 'true' }) : null;
  }
}

/** Form values → API body. New delegates omit empty fields; edits send null to clear them. */
function toBody(v, editing) {
  const empty = editing ? null : undefined;
  const body = { full_name: v.full_name, delegation: v.delegation, kind: v.kind, roles: v.roles || [], party_member: Boolean(v.party_member) };
  body.gender = v.gender || empty;
  body.birth_year = v.birth_year ? Number(v.birth_year) : empty;
  for (const name of TEXT_FIELDS) body[name] = v[name] || empty;
  return body;
}

