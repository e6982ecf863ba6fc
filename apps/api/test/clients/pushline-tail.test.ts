import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CLIENT_BIN, CLIENT_DIR, ensureClientBuild } from '../support/client-build.js';
import { Conditions } from '../support/conditions.js';
import { createNotification, logIn } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

/** `pushline tail` as shipped (the built bin of @pushline/client), against a real server. */
describe('pushline tail', () => {
  let t: TestApi;
  let dir: string;
  const running = new Set<ChildProcess>();

  beforeAll(async () => {
    ensureClientBuild();
    [t, dir] = await Promise.all([startTestApi(), mkdtemp(join(tmpdir(), 'pushline-tail-'))]);
  }, 120_000);
  afterAll(async () => {
    for (const child of running) child.kill('SIGKILL');
    await t?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** A running tail; `lines` grows as it prints. */
  const tail = (args: string[]) => {
    const conditions = new Conditions();
    const out: string[] = [];
    let err = '';
    const child = spawn(process.execPath, [CLIENT_BIN, 'tail', ...args], { cwd: CLIENT_DIR, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
    running.add(child);
    let partial = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      out.push(...parts);
      conditions.notify();
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
      conditions.notify();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => (running.delete(child), resolve(code))));
    const waitFor = (condition: () => boolean, what: string) => conditions.waitUntil(condition, () => `${what}; stdout ${JSON.stringify(out)} stderr ${err}`, 20_000);
    return { out, err: () => err, waitFor, stop: () => (child.kill('SIGINT'), exited), exited };
  };

  it('prints an event created over HTTP, one line each; after a restart resumes from its saved cursor', async () => {
    const alice = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
    const create = (title: string) => createNotification(t.baseUrl, alice.token, title);
    const cursorFile = join(dir, 'alice.cursor');
    const args = ['--url', t.baseUrl, '--email', 'alice@example.com', '--password', 'alice-demo-password', '--cursor-file', cursorFile];

    const first = tail([...args, '--no-color']);
    await first.waitFor(() => first.err().includes('open'), 'the stream to open');
    await create('Hello from curl');
    await first.waitFor(() => first.out.length === 1, 'one line');
    expect(first.out[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3}  #\d+  notification\.created  "Hello from curl" normal$/);
    expect(first.out[0]).not.toContain('\u001b[');
    expect(await first.stop()).toBe(0);
    const saved = Number((await readFile(cursorFile, 'utf8')).trim());
    expect(saved).toBeGreaterThan(0);

    // Created while no tail runs: the next run starts after the saved cursor, so it prints exactly these.
    await create('While stopped 1');
    await create('While stopped 2');
    const second = tail([...args, '--json', '--token', alice.token]);
    await second.waitFor(() => second.out.length === 2, 'the two missed events');
    const printed = second.out.map((line) => JSON.parse(line) as { cursor: number; type: string; data: { title: string } });
    expect(printed.map((e) => [e.cursor, e.type, e.data.title])).toEqual([
      [saved + 1, 'notification.created', 'While stopped 1'],
      [saved + 2, 'notification.created', 'While stopped 2'],
    ]);
    expect(await second.stop()).toBe(0);
    expect(Number((await readFile(cursorFile, 'utf8')).trim())).toBe(saved + 2);
  }, 60_000);

  it('--types filters, --from overrides the saved cursor, colours on request; bad options exit 2 naming them', async () => {
    const bob = await logIn(t.baseUrl, 'bob@example.com', 'bob-demo-password');
    await createNotification(t.baseUrl, bob.token, 'Bob 1');
    const run = tail(['--url', t.baseUrl, '--token', bob.token, '--from', '0', '--types', 'notification.*', '--color', '--cursor-file', join(dir, 'bob.cursor')]);
    await run.waitFor(() => run.out.length >= 1, 'the replayed event');
    expect(run.out[0]).toContain('\u001b[');
    expect(run.out[0]).toContain('Bob 1');
    expect(await run.stop()).toBe(0);

    const bad = tail(['--url', t.baseUrl, '--token', bob.token, '--from', 'yesterday']);
    expect(await bad.exited).toBe(2);
    expect(bad.err()).toContain('--from must be a cursor');
  }, 60_000);
});
