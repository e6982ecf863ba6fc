import type { JsonSchemaValidator, SchemaIssue } from '@pushline/domain';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** Compiled schemas kept at most; an app-declared version never changes, so entries never go stale. */
const MAX_COMPILED = 1000;

/**
 * JSON Schema (draft 2020-12, with formats) through ajv. Each schema is compiled once per `schemaId`
 * and kept in a bounded map: compiling is the expensive part, validating is cheap.
 */
export class AjvJsonSchemaValidator implements JsonSchemaValidator {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    // strict: unknown keywords in an app's schema are reported at declaration, not silently ignored.
    this.ajv = new Ajv2020({ strict: true, allErrors: false, validateFormats: true });
    (addFormats as unknown as (ajv: Ajv2020) => void)(this.ajv);
  }

  checkSchema(schema: Record<string, unknown>): readonly SchemaIssue[] {
    try {
      this.ajv.compile(schema);
      return [];
    } catch (error) {
      return [{ path: '', message: error instanceof Error ? error.message : String(error) }];
    }
  }

  validate(schemaId: string, schema: Record<string, unknown>, value: unknown): readonly SchemaIssue[] {
    let validate = this.compiled.get(schemaId);
    if (!validate) {
      validate = this.ajv.compile(schema);
      if (this.compiled.size >= MAX_COMPILED) this.compiled.delete(this.compiled.keys().next().value as string);
      this.compiled.set(schemaId, validate);
    }
    return validate(value) ? [] : (validate.errors ?? []).map(toIssue);
  }
}

function toIssue(error: ErrorObject): SchemaIssue {
  const base = error.instancePath.split('/').filter(Boolean).join('.');
  const missing = error.keyword === 'required' ? String((error.params as { missingProperty?: string }).missingProperty ?? '') : '';
  const path = [base, missing].filter(Boolean).join('.');
  return { path, message: missing ? 'is required' : (error.message ?? 'is invalid') };
}
