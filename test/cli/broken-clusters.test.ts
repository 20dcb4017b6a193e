import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { configText, GKE_CLUSTER, ONPREM_CLUSTER, withField } from '../helpers/config';
import { run, tempDir, treeState } from '../helpers/cli';

/**
 * Issue 17, finding 12: several clusters with broken key material (invalid in one,
 * invalid in another, missing in a third) are all reported in one run, in config order,
 * each with the flag that regenerates that cluster only; OUT stays as it was.
 */
describe('several clusters with broken key material', () => {
  const fleet = configText(
    withField(ONPREM_CLUSTER, 'name', 'op-a'),
    withField(GKE_CLUSTER, 'name', 'gke-b'),
    withField(withField(ONPREM_CLUSTER, 'name', 'op-c'), 'ingress.loadBalancerIP', '192.168.30.61'),
    withField(withField(ONPREM_CLUSTER, 'name', 'op-d'), 'ingress.loadBalancerIP', '192.168.30.62'),
  );

  async function rendered() {
    const dir = tempDir('asmpkg-broken-');
    writeFileSync(path.join(dir, 'c.yaml'), fleet);
    expect((await run(['synth', '-c', 'c.yaml', '-o', 'out', '-q'], dir)).code).toBe(0);
    writeFileSync(path.join(dir, 'c.yaml'), fleet + '# changed\n');
    return { dir, out: path.join(dir, 'out') };
  }

  test('every broken cluster is one line, in config order; OUT unchanged', async () => {
    const { dir, out } = await rendered();
    appendFileSync(path.join(out, 'op-a', 'secrets', 'ca-key.pem'), 'junk\n');
    appendFileSync(path.join(out, 'gke-b', 'secrets', 'galley', 'cert-chain.pem'), 'junk\n');
    appendFileSync(path.join(out, 'op-d', 'secrets', 'ca-cert.pem'), 'junk\n');
    const before = treeState(out);
    const r = await run(['synth', '-c', 'c.yaml', '-o', 'out'], dir);
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^asmpkg: .*\/out\/op-a\/secrets\/ca-key\.pem: has text that is not PEM .*--regenerate-ca op-a\)$/),
      expect.stringMatching(/^asmpkg: .*\/out\/gke-b\/secrets\/galley\/cert-chain\.pem: has text that is not PEM .*--regenerate-ca gke-b\)$/),
      expect.stringMatching(/^asmpkg: .*\/out\/op-d\/secrets\/ca-cert\.pem: has text that is not PEM .*--regenerate-ca op-d\)$/),
    ]);
    expect(treeState(out)).toEqual(before);
  });

  test('missing and invalid key material together: both kinds in one run', async () => {
    const { dir, out } = await rendered();
    appendFileSync(path.join(out, 'op-a', 'secrets', 'ca-key.pem'), 'junk\n');
    rmSync(path.join(out, 'op-c', 'secrets', 'root-cert.pem'));
    const before = treeState(out);
    const r = await run(['synth', '-c', 'c.yaml', '-o', 'out'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').map((l) => /\/out\/([a-z-]+)\/secrets/.exec(l)?.[1])).toEqual(['op-a', 'op-c']);
    expect(r.stderr).toContain('root-cert.pem (recorded in');
    expect(treeState(out)).toEqual(before);

    // Regenerating exactly the broken ones lets the run through; the others keep their keys.
    const kept = treeState(path.join(out, 'op-d', 'secrets'));
    const fixed = await run(['synth', '-c', 'c.yaml', '-o', 'out', '-q', '--regenerate-ca', 'op-a', 'op-c'], dir);
    expect([fixed.code, fixed.stderr.includes('new CA')]).toEqual([0, true]);
    expect(treeState(path.join(out, 'op-d', 'secrets'))).toEqual(kept);
  });
});
