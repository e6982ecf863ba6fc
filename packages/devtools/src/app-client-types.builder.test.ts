import { describe, expect, it } from '@jest/globals';
import { appEventTypesOf, buildAppClientTypes } from './app-client-types.builder.js';

describe("an app's client types", () => {
  const message = (app: string, version: number, data: unknown) => ({
    'x-pushline-app': app,
    'x-pushline-version': version,
    payload: { allOf: [{ $ref: '#/components/schemas/CloudEventEnvelope' }, { type: 'object', properties: { data } }] },
  });
  const doc = {
    components: {
      messages: {
        'notification.created': { payload: {} },
        'buddy.task.assigned': message('app-1', 3, { type: 'object', properties: { taskId: { type: 'string' } }, required: ['taskId'] }),
        'other.thing': message('app-2', 1, { type: 'object' }),
      },
    },
  };

  it("takes only that app's messages, with their version and data schema", () => {
    expect(appEventTypesOf(doc, 'app-1')).toEqual([{ type: 'buddy.task.assigned', version: 3, schema: { type: 'object', properties: { taskId: { type: 'string' } }, required: ['taskId'] } }]);
    expect(appEventTypesOf(doc, 'app-3')).toEqual([]);
  });

  it('writes one typed envelope per type, their union and the names at run time', () => {
    const source = buildAppClientTypes('app-1', appEventTypesOf(doc, 'app-1'));
    expect(source).toContain('export type BuddyTaskAssignedData = {\n  taskId: string;\n};');
    expect(source).toContain("export type BuddyTaskAssignedEvent = AppEventEnvelope<'buddy.task.assigned', 3, BuddyTaskAssignedData>;");
    expect(source).toContain('export type AppEvent =\n  | BuddyTaskAssignedEvent;');
    expect(source).toContain("export const APP_EVENT_TYPES = ['buddy.task.assigned'] as const");
    expect(buildAppClientTypes('app-3', [])).toContain('export type AppEvent = never;');
  });
});
