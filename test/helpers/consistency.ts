/**
 * Cross-resource checks of a package: what one object names (selectors, ports,
 * service accounts, roles, webhook services, volumes) must exist in the package or
 * be provided by Kubernetes or by a known producer. Each check returns problems as
 * `kind/namespace/name: ...` lines, empty when consistent.
 */
import type { PackagedObject } from './in-cluster';

type Obj = PackagedObject['obj'];

/** ClusterRoles Kubernetes itself provides. */
export function isBuiltinClusterRole(name: string): boolean {
  return ['cluster-admin', 'admin', 'edit', 'view'].includes(name) || name.startsWith('system:');
}

/**
 * Secrets the package uses without containing them: the plugged-in CA `cacerts`
 * (SPEC section 8, kept apart from the package) and Citadel's `istio.<service account>`
 * secrets, both only meaningful when Citadel is in the package.
 */
export function isKnownExternalSecret(name: string, objects: readonly Obj[]): boolean {
  const citadel = objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'istio-citadel');
  return citadel && (name === 'cacerts' || name.startsWith('istio.'));
}

/** A Secret the package supplies from its `secrets/` directory rather than from the objects checked. */
export interface SuppliedSecret {
  readonly name: string;
  readonly namespace: string;
}

/** What the package holds besides the objects checked. */
export interface PackageContext {
  /**
   * Secrets rendered apart into `secrets/` (key material): present in the cluster once
   * the package is applied. Take them from src (SECRETS_RENDERED_APART), never list them here.
   * @default none
   */
  readonly suppliedSecrets?: readonly SuppliedSecret[];
}

