import {
  APP_LIMITS,
  ValidationError,
  type AppAudience,
  type AppEventTypeRepository,
  type AppInstallationRepository,
  type AppPrincipal,
  type Clock,
  type EventFactory,
  type JsonSchemaValidator,
  type RequestContext,
  type UnitOfWork,
} from '@pushline/domain';
import { requireScope } from './authenticate-app.use-case.js';
import { idempotently, type IdempotencyInput } from './idempotently.js';
import { resolveAppRecipients } from './resolve-app-recipients.js';

export interface PublishAppEventInput {
  readonly type: string;
  /** Declared version of `type`; the newest when omitted. */
  readonly version?: number;
  readonly subject: string;
  readonly data: unknown;
  readonly audience: AppAudience;
  readonly idempotency?: IdempotencyInput;
}

export interface PublishedAppEvent {
  readonly id: string;
  readonly recipients: number;
}

/**
 * An app publishes one of its declared event types to users who installed it: validated against the
 * type's JSON Schema, then one transaction for every recipient's stream (all or nothing).
 */
export class PublishAppEvent {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly installations: AppInstallationRepository,
    private readonly types: AppEventTypeRepository,
    private readonly validator: JsonSchemaValidator,
    private readonly events: EventFactory,
    private readonly clock: Clock,
  ) {}

  async execute(principal: AppPrincipal, input: PublishAppEventInput, context: RequestContext = {}): Promise<PublishedAppEvent> {
    requireScope(principal, 'events:publish');
    if (input.subject.length === 0 || input.subject.length > APP_LIMITS.subjectMax) {
      throw new ValidationError('subject', `subject must be 1 to ${APP_LIMITS.subjectMax} characters`);
    }
    if (Buffer.byteLength(JSON.stringify(input.data ?? null)) > APP_LIMITS.dataMaxBytes) {
      throw new ValidationError('data', `data must serialize to at most ${APP_LIMITS.dataMaxBytes} bytes`);
    }
    const declared = await this.types.find(principal.appId, input.type, input.version);
    if (!declared) throw new ValidationError('type', `${input.type}${input.version ? ` version ${input.version}` : ''} is not a declared event type of this app`);
    const schemaId = `${declared.appId}/${declared.type}/${declared.version}`;
    const [issue] = this.validator.validate(schemaId, declared.schema, input.data);
    if (issue) throw new ValidationError(issue.path ? `data.${issue.path}` : 'data', `data${issue.path ? `.${issue.path}` : ''} ${issue.message}`);
    const recipients = await resolveAppRecipients(this.installations, principal, input.audience);

    const event = this.events.stamp(
      { type: declared.type, version: declared.version, subject: input.subject, data: input.data, source: `/pushline/apps/${principal.appId}`, appid: principal.appId },
      { ...context, tenantId: principal.tenantId },
    );
    return this.unitOfWork.run((tx) =>
      idempotently(tx, `app:${principal.appId}:events`, principal.tenantId, input.idempotency, this.clock.now(), async () => {
        if (recipients.length > 0) await tx.events.publishTo(recipients, [event]);
        return { id: event.id, recipients: recipients.length };
      }),
    );
  }
}
