export { activeTraceIds, contextFromCarrier, currentTraceCarrier, type TraceCarrier } from './context.js';
export { shutdownTelemetry } from './registry.js';
export { inMessagingSpan } from './messaging.js';
