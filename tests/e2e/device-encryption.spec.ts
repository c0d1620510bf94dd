import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { shanghaiDate } from './helpers';
import { ensureServiceWorker, fieldLogin, lockedWithUnsyncedVisit, lockNow, networkBack, planVisit, residentAddress, tabletOptions, TEST_PIN, unlockWithPin, withDb } from './field-helpers';
import { devicePhotos, photoRows, storedFile } from './photo-flow-helpers';
import { distinctiveRuns } from './profile-scan';
import { makeResidentId } from '../../src/lib/domain/resident-id';

/**
 * Issue 6, encryption at rest on the tablet: what IndexedDB holds, read without the app and its
 * key, reveals no personal data (rows sealed by the Dexie middleware, photo bytes by WebCrypto),
 * and a store written in the clear by the previous version is sealed at the first unlock.
 */
const DATA_DIR = process.env.E2E_DATA_DIR || '.tmp/e2e-data';
const { geolocation } = tabletOptions('');
test.use({ permissions: ['geolocation', 'camera'], geolocation });

/**
 * Every object store of every field database in this browser, read with the plain IndexedDB API
 * (no app code, no key), as text: JSON with Blobs, ArrayBuffers and byte arrays turned into
 * their bytes as latin1 characters, so one search finds plain values and JPEG bytes alike.
 */
async function dumpIndexedDb(page: Page): Promise<string> {
	return page.evaluate(async () => {
		const bytes = (b: Uint8Array) => {
			let s = '';
			for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
			return s;
		};
		const flatten = async (v: unknown): Promise<unknown> => {
			if (v instanceof Blob) return { blob: bytes(new Uint8Array(await v.arrayBuffer())) };
			if (v instanceof ArrayBuffer) return { bytes: bytes(new Uint8Array(v)) };
			if (ArrayBuffer.isView(v)) return { bytes: bytes(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
			if (Array.isArray(v)) return Promise.all(v.map(flatten));
			if (v && typeof v === 'object') return Object.fromEntries(await Promise.all(Object.entries(v).map(async ([k, x]) => [k, await flatten(x)])));
			return v;
		};
		const out: unknown[] = [];
		for (const { name } of await indexedDB.databases()) {
			if (!name?.startsWith('doorstep-field-')) continue;
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const r = indexedDB.open(name);
				r.onsuccess = () => resolve(r.result);
				r.onerror = () => reject(r.error);
			});
			for (const store of Array.from(db.objectStoreNames)) {
				const rows = await new Promise<unknown[]>((resolve, reject) => {
					const r = db.transaction(store).objectStore(store).getAll();
					r.onsuccess = () => resolve(r.result);
					r.onerror = () => reject(r.error);
				});
				out.push({ store, rows: await flatten(rows) });
			}
			db.close();
		}
		return JSON.stringify(out);
	});
}

test('locked with unsynced work: a dump of IndexedDB shows no name, phone, resident ID, signature or photo bytes; unlocked, all of it reaches the server', async ({ page, context, baseURL }) => {
	test.setTimeout(180_000);
	const date = shanghaiDate(14 + test.info().repeatEachIndex);
	const visit = await planVisit(baseURL!, DATA_DIR, { date, start: '11:00', end: '12:00', lead: 'staff1', second: 'staff2', tag: '加密老人' });
	const idNumber = makeResidentId('330109', '1940-02-11', visit.residentName.slice(-3));
	const note = '老人血压偏高，已提醒家属复诊';
	// The whole visit offline: photos, signature, outcome and note stay on the tablet, unsynced.
	await lockedWithUnsyncedVisit(page, date, visit.residentName, note);

	const dump = await dumpIndexedDb(page);
	// The dump is the real store: the visit's rows and four sealed photos are in it.
	expect(dump).toContain(visit.visitId);
	expect((await devicePhotos(page, visit.visitId)).filter((p) => p.hasBlob)).toHaveLength(4);
	// (The tablet gets the ID's last four and a masked form only. The four digits alone could be in a
	// photo's size by chance; a row in the clear holds them under their key, which must not show.)
	for (const secret of [visit.residentName, '13800001234', idNumber, `"idLast4":"${idNumber.slice(-4)}"`, 'idLast4', residentAddress(DATA_DIR, visit.residentName), note, 'data:image/png', 'iVBORw0KGgo', 'JFIF']) expect(dump, secret).not.toContain(secret);

	// Unlocked and online: the sealed work is handed over intact (server hash = stored file).
	await unlockWithPin(page, TEST_PIN);
	await networkBack(context);
	await expect(page.getByTestId('pending')).toHaveText('待同步 0 项', { timeout: 30_000 });
	await expect.poll(() => photoRows(DATA_DIR, visit.visitId).length, { timeout: 30_000 }).toBe(4);
	// No distinctive 64-byte run (4 places) of any of the real JPEGs was in the locked dump.
	for (const row of photoRows(DATA_DIR, visit.visitId)) {
		const runs = distinctiveRuns(readFileSync(storedFile(DATA_DIR, row.sha256)));
		expect(runs).toHaveLength(4);
		for (const { at, run } of runs) expect(dump, `${row.kind} @${at}`).not.toContain(Buffer.from(run).toString('latin1'));
	}
});


/**
 * Replaces the signed-in user's store with one as the previous app version (Dexie version 2)
 * left it: every row in the clear. The rows are the server's own (a pull with the registered
 * device), a draft of travel started, and its unsynced mutation. Runs while the app is locked
 * (the store is closed then). Returns the resident's name and phone to search for.
 */
