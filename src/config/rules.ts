import { unsafeCharacter } from '../util/text';
import { DEFAULT_CA_VALIDITY_DAYS, DEFAULT_ROOT_VALIDITY_DAYS } from '../certs/types';
import { RELEASES } from '../catalog/release';
import { GKE_VERSIONS, MIN_VCPUS, ONPREM_VERSIONS, PlatformMinor } from '../catalog/requirements';
import { hasPath } from './defaults';
import { ASM_MACHINE_TYPE, COUNTS, countProblem, nodeRangeProblem } from './field-rules';
import { givenFields, isProfileField, notFor, profileHasField, requiredFields } from './profile-fields';
import { ingressPortNames } from './schema';
import { comparePlatformVersions, minorOf, parsePlatformVersion } from '../util/version';
import type { Problem } from './problems';
import type { ClusterInput } from './load';
import { isAsmProfile } from '../catalog/profiles';
import { offeringProblems } from './offerings';

type Path = readonly (string | number)[];

/**
 * Rules that need release facts or look across fields. Each returns every problem it
 * finds; none stops at the first.
 */
export function clusterRuleProblems(c: ClusterInput, at: Path): Problem[] {
  return CLUSTER_RULES.flatMap((rule) => rule(c, at));
}

/**
 * The rules one by one, so that a config whose shape is partly wrong still gets every
 * rule that can run on it: a rule that meets a value of the wrong type simply throws,
 * and only that rule is skipped (the shape problem is reported already).
 */
export function tolerantRuleProblems(c: unknown, at: Path, extra: readonly ((c: ClusterInput, at: Path) => Problem[])[] = []): Problem[] {
  return [...CLUSTER_RULES, ...extra].flatMap((rule) => {
    try {
      return rule(c as ClusterInput, at);
    } catch {
      return [];
    }
  });
}

/** A namespace policy must do something, and JWT options need origins to apply to. */
function namespacePolicyProblems(c: ClusterInput, at: Path): Problem[] {
  const problems: Problem[] = [];
  (c.mesh?.namespacePolicies ?? []).forEach((p, i) => {
    const path = [...at, 'mesh', 'namespacePolicies', i];
    if (p.mtls === undefined && p.origins === undefined) {
      // An empty Policy is not harmless in Istio 1.4: it overrides the MeshPolicy and
      // turns peer authentication off for the namespace.
      problems.push({ path, message: 'must set mtls or origins: an empty namespace Policy switches off the mesh-wide mTLS policy for the namespace' });
    }
    const optional = p.originIsOptional ?? p.origin_is_optional;
    const binding = p.principalBinding ?? p.principal_binding;
    if (p.origins === undefined && (optional !== undefined || binding !== undefined)) {
      problems.push({ path: [...path, optional !== undefined ? 'originIsOptional' : 'principalBinding'], message: 'applies to JWT origins; this policy lists none' });
    }
  });
  return problems;
}

/** Your own CA and generation options exclude each other; lifetimes must nest. */
function certificateProblems(c: ClusterInput, at: Path): Problem[] {
  const certs = c.certificates;
  if (certs === undefined) return [];
  const path = [...at, 'certificates'];
  const problems: Problem[] = [];
  const generation = (['algorithm', 'validityDays', 'rootValidityDays', 'organization'] as const).filter((k) => certs[k] !== undefined);
  if (certs.dir !== undefined) {
    for (const k of generation) problems.push({ path: [...path, k], value: certs[k], message: 'applies to a generated CA; with certificates.dir your own CA files are used as they are' });
  }
  const days = certs.validityDays ?? DEFAULT_CA_VALIDITY_DAYS;
  const rootDays = certs.rootValidityDays ?? DEFAULT_ROOT_VALIDITY_DAYS;
  if (days > rootDays) {
    const field = certs.validityDays !== undefined ? 'validityDays' : 'rootValidityDays';
    problems.push({
      path: [...path, field],
      value: certs[field],
      message: `the intermediate's lifetime (${days} days) must not exceed the root's (${rootDays} days): the intermediate cannot outlive its root`,
    });
  }
  return problems;
}

function releaseProblems(c: ClusterInput, at: Path): Problem[] {
  if (c.release === undefined || RELEASES.has(c.release)) return [];
  return [{ path: [...at, 'release'], value: c.release, message: `unknown release; asmpkg renders ${[...RELEASES.keys()].join(', ')}` }];
}

/** The supported minor a platform version belongs to, and the table it was checked against. */
export function platformVersions(profile: ClusterInput['profile']): { table: readonly PlatformMinor[]; platform: string } {
  return profile === 'onprem' ? { table: ONPREM_VERSIONS, platform: 'GKE on-prem' } : { table: GKE_VERSIONS, platform: 'GKE' };
}

function versionProblems(c: ClusterInput, at: Path): Problem[] {
  const { table, platform } = platformVersions(c.profile);
  const path = [...at, 'version'];
  const parsed = parsePlatformVersion(c.version);
  if (!parsed) return [{ path, value: c.version, message: `must be a ${platform} version like ${table[table.length - 1].minimum}` }];
  const entry = table.find((t) => t.minor === minorOf(parsed));
  const range = `${table[0].minor}-${table[table.length - 1].minor}`;
  if (!entry) {
    return [{ path, value: c.version, message: `${platform} ${minorOf(parsed)} is not supported by ASM 1.4 (supported: ${platform} ${range}, minimums ${table.map((t) => t.minimum).join(', ')})` }];
  }
  const min = parsePlatformVersion(entry.minimum)!;
  if (comparePlatformVersions(parsed, min) < 0) {
    return [{ path, value: c.version, message: `is below the minimum ${platform} version ${entry.minimum} that ASM 1.4 requires for ${entry.minor}` }];
  }
  return [];
}

