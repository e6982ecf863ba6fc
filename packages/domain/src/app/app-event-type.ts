/** An event type an app declared: `type` starts with the app's slug and a dot; `schema` is a JSON Schema for `data`. */
export interface AppEventType {
  readonly tenantId: string;
  readonly appId: string;
  readonly type: string;
  readonly version: number;
  readonly schema: Record<string, unknown>;
  readonly createdAt: Date;
}

export interface AppEventTypeRepository {
  /** False (nothing stored) when that type already has that version: declared versions never change. */
  create(type: AppEventType): Promise<boolean>;
  /** The given version, or the highest one when `version` is omitted. */
  find(appId: string, type: string, version?: number): Promise<AppEventType | null>;
  /** Every declared type and version of the app, for its AsyncAPI document. */
  listByApp(appId: string): Promise<readonly AppEventType[]>;
}

/** One problem a JSON Schema found in a value; `path` is dotted (`data.task.id`). */
export interface SchemaIssue {
  readonly path: string;
  readonly message: string;
}

/** Validates values against JSON Schemas (compiled once per schema). */
export interface JsonSchemaValidator {
  /** Problems of the schema itself (not a valid JSON Schema), empty when it is fine. */
  checkSchema(schema: Record<string, unknown>): readonly SchemaIssue[];
  validate(schemaId: string, schema: Record<string, unknown>, value: unknown): readonly SchemaIssue[];
}
