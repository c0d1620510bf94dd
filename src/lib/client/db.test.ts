import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { closeUserDb, deleteUserDb, openUserDb, userDbName } from './db';
import { testKeys } from './crypto/test-keys';
import { startTravel } from './visit-actions';

describe('per-user device databases', () => {
	it('keeps each user’s visits and unsynced work in a database of their own', async () => {
		const keysA = await testKeys();
		const a = await openUserDb('user-a', keysA);
		await a.visits.put({ id: 'v-a' } as never);
		await startTravel(a, 'v-a');

		const b = await openUserDb('user-b', await testKeys());
		expect(a.isOpen()).toBe(false); // signing in as B closed A's database
		expect(b.name).not.toBe(a.name);
		expect(await b.visits.count()).toBe(0);
		expect(await b.outbox.count()).toBe(0);
		expect(await b.drafts.count()).toBe(0);

		// Another key (another user's, or a guess) opens the database but reads nothing of it.
		const wrong = await openUserDb('user-a', await testKeys());
		await expect(wrong.drafts.get('v-a')).rejects.toThrow();
		const again = await openUserDb('user-a', keysA);
		expect(await again.outbox.count()).toBe(1); // A's work survived the switch (and a restart)
		expect(await again.drafts.get('v-a')).toMatchObject({ step: 'travelling' });

		await deleteUserDb('user-a');
		expect(await Dexie.exists(userDbName('user-a'))).toBe(false);
		expect(await Dexie.exists(userDbName('user-b'))).toBe(true);
		closeUserDb();
		expect(() => userDbName('')).toThrow();
	});
});
