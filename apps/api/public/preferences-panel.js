// The preferences panel: one row per category, one checkbox per channel (GET/PUT /api/v1/preferences
// through the SDK). Critical categories are shown on and locked: the server would refuse a mute.

const CHANNELS = [
  ['in_app', 'in app'],
  ['email', 'email'],
  ['web_push', 'web push'],
  // Whether the apps you installed get this category's notifications on their webhooks.
  ['webhook', 'your apps'],
];

export function createPreferencesPanel(api, { rows, status }) {
  function render(preferences) {
    const fragment = document.createDocumentFragment();
    for (const [category, { critical, channels }] of Object.entries(preferences.categories)) {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = critical ? `${category} (always on)` : category;
      tr.append(th);
      for (const [channel, label] of CHANNELS) {
        const td = document.createElement('td');
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.checked = channels[channel];
        box.disabled = critical;
        box.dataset.category = category;
        box.dataset.channel = channel;
        box.setAttribute('aria-label', `${category}: ${label}`);
        td.append(box);
        tr.append(td);
      }
      fragment.append(tr);
    }
    rows.replaceChildren(fragment);
  }

  async function load() {
    try {
      render(await api.preferences.get());
      status.textContent = '';
    } catch (error) {
      status.textContent = `Could not load preferences: ${error.message}`;
    }
  }

  rows.addEventListener('change', async (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.dataset.category) return;
    const { category, channel } = box.dataset;
    box.disabled = true;
    try {
      render(await api.preferences.update({ categories: { [category]: { channels: { [channel]: box.checked } } } }));
      status.textContent = `Saved: ${category} ${channel.replace('_', ' ')} ${box.checked ? 'on' : 'off'}.`;
    } catch (error) {
      box.checked = !box.checked;
      box.disabled = false;
      status.textContent = `Not saved: ${error.message}`;
    }
  });

  return { load, clear: () => rows.replaceChildren() };
}
