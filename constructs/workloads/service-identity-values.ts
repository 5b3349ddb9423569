/**
 * The values every bundled service chart (failover, replicator, cost-analyzer) shares: the image, the service
 * account with its workload identity, the projected-token wiring that lets a pod reach another cloud (AWS web
 * identity, GCP Workload Identity Federation, Azure workload identity), the health probes and the resources.
 * Each `*-values.ts` composes these into its chart's values, so the three charts take the same shape for the same
 * concern.
 */
import { type BundledService, serviceAccountOf } from '../common/bundled-services';
import { AZURE_TOKEN_EXCHANGE_AUDIENCE } from '../azure/workload-identity';

/** The image props of a bundled service. */
export interface ServiceImageProps {
  /** The image built from the service's Dockerfile, e.g. `ghcr.io/acme/skyline-failover`. */
  readonly imageRepository: string;
  /** A release tag such as `0.1.0`; required unless `imageDigest` is set. @default none */
  readonly imageTag?: string;
  /** `sha256:<64 hex>`: pulls exactly this image. @default none (pulled by tag) */
  readonly imageDigest?: string;
}

/** Google Cloud through Workload Identity Federation (a `GcpClusterFederation`): the pod's token, exchanged. */
export interface GcpFederationProps {
  /** The federation provider, `//iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>`. */
  readonly audience: string;
  /** The Google service account the pod acts as. */
  readonly serviceAccountEmail: string;
}

/** Azure through a federated credential on a managed identity (an `AzureClusterFederation`). */
export interface AzureFederationProps {
  /** Client ID of the managed identity. */
  readonly clientId: string;
  /** Entra tenant of the identity. */
  readonly tenantId: string;
}

export interface ImageValues {
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
}

export interface ProbeValues {
  readonly path: string;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
}

export interface CpuMemoryValues {
  /** Kubernetes quantity, e.g. `500m`. */
  readonly cpu: string;
  /** Kubernetes quantity, e.g. `2048Mi`. */
  readonly memory: string;
}

export interface HealthProbeValues {
  readonly readiness: ProbeValues;
  readonly liveness: ProbeValues;
}

export interface ResourceValues {
  readonly requests: CpuMemoryValues;
  readonly limits: CpuMemoryValues;
}

export interface ServiceAccountValues {
  readonly name: string;
  readonly annotations: Readonly<Record<string, string>>;
}

/** The key under which a chart expects the projected token's mount path (the charts predate a common name). */
export type TokenMountPathKey = 'mountPath' | 'tokenMountPath';

type TokenMountPath<K extends TokenMountPathKey> = { readonly [key in K]: string };

export type GcpFederationValues<K extends TokenMountPathKey> = { readonly enabled: boolean; readonly audience: string; readonly serviceAccountEmail: string } & TokenMountPath<K> & {
  readonly expirationSeconds: number;
};

export type AzureFederationValues<K extends TokenMountPathKey> = {
  readonly enabled: boolean;
  readonly clientId: string;
  readonly tenantId: string;
  readonly audience: string;
  readonly authorityHost: string;
} & TokenMountPath<K> & { readonly expirationSeconds: number };

export interface AwsWebIdentityValues {
  readonly enabled: boolean;
  readonly roleArn: string;
  readonly audience: string;
  readonly mountPath: string;
  readonly expirationSeconds: number;
}

/** Lifetime of every projected token: the kubelet refreshes it at 80 %, the SDKs re-read the file. */
const TOKEN_LIFETIME_SECONDS = 3600;

const IMAGE_REPOSITORY = /^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)+$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;

/** The chart's `image`: an unset tag or digest is the empty string the chart tests for. */
export function imageValues(props: ServiceImageProps): ImageValues {
  return { repository: props.imageRepository, tag: props.imageTag ?? '', digest: props.imageDigest ?? '' };
}

