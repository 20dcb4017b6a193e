#!/usr/bin/env node
// Fleet benchmark: times `asmpkg synth` as a whole process on generated fleets of mixed
// profiles, next to `node -e 0` in the same run, and records peak memory.
// Usage: node bench/fleet.js [--sizes 100,300,1000] [--results bench/results.md] [--runs 3]
'use strict';
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'asmpkg.js');
const EXAMPLE = path.join(ROOT, 'examples', 'asmpkg.yaml');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

/**
 * A fleet of n clusters cycling through the three profiles. With `gitops`, delivered by
 * that engine with sealed secrets (sealed to `sealingCertificate`), over four waves.
 */
function fleetConfig(n, gitops) {
  const lines = gitops
    ? [
        `gitops: { engine: ${gitops.engine}, repoURL: "https://git.example.com/platform/mesh.git", path: fleet }`,
        `secrets: { mode: sealed, sealingCertificate: ${gitops.sealingCertificate} }`,
        'clusters:',
      ]
    : ['clusters:'];
  for (let i = 0; i < n; i++) {
    const name = `c${String(i).padStart(5, '0')}`;
    switch (i % 3) {
      case 0:
        lines.push(`  - { name: ${name}, profile: gke, project: { id: proj-${name}, number: "${100000000000 + i}" }, location: us-central1-c, version: 1.15.9-gke.22, nodePool: { machineType: e2-standard-4, nodeCount: 4 } }`);
        break;
      case 1:
        lines.push(`  - { name: ${name}, profile: gke-istioctl, project: { id: proj-${name}, number: "${100000000000 + i}" }, location: europe-west1, version: 1.14.10-gke.27, adminUser: ops@example.com, nodePool: { machineType: n1-standard-4, nodeCount: 4 } }`);
        break;
      default:
        lines.push(`  - { name: ${name}, profile: onprem, version: 1.2.0-gke.6, adminUser: ops@example.com, nodePool: { cpus: 4, nodeCount: 4 }, ingress: { loadBalancerIP: 10.0.${Math.floor(i / 250) % 250}.${(i % 250) + 1} }, certificates: { algorithm: ecdsa-p256 } }`);
    }
  }
  if (gitops) for (let i = lines.length - n; i < lines.length; i++) lines[i] = lines[i].replace(/ \}$/, `, wave: ${(i % 4)} }`);
  return lines.join('\n') + '\n';
}

/** A Sealed Secrets controller's certificate (RSA 4096, like the controller's), written to `file`. */
async function writeSealingCertificate(file) {
  const { x509 } = require(path.join(ROOT, 'lib', 'certs', 'x509.js'));
  const alg = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 4096, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  const keys = await crypto.webcrypto.subtle.generateKey(alg, false, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'O=sealed-secret, CN=sealed-secret',
    notBefore: new Date(now - 86400000),
    notAfter: new Date(now + 365 * 86400000),
    signingAlgorithm: alg,
    keys,
  });
  fs.writeFileSync(file, cert.toString('pem') + '\n');
}

/** Wall seconds and peak RSS (MiB) of one process. */
function measure(args, cwd) {
  const rssFile = path.join(os.tmpdir(), `asmpkg-bench-rss-${process.pid}`);
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', path.join(__dirname, 'maxrss.js'), ...args], {
    cwd,
    env: { ...process.env, ASMPKG_BENCH_RSS_FILE: rssFile },
    encoding: 'utf8',
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const rssKiB = Number(fs.readFileSync(rssFile, 'utf8'));
  fs.rmSync(rssFile, { force: true });
  return { wall, peakMiB: rssKiB / 1024 };
}

function best(runs, fn) {
  let result;
  for (let i = 0; i < runs; i++) {
    const r = fn(i);
    if (!result || r.wall < result.wall) result = r;
  }
  return result;
}

