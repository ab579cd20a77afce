// The reader: pages rendered on the server, loaded as they come into view (page 1 first), zoomable,
// kept by the service worker so an opened document still reads offline.
import { api, ApiError } from '/static/lib/api.js';
import { h, mount } from '/static/lib/dom.js';
import { getToken } from '/static/lib/session.js';
import { toastError } from '/static/lib/toast.js';
import { pagePath } from './ui.js';

const ZOOMS = [1, 1.5, 2];

export async function render(main, ctx) {
  const base = `/api/congresses/${encodeURIComponent(ctx.cid)}/documents/${encodeURIComponent(ctx.param)}`;
  let doc;
  try {
    doc = await api(base, { silent: true });
  } catch (err) {
    mount(main, h('section', { class: 'card', testid: 'reader-missing' }, h('h1', {}, 'Không mở được tài liệu'),
      h('p', {}, err instanceof ApiError && err.status ? err.detail : 'Tài liệu chưa được lưu trên máy này.'),
      h('a', { class: 'btn', href: '#/' }, 'Về trang chính')));
    return null;
  }
  let zoom = 0;
  const pages = h('div', { class: 'pages', testid: 'pages' });
  const urls = [];
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) if (entry.isIntersecting) load(entry.target);
  }, { rootMargin: '600px' });

  async function load(img) {
    if (img.dataset.loaded === String(zoom)) return;
    img.dataset.loaded = String(zoom);
    const width = Math.min(1600, Math.round(pages.clientWidth * (window.devicePixelRatio || 1) * ZOOMS[zoom]));
    try {
      const res = await fetch(pagePath(ctx.cid, doc, img.dataset.page, width), { headers: { Authorization: `Bearer ${getToken()}` } });
      if (!res.ok) throw new Error(String(res.status));
      const url = URL.createObjectURL(await res.blob());
      urls.push(url);
      img.src = url;
      img.dataset.state = 'shown';
    } catch {
      img.dataset.loaded = '';
      img.alt = `Trang ${img.dataset.page}: chưa tải được (mất mạng?)`;
      if (img.dataset.state !== 'shown') img.src = placeholder(img.alt);
    }
  }

  function setZoom(next) {
    zoom = Math.max(0, Math.min(ZOOMS.length - 1, next));
    pages.style.setProperty('--zoom', ZOOMS[zoom]);
    for (const img of pages.querySelectorAll('img[data-state="shown"]')) {
      const rect = img.getBoundingClientRect();
      if (rect.bottom > -600 && rect.top < innerHeight + 600) load(img);
    }
  }

  const images = Array.from({ length: doc.pages }, (_, i) =>
    h('img', { class: 'page', alt: `Trang ${i + 1}`, src: placeholder(`Đang tải trang ${i + 1}…`), testid: 'page', dataset: { page: String(i + 1) } }));
  pages.append(...images.map((img) => h('figure', { class: 'page-frame' }, img, h('figcaption', {}, `Trang ${img.dataset.page}/${doc.pages}`))));
  mount(main,
    h('div', { class: 'reader-bar' },
      h('a', { class: 'btn btn-small', href: '#/', testid: 'reader-back' }, '← Về'),
      h('button', { class: 'btn btn-small', type: 'button', testid: 'zoom-out', onClick: () => setZoom(zoom - 1) }, '−'),
      h('button', { class: 'btn btn-small', type: 'button', testid: 'zoom-in', onClick: () => setZoom(zoom + 1) }, '+'),
      h('button', { class: 'btn btn-small', type: 'button', testid: 'download', onClick: () => download(base, doc) }, 'Tải PDF')),
    h('h1', { class: 'reader-title', testid: 'reader-title' }, doc.title),
    h('p', { class: 'muted', testid: 'reader-version' }, `Bản ${doc.version} · ${doc.pages} trang${doc.confidential ? ' · tài liệu mật, có dấu tên người đọc' : ''}`),
    pages);
  images.forEach((img) => observer.observe(img));
  load(images[0]);
  const wanted = Number(new URLSearchParams(location.hash.split('?')[1] || '').get('p'));
  if (wanted > 1 && images[wanted - 1]) {
    await load(images[wanted - 1]);
    images[wanted - 1].scrollIntoView();
  }
  return () => {
    observer.disconnect();
    urls.forEach((u) => URL.revokeObjectURL(u));
  };
}

async function download(base, doc) {
  try {
    const res = await api(`${base}/file?v=${doc.version}`, { as: 'response' });
    const url = URL.createObjectURL(await res.blob());
    const link = h('a', { href: url, download: `${doc.title} (bản ${doc.version}).pdf`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } catch (err) {
    if (!(err instanceof ApiError)) toastError('Không tải được tệp');
  }
}

/** A blank A4 page saying ``text``: what a page shows until its image arrives (never a broken-image icon). */
function placeholder(text) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 210 297"><rect width="210" height="297" fill="#fff"/>`
    + `<text x="105" y="150" text-anchor="middle" font-family="sans-serif" font-size="9" fill="#6b7280">${text}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}