/** Every problem with the image props, each naming the field, the value and the fix (`exampleRepository` in the fix). */
export function imageProblems(props: ServiceImageProps, exampleRepository: string): string[] {
  const problems: string[] = [];
  if (!IMAGE_REPOSITORY.test(props.imageRepository)) {
    problems.push(`imageRepository is ${JSON.stringify(props.imageRepository)}: must be an image repository without tag or digest, such as ${exampleRepository}`);
  }
  if (props.imageTag === undefined && props.imageDigest === undefined) {
    problems.push('imageTag and imageDigest are both unset: set imageTag (e.g. "0.1.0") or imageDigest ("sha256:<64 hex>")');
  }
  if (props.imageTag !== undefined && (!IMAGE_TAG.test(props.imageTag) || props.imageTag === 'latest')) {
    problems.push(`imageTag is ${JSON.stringify(props.imageTag)}: must be a fixed release tag such as 0.1.0 (not "latest")`);
  }
  if (props.imageDigest !== undefined && !IMAGE_DIGEST.test(props.imageDigest)) {
    problems.push(`imageDigest is ${JSON.stringify(props.imageDigest)}: must be "sha256:" followed by 64 lowercase hex digits`);
  }
  return problems;
}

/** The service's own Kubernetes service account, with the annotations that bind it to a cloud identity (IRSA). */
export function serviceAccountValues(service: BundledService, annotations: Readonly<Record<string, string>> | undefined): ServiceAccountValues {
  return { name: serviceAccountOf(service).name, annotations: { ...annotations } };
}

/** `/readyz` and `/healthz`, as every bundled service serves them; liveness every 10 s. */
export function healthProbes(readinessPeriodSeconds: number): HealthProbeValues {
  return {
    readiness: { path: '/readyz', periodSeconds: readinessPeriodSeconds, timeoutSeconds: 2, failureThreshold: 3 },
    liveness: { path: '/healthz', periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
  };
}

/**
 * Requests and limits. Memory limit = request: every bundled service bounds its memory by design, so growth past
 * it is a leak worth a restart rather than more of a node. The CPU limit is at least `minCpuLimitMillicores`, for
 * bursts (start-up, hashing, parsing).
 */
export function cpuMemoryResources(cpuMillicores: number, minCpuLimitMillicores: number, memoryMiB: number): ResourceValues {
  const memory = `${memoryMiB}Mi`;
  return { requests: { cpu: `${cpuMillicores}m`, memory }, limits: { cpu: `${Math.max(minCpuLimitMillicores, cpuMillicores)}m`, memory } };
}

/** A token projected for AWS STS (`AssumeRoleWithWebIdentity`), for clusters without the EKS identity webhook. */
export function awsWebIdentityValues(roleArn: string | undefined): AwsWebIdentityValues {
  return {
    enabled: roleArn !== undefined,
    roleArn: roleArn ?? '',
    audience: 'sts.amazonaws.com',
    mountPath: '/var/run/secrets/sts.amazonaws.com/serviceaccount',
    expirationSeconds: TOKEN_LIFETIME_SECONDS,
  };
}

/** A token projected for the GCP federation provider; the chart writes the external-account credential config. */
export function gcpFederationValues<K extends TokenMountPathKey>(identity: GcpFederationProps | undefined, mountPathKey: K): GcpFederationValues<K> {
  return {
    enabled: identity !== undefined,
    audience: identity?.audience ?? '',
    serviceAccountEmail: identity?.serviceAccountEmail ?? '',
    // A computed key is typed as a string index: narrow it back to the one key the chart names.
    ...({ [mountPathKey]: '/var/run/secrets/gcp/serviceaccount' } as TokenMountPath<K>),
    expirationSeconds: TOKEN_LIFETIME_SECONDS,
  };
}

/** A token projected for Entra ID token exchange; the chart sets the AZURE_* variables the Azure SDKs read. */
export function azureFederationValues<K extends TokenMountPathKey>(identity: AzureFederationProps | undefined, mountPathKey: K): AzureFederationValues<K> {
  return {
    enabled: identity !== undefined,
    clientId: identity?.clientId ?? '',
    tenantId: identity?.tenantId ?? '',
    audience: AZURE_TOKEN_EXCHANGE_AUDIENCE,
    authorityHost: 'https://login.microsoftonline.com/',
    ...({ [mountPathKey]: '/var/run/secrets/azure/tokens' } as TokenMountPath<K>),
    expirationSeconds: TOKEN_LIFETIME_SECONDS,
  };
}
