import { describe, expect, it } from '@jest/globals';
import { checkTemplate, renderTemplate } from './notification-template.js';

describe('notification templates', () => {
  it('accept {{field}} and {{a.b}} placeholders and name the fields they use', () => {
    expect(checkTemplate('Task {{ title }} for {{assignee.name}}, again {{title}}')).toEqual({ ok: true, fields: ['title', 'assignee.name'] });
    expect(checkTemplate('no placeholders')).toEqual({ ok: true, fields: [] });
  });

  it.each(['{{', 'a }} b', '{{ 1abc }}', '{{a-b}}', '{{#each items}}x{{/each}}', '{{> partial}}', '{{{raw}}}', '{{a b}}', '{{ title | upper }}', '{{ a.b.c.d.e.f }}'])(
    'refuse anything else: %s',
    (template) => {
      expect(checkTemplate(template)).toMatchObject({ ok: false });
    },
  );

  it('copy strings, numbers and booleans as text; objects, arrays, missing and inherited fields become empty', () => {
    const data = { title: '<b>Review</b>', n: 3, ok: false, nested: { name: 'Ann' }, list: [1], obj: { a: 1 } };
    expect(renderTemplate('{{title}} {{n}} {{ok}} {{nested.name}}', data, 200)).toBe('<b>Review</b> 3 false Ann');
    expect(renderTemplate('[{{list}}][{{obj}}][{{missing}}][{{constructor}}][{{title.length}}][{{__proto__}}]', data, 200)).toBe('[][][][][][]');
    expect(renderTemplate('{{title}}', 'not an object', 200)).toBe('');
  });

  it('turn control characters into spaces and clip to the limit', () => {
    expect(renderTemplate('A {{t}} B', { t: 'x\n\ny' }, 200)).toBe('A x y B');
    expect(renderTemplate('{{t}}', { t: 'x'.repeat(300) }, 200)).toHaveLength(200);
  });
});
