// Pushline's demo page, built on the SDK the API serves at /sdk/ (@pushline/client's browser build):
// the SDK keeps one stream for all tabs of this browser, resumes, dedupes and refreshes the session;
// the inbox store keeps list and badge consistent. The session cookie is HTTP-only: no script sees it.
import { createInboxStore, createPushlineApi, createPushlineClient } from './sdk/index.js';

const CONNECTION_LABELS = { offline: 'Offline', connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', closed: 'Disconnected' };
const ROLE_LABELS = {
  leader: 'This tab holds the live connection for every tab of this browser.',
  follower: 'Another tab of this browser holds the live connection; this one gets its events relayed.',
  solo: 'This tab has its own live connection.',
};
const CLOSED_MESSAGES = {
  token_expired: 'Your session expired. Sign in again.',
  session_revoked: 'You were signed out.',
  unauthenticated: 'Your session ended. Sign in again.',
};

const $ = (id) => document.getElementById(id);

/** Per tab, surviving a reload (sessionStorage): the tab stays the same device. */
function tabDeviceId() {
  let id = sessionStorage.getItem('pushline.deviceId');
  if (!id) {
    // getRandomValues, not randomUUID: the latter needs a secure context, and the demo may run on plain http.
    id = `tab-${Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
    sessionStorage.setItem('pushline.deviceId', id);
  }
  return id;
}

const baseUrl = location.origin;
const deviceId = tabDeviceId();
const api = createPushlineApi({ baseUrl, deviceId });
/** The signed-in session: the SDK client and the inbox store on it. */
let session = null;

// ---- view -----------------------------------------------------------------------------------------

function setConnection(state, reason) {
  const name = state === 'open' ? 'live' : state;
  const el = $('connection');
  el.dataset.state = name;
  el.dataset.reason = reason ?? '';
  el.textContent = CONNECTION_LABELS[name] ?? name;
}

function showNotice(message) {
  $('notice').textContent = message ?? '';
  $('notice').hidden = !message;
}

function showLogin(message) {
  $('app-view').hidden = true;
  $('unread-badge').hidden = true;
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

/** Renders the store's snapshot: one list item per notification, newest first, and the badge. */
function render({ items, unread }) {
  const list = $('notifications');
  const existing = new Map([...list.children].map((li) => [li.dataset.id, li]));
  let previous = null;
  for (const notification of items) {
    let element = existing.get(notification.id);
    existing.delete(notification.id);
    if (!element) {
      element = $('notification-template').content.firstElementChild.cloneNode(true);
      element.dataset.id = notification.id;
    }
    fill(element, notification);
    const next = previous ? previous.nextSibling : list.firstChild;
    if (element !== next) list.insertBefore(element, next);
    previous = element;
  }
  for (const stale of existing.values()) stale.remove();
  $('empty').hidden = items.length > 0;
  $('unread-count').textContent = String(unread);
  $('unread-badge').dataset.count = String(unread);
  $('unread-badge').hidden = false;
}

function fill(element, notification) {
  element.dataset.status = notification.status;
  element.querySelector('.title').textContent = notification.title;
  element.querySelector('.body').textContent = notification.body ?? '';
  element.querySelector('.status').textContent = notification.status;
  const time = element.querySelector('.time');
  time.dateTime = notification.createdAt;
  time.textContent = new Date(notification.createdAt).toLocaleString();
  const markRead = element.querySelector('[data-action="read"]');
  markRead.disabled = notification.status === 'read' || notification.status === 'clicked';
  markRead.setAttribute('aria-label', `Mark “${notification.title}” read`);
  element.querySelector('[data-action="archive"]').setAttribute('aria-label', `Archive “${notification.title}”`);
}

// ---- session ----------------------------------------------------------------------------------------

function enter(user) {
  showApp(user.email);
  const client = createPushlineClient({ baseUrl, deviceId, shareAcrossTabs: true });
  const store = createInboxStore({ client, api });
  session = { client, store };
  store.subscribe(() => render(store.getSnapshot()));
  render(store.getSnapshot());
  client.onState((state, reason) => {
    if (session?.client !== client) return;
    setConnection(state, reason);
    document.documentElement.dataset.role = client.role;
    $('tab-role').textContent = ROLE_LABELS[client.role];
    if (reason === 'refresh_failed') showNotice('Session expiring: sign in again soon to keep receiving notifications.');
    else if (state === 'open') showNotice(null);
    if (state === 'closed' && reason !== 'client_closed') {
      if (CLOSED_MESSAGES[reason]) loggedOut(CLOSED_MESSAGES[reason]);
      else showNotice('The live stream is unavailable. Reload the page to try again.');
    }
  });
  setConnection(client.state, client.reason);
}

function loggedOut(message) {
  const current = session;
  session = null;
  current?.store.close();
  current?.client.close();
  $('notifications').replaceChildren();
  setConnection('closed');
  showLogin(message);
}

async function attempt(action, what) {
  try {
    await action();
  } catch (error) {
    showNotice(`${what}: ${error.message}`);
  }
}

// ---- user actions -----------------------------------------------------------------------------------

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = $('login-error');
  error.hidden = true;
  try {
    const result = await api.login({ email: $('email').value, password: $('password').value });
    enter(result.user);
  } catch (e) {
    error.textContent = e.message ?? 'Sign-in failed';
    error.hidden = false;
  }
});

$('logout').addEventListener('click', async () => {
  await api.logout().catch(() => null);
  loggedOut('You signed out.');
});

$('read-all').addEventListener('click', () => attempt(() => session?.store.markAllRead(), 'Could not mark all read'));

$('create-form').addEventListener('submit', (event) => {
  event.preventDefault();
  // The stream brings it to every tab, this one included.
  attempt(() => api.notifications.create({ title: $('title').value }), 'Could not create the notification');
});

$('notifications').addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action]');
  if (!button || !session) return;
  const id = button.closest('li').dataset.id;
  if (button.dataset.action === 'read') attempt(() => session.store.markRead(id), 'Could not mark it read');
  else attempt(() => session.store.archive(id), 'Could not archive it');
});

// ---- start ------------------------------------------------------------------------------------------

try {
  enter(await api.me());
} catch {
  setConnection('offline');
  showLogin(null);
}
