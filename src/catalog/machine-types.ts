/**
 * vCPU counts of Compute Engine machine types, for the "at least 4 vCPU" rule.
 * Predefined types are `FAMILY-CLASS-N` with N vCPUs; the shared-core types are
 * listed by name; custom types spell their vCPU count (`custom-N-M`,
 * `FAMILY-custom-N-M`, optional `-ext` for extended memory).
 */

/** Predefined machine classes by family, with the vCPU sizes GCE offers. */
export const PREDEFINED_MACHINE_TYPES: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>> = {
  e2: {
    standard: [2, 4, 8, 16, 32],
    highmem: [2, 4, 8, 16],
    highcpu: [2, 4, 8, 16, 32],
  },
  n1: {
    standard: [1, 2, 4, 8, 16, 32, 64, 96],
    highmem: [2, 4, 8, 16, 32, 64, 96],
    highcpu: [2, 4, 8, 16, 32, 64, 96],
  },
  n2: {
    standard: [2, 4, 8, 16, 32, 48, 64, 80, 96, 128],
    highmem: [2, 4, 8, 16, 32, 48, 64, 80, 96, 128],
    highcpu: [2, 4, 8, 16, 32, 48, 64, 80, 96],
  },
  n2d: {
    standard: [2, 4, 8, 16, 32, 48, 64, 80, 96, 128, 224],
    highmem: [2, 4, 8, 16, 32, 48, 64, 80, 96],
    highcpu: [2, 4, 8, 16, 32, 48, 64, 80, 96, 128, 224],
  },
  c2: {
    standard: [4, 8, 16, 30, 60],
  },
};

/** Shared-core types: a fraction of a vCPU, or 2 vCPUs time-shared. */
export const SHARED_CORE_MACHINE_TYPES: Readonly<Record<string, number>> = {
  'f1-micro': 0.2,
  'g1-small': 0.5,
  'e2-micro': 0.25,
  'e2-small': 0.5,
  'e2-medium': 1,
};

/**
 * Custom machine type rules per family, from Compute Engine's "Creating a VM instance with
 * a custom machine type" page as of mid-2020 (the time of ASM 1.4). Memory is in MB as in
 * the type name (`custom-4-15360`: 4 vCPUs, 15,360 MB); "GB" in those docs is 1,024 MB.
 * - N1 (`custom-N-M`): 1 vCPU or an even number up to 96; 0.9–6.5 GB per vCPU.
 * - E2 (`e2-custom-N-M`): 2 to 32 vCPUs in steps of 2; 0.5–8 GB per vCPU; no extended memory.
 * - N2 (`n2-custom-N-M`): up to 32 vCPUs in steps of 2, then steps of 4 up to 80; 0.5–8 GB per vCPU.
 * - N2D (`n2d-custom-N-M`): 2, 4, 8 or 16 vCPUs, then steps of 16 up to 96; 0.5–8 GB per vCPU.
 * Every family: memory a multiple of 256 MB. Extended memory (`-ext`, N1/N2/N2D) lifts the
 * per-vCPU ceiling, not the floor, up to the family's total maximum.
 */
export interface CustomMachineRule {
  /** Whether this vCPU count is offered, and the rule in words. */
  readonly vcpus: (n: number) => boolean;
  readonly vcpuRule: string;
  readonly minMbPerVcpu: number;
  readonly maxMbPerVcpu: number;
  /** Total memory ceiling with extended memory (MB); undefined: no extended memory. */
  readonly maxExtendedMb?: number;
}

const GB = 1024;
const even = (n: number, max: number) => n >= 2 && n <= max && n % 2 === 0;

