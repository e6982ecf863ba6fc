// Pushline's service worker (served at /sw.js, scope /): shows the web_push channel's pushes and opens
// the page when one is clicked. The payload is WebPushChannelSender's JSON (packages/channel-web-push,
// push-payload.ts): {title, body, url, notificationIds, count}. No fetch handler: the page is not cached.

/** The payload, or a generic notice when a push carries none or no JSON (a push must show something). */
function payloadOf(data) {
  try {
    const push = data?.json();
    if (push && typeof push.title === 'string') return push;
  } catch {
    // not JSON: fall through
  }
  return { title: 'Pushline', body: 'You have new notifications.', url: null, notificationIds: [], count: 1 };
}

/** Where a click leads: the action URL when it is http(s) (relative ones on this origin), else the inbox. */
function targetOf(url) {
  try {
    const target = new URL(url ?? '/', self.location.origin);
    if (target.protocol === 'https:' || target.protocol === 'http:') return target.href;
  } catch {
    // not a URL: the inbox
  }
  return new URL('/', self.location.origin).href;
}

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  const push = payloadOf(event.data);
  event.waitUntil(
    self.registration.showNotification(push.title, {
      body: push.body ?? '',
      // A send retried after a failure carries the same ids: the same tag replaces the copy shown.
      ...(push.notificationIds?.[0] && { tag: push.notificationIds[0] }),
      data: { url: targetOf(push.url), notificationIds: push.notificationIds ?? [], count: push.count ?? 1 },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = event.notification.data?.url ?? targetOf(null);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const same = windows.find((w) => w.url === target);
      if (same) return same.focus();
      // A Pushline tab already open: bring it forward on the target, rather than one more tab.
      const ours = new URL(target).origin === self.location.origin ? windows[0] : undefined;
      // navigate() works on tabs this worker controls only; any other, a new window.
      const moved = ours ? await ours.navigate(target).catch(() => null) : null;
      return moved ? moved.focus() : self.clients.openWindow(target);
    })(),
  );
});
