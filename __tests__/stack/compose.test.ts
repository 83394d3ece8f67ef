/**
 * docker-compose.yml and k8s/: docker-compose accepts the file (Compose Specification, no
 * version key), everything it bind-mounts exists, the paths the services are told to read land in
 * those mounts, versions are pinned, and the kustomize build serves the very same files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DATASOURCE_UID, ROOT, readRepoFile, readYaml, run } from './stack.js';

interface Mount {
  type: 'bind' | 'volume';
  source: string;
  target: string;
  readOnly: boolean;
}
interface Service {
  image: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: (string | { type: string; source: string; target: string; read_only?: boolean })[];
  healthcheck?: { test: string[] };
  ports?: string[];
}
interface ComposeConfig {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

const ENV = { ...process.env, GF_ADMIN_PASSWORD: 'test-password-from-env' };

function composeConfig(env: NodeJS.ProcessEnv): {
  status: number | null;
  output: string;
  stdout: string;
} {
  const result = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
  });
  if (result.error !== undefined) throw result.error;
  return {
    status: result.status,
    output: `${result.stdout}${result.stderr}`,
    stdout: result.stdout,
  };
}

function mounts(service: Service): Mount[] {
  return (service.volumes ?? []).map((volume) => {
    if (typeof volume !== 'string') {
      return {
        type: volume.type === 'bind' ? 'bind' : 'volume',
        source: volume.source,
        target: volume.target,
        readOnly: volume.read_only === true,
      };
    }
    const [source = '', target = '', mode = 'rw'] = volume.split(':');
    return {
      type: source.startsWith('/') || source.startsWith('.') ? 'bind' : 'volume',
      source,
      target,
      readOnly: mode.split(',').includes('ro'),
    };
  });
}

/** The repository file a container path comes from, through the service's bind mounts. */
function hostPath(service: Service, containerPath: string): string | undefined {
  for (const mount of mounts(service)) {
    if (mount.type !== 'bind') continue;
    if (containerPath === mount.target || containerPath.startsWith(`${mount.target}/`)) {
      return join(mount.source, containerPath.slice(mount.target.length));
    }
  }
  return undefined;
}

function flag(service: Service, name: string): string | undefined {
  const arg = service.command?.find((a) => a.startsWith(`${name}=`));
  return arg?.slice(name.length + 1);
}

