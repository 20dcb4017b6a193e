/**
 * Validation of rendered objects against the REAL Kubernetes 1.13 OpenAPI document
 * (swagger 2.0, shipped in kubernetes-client), the way `kubectl apply --validate`
 * checks them: the schema for the object's group/version/kind, with unknown fields
 * rejected. Tests only — never imported from src/.
 */
import { readFileSync } from 'fs';
import { gunzipSync } from 'zlib';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

/** Path of the Kubernetes 1.13 swagger document. */
export const SWAGGER_1_13 = require.resolve('kubernetes-client/lib/specs/swagger-1.13.json.gz');

type Schema = Record<string, unknown>;

/** A rendered Kubernetes object (as cdk8s' `toJson()` returns it). */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly [k: string]: unknown };
  readonly [k: string]: unknown;
}

/** `kind/namespace/name` of an object, for failure messages. */
export function describeObject(o: K8sObject): string {
  const ns = o.metadata?.namespace ?? '';
  return `${o.apiVersion} ${o.kind}/${ns ? `${ns}/` : ''}${o.metadata?.name ?? '<no name>'}`;
}

/**
 * Rewrites a swagger definition into a JSON schema ajv compiles:
 * - `$ref: '#/definitions/X'` -> `$ref: 'k8s#/definitions/X'` (one shared schema document);
 * - `format: int-or-string` -> integer or string;
 * - `additionalProperties: false` on every object with `properties` (kubectl rejects unknown fields);
 * - descriptions, formats and `x-kubernetes-*` keywords dropped (not validation keywords).
 */
function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (!node || typeof node !== 'object') return node;
  const src = node as Schema;
  if (src.format === 'int-or-string') return { type: ['integer', 'string'] };
  const out: Schema = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === 'description' || k === 'format' || k.startsWith('x-kubernetes-')) continue;
    if (k === '$ref' && typeof v === 'string') {
      out.$ref = v.replace(/^#\/definitions\//, 'k8s#/definitions/');
    } else if (k === 'properties') {
      // Property names are data, not keywords: convert each property schema only.
      const props: Schema = {};
      for (const [pk, pv] of Object.entries(v as Schema)) props[pk] = convert(pv);
      out.properties = props;
    } else {
      out[k] = convert(v);
    }
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** Validator of objects against one Kubernetes version's OpenAPI document. */
export class KubernetesSchema {
  private readonly ajv: Ajv;
  /** `apiVersion kind` -> definition name. */
  private readonly byGvk = new Map<string, string>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(swaggerGzPath = SWAGGER_1_13) {
    const swagger = JSON.parse(gunzipSync(readFileSync(swaggerGzPath)).toString('utf8')) as {
      definitions: Record<string, Schema>;
    };
    const definitions: Schema = {};
    for (const [name, def] of Object.entries(swagger.definitions)) {
      definitions[name] = convert(def);
      const gvks = def['x-kubernetes-group-version-kind'] as { group: string; version: string; kind: string }[] | undefined;
      // Shared meta types (DeleteOptions, WatchEvent...) list many GVKs: they are not served kinds.
      if (!gvks || gvks.length !== 1) continue;
      const { group, version, kind } = gvks[0];
      this.byGvk.set(`${group ? `${group}/` : ''}${version} ${kind}`, name);
    }
    this.ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    this.ajv.addSchema({ $id: 'k8s', definitions }, 'k8s');
  }

  /** The definition name the cluster serves `apiVersion`/`kind` with, if any. */
  definitionFor(apiVersion: string, kind: string): string | undefined {
    return this.byGvk.get(`${apiVersion} ${kind}`);
  }

  /** Whether the cluster serves this apiVersion/kind. */
  serves(apiVersion: string, kind: string): boolean {
    return this.definitionFor(apiVersion, kind) !== undefined;
  }

  /**
   * Problems of an object: an unserved apiVersion/kind, or each schema violation with
   * its JSON path. Empty when the object would pass `kubectl apply --validate`.
   */
  validate(obj: K8sObject): string[] {
    const what = describeObject(obj);
    const def = this.definitionFor(obj.apiVersion, obj.kind);
    if (!def) return [`${what}: apiVersion ${obj.apiVersion} kind ${obj.kind} is not served by this Kubernetes version`];
    let fn = this.compiled.get(def);
    if (!fn) {
      fn = this.ajv.compile({ $ref: `k8s#/definitions/${def}` });
      this.compiled.set(def, fn);
    }
    if (fn(obj)) return [];
    return (fn.errors ?? []).map((e) => `${what}: ${formatError(e)}`);
  }
}

function formatError(e: ErrorObject): string {
  const path = e.instancePath === '' ? '/' : e.instancePath;
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    return `${path === '/' ? '' : path}/${extra}: unknown field "${extra}"`;
  }
  return `${path}: ${e.message ?? e.keyword}`;
}

let shared: KubernetesSchema | undefined;

/** The Kubernetes 1.13 schema, loaded once per test file. */
export function kubernetes113(): KubernetesSchema {
  shared ??= new KubernetesSchema();
  return shared;
}
