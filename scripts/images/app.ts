import { startGateway, type Gateway } from '../dev/gateway/gateway.js';
import {
  appContainerSpecs,
  startContainer,
  waitForOk,
  type AppEnvironment,
  type RunningContainer,
} from './containers.js';

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
  const specs = appContainerSpecs(app);
  const containers: RunningContainer[] = [];
  const removeAll = () => Promise.all(containers.map((c) => c.remove()));
  let gateway: Gateway | undefined;
  try {
    for (const spec of specs) containers.push(await startContainer(spec));
    const { ports } = app;
    const byImage = new Map(specs.map((spec, i) => [spec.image, containers[i] as RunningContainer]));
    const checks: [string, string][] = [
      ['auth-service', `http://127.0.0.1:${ports.authHttp}/readyz`],
      ['public-api', `http://127.0.0.1:${ports.publicApi}/readyz`],
      ['secure-api', `http://127.0.0.1:${ports.secureApi}/readyz`],
      ['event-consumer', `http://127.0.0.1:${ports.eventConsumer}/readyz`],
      ['frontend', `http://127.0.0.1:${ports.frontend}/healthz`],
    ];
    await Promise.all(
      checks.map(([image, url]) => waitForOk(url, byImage.get(image as 'frontend') as RunningContainer)),
    );
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
