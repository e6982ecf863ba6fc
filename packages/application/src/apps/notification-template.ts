/**
 * The templates of app notification rules: text with `{{field}}` or `{{a.b}}` placeholders that name
 * fields of the event's data, and nothing else. No expressions, sections, partials, helpers or HTML
 * escaping (the output is plain text): a template cannot run code, only copy values. Decision 0040.
 */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]{0,63}(?:\.[A-Za-z_][A-Za-z0-9_]{0,63}){0,4})\s*\}\}/g;
/** Control characters copied from data would break a one-line title. */
const CONTROL = /[\u0000-\u001f\u007f]+/g;

export type TemplateCheck = { readonly ok: true; readonly fields: readonly string[] } | { readonly ok: false; readonly problem: string };

/** A template is valid when every `{{` and `}}` belongs to a placeholder of the form above. */
export function checkTemplate(template: string): TemplateCheck {
  // Mustache's unescaped {{{x}}} is not a placeholder here; refused rather than half-read.
  if (/\{\{\{|\}\}\}/.test(template)) return { ok: false, problem: 'has "{{{" or "}}}": only {{field}} placeholders are supported' };
  const fields: string[] = [];
  const rest = template.replace(PLACEHOLDER, (_all, path: string) => {
    fields.push(path);
    return '';
  });
  const stray = rest.search(/\{\{|\}\}/);
  if (stray >= 0) return { ok: false, problem: 'has a "{{" or "}}" that is not a placeholder like {{title}} or {{task.title}} (letters, digits, _ and dots only)' };
  return { ok: true, fields: [...new Set(fields)] };
}

/** The value at `path` of `data`: own properties of objects only; a string, number or boolean, else empty. */
function valueAt(data: unknown, path: string): string {
  let value: unknown = data;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, key)) return '';
    value = (value as Record<string, unknown>)[key];
  }
  if (typeof value === 'string') return value.replace(CONTROL, ' ');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** Fills a checked template from `data`, clipped to `max` characters. */
export function renderTemplate(template: string, data: unknown, max: number): string {
  const text = template.replace(PLACEHOLDER, (_all, path: string) => valueAt(data, path)).trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
