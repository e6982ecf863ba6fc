import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The last cursor `pushline tail` printed, kept so the next run resumes after it. */
export class CursorFile {
  constructor(readonly path: string) {}

  read(): number | undefined {
    try {
      const text = readFileSync(this.path, 'utf8').trim();
      return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Written whole, then renamed: a run killed mid-write leaves the previous cursor, never half a number. */
  write(cursor: number): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${cursor}\n`);
    renameSync(temporary, this.path);
  }
}