export const CUSTOM_MACHINE_RULES: Readonly<Record<string, CustomMachineRule>> = {
  n1: { vcpus: (n) => n === 1 || even(n, 96), vcpuRule: '1 or an even number up to 96', minMbPerVcpu: 0.9 * GB, maxMbPerVcpu: 6.5 * GB, maxExtendedMb: 624 * GB },
  e2: { vcpus: (n) => even(n, 32), vcpuRule: 'an even number from 2 to 32', minMbPerVcpu: 0.5 * GB, maxMbPerVcpu: 8 * GB },
  n2: {
    vcpus: (n) => even(n, 32) || (n > 32 && n <= 80 && n % 4 === 0),
    vcpuRule: 'an even number up to 32, then a multiple of 4 up to 80',
    minMbPerVcpu: 0.5 * GB,
    maxMbPerVcpu: 8 * GB,
    maxExtendedMb: 640 * GB,
  },
  n2d: {
    vcpus: (n) => [2, 4, 8, 16].includes(n) || (n > 16 && n <= 96 && n % 16 === 0),
    vcpuRule: '2, 4, 8, 16, then a multiple of 16 up to 96',
    minMbPerVcpu: 0.5 * GB,
    maxMbPerVcpu: 8 * GB,
    maxExtendedMb: 768 * GB,
  },
};

/** Custom memory is a multiple of this many MB. */
export const CUSTOM_MEMORY_STEP_MB = 256;

/** Families that accept custom machine types; `custom-N-M` alone is N1. */
export const CUSTOM_MACHINE_FAMILIES: readonly string[] = Object.keys(CUSTOM_MACHINE_RULES);

export type MachineTypeLookup =
  | { readonly known: true; readonly vcpus: number }
  | { readonly known: false; readonly reason: string };

const gb = (mb: number) => `${Math.round((mb / GB) * 100) / 100} GB`;

/** Why a custom type's vCPU count or memory is not one Compute Engine offers, if it is not. */
function customProblem(family: string, rule: CustomMachineRule, vcpus: number, mb: number, ext: boolean): string | undefined {
  const name = family.toUpperCase();
  if (!rule.vcpus(vcpus)) return `${name} custom types have ${rule.vcpuRule} vCPUs, not ${vcpus}`;
  if (mb % CUSTOM_MEMORY_STEP_MB !== 0) return `custom memory must be a multiple of ${CUSTOM_MEMORY_STEP_MB} MB, not ${mb} MB`;
  const perVcpu = mb / vcpus;
  if (perVcpu < rule.minMbPerVcpu) return `${name} custom types need at least ${gb(rule.minMbPerVcpu)} per vCPU (${gb(perVcpu)} given)`;
  if (ext && rule.maxExtendedMb === undefined) return `${name} has no extended memory (-ext)`;
  if (!ext && perVcpu > rule.maxMbPerVcpu) {
    return `${name} custom types take at most ${gb(rule.maxMbPerVcpu)} per vCPU (${gb(perVcpu)} given${rule.maxExtendedMb ? '; more needs -ext' : ''})`;
  }
  if (ext && mb > rule.maxExtendedMb!) return `${name} extended memory is at most ${gb(rule.maxExtendedMb!)} in total`;
  return undefined;
}

/** vCPUs of a machine type, or why the name is not a machine type asmpkg knows. */
export function machineTypeVcpus(name: string): MachineTypeLookup {
  if (name in SHARED_CORE_MACHINE_TYPES) return { known: true, vcpus: SHARED_CORE_MACHINE_TYPES[name] };

  const custom = /^(?:([a-z0-9]+)-)?custom-(\d+)-(\d+)(-ext)?$/.exec(name);
  if (custom) {
    const family = custom[1] ?? 'n1';
    const rule = CUSTOM_MACHINE_RULES[family];
    if (!rule) {
      return { known: false, reason: `family "${family}" has no custom machine types (${CUSTOM_MACHINE_FAMILIES.join(', ')} do)` };
    }
    const vcpus = Number(custom[2]);
    const problem = customProblem(family, rule, vcpus, Number(custom[3]), custom[4] !== undefined);
    return problem ? { known: false, reason: problem } : { known: true, vcpus };
  }

  const predefined = /^([a-z0-9]+)-([a-z]+)-(\d+)$/.exec(name);
  if (predefined) {
    const [, family, klass, n] = predefined;
    const sizes = PREDEFINED_MACHINE_TYPES[family]?.[klass];
    if (sizes && sizes.includes(Number(n))) return { known: true, vcpus: Number(n) };
    if (sizes) return { known: false, reason: `${family}-${klass} comes in ${sizes.join(', ')} vCPUs` };
  }
  const families = Object.keys(PREDEFINED_MACHINE_TYPES).join(', ');
  return { known: false, reason: `not a machine type of the families asmpkg knows (${families}, or custom-N-M)` };
}
