export {
  DEFAULT_SUBJECT_PREFIX,
  InvalidEventError,
  cloudEventSchema,
  createEvent,
  eventDataSchemas,
  eventTypes,
  parseCloudEvent,
  subjectForType,
  type CloudEvent,
  type EventDataByType,
  type EventType,
} from './cloud-event.js';
