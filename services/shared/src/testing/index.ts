export { EMULATOR_PROJECT_ID, clearEmulatorUsers, emulatorHost, isEmulatorUp, signInUser, signUpUser, type EmulatorUser } from './auth-emulator.js';
export { createTestDatabase, createTestPool, testMysqlServerUrl, type TestDatabase, type TestPool } from './mysql.js';
export { spawnCapturingOutput, startServiceProcess, type CapturedProcess, type ServiceProcess } from './process.js';
// The kit's wait helpers, here too because nearly every test wants them next to the fixtures.
export { freePort, freePorts, urlAnswers, waitFor, waitForUrl } from '../wait.js';
export { HTTP_METHODS, OpenApiResponseChecker, undocumentedGenericAnswers, type CheckedResponse } from './openapi.js';
export { startAuthServiceProcess, type AuthServiceProcess } from './auth-service.js';
export { startEventConsumerProcess, type EventConsumerProcess } from './event-consumer.js';
export { privateNatsServer, type PrivateNatsServer } from './nats-server.js';
export { privateMariadbServer, type PrivateMariadbServer } from './mariadb-server.js';
export { privateRedisServer, type PrivateRedisServer } from './redis-server.js';
export { privateServer, type PrivateServer } from './private-server.js';
export { deleteTopology, publishToStream, storedEvents } from './jetstream.js';
export { keepAliveLoad, type KeepAliveLoad, type LoadOutcome } from './keep-alive-load.js';
export { tcpProxy, type TcpProxy } from './tcp-proxy.js';
