// Validates GitOps objects against the @kubernetes-models schemas, which ship as ES
// modules only (jest here runs CommonJS): reads a JSON list of objects on stdin, prints a
// JSON list of problems, one per object that has no model or fails validation.
const MODULES = {
  'argoproj.io/v1alpha1': '@kubernetes-models/argo-cd/argoproj.io/v1alpha1',
  'kustomize.toolkit.fluxcd.io/v1': '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1',
  'source.toolkit.fluxcd.io/v1': '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1',
  'bitnami.com/v1alpha1': '@kubernetes-models/sealed-secrets/bitnami.com/v1alpha1',
  'external-secrets.io/v1beta1': '@kubernetes-models/external-secrets/external-secrets.io/v1beta1',
};

let input = '';
for await (const chunk of process.stdin) input += chunk;
const problems = [];
for (const obj of JSON.parse(input)) {
  const where = `${obj.apiVersion} ${obj.kind} ${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}`;
  const module = MODULES[obj.apiVersion];
  const Model = module ? (await import(module))[obj.kind] : undefined;
  if (!Model) {
    problems.push(`${where}: no model`);
    continue;
  }
  try {
    new Model(obj).validate();
  } catch (e) {
    problems.push(`${where}: ${e.message}`);
  }
}
process.stdout.write(JSON.stringify(problems));
