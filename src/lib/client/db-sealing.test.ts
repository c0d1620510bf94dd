import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { closeUserDb, openUserDb, userDbName, SEALED_TABLES } from './db';
import { testKeys } from './crypto/test-keys';
import { isSealedRow } from './crypto/row-cipher';
import { SyncEngine } from './sync/engine';
import { FakeClock, makeVisit, MemoryServer } from './sync/testing/memory-transport';
import { completeVisit, startTravel } from './visit-actions';
import { readPhotoBytes, sealLegacyPhotoBytes } from './photos/bytes';
import { savePhoto } from './photos/store';

const SIGNATURE = 'data:image/png;base64,iVBORw0KGgoSECRETSIGNATURE=';
const consent = { consentBy: 'resident' as const, name: '张桂兰', relation: null, consentVersion: '2026-11-v1', consentHash: 'a'.repeat(64), signature: SIGNATURE, signedAt: '2026-11-27T02:00:00.000Z' };
const resident = { ...makeVisit('v1').resident!, name: '张桂兰', phone: '13912345678', idLast4: '4321', address: '萧山区城厢街道体育路 12 号' };
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x4a, 0x46, 0x49, 0x46, 0x53, 0x45, 0x43, 0x52, 0x45, 0x54, 0xff, 0xd9]);
const SECRETS = ['张桂兰', '13912345678', '4321', '体育路', 'SECRETSIGNATURE', '已办理，老人满意'];

/** Every stored row of every table, read straight from IndexedDB (no middleware, no key). */
async function rawDump(name: string): Promise<Record<string, unknown[]>> {
	const raw = new Dexie(name);
	await raw.open();
	const out: Record<string, unknown[]> = {};
	for (const table of raw.tables) out[table.name] = await table.toArray();
	raw.close();
	return out;
}

/**
 * The dump for searching: `text` holds every string and number, and byte arrays and Blobs as
 * UTF-8 and latin1 text; `hex` holds the byte arrays as hex, searched only for the JPEG's bytes.
 * Why apart: random ciphertext in hex is made of 0-9a-f, so a short digit run like an ID's last
 * four turns up in it by chance (about once in six runs for a few KB), which would be no leak.
 */
async function dumpText(dump: Record<string, unknown[]>): Promise<{ text: string; hex: string }> {
	const text: string[] = [];
	const hex: string[] = [];
	const walk = async (v: unknown): Promise<void> => {
		if (v instanceof Blob) v = new Uint8Array(await v.arrayBuffer());
		if (v instanceof ArrayBuffer) v = new Uint8Array(v);
		if (v instanceof Uint8Array) {
			text.push(new TextDecoder().decode(v), Buffer.from(v).toString('latin1'));
			hex.push(Buffer.from(v).toString('hex'));
		} else if (v && typeof v === 'object') for (const x of Object.values(v)) await walk(x);
		else text.push(String(v));
	};
	await walk(dump);
	return { text: text.join('\n'), hex: hex.join('\n') };
}

let n = 0;
afterEach(() => closeUserDb());

