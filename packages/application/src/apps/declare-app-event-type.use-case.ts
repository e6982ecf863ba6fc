import {
  ConflictError,
  ValidationError,
  type AppEventType,
  type AppEventTypeRepository,
  type AppPrincipal,
  type Clock,
  type JsonSchemaValidator,
} from '@pushline/domain';
import { requireScope } from './authenticate-app.use-case.js';

const TYPE_NAME = /^[a-z][a-z0-9]*(\.[a-z][a-z0-9_]*)+$/;
const SCHEMA_MAX_BYTES = 32 * 1024;

export interface DeclareAppEventTypeInput {
  readonly type: string;
  readonly version: number;
  readonly schema: Record<string, unknown>;
}

/** An app declares one of its event types: `<slug>.…`, a version, and a JSON Schema for `data`. Versions never change. */
export class DeclareAppEventType {
  constructor(
    private readonly types: AppEventTypeRepository,
    private readonly validator: JsonSchemaValidator,
    private readonly clock: Clock,
  ) {}

  async execute(principal: AppPrincipal, input: DeclareAppEventTypeInput): Promise<AppEventType> {
    requireScope(principal, 'events:publish');
    if (!TYPE_NAME.test(input.type) || input.type.length > 200) throw new ValidationError('type', 'type must be dotted lowercase, e.g. workbuddy.task.assigned');
    if (!input.type.startsWith(`${principal.slug}.`)) throw new ValidationError('type', `type must start with the app's slug: ${principal.slug}.`);
    if (!Number.isInteger(input.version) || input.version < 1) throw new ValidationError('version', 'version must be a positive integer');
    if (Buffer.byteLength(JSON.stringify(input.schema)) > SCHEMA_MAX_BYTES) throw new ValidationError('schema', `schema must serialize to at most ${SCHEMA_MAX_BYTES} bytes`);
    const [problem] = this.validator.checkSchema(input.schema);
    if (problem) throw new ValidationError(problem.path ? `schema.${problem.path}` : 'schema', `schema is not a valid JSON Schema: ${problem.message}`);
    const declared = { tenantId: principal.tenantId, appId: principal.appId, ...input, createdAt: this.clock.now() };
    if (!(await this.types.create(declared))) throw new ConflictError(`${input.type} version ${input.version} is already declared`, { code: 'version_exists', field: 'version' });
    return declared;
  }
}
