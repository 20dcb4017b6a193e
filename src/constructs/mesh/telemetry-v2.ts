import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  HTTP_CONNECTION_MANAGER,
  MESH_EDGES_REPORTING_DURATION,
  NULL_VM_RUNTIME,
  ROUTER_FILTER,
  STATS_PREFIX,
  TELEMETRY_V2_FILTERS,
  TELEMETRY_V2_LABELS,
  TELEMETRY_V2_NAMESPACE,
  TELEMETRY_V2_PROXY_VERSION,
  WASM_HTTP_FILTER,
  type TelemetryFilterSpec,
  type TelemetryPatchSpec,
} from '../../catalog/telemetry-v2';
import type { MeshValues } from './values';

/** Which telemetry v2 filters a mesh gets, and how the Stackdriver one is set. */
export interface TelemetryV2Plan {
  /** The Prometheus stats filter (always: promsd and Prometheus read `istio_*` metrics from 15090). */
  readonly prometheus: boolean;
  /** The Stackdriver filter, when anything goes to Stackdriver (GKE only). */
  readonly stackdriver?: {
    /** Metrics to Stackdriver (`telemetry.metrics: stackdriver`). */
    readonly monitoring: boolean;
    /** Server access logs to Stackdriver Logging (`telemetry.accessLog: stackdriver`). */
    readonly logging: boolean;
    /** Mesh edges for the ASM topology view; reported with Stackdriver metrics. */
    readonly topology: boolean;
  };
}

/**
 * Maps the telemetry options onto the filters, as ASM 1.4 installs them: metadata
 * exchange and the stats filter everywhere, the Stackdriver filter on GKE when metrics
 * or access logs go to Stackdriver. Istio 1.4's Stackdriver filter has no switch for
 * metrics, so with `metrics: prometheus` and `accessLog: stackdriver` it also reports
 * metrics (the installer's `monitoring` value is not read by its template either).
 */
export function telemetryV2Plan(values: Pick<MeshValues, 'platform' | 'telemetry'>): TelemetryV2Plan {
  const t = values.telemetry;
  const monitoring = t.metrics === 'stackdriver';
  const logging = t.accessLog === 'stackdriver';
  const stackdriver = values.platform === 'gke' && (monitoring || logging);
  return { prometheus: true, ...(stackdriver ? { stackdriver: { monitoring, logging, topology: monitoring } } : {}) };
}

export interface TelemetryV2Props {
  readonly values: MeshValues;
}

/**
 * Telemetry v2 of Istio 1.4: the EnvoyFilters that make every Istio 1.4 proxy (sidecars
 * and gateways) exchange peer metadata and report request metrics — and, on GKE, send
 * them and access logs to Stackdriver. Without them Envoy keeps only its own stats.
 * `networking.istio.io/v1alpha3`, in the root namespace so they apply mesh-wide.
 */
export class TelemetryV2 extends Construct {
  readonly plan: TelemetryV2Plan;

  constructor(scope: Construct, id: string, props: TelemetryV2Props) {
    super(scope, id);
    this.plan = telemetryV2Plan(props.values);
    const f = TELEMETRY_V2_FILTERS;
    envoyFilter(this, f.metadataExchange, () => f.metadataExchange.extension);
    if (this.plan.prometheus) envoyFilter(this, f.stats, () => JSON.stringify({ debug: 'false', stat_prefix: STATS_PREFIX }));
    const sd = this.plan.stackdriver;
    if (sd) {
      envoyFilter(this, f.stackdriver, (p) =>
        JSON.stringify({
          enable_mesh_edges_reporting: sd.topology,
          disable_server_access_logging: !sd.logging,
          meshEdgesReportingDuration: MESH_EDGES_REPORTING_DURATION,
          // at a gateway the host header names the external host, not a mesh service
          ...(p.gateway ? { disable_host_header_fallback: true } : {}),
        }),
      );
    }
  }
}

/** One EnvoyFilter: each patch inserts the filter's null-VM extension into the HTTP connection manager. */
function envoyFilter(scope: Construct, spec: TelemetryFilterSpec, configuration: (p: TelemetryPatchSpec) => string): ApiObject {
  return new ApiObject(scope, spec.id, {
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'EnvoyFilter',
    metadata: { name: spec.name, namespace: TELEMETRY_V2_NAMESPACE, labels: { ...TELEMETRY_V2_LABELS } },
    spec: {
      configPatches: spec.patches.map((p) => ({
        applyTo: 'HTTP_FILTER',
        match: {
          context: p.context,
          proxy: { proxyVersion: TELEMETRY_V2_PROXY_VERSION },
          listener: {
            filterChain: {
              filter: { name: HTTP_CONNECTION_MANAGER, ...(p.beforeRouter ? { subFilter: { name: ROUTER_FILTER } } : {}) },
            },
          },
        },
        patch: {
          operation: 'INSERT_BEFORE',
          value: {
            name: WASM_HTTP_FILTER,
            config: {
              config: {
                ...(p.rootId ? { root_id: p.rootId } : {}),
                configuration: configuration(p),
                vm_config: {
                  ...(p.vmId ? { vm_id: p.vmId } : {}),
                  runtime: NULL_VM_RUNTIME,
                  code: { inline_string: spec.extension },
                },
              },
            },
          },
        },
      })),
    },
  });
}
