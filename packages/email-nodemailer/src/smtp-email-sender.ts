import { ChannelSendError, type ChannelMessage, type NotificationChannelSender } from '@pushline/domain';
import { createTransport } from 'nodemailer';
import { emailContentOf } from './email-content.js';
import type { HmacUnsubscribeTokens } from './unsubscribe-tokens.js';

export interface SmtpSettings {
  /** `smtp://user:pass@host:port` or `smtps://…`; otherwise host and port. */
  readonly url?: string;
  readonly host?: string;
  readonly port?: number;
  readonly secure?: boolean;
  readonly user?: string;
  readonly pass?: string;
  /** `From:` of every email, e.g. `Pushline <no-reply@example.com>`. */
  readonly from: string;
  /** Bounds one SMTP exchange, so a hung server cannot hold a worker. */
  readonly timeoutMs?: number;
}

export interface SmtpEmailSenderDeps {
  /** The user's address; null when the user is gone or disabled (nothing to retry). */
  readonly recipientOf: (userId: string) => Promise<string | null>;
  /** Where links in an email point: the API's public URL (`PUBLIC_URL`). Read at send time. */
  readonly publicUrl: () => string;
  readonly tokens: HmacUnsubscribeTokens;
  /** Whether a category is critical (cannot be muted: no unsubscribe link). */
  readonly isCritical: (category: string) => boolean;
}

/**
 * The email channel: one SMTP message per channel message (nodemailer), HTML and text, subject = the
 * title, with RFC 8058 one-click unsubscribe headers for the category. An SMTP 5xx answer to the
 * message is permanent (not retried); a 4xx, a refused or dropped connection, or a timeout is retried.
 */
export class SmtpEmailSender implements NotificationChannelSender {
  readonly channel = 'email' as const;
  private readonly transport: ReturnType<typeof createTransport>;

  constructor(
    private readonly settings: SmtpSettings,
    private readonly deps: SmtpEmailSenderDeps,
  ) {
    const timeout = settings.timeoutMs ?? 30_000;
    const bounds = { connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout };
    this.transport = settings.url
      ? createTransport({ url: settings.url, ...bounds })
      : createTransport({
          host: settings.host,
          port: settings.port ?? 587,
          secure: settings.secure ?? false,
          ...(settings.user && { auth: { user: settings.user, pass: settings.pass ?? '' } }),
          ...bounds,
        });
  }

  async send(message: ChannelMessage): Promise<void> {
    const to = await this.deps.recipientOf(message.userId);
    if (!to) throw new ChannelSendError('the user has no address to email (deleted or disabled)', false);
    const base = this.deps.publicUrl().replace(/\/+$/, '');
    const unsubscribe = this.deps.isCritical(message.category)
      ? null
      : `${base}/api/v1/unsubscribe?token=${encodeURIComponent(this.deps.tokens.sign({ userId: message.userId, category: message.category, channel: 'email' }))}`;
    const content = emailContentOf(message, {
      ...(message.action && { action: { label: message.action.label, url: new URL(message.action.url, `${base}/`).toString() } }),
      unsubscribe,
      inbox: `${base}/`,
    });
    try {
      await this.transport.sendMail({
        from: this.settings.from,
        to,
        subject: content.subject,
        text: content.text,
        html: content.html,
        ...(unsubscribe && { list: { unsubscribe: { url: unsubscribe, comment: `Stop emails about ${message.category}` } } }),
        headers: {
          ...(unsubscribe && { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }),
          // The notification ids, so a support person can find the send records of an email.
          'X-Pushline-Notifications': message.notificationIds.slice(0, 20).join(','),
        },
      });
    } catch (error) {
      throw classify(error);
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** SMTP reply codes 5xx are permanent (RFC 5321), except a failed login: that is the operator's to fix. */
function classify(error: unknown): ChannelSendError {
  const e = error as { responseCode?: number; code?: string; message?: string };
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const permanent = code !== undefined && code >= 500 && code < 600 && e.code !== 'EAUTH';
  return new ChannelSendError(`smtp: ${(e.message ?? String(error)).slice(0, 300)}`, !permanent);
}
