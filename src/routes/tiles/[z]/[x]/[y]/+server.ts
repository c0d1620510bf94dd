import { config } from '$lib/server/config';
import { readTile } from '$lib/server/map/mbtiles';
import type { RequestHandler } from './$types';

const NUMBER = /^\d{1,7}$/;
/** Leaflet asks `/tiles/{z}/{x}/{y}`; a `.png`/`.jpg`/`.webp` ending is accepted too. */
const Y = /^(\d{1,7})(?:\.(?:png|jpe?g|webp))?$/;

/**
 * Map tiles from the MBTiles file in the data folder. Behind sign-in like the rest of the app
 * (the handle hook answers 401 without a session); tiles carry no personal data, so browsers and
 * the service worker may keep them.
 */
export const GET: RequestHandler = ({ params }) => {
	const y = Y.exec(params.y);
	if (!NUMBER.test(params.z) || !NUMBER.test(params.x) || !y) return new Response('Bad tile address', { status: 400 });
	const z = Number(params.z);
	if (z > 24) return new Response('Not found', { status: 404 });
	const tile = readTile(config().mbtilesPath, z, Number(params.x), Number(y[1]));
	if (!tile) return new Response('Not found', { status: 404, headers: { 'Cache-Control': 'no-store' } });
	return new Response(new Uint8Array(tile.data), {
		headers: {
			'Content-Type': tile.contentType,
			'Content-Length': String(tile.data.length),
			'Cache-Control': 'public, max-age=86400'
		}
	});
};
