/**
 * Failover benchmark: detection-to-INSYNC latency over repeated failovers of the primary, three controllers
 * against moto (Route53), beside the Route53-native baseline. Prints figures; asserts nothing.
 *
 *   npm run bench:failover [-- --runs 8]
 *
 * Scaling: production probes every 10 s (the default intervalSeconds) with failureThreshold 3. Here the
 * controllers probe every 1 s, so every figure of theirs is the production figure divided by 10, plus the
 * fixed costs that do not scale (the Route53 calls, here to a local moto, which answers INSYNC at once; real
 * Route53 takes seconds more to reach INSYNC, the same for both sides of the comparison). The baseline is
 * Route53's own health checks: a record is failed only after failureThreshold × request interval
 * (3 × 10 s fast checks, 3 × 30 s standard checks) of failed checks, before any propagation.
 */
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { startMoto, startRegionalEndpoint, type RegionalEndpoint } from '../helpers/peers';
import { Fleet, createRecordTree, readWeights, route53, useMotoForRoute53, waitFor, type Region } from '../services/failover/fleet';

const INTERVAL_SECONDS = 1;
const PRODUCTION_INTERVAL_SECONDS = 10;
const SCALE = PRODUCTION_INTERVAL_SECONDS / INTERVAL_SECONDS;
const FAILURE_THRESHOLD = 3;

function runsFromArgs(): number {
  const index = process.argv.indexOf('--runs');
  const runs = index >= 0 ? Number(process.argv[index + 1]) : 8;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number, 1 or more (got ${process.argv[index + 1]})`);
  return runs;
}

function percentile(sorted: readonly number[], p: number): number {
  // Nearest rank: the smallest sample with at least p % of the samples at or below it.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function main(): Promise<void> {
  const runs = runsFromArgs();
  const moto = await startMoto();
  useMotoForRoute53(moto.url);
  const client = route53(moto.url);
  const zoneId = await createRecordTree(client);
  const [west, europe, india] = await Promise.all([startRegionalEndpoint(), startRegionalEndpoint(), startRegionalEndpoint()]);
  const endpoints: Record<Region, RegionalEndpoint> = { 'us-west-2': west, 'europe-west1': europe, centralindia: india };
  const fleet = await Fleet.start({
    zoneId,
    env: 'bench',
    endpoints: (_observer, region) => endpoints[region],
    // Restore in one step, so that each run starts from 100/0 quickly.
    restoreSteps: [100],
    timings: { intervalSeconds: INTERVAL_SECONDS, failureThreshold: FAILURE_THRESHOLD, successThreshold: 2, soakSeconds: 0, alertRepeatSeconds: 60 },
    logLevel: 'info',
  });
  const latencies: number[] = [];
  const decisions: number[] = [];
  try {
    for (let run = 1; run <= runs; run++) {
      // Settle: healthy, restored, and every observer's counters past the last failure.
      west.setMode('healthy');
      await waitFor('the restore', 60_000, async () => ((await readWeights(client, zoneId, 'us-west-2')).self === 100 ? true : undefined), 50);
      // Plus a random part of an interval: failures strike at any phase of the probe rounds, not a fixed one.
      await new Promise((resolve) => setTimeout(resolve, (FAILURE_THRESHOLD + 1 + Math.random()) * INTERVAL_SECONDS * 1000));

      const logsBefore = fleet.logs.length;
      const failedAt = Date.now();
      west.setMode('failing');
      await waitFor('the failover', 60_000, async () => {
        const output = await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: 'us-west-2.api.ml.example.com.', StartRecordType: 'A', MaxItems: 2 }));
        return output.ResourceRecordSets?.find((record) => record.SetIdentifier === 'us-west-2-self')?.Weight === 0 ? true : undefined;
      }, 10);
      const insyncMs = Date.now() - failedAt;
      const decision = fleet.logs.slice(logsBefore).find((line) => line.transition === 'failover');
      latencies.push(insyncMs);
      if (decision) decisions.push(Date.parse(decision.time) - failedAt);
      console.log(`run ${run}/${runs}: failure to INSYNC ${(insyncMs / 1000).toFixed(2)} s (decision after ${decision ? ((Date.parse(decision.time) - failedAt) / 1000).toFixed(2) : '?'} s)`);
    }
  } finally {
    await fleet.stop();
    await Promise.all([west.stop(), europe.stop(), india.stop(), moto.stop()]);
  }

  const sorted = [...latencies].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50) / 1000;
  const p95 = percentile(sorted, 95) / 1000;
  const decisionP50 = percentile([...decisions].sort((a, b) => a - b), 50) / 1000;
  const row = (label: string, seconds: number, production: number, nativeFast: number, nativeStandard: number): string =>
    `${label.padEnd(46)}${seconds.toFixed(2).padStart(8)} s${production.toFixed(1).padStart(10)} s${(production / nativeFast).toFixed(2).padStart(15)}${(production / nativeStandard).toFixed(2).padStart(15)}`;
  const nativeFast = FAILURE_THRESHOLD * 10;
  const nativeStandard = FAILURE_THRESHOLD * 30;
  console.log(`\nFailover detection-to-INSYNC, ${runs} runs, interval ${INTERVAL_SECONDS} s (production ${PRODUCTION_INTERVAL_SECONDS} s: × ${SCALE}), failureThreshold ${FAILURE_THRESHOLD}, quorum 2 of 3`);
  console.log(`${''.padEnd(46)}${'measured'.padStart(10)}${'at 10 s'.padStart(12)}${'÷ native 30 s'.padStart(15)}${'÷ native 90 s'.padStart(15)}`);
  console.log(row('controller p50 (failure → weights INSYNC)', p50, p50 * SCALE, nativeFast, nativeStandard));
  console.log(row('controller p95', p95, p95 * SCALE, nativeFast, nativeStandard));
  console.log(row('controller p50, failure → decision', decisionP50, decisionP50 * SCALE, nativeFast, nativeStandard));
  console.log(`Route53-native baseline: health check failureThreshold ${FAILURE_THRESHOLD} × request interval = ${nativeFast} s (fast, 10 s checks), ${nativeStandard} s (standard, 30 s checks).`);
  console.log(
    `Scaling: the controller's figures × ${SCALE} are what the same settings give at a ${PRODUCTION_INTERVAL_SECONDS} s interval, less the Route53 round trips ` +
      '(local moto here: milliseconds, INSYNC at once; real Route53 adds its own INSYNC time, as it does for health-check failover).',
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
