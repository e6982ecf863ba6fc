import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import ts from 'typescript';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Type-level: `on(type, handler)` hands the handler the envelope typed from the catalog. */
describe('typed handlers', () => {
  it('a typed handler gets a typed payload, and a wrong field fails tsc', async () => {
    const usage = `
      import { createPushlineClient } from ${JSON.stringify(join(SRC, 'index.ts'))};
      const client = createPushlineClient({ baseUrl: 'https://api.example.com' });
      client.on('notification.created', (event) => {
        const title: string = event.data.title;
        const priority: 'low' | 'normal' | 'high' = event.data.priority;
        const version: 1 = event.dataversion;
        void [title, priority, version];
        void event.data.titel;
      });
      client.on('stream.reset', (reset) => {
        const cursor: number = reset.cursor;
        void cursor;
      });
      client.on('order.shipped', (event) => {
        const data: unknown = event.data;
        void data;
      });
    `;
    const diagnostics = await compile(usage);
    // Exactly the deliberate mistake: \`titel\` does not exist on NotificationCreatedData.
    expect(diagnostics).toEqual([expect.stringMatching(/Property 'titel' does not exist on type 'NotificationCreatedData'/)]);
  }, 60_000);
});

async function compile(usage: string): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'pushline-sdk-types-'));
  try {
    const file = join(dir, 'usage.ts');
    await writeFile(file, usage);
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
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
