import { z } from 'zod';
import { clusterFields, PROFILES } from './schema';
import { meshOptionFields } from './mesh-options';
import { offeringFields } from './offerings';
import { hasPath, isMapping, mergeDefaults } from './defaults';
import { defaultsFor } from './profile-fields';
import { InputError, Problem } from './problems';
import { clusterRuleProblems, tolerantRuleProblems, unsafeStringProblems } from './rules';
import { supportProblems } from './support-rules';
import { didYouMean } from './suggest';
import { parseYamlInput } from './yaml-input';
import { clusterDeliveryFields, deliveryProblems, GitopsInput, gitopsSchema, SecretsInput, secretsSchema } from './gitops';

export const clusterSchema = z.strictObject({ ...clusterFields, ...meshOptionFields, ...offeringFields, ...clusterDeliveryFields });
/** Every field optional at every depth: `defaults:` may give part of a block (`nodePool.machineType`). */
function deepPartial(schema: z.ZodType): z.ZodType {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) {
    const shape = Object.fromEntries(Object.entries(inner.shape as Record<string, z.ZodType>).map(([k, v]) => [k, deepPartial(v).optional()]));
    return z.strictObject(shape);
  }
  return inner ?? schema;
}
export const defaultsSchema = deepPartial(clusterSchema.omit({ name: true }));
export const configSchema = z.strictObject({
  /** Values merged into every cluster; a cluster's own values win. */
  defaults: defaultsSchema.optional(),
  clusters: z.array(clusterSchema).min(1),
  gitops: gitopsSchema.optional(),
  secrets: secretsSchema.optional(),
});

export type ClusterInput = z.output<typeof clusterSchema>;
export interface ConfigInput {
  readonly clusters: readonly ClusterInput[];
  /** Fleet-wide delivery: the GitOps controller, and how key material reaches the clusters. */
  readonly gitops?: GitopsInput;
  readonly secrets?: SecretsInput;
}

const TOP_LEVEL_KEYS = ['defaults', 'clusters', 'gitops', 'secrets'];
/** Fleet-wide blocks beside `clusters:`, each checked against its own schema. */
const FLEET_BLOCKS: readonly [string, z.ZodType][] = [
  ['gitops', gitopsSchema],
  ['secrets', secretsSchema],
];

/**
 * Parses and validates a config file's text. Throws `InputError` with every problem
 * found (each naming its field path), or returns the clusters with defaults merged.
 */
export function parseConfig(text: string, file?: string): ConfigInput {
  const parsed = parseYamlInput(text);
  if (parsed.problems.length > 0) throw new InputError(parsed.problems, file);
  const problems = validateShape(parsed.value);
  if (problems.length > 0) throw new InputError(problems, file);
  const raw = parsed.value as { defaults?: unknown; clusters: unknown[]; gitops?: GitopsInput; secrets?: SecretsInput };

  const clusters: ClusterInput[] = [];
  raw.clusters.forEach((rawCluster, i) => {
    const at = ['clusters', i];
    // defaults apply only to the fields the cluster's profile has
    const profile = isMapping(rawCluster) && rawCluster.profile !== undefined ? rawCluster.profile : isMapping(raw.defaults) ? raw.defaults.profile : undefined;
    const merged = mergeDefaults(defaultsFor(profile, raw.defaults), rawCluster);
    const clusterName = isMapping(rawCluster) && typeof rawCluster.name === 'string' ? ` "${rawCluster.name}"` : '';
    const result = clusterSchema.safeParse(merged);
    const place = (path: readonly (string | number)[]) => provenance(path, rawCluster, raw.defaults, at);
    // Rules report paths below the cluster; say `defaults.…` where the value came from there.
    // A value from defaults may be wrong for one cluster only: name the cluster too.
    const inCluster = (p: Problem): Problem => (p.path[0] === 'defaults' ? { ...p, message: `${p.message} (for clusters[${i}]${clusterName})` } : p);
    const placed = (found: Problem[]) => found.map((p) => inCluster({ ...p, path: place(p.path.slice(at.length)) }));
    const found: Problem[] = placed(unsafeStringProblems(merged, at));
    if (!result.success) {
      const shape = zodProblems(result.error, merged, place).map(inCluster);
      found.push(...shape);
      // Report the rules' problems too, except where the shape is already wrong.
      const wrong = shape.map((p) => p.path.join('.'));
      const overlaps = (p: Problem) => wrong.some((w) => { const q = p.path.join('.'); return q === w || q.startsWith(`${w}.`) || w.startsWith(`${q}.`); });
      found.push(...placed(tolerantRuleProblems(merged, at, [supportProblems])).filter((p) => !overlaps(p)));
    } else {
      found.push(...placed([...clusterRuleProblems(result.data, at), ...supportProblems(result.data, at)]));
      clusters.push(result.data);
    }
    problems.push(...dedupe(found));
  });
  problems.push(...duplicateNameProblems(raw.clusters));
  for (const [key] of FLEET_BLOCKS) problems.push(...unsafeStringProblems((raw as Record<string, unknown>)[key], [key]));
  problems.push(
    ...deliveryProblems(
      raw.gitops,
      raw.secrets,
      raw.clusters.map((rawCluster, i) => ({ at: ['clusters', i], cluster: (mergeDefaults(raw.defaults, rawCluster) ?? {}) as never })),
    ).map((p) => ({ ...p, path: p.path[0] === 'clusters' ? provenance(p.path.slice(2), raw.clusters[p.path[1] as number], raw.defaults, p.path.slice(0, 2)) : p.path })),
  );
  if (problems.length === 0) problems.push(...projectNumberProblems(clusters, raw.clusters, raw.defaults));
  if (problems.length > 0) throw new InputError(problems, file);
  return { clusters, ...(raw.gitops ? { gitops: raw.gitops } : {}), ...(raw.secrets ? { secrets: raw.secrets } : {}) };
}

