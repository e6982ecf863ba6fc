import type { DeliveryPolicy, EventType } from '@pushline/domain';
import { z } from 'zod';
import { eventNamesOf } from './event-name.js';
import type { JsonSchema } from './json-schema-to-typescript.js';
import { typeScriptOf } from './json-schema-to-typescript.js';

/** JSON Schema (draft 7, as AsyncAPI's default schema format expects) of what a client receives as `data`. */
export function payloadSchemaOf(type: EventType): JsonSchema {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(type.schema, { target: 'draft-7', io: 'output', unrepresentable: 'any' });
  return schema as JsonSchema;
}

const DELIVERY_NOTES: Record<DeliveryPolicy, string> = {
  'must-deliver': 'Stored; replayed after a reconnect; every event reaches every device.',
  'latest-wins':
    'Stored; a device that is behind (replaying, or reading slowly) gets only the newest event per subject. Skipped ones still count as seen.',
  ephemeral: 'Never stored or replayed; pushed only to devices connected at that moment. SSE frames carry no `id:`.',
};

/** CloudEvents 1.0 attributes of every envelope; `type`, `dataversion` and `data` are narrowed per message. */
const ENVELOPE: JsonSchema = {
  type: 'object',
  description: 'CloudEvents 1.0 envelope (JSON event format) with Pushline extension attributes. See docs/events.md.',
  required: ['specversion', 'id', 'source', 'type', 'dataversion', 'time', 'subject', 'datacontenttype', 'data'],
  properties: {
    specversion: { const: '1.0', description: 'CloudEvents version.' },
    id: { type: 'string', description: 'Unique per event; drop duplicates by it (delivery is at-least-once).' },
    source: { type: 'string', format: 'uri-reference', description: 'Producing service, e.g. /pushline/api.' },
    type: { type: 'string', description: 'Event type from the catalog, e.g. notification.created.' },
    dataversion: { type: 'integer', minimum: 1, description: 'Version of the payload shape of `type` (extension).' },
    time: { type: 'string', format: 'date-time', description: 'When it happened.' },
    subject: { type: 'string', description: 'Id of the entity the event is about.' },
    datacontenttype: { const: 'application/json' },
    data: { description: 'The payload; its shape is given per event type.' },
    correlationid: { type: 'string', description: 'Request id of the call that started the chain (extension).' },
    causationid: { type: 'string', description: 'Id of the request or event that directly caused this one (extension).' },
    deviceid: { type: 'string', description: 'Device whose request caused the event (extension).' },
  },
};

const CONTROL_MESSAGES: Record<string, { summary: string; payload: JsonSchema }> = {
  'stream.reset': {
    summary: 'Your cursor is older than what is kept, or unknown: reload state, then keep listening.',
    payload: {
      type: 'object',
      required: ['reason', 'cursor'],
      properties: {
        reason: { enum: ['cursor_expired', 'cursor_unknown'] },
        cursor: { type: 'integer', minimum: 0, description: 'Where the stream continues.' },
        stream: { enum: ['tenant'], description: "Present when it is the tenant's broadcast stream that was cut; `cursor` is then its cursor." },
      },
    },
  },
  'stream.position': {
    summary:
      'Where this stream starts, sent first when you connected without that position (no Last-Event-ID, or one that was reset): resume from it if you drop before the next event. Over SSE it is also the frame\'s `id`.',
    payload: { type: 'object', required: ['position'], properties: { position: { type: 'string', description: 'A position id (`41` or `41.7`), as events carry.' } } },
  },
  'stream.reauth': {
    summary: 'The token expires soon: log in again, then reconnect with the new token and the last cursor.',
    payload: { type: 'object', required: ['expiresAt'], properties: { expiresAt: { type: 'string', format: 'date-time' } } },
  },
  'stream.closed': {
    summary: 'The server is ending the stream; `reconnect` says whether to reconnect.',
    payload: {
      type: 'object',
      required: ['reason', 'reconnect'],
      properties: {
        reason: { enum: ['token_expired', 'session_revoked', 'slow_consumer', 'shutdown', 'unavailable'] },
        reconnect: { type: 'boolean' },
      },
    },
  },
};