async function writeLegacyStore(page: Page, visitId: string, note: string): Promise<{ name: string; phone: string }> {
	return page.evaluate(
		async ({ visitId, note }) => {
			const done = <T>(r: IDBRequest<T>) =>
				new Promise<T>((resolve, reject) => {
					r.onsuccess = () => resolve(r.result);
					r.onerror = () => reject(r.error);
				});
			const openDb = (name: string, version?: number, upgrade?: (db: IDBDatabase) => void) => {
				const r = version ? indexedDB.open(name, version) : indexedDB.open(name);
				if (upgrade) r.onupgradeneeded = () => upgrade(r.result);
				return done(r);
			};
			const user = JSON.parse(localStorage.getItem('doorstep.fieldUser') ?? '{}') as { id: string };
			const name = `doorstep-field-${user.id}`;
			let db = await openDb(name);
			const state = (await done(db.transaction('syncState').objectStore('syncState').get('sync'))) as Record<string, unknown> & { deviceId: string };
			db.close();
			const res = await fetch('/api/sync/pull', { method: 'POST', headers: { 'content-type': 'application/json', 'x-doorstep-device': state.deviceId }, body: JSON.stringify({ cursor: null }) });
			const pull = (await res.json()) as { cursor: string; services: unknown[] | null; visits: (Record<string, unknown> & { id: string; version: number; resident: { id: string; name: string; phone: string } })[] };
			const visit = pull.visits.find((v) => v.id === visitId)!;
			await done(indexedDB.deleteDatabase(name));
			// Dexie's version 2 schema (its IndexedDB version is 10 × 2).
			db = await openDb(name, 20, (d) => {
				const visits = d.createObjectStore('visits', { keyPath: 'id' });
				visits.createIndex('date', 'date');
				visits.createIndex('requestId', 'requestId');
				d.createObjectStore('residents', { keyPath: 'id' });
				d.createObjectStore('services', { keyPath: 'code' });
				d.createObjectStore('drafts', { keyPath: 'visitId' });
				const outbox = d.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
				outbox.createIndex('id', 'id', { unique: true });
				outbox.createIndex('entityId', 'entityId');
				outbox.createIndex('status', 'status');
				d.createObjectStore('syncState', { keyPath: 'key' });
				const photos = d.createObjectStore('photos', { keyPath: 'id' });
				photos.createIndex('visitId', 'visitId');
				photos.createIndex('status', 'status');
			});
			const now = new Date().toISOString();
			const tx = db.transaction(['visits', 'residents', 'services', 'drafts', 'outbox', 'syncState'], 'readwrite');
			const { resident, ...rest } = visit;
			tx.objectStore('visits').put({ ...rest, residentId: resident.id, withdrawnAt: null, receivedAt: now });
			tx.objectStore('residents').put(resident);
			for (const s of pull.services ?? []) tx.objectStore('services').put(s);
			tx.objectStore('drafts').put({ visitId, step: 'travelling', travelStartedAt: now, arrival: null, checklist: {}, serviceOutcomes: {}, outcome: null, note, consent: null, confirmedBy: [], completedAt: null, updatedAt: now });
			tx.objectStore('outbox').add({ id: crypto.randomUUID(), type: 'visit.start_travel', entityId: visitId, baseVersion: visit.version, payload: { at: now }, createdAt: now, deviceId: state.deviceId, status: 'pending', attempts: 0, lastAttemptAt: null, rejection: null, supersedes: [] });
			tx.objectStore('syncState').put({ ...state, cursor: pull.cursor });
			await new Promise<void>((resolve, reject) => {
				tx.oncomplete = () => resolve();
				tx.onerror = () => reject(tx.error);
			});
			db.close();
			return { name: resident.name, phone: resident.phone };
		},
		{ visitId, note }
	);
}

test('a store the previous version wrote in the clear is sealed at the first unlock; nothing is lost', async ({ page, context, baseURL }) => {
	test.setTimeout(120_000);
	const date = shanghaiDate(12);
	const visit = await planVisit(baseURL!, DATA_DIR, { date, start: '15:00', end: '16:00', lead: 'staff1', second: 'staff2', tag: '迁移老人' });
	const note = '迁移前写下的备注：老人住三楼';
	await fieldLogin(page, 'staff1');
	await ensureServiceWorker(page);
	await lockNow(page);
	const resident = await writeLegacyStore(page, visit.visitId, note);
	const before = await dumpIndexedDb(page);
	expect(before).toContain(resident.name); // the legacy store really is in the clear
	expect(before).toContain(note);

	// Offline, the first unlock after the update: the same visit, its draft, its unsynced work.
	await context.setOffline(true);
	await page.goto(`/field/visits/${visit.visitId}`); // opens locked; the PIN unlocks it
	await expect(page.getByRole('heading', { level: 1 })).toContainText(visit.residentName);
	await expect(page.getByText(/已于 .* 出发/)).toBeVisible();
	await expect(page.getByTestId('pending')).toHaveText('待同步：1 次上门');
	const after = await dumpIndexedDb(page);
	expect(after).toContain(visit.visitId);
	for (const secret of [resident.name, resident.phone, note]) expect(after, secret).not.toContain(secret);

	// Online: the migrated mutation reaches the server.
	await networkBack(context);
	await expect(page.getByTestId('pending')).toHaveText('待同步 0 项', { timeout: 30_000 });
	const progress = withDb(DATA_DIR, (db) => db.prepare('select travel_started_at as t from visit_progress where visit_id = ?').get(visit.visitId) as { t: string | null } | undefined);
	expect(progress?.t).toBeTruthy();
});
