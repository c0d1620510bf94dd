/*
 * The Dexie middleware that makes encryption at rest invisible to the rest of the app: rows of
 * the listed tables are sealed on every write and opened on every read, at the bottom of Dexie's
 * stack (right above IndexedDB), so liveQuery, hooks, `where`, `filter`, `modify` and
 * transactions all see plain rows while IndexedDB only ever receives the sealed form.
 *
 * Only the fields in the table's clear list are stored readable; they must be what the indexes
 * need (ids, dates, statuses) and never personal data.
 */
import type { DBCore, DBCoreCursor, DBCoreTable, Middleware } from 'dexie';
import type { RowCipher } from './crypto/row-cipher';

export type ClearFields = Readonly<Record<string, readonly string[]>>;

type Row = Record<string, unknown>;

export function sealingMiddleware(cipher: RowCipher, clearFields: ClearFields): Middleware<DBCore> {
	return {
		stack: 'dbcore',
		name: 'DoorstepSealing',
		// Below Dexie's own middlewares (the lowest is -1): closest to IndexedDB.
		level: -10,
		create: (down) => ({
			...down,
			table(name: string): DBCoreTable {
				const table = down.table(name);
				const clear = clearFields[name];
				return clear ? sealedTable(table, cipher, clear) : table;
			}
		})
	};
}

function sealedTable(table: DBCoreTable, cipher: RowCipher, clear: readonly string[]): DBCoreTable {
	const name = table.name;
	const open = (stored: unknown) => (stored && typeof stored === 'object' ? cipher.open(name, stored as Row) : stored);
	return {
		...table,
		mutate(req) {
			if (req.type !== 'add' && req.type !== 'put') return table.mutate(req);
			return table.mutate({ ...req, values: req.values.map((row: Row) => cipher.seal(name, row, clear)) });
		},
		get: (req) => table.get(req).then(open),
		getMany: (req) => table.getMany(req).then((rows) => rows.map(open)),
		query: (req) => table.query(req).then((res) => (req.values ? { ...res, result: res.result.map(open) } : res)),
		openCursor: (req) => table.openCursor(req).then((cursor) => cursor && (req.values === false ? cursor : openingCursor(cursor, open)))
	};
}

/**
 * The cursor with `value` opened (once per position: filters may read it several times). The
 * cursor is IndexedDB's own object: its native getters must be called on it, not on the wrapper.
 */
function openingCursor(cursor: DBCoreCursor, open: (stored: unknown) => unknown): DBCoreCursor {
	let raw: unknown = undefined;
	let opened: unknown = undefined;
	return Object.create(cursor, {
		key: { get: () => cursor.key },
		primaryKey: { get: () => cursor.primaryKey },
		value: {
			get() {
				const current = cursor.value;
				if (current !== raw) {
					raw = current;
					opened = open(current);
				}
				return opened;
			}
		}
	});
}
