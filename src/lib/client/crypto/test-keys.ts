/** Tests only: a fresh random data key, as an unlock would give (nothing stored). */
import { dataKeysFromRaw, type DataKeys } from './data-keys';
import { randomBytes } from './keys';

export const testKeys = (): Promise<DataKeys> => dataKeysFromRaw(randomBytes(32));
