import { z } from 'zod';
import { isAsmProfile, PROFILES, type Profile } from '../catalog/profiles';
import { MATRIX_PROFILES, OptionField, optionFeatures, SUPPORT_MATRIX } from '../catalog/support-matrix';
import { ASM_MACHINE_TYPE, COUNTS, platformVersionPattern } from './field-rules';
import { UNSAFE_CHARACTERS_PATTERN } from '../util/text';
import { configSchema } from './load';
import { platformVersions } from './rules';
import { isProfileField, PROFILE_FIELDS, profileHasField, requiredFields } from './profile-fields';

type Json = Record<string, unknown>;

/**
 * The config's JSON Schema, for editors (`# yaml-language-server: $schema=...`). Made
 * from the same zod schema the loader validates with (each field's rule carries its
 * JSON Schema keywords: enums, patterns, minimums, formats), so the two cannot drift.
 * The profile table (`profile-fields.ts`) adds what a plain object schema cannot say:
 * - per profile (`if profile = P then …`), the fields a cluster of P may not give;
 * - per required field, "every cluster (of the profiles that need it) gives it, unless
 *   `defaults:` does", since defaults are merged in before the CLI checks for it.
 */
export function configJsonSchema(): string {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Json;
  const doc: Json = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://asmpkg.dev/schema/asmpkg.schema.json',
    title: 'asmpkg config',
    description: 'Clusters to render Anthos Service Mesh 1.4.6-asm.0 install packages for.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
  const cluster = ((doc.properties as Json).clusters as Json).items as Json;
  // requirement moves to the rules below: a default can give any field but the name
  cluster.required = ['name'];
  delete ((cluster.properties as Json).nodePool as Json).required;
  cluster.allOf = PROFILES.map((p) => ({ if: profileIs([p]), then: refusedFields(p) }));
  doc.allOf = [...requiredRules(), ...asmDefaultRules()];
  refuseUnsafeText(doc);
  return JSON.stringify(doc, null, 2) + '\n';
}

function profileIs(profiles: readonly Profile[]): Json {
  return { required: ['profile'], properties: { profile: { enum: [...profiles] } } };
}

/** `{required: [a], properties: {a: {required: [b]}}}` for the path a.b. */
function requireAt(parts: readonly string[]): Json {
  const [head, ...rest] = parts;
  return rest.length === 0 ? { required: [head] } : { required: [head], properties: { [head]: requireAt(rest) } };
}

/** Fields known to some profile and not to this one: a cluster's own value is refused. */
function refusedFields(p: Profile): Json {
  const known = [...new Set(PROFILES.flatMap((q) => Object.keys(PROFILE_FIELDS[q])))].filter(isProfileField);
  const props: Json = {};
  for (const field of known.filter((f) => !profileHasField(p, f))) {
    const [head, sub] = field.split('.');
    if (sub === undefined) props[head] = false;
    else if (profileHasField(p, head)) {
      const block = (props[head] ??= { properties: {} }) as { properties: Json };
      block.properties[sub] = false;
    }
  }
  // the platform versions the profile takes: ASM's minimums per minor, or any patch of those minors
  const table = platformVersions(p).table;
  props.version = { pattern: platformVersionPattern(isAsmProfile(p) ? table : table.map((t) => ({ minimum: `${t.minor}.0-gke.0` }))) };
  if (!isAsmProfile(p)) return { properties: props };
  // ASM's install requirements on the node pool
  const pool = (props.nodePool ??= { properties: {} }) as { properties: Json };
  pool.properties.nodeCount = { minimum: COUNTS.asmNodeCount.min };
  pool.properties.maxNodeCount = { minimum: COUNTS.asmMaxNodeCount.min };
  pool.properties.machineType = { ...ASM_MACHINE_TYPE.json };
  // option values the support matrix refuses on this profile only (stackdriver on-prem)
  for (const field of OPTION_FIELDS) {
    const refused = optionFeatures(field).filter((f) => f.status[p] === 'unsupported' && MATRIX_PROFILES.some((q) => f.status[q] !== 'unsupported'));
    if (refused.length === 0) continue;
    const [block, key] = field.split('.');
    const target = (props[block] ??= { properties: {} }) as { properties: Json };
    target.properties[key] = { not: { enum: refused.map((f) => f.option!.value) } };
  }
  return { properties: props };
}

const OPTION_FIELDS: readonly OptionField[] = [...new Set(SUPPORT_MATRIX.flatMap((f) => (f.option && f.option.field.includes('.') ? [f.option.field] : [])))];

/**
 * What every string of the config must not hold (rules.ts unsafeStringProblems): unsafe
 * characters (util/text.ts), kpt setter markers and Go template delimiters.
 */
const UNSAFE_TEXT = `${UNSAFE_CHARACTERS_PATTERN}|\\$\\{|\\{\\{|\\}\\}`;

function refuseUnsafeText(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(refuseUnsafeText);
  if (typeof node !== 'object' || node === null) return;
  const n = node as Json;
  const type = n.type;
  if ((type === 'string' || (Array.isArray(type) && type.includes('string'))) && n.enum === undefined) {
    const rule = { not: { pattern: UNSAFE_TEXT } };
    if (n.not === undefined) Object.assign(n, rule);
    else n.allOf = [...((n.allOf as Json[] | undefined) ?? []), rule];
  }
  for (const value of Object.values(n)) refuseUnsafeText(value);
}

/**
 * A default below ASM's minimums (`defaults.nodePool.nodeCount: 2`) is fine for the other
 * meshes' clusters; each ASM cluster must then give its own value.
 */
function asmDefaultRules(): Json[] {
  const asm = PROFILES.filter(isAsmProfile);
  return (['nodeCount', 'maxNodeCount'] as const).map((field) => {
    const min = field === 'nodeCount' ? COUNTS.asmNodeCount.min : COUNTS.asmMaxNodeCount.min;
    const low = { required: ['defaults'], properties: { defaults: { required: ['nodePool'], properties: { nodePool: { required: [field], properties: { [field]: { exclusiveMaximum: min } } } } } } };
    return { if: low, then: { properties: { clusters: { items: { if: profileIs(asm), then: requireAt(['nodePool', field]) } } } } };
  });
}

/** One rule per required field: its profiles' clusters give it unless the defaults do. */
function requiredRules(): Json[] {
  const byField = new Map<string, Profile[]>();
  for (const p of PROFILES) for (const [field] of requiredFields(p)) byField.set(field, [...(byField.get(field) ?? []), p]);
  return [...byField].map(([field, profiles]) => {
    const parts = field.split('.');
    const need = requireAt(parts);
    const items = profiles.length === PROFILES.length ? need : { if: profileIs(profiles), then: need };
    return {
      if: { not: { required: ['defaults'], properties: { defaults: requireAt(parts) } } },
      then: { properties: { clusters: { items } } },
    };
  });
}
