/*
 * The pure parts of photo processing, shared by the worker (process.worker.ts), the capture UI
 * and the tests: how far to scale, which JPEG quality (then size) to try next, what the
 * burned-in watermark says and how large it is drawn. No DOM, no I/O.
 */
import { PHOTO_LIMITS, type PhotoManifestEntry } from '$lib/domain/photos';

export interface Size {
	width: number;
	height: number;
}

/** The size that fits `maxEdge` on the long edge, keeping the aspect; never enlarges. */
export function fitWithin(size: Size, maxEdge: number = PHOTO_LIMITS.maxEdgePx): Size {
	const edge = Math.min(Math.max(1, Math.floor(maxEdge)), PHOTO_LIMITS.maxEdgePx);
	const long = Math.max(size.width, size.height);
	if (long <= edge) return { width: Math.max(1, Math.round(size.width)), height: Math.max(1, Math.round(size.height)) };
	const scale = edge / long;
	return { width: Math.max(1, Math.round(size.width * scale)), height: Math.max(1, Math.round(size.height * scale)) };
}

/** One JPEG encoding tried by the worker: quality 0–1 at a scale of the fitted size. */
export interface EncodeAttempt {
	quality: number;
	/** 1 = the fitted size; smaller when quality alone could not reach the target. */
	scale: number;
}

export interface EncodeResult extends EncodeAttempt {
	bytes: number;
}

export interface EncodePlanOptions {
	targetBytes: number;
	/** Qualities tried in order at each scale: the first that fits wins (the best that fits). */
	qualities: readonly number[];
	/** Never shrink below this fraction of the fitted size (an ID must stay legible). */
	minScale: number;
	/** Give up after this many encodings (each one costs tens of milliseconds on a tablet). */
	maxAttempts: number;
}

export const DEFAULT_ENCODE_PLAN: EncodePlanOptions = {
	targetBytes: PHOTO_LIMITS.targetBytes,
	qualities: [0.85, 0.75, 0.65, 0.55, 0.45],
	minScale: 0.35,
	maxAttempts: 14
};

export type EncodeDecision = { done: false; next: EncodeAttempt } | { done: true; pick: number | null };

/**
 * The quality search: given the encodings made so far (in order), what to do next.
 * - The first encoding that fits the target is taken: qualities are tried from high to low, so it
 *   is the best-looking one that fits.
 * - When even the lowest quality is too large, the size is reduced by the square root of the
 *   overshoot (JPEG size grows roughly with the pixel count), with a 10% safety, and the search
 *   starts again from the second quality (the first already failed at a larger size).
 * - `pick: null` when nothing fits within the attempts or the minimum scale; the caller then
 *   keeps the smallest if the server would still accept it (PHOTO_LIMITS.maxUploadBytes).
 */
export function nextEncode(history: readonly EncodeResult[], options: EncodePlanOptions = DEFAULT_ENCODE_PLAN): EncodeDecision {
	const { qualities, targetBytes } = options;
	if (history.length === 0) return { done: false, next: { quality: qualities[0], scale: 1 } };
	const fit = history.findIndex((h) => h.bytes <= targetBytes);
	if (fit >= 0) return { done: true, pick: fit };
	if (history.length >= options.maxAttempts) return { done: true, pick: null };
	const last = history[history.length - 1];
	const qi = qualities.indexOf(last.quality);
	if (qi >= 0 && qi < qualities.length - 1) return { done: false, next: { quality: qualities[qi + 1], scale: last.scale } };
	if (last.scale <= options.minScale) return { done: true, pick: null };
	const shrink = Math.min(0.9, Math.sqrt(targetBytes / last.bytes) * 0.9);
	const scale = Math.max(options.minScale, Math.round(last.scale * shrink * 1000) / 1000);
	return { done: false, next: { quality: qualities[Math.min(1, qualities.length - 1)], scale } };
}

/** The smallest encoding, for the fallback when none met the target. */
export function smallestEncode(history: readonly EncodeResult[]): number {
	let best = 0;
	for (let i = 1; i < history.length; i++) if (history[i].bytes < history[best].bytes) best = i;
	return best;
}