/** The document's outer shape, checked before clusters so their paths are meaningful. */
function validateShape(value: unknown): Problem[] {
  if (!isMapping(value)) {
    return [{ path: [], value, message: 'the config must be a mapping with a `clusters:` list' }];
  }
  const problems: Problem[] = [];
  for (const key of Object.keys(value)) {
    if (!TOP_LEVEL_KEYS.includes(key)) problems.push(unknownKey([key], TOP_LEVEL_KEYS));
  }
  if (value.clusters === undefined) problems.push({ path: ['clusters'], message: 'is missing: a list of clusters to render' });
  else if (!Array.isArray(value.clusters)) problems.push({ path: ['clusters'], value: value.clusters, message: 'must be a list of clusters' });
  else if (value.clusters.length === 0) problems.push({ path: ['clusters'], message: 'must list at least one cluster' });
  if (value.defaults !== undefined) {
    const result = defaultsSchema.safeParse(value.defaults);
    if (!result.success) problems.push(...zodProblems(result.error, value.defaults, (p) => ['defaults', ...p], defaultsSchema));
  }
  for (const [key, schema] of FLEET_BLOCKS) {
    if (value[key] === undefined) continue;
    const result = schema.safeParse(value[key]);
    if (!result.success) problems.push(...zodProblems(result.error, value[key], (p) => [key, ...p], schema));
  }
  return problems;
}

/** Where a cluster's field came from: its own entry, or `defaults:`. */
function provenance(path: readonly (string | number)[], rawCluster: unknown, defaults: unknown, at: readonly (string | number)[]): (string | number)[] {
  if (path.length > 0 && !hasPath(rawCluster, path) && hasPath(defaults, path)) return ['defaults', ...path];
  return [...at, ...path];
}

function unknownKey(path: (string | number)[], known: readonly string[]): Problem {
  const key = String(path[path.length - 1]);
  const guess = didYouMean(key, known);
  return { path, message: `unknown field${guess ? ` (did you mean "${guess}"?)` : `; known fields: ${known.join(', ')}`}` };
}

function zodProblems(error: z.ZodError, input: unknown, place: (path: (string | number)[]) => (string | number)[], root: z.ZodType = clusterSchema): Problem[] {
  return error.issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      return unknownKey(place([...path, issue.keys[0]]), knownKeysAt(path, root));
    }
    const value = valueAt(input, path);
    if (value === undefined && issue.code === 'invalid_type') return { path: place(path), message: 'is missing' };
    if (issue.code === 'invalid_type' && issue.expected === 'object') return { path: place(path), value, message: 'must be a mapping' };
    if (issue.code === 'invalid_type' && issue.expected === 'array') return { path: place(path), value, message: 'must be a list' };
    return { path: place(path), value, message: issue.message };
  }).flatMap((p, i) => {
    const issue = error.issues[i];
    // zod reports all unknown keys of a mapping in one issue; give each its own line.
    if (issue.code !== 'unrecognized_keys' || issue.keys.length === 1) return [p];
    const path = issue.path.filter((x): x is string | number => typeof x !== 'symbol');
    return issue.keys.map((k) => unknownKey(place([...path, k]), knownKeysAt(path, root)));
  });
}

/** Known field names at a path of the cluster schema, for did-you-mean. */
function knownKeysAt(path: readonly (string | number)[], root: z.ZodType): string[] {
  let shape: z.ZodType | undefined = root;
  for (const part of path) {
    shape = unwrap(shape);
    if (shape instanceof z.ZodObject && typeof part === 'string') shape = (shape.shape as Record<string, z.ZodType>)[part];
    else if (shape instanceof z.ZodArray && typeof part === 'number') shape = shape.element as z.ZodType;
    else return [];
  }
  shape = unwrap(shape);
  return shape instanceof z.ZodObject ? Object.keys(shape.shape) : [];
}

function unwrap(shape: z.ZodType | undefined): z.ZodType | undefined {
  let s = shape;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
  return s;
}

function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let cur = value;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[part];
  }
  return cur;
}

function duplicateNameProblems(raw: readonly unknown[]): Problem[] {
  const seen = new Map<string, number>();
  const problems: Problem[] = [];
  raw.forEach((c, i) => {
    const name = isMapping(c) ? c.name : undefined;
    if (typeof name !== 'string') return;
    const first = seen.get(name);
    if (first === undefined) seen.set(name, i);
    else problems.push({ path: ['clusters', i, 'name'], value: name, message: `duplicates clusters[${first}].name: cluster names must be unique (each renders to OUT/<name>/)` });
  });
  return problems;
}

/**
 * One project has one number: two clusters that name the same project ID with different
 * numbers would get different mesh IDs (and one of them a wrong GCP_METADATA).
 */
function projectNumberProblems(clusters: readonly ClusterInput[], raw: readonly unknown[], defaults: unknown): Problem[] {
  const first = new Map<string, { number: string; index: number }>();
  const problems: Problem[] = [];
  clusters.forEach((c, i) => {
    if (!c.project) return;
    const seen = first.get(c.project.id);
    if (!seen) first.set(c.project.id, { number: c.project.number, index: i });
    else if (seen.number !== c.project.number) {
      const path = provenance(['project', 'number'], raw[i], defaults, ['clusters', i]);
      problems.push({
        path,
        value: c.project.number,
        message: `contradicts clusters[${seen.index}].project.number (${seen.number}) for project ${c.project.id}: a project has one number`,
      });
    }
  });
  return problems;
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path.join('.')}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export { PROFILES };
