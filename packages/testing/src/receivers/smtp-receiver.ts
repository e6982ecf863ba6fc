import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { Conditions } from '../conditions.js';

export interface ReceivedEmail {
  readonly from: string;
  readonly to: readonly string[];
  /** Parsed by `mailparser` (the receiving side's library, not our code). */
  readonly mail: ParsedMail;
  readonly raw: string;
}

/** How the server answers the `n`-th message (0-based): accept it, or refuse it with an SMTP code. */
export type SmtpBehaviour = (n: number) => { readonly accept: true } | { readonly accept: false; readonly code: number; readonly message: string };

/**
 * A real SMTP server (the `smtp-server` package) on loopback, without TLS or authentication, that
 * parses every message it accepts with `mailparser` and counts every message offered, refused or not.
 */
export class SmtpReceiver {
  readonly received: ReceivedEmail[] = [];
  /** Messages offered, accepted or refused. */
  offered = 0;
  private readonly conditions = new Conditions();

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
    private behaviour: SmtpBehaviour,
  ) {}

  static async start(options: { behaviour?: SmtpBehaviour } = {}): Promise<SmtpReceiver> {
    let receiver: SmtpReceiver | undefined;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      // Bounded: a test message is small.
      size: 1024 * 1024,
      onData(stream, session: SMTPServerSession, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const r = receiver!;
          const answer = r.behaviour(r.offered++);
          r.conditions.notify();
          if (!answer.accept) {
            callback(Object.assign(new Error(answer.message), { responseCode: answer.code }));
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw).then(
            (mail) => {
              r.received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((a) => a.address), mail, raw });
              r.conditions.notify();
              callback();
            },
            (err: Error) => callback(err),
          );
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as AddressInfo;
    receiver = new SmtpReceiver(server, port, options.behaviour ?? (() => ({ accept: true })));
    return receiver;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  behave(behaviour: SmtpBehaviour): void {
    this.behaviour = behaviour;
  }

  waitForEmails(count: number, timeoutMs = 15_000): Promise<void> {
    return this.conditions.waitUntil(() => this.received.length >= count, () => `${count} emails (got ${this.received.length})`, timeoutMs);
  }

  waitForOffers(count: number, timeoutMs = 15_000): Promise<void> {
    return this.conditions.waitUntil(() => this.offered >= count, () => `${count} messages offered (got ${this.offered})`, timeoutMs);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The RFC 8058 headers of a received email, read from its raw header lines (unfolded). */
export function listUnsubscribeOf(mail: ParsedMail): { readonly url: string; readonly oneClick: boolean } | null {
  const line = (name: string) => mail.headerLines.find((h) => h.key === name)?.line.replace(/\r?\n(?=[ \t])/g, '');
  const url = /^List-Unsubscribe:\s*<([^>]+)>/i.exec(line('list-unsubscribe') ?? '')?.[1];
  if (!url) return null;
  return { url, oneClick: /^List-Unsubscribe-Post:\s*List-Unsubscribe=One-Click$/i.test(line('list-unsubscribe-post') ?? '') };
}
