import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { FIELD_KINDS, parseField, payloadFieldsFromJsonSchema, payloadFieldsOf, zodSourceOf } from './payload-fields.js';

describe('--field name:kind[?]', () => {
  it('reads the name, the kind (string by default) and the optional mark', () => {
    expect(parseField('orderId')).toEqual({ name: 'orderId', kind: 'string', optional: false });
    expect(parseField('trackingUrl:url?')).toEqual({ name: 'trackingUrl', kind: 'url', optional: true });
    expect(zodSourceOf(parseField('count:int?'))).toBe('count: z.number().int().optional(),');
  });

  it('refuses unknown kinds, bad names and a field given twice, saying what to write', () => {
    expect(() => parseField('when:date')).toThrow('the kind must be one of');
    expect(() => parseField('Order-Id:string')).toThrow('write name:kind');
    expect(() => payloadFieldsOf(['a:int', 'a:string'])).toThrow('--field a is given twice');
  });

  it('always starts with userId, the audience of the generated event', () => {
    expect(payloadFieldsOf(['orderId']).map((f) => f.name)).toEqual(['userId', 'orderId']);
    expect(payloadFieldsOf(['userId', 'orderId']).map((f) => f.name)).toEqual(['userId', 'orderId']);
  });

  it('reads every kind back from the JSON Schema of the zod source it writes', () => {
    const specs = FIELD_KINDS.map((kind, i) => `f${i}:${kind}${i % 2 ? '?' : ''}`);
    const fields = payloadFieldsOf(specs);
    const schema = z.object(Object.fromEntries(fields.map((f) => [f.name, new Function('z', `return ${zodSourceOf(f).replace(/^\w+: |,$/g, '')}`)(z)])));
    expect(payloadFieldsFromJsonSchema(z.toJSONSchema(schema, { io: 'input' }) as never)).toEqual(fields);
  });
});
