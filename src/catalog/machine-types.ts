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

/** Families that accept custom machine types; `custom-N-M` alone is N1. */
export const CUSTOM_MACHINE_FAMILIES: readonly string[] = ['n1', 'e2', 'n2', 'n2d'];

export type MachineTypeLookup =
  | { readonly known: true; readonly vcpus: number }
  | { readonly known: false; readonly reason: string };

/** vCPUs of a machine type, or why the name is not a machine type asmpkg knows. */
export function machineTypeVcpus(name: string): MachineTypeLookup {
  if (name in SHARED_CORE_MACHINE_TYPES) return { known: true, vcpus: SHARED_CORE_MACHINE_TYPES[name] };

  const custom = /^(?:([a-z0-9]+)-)?custom-(\d+)-(\d+)(?:-ext)?$/.exec(name);
  if (custom) {
    const family = custom[1] ?? 'n1';
    if (!CUSTOM_MACHINE_FAMILIES.includes(family)) {
      return { known: false, reason: `family "${family}" has no custom machine types (${CUSTOM_MACHINE_FAMILIES.join(', ')} do)` };
    }
    return { known: true, vcpus: Number(custom[2]) };
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
