/**
 * Reads raster tiles from an MBTiles file (SQLite: `tiles(zoom_level, tile_column, tile_row,
 * tile_data)`, rows numbered TMS-style from the south). Opened read-only and lazily; a missing
 * file only means "no tiles here" (404s), never a failing server.
 */
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';

export interface Tile {
	data: Buffer;
	contentType: string;
}

type Reader = { db: Database.Database; get: Database.Statement<[number, number, number], { tile_data: Buffer }>; mtimeMs: number };
const readers = new Map<string, Reader>();

function readerFor(file: string): Reader | null {
	if (!existsSync(file)) return null;
	const mtimeMs = statSync(file).mtimeMs;
	const open = readers.get(file);
	// A replaced file (a new district extract) is picked up without a restart.
	if (open && open.mtimeMs === mtimeMs) return open;
	open?.db.close();
	const db = new Database(file, { readonly: true, fileMustExist: true });
	const get = db.prepare<[number, number, number], { tile_data: Buffer }>('select tile_data from tiles where zoom_level = ? and tile_column = ? and tile_row = ?');
	const reader = { db, get, mtimeMs };
	readers.set(file, reader);
	return reader;
}

/** The image type from the first bytes: MBTiles' `format` metadata is optional and often wrong. */
export function sniffImageType(data: Uint8Array): string | null {
	if (data.length >= 8 && data[0] === 0x89 && data[1] === 0x50 && data[2] === 0x4e && data[3] === 0x47) return 'image/png';
	if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
	if (data.length >= 12 && String.fromCharCode(...data.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...data.subarray(8, 12)) === 'WEBP') return 'image/webp';
	return null;
}

/** XYZ (y from the north, as Leaflet asks) → the MBTiles row (TMS, from the south). */
export const tmsRow = (z: number, y: number): number => 2 ** z - 1 - y;

/** A tile by XYZ numbers, or null (no file, no such tile, or not a raster image). */
export function readTile(file: string, z: number, x: number, y: number): Tile | null {
	const n = 2 ** z;
	if (x < 0 || y < 0 || x >= n || y >= n) return null;
	const reader = readerFor(file);
	if (!reader) return null;
	const row = reader.get.get(z, x, tmsRow(z, y));
	if (!row) return null;
	const contentType = sniffImageType(row.tile_data);
	return contentType ? { data: row.tile_data, contentType } : null;
}

/** The average tile size of the file, for the "prepare for offline" size estimate (null: no file). */
export function averageTileBytes(file: string): number | null {
	const reader = readerFor(file);
	if (!reader) return null;
	const row = reader.db.prepare('select avg(length(tile_data)) as avg from tiles').get() as { avg: number | null };
	return row.avg ? Math.round(row.avg) : null;
}