/** The AsyncAPI 3.0 document of the event stream, from the catalog. */
export function buildAsyncApiDocument(types: readonly EventType[]): Record<string, unknown> {
  const messages: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = { CloudEventEnvelope: ENVELOPE };
  for (const type of types) {
    const { pascalName } = eventNamesOf(type.name);
    schemas[`${pascalName}Data`] = payloadSchemaOf(type);
    messages[type.name] = {
      name: type.name,
      title: type.name,
      summary: type.description,
      description: `Version ${type.version}, delivery \`${type.delivery}\`: ${DELIVERY_NOTES[type.delivery]} On SSE: \`event: ${type.name}\`, \`id:\` the cursor${type.delivery === 'ephemeral' ? ' (none for this type)' : ''}, \`data:\` this envelope.`,
      contentType: 'application/json',
      payload: {
        allOf: [
          { $ref: '#/components/schemas/CloudEventEnvelope' },
          {
            type: 'object',
            properties: {
              type: { const: type.name },
              dataversion: { const: type.version },
              data: { $ref: `#/components/schemas/${pascalName}Data` },
            },
          },
        ],
      },
      'x-pushline-version': type.version,
      'x-pushline-delivery': type.delivery,
    };
  }
  for (const [name, control] of Object.entries(CONTROL_MESSAGES)) {
    messages[name] = { name, title: name, summary: control.summary, contentType: 'application/json', payload: control.payload, 'x-pushline-control': true };
  }
  const channelMessages = Object.fromEntries(Object.keys(messages).map((name) => [name, { $ref: `#/components/messages/${name}` }]));
  const operationMessages = (channel: string) => Object.keys(messages).map((name) => ({ $ref: `#/channels/${channel}/messages/${name}` }));
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Pushline event stream',
      version: '1.0.0',
      description:
        "Every event meant for the authenticated user, live, on every device. Generated from the event catalog by `npm run docs:events`; do not edit. Envelopes follow CloudEvents 1.0 (docs/events.md).",
    },
    defaultContentType: 'application/json',
    servers: {
      http: { host: 'localhost:3000', protocol: 'http', description: 'The API (Server-Sent Events).', security: securityRefs() },
      ws: { host: 'localhost:3000', protocol: 'ws', description: 'The API (WebSocket).', security: securityRefs() },
    },
    channels: {
      stream: {
        address: '/api/v1/stream',
        title: 'Server-Sent Events stream',
        description:
          'text/event-stream. Each event is one frame: `id:` its cursor (gap-free per user; absent for ephemeral events and control frames), `event:` its type, `data:` the envelope. Resume with `Last-Event-ID` or `?lastEventId=`. See docs/streaming.md.',
        servers: [{ $ref: '#/servers/http' }],
        messages: channelMessages,
      },
      ws: {
        address: '/api/v1/ws',
        title: 'WebSocket stream',
        description:
          'The same messages as JSON text frames: `{"id": "<cursor>", "type": "<event type>", "data": <envelope>}` (no `id` for ephemeral events) and `{"type": "<control>", "data": {...}}` for control messages.',
        servers: [{ $ref: '#/servers/ws' }],
        messages: channelMessages,
      },
    },
    operations: {
      sendStreamEvents: {
        action: 'send',
        title: 'Push events over SSE',
        channel: { $ref: '#/channels/stream' },
        messages: operationMessages('stream'),
      },
      sendWsEvents: {
        action: 'send',
        title: 'Push events over WebSocket',
        channel: { $ref: '#/channels/ws' },
        messages: operationMessages('ws'),
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Apps and scripts: Authorization: Bearer <accessToken>.' },
        cookie: { type: 'httpApiKey', in: 'cookie', name: 'pushline_session', description: 'Browsers: the HTTP-only session cookie.' },
      },
      schemas,
      messages,
    },
  };
}

function securityRefs(): unknown[] {
  return [{ $ref: '#/components/securitySchemes/bearer' }, { $ref: '#/components/securitySchemes/cookie' }];
}

/**
 * The generic CloudEvents 1.0 envelope interface of generated client types: the attributes every
 * event has, then `extra` (one declaration per line, e.g. `'deviceid?: string;'`).
 */
