import { parse } from 'node:url';

/** What every peer server shares: the port to listen on and the user a request is for. */
export const PORT = Number(process.env.PORT ?? 3141);
export const BACKLOG = 4096;

export function userOf(url: string | undefined): string {
  return String(parse(url ?? '', true).query.u ?? '0');
}

/** The users of a publish: `?u=3` or, for a batch of events, `?u=3,4,5`. */
export function usersOf(url: string | undefined): string[] {
  return userOf(url).split(',');
}

/** Reads a small JSON body (the publisher's `{ "t": … }`). */
export function readBody(req: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}
