import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { PinnedRelease } from './pinned-release';
import { UPSTREAM_CHARTS } from './upstream-charts';

export interface AwsLoadBalancerControllerProps {
  readonly clusterName: string;
  readonly region: string;
  readonly vpcId: string;
  /** IRSA role for `kube-system/aws-load-balancer-controller` (created in the infra stack). */
  readonly roleArn: string;
  /** @default none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * The AWS Load Balancer Controller, which gives the gateway Service an NLB
 * with the region's Elastic IPs. Its mutating webhook stays off: it would
 * take over every LoadBalancer Service, where we want only the annotated one.
 */
export class AwsLoadBalancerController extends Construct {
  readonly release: ITerraformDependable;

  constructor(scope: Construct, id: string, props: AwsLoadBalancerControllerProps) {
    super(scope, id);
    this.release = new PinnedRelease(this, 'release', {
      chart: UPSTREAM_CHARTS.awsLoadBalancerController,
      releaseName: 'aws-load-balancer-controller',
      namespace: 'kube-system',
      values: {
        clusterName: props.clusterName,
        region: props.region,
        vpcId: props.vpcId,
        replicaCount: 2,
        enableServiceMutatorWebhook: false,
        serviceAccount: {
          create: true,
          name: 'aws-load-balancer-controller',
          annotations: { 'eks.amazonaws.com/role-arn': props.roleArn },
        },
      },
      dependsOn: props.dependsOn,
    }).release;
  }
}
