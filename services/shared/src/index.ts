export { ConfigError, commonEnv, authVerifyTimeoutMs, hostPort, loadConfig, loadConfigOrExit, logLevels, port, trustedProxyHops } from './config.js';
export { createLogger, survivesBrokenStdio, type Logger } from './logger.js';
export {
  AppError,
  DEPENDENCY_RETRY_AFTER_S,
  classifyFailure,
  clientDataError,
  dataErrorColumn,
  errorKinds,
  isAppError,
  kindFromGrpcStatus,
  kindFromHttpStatus,
  toAppError,
  type AppErrorOptions,
  type FailureClass,
  type ErrorKind,
  type FieldProblem,
} from './errors.js';
export { Health, type DependencyCheck, type ReadinessReport, type ReadinessStatus } from './health.js';
export { Metrics } from './metrics.js';
export { installShutdown, runShutdownSteps, stopOnce, type ShutdownStep } from './shutdown.js';
export { runService } from './run-service.js';
export { runningService, serviceBasics, shutdownSteps, type RunningService, type ShutdownPlan, type StartOptions, type StartService } from './lifecycle.js';
export { TimeoutError, freePort, freePorts, urlAnswers, waitFor, waitForUrl, withTimeout, type WaitOptions } from './wait.js';
export { createHttpApp, type HttpAppDeps, type HttpAppOptions } from './http/app.js';
export { PROBLEM_CONTENT_TYPE, problemType, sendProblem, type Problem } from './http/problem.js';
export { parseRequest, type RequestPart } from './http/validate.js';
export { UpstreamProblems, type UpstreamOptions } from './http/upstream.js';
export { listenHttp, type RunningHttpServer } from './http/server.js';
export { bearerFromMetadata, toGrpcError, unaryHandler } from './grpc/unary.js';
export { createGrpcServer } from './grpc/server.js';
export {
  PoolWaitTimeoutError,
  createMysqlPool,
  endMysqlPool,
  mysqlOptionsFromUrl,
  mysqlPoolDefaults,
  mysqlPoolSettings,
  pingMysql,
  withTransaction,
  type MysqlPool,
  type MysqlPoolSettings,
} from './clients/mysql.js';
export { REDIS_MAX_RECONNECT_DELAY_MS, closeRedis, createRedis, pingRedis, redisReconnectDelayMs, type Redis } from './clients/redis.js';
export { NATS_RECONNECT_TIME_WAIT_MS, connectNats, pingNats, pingNatsOnceConnected, type ConnectNatsOptions, type NatsConnection } from './clients/nats.js';
export { compareNewestFirst, isOlderThan, pageFromRows, type Page, type PagePosition, type PageRequest } from './paging/page.js';
export { toPageRequest, toPageResponse } from './paging/page-query.js';
export { migrate, readMigrations, type Migration } from './migrations.js';
export { runMigrateCommand } from './migrate-command.js';
export {
  asOpenApiDocument,
  routeOperations,
  type HttpMethod,
  type JsonSchema,
  type OpenApiDocument,
  type OpenApiOperation,
  type OpenApiParameter,
  type OpenApiResponse,
  type OperationHandler,
  type OperationInput,
  type RoutedOperation,
} from './http/openapi.js';
