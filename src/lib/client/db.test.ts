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

		const again = await openUserDb('user-a', keysA);
		expect(await again.outbox.count()).toBe(1); // A's work survived the switch (and a restart)
		expect(await again.drafts.get('v-a')).toMatchObject({ step: 'travelling' });

		// A store sealed under a key that is gone (its wrappings lost with the site data) is
		// unreadable for good: opening with the new key starts a new, empty store.
		const fresh = await openUserDb('user-a', await testKeys());
		expect(await fresh.outbox.count()).toBe(0);
		expect(await fresh.drafts.get('v-a')).toBeUndefined();
		await fresh.drafts.put({ visitId: 'v-new' } as never);
		expect(await fresh.drafts.get('v-new')).toMatchObject({ visitId: 'v-new' });

		await deleteUserDb('user-a');
		expect(await Dexie.exists(userDbName('user-a'))).toBe(false);
		expect(await Dexie.exists(userDbName('user-b'))).toBe(true);
		closeUserDb();
		expect(() => userDbName('')).toThrow();
	});
});
