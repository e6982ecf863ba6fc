import type {
  AppAuthorization,
  AppAuthorizer,
  AppScope,
  WebhookDestinationCheck,
  WebhookRequest,
  WebhookResponse,
  WebhookSecretGenerator,
  WebhookSender,
} from '@pushline/domain';

/** Records every request and answers what the test says (default 200). */
export class RecordingWebhookSender implements WebhookSender {
  readonly requests: WebhookRequest[] = [];

  constructor(private answer: (request: WebhookRequest, n: number) => Partial<WebhookResponse> = () => ({ statusCode: 200 })) {}

  answerWith(answer: (request: WebhookRequest, n: number) => Partial<WebhookResponse>): void {
    this.answer = answer;
  }

  async send(request: WebhookRequest): Promise<WebhookResponse> {
    const n = this.requests.push(request) - 1;
    return { statusCode: null, durationMs: 1, error: null, responseBody: null, ...this.answer(request, n) };
  }
}

/** `whsec_test-1`, `whsec_test-2`, … (not valid base64 keys: for tests that never sign). */
export class SequentialWebhookSecrets implements WebhookSecretGenerator {
  private n = 0;
  next(): string {
    this.n += 1;
    return `whsec_test-${this.n}`;
  }
}

/** Refuses the hosts it is given; accepts the rest. */
export class FakeDestinationCheck implements WebhookDestinationCheck {
  constructor(private readonly refusedHosts: readonly string[] = []) {}
  async refusal(url: URL): Promise<string | null> {
    return this.refusedHosts.includes(url.hostname) ? `${url.hostname} is refused` : null;
  }
}

/** Keys the test hands out: each acts for one app with some scopes. */
export class FakeAppAuthorizer implements AppAuthorizer {
  private readonly keys = new Map<string, { appId: string; tenantId: string; scopes: readonly AppScope[] }>();

  grant(key: string, appId: string, scopes: readonly AppScope[], tenantId = 'tenant-test'): this {
    this.keys.set(key, { appId, tenantId, scopes });
    return this;
  }

  async authorize(credential: string | undefined, appId: string, scope: AppScope): Promise<AppAuthorization> {
    const key = credential ? this.keys.get(credential) : undefined;
    if (!key) return { ok: false, reason: 'unauthenticated' };
    if (key.appId !== appId) return { ok: false, reason: 'not_found' };
    if (!key.scopes.includes(scope)) return { ok: false, reason: 'forbidden' };
    return { ok: true, appId, tenantId: key.tenantId };
  }
}
