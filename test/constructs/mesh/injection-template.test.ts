import { injectionTemplate } from '../../../src/constructs/mesh/injection-template';
import { gkeValues } from '../../helpers/mesh-values';
import { renderInjectionTemplate } from '../../helpers/go-template';
test('x', () => {
const t = injectionTemplate(gkeValues());
console.log(t);
console.log(renderInjectionTemplate(t, { labels: { app: 'hello-app-v1' }, namespace: 'ns', deploymentName: 'hello', ownerApiVersion: 'apps/v1', ownerKind: 'Deployment', containerPorts: [8080] }));
});
