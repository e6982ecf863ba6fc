const RESET = '\u001b[0m';
const DIM = '\u001b[2m';
const BOLD = '\u001b[1m';
/** Colours for type prefixes, picked by a hash of the prefix so each family keeps its colour. */
const PALETTE = ['\u001b[36m', '\u001b[32m', '\u001b[35m', '\u001b[33m', '\u001b[34m', '\u001b[91m'];

interface Printable {
  readonly type: string;
  readonly time?: string;
  readonly data?: unknown;
}

/** One event as one line: `10:00:00.123  #42  notification.created  "Title" normal`. */
export function formatEventLine(event: Printable, cursor: number | null, color: boolean): string {
  const time = (event.time ?? new Date().toISOString()).slice(11, 23);
  const paint = (code: string, text: string): string => (color ? `${code}${text}${RESET}` : text);
  const prefix = event.type.split('.')[0] ?? event.type;
  const hue = PALETTE[[...prefix].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % PALETTE.length] ?? '';
  return [paint(DIM, time), paint(DIM, cursor === null ? '#-' : `#${cursor}`), paint(BOLD + hue, event.type), summaryOf(event)].join('  ');
}

function summaryOf(event: Printable): string {
  const data = (event.data ?? {}) as Record<string, unknown>;
  if (typeof data.title === 'string') return [JSON.stringify(data.title), data.priority, data.status].filter(Boolean).join(' ');
  const { userId: _user, ...rest } = data;
  const text = JSON.stringify(rest);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

export function formatStateLine(state: string, reason: string | undefined, transport: string, color: boolean): string {
  const text = `pushline: ${state}${reason ? ` (${reason})` : ''} over ${transport}`;
  return color ? `${DIM}${text}${RESET}` : text;
}