export function envelopeInterfaceLines(name: string, doc: string, extra: readonly string[]): string[] {
  return [
    `/** ${doc} */`,
    `export interface ${name}<TType extends string, TVersion extends number, TData> {`,
    "  specversion: '1.0';",
    '  /** Unique per event; drop duplicates by it. */',
    '  id: string;',
    '  source: string;',
    '  type: TType;',
    '  /** Version of the payload shape of `type`. */',
    '  dataversion: TVersion;',
    '  time: string;',
    '  subject: string;',
    "  datacontenttype: 'application/json';",
    '  data: TData;',
    ...extra.map((line) => `  ${line}`),
    '}',
  ];
}

/** TypeScript declarations for clients: one envelope type per event type and their discriminated union. */
export function buildClientTypes(types: readonly EventType[]): string {
  const out: string[] = [
    '// Generated from the event catalog by `npm run docs:events`. Do not edit: change the declarations in',
    '// packages/domain and regenerate. Narrow `PushlineEvent` on `type`.',
    '',
    ...envelopeInterfaceLines('PushlineEnvelope', 'The CloudEvents 1.0 envelope every event travels in (docs/events.md).', [
      'correlationid?: string;',
      'causationid?: string;',
      'deviceid?: string;',
    ]),
    '',
  ];
  const names: string[] = [];
  for (const type of types) {
    const { pascalName } = eventNamesOf(type.name);
    names.push(`${pascalName}Event`);
    out.push(`/** ${type.description} (v${type.version}, ${type.delivery}) */`);
    out.push(`export type ${pascalName}Data = ${typeScriptOf(payloadSchemaOf(type))};`);
    out.push(`export type ${pascalName}Event = PushlineEnvelope<'${type.name}', ${type.version}, ${pascalName}Data>;`, '');
  }
  out.push('/** Every event a stream can carry, discriminated by `type`. */');
  out.push(`export type PushlineEvent =\n${names.map((n) => `  | ${n}`).join('\n')};`, '');
  out.push("export type PushlineEventType = PushlineEvent['type'];", '');
  out.push('/** The event of one type: `PushlineEventOf<\'notification.created\'>`. */');
  out.push('export type PushlineEventOf<T extends PushlineEventType> = Extract<PushlineEvent, { type: T }>;', '');
  out.push('/** How the server treats each type (see docs/events.md). */');
  out.push(`export interface PushlineDeliveryPolicies {\n${types.map((t) => `  '${t.name}': '${t.delivery}';`).join('\n')}\n}`, '');
  out.push('/** Control messages beside the events (no cursor). */');
  out.push(
    `export type StreamControlMessage =\n${Object.entries(CONTROL_MESSAGES)
      .map(([name, c]) => `  | { type: '${name}'; data: ${typeScriptOf(c.payload, '  ')} }`)
      .join('\n')};`,
    '',
  );
  return out.join('\n');
}

/**
 * The SDK's copy of the client types (packages/client), from the same declarations as
 * docs/client-types.d.ts, plus the runtime list of type names: an SSE client must name each event type
 * it listens to (`EventSource` delivers named events only to their own listeners).
 */
export function buildClientSdkTypes(types: readonly EventType[]): string {
  const body = buildClientTypes(types).replace(
    '// Generated from the event catalog by `npm run docs:events`.',
    '// Generated from the event catalog by `npm run docs:events` (packages/devtools).',
  );
  return [
    body,
    '/** Every catalog type, at run time: the SSE transport listens to each of them. */',
    `export const PUSHLINE_EVENT_TYPES = [\n${types.map((t) => `  '${t.name}',`).join('\n')}\n] as const satisfies readonly PushlineEventType[];`,
    '',
    '/** The control messages, at run time. */',
    `export const STREAM_CONTROL_TYPES = [${Object.keys(CONTROL_MESSAGES).map((n) => `'${n}'`).join(', ')}] as const satisfies readonly StreamControlMessage['type'][];`,
    '',
  ].join('\n');
}

/** The catalog table of docs/events.md. */
export function buildCatalogTable(types: readonly EventType[]): string {
  const rows = types.map((t) => `| \`${t.name}\` | ${t.version} | ${t.delivery} | ${t.description.replaceAll('|', '\\|')} |`);
  return ['| type | version | delivery | what it means |', '| --- | --- | --- | --- |', ...rows, ''].join('\n');
}