describe('docker-compose.yml', () => {
  const raw = readRepoFile('docker-compose.yml');
  const rendered = composeConfig(ENV);
  const config = parse(rendered.stdout) as ComposeConfig;

  it('is accepted by docker-compose config (Compose Specification, no version key)', () => {
    expect(rendered.status, rendered.output).toBe(0);
    expect(raw).not.toMatch(/^version:/m);
    expect(Object.keys(config.services).sort()).toEqual([
      'alertmanager',
      'grafana',
      'prometheus',
      'pushgateway',
    ]);
  });

  it('refuses to start Grafana without GF_ADMIN_PASSWORD, and holds no password itself', () => {
    const env = { ...process.env };
    delete env.GF_ADMIN_PASSWORD;
    const result = composeConfig(env);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('GF_ADMIN_PASSWORD');
    expect(raw).toContain('GF_SECURITY_ADMIN_PASSWORD: ${GF_ADMIN_PASSWORD:?');
    expect(config.services.grafana?.environment?.GF_SECURITY_ADMIN_PASSWORD).toBe(
      'test-password-from-env',
    );
  });

  it('pins every image to a version', () => {
    for (const [name, service] of Object.entries(config.services)) {
      expect(service.image, name).toMatch(/:v?\d+\.\d+\.\d+$/);
      expect(service.image, name).not.toContain('latest');
    }
  });

  it('gives every service a healthcheck on its readiness endpoint', () => {
    for (const [name, service] of Object.entries(config.services)) {
      expect(service.healthcheck?.test.join(' '), name).toMatch(
        /http:\/\/localhost:\d+\/(-\/ready|api\/health)/,
      );
    }
  });

  it('bind-mounts only files and directories of the repository, read-only', () => {
    let binds = 0;
    for (const [name, service] of Object.entries(config.services)) {
      for (const mount of mounts(service)) {
        if (mount.type === 'volume') {
          expect(Object.keys(config.volumes), `${name}: ${mount.source}`).toContain(mount.source);
          continue;
        }
        binds++;
        expect(existsSync(mount.source), `${name}: ${mount.source}`).toBe(true);
        expect(relative(ROOT, mount.source).startsWith('..'), mount.source).toBe(false);
        expect(mount.readOnly, `${name}: ${mount.target} must be read-only`).toBe(true);
      }
    }
    expect(binds).toBe(4);
  });

  it('points every service at files that exist in those mounts', () => {
    const { prometheus, alertmanager, grafana, pushgateway } = config.services;
    if (!prometheus || !alertmanager || !grafana || !pushgateway) throw new Error('services');
    const promConfig = hostPath(prometheus, flag(prometheus, '--config.file') ?? '');
    expect(promConfig).toBe(join(ROOT, 'prometheus', 'prometheus.yml'));
    const amConfig = hostPath(alertmanager, flag(alertmanager, '--config.file') ?? '');
    expect(amConfig).toBe(join(ROOT, 'alertmanager', 'alertmanager.yml'));
    // The secret files alertmanager.yml reads land in alertmanager/secrets/.
    for (const file of readRepoFile('alertmanager', 'alertmanager.yml').matchAll(
      /_file:\s*(\S+)/g,
    )) {
      const host = hostPath(alertmanager, file[1] ?? '');
      expect(host, file[1]).toBeDefined();
      expect(statSync(join(host ?? '', '..')).isDirectory()).toBe(true);
    }
    const provider = readYaml<{ providers: { options: { path: string } }[] }>(
      'grafana',
      'provisioning',
      'dashboards',
      'dashboards.yml',
    );
    expect(hostPath(grafana, provider.providers[0]?.options.path ?? '')).toBe(
      join(ROOT, 'grafana', 'dashboards'),
    );
    const home = grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? '';
    expect(existsSync(hostPath(grafana, home) ?? '/nonexistent'), home).toBe(true);
    expect(
      existsSync(hostPath(grafana, '/etc/grafana/provisioning/datasources/prometheus.yml') ?? ''),
    ).toBe(true);
    // The Pushgateway persists into a named volume.
    const persistence = flag(pushgateway, '--persistence.file') ?? '';
    const volume = mounts(pushgateway).find((m) => persistence.startsWith(`${m.target}/`));
    expect(volume?.type).toBe('volume');
  });

  it('runs Prometheus with its remote-write receiver on, in compose and in k8s/', () => {
    const prometheus = config.services.prometheus;
    expect(prometheus?.command).toContain('--web.enable-remote-write-receiver');
    const k8s = parseAllDocuments(readRepoFile('k8s', 'prometheus.yaml')).map(
      (d) => d.toJSON() as K8sObject,
    );
    const deployment = k8s.find((o) => o.kind === 'Deployment');
    expect(deployment?.spec?.template?.spec.containers[0]?.args).toContain(
      '--web.enable-remote-write-receiver',
    );
  });

  it('sets Prometheus retention by flags', () => {
    const prometheus = config.services.prometheus;
    expect(flag(prometheus ?? { image: '' }, '--storage.tsdb.retention.time')).toBe('90d');
    expect(flag(prometheus ?? { image: '' }, '--storage.tsdb.retention.size')).toBe('50GB');
  });
});

interface K8sObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  data?: Record<string, string>;
  spec?: {
    template?: {
      spec: {
        containers: {
          image: string;
          args?: string[];
          volumeMounts?: { name: string; mountPath: string }[];
        }[];
        volumes?: {
          name: string;
          configMap?: { name: string };
          secret?: { secretName: string };
          persistentVolumeClaim?: { claimName: string };
        }[];
      };
    };
  };
}

interface Kustomization {
  namespace: string;
  resources: string[];
  configMapGenerator: { name: string; files: string[] }[];
}

describe('k8s/ manifests (read directly, without kubectl)', () => {
  const kustomization = readYaml<Kustomization>('k8s', 'kustomization.yaml');
  const objects = kustomization.resources.flatMap((file) =>
    parseAllDocuments(readRepoFile('k8s', file)).map((d) => d.toJSON() as K8sObject),
  );

  it('generates its ConfigMaps from the repository files compose mounts', () => {
    const sources = kustomization.configMapGenerator.flatMap((g) =>
      g.files.map((f) => f.split('=')[1] ?? ''),
    );
    expect(sources.sort()).toEqual(
      [
        '../alertmanager/alertmanager.yml',
        '../grafana/dashboards/reliability-e2e.json',
        '../grafana/dashboards/reliability-overview.json',
        '../grafana/dashboards/reliability-performance.json',
        '../grafana/provisioning/dashboards/dashboards.yml',
        '../grafana/provisioning/datasources/prometheus.yml',
        '../prometheus/alerts.yml',
        '../prometheus/prometheus.yml',
        '../prometheus/thresholds.yml',
      ].sort(),
    );
    for (const source of sources) expect(existsSync(join(ROOT, 'k8s', source)), source).toBe(true);
  });

  it('mounts only generated ConfigMaps, its own PVCs and the documented Secret', () => {
    const generated = new Set(kustomization.configMapGenerator.map((g) => g.name));
    const claims = new Set(
      objects.filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => o.metadata.name),
    );
    const compose = parse(composeConfig(ENV).stdout) as ComposeConfig;
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    expect(deployments).toHaveLength(4);
    for (const deployment of deployments) {
      const pod = deployment.spec?.template?.spec;
      expect(pod?.containers[0]?.image).toBe(compose.services[deployment.metadata.name]?.image);
      for (const volume of pod?.volumes ?? []) {
        if (volume.configMap)
          expect(generated, volume.configMap.name).toContain(volume.configMap.name);
        if (volume.persistentVolumeClaim) {
          expect(claims).toContain(volume.persistentVolumeClaim.claimName);
        }
        if (volume.secret) expect(volume.secret.secretName).toBe('alertmanager-secrets');
      }
    }
  });
});

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
const kubectlNote = hasKubectl ? '' : ' [SKIPPED: kubectl is not installed]';

