import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The last cursor `pushline tail` printed, kept so the next run resumes after it. */
export class CursorFile {
  constructor(readonly path: string) {}

  /** The saved stream id (`41`, or `41.7` with the tenant's broadcasts). */
  read(): string | undefined {
    try {
      const text = readFileSync(this.path, 'utf8').trim();
      return /^\d{1,15}(\.\d{1,15})?$/.test(text) ? text : undefined;
    } catch {
      return undefined;
    }
  }

  /** Written whole, then renamed: a run killed mid-write leaves the previous cursor, never half a number. */
  write(cursor: string): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${cursor}\n`);
    renameSync(temporary, this.path);
  }
}
