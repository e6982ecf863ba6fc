import { createPushlineApi, createPushlineClient, type PushlineClient } from '../node.js';
import { CursorFile } from './cursor-file.js';
import { formatEventLine, formatStateLine } from './event-line.format.js';
import type { TailOptions } from './tail-options.js';

export interface TailIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/**
 * `pushline tail`: logs in (or takes the token), resumes from `--from` or the saved cursor, prints
 * every event, and saves the cursor after each. Resolves with the exit code once the stream ends for
 * good or `stop` is called.
 */
export async function runTail(options: TailOptions, io: TailIo, stop: Promise<void>): Promise<number> {
  const cursorFile = new CursorFile(options.cursorFile);
  let token: string;
  if ('token' in options.auth) token = options.auth.token;
  else {
    try {
      token = (await createPushlineApi({ baseUrl: options.url }).login(options.auth)).accessToken;
    } catch (error) {
      io.err(`pushline: login failed: ${(error as Error).message}`);
      return 1;
    }
  }
  const start = options.from ?? cursorFile.read();
  const client: PushlineClient = createPushlineClient({
    baseUrl: options.url,
    token,
    transport: options.transport,
    ...(start !== undefined && { cursor: start }),
    ...(options.types && { types: options.types }),
    deviceId: 'pushline-tail',
  });
  io.err(formatStateLine('starting', start === undefined ? 'live from now' : `after cursor ${start}`, options.transport, options.color));

  client.onAny((event) => {
    const cursor = client.cursor;
    io.out(options.json ? JSON.stringify({ cursor, ...event }) : formatEventLine(event, cursor, options.color));
    // The position names both streams (own and the tenant's broadcasts): what the next run resumes after.
    if (client.position !== null) cursorFile.write(client.position);
  });
  client.on('stream.reset', (reset) => {
    io.err(formatStateLine('reset', `${reset.reason}: events before cursor ${reset.cursor} are gone`, client.transport, options.color));
    if (client.position !== null) cursorFile.write(client.position);
  });

  return new Promise<number>((resolve) => {
    client.onState((state, reason) => {
      io.err(formatStateLine(state, reason, client.transport, options.color));
      if (state === 'closed') resolve(reason === 'client_closed' ? 0 : 1);
    });
    void stop.then(() => client.close());
  });
}