describe.skipIf(!hasKubectl)(`k8s/ (kubectl kustomize)${kubectlNote}`, () => {
  const built = hasKubectl
    ? run('kubectl', ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', 'k8s'])
    : { status: 0, output: '' };
  const objects = parseAllDocuments(built.output).map((d) => d.toJSON() as K8sObject);
  const byKind = (kind: string): K8sObject[] => objects.filter((o) => o.kind === kind);

  it('builds', () => {
    expect(built.status, built.output).toBe(0);
    expect(
      byKind('Deployment')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(['alertmanager', 'grafana', 'prometheus', 'pushgateway']);
    expect(
      byKind('Service')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(['alertmanager', 'grafana', 'prometheus', 'pushgateway']);
    expect(byKind('PersistentVolumeClaim')).toHaveLength(4);
    for (const o of objects.filter((x) => x.kind !== 'Namespace')) {
      expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe('reliability');
    }
  });

  it('serves the repository files unchanged in its ConfigMaps (one source of truth)', () => {
    const expected: Record<string, Record<string, string>> = {
      'prometheus-config': {
        'prometheus.yml': 'prometheus/prometheus.yml',
        'thresholds.yml': 'prometheus/thresholds.yml',
        'alerts.yml': 'prometheus/alerts.yml',
      },
      'alertmanager-config': { 'alertmanager.yml': 'alertmanager/alertmanager.yml' },
      'grafana-datasources': {
        'prometheus.yml': 'grafana/provisioning/datasources/prometheus.yml',
      },
      'grafana-dashboard-providers': {
        'dashboards.yml': 'grafana/provisioning/dashboards/dashboards.yml',
      },
      'grafana-dashboards': Object.fromEntries(
        ['reliability-overview.json', 'reliability-performance.json', 'reliability-e2e.json'].map(
          (f) => [f, `grafana/dashboards/${f}`],
        ),
      ),
    };
    const maps = byKind('ConfigMap');
    for (const [prefix, files] of Object.entries(expected)) {
      const map = maps.find((m) => m.metadata.name.startsWith(`${prefix}-`));
      expect(map, prefix).toBeDefined();
      expect(Object.keys(map?.data ?? {}).sort()).toEqual(Object.keys(files).sort());
      for (const [key, path] of Object.entries(files)) {
        expect(map?.data?.[key], path).toBe(readFileSync(join(ROOT, path), 'utf8'));
      }
    }
  });

  it('mounts generated ConfigMaps, the documented Secrets and its PVCs, with the compose images', () => {
    const compose = parse(composeConfig(ENV).stdout) as ComposeConfig;
    const configMaps = new Set(byKind('ConfigMap').map((m) => m.metadata.name));
    const claims = new Set(byKind('PersistentVolumeClaim').map((m) => m.metadata.name));
    const secrets = new Set<string>();
    for (const deployment of byKind('Deployment')) {
      const pod = deployment.spec?.template?.spec;
      expect(pod?.containers[0]?.image).toBe(compose.services[deployment.metadata.name]?.image);
      for (const volume of pod?.volumes ?? []) {
        if (volume.configMap)
          expect(configMaps.has(volume.configMap.name), volume.configMap.name).toBe(true);
        if (volume.persistentVolumeClaim) {
          expect(claims.has(volume.persistentVolumeClaim.claimName)).toBe(true);
        }
        if (volume.secret) secrets.add(volume.secret.secretName);
      }
    }
    expect([...secrets]).toEqual(['alertmanager-secrets']);
    expect(built.output).toContain('name: grafana-admin');
    // Alertmanager's secret files are where alertmanager.yml reads them.
    const am = byKind('Deployment').find((d) => d.metadata.name === 'alertmanager');
    const mountsOf = am?.spec?.template?.spec.containers[0]?.volumeMounts ?? [];
    expect(mountsOf.find((m) => m.name === 'secrets')?.mountPath).toBe('/etc/alertmanager/secrets');
    const datasource = readRepoFile('grafana', 'provisioning', 'datasources', 'prometheus.yml');
    expect(datasource).toContain(`uid: ${DATASOURCE_UID}`);
  });
});
