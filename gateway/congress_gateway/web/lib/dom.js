// Tiny DOM helpers: build elements without innerHTML so user data is never parsed as HTML.

/**
 * h('button', {class: 'btn', testid: 'x', onClick: fn}, 'Nhãn')
 * Props: class, testid (→ data-testid), dataset, style (object), on<Event> handlers,
 * boolean/DOM properties (checked, disabled, value, hidden…), anything else as an attribute.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'testid') el.setAttribute('data-testid', value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'style' && typeof value === 'object') Object.assign(el.style, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false || child === '') continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** Replace the children of el. */
export function mount(el, ...children) {
  clear(el);
  return append(el, children);
}

/** A labelled form field: <div class="field"><label for=id>…</label>control<small>hint</small></div>. */
let fieldSeq = 0;
export function field(label, control, hint) {
  if (!control.id) control.id = `f${++fieldSeq}`;
  const hintEl = hint ? h('small', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintEl);
}

/** Options for a <select> from [[value, label], …]. */
export function options(pairs, selected) {
  return pairs.map(([value, label]) => h('option', { value, selected: value === selected }, label));
}

/** Read a form's named controls into a plain object (checkbox groups → arrays). */
export function formValues(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === 'checkbox' && el.dataset.group) {
      out[el.name] ??= [];
      if (el.checked) out[el.name].push(el.value);
    } else if (el.type === 'checkbox') out[el.name] = el.checked;
    else out[el.name] = el.value.trim();
  }
  return out;
}

/**
 * Show a refused form's errors: the message, each field's message when there are several, and the named
 * controls marked aria-invalid (cleared on the next call). `errors` is the API's [{field, message}, …].
 */
export function showFormErrors(box, form, message, errors = []) {
  for (const el of form?.querySelectorAll('[aria-invalid="true"]') || []) el.removeAttribute('aria-invalid');
  for (const { field: name } of errors) {
    const control = name && form?.elements.namedItem(name.split('.')[0]);
    if (control?.setAttribute) control.setAttribute('aria-invalid', 'true');
  }
  box.replaceChildren(h('p', {}, message), errors.length > 1 ? h('ul', {}, errors.map((e) => h('li', {}, e.message || e.field))) : '');
  box.hidden = false;
}

/** A view module loaded on demand (`import()`); when it cannot be fetched, a message in `into` and null. */
export async function loadView(load, into) {
  try {
    return await load();
  } catch (err) {
    console.error(err);
    mount(
      into,
      h(
        'section',
        { class: 'card narrow', role: 'alert', testid: 'view-unavailable' },
        h('h1', {}, 'Không tải được trang'),
        h('p', {}, 'Kiểm tra kết nối mạng rồi tải lại trang.'),
        h('button', { type: 'button', class: 'btn btn-primary', onClick: () => location.reload() }, 'Tải lại'),
      ),
    );
    return null;
  }
}
