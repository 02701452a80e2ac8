export { activeTraceIds, contextFromCarrier, currentTraceCarrier, type TraceCarrier } from './context.js';
export { shutdownTelemetry } from './shutdown.js';
export { inMessagingSpan } from './messaging.js';
