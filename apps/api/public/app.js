// Pushline's demo page: plain browser JavaScript, no build step. The session cookie is HTTP-only, so
// this script never sees the token: fetch and EventSource send the cookie by themselves.

const API = '/api/v1';
const NOTIFICATION_EVENTS = ['notification.created', 'notification.read', 'notification.dismissed', 'notification.clicked'];
const CONNECTION_LABELS = {
  offline: 'Offline',
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
};

const $ = (id) => document.getElementById(id);

/** sessionStorage is per tab and survives a reload: a reload resumes as the same device. */
function tabStorage(key, create) {
  const name = `pushline.${key}`;
  let value = sessionStorage.getItem(name);
  if (value === null && create) {
    value = create();
    sessionStorage.setItem(name, value);
  }
  return value;
}

// getRandomValues, not randomUUID: the latter needs a secure context, and the demo may run on plain http.
const deviceId = tabStorage('deviceId', () => `tab-${Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('')}`);

const state = {
  /** The EventSource in use; events from an older one (replaced or closed) are ignored. */
  source: null,
  /** The last cursor seen, so a reconnect after a refresh or reload resumes without a gap. */
  cursor: tabStorage('cursor'),
  /** Envelope ids already applied: delivery is at-least-once across reconnects. */
  seen: new Set(),
  /** notificationId → { notification, element } */
  items: new Map(),
  /** Events that arrived before the first list: applied on top of it, in order. */
  pending: null,
  refreshing: false,
};

async function api(method, path, body) {
  const headers = { 'X-Device-Id': deviceId };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${API}${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    // A proxy's HTML error page: keep the status, drop the body.
  }
  return { ok: res.ok, status: res.status, body: json };
}

function errorMessage(res, fallback) {
  return res.body?.error?.message ?? `${fallback} (HTTP ${res.status})`;
}

// ---- view -----------------------------------------------------------------------------------------

function setConnection(name) {
  const el = $('connection');
  el.dataset.state = name;
  el.textContent = CONNECTION_LABELS[name];
}

function showNotice(message) {
  const el = $('notice');
  el.textContent = message ?? '';
  el.hidden = !message;
}

function showLogin(message) {
  $('app-view').hidden = true;
  $('login-view').hidden = false;
  showNotice(message);
  $('email').focus();
}

function showApp(email) {
  $('login-view').hidden = true;
  $('login-error').hidden = true;
  $('app-view').hidden = false;
  $('user-email').textContent = email;
  showNotice(null);
}

function renderItem(notification) {
  const existing = state.items.get(notification.id);
  if (notification.status === 'dismissed') {
    existing?.element.remove();
    state.items.delete(notification.id);
    updateEmpty();
    return;
  }
  let element = existing?.element;
  if (!element) {
    element = $('notification-template').content.firstElementChild.cloneNode(true);
    element.dataset.id = notification.id;
    // Newest first: insert before the first older item.
    const list = $('notifications');
    const older = [...list.children].find((li) => state.items.get(li.dataset.id)?.notification.createdAt < notification.createdAt);
    list.insertBefore(element, older ?? null);
  }
  state.items.set(notification.id, { notification, element });
  element.dataset.status = notification.status;
  element.querySelector('.title').textContent = notification.title;
  element.querySelector('.body').textContent = notification.body ?? '';
  element.querySelector('.status').textContent = notification.status;
  const time = element.querySelector('.time');
  time.dateTime = notification.createdAt;
  time.textContent = new Date(notification.createdAt).toLocaleString();
  const markRead = element.querySelector('[data-action="read"]');
  markRead.disabled = notification.status !== 'unread';
  markRead.setAttribute('aria-label', `Mark “${notification.title}” read`);
  element.querySelector('[data-action="dismissed"]').setAttribute('aria-label', `Dismiss “${notification.title}”`);
  updateEmpty();
}

function updateEmpty() {
  $('empty').hidden = state.items.size > 0;
}

function clearItems() {
  state.items.clear();
  $('notifications').replaceChildren();
  updateEmpty();
}

// ---- state from the API and the stream ------------------------------------------------------------

async function loadList() {
  const res = await api('GET', '/notifications?limit=50');
  if (!res.ok) {
    showNotice(errorMessage(res, 'Could not load notifications'));
    return;
  }
  clearItems();
  for (const n of res.body.items) renderItem(n);
  const pending = state.pending ?? [];
  state.pending = null;
  for (const envelope of pending) apply(envelope);
}

