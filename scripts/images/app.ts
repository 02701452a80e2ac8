import { startGateway, type Gateway } from '../dev/gateway/gateway.js';
import { appContainerSpecs, startContainer, waitForOk, type AppEnvironment, type ContainerSpec, type RunningContainer } from './containers.js';

/** The five containers and the dev gateway in front of them. */
export interface RunningApp {
  /** The gateway's origin, e.g. http://127.0.0.1:8080: the app as a browser sees it. */
  readonly url: string;
  readonly containers: readonly RunningContainer[];
  readonly gateway: Gateway;
  /** Stops the gateway, then every container (SIGTERM, drain), and removes them. */
  stop(): Promise<void>;
}

/**
 * Starts the whole app from its images: the five containers against the real servers, then the
 * dev gateway routing by the production route table (manifests/routes.json) to them. Resolves
 * once every service answers /readyz and the frontend /healthz.
 * @throws Error with the failing container's logs; whatever was started is stopped first.
 */
export async function startApp(app: AppEnvironment, gatewayPort = 0): Promise<RunningApp> {
  const { ports } = app;
  const containers: RunningContainer[] = [];
  const byImage = new Map<string, RunningContainer>();
  const removeAll = () => Promise.all(containers.map((c) => c.remove()));
  const start = async (spec: ContainerSpec) => {
    const container = await startContainer(spec);
    containers.push(container);
    byImage.set(spec.image, container);
  };
  let gateway: Gateway | undefined;
  try {
    for (const spec of appContainerSpecs(app).filter((s) => s.image !== 'secure-api')) await start(spec);
    const publicApi = byImage.get('public-api') as RunningContainer;
    await waitForOk(`http://127.0.0.1:${ports.publicApi}/readyz`, publicApi);
    const secureApi = appContainerSpecs({ ...app, publicApiUrl: `http://127.0.0.1:${ports.publicApiInternal}` }).find(
      (s) => s.image === 'secure-api',
    ) as ContainerSpec;
    await start(secureApi);
    const checks: [string, string][] = [
      ['auth-service', `http://127.0.0.1:${ports.authHttp}/readyz`],
      ['public-api', `http://127.0.0.1:${ports.publicApi}/readyz`],
      ['secure-api', `http://127.0.0.1:${ports.secureApi}/readyz`],
      ['event-consumer', `http://127.0.0.1:${ports.eventConsumer}/readyz`],
      ['frontend', `http://127.0.0.1:${ports.frontend}/healthz`],
    ];
    await Promise.all(checks.map(([image, url]) => waitForOk(url, byImage.get(image as 'frontend') as RunningContainer)));
    gateway = await startGateway({
      port: gatewayPort,
      spa: { upstream: `http://127.0.0.1:${ports.frontend}` },
      servicePorts: { 'auth-service': ports.authGrpc, 'public-api': ports.publicApi, 'secure-api': ports.secureApi },
      emulatorHost: app.emulatorHost,
    });
  } catch (error) {
    await removeAll();
    throw error;
  }
  const started = gateway;
  return {
    url: started.url,
    containers,
    gateway: started,
    stop: async () => {
      await started.close();
      await Promise.all(containers.map((c) => c.stop()));
      await removeAll();
    },
  };
}
