import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Construct } from 'constructs';
import { cidrSubnet } from '../common/cidr';
import type { EncryptionKey } from './encryption-key';

export interface AwsNetworkProps {
  readonly name: string;
  /** VPC range; split into one /18-equivalent private subnet per zone and smaller public ones. */
  readonly vpcCidr: string;
  /** Two or three availability zones. */
  readonly zones: readonly string[];
  /** One NAT gateway per zone (survives a zone outage) instead of a single shared one. */
  readonly natGatewayPerZone: boolean;
  /** EKS cluster name, for the subnet discovery tags load balancers use. */
  readonly clusterName: string;
  readonly flowLogRetentionDays: number;
  readonly logEncryptionKey: EncryptionKey;
}

/**
 * A VPC over two or three zones: large private subnets for nodes and pods (the
 * VPC CNI gives pods VPC addresses), small public subnets for load balancers
 * and NAT, the default security group emptied, and flow logs on.
 */
export class AwsNetwork extends Construct {
  readonly vpc: Vpc;
  readonly privateSubnetIds: string[];
  readonly publicSubnetIds: string[];
  /** Public egress addresses of the NAT gateways, for allow-lists on other clouds. */
  readonly natPublicIps: string[];

  constructor(scope: Construct, id: string, props: AwsNetworkProps) {
    super(scope, id);
    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: props.vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: props.name },
    });
    // With no rules, the default security group denies everything, so nothing can use it by accident.
    new DefaultSecurityGroup(this, 'default-security-group', { vpcId: this.vpc.id, tags: { Name: `${props.name}-default-deny` } });

    const clusterTag = { [`kubernetes.io/cluster/${props.clusterName}`]: 'shared' };
    // Quarters of the VPC: three for private subnets, the last split again for the public ones.
    const publicBlock = cidrSubnet(props.vpcCidr, 2, 3);
    const zoneSuffix = (zone: string) => zone.slice(-1);
    const privateSubnets = props.zones.map(
      (zone, index) =>
        new Subnet(this, `private-${zoneSuffix(zone)}`, {
          vpcId: this.vpc.id,
          availabilityZone: zone,
          cidrBlock: cidrSubnet(props.vpcCidr, 2, index),
          tags: { Name: `${props.name}-private-${zone}`, 'kubernetes.io/role/internal-elb': '1', ...clusterTag },
        }),
    );
    const publicSubnets = props.zones.map(
      (zone, index) =>
        new Subnet(this, `public-${zoneSuffix(zone)}`, {
          vpcId: this.vpc.id,
          availabilityZone: zone,
          cidrBlock: cidrSubnet(publicBlock, 2, index),
          mapPublicIpOnLaunch: false,
          tags: { Name: `${props.name}-public-${zone}`, 'kubernetes.io/role/elb': '1', ...clusterTag },
        }),
    );
    this.privateSubnetIds = privateSubnets.map((subnet) => subnet.id);
    this.publicSubnetIds = publicSubnets.map((subnet) => subnet.id);

    const internetGateway = new InternetGateway(this, 'internet-gateway', { vpcId: this.vpc.id, tags: { Name: props.name } });
    const publicRoutes = new RouteTable(this, 'public-routes', {
      vpcId: this.vpc.id,
      route: [{ cidrBlock: '0.0.0.0/0', gatewayId: internetGateway.id }],
      tags: { Name: `${props.name}-public` },
    });
    publicSubnets.forEach((subnet, index) => {
      new RouteTableAssociation(this, `public-routes-${zoneSuffix(props.zones[index])}`, { subnetId: subnet.id, routeTableId: publicRoutes.id });
    });

    const natZones = props.natGatewayPerZone ? props.zones : props.zones.slice(0, 1);
    const natGateways = natZones.map((zone, index) => {
      const address = new Eip(this, `nat-address-${zoneSuffix(zone)}`, { domain: 'vpc', tags: { Name: `${props.name}-nat-${zone}` } });
      return new NatGateway(this, `nat-${zoneSuffix(zone)}`, {
        allocationId: address.allocationId,
        subnetId: publicSubnets[index].id,
        tags: { Name: `${props.name}-${zone}` },
        dependsOn: [internetGateway],
      });
    });
    this.natPublicIps = natGateways.map((gateway) => gateway.publicIp);
    privateSubnets.forEach((subnet, index) => {
      const zone = zoneSuffix(props.zones[index]);
      const routes = new RouteTable(this, `private-routes-${zone}`, {
        vpcId: this.vpc.id,
        route: [{ cidrBlock: '0.0.0.0/0', natGatewayId: natGateways[props.natGatewayPerZone ? index : 0].id }],
        tags: { Name: `${props.name}-private-${props.zones[index]}` },
      });
      new RouteTableAssociation(this, `private-routes-association-${zone}`, { subnetId: subnet.id, routeTableId: routes.id });
    });

    this.enableFlowLogs(props);
  }

  private enableFlowLogs(props: AwsNetworkProps): void {
    const logGroup = new CloudwatchLogGroup(this, 'flow-log-group', {
      name: `/skyline/${props.name}/vpc-flow-logs`,
      retentionInDays: props.flowLogRetentionDays,
      kmsKeyId: props.logEncryptionKey.arn,
    });
    const role = new IamRole(this, 'flow-log-role', {
      name: `${props.name}-vpc-flow-logs`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    new IamRolePolicy(this, 'flow-log-policy', {
      role: role.name,
      name: 'write-flow-logs',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            Resource: [`${logGroup.arn}:*`],
          },
        ],
      }),
    });
    new FlowLog(this, 'flow-log', {
      vpcId: this.vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
    });
  }
}
