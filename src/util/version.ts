/** Platform versions of the form `MAJOR.MINOR.PATCH-gke.N` (GKE and GKE on-prem). */
export interface PlatformVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly gke: number;
}

const PLATFORM_VERSION = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})-gke\.(\d{1,6})$/;

export function parsePlatformVersion(text: string): PlatformVersion | undefined {
  const m = PLATFORM_VERSION.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), gke: Number(m[4]) };
}

/** Negative when a < b, zero when equal, positive when a > b. */
export function comparePlatformVersions(a: PlatformVersion, b: PlatformVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || a.gke - b.gke;
}

/** `MAJOR.MINOR` of a parsed version. */
export function minorOf(v: PlatformVersion): string {
  return `${v.major}.${v.minor}`;
}
