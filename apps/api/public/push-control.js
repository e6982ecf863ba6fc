// "Enable push on this device": registers /sw.js, asks for permission, subscribes with the server's
// VAPID key and stores the subscription for the signed-in user (POST /api/v1/push-subscriptions through
// the SDK, so the session cookie and Origin rules of every other write apply); disable deletes it on the
// server, then in the browser. docs/notifications.md#web-push.

const SERVICE_WORKER_URL = '/sw.js';
/** Who turned push on in this browser (localStorage: it outlives the tab, like the subscription). */
const OWNER_KEY = 'pushline.push.userId';
const MESSAGES = {
  unsupported: 'This browser does not support web push (it needs service workers, the Push API and notifications, on https or localhost).',
  denied: 'Notifications are blocked for this site. Allow them in the browser’s site settings, then try again.',
  dismissed: 'Push stays off: the browser did not get permission to show notifications.',
  unavailable: 'Web push is not set up on this server.',
  off: 'Push is off on this device.',
  on: 'Push is on for this device: notifications reach it even when no Pushline tab is open (per category: see the web push column).',
};

export const pushSupported = () => 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

/** A base64url key as the bytes `applicationServerKey` takes in every browser. */
function bytesOf(base64url) {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

export function createPushControl(api, { button, status }) {
  let state = 'off';
  let userId = null;

  function show(next, detail) {
    state = next;
    button.dataset.state = next;
    button.textContent = next === 'on' ? 'Disable push' : 'Enable push on this device';
    button.disabled = next === 'unsupported' || next === 'denied' || next === 'unavailable' || next === 'busy';
    if (next !== 'busy') status.textContent = detail ?? MESSAGES[next];
  }

  async function currentSubscription() {
    const registration = await navigator.serviceWorker.getRegistration('/');
    return (await registration?.pushManager.getSubscription()) ?? null;
  }

  /**
   * The state on sign-in. This user's subscription is stored again (it renews keys and expiry). One left
   * by someone else (their session ended without a sign-out) is dropped in the browser: its endpoint
   * then answers 410 and the server forgets it at the next send, so this user never gets their pushes.
   */
  async function load(user) {
    userId = user.id;
    if (!pushSupported()) return show('unsupported');
    if (Notification.permission === 'denied') return show('denied');
    try {
      const subscription = await currentSubscription();
      if (!subscription) return show('off');
      if (localStorage.getItem(OWNER_KEY) !== userId) {
        await subscription.unsubscribe();
        localStorage.removeItem(OWNER_KEY);
        return show('off');
      }
      await api.pushSubscriptions.subscribe(subscription.toJSON());
      show('on');
    } catch (error) {
      show('off', `Could not read this device’s push state: ${error.message}`);
    }
  }

  async function enable() {
    const permission = await Notification.requestPermission();
    if (permission !== 'granted') return show(permission === 'denied' ? 'denied' : 'dismissed');
    let publicKey;
    try {
      ({ publicKey } = await api.pushSubscriptions.vapidPublicKey());
    } catch (error) {
      return show(error.status === 404 ? 'unavailable' : 'off', error.status === 404 ? undefined : `Push not enabled: ${error.message}`);
    }
    await navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: '/' });
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: bytesOf(publicKey) });
    try {
      await api.pushSubscriptions.subscribe(subscription.toJSON());
    } catch (error) {
      // Not stored: leave no browser subscription the server does not know about.
      await subscription.unsubscribe().catch(() => false);
      throw error;
    }
    localStorage.setItem(OWNER_KEY, userId);
    show('on');
  }

  /** Off on the server first (it stops sending), then in the browser; a 404 means it was already gone there. */
  async function disable() {
    const subscription = await currentSubscription();
    if (subscription) {
      await api.pushSubscriptions.unsubscribe(subscription).catch((error) => {
        if (error.status !== 404) throw error;
      });
      await subscription.unsubscribe();
    }
    localStorage.removeItem(OWNER_KEY);
    show('off');
  }

  button.addEventListener('click', async () => {
    const wasOn = state === 'on';
    show('busy');
    status.textContent = wasOn ? 'Turning push off…' : 'Turning push on…';
    try {
      await (wasOn ? disable() : enable());
    } catch (error) {
      show(wasOn ? 'on' : 'off', `${wasOn ? 'Push not disabled' : 'Push not enabled'}: ${error.message}`);
    }
  });

  return {
    load,
    /** Sign-out on a shared browser: the next user must not get this user's pushes. */
    signOut: () => (state === 'on' ? disable().catch(() => show('off')) : Promise.resolve()),
    clear: () => {
      userId = null;
      show(pushSupported() ? 'off' : 'unsupported', '');
    },
  };
}
