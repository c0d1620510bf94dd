import type { Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { withDb } from './field-helpers';

/*
 * Helpers of the photo-flow suites (photos-flow, photos-faults): what the tablet's IndexedDB
 * holds about its photos, and what the server stored (database rows, files in the folder
 * storage <dataDir>/photos/ab/cd/<sha>.jpg with temporary copies in <dataDir>/photos/.tmp).
 */

export interface DevicePhoto {
	id: string;
	kind: string;
	status: string;
	sha256: string;
	hasBlob: boolean;
	receiptSha: string | null;
	lastError: string | null;
}

/**
 * The tablet's photo rows of a visit, read with the plain IndexedDB API (no app code, no key):
 * the upload state is readable, the position and the JPEG only sealed. `hasBlob`: the photo's
 * sealed bytes are still on the tablet.
 */
export async function devicePhotos(page: Page, visitId: string): Promise<DevicePhoto[]> {
	return page.evaluate(async (visitId) => {
		const all = (db: IDBDatabase, store: string) =>
			new Promise<Record<string, unknown>[]>((resolve, reject) => {
				const r = db.transaction(store).objectStore(store).getAll();
				r.onsuccess = () => resolve(r.result);
				r.onerror = () => reject(r.error);
			});
		const names = (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('doorstep-field-'));
		const out: DevicePhoto[] = [];
		for (const name of names) {
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const r = indexedDB.open(name);
				r.onsuccess = () => resolve(r.result);
				r.onerror = () => reject(r.error);
			});
			if (db.objectStoreNames.contains('photos') && db.objectStoreNames.contains('photoBytes')) {
				const sealedBytes = new Map((await all(db, 'photoBytes')).map((b) => [String(b.id), (b.sealed as { ct?: ArrayBuffer } | undefined)?.ct?.byteLength ?? 0]));
				for (const p of (await all(db, 'photos')).filter((p) => p.visitId === visitId)) {
					const receipt = p.receipt as { sha256?: string } | null;
					out.push({
						id: String(p.id),
						kind: String(p.kind),
						status: String(p.status),
						sha256: String(p.sha256),
						hasBlob: p.hasBytes === true && (sealedBytes.get(String(p.id)) ?? 0) > 0,
						receiptSha: receipt?.sha256 ?? null,
						lastError: (p.lastError as string | null) ?? null
					});
				}
			}
			db.close();
		}
		return out;
	}, visitId);
}

export const sha256 = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export const photosRoot = (dataDir: string) => path.resolve(dataDir, 'photos');

/** The final file of a hash in the folder storage (src/lib/server/photos/local-storage.ts). */
export const storedFile = (dataDir: string, sha: string) => path.join(photosRoot(dataDir), sha.slice(0, 2), sha.slice(2, 4), `${sha}.jpg`);

/** Every file under the photo folder, relative paths, sorted (temporary ones included). */
export function storageFiles(dataDir: string): string[] {
	const root = photosRoot(dataDir);
	if (!existsSync(root)) return [];
	return (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
		.filter((d) => d.isFile())
		.map((d) => path.relative(root, path.join(d.parentPath, d.name)))
		.sort();
}

/** SHA-256 of the stored bytes of a hash's file. */
export const hashOfStored = (dataDir: string, sha: string) => sha256(readFileSync(storedFile(dataDir, sha)));

export interface PhotoRow {
	id: string;
	visit_id: string;
	kind: string;
	sha256: string;
	bytes: number;
	uploaded_by: string;
}

export function photoRows(dataDir: string, visitId?: string): PhotoRow[] {
	return withDb(dataDir, (db) =>
		(visitId
			? db.prepare('select id, visit_id, kind, sha256, bytes, uploaded_by from photos where visit_id = ? order by id').all(visitId)
			: db.prepare('select id, visit_id, kind, sha256, bytes, uploaded_by from photos order by id').all()) as PhotoRow[]
	);
}

/** A small real JPEG (64 × 48, one colour per seed), drawn by the browser of `page`. */
export async function jpeg(page: Page, seed: number): Promise<Buffer> {
	const b64 = await page.evaluate(async (seed) => {
		const c = new OffscreenCanvas(64, 48);
		const ctx = c.getContext('2d')!;
		ctx.fillStyle = `hsl(${seed * 47}, 70%, 50%)`;
		ctx.fillRect(0, 0, 64, 48);
		const blob = await c.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
		const bytes = new Uint8Array(await blob.arrayBuffer());
		return btoa(String.fromCharCode(...bytes));
	}, seed);
	return Buffer.from(b64, 'base64');
}

/** A small real signature PNG as the tablet's pad sends it (a data: URL). */
export async function signaturePng(page: Page): Promise<string> {
	return page.evaluate(async () => {
		const c = new OffscreenCanvas(240, 80);
		const ctx = c.getContext('2d')!;
		ctx.lineWidth = 3;
		ctx.beginPath();
		ctx.moveTo(10, 60);
		ctx.bezierCurveTo(60, 0, 120, 80, 230, 20);
		ctx.stroke();
		const bytes = new Uint8Array(await (await c.convertToBlob({ type: 'image/png' })).arrayBuffer());
		return `data:image/png;base64,${btoa(String.fromCharCode(...bytes))}`;
	});
}
