import { regionOfLocation } from '../catalog/locations';
import { COUNTS, CountRule, countProblem, locationMatchProblem, nodeRangeProblem, regionMatchProblem, RULES, ValueRule } from './field-rules';

/**
 * The well-known ASM setters (the setter names of ASM's own kpt packages, which asmpkg's
 * packages keep) and the config field each stands for, checked with the same value rules
 * as the config (`field-rules.ts`). `asmpkg set` applies them to the whole setter state
 * of a package after the change (values given now, and values recorded in the Kptfile
 * or `setters.yaml`, hand edits included), so a package cannot be set to what
 * `asmpkg synth` would refuse.
 */
export interface SetterRule {
  /** The config field the setter stands for, for messages and docs. */
  readonly field: string;
  /** Why the (text) value is refused, or undefined. */
  readonly check: (value: string) => string | undefined;
}

const byRule = (field: string, r: ValueRule<string>): SetterRule => ({ field, check: r.check });

/** Setter values are text: a count is digits, then the config's count rule. */
const byCount = (field: string, r: CountRule): SetterRule => ({
  field,
  check: (v) => (/^[0-9]+$/.test(v) ? countProblem(r, Number(v)) : `must be a whole number of ${r.what} (digits)`),
});

export const SETTER_RULES: Readonly<Record<string, SetterRule>> = {
  'gcloud.core.project': byRule('project.id', RULES.projectId),
  'gcloud.project.projectNumber': byRule('project.number', RULES.projectNumber),
  'cluster-name': byRule('name', RULES.clusterName),
  'gcloud.compute.zone': byRule('location', RULES.location),
  'gcloud.compute.region': byRule('region of location', RULES.region),
  'gcloud.compute.network': byRule('network', RULES.network),
  'gcloud.compute.subnetwork': byRule('subnetwork', RULES.subnetwork),
  'gcloud.container.cluster.releaseChannel': byRule('releaseChannel', RULES.releaseChannel),
  // the packages with these setters install ASM: its minimum applies
  nodeCount: byCount('nodePool.nodeCount', COUNTS.asmNodeCount),
  maxNodes: byCount('nodePool.maxNodeCount', COUNTS.asmMaxNodeCount),
  'anthos.servicemesh.hub': byRule('image hub', RULES.imageHub),
  'anthos.servicemesh.tag': byRule('image tag', RULES.imageTag),
  'gcloud.core.account': byRule('adminUser', RULES.email),
  'ingress.loadBalancerIP': byRule('ingress.loadBalancerIP', RULES.loadBalancerIP),
};

/** A refused setter value: the setter (ASM name), its value, the rule. */
export interface SetterStateProblem {
  readonly setter: string;
  readonly value: string;
  readonly message: string;
  /** For a problem between two setters: the same problem said of the other one. */
  readonly other?: { readonly setter: string; readonly value: string; readonly message: string };
}

/**
 * Every problem of a package's setter state (ASM setter name → value). Values for which
 * `skip` says true (placeholders nobody has set yet) are not checked, alone or together.
 */
export function setterStateProblems(state: ReadonlyMap<string, string>, skip: (setter: string, value: string) => boolean = () => false): SetterStateProblem[] {
  const problems: SetterStateProblem[] = [];
  const good = new Map<string, string>();
  for (const [setter, value] of state) {
    const rule = SETTER_RULES[setter];
    if (!rule || skip(setter, value)) continue;
    const message = rule.check(value);
    if (message) problems.push({ setter, value, message });
    else good.set(setter, value);
  }
  // across setters: the node pool's autoscaling range, and the region of the zone
  const count = good.get('nodeCount');
  const max = good.get('maxNodes');
  if (count !== undefined && max !== undefined) {
    const range = nodeRangeProblem(Number(count), Number(max));
    if (range) problems.push({ setter: 'maxNodes', value: max, message: range, other: { setter: 'nodeCount', value: count, message: `must be at most maxNodes (${max})` } });
  }
  const zone = good.get('gcloud.compute.zone');
  const region = good.get('gcloud.compute.region');
  if (zone !== undefined && region !== undefined) {
    const contradiction = regionMatchProblem(zone, region);
    if (contradiction) {
      problems.push({
        setter: 'gcloud.compute.region',
        value: region,
        message: `${contradiction} (setter gcloud.compute.zone)`,
        other: { setter: 'gcloud.compute.zone', value: zone, message: `${locationMatchProblem(zone, region)} (setter gcloud.compute.region)` },
      });
    }
  }
  return problems;
}

/** The region a zone setter value implies (a region implies itself), if the value is a known location. */
export function impliedRegion(zone: string): string | undefined {
  return regionOfLocation(zone);
}
