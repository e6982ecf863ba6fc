// Pushline's demo page, built on the SDK the API serves at /sdk/ (@pushline/client's browser build):
// the SDK keeps one stream for all tabs of this browser, resumes, dedupes and refreshes the session;
// the inbox store keeps list and badge consistent (the badge follows its version rule). The archived
// tab is read from the API and read again when another device archives or unarchives. The session
// cookie is HTTP-only: no script sees it.
import { itemsOf, renderList, snoozeUntil } from './inbox-view.js';
import { createPreferencesPanel } from './preferences-panel.js';
import { createPushControl } from './push-control.js';
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
/** The tab shown (all · unread · archived) and the archived notifications, read when that tab is. */
let view = 'all';
let archived = [];
const preferences = createPreferencesPanel(api, { rows: $('preference-rows'), status: $('preferences-status') });
const push = createPushControl(api, { button: $('push-toggle'), status: $('push-status') });

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

/** Renders the current tab from the store's snapshot (or the archived list), and the badge. */
function render() {
  if (!session) return;
  const { items, unread } = session.store.getSnapshot();
  const shown = itemsOf(view, items, archived);
  const empty = renderList($('notifications'), $('notification-template'), shown, view);
  $('empty').textContent = empty;
  $('empty').hidden = shown.length > 0;
  $('unread-count').textContent = String(unread);
  $('unread-badge').dataset.count = String(unread);
  $('unread-badge').hidden = false;
}

async function loadArchived() {
  if (!session) return;
  const page = await api.notifications.list({ archived: true, limit: 50 });
  archived = page.items;
  render();
}

function selectTab(name) {
  view = name;
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    const selected = tab.dataset.view === name;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    if (selected) $('notifications').setAttribute('aria-labelledby', tab.id);
  }
  render();
  if (name === 'archived') void attempt(loadArchived, 'Could not load the archived notifications');
}

// ---- session ----------------------------------------------------------------------------------------

function enter(user) {
  showApp(user.email);
  const client = createPushlineClient({ baseUrl, deviceId, shareAcrossTabs: true });
  const store = createInboxStore({ client, api });
  session = { client, store };
  store.subscribe(render);
  render();
  // Another device archived, unarchived or deleted: the archived tab, when shown, reads its list again.
  for (const type of ['notification.archived', 'notification.unarchived', 'notification.deleted', 'notification.bulk_changed']) {
    client.on(type, () => {
      if (view === 'archived') void attempt(loadArchived, 'Could not load the archived notifications');
    });
  }
  void preferences.load();
  void push.load(user);
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
  archived = [];
  preferences.clear();
  push.clear();
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
  // While the session still holds: the server deletes this browser's subscription.
  await push.signOut();
  await api.logout().catch(() => null);
  loggedOut('You signed out.');
});

$('read-all').addEventListener('click', () => attempt(() => session?.store.markAllRead(), 'Could not mark all read'));

$('create-form').addEventListener('submit', (event) => {
  event.preventDefault();
  // The stream brings it to every tab, this one included.
  attempt(() => api.notifications.create({ title: $('title').value }), 'Could not create the notification');
});

/** Answers to changes carry the counts: handed to the store, which keeps the newest version. */
const applyCounts = (answer) => answer?.counts && session?.store.applyCounts(answer.counts);

$('notifications').addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action]');
  if (!button || !session) return;
  const id = button.closest('li').dataset.id;
  const { store } = session;
  const action = button.dataset.action;
  if (action === 'read') attempt(() => store.markRead(id), 'Could not mark it read');
  else if (action === 'archive') attempt(() => store.archive(id), 'Could not archive it');
  else if (action === 'unarchive') {
    attempt(async () => {
      applyCounts(await api.notifications.update(id, { archived: false }));
      archived = archived.filter((n) => n.id !== id);
      render();
    }, 'Could not unarchive it');
  } else {
    // The stream's notification.snoozed takes it out of the list, here and on every other device.
    attempt(async () => applyCounts(await api.notifications.update(id, { snoozedUntil: snoozeUntil(action).toISOString() })), 'Could not snooze it');
  }
});

const tabs = [...document.querySelectorAll('[role="tab"]')];
for (const tab of tabs) tab.addEventListener('click', () => selectTab(tab.dataset.view));
// Arrow keys move between tabs (the ARIA tabs pattern).
document.querySelector('[role="tablist"]').addEventListener('keydown', (event) => {
  const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
  if (!step) return;
  const next = tabs[(tabs.findIndex((t) => t.dataset.view === view) + step + tabs.length) % tabs.length];
  selectTab(next.dataset.view);
  next.focus();
});

// ---- start ------------------------------------------------------------------------------------------

try {
  enter(await api.me());
} catch {
  setConnection('offline');
  showLogin(null);
}
