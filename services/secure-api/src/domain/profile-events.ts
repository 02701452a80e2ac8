import { createEvent, type CloudEvent } from '@testbed/service-kit/events';
import type { ProfileChanges } from './profile.js';

const EVENT_SOURCE = '/secure-api';

/**
 * What other services learn when a user edits their profile. Only the public name travels: the
 * bio is personal and nobody downstream needs it. DELETE emits nothing (see README).
 */
export const profileUpdated = (uid: string, changes: ProfileChanges): CloudEvent<'testbed.profile.updated'> =>
  createEvent({
    type: 'testbed.profile.updated',
    source: EVENT_SOURCE,
    subject: uid,
    data: { uid, displayName: changes.displayName },
  });