function id(o: Obj): string {
  return `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

function has(objects: readonly Obj[], kind: string, name: string, namespace?: string): boolean {
  return objects.some((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
}

/** Workloads (kinds with a pod template) with their template. */
function workloads(objects: readonly Obj[]): { obj: Obj; template: any }[] {
  return objects
    .filter((o) => ['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'Job'].includes(o.kind) && o.spec?.template)
    .map((obj) => ({ obj, template: obj.spec.template }));
}

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

function selectedWorkloads(objects: readonly Obj[], namespace: string | undefined, selector: Record<string, string>) {
  return workloads(objects).filter((w) => w.obj.metadata.namespace === namespace && matches(selector, w.template.metadata?.labels));
}

/** Every Service selector selects exactly one workload's pods, and named targetPorts exist on them. */
export function checkServices(objects: readonly Obj[]): string[] {
  const problems: string[] = [];
  for (const svc of objects.filter((o) => o.kind === 'Service')) {
    const selector = svc.spec?.selector as Record<string, string> | undefined;
    if (!selector || Object.keys(selector).length === 0) {
      problems.push(`${id(svc)}: has no selector`);
      continue;
    }
    const selected = selectedWorkloads(objects, svc.metadata.namespace, selector);
    if (selected.length === 0) {
      problems.push(`${id(svc)}: selector ${JSON.stringify(selector)} matches no pod template in the package`);
      continue;
    }
    if (selected.length > 1) {
      problems.push(`${id(svc)}: selector ${JSON.stringify(selector)} matches ${selected.map((w) => id(w.obj)).join(', ')}`);
    }
    for (const p of svc.spec.ports ?? []) {
      if (typeof p.targetPort !== 'string') continue;
      const found = selected.some((w) =>
        (w.template.spec.containers ?? []).some((c: any) => (c.ports ?? []).some((cp: any) => cp.name === p.targetPort)),
      );
      if (!found) problems.push(`${id(svc)}: port ${p.name}: targetPort '${p.targetPort}' is no container port of the selected pods`);
    }
  }
  return problems;
}

/** Every workload selects its own pods; every PDB selects some pods; every HPA targets a workload of the package. */
export function checkSelectorsAndTargets(objects: readonly Obj[]): string[] {
  const problems: string[] = [];
  for (const { obj, template } of workloads(objects)) {
    if (!matches(obj.spec.selector?.matchLabels ?? {}, template.metadata?.labels)) {
      problems.push(`${id(obj)}: spec.selector does not match its pod template labels`);
    }
  }
  for (const pdb of objects.filter((o) => o.kind === 'PodDisruptionBudget')) {
    const sel = pdb.spec?.selector?.matchLabels ?? {};
    if (selectedWorkloads(objects, pdb.metadata.namespace, sel).length === 0) {
      problems.push(`${id(pdb)}: selector ${JSON.stringify(sel)} matches no pod template in the package`);
    }
  }
  for (const hpa of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
    const ref = hpa.spec?.scaleTargetRef ?? {};
    const target = objects.find((o) => o.kind === ref.kind && o.metadata.name === ref.name && o.metadata.namespace === hpa.metadata.namespace);
    if (!target) problems.push(`${id(hpa)}: scaleTargetRef ${ref.kind}/${ref.name} is not in the package`);
    else if (target.apiVersion !== ref.apiVersion) problems.push(`${id(hpa)}: scaleTargetRef apiVersion ${ref.apiVersion} != ${target.apiVersion}`);
    else if (target.spec?.replicas !== undefined) problems.push(`${id(hpa)}: ${id(target)} fixes spec.replicas although an HPA scales it`);
  }
  return problems;
}

/** Every ServiceAccount a pod runs as is in the package (or is the namespace's `default`). */
export function checkServiceAccounts(objects: readonly Obj[]): string[] {
  const problems: string[] = [];
  for (const { obj, template } of workloads(objects)) {
    const sa = template.spec.serviceAccountName ?? template.spec.serviceAccount ?? 'default';
    if (sa !== 'default' && !has(objects, 'ServiceAccount', sa, obj.metadata.namespace)) {
      problems.push(`${id(obj)}: runs as ServiceAccount ${sa}, which is not in the package`);
    }
  }
  return problems;
}

/** Every binding's role is in the package or built in, and its ServiceAccount subjects are in the package. */
export function checkBindings(objects: readonly Obj[]): string[] {
  const problems: string[] = [];
  for (const b of objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')) {
    const ref = b.roleRef ?? {};
    if (ref.kind === 'ClusterRole') {
      if (!has(objects, 'ClusterRole', ref.name) && !isBuiltinClusterRole(ref.name)) {
        problems.push(`${id(b)}: ClusterRole ${ref.name} is neither in the package nor built in`);
      }
    } else if (ref.kind === 'Role') {
      if (b.kind !== 'RoleBinding' || !has(objects, 'Role', ref.name, b.metadata.namespace)) {
        problems.push(`${id(b)}: Role ${ref.name} is not in the package (namespace ${b.metadata.namespace})`);
      }
    } else {
      problems.push(`${id(b)}: roleRef kind ${ref.kind}`);
    }
    for (const s of b.subjects ?? []) {
      if (s.kind !== 'ServiceAccount') continue;
      const ns = s.namespace ?? b.metadata.namespace;
      if (!ns) problems.push(`${id(b)}: ServiceAccount subject ${s.name} has no namespace`);
      else if (s.name !== 'default' && !has(objects, 'ServiceAccount', s.name, ns)) {
        problems.push(`${id(b)}: subject ServiceAccount ${ns}/${s.name} is not in the package`);
      }
    }
  }
  return problems;
}

/** Every admission webhook calls a Service of the package. */
export function checkWebhooks(objects: readonly Obj[]): string[] {
  const problems: string[] = [];
  for (const w of objects.filter((o) => o.kind === 'MutatingWebhookConfiguration' || o.kind === 'ValidatingWebhookConfiguration')) {
    for (const hook of w.webhooks ?? []) {
      const svc = hook.clientConfig?.service;
      if (!svc) {
        problems.push(`${id(w)}: webhook ${hook.name} calls a URL, not a Service of the package`);
      } else if (!has(objects, 'Service', svc.name, svc.namespace)) {
        problems.push(`${id(w)}: webhook ${hook.name} calls Service ${svc.namespace}/${svc.name}, which is not in the package`);
      } else if (svc.port !== undefined) {
        const target = objects.find((o) => o.kind === 'Service' && o.metadata.name === svc.name && o.metadata.namespace === svc.namespace)!;
        if (!(target.spec.ports ?? []).some((p: any) => p.port === svc.port)) {
          problems.push(`${id(w)}: webhook ${hook.name} calls port ${svc.port}, which Service ${svc.name} does not expose`);
        }
      }
    }
  }
  return problems;
}

/**
 * Every ConfigMap and Secret a pod mounts or reads env from is in the package, is
 * supplied by its `secrets/` directory (`context`), is a known external secret, or is
 * marked optional.
 */
export function checkConfigReferences(objects: readonly Obj[], context: PackageContext = {}): string[] {
  const problems: string[] = [];
  const supplied = (name: string, namespace: string | undefined) =>
    (context.suppliedSecrets ?? []).some((x) => x.name === name && x.namespace === namespace);
  const ref = (owner: Obj, what: string, kind: 'ConfigMap' | 'Secret', name: string, optional: boolean | undefined) => {
    if (has(objects, kind, name, owner.metadata.namespace) || optional === true) return;
    if (kind === 'Secret' && (isKnownExternalSecret(name, objects) || supplied(name, owner.metadata.namespace))) return;
    problems.push(`${id(owner)}: ${what} refers to ${kind} ${name}, which is not in the package and not optional`);
  };
  for (const { obj, template } of workloads(objects)) {
    for (const v of template.spec.volumes ?? []) {
      if (v.configMap) ref(obj, `volume ${v.name}`, 'ConfigMap', v.configMap.name, v.configMap.optional);
      if (v.secret) ref(obj, `volume ${v.name}`, 'Secret', v.secret.secretName, v.secret.optional);
    }
    for (const c of [...(template.spec.initContainers ?? []), ...(template.spec.containers ?? [])]) {
      for (const e of c.env ?? []) {
        const cm = e.valueFrom?.configMapKeyRef;
        const sec = e.valueFrom?.secretKeyRef;
        if (cm) ref(obj, `container ${c.name} env ${e.name}`, 'ConfigMap', cm.name, cm.optional);
        if (sec) ref(obj, `container ${c.name} env ${e.name}`, 'Secret', sec.name, sec.optional);
      }
      const names = new Set((template.spec.volumes ?? []).map((v: any) => v.name));
      for (const m of c.volumeMounts ?? []) {
        if (!names.has(m.name)) problems.push(`${id(obj)}: container ${c.name} mounts volume ${m.name}, which the pod does not define`);
      }
    }
  }
  return problems;
}

/** All checks. */
export function checkConsistency(objects: readonly Obj[], context: PackageContext = {}): string[] {
  return [
    ...checkServices(objects),
    ...checkSelectorsAndTargets(objects),
    ...checkServiceAccounts(objects),
    ...checkBindings(objects),
    ...checkWebhooks(objects),
    ...checkConfigReferences(objects, context),
  ];
}
