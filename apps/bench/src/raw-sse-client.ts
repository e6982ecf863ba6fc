import { request, type ClientRequest } from 'node:http';

export interface ReceivedFrame {
  readonly cursor: number;
  readonly type: string;
  readonly data: string;
  readonly receivedAt: number;
}

/**
 * A minimal SSE reader over raw HTTP: cheaper than a full EventSource per device, so the benchmark
 * measures the server rather than 500 client parsers.
 */
export class RawSseClient {
  private buffer = '';
  private req: ClientRequest | undefined;
  frames = 0;

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly onFrame: (frame: ReceivedFrame) => void,
  ) {}

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.req = request(this.url, { headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' } }, (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`stream refused: ${res.statusCode}`));
          res.resume();
          return;
        }
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => this.consume(chunk));
        resolve();
      });
      this.req.on('error', reject);
      this.req.end();
    });
  }

  close(): void {
    this.req?.destroy();
  }

  private consume(chunk: string): void {
    this.buffer += chunk;
    let end = this.buffer.indexOf('\n\n');
    while (end !== -1) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      end = this.buffer.indexOf('\n\n');
      let id = '';
      let type = '';
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('event: ')) type = line.slice(7);
        else if (line.startsWith('data: ')) data = line.slice(6);
      }
      if (!id) continue;
      this.frames += 1;
      this.onFrame({ cursor: Number(id), type, data, receivedAt: Date.now() });
    }
  }
}
