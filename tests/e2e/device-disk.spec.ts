import { chromium, expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { shanghaiDate } from './helpers';
import { lockedWithUnsyncedVisit, networkBack, passLockOnLoad, planVisit, residentAddress, tabletOptions, withDb } from './field-helpers';
import { photoRows, storedFile } from './photo-flow-helpers';
import { distinctiveRuns, filesHolding, readProfile, v8StringProperty } from './profile-scan';
import { makeResidentId } from '../../src/lib/domain/resident-id';

/**
 * Issue 6, "reading the IndexedDB files": a tablet switched off while locked, its disk read
 * directly. The browser runs on a profile folder of its own; after the app locks and the browser
 * closes, every file in that folder (IndexedDB's LevelDB and Blob files, Cache Storage, history,
 * sessions …) is searched. Then the same profile is started again and the work reaches the server,
 * so the real photo and signature bytes can be looked for in what was read.
 */
const DATA_DIR = process.env.E2E_DATA_DIR || '.tmp/e2e-data';

test('switched off while locked with unsynced work: no file of the browser profile holds a name, phone, ID, note, signature or photo bytes', async ({ baseURL }) => {
	test.setTimeout(180_000);
	const profile = mkdtempSync(path.join(os.tmpdir(), 'doorstep-profile-'));
	const date = shanghaiDate(13);
	const hour = String(9 + test.info().repeatEachIndex).padStart(2, '0'); // --repeat-each: a free slot each time
	const visit = await planVisit(baseURL!, DATA_DIR, { date, start: `${hour}:00`, end: `${hour}:45`, lead: 'staff1', second: 'staff2', tag: '磁盘老人' });
	const idNumber = makeResidentId('330109', '1940-02-11', visit.residentName.slice(-3));
	const address = residentAddress(DATA_DIR, visit.residentName);
	const note = '磁盘上不应出现的备注：老人独居';
	const launch = () => chromium.launchPersistentContext(profile, { ...tabletOptions(baseURL!), permissions: ['geolocation', 'camera'] });

	try {
		let context = await launch();
		let page = context.pages()[0] ?? (await context.newPage());
		await lockedWithUnsyncedVisit(page, date, visit.residentName, note);
		// Control: a text written in the clear by the plain IndexedDB API at the same moment.
		const canary = `明文探针${Date.now()}`;
		const canaryLast4 = idNumber.slice(-4) === '0427' ? '0428' : '0427';
		await page.evaluate(
			({ text, idLast4 }) =>
				new Promise<void>((resolve, reject) => {
					const open = indexedDB.open('scan-canary', 1);
					open.onupgradeneeded = () => open.result.createObjectStore('rows');
					open.onerror = () => reject(open.error);
					open.onsuccess = () => {
						const tx = open.result.transaction('rows', 'readwrite');
						tx.objectStore('rows').put({ text, idLast4 }, 1);
						tx.oncomplete = () => (open.result.close(), resolve());
						tx.onerror = () => reject(tx.error);
					};
				}),
			{ text: canary, idLast4: canaryLast4 }
		);
		await context.close(); // switched off, locked

		const files = readProfile(profile);
		// The scan sees stored values: the canary, and the visit's id (a clear index field).
		const inIndexedDb = (needle: string) => filesHolding(files, needle).some((f) => f.includes('IndexedDB'));
		expect(inIndexedDb(canary)).toBe(true);
		expect(filesHolding(files, v8StringProperty('idLast4', canaryLast4)).some((f) => f.includes('IndexedDB'))).toBe(true);
		expect(inIndexedDb(visit.visitId)).toBe(true);
		// The tablet got the ID's last four and a masked form only: the full ID, and the last four as a
		// clear row would hold it (the control above shows that form is found), may not show.
		for (const secret of [visit.residentName, '13800001234', idNumber, address, note]) expect(filesHolding(files, secret), secret).toEqual([]);
		expect(filesHolding(files, v8StringProperty('idLast4', idNumber.slice(-4))), 'ID last four').toEqual([]);

		// Switched on again, online: the session survived, the PIN unlocks, the sealed work is handed over.
		context = await launch();
		page = context.pages()[0] ?? (await context.newPage());
		await networkBack(context);
		passLockOnLoad(page);
		await page.goto('/field');
		await expect(page.getByTestId('pending')).toHaveText('待同步 0 项', { timeout: 30_000 });
		await expect.poll(() => photoRows(DATA_DIR, visit.visitId).length, { timeout: 30_000 }).toBe(4);
		await context.close();

		// None of the real bytes was on the disk: distinctive 64-byte runs of each JPEG as stored on the
		// server and of the signature PNG, and the signature's base64 text.
		for (const row of photoRows(DATA_DIR, visit.visitId)) {
			const runs = distinctiveRuns(readFileSync(storedFile(DATA_DIR, row.sha256)));
			expect(runs).toHaveLength(4);
			for (const { at, run } of runs) expect(filesHolding(files, run), `${row.kind} @${at}`).toEqual([]);
		}
		const signature = withDb(DATA_DIR, (db) => db.prepare('select consent_signature as s from visit_progress where visit_id = ?').get(visit.visitId) as { s: string | null } | undefined)?.s ?? '';
		expect(signature).toMatch(/^data:image\/png;base64,/);
		const base64 = signature.slice(signature.indexOf(',') + 1);
		const png = Buffer.from(base64, 'base64');
		expect(filesHolding(files, base64.slice(Math.floor(base64.length / 2), Math.floor(base64.length / 2) + 48))).toEqual([]);
		const pngRuns = distinctiveRuns(png, 2);
		expect(pngRuns.length).toBeGreaterThan(0);
		for (const { at, run } of pngRuns) expect(filesHolding(files, run), `signature @${at}`).toEqual([]);
	} finally {
		rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }); // Chromium may still be writing as it exits
	}
});
