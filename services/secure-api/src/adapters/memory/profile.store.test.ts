import { profileStoreContract } from '../../../test/profile-store.contract.js';
import { MemoryProfileStore } from './profile.store.js';

const store = new MemoryProfileStore();
profileStoreContract('memory', () => store);
