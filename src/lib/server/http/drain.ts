/**
 * Reads and drops what is left of a refused request's body (at most the server's own
 * BODY_SIZE_LIMIT). Answering before the body was read makes Node close a kept-alive
 * connection under a client that is still sending, which the client sees as ECONNRESET instead
 * of our clear 4xx.
 */
export async function drainBody(request: Request): Promise<void> {
	if (!request.body || request.bodyUsed) return;
	try {
		const reader = request.body.getReader();
		for (;;) if ((await reader.read()).done) break;
	} catch {
		// Over the server's limit or broken off: nothing more to read.
	}
}
