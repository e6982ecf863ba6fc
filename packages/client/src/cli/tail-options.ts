import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

export const TAIL_USAGE = `Usage: pushline tail --url <baseUrl> [--token T | --email E --password P] [options]

Prints the live event stream of the user, one line per event, resuming where it stopped.

  --url <baseUrl>        the API, e.g. http://127.0.0.1:3000 (or PUSHLINE_URL)
  --token <token>        a Bearer token (or PUSHLINE_TOKEN)
  --email, --password    log in instead (or PUSHLINE_EMAIL, PUSHLINE_PASSWORD)
  --types <a,b>          only these types (exact names or prefix.*)
  --json                 one JSON object per line: {"cursor": N, ...the envelope}
  --from <cursor>        start after this cursor (or id, e.g. 41.7) instead of the saved one (0 = everything kept)
  --cursor-file <path>   where the cursor is kept (default: one file per URL and user under
                         $XDG_STATE_HOME/pushline, or ~/.local/state/pushline)
  --transport <t>        sse (default), ws or poll
  --color, --no-color    force colours on or off (default: on for a terminal, off with NO_COLOR)
`;

export interface TailOptions {
  readonly url: string;
  readonly auth: { readonly token: string } | { readonly email: string; readonly password: string };
  readonly types: readonly string[] | undefined;
  readonly json: boolean;
  readonly from: string | undefined;
  readonly cursorFile: string;
  readonly transport: 'sse' | 'ws' | 'poll';
  readonly color: boolean;
}

/** Parses `tail`'s arguments; throws an Error whose message names the bad option. */
export function parseTailOptions(argv: readonly string[], env: Record<string, string | undefined>, isTty: boolean): TailOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      types: { type: 'string' },
      json: { type: 'boolean', default: false },
      from: { type: 'string' },
      'cursor-file': { type: 'string' },
      transport: { type: 'string', default: 'sse' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
    },
    strict: true,
  });
  const url = values.url ?? env.PUSHLINE_URL;
  if (!url || !/^https?:\/\/[^/]/.test(url)) throw new Error('--url must be the API base URL, e.g. http://127.0.0.1:3000');
  const token = values.token ?? env.PUSHLINE_TOKEN;
  const email = values.email ?? env.PUSHLINE_EMAIL;
  const password = values.password ?? env.PUSHLINE_PASSWORD;
  if (!token && !(email && password)) throw new Error('give --token, or --email and --password');
  let from: string | undefined;
  if (values.from !== undefined) {
    if (!/^\d{1,15}(\.\d{1,15})?$/.test(values.from)) throw new Error('--from must be a cursor (a whole number, or an id like 41.7)');
    from = values.from;
  }
  const transport = values.transport as string;
  if (!['sse', 'ws', 'poll'].includes(transport)) throw new Error('--transport must be sse, ws or poll');
  const types = values.types?.split(',').map((t) => t.trim()).filter(Boolean);
  const identity = email ?? subjectOf(token ?? '') ?? token ?? '';
  const stateDir = env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state');
  const key = createHash('sha256').update(`${url}\n${identity}`).digest('hex').slice(0, 16);
  return {
    url,
    auth: token ? { token } : { email: email!, password: password! },
    types: types?.length ? types : undefined,
    json: values.json ?? false,
    from,
    cursorFile: values['cursor-file'] ?? join(stateDir, 'pushline', `tail-${key}.cursor`),
    transport: transport as TailOptions['transport'],
    color: values['no-color'] ? false : (values.color ?? (isTty && env.NO_COLOR === undefined)),
  };
}

/** The `sub` claim of a JWT, so the saved cursor survives a refreshed token of the same user. */
function subjectOf(token: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: unknown };
    return typeof payload.sub === 'string' ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}
