// Delegate list requests.

import { api } from './api.js';

const PAGE = 500;
const MAX_PAGES = 20;

export const delegatesPath = (cid) => `/api/congresses/${encodeURIComponent(cid)}/delegates`;

/** One page: {items, total}. */
export function fetchDelegates(cid, { q, kind, limit = 50, offset = 0 } = {}, opts = {}) {
  return api(delegatesPath(cid), { query: { q, kind, limit, offset }, ...opts });
}

/** Every delegate matching q/kind, page after page, in the server's (Vietnamese) order. */
export async function fetchAllDelegates(cid, { q, kind } = {}, opts = {}) {
  const items = [];
  let total = 0;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const res = await fetchDelegates(cid, { q, kind, limit: PAGE, offset: items.length }, opts);
    total = res.total ?? res.items.length;
    items.push(...res.items);
    if (!res.items.length || items.length >= total) break;
  }
  return { items, total };
}

/** [{id, name, delegates}] — the delegations of the congress. */
export function fetchDelegations(cid) {
  return api(`/api/congresses/${encodeURIComponent(cid)}/delegations`, { silent: true });
}

/** POST here with {delegation_id?, delegate_ids?, base_url?} for a PDF: what = 'invitations' | 'badges'. */
export const printPath = (cid, what) => `/api/congresses/${encodeURIComponent(cid)}/print/${what}`;
