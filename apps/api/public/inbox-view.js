// Renders one view of the inbox (all / unread / archived) into the list, keeping each item's element
// (so focus and order survive updates). Text only through textContent: a title is never markup.

const EMPTY = { all: 'No notifications yet.', unread: 'Nothing unread.', archived: 'Nothing archived.' };

/** What a view shows of the store's unarchived items, or the archived list read for that tab. */
export function itemsOf(view, storeItems, archivedItems) {
  if (view === 'archived') return archivedItems;
  if (view === 'unread') return storeItems.filter((n) => n.status === 'unread');
  return storeItems;
}

export function renderList(list, template, items, view) {
  const existing = new Map([...list.children].map((li) => [li.dataset.id, li]));
  let previous = null;
  for (const notification of items) {
    let element = existing.get(notification.id);
    existing.delete(notification.id);
    if (!element) {
      element = template.content.firstElementChild.cloneNode(true);
      element.dataset.id = notification.id;
    }
    fill(element, notification, view);
    const next = previous ? previous.nextSibling : list.firstChild;
    if (element !== next) list.insertBefore(element, next);
    previous = element;
  }
  for (const stale of existing.values()) stale.remove();
  return EMPTY[view];
}

function fill(element, notification, view) {
  const archived = view === 'archived';
  element.dataset.status = notification.status;
  element.querySelector('.title').textContent = notification.title;
  element.querySelector('.body').textContent = notification.body ?? '';
  element.querySelector('.status').textContent = notification.category ? `${notification.status} · ${notification.category}` : notification.status;
  const time = element.querySelector('.time');
  time.dateTime = notification.createdAt;
  time.textContent = new Date(notification.createdAt).toLocaleString();
  const button = (action, label, shown) => {
    const b = element.querySelector(`[data-action="${action}"]`);
    b.hidden = !shown;
    b.setAttribute('aria-label', label);
    return b;
  };
  const title = `“${notification.title}”`;
  button('read', `Mark ${title} read`, !archived).disabled = notification.status === 'read' || notification.status === 'clicked';
  button('snooze-hour', `Snooze 1 h: ${title}`, !archived);
  button('snooze-tomorrow', `Snooze till tomorrow: ${title}`, !archived);
  button('archive', `Archive ${title}`, !archived);
  button('unarchive', `Unarchive ${title}`, archived);
}

/** Tomorrow at 09:00 local time, or an hour from now: the two snoozes the page offers. */
export function snoozeUntil(action, now = new Date()) {
  if (action === 'snooze-hour') return new Date(now.getTime() + 60 * 60 * 1000);
  const tomorrow = new Date(now);
  tomorrow.setDate(tomorrow.getDate() + 1);
  tomorrow.setHours(9, 0, 0, 0);
  return tomorrow;
}
