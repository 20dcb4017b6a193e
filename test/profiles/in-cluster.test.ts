import { App } from 'cdk8s';
import { stringify } from 'yaml';
import { addInClusterFiles } from '../../src/profiles/in-cluster';
import { PackageFile } from '../../src/render/package-file';
import { gkeValues, onpremValues } from '../helpers/mesh-values';
test('dbg', () => {
  for (const v of [gkeValues(), onpremValues()]) {
    const app = new App();
    addInClusterFiles(app, v);
    for (const f of PackageFile.allIn(app)) {
      if (f.filePath.startsWith('crds')) continue;
      console.log('#### ' + f.filePath + '\n' + f.toJson().map((o: any) => stringify(o)).join('---\n'));
    }
  }
  const t0 = Date.now();
  for (let i = 0; i < 200; i++) { const app = new App(); addInClusterFiles(app, gkeValues()); PackageFile.allIn(app).forEach((f) => f.toJson()); }
  console.log('200 renders ms', Date.now() - t0);
});
