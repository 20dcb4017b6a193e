/**
 * A second opinion on every core resource: the kubernetes-models class for its
 * apiVersion/kind must exist and `validate()` it (types, enums, required fields).
 * kubernetes-models is loaded by dynamic import here only: src/ never loads it at run time.
 */
import { renderInCluster, renderMeshEdge, VALIDATION_CASES, type PackagedObject } from '../helpers/in-cluster';
import { describeObject } from '../helpers/k8s-schema';

type ModelClass = new (data: unknown) => { validate(): void };

/** `kubernetes-models/<module>` for an apiVersion: `v1` is the core group, else `group/version`. */
function modulePath(apiVersion: string): string {
  return `kubernetes-models/${apiVersion}`;
}

async function modelClass(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(modulePath(apiVersion))) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  return mod[kind] as ModelClass | undefined;
}

function isIstioCustomResource(o: PackagedObject['obj']): boolean {
  return /^[a-z.]+\.istio\.io\//.test(o.apiVersion);
}

async function modelProblems(objects: readonly PackagedObject[]): Promise<string[]> {
  const problems: string[] = [];
  for (const { file, obj } of objects) {
    const Model = await modelClass(obj.apiVersion, obj.kind);
    if (!Model) {
      problems.push(`${file}: ${describeObject(obj)}: kubernetes-models has no class for ${obj.apiVersion} ${obj.kind}`);
      continue;
    }
    try {
      new Model(JSON.parse(JSON.stringify(obj))).validate();
    } catch (e) {
      problems.push(`${file}: ${describeObject(obj)}: ${(e as Error).message}`);
    }
  }
  return problems;
}

describe.each(VALIDATION_CASES)('in-cluster package (%s)', (_label, values) => {
  test('every core resource validates with its kubernetes-models class', async () => {
    const objects = renderInCluster(values).filter(({ obj }) => !isIstioCustomResource(obj));
    expect(objects.length).toBeGreaterThan(10);
    expect(await modelProblems(objects)).toEqual([]);
  });

  test('the mesh edge constructs alone validate with their kubernetes-models classes', async () => {
    expect(await modelProblems(renderMeshEdge(values))).toEqual([]);
  });
});

test('the check catches a broken object', async () => {
  const Model = (await modelClass('apps/v1', 'Deployment'))!;
  expect(() => new Model({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 'two' } }).validate()).toThrow();
});
