// The official check of a DDAS export: the JSON Schema of the Uitwisselmodel (DDAS Vroegsignalering
// v0.9, vendored unchanged in vendor/ddas/ with its source), compiled once with ajv (JSON Schema
// 2020-12, formats date, date-time and email as the schema uses them). Nothing is written or sent
// that does not pass it.
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import schema from '../../vendor/ddas/json_schema_Uitwisselmodel.json' with { type: 'json' };

type Plugin = (ajv: Ajv2020) => Ajv2020;
// ajv-formats is CommonJS: its function is the module itself, or its `default` seen from ESM.
const voegFormatsToe = ((ajvFormats as unknown as { default: Plugin & { default?: Plugin } }).default.default
  ?? (ajvFormats as unknown as { default: Plugin }).default);

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
voegFormatsToe(ajv);
const valideer = ajv.compile(schema);

/** The schema's own identification, for messages and the README. */
export const DDAS_SCHEMA_ID: string = schema.$id;

/** What is wrong with a document against the official schema: empty when it is valid. */
export function ddasFouten(document: unknown): string[] {
  if (valideer(document)) return [];
  return (valideer.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
}
