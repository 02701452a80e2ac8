import { MemoryEventBus, type CloudEvent } from '@testbed/service-kit/events';
import { profileStoreContract } from '../../../test/profile-store.contract.js';
import { MemoryProfileStore } from './profile.store.js';

const bus = new MemoryEventBus();
const seen: CloudEvent[] = [];
await bus.subscribe('contract', async (event) => {
  seen.push(event);
});
const store = new MemoryProfileStore({ outbox: bus });

profileStoreContract(
  'memory',
  () => store,
  async (uid) => {
    await bus.idle();
    return seen.filter((event) => event.subject === uid);
  },
);
