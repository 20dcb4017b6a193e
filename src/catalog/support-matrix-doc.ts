import { ISTIO_ADDON_SUPPORT } from './istio-on-gke';
import { MATRIX_PROFILES, SUPPORT_AREAS, SUPPORT_MATRIX, SupportArea } from './support-matrix';

/**
 * Renders `docs/support-matrix.md` from the support matrix. The file is generated:
 * a test fails when it differs from this output, so the page cannot drift from the
 * data that config validation and `asmpkg lint` use.
 */

export const SUPPORT_MATRIX_DOC_PATH = 'docs/support-matrix.md';

/** The command that regenerates the page (package.json script). */
export const REGENERATE_COMMAND = 'npm run generate';

const AREA_TITLES: Record<SupportArea, string> = {
  traffic: 'Traffic management',
  security: 'Security',
  observability: 'Observability',
};

/** Table cells must not break the row. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderSupportMatrixMarkdown(): string {
  const out: string[] = [
    '# ASM 1.4.6-asm.0 support matrix',
    '',
    `<!-- Generated from src/catalog/support-matrix.ts; do not edit. Regenerate with: ${REGENERATE_COMMAND} -->`,
    '',
    'What Anthos Service Mesh 1.4 supports, per asmpkg profile (SPEC section 7, seed slides 25-38).',
    'asmpkg refuses a config that asks for an unsupported feature, and `asmpkg lint` reports',
    'manifests that use one; both name the feature id below.',
    '',
    '- **default**: ASM turns it on at install.',
    '- **optional**: supported when you choose it.',
    '- **unsupported**: not supported by ASM 1.4 on that profile.',
    '',
    'The **istio-on-gke** column is the Istio on GKE add-on (not ASM; SPEC section 13), for comparison:',
    'filled in where its facts are known, `?` where they are not. Its config refusals come from its',
    'own facts, not from this table.',
  ];
  for (const area of SUPPORT_AREAS) {
    out.push('', `## ${AREA_TITLES[area]}`, '');
    out.push(`| Feature | ID | ${MATRIX_PROFILES.join(' | ')} | istio-on-gke | Reason / note |`);
    out.push(`|---|---|${MATRIX_PROFILES.map(() => '---').join('|')}|---|---|`);
    for (const f of SUPPORT_MATRIX.filter((x) => x.area === area)) {
      out.push(`| ${cell(f.title)} | \`${f.id}\` | ${MATRIX_PROFILES.map((p) => f.status[p]).join(' | ')} | ${ISTIO_ADDON_SUPPORT[f.id] ?? '?'} | ${cell(f.reason)} |`);
    }
  }
  return out.join('\n') + '\n';
}
