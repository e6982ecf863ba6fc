import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ts from 'typescript';
import { PLATFORM_ADMIN_TOKEN, PlatformFixture, TASK_ASSIGNED_SCHEMA } from '../support/platform-fixture.js';
import { startTestApi, type TestApi } from '../support/test-api.js';
import { REPO_ROOT } from './source-copy.js';

const run = promisify(execFile);

/** `npm run app-types`, as a developer runs it, against a real API. */
function appTypes(args: string[]) {
  const loader = join(REPO_ROOT, 'packages/devtools/src/register-ts.mjs');
  return run(process.execPath, ['--conditions=@pushline/source', '--no-warnings', `--import=${loader}`, join(REPO_ROOT, 'packages/devtools/src/app-types.cli.ts'), ...args], { cwd: REPO_ROOT });
}

/**
 * Client types for app-declared event types: the CLI reads the app's AsyncAPI document and writes a
 * TypeScript module; an app's client written against it and the SDK compiles, and a wrong field fails tsc.
 */
describe('npm run app-types', () => {
  let t: TestApi;
  let dir: string;

  beforeAll(async () => {
    [t, dir] = await Promise.all([startTestApi({ env: { ADMIN_TOKEN: PLATFORM_ADMIN_TOKEN } }), mkdtemp(join(tmpdir(), 'pushline-app-types-'))]);
  });

  afterAll(async () => {
    await t?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("types an app's declared events, newest version each, and never another app's", async () => {
    const p = new PlatformFixture(t.baseUrl);
    const tenantId = await p.tenant();
    const app = await p.registerApp(tenantId, 'typedapp', ['events:read']);
    const publisher = { id: app.id, key: (await p.key(app.id, ['events:publish'])).key };
    const other = await p.registerApp(tenantId, 'otherapp');
    const declare = (a: { id: string; key: string }, type: string, version: number, schema: unknown) =>
      expect(p.app(a, 'POST', '/event-types', { type, version, schema })).resolves.toMatchObject({ status: 201 });
    await declare(publisher, 'typedapp.task.assigned', 1, TASK_ASSIGNED_SCHEMA);
    const v2 = { ...TASK_ASSIGNED_SCHEMA, properties: { ...TASK_ASSIGNED_SCHEMA.properties, priority: { enum: ['low', 'high'] } }, required: ['taskId', 'priority'] };
    await declare(publisher, 'typedapp.task.assigned', 2, v2);
    await declare(publisher, 'typedapp.comment_added', 1, { type: 'object', properties: { text: { type: 'string' }, mentions: { type: 'array', items: { type: 'string' } } }, required: ['text'] });
    await declare(other, 'otherapp.secret', 1, { type: 'object' });

    const out = join(dir, 'typedapp-events.ts');
    await appTypes(['--url', t.baseUrl, '--app', app.id, '--key', app.key, '--out', out]);
    const generated = await readFile(out, 'utf8');
    expect(generated).toContain("export type TypedappTaskAssignedEvent = AppEventEnvelope<'typedapp.task.assigned', 2, TypedappTaskAssignedData>;");
    expect(generated).toContain("export const APP_EVENT_TYPES = ['typedapp.comment_added', 'typedapp.task.assigned'] as const");
    expect(generated).not.toContain('otherapp');

    const usage = join(dir, 'usage.ts');
    await writeFile(
      usage,
      `
      import { createPushlineClient } from ${JSON.stringify(join(REPO_ROOT, 'packages/client/src/index.ts'))};
      import { APP_EVENT_TYPES, onAppEvent, type AppEventOf } from './typedapp-events.ts';
      const client = createPushlineClient({ baseUrl: 'https://api.example.com', types: [...APP_EVENT_TYPES, 'notification.*'] });
      onAppEvent(client, 'typedapp.task.assigned', (event) => {
        const id: string = event.data.taskId;
        const priority: 'low' | 'high' = event.data.priority;
        const version: 2 = event.dataversion;
        const app: string = event.appid;
        void [id, priority, version, app];
        void event.data.assignee;
      });
      onAppEvent(client, 'typedapp.comment_added', (event) => {
        const mentions: string[] | undefined = event.data.mentions;
        void mentions;
      });
      const comment: AppEventOf<'typedapp.comment_added'>['data'] = { text: 'hi' };
      void comment;
      // @ts-expect-error: not a declared type of this app
      onAppEvent(client, 'otherapp.secret', () => {});
      `,
    );
    // Exactly the deliberate mistake: \`assignee\` is not in the declared schema.
    expect(compile(usage)).toEqual([expect.stringMatching(/Property 'assignee' does not exist on type/)]);
  }, 120_000);

  it('names the missing option and fails on a key of another app', async () => {
    await expect(appTypes(['--url', t.baseUrl, '--app', 'some-app'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--key is required') });
    const p = new PlatformFixture(t.baseUrl);
    const tenantId = await p.tenant();
    const [mine, theirs] = [await p.registerApp(tenantId, 'keyone'), await p.registerApp(tenantId, 'keytwo')];
    await expect(appTypes(['--url', t.baseUrl, '--app', mine.id, '--key', theirs.key])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('404') });
  }, 60_000);
});

function compile(file: string): string[] {
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}
