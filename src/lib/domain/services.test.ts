import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICES, MOBILITY, PHOTO_KINDS, PLACE_TYPES, URGENCY } from './services';

describe('DEFAULT_SERVICES', () => {
	it('has the first-version catalogue with names and durations', () => {
		expect(DEFAULT_SERVICES.map((s) => [s.code, s.nameZh, s.durationMin])).toEqual([
			['ss_card_activation', '社保卡激活', 20],
			['pin_reset', '银行卡密码重置', 20],
			['card_opening', '开卡', 30],
			['card_closing', '销卡', 20],
			['info_update', '客户信息变更', 30],
			['proxy_withdrawal_verification', '代取款核实', 30],
			['other', '其他', 20]
		]);
	});

	it('gives every service a bilingual checklist and identity photos', () => {
		for (const s of DEFAULT_SERVICES) {
			expect(s.nameEn.length).toBeGreaterThan(0);
			expect(s.checklist.length).toBeGreaterThanOrEqual(2);
			for (const item of s.checklist) {
				expect(item.zh).toMatch(/[\u4e00-\u9fff]/);
				expect(item.en).toMatch(/^[A-Z]/);
			}
			expect(s.requiredPhotos).toEqual(expect.arrayContaining(['id_front', 'id_back', 'staff_with_customer']));
			for (const p of s.requiredPhotos) expect(PHOTO_KINDS).toContain(p);
			expect(new Set(s.requiredPhotos).size).toBe(s.requiredPhotos.length);
		}
	});

	it('does not share mutable arrays between services', () => {
		const [a, b] = DEFAULT_SERVICES;
		expect(a.requiredPhotos).not.toBe(b.requiredPhotos);
	});

	it('exports the request vocabularies', () => {
		expect(MOBILITY).toEqual(['bedridden', 'wheelchair', 'limited']);
		expect(PLACE_TYPES).toEqual(['home', 'nursing_home', 'hospital', 'community_centre']);
		expect(URGENCY).toEqual(['normal', 'urgent']);
	});
});
