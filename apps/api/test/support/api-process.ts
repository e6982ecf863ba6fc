import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TEST_JWT_SECRET } from './test-api.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../../..');
const mainTs = path.join(repoRoot, 'apps/api/src/main.ts');
// The same TypeScript hooks the devtools run on (decision 6): @swc/core strips types per file.
const registerLoader = pathToFileURL(path.join(repoRoot, 'packages/devtools/src/register-ts.mjs')).href;

export interface ApiProcessOptions {
  /** PostgreSQL the process uses (several processes may share one). */
  readonly databaseUrl: string;
  /** Extra or overriding environment variables (REDIS_URL, OUTBOX_POLL_MS, LOG_LEVEL, …). */
  readonly env?: Record<string, string>;
  /** Rejects `start` when the process has not printed its URL by then. Default 30 s. */
  readonly startTimeoutMs?: number;
  /** Run the API of another copy of the sources (the generator test's); default this repository. */
  readonly root?: string;
}

/**
 * The API as a real child process: `apps/api/src/main.ts` run from sources (swc loader, no build), on
 * the given database and a free port (PORT=0; the URL is parsed from its "listening on <url>" line).
 * Defaults: NODE_ENV=test, the e2e JWT secret, demo users seeded, LOG_LEVEL=warn; `env` overrides
 * any of them. stdout/stderr are captured for assertions and failure messages.
 */
export class ApiProcess {
  stdout = '';
  stderr = '';
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly child: ChildProcess,
    private readonly output: { onLine?: (line: string) => void },
  ) {
    let partial = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.output.onLine?.(line);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      }),
    );
  }

  /** Base URL, e.g. `http://127.0.0.1:41234`; set once `start` resolved. */
  url = '';

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** True once the process has exited (for whatever reason). */
  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  static async start(options: ApiProcessOptions): Promise<ApiProcess> {
    const child = spawn(
      process.execPath,
      ['--conditions=@pushline/source', '--no-warnings', `--import=${registerLoader}`, options.root ? path.join(options.root, 'apps/api/src/main.ts') : mainTs],
      {
        cwd: options.root ?? repoRoot,
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'test',
          PORT: '0',
          HOST: '127.0.0.1',
          JWT_SECRET: TEST_JWT_SECRET,
          SEED_DEMO: '1',
          LOG_LEVEL: 'warn',
          DATABASE_URL: options.databaseUrl,
          ...options.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const output: { onLine?: (line: string) => void } = {};
    const api = new ApiProcess(child, output);
    const timeoutMs = options.startTimeoutMs ?? 30_000;
    try {
      api.url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`API process did not start within ${timeoutMs} ms`)), timeoutMs);
        output.onLine = (line) => {
          const match = /listening on (http:\/\/\S+)/.exec(line);
          if (!match?.[1]) return;
          clearTimeout(timer);
          resolve(match[1]);
        };
        void api.exited.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(new Error(`API process exited before listening (code ${code}, signal ${signal})`));
        });
      });
    } catch (error) {
      child.kill('SIGKILL');
      await api.exited;
      throw new Error(`${(error as Error).message}\nstderr:\n${api.stderr}\nstdout:\n${api.stdout}`);
    } finally {
      delete output.onLine;
    }
    return api;
  }

  /** Sends a signal (SIGTERM for a graceful stop, SIGKILL for a crash). */
  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (!this.hasExited) this.child.kill(signal);
  }

  /** Resolves with the exit code and signal; rejects after `timeoutMs` (a failure bound). */
  waitForExit(timeoutMs = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`API process ${this.pid} still running after ${timeoutMs} ms\nstderr:\n${this.stderr}`)), timeoutMs);
    });
    return Promise.race([this.exited, timeout]).finally(() => clearTimeout(timer));
  }

  /** Stops the process if still running: SIGTERM, then SIGKILL after `graceMs`. Safe to call twice. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.hasExited) return;
    this.child.kill('SIGTERM');
    try {
      await this.waitForExit(graceMs);
    } catch {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}