describe('the sealed device store', () => {
	it('stores no name, phone, ID digits, address, note, signature or JPEG byte in the clear; the app reads them back', async () => {
		const keys = await testKeys();
		const db = await openUserDb(`sealed-${++n}`, keys);
		const engine = new SyncEngine({ db, transport: new MemoryServer([makeVisit('v1', { resident })]), clock: new FakeClock(), random: () => 0.5 });
		await engine.syncNow();
		await startTravel(db, 'v1');
		await savePhoto(db, { visitId: 'v1', kind: 'id_front', blob: new Blob([JPEG], { type: 'image/jpeg' }), sha256: 'b'.repeat(64), bytes: JPEG.length, width: 1, height: 1, takenAt: '2026-11-27T01:30:00.000Z', position: { lat: 30.16, lng: 120.26, accuracyM: 8 } });
		await completeVisit(db, 'v1', { outcome: 'completed', note: '已办理，老人满意', consent, confirmedBy: ['lead', 'second'] });
		// A field notice from a pull (issue 15) carrying a head's words: sealed like the rest.
		await db.notices.put({ id: 'n1', code: 'visit_sent_back', params: { ref: 'R1', reason: '已办理，老人满意' }, visitId: 'v1', createdAt: '2026-11-27T01:40:00.000Z', dismissedAt: null });

		const dump = await rawDump(userDbName(db.userId));
		const { text, hex } = await dumpText(dump);
		for (const secret of SECRETS) expect(text).not.toContain(secret);
		expect(hex).not.toContain(Buffer.from(JPEG).toString('hex'));
		// Only the index fields are readable; every row of a sealed table is sealed.
		for (const [table, clear] of Object.entries(SEALED_TABLES)) {
			expect(dump[table].length, table).toBeGreaterThan(0);
			for (const row of dump[table] as Record<string, unknown>[]) {
				expect(isSealedRow(row), table).toBe(true);
				expect(Object.keys(row).filter((k) => k !== "$sealed").every((k) => clear.includes(k)), table).toBe(true);
			}
		}

		// Through the app everything is as it was written; queries on clear indexes and filters work.
		expect((await db.residents.get(resident.id))?.phone).toBe('13912345678');
		expect((await db.drafts.get('v1'))?.consent?.signature).toBe(SIGNATURE);
		expect(await db.visits.where('date').equals('2026-11-27').count()).toBe(1);
		expect((await db.outbox.filter((e) => e.type === 'visit.complete').toArray()).length).toBe(1);
		const [photo] = await db.photos.where('visitId').equals('v1').toArray();
		expect(photo.position).toEqual({ lat: 30.16, lng: 120.26, accuracyM: 8 });
		expect(new Uint8Array(await (await readPhotoBytes(db, photo.id))!.arrayBuffer())).toEqual(JPEG);

		// Locked: the key is forgotten and nothing reads or writes any more.
		keys.forget();
		await expect(db.residents.get(resident.id)).rejects.toThrow();
		await expect(db.drafts.put({ ...(await db.drafts.get('v1').catch(() => null)), visitId: 'v1' } as never)).rejects.toThrow();
	});

	it('migrates a store written before encryption at the first unlock, photo bytes included', async () => {
		const name = `legacy-${++n}`;
		// The store as version 2 of the app left it: everything plain, the JPEG inline.
		const old = new Dexie(userDbName(name));
		old.version(1).stores({ visits: 'id, date, requestId', residents: 'id', services: 'code', drafts: 'visitId', outbox: '++seq, &id, entityId, status', syncState: 'key' });
		old.version(2).stores({ photos: 'id, visitId, status' });
		await old.open();
		const { resident: _r, ...visit } = makeVisit('v1');
		await old.table('visits').put({ ...visit, residentId: resident.id, withdrawnAt: null, receivedAt: '2026-11-27T00:00:00.000Z' });
		await old.table('residents').put(resident);
		await old.table('drafts').put({ visitId: 'v1', step: 'completed', note: '已办理，老人满意', consent, checklist: {}, serviceOutcomes: {}, outcome: 'completed', confirmedBy: [], completedAt: '2026-11-27T02:00:00.000Z', updatedAt: '2026-11-27T02:00:00.000Z', travelStartedAt: null, arrival: null });
		await old.table('outbox').add({ id: 'm1', type: 'visit.complete', entityId: 'v1', baseVersion: 1, payload: { note: '已办理，老人满意', consent }, createdAt: '', deviceId: '', status: 'pending', attempts: 0, lastAttemptAt: null, rejection: null, supersedes: [] });
		const photoRow = { id: 'p1', visitId: 'v1', kind: 'id_front', sha256: 'b'.repeat(64), bytes: JPEG.length, width: 1, height: 1, takenAt: '', position: null, status: 'queued', attempts: 0, nextAttemptAt: 0, lastError: null, receipt: null };
		await old.table('photos').put({ ...photoRow, blob: new Blob([JPEG], { type: 'image/jpeg' }) });
		const before = await dumpText(await rawDump(userDbName(name)));
		// Control: the clear store is found by the same search.
		expect(before.text).toContain('13912345678');
		expect(before.hex).toContain(Buffer.from(JPEG).toString('hex'));
		old.close();

		const db = await openUserDb(name, await testKeys());
		expect(await sealLegacyPhotoBytes(db)).toBe(1);
		const { text, hex } = await dumpText(await rawDump(userDbName(name)));
		for (const secret of SECRETS) expect(text).not.toContain(secret);
		expect(hex).not.toContain(Buffer.from(JPEG).toString('hex'));
		// Nothing was lost on the way.
		expect(await db.residents.get(resident.id)).toEqual(resident);
		expect((await db.drafts.get('v1'))?.consent?.signature).toBe(SIGNATURE);
		expect(await db.outbox.where('status').equals('pending').first()).toMatchObject({ id: 'm1', seq: 1, payload: { note: '已办理，老人满意' } });
		expect(await db.photos.get('p1')).toEqual({ ...photoRow, hasBytes: true });
		expect(new Uint8Array(await (await readPhotoBytes(db, 'p1'))!.arrayBuffer())).toEqual(JPEG);
		expect(await sealLegacyPhotoBytes(db)).toBe(0);
		expect(await db.legacyPhotoBytes.count()).toBe(0);
	});
});
