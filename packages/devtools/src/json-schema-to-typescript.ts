/** The subset of JSON Schema (draft 7) that zod's `toJSONSchema` emits for event payloads. */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema | readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly description?: string;
  readonly [keyword: string]: unknown;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A TypeScript type for a JSON Schema. Small on purpose: payload schemas are plain data (objects,
 * strings, numbers, enums, nullables, arrays, records); anything it does not know becomes `unknown`,
 * which is always safe for a client to narrow.
 */
export function typeScriptOf(schema: JsonSchema | boolean, indent = ''): string {
  if (schema === true) return 'unknown';
  if (schema === false) return 'never';
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map((s) => parenthesize(typeScriptOf(s, indent))).join(' | ');
  if (schema.allOf) return schema.allOf.map((s) => parenthesize(typeScriptOf(s, indent))).join(' & ');
  if (Array.isArray(schema.type)) {
    return (schema.type as string[]).map((type) => typeScriptOf({ ...schema, type }, indent)).join(' | ');
  }
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      if (Array.isArray(schema.items)) return `[${(schema.items as JsonSchema[]).map((s) => typeScriptOf(s, indent)).join(', ')}]`;
      return `${parenthesize(typeScriptOf((schema.items as JsonSchema | undefined) ?? true, indent))}[]`;
    }
    case 'object':
      return objectType(schema, indent);
    default:
      return 'unknown';
  }
}

function objectType(schema: JsonSchema, indent: string): string {
  const inner = `${indent}  `;
  const required = new Set(schema.required ?? []);
  const lines = Object.entries(schema.properties ?? {}).map(([key, property]) => {
    const name = IDENTIFIER.test(key) ? key : JSON.stringify(key);
    const doc = property.description ? `${inner}/** ${property.description} */\n` : '';
    return `${doc}${inner}${name}${required.has(key) ? '' : '?'}: ${typeScriptOf(property, inner)};`;
  });
  const extra = schema.additionalProperties;
  if (extra !== undefined && extra !== false) lines.push(`${inner}[key: string]: ${typeScriptOf(extra, inner)};`);
  return lines.length === 0 ? 'Record<string, never>' : `{\n${lines.join('\n')}\n${indent}}`;
}

function parenthesize(type: string): string {
  return type.includes(' | ') || type.includes(' & ') ? `(${type})` : type;
}