export interface WatermarkInput {
	takenAt: Date;
	position: { lat: number; lng: number; accuracyM: number } | null;
	visitRef: string;
	staffNames: string[];
	/** Already translated: "仅供身份核验使用" or "For identity verification only". */
	purpose: string;
	/** Already translated label when the position is unknown (null: leave the line out). */
	noPosition?: string | null;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-11-27 16:30:05` in Asia/Shanghai (the bank's time), whatever the tablet's zone. */
export function shanghaiStamp(at: Date): string {
	const local = new Date(at.getTime() + 8 * 3600_000);
	return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
}

/** The watermark's lines, top to bottom: time, position, visit and team, purpose. */
export function watermarkLines(input: WatermarkInput): string[] {
	const lines = [`${shanghaiStamp(input.takenAt)} (UTC+8)`];
	if (input.position) {
		const { lat, lng, accuracyM } = input.position;
		lines.push(`${lat.toFixed(5)}, ${lng.toFixed(5)} ±${Math.round(accuracyM)} m`);
	} else if (input.noPosition) {
		lines.push(input.noPosition);
	}
	const team = input.staffNames.filter((n) => n.trim()).join(' / ');
	lines.push(team ? `${input.visitRef} · ${team}` : input.visitRef);
	lines.push(input.purpose);
	return lines;
}

export interface WatermarkLayout {
	fontPx: number;
	lineHeightPx: number;
	paddingPx: number;
	/** Height of the semi-transparent band at the bottom of the image. */
	bandPx: number;
}

/** Type size relative to the short edge, so the watermark reads the same on any output size. */
export function watermarkLayout(size: Size, lineCount: number): WatermarkLayout {
	const short = Math.min(size.width, size.height);
	const fontPx = Math.max(10, Math.round(short * 0.03));
	const lineHeightPx = Math.round(fontPx * 1.3);
	const paddingPx = Math.round(fontPx * 0.6);
	const bandPx = Math.min(size.height, lineCount * lineHeightPx + 2 * paddingPx);
	return { fontPx, lineHeightPx, paddingPx, bandPx };
}

/** `lat,lng,accuracyM` for the upload header; null when the position is unknown. */
export function positionHeader(position: { lat: number; lng: number; accuracyM: number } | null): string | null {
	if (!position) return null;
	return `${position.lat.toFixed(6)},${position.lng.toFixed(6)},${Math.round(position.accuracyM)}`;
}

/** Lower-case hex of a digest. */
export function toHex(buffer: ArrayBuffer): string {
	return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The manifest sent with the visit's completion: what the server must receive for this visit. */
export function photoManifest(photos: readonly PhotoManifestEntry[]): PhotoManifestEntry[] {
	return [...photos]
		.sort((a, b) => a.takenAt.localeCompare(b.takenAt) || a.id.localeCompare(b.id))
		.map(({ id, kind, sha256, bytes, takenAt, position }) => ({ id, kind, sha256, bytes, takenAt, position: position ? { ...position } : null }));
}

/**
 * Whether a capture may start: the free space (quota − usage) must stay above the safe margin.
 * Unknown (no Storage API) → allowed: refusing every capture would be worse than the risk.
 */
export function storageAllows(estimate: { quota?: number; usage?: number } | null | undefined, marginBytes: number = PHOTO_LIMITS.safeMarginBytes): { ok: boolean; freeBytes: number | null } {
	if (!estimate || typeof estimate.quota !== 'number') return { ok: true, freeBytes: null };
	const free = estimate.quota - (estimate.usage ?? 0);
	return { ok: free >= marginBytes, freeBytes: free };
}

/** Whether the bytes carry an EXIF (APP1 "Exif") segment: the final photo never may. */
export function hasExif(bytes: Uint8Array): boolean {
	let i = 2;
	while (i + 4 <= bytes.length && bytes[i] === 0xff) {
		const marker = bytes[i + 1];
		if (marker === 0xda) return false; // scan data: no more metadata segments
		const length = (bytes[i + 2] << 8) | bytes[i + 3];
		if (marker === 0xe1 && String.fromCharCode(...bytes.subarray(i + 4, i + 8)) === 'Exif') return true;
		i += 2 + length;
	}
	return false;
}

/** `480 KB`, `1.2 MB`: sizes as staff read them (binary units, as the limits are). */
export function formatSize(bytes: number): string {
	if (bytes < 1024 * 1024) return `${Math.max(bytes > 0 ? 1 : 0, Math.round(bytes / 1024))} KB`;
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
