/*
 * Reading the consent aloud in Mandarin with the Web Speech API (speechSynthesis). Only a voice of
 * the device itself (localService) speaks offline; Chromium's network voices need the network.
 */

export interface VoiceLike {
	lang: string;
	localService: boolean;
	default?: boolean;
	name: string;
}

/** Mandarin in mainland China first (zh-CN, cmn-Hans-CN…), then Mandarin of Taiwan or Singapore; never Cantonese. */
function mandarinRank(lang: string): number {
	const tag = lang.replace(/_/g, '-').toLowerCase();
	if (/^(yue|zh-yue)\b/.test(tag) || /^zh-(hk|mo)\b/.test(tag) || tag.includes('-hant-hk')) return 0;
	if (/^(zh|cmn)(-hans)?-cn\b/.test(tag)) return 3;
	if (/^(zh|cmn)(-hans)?$/.test(tag)) return 2;
	if (/^(zh|cmn)(-hans|-hant)?-(tw|sg)\b/.test(tag)) return 1;
	return 0;
}

/** The voice to read Chinese with: the best Mandarin voice, a device voice before a network one; null when there is none. */
export function pickMandarinVoice<V extends VoiceLike>(voices: readonly V[]): V | null {
	let best: V | null = null;
	let bestScore = 0;
	for (const v of voices.slice(0, 500)) {
		const rank = mandarinRank(v.lang ?? '');
		if (!rank) continue;
		const score = rank * 4 + (v.localService ? 2 : 0) + (v.default ? 1 : 0);
		if (score > bestScore) {
			best = v;
			bestScore = score;
		}
	}
	return best;
}

/**
 * The text in pieces of whole sentences, each at most `max` characters: one long utterance is cut
 * off by some engines after about 15 seconds, and stopping between sentences sounds natural.
 */
export function speechChunks(text: string, max = 120): string[] {
	const sentences = text
		.split('\n')
		.flatMap((line) => line.match(/[^。！？；!?;]+[。！？；!?;]*/g) ?? [])
		.map((s) => s.trim())
		.filter(Boolean);
	const chunks: string[] = [];
	for (const s of sentences) {
		for (let i = 0; i < s.length; i += max) chunks.push(s.slice(i, i + max));
	}
	return chunks;
}
