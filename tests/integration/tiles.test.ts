import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { averageTileBytes, sniffImageType, tmsRow } from '$lib/server/map/mbtiles';
import { guardRoute } from '$lib/server/auth/guard';
import { makeMbtiles, solidPng } from '../fixtures/make-mbtiles';

// The route reads config().mbtilesPath, parsed once from the environment on first use.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doorstep-tiles-'));
const file = path.join(dir, 'district.mbtiles');
process.env.MBTILES_PATH = file;
process.env.TILE_URL = '/tiles/{z}/{x}/{y}';
process.env.TILE_ATTRIBUTION = '© 本行地图';

type Get = (event: { params: Record<string, string> }) => Response | Promise<Response>;
let GET: Get;

beforeAll(async () => {
	// XYZ tile 15/27331/13500 covers Xiaoshan; the file stores it at TMS row 2^15−1−13500.
	makeMbtiles(file, { tiles: [{ z: 15, x: 27331, y: 13500 }, { z: 0, x: 0, y: 0 }] });
	({ GET } = (await import('../../src/routes/tiles/[z]/[x]/[y]/+server')) as unknown as { GET: Get });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const get = (z: string, x: string, y: string) => GET({ params: { z, x, y } });

describe('/tiles/{z}/{x}/{y} from an MBTiles file', () => {
	it('serves a tile by XYZ numbers (flipping to the TMS row) as a cacheable PNG', async () => {
		const res = await get('15', '27331', '13500');
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('image/png');
		expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
		const body = new Uint8Array(await res.arrayBuffer());
		expect(sniffImageType(body)).toBe('image/png');
		expect(Number(res.headers.get('content-length'))).toBe(body.length);
		expect((await get('15', '27331', '13500.png')).status).toBe(200);
	});

	it('answers 404 for a tile the file does not hold (including the unflipped row) and 400 for junk', async () => {
		expect((await get('15', '27331', String(tmsRow(15, 13500)))).status).toBe(404);
		expect((await get('15', '27330', '13500')).status).toBe(404);
		expect((await get('1', '5', '0')).status).toBe(404); // outside the zoom level
		expect((await get('15', 'abc', '1')).status).toBe(400);
		expect((await get('15', '1', '-1')).status).toBe(400);
		expect((await get('99', '1', '1')).status).toBe(404);
	});

	it('a missing file means 404s, not a failing server', async () => {
		fs.renameSync(file, `${file}.away`);
		try {
			expect((await get('15', '27331', '13500')).status).toBe(404);
		} finally {
			fs.renameSync(`${file}.away`, file);
		}
		expect((await get('15', '27331', '13500')).status).toBe(200);
	});

	it('sniffs PNG, JPEG and WebP and knows the average tile size', () => {
		expect(sniffImageType(solidPng([1, 2, 3], 4))).toBe('image/png');
		expect(sniffImageType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
		expect(sniffImageType(new Uint8Array([...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WEBP')]))).toBe('image/webp');
		expect(sniffImageType(new Uint8Array([0x1f, 0x8b, 8]))).toBeNull();
		expect(averageTileBytes(file)).toBeGreaterThan(100);
	});

	it('/api/map gives signed-in users the source, with the tile size of the MBTiles file', async () => {
		const { GET: source } = (await import('../../src/routes/api/map/+server')) as unknown as { GET: (e: unknown) => Response };
		const body = await source({ locals: { user: { id: 'u', role: 'field_staff' } } }).json();
		expect(body.source).toMatchObject({ url: '/tiles/{z}/{x}/{y}', attribution: '© 本行地图', prefetch: true, crs: 'wgs84' });
		expect(body.source.tileBytes).toBe(averageTileBytes(file));
		expect(() => source({ locals: { user: null } })).toThrow();
	});

	it('tiles stay behind sign-in: no session → 401 (not a login page the service worker would keep)', () => {
		const event = { url: new URL('http://x/tiles/15/27331/13500'), locals: { user: null } } as never;
		const res = guardRoute(event);
		expect(res?.status).toBe(401);
	});
});
