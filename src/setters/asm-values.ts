import { MIN_NODES } from '../catalog/requirements';
import { CLUSTER_NAME, NETWORK_NAME, PROJECT_ID, PROJECT_NUMBER, REGION, ZONE } from '../config/schema';

/**
 * Values the well-known ASM setters must hold for ASM to install, checked with the
 * same rules the config uses (`config/schema.ts`, `catalog/requirements.ts`), so a
 * package set with `asmpkg set` is held to what `asmpkg synth` would accept.
 *
 * Keyed by setter name (the names of the ASM 1.4 package, `packages/asm-setters.ts`):
 * only setters of these names are checked; every other setter takes any value its
 * type allows.
 */

export interface AsmValueRule {
  /** The rule, phrased to follow "must be". */
  readonly rule: string;
  readonly ok: (value: string) => boolean;
}

const regex = (re: RegExp, rule: string): AsmValueRule => ({ rule, ok: (v) => re.test(v) });

const WHOLE_NUMBER = /^[0-9]+$/;

export const ASM_VALUE_RULES: Readonly<Record<string, AsmValueRule>> = {
  'gcloud.core.project': regex(PROJECT_ID, 'a GCP project ID: 6-30 lowercase letters, digits or hyphens, starting with a letter, not ending with a hyphen'),
  'gcloud.project.projectNumber': regex(PROJECT_NUMBER, 'a project number: digits only, no leading zero'),
  'cluster-name': regex(CLUSTER_NAME, 'a cluster name: lowercase letters, digits and hyphens, starting with a letter, at most 40 characters'),
  'gcloud.compute.zone': { rule: 'a GCP zone (us-central1-c) or region (us-central1)', ok: (v) => ZONE.test(v) || REGION.test(v) },
  'gcloud.compute.region': regex(REGION, 'a GCP region (us-central1)'),
  'gcloud.compute.network': regex(NETWORK_NAME, 'a GCE network name (lowercase letters, digits, hyphens; letter first, at most 63)'),
  'gcloud.compute.subnetwork': regex(NETWORK_NAME, 'a GCE subnetwork name (lowercase letters, digits, hyphens; letter first, at most 63)'),
  'gcloud.container.cluster.releaseChannel': { rule: 'RAPID, REGULAR or STABLE', ok: (v) => ['RAPID', 'REGULAR', 'STABLE'].includes(v) },
  nodeCount: { rule: `a whole number of nodes, at least ${MIN_NODES} (ASM 1.4 needs ${MIN_NODES} nodes)`, ok: (v) => WHOLE_NUMBER.test(v) && Number(v) >= MIN_NODES },
  // at least nodeCount (checked against the package's nodeCount below), so at least MIN_NODES too
  maxNodes: { rule: `a whole number of nodes, at least nodeCount (and so at least ${MIN_NODES})`, ok: (v) => WHOLE_NUMBER.test(v) && Number(v) >= MIN_NODES },
};

export interface AsmValueProblem {
  /** The setter name as given. */
  readonly setter: string;
  readonly message: string;
}

/**
 * Problems with the values given to well-known ASM setters. `rulesName` maps a given
 * name to the ASM setter name it sets (a kpt v0 setter may be given by its definition
 * key or its name), or undefined when it is no ASM setter. `current` is the value a
 * setter holds in the package, for `maxNodes` ≥ `nodeCount` when only one is given.
 */
export function asmValueProblems(
  values: ReadonlyMap<string, string>,
  rulesName: (given: string) => string | undefined,
  current: (asmName: string) => string | undefined,
): AsmValueProblem[] {
  const problems: AsmValueProblem[] = [];
  const given = new Map<string, { as: string; value: string }>();
  for (const [name, value] of values) {
    const asm = rulesName(name);
    if (asm === undefined) continue;
    const rule = ASM_VALUE_RULES[asm];
    if (!rule.ok(value)) {
      problems.push({ setter: name, message: `setter ${JSON.stringify(name)}: value ${JSON.stringify(value)} is refused: must be ${rule.rule}` });
      continue;
    }
    given.set(asm, { as: name, value });
  }
  // the node pool's autoscaling range: maxNodes >= nodeCount, whichever of the two is given
  const count = given.get('nodeCount');
  const max = given.get('maxNodes');
  if (count || max) {
    const countValue = count?.value ?? current('nodeCount');
    const maxValue = max?.value ?? current('maxNodes');
    if (countValue !== undefined && maxValue !== undefined && WHOLE_NUMBER.test(countValue) && WHOLE_NUMBER.test(maxValue) && Number(maxValue) < Number(countValue)) {
      const [setter, value, other] = max
        ? [max.as, max.value, `nodeCount (${countValue}${count ? '' : ' in the package'})`]
        : [count!.as, count!.value, `maxNodes (${maxValue} in the package; set maxNodes too)`];
      const rule = max ? `must be at least ${other}` : `must be at most ${other}`;
      problems.push({ setter, message: `setter ${JSON.stringify(setter)}: value ${JSON.stringify(value)} is refused: ${rule}` });
    }
  }
  return problems;
}
