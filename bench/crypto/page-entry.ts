// Bundled by bench/crypto/run.ts into a blank Chromium page: the app's own ciphers and keys.
import { createRowCipher } from '../../src/lib/client/crypto/row-cipher';
import { openBlob, sealBlob } from '../../src/lib/client/crypto/cipher';
import { calibrateIterations, newDataKey, wrapWithPin, unwrapWithPin } from '../../src/lib/client/crypto/keys';
import { gcm } from '@noble/ciphers/aes.js';

(globalThis as Record<string, unknown>).__cryptoBench = { createRowCipher, sealBlob, openBlob, calibrateIterations, newDataKey, wrapWithPin, unwrapWithPin, gcm };
