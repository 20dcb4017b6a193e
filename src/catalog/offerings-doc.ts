import { OFFERINGS, Offering } from './offerings';

/**
 * The README's side-by-side table of the three offerings, between markers, rendered from
 * `offerings.ts`. `npm run generate` rewrites it; a test fails when the README differs.
 */
export const OFFERINGS_BEGIN = '<!-- offerings:begin (generated from src/catalog/offerings.ts by npm run generate) -->';
export const OFFERINGS_END = '<!-- offerings:end -->';

const ROWS: readonly [string, (o: Offering) => string][] = [
  ['asmpkg profiles', (o) => o.profiles.map((p) => `\`${p}\``).join(', ')],
  ['what you run', (o) => o.youRun],
  ['what Google runs', (o) => o.googleRuns],
  ['licence', (o) => o.licence],
  ['install', (o) => o.install],
  ['mTLS', (o) => o.mtls],
  ['telemetry', (o) => o.telemetry],
];

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderOfferingsTable(): string {
  return [
    OFFERINGS_BEGIN,
    `| | ${OFFERINGS.map((o) => o.name).join(' | ')} |`,
    `|---|${OFFERINGS.map(() => '---').join('|')}|`,
    ...ROWS.map(([label, get]) => `| ${label} | ${OFFERINGS.map((o) => cell(get(o))).join(' | ')} |`),
    OFFERINGS_END,
  ].join('\n');
}

/** The README with its offerings table replaced by the current one; throws if the markers are missing. */
export function withOfferingsTable(readme: string): string {
  const start = readme.indexOf(OFFERINGS_BEGIN);
  const end = readme.indexOf(OFFERINGS_END);
  if (start < 0 || end < start) throw new Error('README.md has no offerings table markers');
  return readme.slice(0, start) + renderOfferingsTable() + readme.slice(end + OFFERINGS_END.length);
}
