import type { AppEventType } from '@pushline/domain';

/** A JSON document, walked by key. */
type Doc = Record<string, any>;

/**
 * The catalog's AsyncAPI document (docs/asyncapi.json) with an app's declared event types added as
 * messages of both stream channels: the newest version of each type, its JSON Schema as `data`.
 */
export function withAppEventTypes(base: Doc, appId: string, declared: readonly AppEventType[]): Doc {
  const doc = structuredClone(base) as Doc;
  const newest = new Map<string, AppEventType>();
  for (const type of declared) if ((newest.get(type.type)?.version ?? 0) < type.version) newest.set(type.type, type);
  doc.info = { ...doc.info, title: `${String(doc.info?.title ?? 'Pushline')}, with the event types of app ${appId}` };
  for (const type of newest.values()) {
    doc.components.messages[type.type] = {
      name: type.type,
      title: type.type,
      summary: `Declared by app ${appId} (POST /api/v1/apps/${appId}/event-types).`,
      description: `Version ${type.version}, delivery \`must-deliver\`. Envelope \`source\`: /pushline/apps/${appId}; \`appid\`: ${appId}.`,
      contentType: 'application/json',
      payload: {
        allOf: [
          { $ref: '#/components/schemas/CloudEventEnvelope' },
          { type: 'object', properties: { type: { const: type.type }, dataversion: { const: type.version }, data: type.schema } },
        ],
      },
      'x-pushline-version': type.version,
      'x-pushline-delivery': 'must-deliver',
      'x-pushline-app': appId,
    };
    for (const [name, channel] of Object.entries<Doc>(doc.channels)) {
      channel.messages[type.type] = { $ref: `#/components/messages/${type.type}` };
      for (const operation of Object.values<Doc>(doc.operations)) {
        if (operation.channel?.$ref === `#/channels/${name}`) operation.messages.push({ $ref: `#/channels/${name}/messages/${type.type}` });
      }
    }
  }
  return doc;
}
