import { REGENERATE_COMMAND } from './support-matrix-doc';
import { UPSTREAM_DIFFERENCES, type DifferenceArea } from './upstream-differences';

/**
 * Renders `docs/upstream-differences.md` from `upstream-differences.ts`. The file is
 * generated: a test fails when it differs from this output.
 */

export const UPSTREAM_DIFFERENCES_DOC_PATH = 'docs/upstream-differences.md';

const AREA_TITLES: Record<DifferenceArea, string> = {
  security: 'Security',
  'control-plane': 'Control plane',
  sidecar: 'Injected sidecars',
  telemetry: 'Telemetry',
  gateway: 'Gateways',
  layout: 'Layout',
};

export function renderUpstreamDifferencesMarkdown(): string {
  const out: string[] = [
    '# Deliberate differences from upstream Istio 1.4.6',
    '',
    `<!-- Generated from src/catalog/upstream-differences.ts; do not edit. Regenerate with: ${REGENERATE_COMMAND} -->`,
    '',
    'asmpkg renders what ASM 1.4.6-asm.0 installs. Where that differs from what the istioctl 1.4.6',
    'installer charts render (SPEC §12), the difference is deliberate and listed here with its reason.',
    'A test renders the upstream charts with ASM\'s settings, compares them with asmpkg\'s install',
    '(objects by kind and name, container args, env names, ports, volumes and mounts) and fails on any',
    'difference this list does not explain.',
    '',
  ];
  const areas = [...new Set(UPSTREAM_DIFFERENCES.map((d) => d.area))];
  for (const area of areas) {
    out.push(`## ${AREA_TITLES[area]}`, '');
    for (const d of UPSTREAM_DIFFERENCES.filter((x) => x.area === area)) {
      out.push(`### ${d.title}`, '', `- upstream 1.4.6: ${d.upstream}`, `- asmpkg: ${d.asmpkg}`, `- why: ${d.reason}`, '');
    }
  }
  return out.join('\n');
}
