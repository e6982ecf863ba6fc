import { describe, expect, it } from '@jest/globals';
import { AjvJsonSchemaValidator } from './ajv-json-schema-validator.js';

const taskAssigned = {
  type: 'object',
  properties: { taskId: { type: 'string', minLength: 1 }, due: { type: 'string', format: 'date-time' }, assignee: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } },
  required: ['taskId'],
  additionalProperties: false,
};

describe('AjvJsonSchemaValidator', () => {
  const validator = new AjvJsonSchemaValidator();

  it('accepts data that matches and names the field of the first problem otherwise', () => {
    expect(validator.validate('t/1', taskAssigned, { taskId: 't1', due: '2026-01-01T00:00:00Z' })).toEqual([]);
    expect(validator.validate('t/1', taskAssigned, {})).toEqual([{ path: 'taskId', message: 'is required' }]);
    expect(validator.validate('t/1', taskAssigned, { taskId: 't1', assignee: {} })).toEqual([{ path: 'assignee.id', message: 'is required' }]);
    expect(validator.validate('t/1', taskAssigned, { taskId: 't1', due: 'tomorrow' })[0]).toMatchObject({ path: 'due' });
    expect(validator.validate('t/1', taskAssigned, { taskId: 5 })[0]).toMatchObject({ path: 'taskId', message: 'must be string' });
  });

  it('refuses schemas that are not valid JSON Schema, or use unknown keywords', () => {
    expect(validator.checkSchema(taskAssigned)).toEqual([]);
    expect(validator.checkSchema({ type: 'nonsense' })).toHaveLength(1);
    expect(validator.checkSchema({ type: 'object', propertiez: {} })).toHaveLength(1);
  });
});
