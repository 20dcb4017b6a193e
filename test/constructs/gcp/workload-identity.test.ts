/**
 * Issue 13, finding 5: promsd under Workload Identity. The gke profile renders the
 * project's promsd GSA, its metricWriter role and the workloadIdentityUser binding for
 * istio-system/promsd (Config Connector, checked against the real CRD schemas with
 * unknown fields refused), and promsd's KSA names the GSA.
 */
import { PROMSD_GOOGLE_IDENTITY } from '../../../src/catalog/google-identities';
import { WorkloadGoogleIdentity } from '../../../src/constructs/gcp/workload-identity';
import { renderCluster } from '../../../src/render/render-cluster';
import { configConnectorProblems } from '../../helpers/cc-schema';
import { GKE_CLUSTER, ISTIOCTL_CLUSTER, ONPREM_CLUSTER } from '../../helpers/config';
import { render } from '../../helpers/mesh-values';
import { find, renderParsed, specOf } from '../../helpers/render';

const FILE = 'config-connector/promsd-identity.yaml';
const EMAIL = 'asm-promsd@asm-demo-project.iam.gserviceaccount.com';

describe('promsd under Workload Identity (gke profile)', () => {
  const files = renderParsed(GKE_CLUSTER);
  const objs = files.get(FILE)!;

  test('the GSA, its metricWriter role on the project and the workloadIdentityUser binding for istio-system/promsd', () => {
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'IAMServiceAccount/asm-promsd',
      'IAMPolicyMember/asm-promsd-metric-writer',
      'IAMPolicyMember/asm-promsd-workload-identity-user',
    ]);
    for (const o of objs) {
      expect(o.apiVersion).toBe('iam.cnrm.cloud.google.com/v1beta1');
      expect(o.metadata.namespace).toBe('asm-demo-project');
      // placed like the other Config Connector resources; shared by the project's clusters, so abandoned on delete
      expect(o.metadata.annotations).toEqual({ 'cnrm.cloud.google.com/deletion-policy': 'abandon', 'gke.io/cluster': 'bootstrap://' });
    }
    expect(find(objs, 'IAMPolicyMember', 'asm-promsd-metric-writer').spec).toEqual({
      member: `serviceAccount:${EMAIL}`,
      role: 'roles/monitoring.metricWriter',
      resourceRef: { kind: 'Project', external: 'projects/asm-demo-project' },
    });
    expect(find(objs, 'IAMPolicyMember', 'asm-promsd-workload-identity-user').spec).toEqual({
      member: 'serviceAccount:asm-demo-project.svc.id.goog[istio-system/promsd]',
      role: 'roles/iam.workloadIdentityUser',
      resourceRef: { kind: 'IAMServiceAccount', name: 'asm-promsd' },
    });
  });

  test('promsd\'s Kubernetes service account names the GSA; the pod runs as it', () => {
    const promsd = files.get('in-cluster/40-promsd.yaml')!;
    const sa = find(promsd, 'ServiceAccount', 'promsd');
    expect(sa.metadata.annotations).toEqual({ 'iam.gke.io/gcp-service-account': EMAIL });
    const dep = find(promsd, 'Deployment', 'promsd');
    expect(dep.spec.template.spec.serviceAccountName).toBe('promsd');
    expect(dep.spec.template.spec.containers.map((c: any) => c.name)).toContain('stackdriver-prometheus-sidecar');
  });

  test('every object validates against the Config Connector CRD schema, unknown fields refused', async () => {
    for (const o of objs) expect(await configConnectorProblems(o)).toEqual([]);
    // the check has teeth: a misspelt field and a wrong type are both problems
    const member = JSON.parse(JSON.stringify(find(objs, 'IAMPolicyMember', 'asm-promsd-metric-writer')));
    member.spec.resourceRef.extrnal = 'projects/x';
    expect(await configConnectorProblems(member)).toEqual([expect.stringContaining('/spec/resourceRef/extrnal: unknown field')]);
    const gsa = JSON.parse(JSON.stringify(find(objs, 'IAMServiceAccount', 'asm-promsd')));
    gsa.spec.displayName = 7;
    expect((await configConnectorProblems(gsa)).length).toBeGreaterThan(0);
  });

  test('no Stackdriver metrics: promsd calls no Google API, so no identity and no annotation', () => {
    const prom = renderParsed({ ...GKE_CLUSTER, telemetry: { metrics: 'prometheus' } });
    expect(prom.has(FILE)).toBe(false);
    expect(find(prom.get('in-cluster/40-promsd.yaml')!, 'ServiceAccount', 'promsd').metadata.annotations).toBeUndefined();
  });

  test('kcc: anthoscli (the 2020 resources) keeps no placement annotation', () => {
    const old = renderParsed({ ...GKE_CLUSTER, kcc: 'anthoscli' }).get(FILE)!;
    for (const o of old) expect(o.metadata.annotations).toEqual({ 'cnrm.cloud.google.com/deletion-policy': 'abandon' });
  });
});

describe('gke-istioctl and onprem', () => {
  test('gke-istioctl: the KSA is annotated, no Config Connector files, INSTALL.md has the gcloud equivalents', () => {
    const files = renderCluster(specOf(ISTIOCTL_CLUSTER));
    expect(files.some((f) => f.path.startsWith('config-connector/'))).toBe(false);
    expect(files.find((f) => f.path === 'in-cluster/40-promsd.yaml')!.content).toContain(`iam.gke.io/gcp-service-account: ${EMAIL}`);
    const guide = files.find((f) => f.path === 'INSTALL.md')!.content;
    expect(guide).toContain(`gcloud iam service-accounts create asm-promsd --project asm-demo-project --display-name "${PROMSD_GOOGLE_IDENTITY.displayName}"`);
    expect(guide).toContain(`gcloud projects add-iam-policy-binding asm-demo-project --member "serviceAccount:${EMAIL}" --role roles/monitoring.metricWriter`);
    expect(guide).toContain(
      `gcloud iam service-accounts add-iam-policy-binding ${EMAIL} --project asm-demo-project --role roles/iam.workloadIdentityUser --member "serviceAccount:asm-demo-project.svc.id.goog[istio-system/promsd]"`,
    );
    expect(guide).toContain(`kubectl annotate serviceaccount -n istio-system promsd --overwrite iam.gke.io/gcp-service-account=${EMAIL}`);
  });

  test('onprem: no Google identity anywhere', () => {
    const files = renderCluster(specOf(ONPREM_CLUSTER));
    expect(files.map((f) => f.content).join('\n')).not.toMatch(/iam\.gke\.io|gserviceaccount/);
  });
});

test('WorkloadGoogleIdentity is general: any identity, roles in order, names from the roles', () => {
  const objs = render((c) =>
    new WorkloadGoogleIdentity(c, 'id', {
      projectId: 'p-123456',
      workloadPool: 'p-123456.svc.id.goog',
      identity: { component: 'pilot', accountId: 'asm-other', displayName: 'other', roles: ['roles/logging.logWriter', 'roles/cloudtrace.agent'] },
      namespace: 'istio-system',
      kubernetesServiceAccount: 'istio-pilot-service-account',
    }),
  );
  expect(objs.map((o) => o.metadata.name)).toEqual(['asm-other', 'asm-other-log-writer', 'asm-other-agent', 'asm-other-workload-identity-user']);
  expect(objs[3].spec.member).toBe('serviceAccount:p-123456.svc.id.goog[istio-system/istio-pilot-service-account]');
});
