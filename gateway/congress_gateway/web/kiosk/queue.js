// Badge check-ins made while the server is unreachable wait here (IndexedDB) and are sent when it is back.
// Each attempt has its own idempotency key: sent twice, or after an undo, it still counts once.
// Face attempts are never queued (a face is decided now or not at all).

const DB = 'congress-kiosk';
const STORE = 'pending';

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'key' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, action) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const result = action(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(result?.result ?? result);
    tx.onerror = () => reject(tx.error);
  });
}

export function newKey() {
  return `k${Date.now().toString(36)}${crypto.getRandomValues(new Uint32Array(2)).join('')}`.slice(0, 40);
}

export const enqueue = (entry) => run('readwrite', (store) => store.put(entry));
export const pending = () => run('readonly', (store) => store.getAll());
export const forget = (key) => run('readwrite', (store) => store.delete(key));

/** Send every queued attempt with ``send(entry)``; keep those that fail for want of a network. */
export async function flush(send) {
  let sent = 0;
  for (const entry of await pending()) {
    const outcome = await send(entry);
    if (outcome === 'network') break;
    await forget(entry.key);
    sent += 1;
  }
  return sent;
}
