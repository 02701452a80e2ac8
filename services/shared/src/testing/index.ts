export {
  EMULATOR_PROJECT_ID,
  clearEmulatorUsers,
  emulatorHost,
  isEmulatorUp,
  signInUser,
  signUpUser,
  type EmulatorUser,
} from './auth-emulator.js';
export { createTestDatabase, testMysqlServerUrl, type TestDatabase } from './mysql.js';
export { freePort, httpOk, startServiceProcess, waitFor, type ServiceProcess } from './process.js';
export {
  HTTP_METHODS,
  OpenApiResponseChecker,
  compareRouterWithDocument,
  documentOperations,
  routerOperations,
  type CheckedResponse,
  type OperationsComparison,
} from './openapi.js';
export { privateNatsServer, type PrivateNatsServer } from './nats-server.js';
