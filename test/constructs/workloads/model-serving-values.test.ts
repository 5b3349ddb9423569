import { modelServingValues, type ModelServingProps } from '../../../constructs/workloads/model-serving-values';

const DIGEST = `sha256:${'a'.repeat(64)}`;

const base: ModelServingProps = {
  imageRepository: 'ghcr.io/acme/model-server',
  imageTag: '1.4.2',
  minReplicas: 2,
  maxReplicas: 6,
  cpuMillicores: 1000,
  memoryMiB: 2048,
  domain: 'ml.example.com',
  regionName: 'us-west-2',
  gatewayParentRef: { name: 'regional', sectionName: 'https' },
  modelVolumeSizeGiB: 20,
};

function invalid(overrides: Partial<ModelServingProps>): string {
  try {
    modelServingValues({ ...base, ...overrides });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`props were accepted: ${JSON.stringify(overrides)}`);
}

describe('modelServingValues', () => {
  describe('routes', () => {
    it('serves api.<domain> and <region>.api.<domain> through the given gateway listener', () => {
      const { routes } = modelServingValues(base);
      expect(routes).toEqual({
        enabled: true,
        domain: 'ml.example.com',
        region: 'us-west-2',
        parentRef: { name: 'regional', namespace: 'envoy-gateway-system', sectionName: 'https' },
      });
    });

    it('takes another gateway namespace when given', () => {
      const values = modelServingValues({ ...base, gatewayParentRef: { name: 'edge', namespace: 'edge-system', sectionName: 'tls' } });
      expect(values.routes.parentRef).toEqual({ name: 'edge', namespace: 'edge-system', sectionName: 'tls' });
    });

    it('lets in only the Envoy proxies and the monitoring namespace', () => {
      expect(modelServingValues(base).networkPolicy).toEqual({
        enabled: true,
        gatewayNamespace: 'envoy-gateway-system',
        gatewayPodLabels: { 'app.kubernetes.io/name': 'envoy', 'app.kubernetes.io/component': 'proxy', 'app.kubernetes.io/managed-by': 'envoy-gateway' },
        monitoringNamespace: 'monitoring',
      });
    });
  });

  describe('GPU scheduling', () => {
    it('asks for no GPU by default', () => {
      expect(modelServingValues(base).gpu).toEqual({ count: 0, type: '' });
    });

    it('passes the GPU count and type through', () => {
      expect(modelServingValues({ ...base, gpuCount: 2, gpuType: 'nvidia-l4' }).gpu).toEqual({ count: 2, type: 'nvidia-l4' });
    });
  });

  describe('autoscaling', () => {
    it('scales on CPU and memory only when no custom metric is given', () => {
      const { autoscaling } = modelServingValues(base);
      expect(autoscaling).toMatchObject({ minReplicas: 2, maxReplicas: 6, targetCPUUtilizationPercentage: 70, targetMemoryUtilizationPercentage: 80 });
      expect(autoscaling.customMetric.enabled).toBe(false);
    });

    it('adds the custom metric with its per-pod target', () => {
      const { customMetric } = modelServingValues({ ...base, customMetric: { name: 'skyline_inference_requests_per_second', targetAverageValue: 20 } }).autoscaling;
      expect(customMetric).toEqual({ enabled: true, name: 'skyline_inference_requests_per_second', targetAverageValue: '20' });
    });

    it('writes a fractional target as a milli-unit quantity', () => {
      const { customMetric } = modelServingValues({ ...base, customMetric: { name: 'rps', targetAverageValue: 12.5 } }).autoscaling;
      expect(customMetric.targetAverageValue).toBe('12500m');
    });
  });

  describe('resources and volumes', () => {
    it('sets limits equal to requests unless told otherwise, in Kubernetes units', () => {
      expect(modelServingValues(base).resources).toEqual({ requests: { cpu: '1000m', memory: '2048Mi' }, limits: { cpu: '1000m', memory: '2048Mi' } });
      const burst = modelServingValues({ ...base, cpuLimitMillicores: 4000, memoryLimitMiB: 4096 }).resources.limits;
      expect(burst).toEqual({ cpu: '4000m', memory: '4096Mi' });
    });

    it('sizes the model volume and mounts it at /models by default', () => {
      expect(modelServingValues(base).volumes).toEqual({ models: { mountPath: '/models', sizeLimit: '20Gi' }, tmp: { sizeLimit: '1024Mi' } });
    });

    it('gives startup as many 10 s probes as the model load may take', () => {
      expect(modelServingValues({ ...base, startupTimeoutSeconds: 905 }).probes.startup).toMatchObject({ path: '/health', periodSeconds: 10, failureThreshold: 91 });
    });
  });

  describe('secure defaults', () => {
    it('mounts no API token and runs as a non-root numeric user', () => {
      const values = modelServingValues(base);
      expect(values.serviceAccount.automountToken).toBe(false);
      expect(values.securityContext).toEqual({ runAsUser: 10001, runAsGroup: 10001 });
    });

    it('keeps a disruption budget of one pod at a time', () => {
      expect(modelServingValues(base).podDisruptionBudget).toEqual({ enabled: true, field: 'maxUnavailable', value: 1 });
      expect(modelServingValues({ ...base, pdbMinAvailable: '50%' }).podDisruptionBudget).toEqual({ enabled: true, field: 'minAvailable', value: '50%' });
    });

    it('pulls by digest when one is given', () => {
      expect(modelServingValues({ ...base, imageTag: undefined, imageDigest: DIGEST }).image).toEqual({ repository: 'ghcr.io/acme/model-server', tag: '', digest: DIGEST });
    });
  });

  describe('validation', () => {
    it('rejects minReplicas above maxReplicas, naming both and the fix', () => {
      expect(invalid({ minReplicas: 5, maxReplicas: 3 })).toContain('minReplicas is 5: must not exceed maxReplicas (3): lower minReplicas or raise maxReplicas');
    });

    it('rejects a negative or fractional GPU count', () => {
      expect(invalid({ gpuCount: -1 })).toContain('gpuCount is -1: must be a whole number of GPUs, 0 or more');
      expect(invalid({ gpuCount: 0.5 })).toContain('gpuCount is 0.5');
    });

    it('rejects a GPU type without GPUs', () => {
      expect(invalid({ gpuType: 'nvidia-l4' })).toContain('gpuType is "nvidia-l4": only applies to GPU replicas: set gpuCount to 1 or more');
    });

    it('needs a tag or a digest, and refuses "latest"', () => {
      expect(invalid({ imageTag: undefined })).toContain('imageTag and imageDigest are both unset');
      expect(invalid({ imageTag: 'latest' })).toContain('imageTag is "latest": must be a fixed release tag');
      expect(invalid({ imageDigest: 'sha256:abc' })).toContain('imageDigest is "sha256:abc"');
    });

    it('refuses privileged ports, a shared metrics port and root', () => {
      expect(invalid({ containerPort: 80 })).toContain('containerPort is 80: must be a port from 1024 to 65535');
      expect(invalid({ metricsPort: 8080 })).toContain('metricsPort is 8080: must differ from containerPort (8080)');
      expect(invalid({ runAsUser: 0 })).toContain('runAsUser is 0');
    });

    it('refuses limits below requests', () => {
      expect(invalid({ cpuLimitMillicores: 500 })).toContain('cpuLimitMillicores is 500: must be at least cpuMillicores (1000)');
      expect(invalid({ memoryLimitMiB: 1024 })).toContain('memoryLimitMiB is 1024: must be at least memoryMiB (2048)');
    });

    it('refuses a disruption budget that blocks every drain, or both bounds at once', () => {
      expect(invalid({ pdbMinAvailable: 2 })).toContain('pdbMinAvailable is 2: at minReplicas (2) no pod could ever be evicted');
      expect(invalid({ pdbMaxUnavailable: 0 })).toContain('pdbMaxUnavailable is 0: no pod could ever be evicted');
      expect(invalid({ pdbMinAvailable: 1, pdbMaxUnavailable: 1 })).toContain('a PodDisruptionBudget takes one of them');
    });

    it('refuses host names the routes could not serve', () => {
      expect(invalid({ domain: 'ML.example.com' })).toContain('domain is "ML.example.com": must be a lowercase DNS name');
      expect(invalid({ regionName: 'us.west' })).toContain('regionName is "us.west": must be one lowercase DNS label');
    });

    it('refuses a custom metric with no usable target', () => {
      expect(invalid({ customMetric: { name: 'rps', targetAverageValue: 0 } })).toContain('customMetric.targetAverageValue is 0');
      expect(invalid({ customMetric: { name: 'requests-per-second', targetAverageValue: 1 } })).toContain('customMetric.name is "requests-per-second"');
    });

    it('refuses a model mount over / or /tmp', () => {
      expect(invalid({ modelMountPath: '/tmp' })).toContain('modelMountPath is "/tmp"');
      expect(invalid({ modelMountPath: '/' })).toContain('modelMountPath is "/"');
    });

    it('reports every problem at once', () => {
      const message = invalid({ minReplicas: 0, gpuCount: -1, domain: 'nope' });
      expect(message).toMatch(/^Invalid model-serving props \(3 problems\):/);
    });

    it('refuses pod labels the chart sets itself', () => {
      expect(invalid({ podLabels: { 'app.kubernetes.io/component': 'x' } })).toContain('podLabels.app.kubernetes.io/component is "app.kubernetes.io/component": must be a label key of your own');
      expect(invalid({ podLabels: { 'bad key': 'x' } })).toContain('podLabels.bad key');
    });
  });

  describe('model sync sidecar', () => {
    const sync: NonNullable<ModelServingProps['modelSync']> = {
      imageRepository: 'ghcr.io/acme/skyline-replicator',
      imageTag: '0.1.0',
      config: { store: { kind: 'gcs', bucket: 'skyline-dev-models-euw1' }, model: 'resnet50', signal: { kind: 'file', path: '/models/.reload' } },
    };

    it('is off unless given, and runs as the chart\'s service account either way', () => {
      const values = modelServingValues(base);
      expect(values.modelSync.enabled).toBe(false);
      expect(values.serviceAccount.name).toBe('model-serving');
      expect(values.podLabels).toEqual({});
    });

    it('reads into the model volume, serves on its own port and gives the first download its timeout', () => {
      const values = modelServingValues({ ...base, modelMountPath: '/var/lib/models/', modelSync: { ...sync, config: { ...sync.config, signal: { kind: 'file', path: '/var/lib/models/.reload' } }, firstSyncTimeoutSeconds: 600 } });
      expect(values.modelSync).toMatchObject({
        enabled: true,
        image: { repository: 'ghcr.io/acme/skyline-replicator', tag: '0.1.0', digest: '' },
        port: 9464,
        config: { mode: 'sync', directory: '/var/lib/models', server: { host: '0.0.0.0', port: 9464 }, model: 'resnet50' },
        probes: { startup: { path: '/readyz', periodSeconds: 10, failureThreshold: 60 } },
      });
      expect(values.volumes.models.mountPath).toBe('/var/lib/models');
    });

    it('refuses a port of the server, a signal file outside the model volume, an image without a release, and a config the replicator refuses', () => {
      const message = invalid({ modelSync: { ...sync, imageTag: undefined, port: 9090, config: { ...sync.config, signal: { kind: 'file', path: '/tmp/.reload' }, pollIntervalSeconds: 0 } } });
      expect(message).toMatch(/^Invalid model-serving props \(4 problems\):/);
      expect(message).toContain('modelSync.imageTag and modelSync.imageDigest are both unset');
      expect(message).toContain("modelSync.port is 9090: must be a port from 1024 to 65535 other than the server's (8080, 9090)");
      expect(message).toContain('modelSync.config.signal.path is "/tmp/.reload": must lie in the model volume (/models/...)');
      expect(message).toContain('modelSync.config.pollIntervalSeconds is 0: must be more than 0 seconds');
    });
  });
});
