// Server-Sent Events of one congress, reconnecting by itself.
//   const live = new LiveStream(cid); live.on(evt => …); live.onStatus(s => …); live.start();
// Listeners get {type, data} where data is the envelope {event_id, type, congress_id, occurred_at, payload}.
// After a reconnect, and when the server says it dropped events for us (STREAM_EVENTS.resync: we fell
// behind), they also get {type: 'resync'}: events may have been missed, so re-fetch.

import { api } from './api.js';
import { EVENT_TYPES, STREAM_EVENTS } from './events.js';
import { getToken } from './session.js';

export { EVENT_TYPES };

const BACKOFF_MS = [1000, 2000, 5000, 10000, 20000];

export class LiveStream {
  constructor(congressId) {
    this.congressId = congressId;
    this.listeners = new Set();
    this.statusListeners = new Set();
    this.status = 'connecting';
    this.source = null;
    this.retryTimer = null;
    this.failures = 0;
    this.wasConnected = false;
    this.stopped = true;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.source?.close();
    this.source = null;
    this.listeners.clear();
    this.statusListeners.clear();
  }

  on(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  onStatus(fn) {
    this.statusListeners.add(fn);
    fn(this.status);
    return () => this.statusListeners.delete(fn);
  }

  connect() {
    const token = getToken();
    if (this.stopped || !token) return;
    this.setStatus('connecting');
    const url = `/api/congresses/${encodeURIComponent(this.congressId)}/stream?access_token=${encodeURIComponent(token)}`;
    const source = new EventSource(url);
    this.source = source;
    source.addEventListener('open', () => this.opened());
    source.addEventListener('error', () => this.failed(source));
    source.addEventListener('message', (e) => this.dispatch(e));
    for (const type of EVENT_TYPES) source.addEventListener(type, (e) => this.dispatch(e));
    source.addEventListener(STREAM_EVENTS.resync, () => this.emit({ type: 'resync', data: null }));
  }

  opened() {
    this.failures = 0;
    this.setStatus('live');
    if (this.wasConnected) this.emit({ type: 'resync', data: null });
    this.wasConnected = true;
  }

  failed(source) {
    if (this.stopped || source !== this.source) return;
    this.setStatus('offline');
    if (source.readyState !== EventSource.CLOSED) return; // the browser retries by itself
    source.close();
    const delay = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)];
    this.failures += 1;
    this.wasConnected = true; // whatever happens next, a fresh read is needed
    this.retryTimer = setTimeout(() => this.retry(), delay);
  }

  async retry() {
    if (this.stopped) return;
    // A stream refused for an expired token looks like any other failure: ask the API, which sends us to login on 401.
    try {
      await api('/api/auth/me', { silent: true });
    } catch (err) {
      if (err.status === 401) return;
    }
    this.connect();
  }

  dispatch(event) {
    let data = null;
    try {
      data = event.data ? JSON.parse(event.data) : null;
    } catch {
      data = null;
    }
    const type = event.type === 'message' ? data?.type || 'message' : event.type;
    if (data?.congress_id && data.congress_id !== this.congressId) return;
    this.emit({ type, data });
  }

  emit(evt) {
    for (const fn of [...this.listeners]) {
      try {
        fn(evt);
      } catch (err) {
        console.error(err);
      }
    }
  }

  setStatus(status) {
    if (status === this.status) return;
    this.status = status;
    for (const fn of [...this.statusListeners]) fn(status);
  }
}

/** Does this event change who is present or who is on the roster (a new session, a closed congress, a new rule)? */
export const affectsRoster = (type) => type === 'resync' || type.startsWith('delegate.') || type.startsWith('congress.');
