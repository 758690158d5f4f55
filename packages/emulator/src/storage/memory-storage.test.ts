import { createMemoryStorage, emptyMemoryStorageData } from './memory-storage';
import { describeEmulatorStorage } from './storage-contract.test-support';

describeEmulatorStorage('memory storage', () => {
  const data = emptyMemoryStorageData();
  return { open: () => createMemoryStorage(data) };
});
