import { Route53HostedZoneDnssec } from '@cdktf/provider-aws/lib/route53-hosted-zone-dnssec';
import { Route53KeySigningKey } from '@cdktf/provider-aws/lib/route53-key-signing-key';
import { DNSSEC_SERVICE_PRINCIPAL, ZoneDnssec } from '../../../constructs/dns/zone-dnssec';
import { onlyResourceOfType, parse, synthConstructs } from '../../helpers/synth';

const props = { zoneId: 'Z0123456789ABCDEFGHIJ', accountId: '111111111111' };

describe('dns ZoneDnssec', () => {
  const synthesized = synthConstructs((scope) => new ZoneDnssec(scope, 'dnssec', props));
  const key = onlyResourceOfType(synthesized, 'aws_kms_key');
  const statements = (JSON.parse(String(key.policy)) as { Statement: Record<string, unknown>[] }).Statement;

  it('signs with an asymmetric ECC P-256 KMS key, the only kind Route53 accepts, kept from destroy by default', () => {
    expect(key).toMatchObject({ customer_master_key_spec: 'ECC_NIST_P256', key_usage: 'SIGN_VERIFY', lifecycle: { prevent_destroy: true } });
    const disposable = synthConstructs((scope) => new ZoneDnssec(scope, 'dnssec', { ...props, retainKeyOnDestroy: false }));
    expect(onlyResourceOfType(disposable, 'aws_kms_key').lifecycle).toEqual({ prevent_destroy: false });
  });

  it('lets only Route53\'s DNSSEC service sign, for hosted zones of this account', () => {
    const route53 = statements.filter((statement) => JSON.stringify(statement.Principal).includes(DNSSEC_SERVICE_PRINCIPAL));
    expect(route53).toEqual([
      expect.objectContaining({
        Action: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'],
        Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' }, ArnLike: { 'aws:SourceArn': 'arn:aws:route53:::hostedzone/*' } },
      }),
      expect.objectContaining({ Action: 'kms:CreateGrant', Condition: { Bool: { 'kms:GrantIsForAWSResource': true } } }),
    ]);
    // Besides those, only the account's own IAM (the AWS default delegation), no other principal.
    expect(statements.map((statement) => statement.Sid)).toEqual(['AccountAdministers', 'Route53Signs', 'Route53Grants']);
    expect(statements[0].Principal).toEqual({ AWS: 'arn:aws:iam::111111111111:root' });
  });

  it('creates an active key-signing key on the zone and turns signing on after it', () => {
    expect(synthesized).toHaveResourceWithProperties(Route53KeySigningKey, {
      hosted_zone_id: 'Z0123456789ABCDEFGHIJ',
      key_management_service_arn: expect.stringMatching(/^\$\{aws_kms_key\.dnssec_key_\w+\.arn\}$/),
      status: 'ACTIVE',
    });
    expect(synthesized).toHaveResourceWithProperties(Route53HostedZoneDnssec, { signing_status: 'SIGNING' });
    const kskAddress = Object.keys(parse(synthesized).resource?.aws_route53_key_signing_key ?? {})[0];
    expect(onlyResourceOfType(synthesized, 'aws_route53_hosted_zone_dnssec').depends_on).toEqual([`aws_route53_key_signing_key.${kskAddress}`]);
  });
});
