import type { PolicyStatement } from './workload-identity';

/** Tag the controller puts on every load balancer, target group and security group it creates for a Service. */
const SERVICE_TAG = 'service.k8s.aws/cluster';

/**
 * What the AWS Load Balancer Controller needs to run NLBs for Services, and no
 * more: Skyline creates no ALB Ingress, so the upstream policy's ACM, WAF,
 * Shield and Cognito permissions are left out. Mutations are allowed only on
 * resources carrying the controller's own cluster tag.
 */
export const LOAD_BALANCER_CONTROLLER_STATEMENTS: readonly PolicyStatement[] = [
  {
    Sid: 'Discover',
    Effect: 'Allow',
    Action: [
      'ec2:DescribeAccountAttributes',
      'ec2:DescribeAddresses',
      'ec2:DescribeAvailabilityZones',
      'ec2:DescribeInternetGateways',
      'ec2:DescribeVpcs',
      'ec2:DescribeSubnets',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeInstances',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeTags',
      'elasticloadbalancing:DescribeLoadBalancers',
      'elasticloadbalancing:DescribeLoadBalancerAttributes',
      'elasticloadbalancing:DescribeListeners',
      'elasticloadbalancing:DescribeListenerAttributes',
      'elasticloadbalancing:DescribeTargetGroups',
      'elasticloadbalancing:DescribeTargetGroupAttributes',
      'elasticloadbalancing:DescribeTargetHealth',
      'elasticloadbalancing:DescribeTags',
    ],
    Resource: ['*'],
  },
  {
    Sid: 'CreateLoadBalancerServiceRole',
    Effect: 'Allow',
    Action: ['iam:CreateServiceLinkedRole'],
    Resource: ['*'],
    Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
  },
  {
    Sid: 'CreateSecurityGroups',
    Effect: 'Allow',
    Action: ['ec2:CreateSecurityGroup'],
    Resource: ['*'],
  },
  {
    Sid: 'TagNewSecurityGroups',
    Effect: 'Allow',
    Action: ['ec2:CreateTags'],
    Resource: ['arn:aws:ec2:*:*:security-group/*'],
    Condition: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' }, Null: { [`aws:RequestTag/${SERVICE_TAG}`]: 'false' } },
  },
  {
    Sid: 'ManageOwnSecurityGroups',
    Effect: 'Allow',
    Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup', 'ec2:CreateTags', 'ec2:DeleteTags'],
    Resource: ['*'],
    Condition: { Null: { [`aws:ResourceTag/${SERVICE_TAG}`]: 'false' } },
  },
  {
    Sid: 'OpenNodeSecurityGroupsToOwnLoadBalancers',
    Effect: 'Allow',
    // The controller adds rules for its load balancers to the (untagged) cluster security group of the nodes.
    Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
    Resource: ['*'],
  },
  {
    Sid: 'CreateTaggedLoadBalancers',
    Effect: 'Allow',
    Action: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
    Resource: ['*'],
    Condition: { Null: { [`aws:RequestTag/${SERVICE_TAG}`]: 'false' } },
  },
  {
    Sid: 'TagOnCreate',
    Effect: 'Allow',
    Action: ['elasticloadbalancing:AddTags'],
    Resource: ['arn:aws:elasticloadbalancing:*:*:loadbalancer/*', 'arn:aws:elasticloadbalancing:*:*:targetgroup/*/*'],
    Condition: { StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateLoadBalancer', 'CreateTargetGroup'] } },
  },
  {
    Sid: 'ManageOwnLoadBalancers',
    Effect: 'Allow',
    Action: [
      'elasticloadbalancing:ModifyLoadBalancerAttributes',
      'elasticloadbalancing:SetIpAddressType',
      'elasticloadbalancing:SetSecurityGroups',
      'elasticloadbalancing:SetSubnets',
      'elasticloadbalancing:DeleteLoadBalancer',
      'elasticloadbalancing:ModifyTargetGroup',
      'elasticloadbalancing:ModifyTargetGroupAttributes',
      'elasticloadbalancing:DeleteTargetGroup',
      'elasticloadbalancing:AddTags',
      'elasticloadbalancing:RemoveTags',
    ],
    Resource: ['*'],
    Condition: { Null: { [`aws:ResourceTag/${SERVICE_TAG}`]: 'false' } },
  },
  {
    Sid: 'ManageListenersAndTargets',
    Effect: 'Allow',
    // Listeners and target registrations carry no tags of their own; they are reachable only through the
    // load balancers and target groups above.
    Action: [
      'elasticloadbalancing:CreateListener',
      'elasticloadbalancing:DeleteListener',
      'elasticloadbalancing:ModifyListener',
      'elasticloadbalancing:ModifyListenerAttributes',
      'elasticloadbalancing:RegisterTargets',
      'elasticloadbalancing:DeregisterTargets',
    ],
    Resource: ['*'],
  },
];
