/**
 * Reads a request body of at most `max` bytes. A longer one is refused as soon as it passes the
 * limit, before it is all in memory; adapter-node's own BODY_SIZE_LIMIT (an error with status
 * 413 while reading) counts the same. A body that breaks off — the tablet lost the network, the
 * connection was killed mid-upload — is `broken`: the caller answers 4xx and stores nothing,
 * instead of an unexpected error.
 */
export type BodyRead = { ok: true; bytes: Uint8Array } | { ok: false; reason: 'too_large' | 'broken' };

export async function readBoundedBody(request: Request, max: number): Promise<BodyRead> {
	if (!request.body) return { ok: true, bytes: new Uint8Array(0) };
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			size += value.byteLength;
			if (size > max) {
				await reader.cancel().catch(() => {});
				return { ok: false, reason: 'too_large' };
			}
			chunks.push(value);
		}
	} catch (err) {
		return { ok: false, reason: (err as { status?: number } | null)?.status === 413 ? 'too_large' : 'broken' };
	}
	return { ok: true, bytes: new Uint8Array(Buffer.concat(chunks)) };
}
