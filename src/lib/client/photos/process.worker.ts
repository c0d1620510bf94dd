/*
 * Photo processing off the main thread (a module Web Worker), so the camera screen never
 * freezes: decode → scale to the long-edge limit → burn in the watermark → JPEG at the best
 * quality (then size) that meets the target → SHA-256 of the final bytes.
 *
 * Re-encoding from pixels is what strips the camera's metadata: the canvas knows no EXIF, GPS
 * or maker notes, and `convertToBlob` writes a bare JFIF. (Orientation is applied while decoding,
 * `imageOrientation: 'from-image'`, so nothing is lost by dropping it.)
 */
/// <reference lib="webworker" />
import { PHOTO_LIMITS } from '$lib/domain/photos';
import { DEFAULT_ENCODE_PLAN, fitWithin, nextEncode, smallestEncode, toHex, watermarkLayout, type EncodeResult, type Size } from './pipeline';
import type { ProcessRequest, ProcessResponse } from './photo-processor';

declare const self: DedicatedWorkerGlobalScope;

function draw(bitmap: ImageBitmap, size: Size, lines: string[]): OffscreenCanvas {
	const canvas = new OffscreenCanvas(size.width, size.height);
	const ctx = canvas.getContext('2d');
	if (!ctx) throw new Error('no 2d context');
	ctx.imageSmoothingEnabled = true;
	ctx.imageSmoothingQuality = 'high';
	ctx.drawImage(bitmap, 0, 0, size.width, size.height);
	const layout = watermarkLayout(size, lines.length);
	// A dark band under light text: legible on any photo, and it cannot be cropped off the
	// subject without also cutting the image.
	ctx.fillStyle = 'rgba(0, 0, 0, 0.55)';
	ctx.fillRect(0, size.height - layout.bandPx, size.width, layout.bandPx);
	ctx.font = `600 ${layout.fontPx}px system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif`;
	ctx.textBaseline = 'top';
	ctx.fillStyle = 'rgba(255, 255, 255, 0.95)';
	const maxWidth = size.width - 2 * layout.paddingPx;
	lines.forEach((line, i) => {
		ctx.fillText(line, layout.paddingPx, size.height - layout.bandPx + layout.paddingPx + i * layout.lineHeightPx, maxWidth);
	});
	return canvas;
}

async function process(request: ProcessRequest): Promise<ProcessResponse> {
	const started = performance.now();
	const bitmap = request.source instanceof ImageBitmap ? request.source : await createImageBitmap(request.source, { imageOrientation: 'from-image' });
	try {
		const fitted = fitWithin({ width: bitmap.width, height: bitmap.height }, request.maxEdge ?? PHOTO_LIMITS.maxEdgePx);
		const plan = { ...DEFAULT_ENCODE_PLAN, targetBytes: request.targetBytes ?? PHOTO_LIMITS.targetBytes };
		const history: EncodeResult[] = [];
		const blobs: { blob: Blob; size: Size }[] = [];
		let canvas: { scale: number; canvas: OffscreenCanvas; size: Size } | null = null;
		for (;;) {
			const decision = nextEncode(history, plan);
			if (decision.done) {
				const pick = decision.pick ?? smallestEncode(history);
				const chosen = blobs[pick];
				if (decision.pick === null && chosen.blob.size > PHOTO_LIMITS.maxUploadBytes) return { id: request.id, ok: false, error: 'photo_ui_err_too_large' };
				const sha256 = toHex(await crypto.subtle.digest('SHA-256', await chosen.blob.arrayBuffer()));
				return {
					id: request.id,
					ok: true,
					blob: chosen.blob,
					sha256,
					bytes: chosen.blob.size,
					width: chosen.size.width,
					height: chosen.size.height,
					quality: history[pick].quality,
					attempts: history.length,
					ms: Math.round(performance.now() - started)
				};
			}
			const { quality, scale } = decision.next;
			if (!canvas || canvas.scale !== scale) {
				const dims: Size = { width: Math.max(1, Math.round(fitted.width * scale)), height: Math.max(1, Math.round(fitted.height * scale)) };
				canvas = { scale, size: dims, canvas: draw(bitmap, dims, request.lines) };
			}
			const blob = await canvas.canvas.convertToBlob({ type: 'image/jpeg', quality });
			if (blob.type !== 'image/jpeg') return { id: request.id, ok: false, error: 'photo_ui_err_processing' };
			history.push({ quality, scale, bytes: blob.size });
			blobs.push({ blob, size: canvas.size });
		}
	} finally {
		bitmap.close();
	}
}

self.onmessage = (event: MessageEvent<ProcessRequest>) => {
	const request = event.data;
	process(request).then(
		(response) => self.postMessage(response),
		// The message is a code only: nothing of the photo is ever put in an error text.
		() => self.postMessage({ id: request.id, ok: false, error: 'photo_ui_err_processing' } satisfies ProcessResponse)
	);
};