function nodePoolProblems(c: ClusterInput, at: Path): Problem[] {
  const pool = c.nodePool;
  const path = [...at, 'nodePool'];
  const problems: Problem[] = [];
  const range = pool.maxNodeCount === undefined ? undefined : nodeRangeProblem(pool.nodeCount, pool.maxNodeCount);
  if (range) problems.push({ path: [...path, 'maxNodeCount'], value: pool.maxNodeCount, message: range });
  const asm = isAsmProfile(c.profile);
  // ASM's install requirements (catalog/requirements.ts), with the same rule functions as set
  const machine = asm && pool.machineType !== undefined ? ASM_MACHINE_TYPE.check(pool.machineType) : undefined;
  if (machine) problems.push({ path: [...path, 'machineType'], value: pool.machineType, message: machine });
  const count = countProblem(asm ? COUNTS.asmNodeCount : COUNTS.nodeCount, pool.nodeCount);
  if (count) problems.push({ path: [...path, 'nodeCount'], value: pool.nodeCount, message: count });
  for (const [field, rule] of [['cpus', COUNTS.cpus], ['maxNodeCount', asm ? COUNTS.asmMaxNodeCount : COUNTS.maxNodeCount]] as const) {
    const n = pool[field];
    // below nodeCount is said already (and nodeCount's own minimum covers the rest)
    const problem = n === undefined || (field === 'maxNodeCount' && range) ? undefined : countProblem(rule, n);
    if (problem) problems.push({ path: [...path, field], value: n, message: problem });
  }
  if (!asm) return problems;
  if (c.profile === 'onprem' && pool.machineType === undefined && pool.cpus === undefined) {
    problems.push({ path: [...path, 'cpus'], message: `is missing: required on-prem (or machineType): ASM requires at least ${MIN_VCPUS} vCPUs per node` });
  }
  return problems;
}

/**
 * Fields the cluster's profile needs and fields it lacks, from the profile table
 * (`profile-fields.ts`). Defaults for fields a profile lacks never reach here
 * (`defaultsFor`), so a refused field is always the cluster's own.
 */
function profileFieldProblems(c: ClusterInput, at: Path): Problem[] {
  const problems: Problem[] = [];
  const entry = c as unknown as Record<string, unknown>;
  for (const [field, why] of requiredFields(c.profile)) {
    if (!hasPath(entry, field.split('.'))) problems.push({ path: [...at, ...field.split('.')], message: `is missing: required for profile ${c.profile}: ${why}` });
  }
  for (const field of givenFields(entry)) {
    // unknown fields are the schema's to report; here only fields of other profiles
    if (profileHasField(c.profile, field) || !isProfileField(field)) continue;
    const parts = field.split('.');
    const reason = notFor(field, c.profile);
    problems.push({ path: [...at, ...parts], value: valueAtPath(entry, parts), message: `does not apply to profile ${c.profile}: ${reason}` });
  }
  return problems;
}

function valueAtPath(v: Record<string, unknown>, parts: readonly string[]): unknown {
  let cur: unknown = v;
  for (const p of parts) cur = (cur as Record<string, unknown> | undefined)?.[p];
  return cur;
}

type Rule = (c: ClusterInput, at: Path) => Problem[];

/** ASM's own rules; the other meshes' profiles have theirs in offerings.ts. */
const asmOnly = (rule: Rule): Rule => (c, at) => (isAsmProfile(c.profile) ? rule(c, at) : []);

const CLUSTER_RULES: readonly Rule[] = [
  asmOnly(releaseProblems),
  asmOnly(versionProblems),
  nodePoolProblems,
  // every profile: the fields it has and needs (profile-fields.ts)
  profileFieldProblems,
  asmOnly(ingressProblems),
  asmOnly(certificateProblems),
  asmOnly(namespacePolicyProblems),
  (c, at) => offeringProblems(c, at),
];

function ingressProblems(c: ClusterInput, at: Path): Problem[] {
  const problems: Problem[] = [];
  const ports = ingressPortNames();
  const taken = new Map<number, string>();
  for (const [name, nodePort] of Object.entries(c.ingress?.nodePorts ?? {})) {
    const path = [...at, 'ingress', 'nodePorts', name];
    if (!ports.includes(name)) problems.push({ path, message: `is not a port of the ingress gateway; its ports are ${ports.join(', ')}` });
    const other = taken.get(nodePort);
    if (other !== undefined) problems.push({ path, value: nodePort, message: `is already used by nodePorts.${other}: NodePorts must be unique` });
    else taken.set(nodePort, name);
  }
  return problems;
}

/** Strings with control characters or template markers are refused wherever they appear. */
export function unsafeStringProblems(value: unknown, at: Path): Problem[] {
  const problems: Problem[] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (typeof v === 'string') {
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f]/.test(v)) problems.push({ path, value: v, message: 'must not contain control characters or newlines' });
      else if (v.includes('${')) problems.push({ path, value: v, message: 'must not contain "${" (reserved for kpt setters)' });
      else if (v.includes('{{') || v.includes('}}')) problems.push({ path, value: v, message: 'must not contain "{{" or "}}" (Go template delimiters: the sidecar injector\'s template would run them)' });
      else {
        // Bidi controls, zero-width and non-breaking spaces make a value read as something it is not.
        const hidden = unsafeCharacter(v);
        if (hidden) problems.push({ path, value: v, message: `must not contain invisible, bidirectional-control or non-ASCII space characters (${hidden})` });
      }
    } else if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...path, i]));
    else if (typeof v === 'object' && v !== null) for (const [k, item] of Object.entries(v)) walk(item, [...path, k]);
  };
  walk(value, [...at]);
  return problems;
}
