import { Writable } from 'node:stream';

/** A pino destination that keeps every line, for tests that read what was logged. */
export class CapturedLog extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    this.emit('lines');
    done();
  }

  /** Resolves once `test` holds of the lines written so far (checked again after every write). */
  until(test: (lines: readonly string[]) => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!test(this.lines)) return;
        this.off('lines', check);
        resolve();
      };
      this.on('lines', check);
      check();
    });
  }
  get text(): string {
    return this.lines.join('\n');
  }
  records(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}