function apply(envelope) {
  const data = envelope.data;
  const current = state.items.get(data.notificationId)?.notification;
  if (envelope.type === 'notification.created') {
    // Already known (the list, or this tab's own POST): keep it, it may carry a later status.
    if (current) return;
    renderItem({ id: data.notificationId, title: data.title, body: data.body, priority: data.priority, status: 'unread', createdAt: data.createdAt });
  } else if (current) {
    renderItem({ ...current, status: data.status, updatedAt: data.changedAt });
  }
}

function receive(source, message) {
  if (source !== state.source) return;
  if (message.lastEventId) {
    state.cursor = message.lastEventId;
    sessionStorage.setItem('pushline.cursor', state.cursor);
  }
  const envelope = JSON.parse(message.data);
  if (state.seen.has(envelope.id)) return;
  state.seen.add(envelope.id);
  if (state.pending) state.pending.push(envelope);
  else apply(envelope);
}

function openStream() {
  state.source?.close();
  const params = new URLSearchParams({ deviceId });
  if (state.cursor) params.set('lastEventId', state.cursor);
  const source = new EventSource(`${API}/stream?${params}`, { withCredentials: true });
  state.source = source;
  setConnection('connecting');

  source.onopen = () => {
    if (source !== state.source) return;
    setConnection('live');
    // The list is read once the stream is open, so nothing falls between the two.
    if (state.pending) loadList();
  };
  source.onerror = () => {
    if (source !== state.source) return;
    if (source.readyState === EventSource.CLOSED) {
      // Refused with an HTTP status (EventSource gives up on those): find out whether we are still signed in.
      setConnection('closed');
      checkSession();
    } else {
      setConnection('reconnecting');
    }
  };
  for (const type of NOTIFICATION_EVENTS) source.addEventListener(type, (message) => receive(source, message));

  source.addEventListener('stream.reset', () => {
    if (source !== state.source) return;
    state.pending = [];
    loadList();
  });
  source.addEventListener('stream.reauth', () => {
    if (source === state.source) refreshSession();
  });
  source.addEventListener('stream.closed', (message) => {
    const { reason, reconnect } = JSON.parse(message.data);
    if (source !== state.source || state.refreshing) {
      source.close();
      return;
    }
    if (reconnect) {
      setConnection('reconnecting');
      return;
    }
    loggedOut(reason === 'token_expired' ? 'Your session expired. Sign in again.' : 'You were signed out.');
  });
}

function closeStream() {
  state.source?.close();
  state.source = null;
}

/** `stream.reauth`: renew the cookie if the API can, then reopen the stream from the cursor. */
async function refreshSession() {
  state.refreshing = true;
  let res;
  try {
    res = await api('POST', '/auth/refresh');
  } catch {
    res = { ok: false };
  } finally {
    state.refreshing = false;
  }
  if (res.ok) {
    showNotice(null);
    openStream();
    return;
  }
  showNotice('Session expiring: sign in again soon to keep receiving notifications.');
}

async function checkSession() {
  const me = await api('GET', '/me').catch(() => null);
  if (me?.status === 401) loggedOut('Your session ended. Sign in again.');
  else showNotice('The live stream is unavailable. Reload the page to try again.');
}

function enter(user) {
  showApp(user.email);
  clearItems();
  state.seen.clear();
  state.pending = [];
  openStream();
}

function loggedOut(message) {
  closeStream();
  clearItems();
  state.cursor = null;
  sessionStorage.removeItem('pushline.cursor');
  setConnection('closed');
  showLogin(message);
}

// ---- user actions -----------------------------------------------------------------------------------

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = $('login-error');
  error.hidden = true;
  const res = await api('POST', '/auth/login', { email: $('email').value, password: $('password').value });
  if (!res.ok) {
    error.textContent = errorMessage(res, 'Sign-in failed');
    error.hidden = false;
    return;
  }
  enter(res.body.user);
});

$('logout').addEventListener('click', async () => {
  await api('POST', '/auth/logout').catch(() => null);
  loggedOut('You signed out.');
});

$('create-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const res = await api('POST', '/notifications', { title: $('title').value });
  if (!res.ok) showNotice(errorMessage(res, 'Could not create the notification'));
  else if (!state.items.has(res.body.id)) renderItem(res.body);
});

$('notifications').addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-action]');
  if (!button) return;
  const id = button.closest('li').dataset.id;
  const res = await api('PATCH', `/notifications/${encodeURIComponent(id)}`, { status: button.dataset.action });
  if (!res.ok) showNotice(errorMessage(res, 'Could not update the notification'));
  else if (state.items.has(id)) renderItem(res.body);
});

// ---- start ------------------------------------------------------------------------------------------

const me = await api('GET', '/me').catch(() => null);
if (me?.ok) enter(me.body);
else {
  setConnection('offline');
  showLogin(null);
}