async function main() {
  const sizes = arg('sizes', '100,300,1000').split(',').map(Number);
  const runs = Number(arg('runs', '3'));
  const resultsFile = path.resolve(arg('results', path.join(ROOT, 'bench', 'results.md')));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'asmpkg-bench-'));
  try {
    const baseline = best(runs, () => measure(['-e', '0'], work));

    // What a pipeline does on every commit: the example into an existing output.
    const exampleOut = path.join(work, 'example');
    measure([CLI, 'synth', '-c', EXAMPLE, '-o', exampleOut, '--quiet'], work);
    const rerender = best(runs, () => measure([CLI, 'synth', '-c', EXAMPLE, '-o', exampleOut, '--quiet'], work));

    const rows = [];
    for (const n of sizes) {
      const config = path.join(work, `fleet-${n}.yaml`);
      fs.writeFileSync(config, fleetConfig(n));
      const r = best(Math.min(runs, n >= 1000 ? 2 : runs), (i) => measure([CLI, 'synth', '-c', config, '-o', path.join(work, `out-${n}-${i}`), '--quiet'], work));
      rows.push({ n, ...r });
    }
    // What a pipeline does when the config changed: the largest fleet again into its own
    // output, every cluster's key material already there (read and checked, not made).
    const largest = sizes[sizes.length - 1];
    const changed = best(Math.min(runs, 2), (i) => {
      const config = path.join(work, `fleet-${largest}-changed-${i}.yaml`);
      fs.writeFileSync(config, `${fleetConfig(largest)}# change ${i}\n`);
      return measure([CLI, 'synth', '-c', config, '-o', path.join(work, `out-${largest}-0`), '--quiet'], work);
    });

    // The same fleets delivered by GitOps with sealed secrets: controller objects, ordering
    // annotations and a SealedSecret per kept Secret on top of the packages.
    const engine = arg('gitops-engine', 'configsync');
    const sealingCertificate = path.join(work, 'sealed-secrets.pem');
    await writeSealingCertificate(sealingCertificate);
    const gitopsRows = [];
    for (const n of [sizes[0], sizes[sizes.length - 1]].filter((v, i, a) => a.indexOf(v) === i)) {
      const config = path.join(work, `gitops-${n}.yaml`);
      fs.writeFileSync(config, fleetConfig(n, { engine, sealingCertificate }));
      const r = best(Math.min(runs, n >= 1000 ? 2 : runs), (i) => measure([CLI, 'synth', '-c', config, '-o', path.join(work, `gitops-out-${n}-${i}`), '--quiet'], work));
      gitopsRows.push({ n, ...r });
    }
    const gFirst = gitopsRows[0];
    const gLast = gitopsRows[gitopsRows.length - 1];
    const gitopsMarginalMs = gitopsRows.length > 1 ? ((gLast.wall - gFirst.wall) / (gLast.n - gFirst.n)) * 1000 : (gFirst.wall / gFirst.n) * 1000;

    // Marginal cost: slope between the smallest and largest fleet.
    const first = rows[0];
    const last = rows[rows.length - 1];
    const marginalMs = rows.length > 1 ? ((last.wall - first.wall) / (last.n - first.n)) * 1000 : (first.wall / first.n) * 1000;

    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const lines = [
      '# Fleet benchmark',
      '',
      `Machine: ${cpu}, ${os.cpus().length} cores; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}.`,
      `Each figure is the best of ${runs} runs of a whole \`asmpkg synth\` process (fresh output directory per fleet run).`,
      '',
      `Baseline \`node -e 0\`: ${baseline.wall.toFixed(3)} s.`,
      `Re-render of the example config into an existing output: ${rerender.wall.toFixed(3)} s = ${(rerender.wall / baseline.wall).toFixed(2)}x the baseline (target: at most 3x).`,
      '',
      '| clusters | wall s | ms per cluster | peak MiB | ratio to node -e 0 |',
      '|---:|---:|---:|---:|---:|',
      ...rows.map((r) => `| ${r.n} | ${r.wall.toFixed(2)} | ${((r.wall / r.n) * 1000).toFixed(2)} | ${r.peakMiB.toFixed(0)} | ${(r.wall / baseline.wall).toFixed(1)} |`),
      '',
      `Marginal cost per cluster (slope ${first.n} → ${last.n}): ${marginalMs.toFixed(2)} ms (target: under 10 ms).`,
      '',
      `Re-render of the ${largest}-cluster fleet into its existing output after a config change (key material kept, checked): ${changed.wall.toFixed(2)} s, peak ${changed.peakMiB.toFixed(0)} MiB.`,
      '',
      `With \`gitops: ${engine}\` and \`secrets.mode: sealed\` (4 waves, RSA-4096 sealing certificate):`,
      '',
      '| clusters | wall s | ms per cluster | peak MiB |',
      '|---:|---:|---:|---:|',
      ...gitopsRows.map((r) => `| ${r.n} | ${r.wall.toFixed(2)} | ${((r.wall / r.n) * 1000).toFixed(2)} | ${r.peakMiB.toFixed(0)} |`),
      '',
      `Marginal cost per cluster with GitOps and sealing (slope ${gFirst.n} → ${gLast.n}): ${gitopsMarginalMs.toFixed(2)} ms (target: under 10 ms).`,
      '',
    ];
    const text = lines.join('\n');
    fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
    fs.writeFileSync(resultsFile, text);
    process.stdout.write(text);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exit(1);
  });
}
module.exports = { fleetConfig };
