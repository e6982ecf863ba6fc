/** The field kinds `--field name:kind[?]` accepts, each with its zod source and a sample value. */
const KINDS = {
  string: { zod: 'z.string().min(1)', sample: (name: string) => `${name}-1`, jsonType: 'string', format: undefined },
  url: { zod: 'z.url()', sample: (name: string) => `https://example.com/${name}`, jsonType: 'string', format: 'uri' },
  email: { zod: 'z.email()', sample: () => 'someone@example.com', jsonType: 'string', format: 'email' },
  uuid: { zod: 'z.uuid()', sample: () => '00000000-0000-4000-8000-000000000001', jsonType: 'string', format: 'uuid' },
  datetime: { zod: 'z.iso.datetime()', sample: () => '2026-01-01T00:00:00.000Z', jsonType: 'string', format: 'date-time' },
  int: { zod: 'z.number().int()', sample: () => 1, jsonType: 'integer', format: undefined },
  number: { zod: 'z.number()', sample: () => 1.5, jsonType: 'number', format: undefined },
  boolean: { zod: 'z.boolean()', sample: () => true, jsonType: 'boolean', format: undefined },
} as const;

export type FieldKind = keyof typeof KINDS;
export const FIELD_KINDS = Object.keys(KINDS) as FieldKind[];

/** One payload field of a generated event type. */
export interface PayloadField {
  readonly name: string;
  readonly kind: FieldKind;
  readonly optional: boolean;
}

const FIELD_NAME = /^[a-z][A-Za-z0-9]*$/;

/** `orderId:string`, `trackingUrl:url?` (a trailing `?` makes it optional); the kind defaults to string. */
export function parseField(spec: string): PayloadField {
  const match = /^([^:]+)(?::([a-z]+))?(\?)?$/.exec(spec.trim());
  const name = match?.[1] ?? '';
  if (!match || !FIELD_NAME.test(name)) throw new Error(`--field "${spec}": write name:kind, e.g. orderId:string or trackingUrl:url?`);
  const kind = (match[2] ?? 'string') as FieldKind;
  if (!(kind in KINDS)) throw new Error(`--field "${spec}": the kind must be one of ${FIELD_KINDS.join(', ')}`);
  return { name, kind, optional: match[3] === '?' };
}

/**
 * The payload's fields: `userId` first (the audience rule delivers to that user), then the given
 * ones in order. Refuses a name given twice.
 */
export function payloadFieldsOf(specs: readonly string[]): PayloadField[] {
  const fields: PayloadField[] = [{ name: 'userId', kind: 'string', optional: false }];
  for (const field of specs.map(parseField)) {
    if (field.name === 'userId') continue;
    if (fields.some((f) => f.name === field.name)) throw new Error(`--field ${field.name} is given twice`);
    fields.push(field);
  }
  return fields;
}

export function zodSourceOf(field: PayloadField): string {
  return `${field.name}: ${KINDS[field.kind].zod}${field.optional ? '.optional()' : ''},`;
}

export function sampleValueOf(field: PayloadField): string | number | boolean {
  return KINDS[field.kind].sample(field.name);
}

/** A sample value that breaks the field's type: a number for text, text for numbers and flags. */
export function wrongValueOf(field: PayloadField): string | number {
  return KINDS[field.kind].jsonType === 'string' ? 12345 : 'not-a-value';
}

interface JsonSchemaProperty {
  readonly type?: string;
  readonly format?: string;
}

/**
 * Reads the fields back from an event type's JSON Schema (zod's `z.toJSONSchema` of its payload), so the
 * use-case scaffold works for any declared type, generated or hand-written. Kinds it does not know
 * become `string` samples only when the schema says string; anything else is refused.
 */
export function payloadFieldsFromJsonSchema(schema: { properties?: Record<string, JsonSchemaProperty>; required?: readonly string[] }): PayloadField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const kind = FIELD_KINDS.find((k) => KINDS[k].jsonType === property.type && KINDS[k].format === property.format) ??
      (property.type === 'string' ? 'string' : undefined);
    if (!kind) throw new Error(`payload field ${name} (${property.type ?? 'no type'}) has no sample kind; write the route by hand`);
    return { name, kind, optional: !required.has(name) };
  });
}
