/**
 * Config Connector resources against the CRD schemas of @kubernetes-models/gke, with
 * unknown fields refused. The models' compiled validators check types, enums and
 * required fields but let unknown fields through (the CRDs do not say
 * `additionalProperties: false`; the API server prunes them silently, which is worse
 * than an error). So the object is validated through a recording proxy: a field the
 * validator never looked at is not in the schema. A mapping the validator enumerates
 * (labels, free-form maps) counts as known as a whole. Tests only.
 */
import type { K8sObject } from './k8s-schema';

type ModelClass = new (data: unknown) => { validate(): void };

/** `@kubernetes-models/gke/<group>/<version>/<Kind>` of an object. */
async function modelClass(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  try {
    const mod = (await import(`@kubernetes-models/gke/${apiVersion}/${kind}`)) as Record<string, unknown>;
    return mod[kind] as ModelClass | undefined;
  } catch {
    return undefined;
  }
}

/** Wraps `value` so every property read and key enumeration is recorded by JSON path. */
function recording(value: unknown, path: string, read: Set<string>, enumerated: Set<string>): unknown {
  if (value === null || typeof value !== 'object') return value;
  return new Proxy(value as object, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (typeof key !== 'string') return v;
      read.add(`${path}/${key}`);
      return recording(v, `${path}/${key}`, read, enumerated);
    },
    ownKeys(target) {
      enumerated.add(path);
      return Reflect.ownKeys(target);
    },
  });
}

/** Every leaf-or-object path of a plain value, except inside enumerated mappings. */
function unknownPaths(value: unknown, path: string, read: Set<string>, enumerated: Set<string>, out: string[]): void {
  if (value === null || typeof value !== 'object' || enumerated.has(path)) return;
  for (const [k, v] of Object.entries(value)) {
    const p = `${path}/${k}`;
    if (!read.has(p)) out.push(p);
    else unknownPaths(v, p, read, enumerated, out);
  }
}

/** Problems of one Config Connector object: no model, schema violations, unknown fields. */
export async function configConnectorProblems(obj: K8sObject): Promise<string[]> {
  const what = `${obj.kind}/${obj.metadata?.name ?? '?'}`;
  const Model = await modelClass(obj.apiVersion, obj.kind);
  if (!Model) return [`${what}: @kubernetes-models/gke has no ${obj.apiVersion} ${obj.kind}`];
  const plain = JSON.parse(JSON.stringify(obj)) as Record<string, unknown>;
  const problems: string[] = [];
  try {
    new Model(plain).validate();
  } catch (e) {
    problems.push(`${what}: ${(e as Error).message}`);
  }
  // Only `spec` is checked for unknown fields: metadata is ObjectMeta, validated above.
  const read = new Set<string>();
  const enumerated = new Set<string>();
  const { validate } = new Model(plain) as unknown as { validate(): void };
  const probe = recording(plain, '', read, enumerated) as Record<string, unknown>;
  try {
    validate.call(probe);
  } catch {
    /* reported above */
  }
  const unknown: string[] = [];
  unknownPaths(plain.spec, '/spec', read, enumerated, unknown);
  problems.push(...unknown.map((p) => `${what}: ${p}: unknown field`));
  return problems;
}
