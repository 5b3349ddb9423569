/** Assertions every Skyline workload chart test makes: Pod Security `restricted`, checkov's pod checks, HTTP probes. */
import type { CheckovReport } from './charts';

/** The user and group every Skyline image runs as (a numeric id, so `runAsNonRoot` can be verified). */
const SKYLINE_UID = 10001;

/**
 * The pod-security checks that must have run, and passed, on each Deployment: an empty scan would also have no
 * failure. Privileges, capabilities, root, seccomp, read-only root, probes, resources, image by tag or digest.
 */
const CHECKOV_POD_CHECKS = ['CKV_K8S_8', 'CKV_K8S_9', 'CKV_K8S_10', 'CKV_K8S_11', 'CKV_K8S_12', 'CKV_K8S_13', 'CKV_K8S_20', 'CKV_K8S_22', 'CKV_K8S_23', 'CKV_K8S_28', 'CKV_K8S_31', 'CKV_K8S_37', 'CKV_K8S_38', 'CKV_K8S_40'];

/** The pod-level securityContext of Pod Security `restricted` with Skyline's numeric non-root user. */
export function expectRestrictedPodSecurityContext(securityContext: unknown): void {
  expect(securityContext).toEqual({ runAsNonRoot: true, runAsUser: SKYLINE_UID, runAsGroup: SKYLINE_UID, seccompProfile: { type: 'RuntimeDefault' } });
}

/** A container's securityContext: non-root, nothing to escalate to, every capability dropped, read-only root. */
export function expectRestrictedContainerSecurityContext(securityContext: unknown): void {
  expect(securityContext).toEqual({
    runAsNonRoot: true,
    runAsUser: SKYLINE_UID,
    runAsGroup: SKYLINE_UID,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  });
}

/** checkov found nothing that is not suppressed, and parsed every file. */
export function expectNoCheckovFailure(report: CheckovReport): void {
  expect(report.results.failed_checks.map((check) => `${check.check_id} ${check.resource} ${check.file_path}`)).toEqual([]);
  expect(report.summary.failed).toBe(0);
  expect(report.summary.parsing_errors).toBe(0);
}

/**
 * In the render `<renderName>.yaml`, checkov ran (and passed) every pod-security check on the release's Deployment,
 * and its graph check found the pods covered by a NetworkPolicy (it names the pod template by its labels).
 */
export function expectCheckovPodChecksPassed(report: CheckovReport, options: { readonly renderName: string; readonly namespace: string; readonly release: string }): void {
  const { renderName, namespace, release } = options;
  const passedIn = report.results.passed_checks.filter((check) => check.file_path === `/${renderName}.yaml`);
  const onDeployment = passedIn.filter((check) => check.resource === `Deployment.${namespace}.${release}`).map((check) => check.check_id);
  expect(onDeployment).toEqual(expect.arrayContaining(CHECKOV_POD_CHECKS));
  const networkPolicyCheck = passedIn.filter((check) => check.check_id === 'CKV2_K8S_6').map((check) => check.resource);
  expect(networkPolicyCheck).toEqual([expect.stringMatching(new RegExp(`^Pod\\.${namespace}\\.${release}\\.`))]);
}

/** Ready on GET /readyz and alive on GET /healthz of the named port, each timing out after 2 s, 3 failures allowed. */
export function expectHealthProbes(
  container: { readonly readinessProbe: unknown; readonly livenessProbe: unknown },
  options: { readonly port: string; readonly readinessPeriodSeconds: number; readonly livenessPeriodSeconds: number },
): void {
  expect(container.readinessProbe).toEqual({ httpGet: { path: '/readyz', port: options.port }, periodSeconds: options.readinessPeriodSeconds, timeoutSeconds: 2, failureThreshold: 3 });
  expect(container.livenessProbe).toEqual({ httpGet: { path: '/healthz', port: options.port }, periodSeconds: options.livenessPeriodSeconds, timeoutSeconds: 2, failureThreshold: 3 });
}
