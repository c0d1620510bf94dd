// Bundled by bench/photos/run.ts into a page of the bench server: the app's real photo code
// (processor handle, Dexie store sealed with a data key, upload queue, HTTP transports), exposed
// for page.evaluate.
import { DoorstepDb } from '../../src/lib/client/db';
import { PhotoProcessor } from '../../src/lib/client/photos/photo-processor';
import { createHttpPhotoTransport } from '../../src/lib/client/photos/http-photo-transport';
import { savePhoto } from '../../src/lib/client/photos/store';
import { PhotoUploadQueue } from '../../src/lib/client/photos/upload-queue';
import { watermarkLines } from '../../src/lib/client/photos/pipeline';
import { createHttpTransport } from '../../src/lib/client/sync/http-transport';
import { dataKeysFromRaw } from '../../src/lib/client/crypto/data-keys';

(globalThis as Record<string, unknown>).__photoBench = { DoorstepDb, PhotoProcessor, createHttpPhotoTransport, savePhoto, PhotoUploadQueue, watermarkLines, createHttpTransport, dataKeysFromRaw };
