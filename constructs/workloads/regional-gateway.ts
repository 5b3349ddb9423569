import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { join } from 'node:path';
import type { GatewayAddressBinding } from '../common/gateway-address';
import { NAMESPACES } from './namespaces';
import { PinnedRelease } from './pinned-release';
import { UPSTREAM_CHARTS } from './upstream-charts';

/** Let's Encrypt directories: staging for trying an environment out (untrusted certificates, generous limits). */
export const ACME_SERVERS = {
  production: 'https://acme-v02.api.letsencrypt.org/directory',
  staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
} as const;

export const GATEWAY_NAME = 'regional';
export const GATEWAY_CLASS_NAME = 'skyline';
/** The listener model-serving routes attach to. */
export const GATEWAY_HTTPS_LISTENER = 'https';

const ROUTE53_SERVICE_ACCOUNT = 'route53-dns01';
const CERT_MANAGER_RELEASE = 'cert-manager';

export interface RegionalGatewayProps {
  /** Names served and certified: `api.<domain>`, `<region>.api.<domain>` and `<region>.control.<domain>`. */
  readonly hostnames: readonly string[];
  /** Where the gateway's load balancer must come up (from the infra stack). */
  readonly address: GatewayAddressBinding;
  readonly acmeEmail: string;
  readonly acmeServer: keyof typeof ACME_SERVERS;
  /** IAM role cert-manager assumes for DNS-01 (Dns01Identity). */
  readonly dns01RoleArn: string;
  /** An AWS region for the Route53 API calls (Route53 is global; any region works). */
  readonly route53Region: string;
  /** @default 2 */
  readonly envoyReplicas?: number;
  /** Resources that must exist first: the namespaces, and on EKS the load balancer controller. */
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * The region's public HTTPS endpoint: Envoy Gateway (Gateway API) with its
 * proxies behind a load balancer on the region's reserved static address, a
 * Let's Encrypt certificate issued by cert-manager over DNS-01, and HTTP
 * redirected to HTTPS. Routes attach from `ml-serving` and `skyline-system` only.
 */
export class RegionalGateway extends Construct {
  /** The release that last completes: dependents (routes) wait for it. */
  readonly ready: ITerraformDependable;

  constructor(scope: Construct, id: string, props: RegionalGatewayProps) {
    super(scope, id);
    const certManager = new PinnedRelease(this, 'cert-manager', {
      chart: UPSTREAM_CHARTS.certManager,
      releaseName: CERT_MANAGER_RELEASE,
      namespace: NAMESPACES.certManager.name,
      values: {
        crds: { enabled: true, keep: true },
        replicaCount: 2,
        podDisruptionBudget: { enabled: true, minAvailable: 1 },
        webhook: { replicaCount: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } },
        cainjector: { replicaCount: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } },
        prometheus: { enabled: true, servicemonitor: { enabled: false } },
      },
      dependsOn: props.dependsOn,
    }).release;
    const envoyGateway = new PinnedRelease(this, 'envoy-gateway', {
      chart: UPSTREAM_CHARTS.envoyGateway,
      releaseName: 'envoy-gateway',
      namespace: NAMESPACES.gateway.name,
      values: { deployment: { replicas: 2 } },
      dependsOn: props.dependsOn,
    }).release;
    this.ready = new PinnedRelease(this, 'gateway', {
      chart: { localPath: join(__dirname, 'charts', 'regional-gateway') },
      releaseName: 'regional-gateway',
      namespace: NAMESPACES.gateway.name,
      values: {
        gatewayClassName: GATEWAY_CLASS_NAME,
        gatewayName: GATEWAY_NAME,
        hostnames: [...props.hostnames],
        // The model server's routes, the failover controllers' observations route, the regional Prometheus's /federate.
        routeNamespaces: [NAMESPACES.serving.name, NAMESPACES.system.name, NAMESPACES.monitoring.name],
        service: { annotations: props.address.serviceAnnotations, loadBalancerIP: props.address.loadBalancerIp ?? '' },
        envoy: {
          replicas: props.envoyReplicas ?? 2,
          resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
        },
        acme: {
          email: props.acmeEmail,
          server: ACME_SERVERS[props.acmeServer],
          route53: { region: props.route53Region, roleArn: props.dns01RoleArn, serviceAccountName: ROUTE53_SERVICE_ACCOUNT },
        },
        certManager: { namespace: NAMESPACES.certManager.name, controllerServiceAccount: CERT_MANAGER_RELEASE },
      },
      dependsOn: [certManager, envoyGateway],
    }).release;
  }
}

/** The service account cert-manager exchanges for the DNS-01 role: the trust policy names exactly this one. */
export const DNS01_SERVICE_ACCOUNT = { namespace: NAMESPACES.certManager.name, name: ROUTE53_SERVICE_ACCOUNT } as const;
