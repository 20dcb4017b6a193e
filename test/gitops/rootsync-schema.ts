import { z } from 'zod';

/**
 * RootSync (configsync.gke.io/v1beta1) by Config Sync's documented fields: the ones asmpkg
 * may write, strictly, so a misspelt or misplaced field fails.
 */
const name = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).max(63);
export const rootSyncSchema = z.strictObject({
  apiVersion: z.literal('configsync.gke.io/v1beta1'),
  kind: z.literal('RootSync'),
  metadata: z.strictObject({
    name,
    namespace: z.literal('config-management-system'),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.strictObject({
    sourceType: z.enum(['git', 'oci', 'helm']).optional(),
    sourceFormat: z.enum(['hierarchy', 'unstructured']),
    git: z.strictObject({
      repo: z.string().min(1),
      branch: z.string().min(1).optional(),
      revision: z.string().min(1).optional(),
      dir: z.string().min(1),
      period: z.string().optional(),
      auth: z.enum(['ssh', 'cookiefile', 'gcenode', 'gcpserviceaccount', 'token', 'none', 'githubapp', 'k8sserviceaccount']),
      secretRef: z.strictObject({ name }).optional(),
      gcpServiceAccountEmail: z.string().optional(),
      noSSLVerify: z.boolean().optional(),
    }),
  }),
});
