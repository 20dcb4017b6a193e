import { z } from 'zod';
import { configSchema } from './load';

/**
 * The config's JSON Schema, for editors (`# yaml-language-server: $schema=...`). Made
 * from the same zod schema the loader validates with, so the two cannot drift.
 */
export function configJsonSchema(): string {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const doc = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://asmpkg.dev/schema/asmpkg.schema.json',
    title: 'asmpkg config',
    description: 'Clusters to render Anthos Service Mesh 1.4.6-asm.0 install packages for.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
